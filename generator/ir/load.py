"""Load a vendor: spec file + vendor config → normalized document → intermediate model."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import ir
from generator.errors import SpecError, SpecWarning, join_pointer
from generator.ir.builder import build_api
from generator.spec.config import VendorConfig, default_config, load_config
from generator.spec.loader import Document, line_of, load_document
from generator.spec.normalize import NormalizeContext, normalize
from generator.spec.validate import CODES, validate_document
from generator.spec.vendors import vendor_dir

# Warning codes that mean "the document is wrong", not "the document was tidied": `--strict` fails on them.
STRICT_CODES = frozenset({*CODES, "skipped-operation", "skipped-schema", "skipped-response"})


@dataclass
class LoadedSpec:
    """Everything the emitters need about one vendor, and nothing from the raw spec."""

    config: VendorConfig
    document: Document
    normalized: dict[str, Any]
    api: ir.Api
    warnings: list[SpecWarning]


def load_spec(
    path: Path, config: VendorConfig | None = None, *, validate: bool = True, strict: bool = False
) -> LoadedSpec:
    """Load, normalize, validate and model one spec file.

    Validation findings and what the builder cannot model become located warnings; with
    ``strict`` the first of them is raised as a SpecError instead.
    """
    config = config or default_config(path.stem, path.parent)
    document: Document | None = None
    try:
        document = load_document(path)
        ctx = NormalizeContext(file=path, credential_headers=credential_headers(config))
        normalize(document.data, ctx)
        findings = validate_document(document.data, path) if validate else []
        api = build_api(document.data, config, path)
    except SpecError as exc:
        _locate(exc, document)
        raise
    warnings = [*document.warnings, *ctx.warnings, *findings, *_skip_warnings(api, path)]
    # Schemas renamed by the normalizer are found in the files under their original names.
    renamed = {
        join_pointer("components", "schemas", s.name): join_pointer("components", "schemas", s.original_name)
        for s in api.schemas
        if s.original_name != s.name
    }
    warnings = [_located(w, document, renamed) for w in warnings]
    if strict:
        failing = [w for w in warnings if w.code in STRICT_CODES]
        if failing:
            first = failing[0]
            more = f" (and {len(failing) - 1} more)" if len(failing) > 1 else ""
            raise SpecError(
                f"{first.message}{more} [{first.code}; --strict makes these errors]",
                file=first.file,
                pointer=first.pointer,
                line=first.line,
            )
    return LoadedSpec(config, document, document.data, api, warnings)


def _skip_warnings(api: ir.Api, path: Path) -> list[SpecWarning]:
    """One warning for each operation, response or schema the client leaves out."""
    result = []
    for s in api.skipped:
        if s.kind == "operation":
            message = f"operation {s.name!r} ({s.where}) left out of the client: {s.reason}"
        elif s.kind == "response":
            message = f"response {s.name.rsplit(' ', 1)[-1]} of {s.where} left out: {s.reason}"
        else:
            message = f"schema {s.name!r} cannot be modelled, typed as any value: {s.reason}"
        result.append(SpecWarning(f"skipped-{s.kind}", message, s.pointer, path))
    return result


def _located(warning: SpecWarning, document: Document, renamed: dict[str, str]) -> SpecWarning:
    """The warning with the file, pointer and line it has in the files as written."""
    if warning.line is not None:
        return warning
    if warning.file is None or warning.file == document.path:
        pointer = warning.pointer
        head = "/".join(pointer.split("/")[:4])
        if head in renamed:
            pointer = renamed[head] + pointer[len(head) :]
        file, pointer, line = document.locate(pointer)
    else:
        file, pointer = warning.file, warning.pointer
        line = document.line_in(file.resolve(), pointer)
    return dataclasses.replace(warning, file=file, pointer=pointer, line=line)


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


def load_vendor(specs_dir: Path, name: str, *, validate: bool = True, strict: bool = False) -> LoadedSpec:
    """Load ``specs/<name>/`` with its vendor config."""
    config = load_config(vendor_dir(specs_dir, name))
    return load_spec(config.spec_path, config, validate=validate, strict=strict)
