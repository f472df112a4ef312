"""Options every subcommand accepts, and shared CLI output helpers."""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator import ir
from generator.errors import SpecWarning

# Exit codes of every command: 1 is "differences found" (check, diff --fail-on), 2 an input error,
# 3 a bug in the generator.
EXIT_OK, EXIT_DIFFERENT, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3


def common_options() -> argparse.ArgumentParser:
    """A parent parser with ``--specs``, ``--out``, ``-q`` and ``-v`` for ``add_parser(parents=[...])``."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--specs", type=Path, default=Path("specs"), help="vendor specs folder (default: specs)")
    parent.add_argument("--out", type=Path, default=Path("generated"), help="output folder (default: generated)")
    parent.add_argument("-q", "--quiet", action="store_true", help="do not print warnings")
    parent.add_argument(
        "-v", "--verbose", action="store_true", help="print every warning (default: each kind once, with a count)"
    )
    return parent


INTERNAL_ERROR = (3, "internal error: a bug in the generator, nothing written (CODEGEN_DEBUG=1 shows the traceback)")


class _HelpFormatter(argparse.HelpFormatter):
    """Wraps descriptions as usual but keeps the exit-code table's lines as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("exit codes:"):
            return "\n".join(indent + line for line in text.splitlines())
        return super()._fill_text(text, width, indent)


def exit_codes(*codes: tuple[int, str]) -> dict[str, Any]:
    """``add_parser`` keywords ending the command's ``--help`` with its exit codes (``INTERNAL_ERROR`` added)."""
    rows = sorted([*codes, INTERNAL_ERROR])
    text = "exit codes:\n" + "\n".join(f"  {code:<3} {meaning}" for code, meaning in rows)
    return {"epilog": text, "formatter_class": _HelpFormatter}


def print_warnings(warnings: Sequence[SpecWarning], quiet: bool, verbose: bool = False) -> None:
    """Print warnings to stderr: every one with ``verbose``, else each kind once with its count and first location."""
    if quiet:
        return
    if verbose:
        for warning in warnings:
            print(warning, file=sys.stderr)
        return
    counts = Counter(w.code for w in warnings)
    shown: set[str] = set()
    for warning in warnings:
        if warning.code in shown:
            continue
        shown.add(warning.code)
        more = counts[warning.code] - 1
        suffix = f" (+{more} more like it; -v lists all)" if more else ""
        print(f"{warning}{suffix}", file=sys.stderr)


def closing_line(apis: Sequence[ir.Api], warnings: Sequence[SpecWarning]) -> str:
    """``N operations, M models, K skipped (why), W warnings`` for the vendors just rendered."""
    operations = sum(len(api.operations) for api in apis)
    models = sum(len(api.schemas) for api in apis)
    skipped = [s for api in apis for s in api.skipped]
    line = f"{operations} operations, {models} models, {len(skipped)} skipped"
    if skipped:
        reasons = Counter(f"{s.kind}: {_reason_kind(s.reason)}" for s in skipped)
        line += " (" + "; ".join(f"{n} {reason}" for reason, n in reasons.most_common()) + ")"
    return line + f", {len(warnings)} warnings"


def _reason_kind(reason: str) -> str:
    """A skip reason without the names in it, so that like reasons are counted together."""
    return re.sub(r"'[^']*'|\{[^{}]*\}|\([^()]*\)", "…", reason)
