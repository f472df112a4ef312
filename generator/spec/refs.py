"""What each object of an OpenAPI document is, by where it stands, and which ``$ref``s mean references.

A ``$ref`` is a reference only where the document's structure expects an object: inside an
``example``, a ``default`` or an ``x-`` extension it is data (a Fern export keeps code-snippet
file names there) and must never be followed. Where it stands also says what it names:
a schema, a parameter, a response... (each has a ``components`` section), or something with
no component home (a path item, an operation, a ``properties`` map) that a bundler copies
in place. ``walk`` yields every object with that role.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.errors import escape_pointer_token

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})

# Role of an object -> the components section it can live in (roles absent here have none).
COMPONENT_SECTION = {
    "schema": "schemas",
    "parameter": "parameters",
    "response": "responses",
    "requestBody": "requestBodies",
    "header": "headers",
    "link": "links",
    "callback": "callbacks",
    "securityScheme": "securitySchemes",
    "example": "examples",
}

# Keyword -> role of the one object it holds.
_ONE = {
    "schema": "schema",
    "items": "schema",
    "not": "schema",
    "additionalProperties": "schema",
    "contains": "schema",
    "propertyNames": "schema",
    "if": "schema",
    "then": "schema",
    "else": "schema",
    "unevaluatedProperties": "schema",
    "unevaluatedItems": "schema",
    "additionalItems": "schema",
    "requestBody": "requestBody",
    "components": "object",
}
# Keyword -> role of every item of the list it holds.
_LIST = {"allOf": "schema", "oneOf": "schema", "anyOf": "schema", "prefixItems": "schema", "items": "schema"}
# Keyword -> role of every value of the name-keyed map it holds.
_MAP = {
    "properties": "schema",
    "patternProperties": "schema",
    "$defs": "schema",
    "definitions": "schema",
    "dependentSchemas": "schema",
    "schemas": "schema",
    "parameters": "parameter",
    "responses": "response",
    "requestBodies": "requestBody",
    "headers": "header",
    "content": "mediaType",
    "encoding": "encoding",
    "links": "link",
    "callbacks": "callback",
    "securitySchemes": "securityScheme",
    "paths": "pathItem",
    "webhooks": "pathItem",
    "pathItems": "pathItem",
}
# Keywords whose values are data (examples, defaults, enum values), never references.
DATA_KEYWORDS = frozenset({"example", "examples", "default", "enum", "const"})
# Maps whose own keys may be `x-` extensions (the others are keyed by names, which may start with `x-`).
_EXTENSIBLE_MAPS = frozenset({"paths", "responses", "callback", "webhooks"})


def is_map_role(role: str) -> bool:
    """True for a name-keyed map (``map:<member role>``) or a callback (a map of path items)."""
    return role.startswith("map:") or role == "callback"


def children(node: Any, role: str) -> Iterator[tuple[str, Any, str]]:
    """``(pointer token, child, child role)`` for the children of ``node`` that are structure, not data."""
    for key, value, child in keyed_children(node, role):
        yield escape_pointer_token(key), value, child


def keyed_children(node: Any, role: str) -> Iterator[tuple[Any, Any, str]]:
    """``children``, with each child's key as it is (a list index, a mapping key) instead of a pointer token."""
    if isinstance(node, list):
        member = role[5:] if role.startswith("list:") else "object"
        for index, value in enumerate(node):
            if isinstance(value, (dict, list)):
                yield index, value, member
        return
    if not isinstance(node, dict):
        return
    if is_map_role(role):
        member = "pathItem" if role == "callback" else role[4:]
        extensible = role == "callback" or role[4:] in ("pathItem", "response")
        for key, value in node.items():
            if key == "$ref" or (extensible and isinstance(key, str) and key.startswith("x-")):
                continue
            if isinstance(value, (dict, list)):
                yield key, value, member
        return
    for key, value in node.items():
        if not isinstance(value, (dict, list)) or not isinstance(key, str):
            continue
        if key.startswith("x-") or key in DATA_KEYWORDS or key == "$ref":
            continue
        if role == "pathItem" and key in HTTP_METHODS:
            child = "operation"
        elif isinstance(value, list):
            child = "list:" + _LIST[key] if key in _LIST else ("list:parameter" if key == "parameters" else "list")
        elif key in _MAP:
            child = "map:" + _MAP[key]
        else:
            child = _ONE.get(key, "object")
        yield key, value, child


def walk(root: Any, pointer: str = "", role: str = "document") -> Iterator[tuple[str, Any, str]]:
    """``(pointer, node, role)`` for every structural node under ``root``, parents first."""
    stack: list[tuple[str, Any, str]] = [(pointer, root, role)]
    while stack:
        ptr, node, node_role = stack.pop()
        yield ptr, node, node_role
        items = list(children(node, node_role))
        for token, child, child_role in reversed(items):
            stack.append((f"{ptr}/{token}", child, child_role))


def references(root: Any, pointer: str = "", role: str = "document") -> Iterator[tuple[str, dict[str, Any], str, str]]:
    """``(pointer of the ref object, ref object, ref, role)`` for every ``$ref`` meant as a reference."""
    for ptr, node, node_role in walk(root, pointer, role):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            yield ptr, node, node["$ref"], node_role
