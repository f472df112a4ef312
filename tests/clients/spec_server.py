"""The generated-client tests' spec-checking server: the mock (``generator.mock``) with scripted replies.

Every request is matched to an operation of the vendor's normalized spec and checked by the
mock (parameters, credentials, content type, JSON body); each problem lands in the request's
``violations`` and tests assert the list is empty. Replies are scripted with ``script()``;
an unscripted request gets 599 so a test never passes on an answer it did not choose.
"""

from __future__ import annotations

import socket
from pathlib import Path

from generator.mock import MockServer, RecordedRequest, Reply

REPO_ROOT = Path(__file__).resolve().parents[2]

Seen = RecordedRequest  # method, raw_path, path, query, headers, body, operation_id, path_params, violations

__all__ = ["REPO_ROOT", "Reply", "Seen", "SpecServer", "free_port"]


class SpecServer:
    """The mock for one vendor: ``script()`` replies, read ``requests``/``violations``."""

    def __init__(self, vendor: str, *, prefix: str = "", default_reply: Reply | None = None) -> None:
        self._mock = MockServer(vendor, specs_dir=REPO_ROOT / "specs").start()
        assert self._mock.spec is not None
        # The vendor's base path comes from its spec; a test that names another one is wrong.
        assert self._mock.spec.base_path == prefix.rstrip("/"), (self._mock.spec.base_path, prefix)
        self._mock.default_reply = default_reply or Reply(599, body="unscripted")
        self.expect_headers: dict[str, str] = {}

    @property
    def url(self) -> str:
        """Base URL clients should use (includes the vendor's base path)."""
        return self._mock.url

    @property
    def port(self) -> int:
        return self._mock.port

    @property
    def default_reply(self) -> Reply | None:
        return self._mock.default_reply

    @default_reply.setter
    def default_reply(self, reply: Reply) -> None:
        self._mock.default_reply = reply

    def script(self, *replies: Reply) -> None:
        self._mock.script(*replies)

    @property
    def requests(self) -> list[Seen]:
        """Requests as received, each with the mock's problems and the expected-header checks."""
        seen = self._mock.requests
        for request in seen:
            for name, value in self.expect_headers.items():
                message = f"header {name} is not the expected value"
                if request.headers.get(name.lower()) != value and message not in request.violations:
                    request.violations.append(message)
        return seen

    @property
    def violations(self) -> list[str]:
        return [f"{r.method} {r.raw_path}: {msg}" for r in self.requests for msg in r.violations]

    def stop(self) -> None:
        self._mock.stop()


def free_port() -> int:
    """A port nothing listens on (bound then released), for connect-failure tests."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
