"""pytest fixture ``mock_api``: ``mock_api("algolia", faults=["429=2*1"])`` starts a mock for the test.

Enable it with ``pytest_plugins = ["generator.mock.pytest_plugin"]`` in the top-level ``conftest.py``, or
``from generator.mock.pytest_plugin import mock_api`` in any ``conftest.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from generator.mock.server import MockServer


@pytest.fixture
def mock_api() -> Iterator[Callable[..., MockServer]]:
    """Factory of started ``MockServer``s (``.url``, ``.journal``), stopped after the test."""
    started: list[MockServer] = []

    def factory(source: str, **kwargs: Any) -> MockServer:
        server = MockServer(source, **kwargs).start()
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()
