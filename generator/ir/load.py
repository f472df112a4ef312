"""Load a vendor: spec file + vendor config → normalized document → intermediate model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import ir
from generator.errors import SpecError, SpecWarning
from generator.ir.builder import build_api
from generator.spec.config import VendorConfig, default_config, load_config
from generator.spec.loader import Document, line_of, load_document
from generator.spec.normalize import NormalizeContext, normalize
from generator.spec.validate import PendingValidation
from generator.spec.vendors import vendor_dir


@dataclass
class LoadedSpec:
    """Everything the emitters need about one vendor, and nothing from the raw spec."""

    config: VendorConfig
    document: Document
    normalized: dict[str, Any]
    api: ir.Api
    warnings: list[SpecWarning]
    pending: PendingValidation | None = field(default=None, repr=False)

    def finish_validation(self) -> None:
        """Wait for a deferred validation: add its warnings, or raise its located SpecError."""
        if self.pending is None:
            return
        pending, self.pending = self.pending, None
        try:
            self.warnings.extend(pending.result())
        except SpecError as exc:
            _locate(exc, self.document)
            raise


def load_spec(
    path: Path, config: VendorConfig | None = None, *, validate: bool = True, defer_validation: bool = False
) -> LoadedSpec:
    """Load, normalize, validate and model one spec file.

    With ``defer_validation`` a large document is validated in a child process; the caller
    must call ``finish_validation()`` before trusting or writing anything derived from it.
    """
    config = config or default_config(path.stem, path.parent)
    document: Document | None = None
    try:
        document = load_document(path)
        ctx = NormalizeContext(file=path, credential_headers=credential_headers(config))
        normalize(document.data, ctx)
        pending = (
            PendingValidation(document.data, path, len(document.text) if defer_validation else 0) if validate else None
        )
        api = build_api(document.data, config, path)
    except SpecError as exc:
        _locate(exc, document)
        raise
    spec = LoadedSpec(config, document, document.data, api, ctx.warnings, pending)
    if not defer_validation:
        spec.finish_validation()
    return spec


def credential_headers(config: VendorConfig) -> dict[str, str]:
    """Credential headers named in the config, mapped to the security scheme they become."""
    return {
        c.header.lower(): "".join(w.title() for w in c.argument.split("_")) + "Auth"
        for c in config.credentials
        if c.header
    }


def _locate(exc: SpecError, document: Document | None) -> None:
    """Fill in the line number of a located error when the pointer allows."""
    if exc.line is not None or not exc.pointer or exc.file is None:
        return
    text = None
    if document is not None and exc.file == document.path:
        text = document.text
    exc.line = line_of(exc.file, exc.pointer, text)


def load_vendor(specs_dir: Path, name: str, *, validate: bool = True, defer_validation: bool = False) -> LoadedSpec:
    """Load ``specs/<name>/`` with its vendor config."""
    config = load_config(vendor_dir(specs_dir, name))
    return load_spec(config.spec_path, config, validate=validate, defer_validation=defer_validation)
