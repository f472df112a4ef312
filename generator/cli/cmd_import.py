"""The ``import`` command: vendor additional endpoints from a vendor's OpenAPI document or docs page."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from generator.cli.options import EXIT_OK, common_options, exit_codes, print_warnings
from generator.importer import DEFAULT_TIMEOUT
from generator.importer.errors import ImportError_

if TYPE_CHECKING:
    from generator.importer.run import ImportOutcome


def register(sub: Any) -> None:
    """Add ``import`` to the CLI."""
    cmd = sub.add_parser(
        "import",
        parents=[common_options()],
        help="add operations (and the components they need) from a document or docs page to a vendor's spec",
        description=(
            "Copy the selected operations of SOURCE (a file or http(s) URL holding an OpenAPI document, or a docs "
            "page embedding one in a ```yaml block) into specs/VENDOR, with exactly the components they "
            "reference, then regenerate VENDOR. With no selector every operation is imported. Relative file "
            "references are bundled (for a URL, fetched relative to it). A component or operation that exists with "
            "the same meaning is shared (differing only in title, description, examples or x- extensions: a warning). "
            "A new VENDOR gets its folder and vendor.yaml; its spec is JSON when SOURCE is."
        ),
        **exit_codes(
            (0, "imported or refreshed (with --dry-run: reported, nothing written)"),
            (2, "bad input, an unreadable source, or conflicting components (nothing written)"),
        ),
    )
    cmd.add_argument("vendor", metavar="VENDOR")
    cmd.add_argument("source", metavar="SOURCE", nargs="?", help="file or http(s) URL (not with --refresh)")
    cmd.add_argument("--operation", dest="operation_ids", action="append", default=[], metavar="ID")
    cmd.add_argument(
        "--path", dest="paths", action="append", default=[], metavar="PATH", help="exact path, or a glob: '/1/agents*'"
    )
    cmd.add_argument("--tag", dest="tags", action="append", default=[], metavar="TAG")
    conflicts = cmd.add_mutually_exclusive_group()
    conflicts.add_argument(
        "--rename-conflicts",
        action="store_true",
        help="import a component whose name is taken by different content as NAME2, NAME3... (refs rewritten); "
        "operations cannot be renamed",
    )
    conflicts.add_argument(
        "--replace", action="store_true", help="overwrite the vendor's components and operations of the same name"
    )
    cmd.add_argument(
        "--refresh",
        action="store_true",
        help="re-read every recorded source and re-import what changed (components only that source's operations "
        "use are updated; components nothing references any more are removed)",
    )
    cmd.add_argument("--dry-run", action="store_true", help="report only; write nothing (exits as the real run would)")
    cmd.add_argument("--no-generate", action="store_true", help="do not regenerate the vendor afterwards")
    cmd.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds to wait for a URL")
    new = cmd.add_argument_group("new vendors")
    new.add_argument("--package", help="package name under generated/ (default: from VENDOR)")
    new.add_argument("--client-class", help="client class name (default: <Vendor>Client)")
    new.add_argument(
        "--credential",
        dest="credentials",
        action="append",
        default=[],
        metavar="SCHEME=ARG[:ENV]",
        help="client argument (and env var) for a security scheme; default per scheme: VENDOR_ARG",
    )
    cmd.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run an import or a refresh."""
    from generator.importer.refresh import run_refresh
    from generator.importer.run import ImportRequest, run_import

    if args.refresh and args.source:
        raise ImportError_("--refresh re-reads the recorded sources; give no SOURCE")
    if not args.refresh and not args.source:
        raise ImportError_("SOURCE is required (or --refresh)")
    request = ImportRequest(
        vendor=args.vendor,
        source=args.source or "",
        specs_dir=args.specs,
        out_dir=args.out,
        operation_ids=args.operation_ids,
        paths=args.paths,
        tags=args.tags,
        rename_conflicts=args.rename_conflicts,
        replace=args.replace,
        dry_run=args.dry_run,
        regenerate=not args.no_generate,
        timeout=args.timeout,
        package=args.package,
        client_class=args.client_class,
        credentials=args.credentials,
    )
    if args.refresh:
        outcome = run_refresh(request)
        counts = {s: sum(1 for x in outcome.statuses if x.status == s) for s in ("unchanged", "changed", "gone")}
        summary = ", ".join(f"{n} {s}" for s, n in counts.items())
        how = " (by content hash; API changes by generator.diff)" if outcome.used_diff_module else " (by content hash)"
        print(f"refresh {args.vendor}: {summary}{how}")
        for applied in outcome.applied:
            _print_outcome(applied, args)
        return EXIT_OK
    _print_outcome(run_import(request), args)
    return EXIT_OK


# A whole published spec imports a thousand operations: list a few, count the rest (as warnings do).
LISTED = 10


def _listing(items: list[str], verbose: bool) -> str:
    """``items`` comma-separated; past ``LISTED`` (unless verbose) the rest as a count."""
    if verbose or len(items) <= LISTED:
        return ", ".join(items)
    return f"{', '.join(items[:LISTED])} and {len(items) - LISTED} more ({len(items)} in all; -v lists all)"


def _print_outcome(outcome: ImportOutcome, args: argparse.Namespace) -> None:
    report = outcome.report
    verb = "would import" if args.dry_run else "imported"
    what = "new vendor " if outcome.created_vendor else ""
    print(f"{verb} into {what}{outcome.vendor} ({outcome.spec_path}):")
    for label, items in (
        ("added", report.added),
        ("replaced", report.replaced),
        ("unchanged", report.unchanged),
        ("components added", report.components_added),
        ("components shared (identical)", report.components_shared),
        ("components replaced", report.components_replaced),
        ("components removed (nothing references them any more)", report.components_removed),
    ):
        if items:
            print(f"  {label}: {_listing(items, args.verbose)}")
    for old, new in report.renamed.items():
        print(f"  renamed: {old} -> {new} (references rewritten)")
    for note in report.notes:
        print(f"  note: {note}")
    for warning in report.warnings:
        print(f"  warning: {warning}")
    for warning in outcome.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if outcome.generated is not None:
        print_warnings(outcome.generated.warnings, args.quiet, args.verbose)
        changed = len(outcome.generated.changed)
        print(f"regenerated {outcome.vendor} into {args.out}: {changed} file(s) changed")
    elif args.dry_run:
        print("dry run: nothing was written", file=sys.stderr)
