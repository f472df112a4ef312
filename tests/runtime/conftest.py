"""Fixtures: a real HTTP server on 127.0.0.1 (ephemeral port) and sync/async client runners."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Import the runtime from this checkout even when the project is not pip-installed.
_REPO_ROOT = str(Path(__file__).resolve().parents[2])
if _REPO_ROOT not in sys.path:
    sys.path.insert(0, _REPO_ROOT)

from runtime_server import Runner, ScriptedServer  # noqa: E402

MakeRunner = Callable[..., Runner]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    srv = ScriptedServer()
    yield srv
    srv.stop()


@pytest.fixture(params=["sync", "async"])
async def make_runner(request: pytest.FixtureRequest, server: ScriptedServer) -> AsyncIterator[MakeRunner]:
    """Factory for a Runner of each kind (tests using it run twice: sync and async)."""
    made: list[Runner] = []

    def factory(base_url: str | None = None, **kwargs: Any) -> Runner:
        runner = Runner(request.param, base_url or server.url, **kwargs)
        made.append(runner)
        return runner

    yield factory
    for runner in made:
        await runner.close()
