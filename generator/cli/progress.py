"""A one-line progress display per vendor and stage, shown only on an interactive terminal."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from generator.pipeline import Progress, no_progress


def terminal_progress(stream: TextIO | None = None) -> Progress:
    """A reporter that rewrites one status line, or ``no_progress`` when not on a TTY or in CI."""
    out = stream or sys.stderr
    if os.environ.get("CI") or not out.isatty():
        return no_progress
    start = time.perf_counter()

    def report(vendor: str, stage: str) -> None:
        line = f"{time.perf_counter() - start:6.1f}s  {vendor}: {stage}"
        out.write("\r\x1b[2K" + line + ("\n" if stage == "done" else ""))
        out.flush()

    return report
