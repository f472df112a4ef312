"""Options every subcommand accepts, and shared CLI output helpers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Exit codes of every command: 1 is "differences found" (check, diff --fail-on), 2 an input error,
# 3 a bug in the generator.
EXIT_OK, EXIT_DIFFERENT, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3


def common_options() -> argparse.ArgumentParser:
    """A parent parser with ``--specs``, ``--out`` and ``-q`` for ``add_parser(parents=[...])``."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--specs", type=Path, default=Path("specs"), help="vendor specs folder (default: specs)")
    parent.add_argument("--out", type=Path, default=Path("generated"), help="output folder (default: generated)")
    parent.add_argument("-q", "--quiet", action="store_true", help="do not print normalization warnings")
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


def print_warnings(warnings: Sequence[object], quiet: bool) -> None:
    """Print normalization warnings to stderr unless ``quiet``."""
    if quiet:
        return
    for warning in warnings:
        print(warning, file=sys.stderr)
