"""Errors of the importer; all are ``GeneratorError``s, so the CLI exits 2 without a traceback."""

from __future__ import annotations

from generator.errors import GeneratorError


class ImportError_(GeneratorError):
    """A source or selection the importer cannot use."""


class ImportConflict(GeneratorError):
    """Components or operations that exist in the vendor's spec with different content."""
