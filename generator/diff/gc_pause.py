"""The cyclic garbage collector paused while the diff builds and compares its trees and writes its report.

A diff holds two parsed documents and two intermediate models, hundreds of thousands of
objects that live until it ends and form no cycles. The cyclic collector still walks them
each time enough new objects pile up, which costs a sixth of a large diff for nothing.
Reference counting frees what the diff drops either way; collection resumes after the block.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause cyclic garbage collection inside the block or decorated function (the outermost resumes it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
