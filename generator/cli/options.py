"""Options every subcommand accepts, and shared CLI output helpers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

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


def print_warnings(warnings: Sequence[object], quiet: bool) -> None:
    """Print normalization warnings to stderr unless ``quiet``."""
    if quiet:
        return
    for warning in warnings:
        print(warning, file=sys.stderr)
