"""The ``diff`` command: what changed between two versions of a spec, and what it does to the client."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from generator.cli.options import exit_codes
from generator.diff.ignore import apply_ignores, exit_code, read_ignore_file
from generator.diff.render import FORMATS, renderer
from generator.errors import GeneratorError, SpecError

# Read from the current directory (the repository root, in CI) when --config is not given, as oasdiff does.
CONFIG_NAMES = ("oasdiff.yaml", "oasdiff.yml", "oasdiff.json")
# Values the options take when neither the command line nor the config file sets them.
DEFAULTS: dict[str, Any] = {
    "format": "text",
    "min_stability": "draft",
    "validate": True,
    "composed": False,
    "specs": Path("specs"),
}


def register(sub: Any) -> None:
    """Add ``diff`` to the CLI."""
    parser = sub.add_parser(
        "diff",
        help="report breaking and other changes between two specs (files, vendors, or a vendor vs a git revision)",
        description=(
            "Compare OLD and NEW (spec files or vendor names) after normalization, or, with --base, "
            "a vendor's spec as committed at REV against the working tree. Options may also be set in "
            f"a config file ({', '.join(CONFIG_NAMES)} in the current directory, or --config) whose keys "
            "are the option names without dashes (fail-on: ERR); the command line wins."
        ),
        **exit_codes(
            (0, "no finding at or above --fail-on (always, without --fail-on)"),
            (1, "a finding at or above --fail-on remains after the ignore files"),
            (2, "bad input: a spec, vendor, ignore or config file or --base revision that cannot be read"),
        ),
    )
    parser.add_argument("old", metavar="OLD", help="old spec file, vendor name, or glob with --composed")
    parser.add_argument("new", metavar="NEW", nargs="?", help="new spec file, vendor name, or glob with --composed")
    parser.add_argument("--base", metavar="REV", help="git revision holding the old spec of vendor OLD")
    parser.add_argument("--specs", type=Path, help="vendor specs folder (default: specs)")
    parser.add_argument("--config", type=Path, metavar="FILE", help="options file (default: ./oasdiff.yaml if any)")
    parser.add_argument("--format", choices=FORMATS, help="output format (default: text)")
    parser.add_argument(
        "--fail-on",
        type=str.upper,
        choices=("ERR", "WARN", "INFO"),
        help="exit 1 when a finding at or above this level remains (default: none; report only, exit 0)",
    )
    parser.add_argument("--ignore", type=Path, metavar="FILE", help="accepted findings: `rule-id [METHOD /path]` lines")
    parser.add_argument("--err-ignore", type=Path, metavar="FILE", help="as --ignore, for ERR findings only")
    parser.add_argument("--warn-ignore", type=Path, metavar="FILE", help="as --ignore, for WARN findings only")
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
        help="compare only operations at least this stable (x-stability-level; default: all)",
    )
    parser.add_argument("--match-path", metavar="REGEX", help="compare only paths matching this regex")
    parser.add_argument("--unmatch-path", metavar="REGEX", help="leave out paths matching this regex")
    parser.add_argument("--strip-prefix-base", metavar="PREFIX", help="strip this prefix from OLD's paths")
    parser.add_argument("--strip-prefix-revision", metavar="PREFIX", help="strip this prefix from NEW's paths")
    parser.add_argument("--prefix-base", metavar="PREFIX", help="add this prefix to OLD's paths (after stripping)")
    parser.add_argument("--prefix-revision", metavar="PREFIX", help="add this prefix to NEW's paths (after stripping)")
    parser.add_argument(
        "--exclude-elements",
        action="append",
        metavar="LIST",
        help="leave out: description, examples, title, summary (never reported anyway), extensions (x-* keys), "
        "endpoints (endpoint added/removed findings); comma-separated or repeated",
    )
    parser.add_argument(
        "-c",
        "--composed",
        action="store_true",
        default=None,
        help="OLD and NEW are globs of specs (one service per file), matched by path",
    )
    parser.add_argument(
        "--attributes",
        action="append",
        metavar="LIST",
        help="operation extensions to copy onto each finding (e.g. x-team); comma-separated or repeated",
    )
    parser.add_argument(
        "--no-validate",
        dest="validate",
        action="store_false",
        default=None,
        help="skip validating both specs against OpenAPI (its errors are otherwise reported as notes, never fatal)",
    )
    parser.set_defaults(func=run_diff)


def _config_file(args: argparse.Namespace) -> Path | None:
    if args.config is not None:
        if not args.config.is_file():
            raise GeneratorError(f"--config: no such file {args.config}")
        return Path(args.config)
    return next((Path(name) for name in CONFIG_NAMES if Path(name).is_file()), None)


def apply_config(args: argparse.Namespace) -> None:
    """Fill options the command line left unset from the config file, then from ``DEFAULTS``."""
    path = _config_file(args)
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
            values = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise SpecError(f"cannot read the diff config: {exc}", file=path) from None
        if values is None:
            values = {}
        if not isinstance(values, dict):
            raise SpecError("the diff config must be a mapping of option names to values", file=path)
        settable = {a for a in vars(args) if a not in ("old", "new", "func", "config", "command")}
        for key, value in values.items():
            dest = str(key).replace("-", "_")
            if dest not in settable:
                known = ", ".join(sorted(k.replace("_", "-") for k in settable))
                raise SpecError(f"unknown option {key!r} (known: {known})", file=path, pointer=f"/{key}")
            if getattr(args, dest) is None:
                if dest in ("specs", "ignore", "err_ignore", "warn_ignore"):
                    value = path.parent / str(value)
                elif dest in ("exclude_elements", "attributes"):
                    value = [value] if isinstance(value, str) else [str(v) for v in value]
                elif dest == "fail_on":
                    value = str(value).upper()
                setattr(args, dest, value)
    for dest, value in DEFAULTS.items():
        if getattr(args, dest, None) is None:
            setattr(args, dest, value)


def run_diff(args: argparse.Namespace) -> int:
    """Load both sides, diff, print, and exit by ``--fail-on``."""
    # Imported here so that other commands do not pay for loading the diff engine.
    from generator.diff.compare import diff_composed, diff_sides
    from generator.diff.inputs import load_composed, load_pair, load_vendor_at_revision
    from generator.diff.options import (
        ENDPOINT_RULES,
        DocumentOptions,
        compile_path_pattern,
        parse_elements,
    )

    apply_config(args)
    if args.format not in FORMATS:
        raise GeneratorError(f"format {args.format!r} is not one of {', '.join(FORMATS)}")
    exclude = parse_elements(args.exclude_elements)
    match, unmatch = (
        compile_path_pattern(args.match_path, "--match-path"),
        compile_path_pattern(args.unmatch_path, "--unmatch-path"),
    )
    options = (
        DocumentOptions(match, unmatch, args.strip_prefix_base or "", args.prefix_base or "", exclude),
        DocumentOptions(match, unmatch, args.strip_prefix_revision or "", args.prefix_revision or "", exclude),
    )
    days = tuple(args.deprecation_days) if args.deprecation_days else None
    attributes = tuple(a.strip() for value in args.attributes or () for a in value.split(",") if a.strip())
    if args.composed:
        if args.new is None or args.base is not None:
            raise GeneratorError("--composed compares two globs: `diff --composed 'old/*.yaml' 'new/*.yaml'`")
        olds, news = load_composed(args.old, args.new, validate=args.validate, options=options)
        findings = diff_composed(
            olds, news, deprecation_days=days, min_stability=args.min_stability, attributes=attributes
        )
        old_label, new_label = args.old, args.new
        notes = [f"{s.label}: {n}" for s in (*olds, *news) for n in s.finish_notes()]
        old = new = None
    else:
        if args.base is not None:
            if args.new is not None:
                raise GeneratorError("with --base give only the vendor name: `diff VENDOR --base REV`")
            old, new = load_vendor_at_revision(args.old, args.base, args.specs, validate=args.validate, options=options)
        else:
            if args.new is None:
                raise GeneratorError(
                    "give two specs (`diff OLD NEW`) or a vendor and a revision (`diff VENDOR --base REV`)"
                )
            old, new = load_pair(args.old, args.new, args.specs, validate=args.validate, options=options)
        findings = diff_sides(old, new, deprecation_days=days, min_stability=args.min_stability, attributes=attributes)
        old_label, new_label = old.label, new.label
        notes = [f"{old.label}: {n}" for n in old.finish_notes()] + [f"{new.label}: {n}" for n in new.finish_notes()]
    if "endpoints" in exclude:
        findings = [f for f in findings if f.id not in ENDPOINT_RULES]
    accepted = []
    for path, level in ((args.ignore, ""), (args.err_ignore, "ERR"), (args.warn_ignore, "WARN")):
        if path is not None:
            findings, count = apply_ignores(findings, read_ignore_file(Path(path), level))
            if count:
                accepted.append(f"{count} finding(s) accepted by {path}")
    if args.format == "github" and old is not None and new is not None:
        from generator.diff.locate import with_lines

        findings = with_lines(findings, old, new)
    sys.stdout.write(renderer(args.format)(findings, old_label, new_label, notes))
    if accepted and args.format in ("text", "markdown"):
        print(f"({'; '.join(accepted)})")
    return exit_code(findings, args.fail_on)
