"""Judge two versions of a component or operation by meaning, not by text.

Both are put through the normalizer's value passes (the same ones ``generate`` runs, so Fern's
``enum: [{value: like}]`` equals ``enum: [like]``), then compared with and without annotations:
``title``, ``description``, ``summary``, ``example``/``examples``, ``$comment`` and ``x-``
extensions. Annotations alone differing is worth a warning, never a conflict.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from generator.errors import GeneratorError
from generator.importer.yamlio import plain
from generator.spec.normalize import (
    NormalizeContext,
    const_to_enum_in_30,
    dedupe_enum_values,
    exclusive_bounds,
    schema_examples,
    type_lists_in_30,
    unify_nullable,
    unwrap_enum_value_objects,
)

# Normalizer passes that change how a value is written, never what it means, and work on a
# component alone (no renaming, no hoisting: those need the whole document), in PASSES order.
VALUE_PASSES = (
    unwrap_enum_value_objects,
    dedupe_enum_values,
    exclusive_bounds,
    schema_examples,
    unify_nullable,
    type_lists_in_30,
    const_to_enum_in_30,
)

ANNOTATIONS = frozenset({"title", "description", "summary", "example", "examples", "$comment"})
# Keys whose value maps names (property names, media types, status codes...) to objects:
# the names are data, never annotations.
_NAME_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "content", "headers",
     "responses", "links", "callbacks", "encoding", "variables", "schemas", "parameters", "requestBodies",
     "securitySchemes", "pathItems", "scopes"}
)  # fmt: skip
# Keys whose value is instance data: compared as is.
_DATA = frozenset({"enum", "const", "default", "required", "mapping", "security", "tags"})


@dataclass(frozen=True)
class Verdict:
    """How two versions compare."""

    same: bool  # equal in meaning: importing one over the other changes no client
    identical: bool  # equal as written (plain data)
    annotations: tuple[str, ...] = ()  # annotation keys that differ, when ``same`` but not ``identical``

    def describe(self) -> str:
        """What differs, for a warning."""
        if self.annotations:
            return "differs only in " + ", ".join(self.annotations)
        return "is written differently but means the same once normalized"


def compare(ours: Any, theirs: Any, section: str, openapi: str) -> Verdict:
    """Compare two versions of ``components/<section>/X`` (or an operation, ``section="operation"``)."""
    a, b = plain(ours), plain(theirs)
    if a == b:
        return Verdict(same=True, identical=True)
    na, nb = normalized(a, section, openapi), normalized(b, section, openapi)
    if na == nb:
        return Verdict(same=True, identical=False)
    sa, sb = strip_annotations(na), strip_annotations(nb)
    if sa != sb:
        return Verdict(same=False, identical=False)
    return Verdict(same=True, identical=False, annotations=tuple(sorted(_annotation_diffs(na, nb))))


def normalized(node: Any, section: str, openapi: str) -> Any:
    """``node`` after the normalizer's value passes, run as they would in a document of version ``openapi``."""
    node = copy.deepcopy(node)
    if not isinstance(node, dict):
        return node
    if section == "operation":
        doc: dict[str, Any] = {"openapi": openapi, "paths": {"/x": {"get": node}}}
    else:
        doc = {"openapi": openapi, "paths": {}, "components": {section: {"X": node}}}
    ctx = NormalizeContext()
    for pass_ in VALUE_PASSES:
        try:
            pass_(doc, ctx)
        except (GeneratorError, TypeError, ValueError, KeyError, AttributeError):
            return node  # a pass refusing odd input only means "compare as written"
    if section == "operation":
        return doc["paths"]["/x"]["get"]
    return doc["components"][section]["X"]


def strip_annotations(node: Any, names: bool = False) -> Any:
    """A copy without annotation keys, keeping names in name maps and data values as they are."""
    if isinstance(node, list):
        return [strip_annotations(v) for v in node]
    if not isinstance(node, dict):
        return node
    if names:
        return {k: strip_annotations(v) for k, v in node.items()}
    kept: dict[str, Any] = {}
    for key, value in node.items():
        if key in ANNOTATIONS or str(key).startswith("x-"):
            continue
        if key in _DATA:
            kept[key] = value
        else:
            kept[key] = strip_annotations(value, names=key in _NAME_MAPS and isinstance(value, dict))
    return kept


def _annotation_diffs(a: Any, b: Any, names: bool = False) -> set[str]:
    """Annotation keys that differ anywhere between two trees equal apart from annotations."""
    found: set[str] = set()
    if isinstance(a, list) and isinstance(b, list):
        for x, y in zip(a, b, strict=False):
            found |= _annotation_diffs(x, y)
        return found
    if not (isinstance(a, dict) and isinstance(b, dict)):
        return found
    for key in set(a) | set(b):
        if names:
            found |= _annotation_diffs(a.get(key), b.get(key))
        elif key in ANNOTATIONS or str(key).startswith("x-"):
            if a.get(key) != b.get(key):
                found.add("x- extensions" if str(key).startswith("x-") else str(key))
        elif key not in _DATA:
            found |= _annotation_diffs(a.get(key), b.get(key), names=key in _NAME_MAPS)
    return found
