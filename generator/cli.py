"""Command line: ``python -m generator generate|check ...``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.errors import GeneratorError
from generator.generate import check, generate

EXIT_OK, EXIT_DIFFERENT, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Generate typed Python clients from vendor OpenAPI specs.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--specs", type=Path, default=Path("specs"), help="vendor specs folder (default: specs)")
    parser.add_argument("--out", type=Path, default=Path("generated"), help="output folder (default: generated)")
    parser.add_argument("-q", "--quiet", action="store_true", help="do not print normalization warnings")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    gen = sub.add_parser("generate", help="regenerate generated/ from specs/ (all vendors by default)")
    gen.add_argument("vendors", nargs="*", metavar="VENDOR")

    chk = sub.add_parser("check", help="exit 1 with a diff when generated/ differs from what generate writes")
    chk.add_argument("vendors", nargs="*", metavar="VENDOR")
    chk.add_argument("--stat", action="store_true", help="list differing files without the diff")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 check found differences, 2 error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "generate":
            result = generate(args.specs, args.out, args.vendors or None)
            _print_warnings(result.warnings, args.quiet)
            summary = f"{len(result.changed)} file(s) changed" if result.changed else "already up to date"
            print(f"generated {', '.join(result.vendors) or 'nothing'} into {args.out}: {summary}")
            return EXIT_OK
        if args.command == "check":
            result = check(args.specs, args.out, args.vendors or None)
            _print_warnings(result.warnings, True)
            if not result.differences:
                print(f"{args.out} is up to date with {args.specs} ({', '.join(result.vendors)})")
                return EXIT_OK
            for d in result.differences:
                print(f"{d.kind}: {args.out}/{d.path}")
                if not args.stat and d.diff:
                    print(d.diff, end="" if d.diff.endswith("\n") else "\n")
            print(
                f"\n{len(result.differences)} file(s) in {args.out} differ from what `generate` writes; "
                "run `python -m generator generate` (hand edits to generated files are overwritten).",
                file=sys.stderr,
            )
            return EXIT_DIFFERENT
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted; generated/ left as it was", file=sys.stderr)
        return 130
    parser.error(f"unknown command {args.command!r}")
    return EXIT_ERROR  # unreachable: parser.error exits


def _print_warnings(warnings: Sequence[object], quiet: bool) -> None:
    if quiet:
        return
    for warning in warnings:
        print(warning, file=sys.stderr)
