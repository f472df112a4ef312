"""The ``diff`` command: what changed between two versions of a spec, and what it does to the client."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from generator.diff.ignore import apply_ignores, exit_code, read_ignore_file
from generator.diff.render import FORMATS, renderer
from generator.errors import GeneratorError


def register(sub: Any) -> None:
    """Add ``diff`` to the CLI."""
    parser = sub.add_parser(
        "diff",
        help="report breaking and other changes between two specs (files, vendors, or a vendor vs a git revision)",
        description=(
            "Compare OLD and NEW (spec files or vendor names) after normalization, or, with --base, "
            "a vendor's spec as committed at REV against the working tree."
        ),
    )
    parser.add_argument("old", metavar="OLD", help="old spec file or vendor name (the vendor, with --base)")
    parser.add_argument("new", metavar="NEW", nargs="?", help="new spec file or vendor name")
    parser.add_argument("--base", metavar="REV", help="git revision holding the old spec of vendor OLD")
    parser.add_argument("--specs", type=Path, default=Path("specs"), help="vendor specs folder (default: specs)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--fail-on",
        type=str.upper,
        choices=("ERR", "WARN", "INFO"),
        help="exit 1 when a finding at or above this level remains",
    )
    parser.add_argument("--ignore", type=Path, metavar="FILE", help="accepted findings: `rule-id [operation]` lines")
    parser.add_argument(
        "--deprecation-days",
        nargs=2,
        type=int,
        metavar=("BETA", "STABLE"),
        help="deprecation policy: days of notice (x-sunset) beta and stable operations must give",
    )
    parser.add_argument(
        "--min-stability",
        choices=("draft", "alpha", "beta", "stable"),
        default="draft",
        help="compare only operations at least this stable (x-stability-level; default: all)",
    )
    parser.add_argument(
        "--no-validate",
        dest="validate",
        action="store_false",
        help="skip validating both specs against OpenAPI (its errors are otherwise reported as notes, never fatal)",
    )
    parser.set_defaults(func=run_diff)


def run_diff(args: argparse.Namespace) -> int:
    """Load both sides, diff, print, and exit by ``--fail-on``."""
    # Imported here so that other commands do not pay for loading the diff engine.
    from generator.diff.compare import diff_sides
    from generator.diff.inputs import load_pair, load_vendor_at_revision

    if args.base is not None:
        if args.new is not None:
            raise GeneratorError("with --base give only the vendor name: `diff VENDOR --base REV`")
        old, new = load_vendor_at_revision(args.old, args.base, args.specs, validate=args.validate)
    else:
        if args.new is None:
            raise GeneratorError(
                "give two specs (`diff OLD NEW`) or a vendor and a revision (`diff VENDOR --base REV`)"
            )
        old, new = load_pair(args.old, args.new, args.specs, validate=args.validate)
    days = tuple(args.deprecation_days) if args.deprecation_days else None
    findings = diff_sides(old, new, deprecation_days=days, min_stability=args.min_stability)
    notes = [f"{old.label}: {n}" for n in old.finish_notes()] + [f"{new.label}: {n}" for n in new.finish_notes()]
    ignored = 0
    if args.ignore is not None:
        findings, ignored = apply_ignores(findings, read_ignore_file(args.ignore))
    if args.format == "github":
        from generator.diff.locate import with_lines

        findings = with_lines(findings, old, new)
    sys.stdout.write(renderer(args.format)(findings, old.label, new.label, notes))
    if ignored and args.format in ("text", "markdown"):
        print(f"({ignored} finding(s) accepted by {args.ignore})")
    return exit_code(findings, args.fail_on)
