"""Every vendor's sync and async client against a real loopback server that misbehaves.

Complements tests/clients/test_faults.py (retry policy, 5xx, resets before a reply) with
hostile servers: slow headers, slow and trickled bodies, a reset mid-body, a 50 MB body,
invalid UTF-8, HTML on 200, redirect loops and redirects to another host, and CRLF in a
caller-supplied header. Each call ends in the right typed error, within the timeout plus a
margin, with the configured secret in none of str(exc), repr(exc) and repr(client).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.clients.conftest import SECRETS, VENDORS, package, run
from tests.clients.test_vendors import SUCCESS

ALL_VENDORS = ["elevenlabs", "moveworks", "algolia", "clarityq"]
TIMEOUT = 0.3  # seconds, per call (the trickling servers send a byte every 0.1 s)
MARGIN = 1.5  # seconds of slack on top of the timeout (slow CI machines)
HUGE = 50 * 1024 * 1024

Behaviour = Callable[[socket.socket, "RawServer"], None]


@dataclass
class RawServer:
    """A loopback HTTP/1.1 server speaking raw bytes: reads one request, then ``behaviour``."""

    behaviour: Behaviour
    host: str = "127.0.0.1"
    requests: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sock = socket.create_server((self.host, 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://{self.host}:{self.port}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, daemon=True)
        self._accept.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            t = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            t.start()
            self._threads.append(t)

    def _handle(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn:
            conn.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
            self.requests.append(head + b"\r\n\r\n" + body)
            self.behaviour(conn, self)

    def stop(self) -> None:
        self._stop.set()
        self._accept.join()
        self.sock.close()
        for t in self._threads:
            t.join(timeout=0.1)


def _stall(conn: socket.socket, server: RawServer) -> None:
    server._stop.wait(5)


def slow_headers(conn: socket.socket, server: RawServer) -> None:
    _stall(conn, server)


def slow_body(conn: socket.socket, server: RawServer) -> None:
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"sta')
    _stall(conn, server)


def _trickle(conn: socket.socket, server: RawServer, data: bytes) -> None:
    """One byte every 0.1 s: each socket read succeeds well within the per-read timeout."""
    for byte in data:
        if server._stop.is_set():
            return
        conn.sendall(bytes([byte]))
        time.sleep(0.1)


def trickled_headers(conn: socket.socket, server: RawServer) -> None:
    _trickle(conn, server, b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 40)


def trickled_body(conn: socket.socket, server: RawServer) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
    _trickle(conn, server, b'{"status": "' + b"a" * 200)


def reset_mid_body(conn: socket.socket, server: RawServer) -> None:
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"sta')
    time.sleep(0.05)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close sends RST


def huge_body(conn: socket.socket, server: RawServer) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % HUGE)
    block = b"[" + b" " * (1024 * 1024 - 1)
    with contextlib.suppress(OSError):
        for _ in range(HUGE // len(block)):
            conn.sendall(block)


def ok_status(vendor: str) -> str:
    """The success status the vendor's spec declares for the call (Algolia: 201)."""
    return f"{SUCCESS[vendor][1].status} OK"


def reply(status: str, body: bytes, *headers: str) -> Behaviour:
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        lines = [f"HTTP/1.1 {status}", *headers, f"Content-Length: {len(body)}", "Connection: close", "", ""]
        conn.sendall("\r\n".join(lines).encode() + body)

    return behaviour


@pytest.fixture
def vendor_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for info in VENDORS.values():
        for key, value in info.env.items():
            monkeypatch.setenv(key, value)


@pytest.fixture
def servers() -> Iterator[Callable[..., RawServer]]:
    made: list[RawServer] = []

    def factory(behaviour: Behaviour, host: str = "127.0.0.1") -> RawServer:
        srv = RawServer(behaviour, host)
        made.append(srv)
        return srv

    yield factory
    for srv in made:
        srv.stop()


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def make_client(mode: str, vendor_env: None) -> AsyncIterator[Callable[..., Any]]:
    made: list[Any] = []

    def factory(vendor: str, base_url: str, **kwargs: Any) -> Any:
        pkg = package(vendor)
        cls = pkg.Client if mode == "sync" else pkg.AsyncClient
        client = cls(base_url=base_url + VENDORS[vendor].prefix, timeout=TIMEOUT, **kwargs)
        if mode == "sync":
            client._sleep = lambda seconds: None
        else:

            async def no_sleep(seconds: float) -> None:
                return None

            client._sleep = no_sleep
        made.append(client)
        return client

    yield factory
    for client in made:
        if mode == "sync":
            client.close()
        else:
            await client.aclose()


async def call_expecting(vendor: str, client: Any, error: type[BaseException], **kwargs: Any) -> BaseException:
    """Run the vendor's feedback call; it must raise ``error``, fast, without leaking the secret."""
    call, _ = SUCCESS[vendor]
    start = time.monotonic()
    with pytest.raises(error) as info:
        await run(call(client, **kwargs))
    elapsed = time.monotonic() - start
    secret = SECRETS[vendor]
    exc = info.value
    for text in (str(exc), repr(exc), repr(client), str(exc.__cause__), repr(exc.__cause__)):
        assert secret not in text, text
    assert elapsed < TIMEOUT * 3 + MARGIN, f"took {elapsed:.2f}s"
    return exc


VENDOR = pytest.mark.parametrize("vendor", ALL_VENDORS)


@VENDOR
async def test_slow_headers_time_out(servers: Any, make_client: Any, vendor: str) -> None:
    srv = servers(slow_headers)
    client = make_client(vendor, srv.url, max_retries=0)
    await call_expecting(vendor, client, package(vendor).APITimeoutError)
    assert len(srv.requests) == 1


@VENDOR
async def test_slow_body_times_out(servers: Any, make_client: Any, vendor: str) -> None:
    srv = servers(slow_body)
    client = make_client(vendor, srv.url, max_retries=0)
    await call_expecting(vendor, client, package(vendor).APITimeoutError)


@VENDOR
async def test_trickled_body_times_out_as_a_whole(servers: Any, make_client: Any, vendor: str) -> None:
    """httpx timeouts bound each read; the runtime also bounds the whole attempt (connect + write + read)."""
    srv = servers(trickled_body)
    client = make_client(vendor, srv.url, max_retries=0)
    await call_expecting(vendor, client, package(vendor).APITimeoutError)


@VENDOR
async def test_trickled_headers_time_out_as_a_whole(servers: Any, make_client: Any, vendor: str, mode: str) -> None:
    if mode == "sync":
        pytest.xfail("sync: headers trickled byte by byte are bounded only per read (see SECURITY.md)")
    srv = servers(trickled_headers)
    client = make_client(vendor, srv.url, max_retries=0)
    await call_expecting(vendor, client, package(vendor).APITimeoutError)


@VENDOR
async def test_slow_headers_with_retries_stay_bounded(servers: Any, make_client: Any, vendor: str) -> None:
    """Retries multiply the wait only for idempotent calls; a POST times out once and is not resent."""
    srv = servers(slow_headers)
    client = make_client(vendor, srv.url, max_retries=1)
    await call_expecting(vendor, client, package(vendor).APITimeoutError)
    idempotent = vendor == "clarityq"
    assert len(srv.requests) == (2 if idempotent else 1)


@VENDOR
async def test_reset_mid_body_is_a_connection_error(servers: Any, make_client: Any, vendor: str) -> None:
    srv = servers(reset_mid_body)
    client = make_client(vendor, srv.url)
    exc = await call_expecting(vendor, client, package(vendor).APIConnectionError)
    assert not isinstance(exc, package(vendor).APITimeoutError)
    # The reply had started: a non-idempotent POST was processed and must not be resent.
    if vendor in ("elevenlabs", "algolia", "moveworks"):
        assert len(srv.requests) == 1


@VENDOR
async def test_huge_body_is_refused(servers: Any, make_client: Any, vendor: str) -> None:
    """A 50 MB reply is refused once it passes the runtime's cap, with a clear error, never a hang."""
    srv = servers(huge_body)
    client = make_client(vendor, srv.url, max_retries=0)
    exc = await call_expecting(vendor, client, package(vendor).APIResponseValidationError)
    assert "larger than" in str(exc)


@VENDOR
async def test_invalid_utf8_json_body(servers: Any, make_client: Any, vendor: str) -> None:
    srv = servers(reply(ok_status(vendor), b'{"status": "\xff\xfe\xfd"}', "Content-Type: application/json"))
    client = make_client(vendor, srv.url)
    await call_expecting(vendor, client, package(vendor).APIResponseValidationError)


@VENDOR
async def test_html_on_200_is_a_validation_error(servers: Any, make_client: Any, vendor: str) -> None:
    html = b"<html><body>Welcome to the captive portal</body></html>"
    srv = servers(reply(ok_status(vendor), html, "Content-Type: text/html"))
    client = make_client(vendor, srv.url)
    await call_expecting(vendor, client, package(vendor).APIResponseValidationError)


@VENDOR
async def test_redirect_loop_is_not_followed(servers: Any, make_client: Any, vendor: str) -> None:
    holder: list[RawServer] = []

    def loop(conn: socket.socket, server: RawServer) -> None:
        reply("302 Found", b"", f"Location: {server.url}/again")(conn, server)

    srv = servers(loop)
    holder.append(srv)
    client = make_client(vendor, srv.url)
    exc = await call_expecting(vendor, client, package(vendor).APIStatusError)
    assert exc.status_code == 302  # type: ignore[attr-defined]
    assert len(srv.requests) == 1


@VENDOR
@pytest.mark.parametrize("status", ["301 Moved Permanently", "307 Temporary Redirect", "308 Permanent Redirect"])
async def test_redirect_to_another_host_sends_nothing_there(
    servers: Any, make_client: Any, vendor: str, status: str
) -> None:
    other = servers(reply("200 OK", b'{"status": "ok"}', "Content-Type: application/json"), host="127.0.0.2")
    srv = servers(reply(status, b"", f"Location: {other.url}/steal"))
    client = make_client(vendor, srv.url)
    exc = await call_expecting(vendor, client, package(vendor).APIStatusError)
    assert exc.status_code == int(status.split()[0])  # type: ignore[attr-defined]
    assert len(srv.requests) == 1
    time.sleep(0.1)
    assert other.requests == []
    # The first host did get the credential, as configured; the second got nothing at all.
    assert SECRETS[vendor].encode() in srv.requests[0]


@VENDOR
@pytest.mark.parametrize("value", ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\x00b"])
async def test_crlf_in_caller_header_is_refused_before_sending(
    servers: Any, make_client: Any, vendor: str, value: str
) -> None:
    srv = servers(reply("200 OK", b'{"status": "ok"}', "Content-Type: application/json"))
    client = make_client(vendor, srv.url)
    exc = await call_expecting(vendor, client, package(vendor).RequestValidationError, extra_headers={"X-Trace": value})
    assert "X-Injected" not in str(exc)
    time.sleep(0.05)
    assert srv.requests == []


@VENDOR
async def test_crlf_in_client_default_header_is_refused_at_construction(vendor: str, vendor_env: None) -> None:
    pkg = package(vendor)
    for cls in (pkg.Client, pkg.AsyncClient):
        with pytest.raises(pkg.RequestValidationError) as info:
            cls(base_url="http://127.0.0.1:9", default_headers={"X-Trace": "a\r\nX-Injected: 1"})
        assert SECRETS[vendor] not in str(info.value) + repr(info.value)


@VENDOR
async def test_crlf_in_credential_is_refused_without_echoing_it(vendor: str, vendor_env: None) -> None:
    pkg = package(vendor)
    argument = {"elevenlabs": "api_key", "moveworks": "access_token", "algolia": "api_key", "clarityq": "api_key"}
    bad = SECRETS[vendor] + "\r\nX-Injected: 1"
    try:
        with pytest.raises(pkg.RequestValidationError) as info:
            pkg.Client(base_url="http://127.0.0.1:9", **{argument[vendor]: bad})
    except TypeError:
        pytest.skip(f"{vendor} names its credential argument differently")
    assert SECRETS[vendor] not in str(info.value) + repr(info.value)


def _gzip_bomb() -> bytes:
    import gzip

    return gzip.compress(b"\0" * (HUGE // 50 * 40), compresslevel=9)  # ~40 MB inflated, ~40 kB sent


@VENDOR
async def test_gzip_bomb_is_cut_off_while_inflating(servers: Any, make_client: Any, vendor: str) -> None:
    srv = servers(reply(ok_status(vendor), _gzip_bomb(), "Content-Type: application/json", "Content-Encoding: gzip"))
    client = make_client(vendor, srv.url, max_retries=0)
    exc = await call_expecting(vendor, client, package(vendor).APIResponseValidationError)
    assert "larger than" in str(exc)


@VENDOR
async def test_undecodable_gzip_is_a_validation_error(servers: Any, make_client: Any, vendor: str) -> None:
    body = b"this is not gzip at all"
    srv = servers(reply(ok_status(vendor), body, "Content-Type: application/json", "Content-Encoding: gzip"))
    client = make_client(vendor, srv.url, max_retries=0)
    exc = await call_expecting(vendor, client, package(vendor).APIResponseValidationError)
    assert "could not be decoded" in str(exc)


@VENDOR
async def test_response_cap_is_adjustable(servers: Any, make_client: Any, vendor: str) -> None:
    srv = servers(
        reply(ok_status(vendor), b'{"status": "ok", "pad": "' + b"x" * 200 + b'"}', "Content-Type: application/json")
    )
    client = make_client(vendor, srv.url, max_retries=0)
    client.max_response_bytes = 100
    await call_expecting(vendor, client, package(vendor).APIResponseValidationError)
