"""A loopback TCP server that writes each reply byte by byte as a test scripts it.

For what an HTTP server library hides: bodies split across TCP reads at awkward places,
connections closed mid-body, and noticing when the client hangs up.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class RawRequest:
    head: str
    body: bytes

    @property
    def request_line(self) -> str:
        return self.head.split("\r\n", 1)[0]


@dataclass
class Conn:
    """The server side of one connection, handed to the scripted action."""

    sock: socket.socket
    request: RawRequest
    closed_by_client: threading.Event = field(default_factory=threading.Event)

    def send(self, data: bytes, pause: float = 0.0) -> None:
        self.sock.sendall(data)
        if pause:
            time.sleep(pause)

    def chunk(self, data: bytes, pause: float = 0.02) -> None:
        """One HTTP/1.1 chunk (chunked transfer encoding), then a pause so it is its own TCP read."""
        self.send(f"{len(data):x}\r\n".encode() + data + b"\r\n", pause)

    def end_chunks(self) -> None:
        self.send(b"0\r\n\r\n")


Action = Callable[[Conn], None]

SSE_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
    b"Cache-Control: no-cache\r\n\r\n"
)


class RawServer:
    """Accepts connections on 127.0.0.1; each request is answered by the next scripted action."""

    def __init__(self) -> None:
        self.actions: list[Action] = []
        self.requests: list[RawRequest] = []
        self.conns: list[Conn] = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, daemon=True)
        self._accept.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, *actions: Action) -> None:
        self.actions.extend(actions)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            thread = threading.Thread(target=self._handle, args=(sock,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _handle(self, sock: socket.socket) -> None:
        with contextlib.closing(sock):
            sock.settimeout(5)
            while not self._stop.is_set():
                request = self._read_request(sock)
                if request is None:
                    return
                self.requests.append(request)
                conn = Conn(sock, request)
                self.conns.append(conn)
                action = self.actions.pop(0) if self.actions else _unscripted
                try:
                    action(conn)
                except OSError:
                    conn.closed_by_client.set()
                    return
                if getattr(action, "closes", False):
                    return

    @staticmethod
    def _read_request(sock: socket.socket) -> RawRequest | None:
        data = b""
        while b"\r\n\r\n" not in data:
            try:
                got = sock.recv(65536)
            except OSError:
                return None
            if not got:
                return None
            data += got
        head, _, rest = data.partition(b"\r\n\r\n")
        text = head.decode("latin-1")
        length = 0
        for line in text.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        while len(rest) < length:
            got = sock.recv(65536)
            if not got:
                break
            rest += got
        return RawRequest(text, rest[:length])

    def stop(self) -> None:
        self._stop.set()
        self._sock.close()
        for thread in self._threads:
            thread.join(timeout=2)


def closes(action: Action) -> Action:
    """Mark an action that leaves the connection closed (no further requests on it)."""
    action.closes = True  # type: ignore[attr-defined]
    return action


def _unscripted(conn: Conn) -> None:
    conn.send(b"HTTP/1.1 599 Unscripted\r\nContent-Length: 0\r\n\r\n")


def wait_for(predicate: Callable[[], bool], timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
