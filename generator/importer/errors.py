"""Errors of the importer; all are ``GeneratorError``s, so the CLI exits 2 without a traceback."""

from __future__ import annotations

from pathlib import Path

from generator.errors import GeneratorError
from generator.spec.loader import line_of


class ImportError_(GeneratorError):
    """A source or selection the importer cannot use."""


class ImportConflict(GeneratorError):
    """Components or operations that exist in the vendor's spec with different content."""


class SourceRefError(ImportError_):
    """A reference in the source the importer cannot follow; ``located`` adds the source's file and line."""

    def __init__(self, message: str, pointer: str) -> None:
        super().__init__(f"at {pointer}: {message}")
        self.message = message
        self.pointer = pointer

    def located(self, label: str, text: str, first_line: int = 1) -> ImportError_:
        """The same error as ``label:line: at /pointer: message`` (``first_line``: where ``text`` starts in it)."""
        line = line_of(Path(label), self.pointer, text)
        where = f"{label}:{line + first_line - 1}" if line is not None else label
        return ImportError_(f"{where}: at {self.pointer}: {self.message}")
