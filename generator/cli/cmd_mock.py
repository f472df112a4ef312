"""``python -m generator mock VENDOR|SPEC_FILE``: serve a spec's operations on loopback."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from generator.cli.options import exit_codes
from generator.errors import GeneratorError


def register(sub: Any) -> None:
    """Add ``mock`` to the CLI."""
    cmd = sub.add_parser(
        "mock",
        help="serve a vendor's operations from its spec (examples or synthesized payloads, checks, faults)",
        description="Serve VENDOR (a folder under --specs) or SPEC_FILE until SIGINT/SIGTERM. Prints the base URL "
        "on the first line of stdout. Per request: 'Prefer: code=404, example=NAME, dynamic=true' and "
        "'Mock-Fault: SPEC' (same syntax as --fault).",
        **exit_codes(
            (0, "served until SIGINT or SIGTERM, then stopped cleanly"),
            (2, "bad input: unknown vendor, invalid spec, bad --fault, cannot bind or write the journal"),
        ),
    )
    cmd.add_argument("source", metavar="VENDOR|SPEC_FILE")
    cmd.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: loopback only)")
    cmd.add_argument("--port", type=int, default=4010, help="port (default 4010; 0 picks a free one)")
    cmd.add_argument("--specs", type=Path, default=None, help="vendor specs folder (default: specs)")
    cmd.add_argument("--seed", type=int, default=0, help="seed for synthesized payloads and fault rates (default 0)")
    cmd.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help="KIND[=VALUE][@RATE][*COUNT], repeatable; KIND is latency (ms), 429 (Retry-After s), 5xx (status), "
        "reset, trickle (ms per 8 bytes), truncate or malformed; e.g. --fault 5xx@0.1 --fault 429=3*1",
    )
    cmd.add_argument("--journal", type=Path, help="append one JSON line per request to this file")
    cmd.add_argument(
        "--proxy", metavar="UPSTREAM", help="forward to UPSTREAM (the vendor's base URL) and check both ways"
    )
    cors = cmd.add_mutually_exclusive_group()
    cors.add_argument(
        "--cors", dest="cors", action="store_true", default=None, help="answer CORS (default on loopback)"
    )
    cors.add_argument("--no-cors", dest="cors", action="store_false", help="never send CORS headers")
    cmd.set_defaults(func=run_mock, long_running=True)


def run_mock(args: argparse.Namespace) -> int:
    """Load the spec, bind, announce the URL, serve until a signal."""
    from generator.mock.server import MockServer, is_loopback, serve_forever

    if not is_loopback(args.host):
        print(
            f"warning: binding {args.host}: the mock is reachable from other machines, not only this one "
            "(use --host 127.0.0.1 to keep it local)",
            file=sys.stderr,
        )
    if args.journal is not None:
        try:
            args.journal.open("a", encoding="utf-8").close()
        except OSError as exc:
            raise GeneratorError(f"--journal {args.journal}: {exc.strerror or exc}") from None
    server = MockServer(
        args.source,
        host=args.host,
        port=args.port,
        specs_dir=args.specs,
        seed=args.seed,
        faults=args.fault,
        cors=args.cors,
        journal=args.journal,
        proxy=args.proxy,
        journal_in_memory=0,  # nobody reads it in the foreground; --journal writes the file
    )
    operations = len(server.spec.routes) if server.spec is not None else 0

    def announce(url: str) -> None:
        print(url, flush=True)
        print(
            f"mock: serving {args.source} ({operations} operations) at {url}; Ctrl-C stops", file=sys.stderr, flush=True
        )

    try:
        serve_forever(server, announce=announce)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0
