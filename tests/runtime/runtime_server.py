"""The runtime tests' loopback server (the mock, ``generator.mock``, with no spec) and a sync/async client driver.

Tests talk to it over loopback sockets (not a mocked transport) so connection resets,
timeouts and raw paths behave exactly as they would against a vendor. Every reply is
scripted; an unscripted request gets 599.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.mock import MockServer, Reply
from generator.runtime import AsyncAPIClient, SyncAPIClient

__all__ = ["SECRET", "Recorded", "Reply", "Runner", "ScriptedServer", "free_port"]


@dataclass
class Recorded:
    method: str
    path: str  # as sent, query included
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class ScriptedServer:
    """Loopback HTTP server: queue replies with ``script()``, inspect ``requests``."""

    def __init__(self, port: int = 0) -> None:
        self._mock = MockServer(None, port=port).start()
        self._mock.default_reply = Reply(599, body="unscripted")
        self.port = self._mock.port

    @property
    def url(self) -> str:
        return self._mock.url

    @property
    def replies(self) -> Any:
        """The queue of replies not sent yet."""
        return self._mock.app.replies

    @property
    def requests(self) -> list[Recorded]:
        return [Recorded(r.method, r.raw_path, r.headers, r.body) for r in self._mock.requests]

    def script(self, *replies: Reply) -> None:
        self._mock.script(*replies)

    def stop(self) -> None:
        self._mock.stop()


def free_port() -> int:
    """A port nothing listens on (bound then released), for connect-failure tests."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


SECRET = "sk-test-SUPERSECRET-0123456789"


class Runner:
    """Drives a SyncAPIClient or AsyncAPIClient through one awaitable interface."""

    def __init__(self, kind: str, base_url: str, **kwargs: Any) -> None:
        self.kind = kind
        self.sleeps: list[float] = []
        self.on_sleep: Callable[[float], None] | None = None
        kwargs.setdefault("auth_headers", {"Authorization": f"Bearer {SECRET}"})
        self.client: SyncAPIClient | AsyncAPIClient
        if kind == "sync":
            self.client = SyncAPIClient(base_url=base_url, **kwargs)
            self.client._sleep = self._record_sleep
        else:
            self.client = AsyncAPIClient(base_url=base_url, **kwargs)

            async def fake_async_sleep(seconds: float) -> None:
                self._record_sleep(seconds)

            self.client._sleep = fake_async_sleep

    def _record_sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.on_sleep is not None:
            self.on_sleep(seconds)

    async def request(self, *args: Any, **kwargs: Any) -> Any:
        if isinstance(self.client, SyncAPIClient):
            return self.client.request(*args, **kwargs)
        return await self.client.request(*args, **kwargs)

    async def close(self) -> None:
        if isinstance(self.client, SyncAPIClient):
            self.client.close()
        else:
            await self.client.aclose()
