"""Command line: ``python -m generator COMMAND ...``.

Each command lives in its own module with ``register(subparsers)``, which adds its parser
and sets ``func`` to a callable taking the parsed args and returning the exit code.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from generator import __version__
from generator.cli import cmd_diff, cmd_generate, cmd_import, cmd_mock
from generator.cli.options import EXIT_ERROR, EXIT_INTERNAL, exit_codes
from generator.errors import GeneratorError

# Modules providing ``register(subparsers)``; add new commands here.
COMMAND_MODULES = [cmd_generate, cmd_import, cmd_diff, cmd_mock]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Generate typed Python clients from vendor OpenAPI specs.",
        **exit_codes(
            (0, "success"),
            (1, "`check`: generated/ differs; `diff`: a finding at or above --fail-on"),
            (2, "bad input or usage (file:line: at /pointer: message), nothing written"),
            (130, "interrupted, nothing written"),
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


@contextmanager
def batched_collection(enabled: bool) -> Iterator[None]:
    """Run a one-shot command with the cyclic collector in large batches, as mypy does.

    A run builds one large heap that lives until exit (documents, IR, sources). With the
    default thresholds the collector's full passes rescan it again and again, finding almost
    nothing (3 MB spec: 5 passes, 0.32 s, 329 objects freed), which made time per MB grow
    with size. Restored afterwards, so an in-process caller keeps its own settings.
    """
    previous = gc.get_threshold()
    if enabled:
        gc.set_threshold(200_000, 30, 30)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 differences found, 2 error)."""
    args = build_parser().parse_args(argv)
    try:
        # Not for `mock`: a server runs for hours and should collect as usual.
        with batched_collection(enabled=not getattr(args, "long_running", False)):
            code: int = args.func(args)
        return code
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as exc:
        # A bug in the generator, not in the input. Outputs are written atomically, so
        # nothing is half-written; the traceback is for whoever fixes it.
        if os.environ.get("CODEGEN_DEBUG"):
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in the generator; nothing was written. Rerun with CODEGEN_DEBUG=1 for the traceback.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
