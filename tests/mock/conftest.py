"""Fixtures: ``python -m generator mock`` as a subprocess (as a user runs it), clients per mode."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.mock.pytest_plugin import mock_api  # noqa: F401  (the fixture, as a user's conftest imports it)
from tests.clients.conftest import VENDORS, package

REPO_ROOT = Path(__file__).resolve().parents[2]
CATALOG = REPO_ROOT / "tests" / "mock" / "catalog" / "openapi.yaml"
PRODUCT = "5f0c7c8e-1111-4222-8333-944445555666"
CONVERSATION = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"


# One valid call per vendor (keyword arguments go to the method: extra_headers, timeout, ...).
CALLS: dict[str, Callable[..., Any]] = {
    "elevenlabs": lambda c, **kw: c.conversational_ai.conversations.feedback.create("conv_1", feedback="like", **kw),
    "moveworks": lambda c, **kw: c.messages.submit_feedback("conv_1", "resp_1", "msg_1", callback_id="cb-1", **kw),
    "algolia": lambda c, **kw: c.feedback.create_feedback(agent_id="agent-1", message_id="msg-1", vote=1, **kw),
    "clarityq": lambda c, **kw: c.feedback.submit_conversation_feedback(PRODUCT, CONVERSATION, rating="POSITIVE", **kw),
}


@dataclass
class MockProcess:
    """A running ``python -m generator mock`` and where it writes its journal."""

    url: str
    proc: subprocess.Popen[str]
    journal: Path | None

    def entries(self, at_least: int = 0, timeout: float = 5.0) -> list[dict[str, Any]]:
        """The journal's entries, waiting up to ``timeout`` for at least ``at_least`` of them."""
        assert self.journal is not None, "start the mock with journal=True"
        deadline = time.monotonic() + timeout
        while True:
            text = self.journal.read_text(encoding="utf-8") if self.journal.exists() else ""
            lines = [json.loads(line) for line in text.splitlines() if line.strip()]
            if len(lines) >= at_least or time.monotonic() > deadline:
                return lines
            time.sleep(0.02)

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str]:
        """Signal the server, wait for it; returns the exit code and stderr."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            _, err = self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return self.proc.returncode, err


def start_mock(source: str | Path, *args: str, journal: Path | None = None) -> MockProcess:
    """Start the mock CLI on an ephemeral loopback port; returns once it printed its URL."""
    cmd = [sys.executable, "-m", "generator", "mock", str(source), "--port", "0", *args]
    if journal is not None:
        cmd += ["--journal", str(journal)]
    proc = subprocess.Popen(
        cmd,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http://"):
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(f"mock did not start: {url!r}\n{err}")
    return MockProcess(url, proc, journal)


@pytest.fixture
def mock_process(tmp_path: Path) -> Iterator[Callable[..., MockProcess]]:
    """Factory of mock subprocesses (journal in tmp_path); each must exit 0 on SIGTERM at teardown."""
    started: list[MockProcess] = []

    def factory(source: str | Path, *args: str) -> MockProcess:
        journal = tmp_path / f"journal-{len(started)}.jsonl"
        started.append(start_mock(source, *args, journal=journal))
        return started[-1]

    yield factory
    for mock in started:
        code, err = mock.stop()
        assert code == 0, err


@pytest.fixture
def vendor_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for info in VENDORS.values():
        for key, value in info.env.items():
            monkeypatch.setenv(key, value)


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


MakeClient = Callable[..., Any]


@pytest.fixture
async def make_client(mode: str, vendor_env: None) -> AsyncIterator[MakeClient]:
    """``make_client(vendor, base_url, **kwargs)``: the generated Client or AsyncClient; sleeps recorded, not slept."""
    made: list[Any] = []

    def factory(vendor: str, base_url: str, **kwargs: Any) -> Any:
        pkg = package(vendor)
        client = (pkg.Client if mode == "sync" else pkg.AsyncClient)(base_url=base_url, **kwargs)
        sleeps: list[float] = []
        client.sleeps = sleeps
        if mode == "sync":
            client._sleep = sleeps.append
        else:

            async def no_sleep(seconds: float) -> None:
                sleeps.append(seconds)

            client._sleep = no_sleep
        made.append(client)
        return client

    yield factory
    for client in made:
        if mode == "sync":
            client.close()
        else:
            await client.aclose()
