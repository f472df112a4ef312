"""Loopback HTTP server whose replies each test scripts, and a sync/async client driver.

Tests talk to it over loopback sockets (not a mocked transport) so connection resets,
timeouts and raw paths behave exactly as they would against a vendor.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from generator.runtime import AsyncAPIClient, SyncAPIClient


@dataclass
class Reply:
    """One scripted answer. ``reset`` drops the connection with a TCP RST instead."""

    status: int = 200
    body: bytes | str | None = None
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    reset: bool = False


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        scripted = self.server.scripted
        scripted.requests.append(
            Recorded(
                self.command,
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                body,
            )
        )
        reply = scripted.replies.popleft() if scripted.replies else Reply(599, "unscripted")
        if reply.delay:
            time.sleep(reply.delay)
        if reply.reset:
            # SO_LINGER 0 makes close() send RST: the client sees "connection reset".
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        payload: bytes
        headers = dict(reply.headers)
        if reply.json is not None:
            payload = json.dumps(reply.json).encode()
            headers.setdefault("Content-Type", "application/json")
        elif isinstance(reply.body, str):
            payload = reply.body.encode()
        else:
            payload = reply.body or b""
        try:
            self.send_response(reply.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:  # client gave up (read-timeout tests); nothing to report
            pass

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def finish(self) -> None:
        # The socket is already closed after a reset reply.
        with contextlib.suppress(OSError, ValueError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    scripted: ScriptedServer


class ScriptedServer:
    """Loopback HTTP server: queue replies with ``script()``, inspect ``requests``."""

    def __init__(self, port: int = 0) -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[Recorded] = []
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.scripted = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


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
