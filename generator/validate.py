"""Check a normalized document against the OpenAPI schema (openapi-spec-validator)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from generator.errors import SpecError, SpecWarning, join_pointer

# Violations that only concern keys OpenAPI does not define: real vendor specs carry stray
# keys (an operation `title`, say); they cannot change the generated code, so they warn.
_UNKNOWN_KEY = re.compile(r"does not match any of the regexes: '\^x-'|Unevaluated properties are not allowed")


def validate_document(doc: dict[str, Any], file: Path | None = None) -> list[SpecWarning]:
    """Raise SpecError at the most specific OpenAPI violation; return warnings for tolerated ones."""
    version = str(doc.get("openapi", ""))
    if version.startswith("3.0"):
        validator_cls: Any = OpenAPIV30SpecValidator
    elif version.startswith("3.1"):
        validator_cls = OpenAPIV31SpecValidator
    else:
        raise SpecError(
            f"unsupported OpenAPI version {version!r}; expected 3.0.x or 3.1.x", file=file, pointer="/openapi"
        )
    try:
        errors = list(validator_cls(doc).iter_errors())
    except RecursionError:
        # openapi-spec-validator follows some circular schemas forever; our own loader and
        # model builder handle cycles, so the document is still usable.
        return [SpecWarning("validator", "openapi-spec-validator recursed without end on circular schemas; "
                            "document not schema-checked", "", file)]  # fmt: skip
    except Exception as exc:
        return [SpecWarning("validator", f"openapi-spec-validator failed ({type(exc).__name__}); "
                            "document not schema-checked", "", file)]  # fmt: skip
    warnings = []
    fatal = []
    for error in errors:
        message = getattr(error, "message", str(error))
        pointer = _pointer(error, doc)
        if _UNKNOWN_KEY.search(message):
            warnings.append(SpecWarning("unknown-key", _short(message), pointer, file))
        elif re.search(r"/(default|example)(/|$)", pointer):
            # A default or example that contradicts its own schema: documentation, not shape.
            warnings.append(SpecWarning("bad-example", _short(message), pointer, file))
        else:
            fatal.append(error)
    if fatal:
        error = max(fatal, key=lambda e: len(getattr(e, "absolute_path", ())))
        more = f" (and {len(fatal) - 1} more)" if len(fatal) > 1 else ""
        raise SpecError(f"invalid OpenAPI: {_short(error.message)}{more}", file=file, pointer=_pointer(error, doc))
    return warnings


def _short(message: str) -> str:
    return message if len(message) <= 300 else message[:300] + "..."


def _pointer(error: Any, doc: dict[str, Any]) -> str:
    path = list(getattr(error, "absolute_path", []) or [])
    if path:
        return join_pointer(*path)
    # Checks of `default`/`example` values report no path: find the offending value.
    instance = getattr(error, "instance", None)
    for pointer, value in _values_under(doc, ("default", "example")):
        if value == instance:
            return pointer
    return ""


def _values_under(node: Any, keys: tuple[str, ...], pointer: str = "") -> Iterator[tuple[str, Any]]:
    stack = [(node, pointer)]
    while stack:
        current, ptr = stack.pop()
        if isinstance(current, dict):
            for k, v in current.items():
                child = ptr + join_pointer(k)
                if k in keys:
                    yield child, v
                stack.append((v, child))
        elif isinstance(current, list):
            stack.extend((v, f"{ptr}/{i}") for i, v in enumerate(current))
