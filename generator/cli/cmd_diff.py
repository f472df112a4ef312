"""The ``diff`` command: what changed between two versions of a spec, and what it does to the client."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from generator.cli.options import exit_codes
from generator.diff.render import FORMATS, RENDERERS, apply_ignores, exit_code, read_ignore_file
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
        **exit_codes(
            (0, "no finding at or above --fail-on (always, without --fail-on)"),
            (1, "a finding at or above --fail-on remains after --ignore"),
            (2, "bad input: a spec, vendor, --ignore file or --base revision that cannot be read"),
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
        help="exit 1 when a finding at or above this level remains (default: none; report only, exit 0)",
    )
    parser.add_argument(
        "--ignore",
        type=Path,
        metavar="FILE",
        help="accepted findings: `rule-id [operation]` lines; an unknown rule id is an error",
    )
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
    parser.add_argument("--validate", action="store_true", help="also validate both specs against OpenAPI")
    parser.set_defaults(func=run_diff)


def run_diff(args: argparse.Namespace) -> int:
    """Load both sides, diff, print, and exit by ``--fail-on``."""
    # Imported here so that other commands do not pay for loading the diff engine.
    from generator.diff.compare import diff_apis
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
    findings = diff_apis(
        old.api,
        new.api,
        old_file=old.file,
        new_file=new.file,
        deprecation_days=days,
        min_stability=args.min_stability,
    )
    ignored = 0
    if args.ignore is not None:
        findings, ignored = apply_ignores(findings, read_ignore_file(args.ignore))
    sys.stdout.write(RENDERERS[args.format](findings, old.label, new.label))
    if ignored and args.format in ("text", "markdown"):
        print(f"({ignored} finding(s) accepted by {args.ignore})")
    return exit_code(findings, args.fail_on)
