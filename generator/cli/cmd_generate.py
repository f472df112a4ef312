"""The ``generate`` and ``check`` commands."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from generator.cli.options import EXIT_DIFFERENT, EXIT_OK, closing_line, common_options, exit_codes, print_warnings
from generator.cli.progress import terminal_progress
from generator.pipeline import check, generate

NO_INPUT = "bad input (file:line: at /pointer: message), an unknown vendor, or no vendor specs under --specs"
STRICT_EXIT = "; with --strict also a validation finding or a skip"
STRICT_HELP = "fail (exit 2) on OpenAPI validation findings and on anything left out of the client, instead of warning"


def register(sub: Any) -> None:
    """Add ``generate`` and ``check`` to the CLI."""
    gen = sub.add_parser(
        "generate",
        parents=[common_options()],
        help="regenerate generated/ from specs/ (all vendors by default)",
        **exit_codes((0, "generated (or already up to date)"), (2, NO_INPUT + STRICT_EXIT)),
    )
    gen.add_argument("vendors", nargs="*", metavar="VENDOR")
    gen.add_argument("--strict", action="store_true", help=STRICT_HELP)
    gen.set_defaults(func=run_generate)

    chk = sub.add_parser(
        "check",
        parents=[common_options()],
        help="exit 1 with a diff when generated/ differs from what generate writes",
        **exit_codes(
            (0, "generated/ is exactly what `generate` writes"),
            (1, "generated/ differs (the diff is printed; run `generate`)"),
            (2, NO_INPUT + STRICT_EXIT),
        ),
    )
    chk.add_argument("vendors", nargs="*", metavar="VENDOR")
    chk.add_argument("--stat", action="store_true", help="list differing files without the diff")
    chk.add_argument("--full", action="store_true", help="regenerate in memory even when the manifests match")
    chk.add_argument("--strict", action="store_true", help=STRICT_HELP)
    chk.set_defaults(func=run_check)


def run_generate(args: argparse.Namespace) -> int:
    """Regenerate and report what changed."""
    result = generate(args.specs, args.out, args.vendors or None, progress=terminal_progress(), strict=args.strict)
    print_warnings(result.warnings, args.quiet, args.verbose)
    summary = f"{len(result.changed)} file(s) changed" if result.changed else "already up to date"
    print(f"generated {', '.join(result.vendors) or 'nothing'} into {args.out}: {summary}")
    print(closing_line(result.apis, result.warnings))
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    """Exit 1 and print a diff when generated/ is stale or hand-edited."""
    # --strict judges the specs, which manifest hashes cannot: it always loads them.
    full = args.full or args.strict
    result = check(
        args.specs, args.out, args.vendors or None, full=full, progress=terminal_progress(), strict=args.strict
    )
    if not result.differences:
        how = " (by manifest hashes; --full regenerates)" if result.verified_by_manifest else ""
        print(f"{args.out} is up to date with {args.specs} ({', '.join(result.vendors)}){how}")
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
