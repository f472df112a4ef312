"""Run the mock: in a background thread for tests (``MockServer``, ``mock_server``) or until a signal (CLI)."""

from __future__ import annotations

import asyncio
import gc
import ipaddress
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiohttp import web

from generator.errors import GeneratorError
from generator.ir.load import LoadedSpec, load_spec, load_vendor
from generator.mock.app import MockApp, MockOptions, RecordedRequest, Reply
from generator.mock.faults import Fault, parse_faults
from generator.mock.routes import MockSpec
from generator.spec.config import CONFIG_FILE, load_config

SHUTDOWN_TIMEOUT = 5.0  # seconds open requests get to finish on SIGINT/SIGTERM


def default_specs_dir() -> Path:
    """``./specs`` when it exists, else the specs folder of this checkout."""
    here = Path("specs")
    return here if here.is_dir() else Path(__file__).resolve().parents[2] / "specs"


def load_source(source: str | Path, specs_dir: Path | None = None) -> LoadedSpec:
    """A vendor name under ``specs_dir``, or an OpenAPI file (with its vendor.yaml when one is beside it)."""
    path = Path(source)
    if path.is_file():
        if (path.parent / CONFIG_FILE).is_file():
            config = load_config(path.parent)
            if config.spec_path.resolve() == path.resolve():
                return load_spec(path, config)
        return load_spec(path)
    if isinstance(source, Path) or "/" in str(source) or str(source).endswith((".yaml", ".yml", ".json")):
        raise GeneratorError(f"{source}: no such spec file")
    return load_vendor(specs_dir or default_specs_dir(), str(source))


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_options(
    *,
    seed: int = 0,
    faults: Sequence[str | Fault] = (),
    cors: bool | None = None,
    host: str = "127.0.0.1",
    journal: Path | str | None = None,
    proxy: str | None = None,
    journal_in_memory: int = 100_000,
) -> MockOptions:
    """Options from user-facing values (fault spec strings parsed, CORS defaulting to loopback-only)."""
    parsed: list[Fault] = []
    for fault in faults:
        parsed.extend(parse_faults(fault) if isinstance(fault, str) else [fault])
    return MockOptions(
        seed=seed,
        faults=parsed,
        cors=is_loopback(host) if cors is None else cors,
        journal_path=Path(journal) if journal is not None else None,
        proxy=proxy,
        journal_in_memory=journal_in_memory,
    )


class MockServer:
    """A mock serving one spec from a background thread; ``url`` is the base URL clients take.

    ``source=None`` serves no spec: every request is recorded and answered from ``script()``.
    """

    def __init__(
        self,
        source: str | Path | None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        specs_dir: Path | None = None,
        **options: Any,
    ) -> None:
        self.host = host
        self.spec = MockSpec(load_source(source, specs_dir)) if source is not None else None
        self.app = MockApp(self.spec, make_options(host=host, **options))
        self._port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """``http://host:port`` plus the spec's base path."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{self.spec.base_path if self.spec is not None else ''}"

    @property
    def journal(self) -> list[dict[str, Any]]:
        """Every request so far, as the JSON-lines journal records it."""
        return list(self.app.journal)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request so far as received (headers and body included; in memory only)."""
        return list(self.app.requests)

    def script(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order (the checks still run and are recorded)."""
        self.app.replies.extend(replies)

    @property
    def default_reply(self) -> Reply | None:
        """The answer to unscripted requests; None answers from the spec."""
        return self.app.default_reply

    @default_reply.setter
    def default_reply(self, reply: Reply | None) -> None:
        self.app.default_reply = reply

    def start(self) -> MockServer:
        """Start serving; returns once the socket listens."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                self._runner, self.port = loop.run_until_complete(_listen(self.app, self.host, self._port))
            except BaseException as exc:  # reported to start()'s caller
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        name = self.spec.name if self.spec is not None else "scripted"
        self._thread = threading.Thread(target=run, name=f"mock-{name}", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise GeneratorError(f"mock could not listen on {self.host}:{self._port}: {failure[0]}")
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def mock_server(source: str | Path, **kwargs: Any) -> Iterator[str]:
    """``with mock_server("algolia") as url: Client(base_url=url)``; keyword arguments as ``MockServer``."""
    with MockServer(source, **kwargs) as server:
        yield server.url


async def _listen(app: MockApp, host: str, port: int) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app.build(), access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_TIMEOUT)
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_address=True)
    await site.start()
    sockets = getattr(site._server, "sockets", None) or ()
    bound = sockets[0].getsockname()[1] if sockets else port
    return runner, int(bound)


def serve_forever(
    server: MockServer,
    *,
    announce: Callable[[str], None] = print,
    stop_signals: Sequence[int] = (signal.SIGINT, signal.SIGTERM),
) -> None:
    """Serve in the foreground until SIGINT/SIGTERM, then finish open requests and close."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in stop_signals:
            loop.add_signal_handler(sig, stop.set)
        runner, server.port = await _listen(server.app, server.host, server._port)
        # The loaded spec, its IR and the spec tooling live until exit: keep the collector from
        # rescanning them on every full collection (bench_mock: 0.57x -> 0.73-0.76x of the reference).
        gc.freeze()
        announce(server.url)
        await stop.wait()
        print("mock: stopping", file=sys.stderr, flush=True)
        await runner.cleanup()

    asyncio.run(main())
