"""Normalization passes: turn a vendor's document as published into one clean shape.

Each pass is a small function ``pass_(doc, ctx)`` that edits the bundled document in
place and reports every change it makes as a warning, so a user can see what the
generator tolerated. The passes run in ``PASSES`` order; later passes rely on earlier ones
(for example hoisting needs canonical schema names).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import (
    SpecError,
    SpecWarning,
    escape_pointer_token,
    join_pointer,
    split_pointer,
    unescape_pointer_token,
)
from generator.naming import class_name, snake_name, unique
from generator.spec.loader import iter_ref_objects

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
NULL_SCHEMA = {"type": "null"}

# x- extensions the normalizer writes; the IR builder reads them.
X_GROUP_PATH = "x-group-path"
X_ORIGINAL_NAME = "x-original-name"


@dataclass
class NormalizeContext:
    """What the passes need besides the document, and where they put their warnings."""

    file: Path | None = None
    # Header parameters that carry a credential (vendor config), by lower-cased name.
    credential_headers: dict[str, str] = field(default_factory=dict)
    warnings: list[SpecWarning] = field(default_factory=list)
    # Inside ``normalize``: one schema walk shared by the passes until one of them may have moved schemas,
    # and one walk for the objects holding a $ref (kept current by a pass that moves a $ref: ``_ref_moved``).
    sharing: bool = field(default=False, repr=False, compare=False)
    shared_index: SchemaIndex | None = field(default=None, repr=False, compare=False)
    shared_refs: tuple[dict[str, Any], list[dict[str, Any]]] | None = field(default=None, repr=False, compare=False)

    def warn(self, code: str, pointer: str, message: str) -> None:
        """Record one change made to the document."""
        self.warnings.append(SpecWarning(code, message, pointer, self.file))


def is_31(doc: dict[str, Any]) -> bool:
    """True for OpenAPI 3.1 documents (JSON Schema 2020-12 schemas)."""
    return str(doc.get("openapi", "")).startswith("3.1")


def iter_operations(doc: Any, *, document_order: bool = False) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    """Yield ``(path, method, operation, pointer)`` for every operation in ``paths``.

    Methods come in ``HTTP_METHODS`` order, or with ``document_order`` as the path item lists
    them (the importer keeps a vendor's layout). ``doc["paths"][path]`` is the path item.
    """
    paths = doc.get("paths") or {}
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        item_pointer = ""  # built once per path, and only for a path with an operation
        for method in [m for m in item if m in HTTP_METHODS] if document_order else HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                item_pointer = item_pointer or join_pointer("paths", path)
                yield path, method, op, f"{item_pointer}/{method}"  # a method needs no escaping


def iter_schemas(doc: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """Yield every schema object in the document (components, parameters, bodies, responses)."""
    index = SchemaIndex(doc)
    for i, schema in enumerate(index.schemas):
        yield schema, index.pointer(i)


_SUBSCHEMA_LISTS = ("allOf", "oneOf", "anyOf", "prefixItems")
_SUBSCHEMA_ONE = ("items", "additionalProperties", "not", "contains", "propertyNames")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions")
_SUBSCHEMA_KEYS = frozenset(_SUBSCHEMA_LISTS + _SUBSCHEMA_ONE + _SUBSCHEMA_MAPS)


class SchemaIndex:
    """Every schema of a document, in ``iter_schemas`` order, walked once; a pointer is built only when asked for.

    Most schemas never need their pointer (only those a pass warns about do), and building
    every pointer costs more than the walk itself.
    """

    __slots__ = ("_parents", "_steps", "doc", "schemas")

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.schemas: list[dict[str, Any]] = []
        # Per schema: the index of the schema it sits in (-1 for a root), and the step from there:
        # a root's whole pointer, a keyword ("items"), or (keyword, list index or map key).
        self._parents: list[int] = []
        self._steps: list[Any] = []
        roots: list[tuple[Any, str]] = []
        components = doc.get("components") or {}
        for name, schema in (components.get("schemas") or {}).items():
            roots.append((schema, "/components/schemas/" + escape_pointer_token(name)))
        for section in ("parameters", "requestBodies", "responses", "headers"):
            for name, comp in (components.get(section) or {}).items():
                _schemas_in_holder(comp, f"/components/{section}/{escape_pointer_token(name)}", roots)
        for _path, _method, op, ptr in iter_operations(doc):
            _schemas_in_holder(op, ptr, roots)
        for path, item in (doc.get("paths") or {}).items():
            if isinstance(item, dict):
                for i, param in enumerate(item.get("parameters") or []):
                    _schemas_in_holder(param, f"/paths/{escape_pointer_token(path)}/parameters/{i}", roots)
        seen: set[int] = set()
        for root, ptr in roots:
            self._walk(root, ptr, seen)

    def _walk(self, root: Any, ptr: str, seen: set[int]) -> None:
        # Depth first, children pushed in ``subschemas`` order (so popped in reverse), as iter_schemas always did.
        schemas, parents, steps = self.schemas, self._parents, self._steps
        stack: list[tuple[Any, int, Any]] = [(root, -1, ptr)]
        while stack:
            schema, parent, step = stack.pop()
            if not isinstance(schema, dict) or id(schema) in seen:
                continue
            seen.add(id(schema))
            here = len(schemas)
            schemas.append(schema)
            parents.append(parent)
            steps.append(step)
            if _SUBSCHEMA_KEYS.isdisjoint(schema):
                continue  # a leaf (most schemas): no subschema keyword to look up
            present = _SUBSCHEMA_KEYS.intersection(schema)
            if len(present) == 1:
                # One subschema keyword (`properties`, `items`...): the order among keywords cannot matter.
                (key,) = present
                value = schema[key]
                if key in _SUBSCHEMA_ONE:
                    if isinstance(value, dict):
                        stack.append((value, here, key))
                elif key in _SUBSCHEMA_MAPS:
                    if isinstance(value, dict):
                        for name, sub in value.items():
                            if isinstance(sub, dict):
                                stack.append((sub, here, (key, name)))
                elif isinstance(value, list):
                    for i, sub in enumerate(value):
                        if isinstance(sub, dict):
                            stack.append((sub, here, (key, i)))
                continue
            for key in _SUBSCHEMA_LISTS:
                value = schema.get(key)
                if isinstance(value, list):
                    for i, sub in enumerate(value):
                        if isinstance(sub, dict):
                            stack.append((sub, here, (key, i)))
            for key in _SUBSCHEMA_ONE:
                value = schema.get(key)
                if isinstance(value, dict):
                    stack.append((value, here, key))
            for key in _SUBSCHEMA_MAPS:
                value = schema.get(key)
                if isinstance(value, dict):
                    for name, sub in value.items():
                        if isinstance(sub, dict):
                            stack.append((sub, here, (key, name)))

    def pointer(self, i: int) -> str:
        """The JSON pointer of ``schemas[i]``."""
        parts: list[str] = []
        while True:
            step, parent = self._steps[i], self._parents[i]
            if parent < 0:
                parts.append(step)
                break
            if isinstance(step, str):
                parts.append("/" + step)
            else:
                parts.append(f"/{step[0]}/{escape_pointer_token(step[1])}")
            i = parent
        return "".join(reversed(parts))


def _schemas_in_holder(holder: Any, ptr: str, found: list[tuple[Any, str]]) -> None:
    """Schemas inside a parameter, request body, response, header or operation, appended to ``found``."""
    if not isinstance(holder, dict):
        return
    if isinstance(holder.get("schema"), dict):
        found.append((holder["schema"], ptr + "/schema"))
    for i, param in enumerate(holder.get("parameters") or []):
        _schemas_in_holder(param, f"{ptr}/parameters/{i}", found)
    body = holder.get("requestBody")
    if isinstance(body, dict):
        _schemas_in_holder(body, ptr + "/requestBody", found)
    for media, mt in (holder.get("content") or {}).items():
        _schemas_in_holder(mt, f"{ptr}/content/{escape_pointer_token(media)}", found)
    for status, resp in (holder.get("responses") or {}).items():
        _schemas_in_holder(resp, f"{ptr}/responses/{escape_pointer_token(status)}", found)
    for name, header in (holder.get("headers") or {}).items():
        _schemas_in_holder(header, f"{ptr}/headers/{escape_pointer_token(name)}", found)


def subschemas(schema: dict[str, Any], ptr: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Direct child schemas of a schema, with their pointers."""
    for key in _SUBSCHEMA_LISTS:
        value = schema.get(key)
        if isinstance(value, list):
            for i, sub in enumerate(value):
                if isinstance(sub, dict):
                    yield sub, f"{ptr}/{key}/{i}"
    for key in _SUBSCHEMA_ONE:
        value = schema.get(key)
        if isinstance(value, dict):
            yield value, f"{ptr}/{key}"
    for key in _SUBSCHEMA_MAPS:
        value = schema.get(key)
        if isinstance(value, dict):
            for name, sub in value.items():
                if isinstance(sub, dict):
                    yield sub, ptr + "/" + key + join_pointer(name)


def schema_index(doc: dict[str, Any], ctx: NormalizeContext) -> SchemaIndex:
    """The document's schemas: walked afresh, or (inside ``normalize``) shared with the passes before."""
    index = ctx.shared_index
    if index is not None and index.doc is doc:
        return index
    index = SchemaIndex(doc)
    if ctx.sharing:
        ctx.shared_index = index
    return index


def ref_objects(doc: dict[str, Any], ctx: NormalizeContext) -> list[dict[str, Any]]:
    """Every object in the document holding a ``$ref`` (``iter_ref_objects``): walked afresh, or (inside
    ``normalize``) shared with the passes before.

    Passes edit a ``$ref`` in place, drop objects, or move a ``$ref`` into a new object and say so
    (``_ref_moved``): an object may no longer hold one, so a pass reads each one's ``$ref`` as it is now.
    """
    shared = ctx.shared_refs
    if shared is not None and shared[0] is doc:
        return shared[1]
    objects = [obj for obj, _ref in iter_ref_objects(doc)]
    if ctx.sharing:
        ctx.shared_refs = (doc, objects)
    return objects


def _ref_moved(doc: dict[str, Any], ctx: NormalizeContext, holder: dict[str, Any]) -> None:
    """``holder`` is a new object of the document that holds a ``$ref`` (moved from another object)."""
    shared = ctx.shared_refs
    if shared is not None and shared[0] is doc:
        shared[1].append(holder)


def tag_group_path(tag: str) -> list[str]:
    """The resource path a tag names: ``subpackage_chat/messages`` is ``["chat", "messages"]``."""
    return [snake_name(part) for part in tag.removeprefix("subpackage_").split("/") if part.strip()]


# --------------------------------------------------------------------------- passes


def flatten_fern_tags(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """Fern docs exports nest tag lists to encode SDK grouping; keep it as ``x-group-path``."""
    for _path, _method, op, ptr in iter_operations(doc):
        tags = op.get("tags")
        if not isinstance(tags, list) or not any(isinstance(t, list) for t in tags):
            continue
        flat = [str(t) for group in tags for t in (group if isinstance(group, list) else [group])]
        deepest = max(flat, key=lambda t: t.count("/")) if flat else ""
        group = tag_group_path(deepest)
        op["tags"] = [deepest] if deepest else []
        op[X_GROUP_PATH] = group
        ctx.warn(
            "fern-nested-tags",
            ptr + "/tags",
            f"nested tag list flattened to {op['tags']!r}; SDK grouping kept as {'.'.join(group)}",
        )


def unwrap_enum_value_objects(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """Enum items written as ``{value: x}`` objects become plain values."""
    index = schema_index(doc, ctx)
    for i, schema in enumerate(index.schemas):
        enum = schema.get("enum")
        if not isinstance(enum, list):
            continue
        if any(isinstance(v, dict) and set(v) == {"value"} for v in enum):
            schema["enum"] = [v["value"] if isinstance(v, dict) and set(v) == {"value"} else v for v in enum]
            ctx.warn(
                "enum-value-objects",
                index.pointer(i) + "/enum",
                f"enum items {{value: x}} unwrapped to {schema['enum']!r}",
            )


def promote_credential_headers(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """Header parameters the vendor config names as credentials become apiKey security schemes."""
    if not ctx.credential_headers:
        return
    schemes = doc.setdefault("components", {}).setdefault("securitySchemes", {})
    for lower, scheme_name in ctx.credential_headers.items():
        found = False
        for _path, _method, op, ptr in iter_operations(doc):
            params = op.get("parameters") or []
            kept = [
                p for p in params
                if not (isinstance(p, dict) and p.get("in") == "header" and str(p.get("name", "")).lower() == lower)
            ]  # fmt: skip
            if len(kept) != len(params):
                original = next(p for p in params if p not in kept)
                op["parameters"] = kept
                found = True
                if scheme_name not in schemes:
                    schemes[scheme_name] = {
                        "type": "apiKey",
                        "in": "header",
                        "name": original.get("name"),
                        **({"description": original["description"]} if original.get("description") else {}),
                    }
                ctx.warn(
                    "credential-header",
                    ptr + "/parameters",
                    f"header parameter {original.get('name')!r} is a credential (vendor config): "
                    f"moved to security scheme {scheme_name!r}",
                )
        if found:
            security = doc.setdefault("security", [])
            if not any(scheme_name in req for req in security if isinstance(req, dict)):
                security.append({scheme_name: []})
        elif scheme_name not in schemes:
            raise SpecError(
                f"vendor config names credential header {lower!r} but no operation has it",
                file=ctx.file,
                pointer="/paths",
            )


def drop_security_duplicate_headers(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """Header parameters that restate a security scheme (``Authorization``, API-key headers) go."""
    schemes = (doc.get("components") or {}).get("securitySchemes") or {}
    covered: set[str] = set()
    for scheme in schemes.values():
        if not isinstance(scheme, dict):
            continue
        if scheme.get("type") in ("http", "oauth2", "openIdConnect"):
            covered.add("authorization")
        elif scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            covered.add(str(scheme.get("name", "")).lower())
    if not covered:
        return
    for _path, _method, op, ptr in iter_operations(doc):
        params = op.get("parameters")
        if not isinstance(params, list):
            continue
        for i in reversed(range(len(params))):
            p = params[i]
            if isinstance(p, dict) and p.get("in") == "header" and str(p.get("name", "")).lower() in covered:
                del params[i]
                ctx.warn(
                    "security-duplicate-header",
                    f"{ptr}/parameters/{i}",
                    f"header parameter {p.get('name')!r} duplicates a security scheme: removed",
                )


def unify_nullable(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """One way to say "may be null" per OpenAPI version.

    3.0 uses ``nullable: true``; 3.1 uses ``type: [X, 'null']`` for plain types and
    ``oneOf: [X, {type: 'null'}]`` otherwise. The wrong version's spelling is converted.
    """
    v31 = is_31(doc)
    index = schema_index(doc, ctx)
    for i, schema in enumerate(list(index.schemas)):
        if v31 and schema.get("nullable") is True:
            del schema["nullable"]
            inner = _make_nullable_31(schema)
            if inner is not None and isinstance(inner.get("$ref"), str):
                _ref_moved(doc, ctx, inner)  # the reference now sits in the first variant
            ctx.warn(
                "nullable",
                index.pointer(i),
                "OpenAPI 3.0 `nullable: true` in a 3.1 document: written as a null type",
            )
        elif v31 and schema.get("nullable") is False:
            del schema["nullable"]
        if not v31:
            for key in ("oneOf", "anyOf"):
                variants = schema.get(key)
                if isinstance(variants, list) and NULL_SCHEMA in variants:
                    rest = [v for v in variants if v != NULL_SCHEMA]
                    if len(rest) == 1 and isinstance(rest[0], dict) and len(schema) == 1:
                        schema.pop(key)
                        if "$ref" in rest[0]:
                            schema["allOf"] = rest
                        else:
                            schema.update(rest[0])
                    else:
                        schema[key] = rest
                    schema["nullable"] = True
                    ctx.warn(
                        "nullable",
                        index.pointer(i),
                        f"`{{type: null}}` in a 3.0 {key}: written as `nullable: true`",
                    )
            if isinstance(schema.get("type"), list):
                types = [t for t in schema["type"] if t != "null"]
                if len(types) == 1:
                    schema["nullable"] = bool(schema.get("nullable")) or "null" in schema["type"]
                    schema["type"] = types[0]
                    ctx.warn("nullable", index.pointer(i), "type list in a 3.0 document: written as a single type")


def _make_nullable_31(schema: dict[str, Any]) -> dict[str, Any] | None:
    """Make ``schema`` nullable the 3.1 way; the new object holding its own keywords, when it makes one."""
    t = schema.get("type")
    if isinstance(t, str) and "enum" not in schema:
        schema["type"] = [t, "null"]
    elif isinstance(t, list):
        if "null" not in t:
            t.append("null")
    else:
        inner = {k: schema.pop(k) for k in list(schema) if k not in ("description", "title", "default")}
        schema["oneOf"] = [inner, dict(NULL_SCHEMA)]
        return inner
    return None


def const_to_enum_in_30(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """OpenAPI 3.0 has no ``const``; documents that use it mean a one-value enum."""
    if is_31(doc):
        return
    index = schema_index(doc, ctx)
    for i, schema in enumerate(index.schemas):
        if "const" in schema and "enum" not in schema:
            schema["enum"] = [schema.pop("const")]
            ctx.warn(
                "const-in-3.0", index.pointer(i), f"`const` is not OpenAPI 3.0: written as enum {schema['enum']!r}"
            )


def ensure_operation_ids(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """Every operation gets a unique operationId: derived from method and path when missing,
    suffixed ``2``, ``3``... (in document order) when another operation already has it."""
    ids = [op.get("operationId") for _path, _method, op, _ptr in iter_operations(doc)]
    taken = {i for i in ids if isinstance(i, str) and i.strip()}
    seen: dict[str, str] = {}
    for path, method, op, ptr in iter_operations(doc):
        op_id = op.get("operationId")
        if not isinstance(op_id, str) or not op_id.strip():
            op_id = unique(snake_name(f"{method} {re.sub(r'[{}]', ' ', path)}"), taken)
            taken.add(op_id)
            op["operationId"] = op_id
            ctx.warn("operation-id", ptr, f"operation has no operationId: named {op_id!r}")
        elif op_id in seen:
            new = unique(op_id, taken)
            taken.add(new)
            op["operationId"] = new
            ctx.warn(
                "duplicate-operation-id",
                ptr + "/operationId",
                f"duplicate operationId {op_id!r} (also at {seen[op_id]}): this one named {new!r}",
            )
            op_id = new
        seen[op_id] = ptr


def exclusive_bounds(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """``exclusiveMinimum``/``exclusiveMaximum`` spelled as the other OpenAPI version spells them.

    3.0 (JSON Schema draft 4) writes ``minimum: 0, exclusiveMinimum: true``; 3.1 writes
    ``exclusiveMinimum: 0``. Published documents mix them up; the meaning is the same.
    """
    v31 = is_31(doc)
    index = schema_index(doc, ctx)
    for i, schema in enumerate(index.schemas):
        if _EXCLUSIVE_BOUNDS.isdisjoint(schema):
            continue  # nearly every schema: nothing to look at
        for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            value = schema.get(key)
            if v31 and isinstance(value, bool):
                del schema[key]
                if value and _is_number(schema.get(bound)):
                    schema[key] = schema.pop(bound)
                    change = f"written as `{key}: {schema[key]}`"
                else:
                    change = "dropped" if not value else f"dropped (no `{bound}` to make exclusive)"
                ctx.warn(
                    "exclusive-bound",
                    f"{index.pointer(i)}/{key}",
                    f"OpenAPI 3.0 boolean `{key}: {value}` in a 3.1 document: {change}",
                )
            elif not v31 and _is_number(value):
                schema[key] = True
                previous = schema.get(bound)
                # Both given: the tighter bound wins, and it is the exclusive one only if it is this one.
                tighter = (
                    previous is None
                    or not _is_number(previous)
                    or (value >= previous if bound == "minimum" else value <= previous)
                )
                if tighter:
                    schema[bound] = value
                else:
                    del schema[key]
                ctx.warn(
                    "exclusive-bound",
                    f"{index.pointer(i)}/{key}",
                    f"OpenAPI 3.1 numeric `{key}: {value}` in a 3.0 document: written as `{bound}: {schema[bound]}`"
                    + (f", `{key}: true`" if tighter else ""),
                )


_EXCLUSIVE_BOUNDS = frozenset({"exclusiveMinimum", "exclusiveMaximum"})


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def schema_examples(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """A schema's ``example`` (3.0) and ``examples`` list (3.1) in the other version's spelling."""
    v31 = is_31(doc)
    index = schema_index(doc, ctx)
    for i, schema in enumerate(index.schemas):
        if v31 and "example" in schema:
            value = schema.pop("example")
            examples = schema.get("examples")
            schema["examples"] = [*(examples if isinstance(examples, list) else []), value]
            ctx.warn(
                "schema-example",
                index.pointer(i) + "/example",
                "OpenAPI 3.0 `example` in a 3.1 schema: moved to `examples`",
            )
        elif not v31 and "examples" in schema:
            examples = schema.pop("examples")
            if isinstance(examples, list) and examples and "example" not in schema:
                schema["example"] = examples[0]
                change = "its first item kept as `example`"
            else:
                change = "dropped"
            ctx.warn(
                "schema-example", index.pointer(i) + "/examples", f"OpenAPI 3.1 `examples` in a 3.0 schema: {change}"
            )


def type_lists_in_30(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """A ``type`` list of several types in a 3.0 schema (3.1 syntax) becomes ``anyOf`` one schema per type.

    (A list of one type plus ``null`` is ``unify_nullable``'s.)
    """
    if is_31(doc):
        return
    index = schema_index(doc, ctx)
    for i, schema in enumerate(list(index.schemas)):
        types = schema.get("type")
        if not isinstance(types, list) or not all(t in _JSON_TYPES for t in types):
            continue  # a list with non-type entries is not an idiom: the validator reports it
        kinds = [t for t in types if t != "null"]
        if len(kinds) < 2:
            continue
        del schema["type"]
        if "null" in types:
            schema["nullable"] = True
        schema["anyOf"] = [{"type": t} for t in kinds]
        ctx.warn(
            "type-list",
            index.pointer(i) + "/type",
            f"type list {types!r} in a 3.0 document: written as anyOf one type each",
        )


_JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})


def dedupe_enum_values(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """An ``enum`` that lists a value twice lists it once (JSON equality: ``1`` is ``1.0``, not ``true``)."""
    index = schema_index(doc, ctx)
    for i, schema in enumerate(index.schemas):
        enum = schema.get("enum")
        if not isinstance(enum, list):
            continue
        seen: set[str] = set()
        kept = []
        for value in enum:
            key = _json_key(value)
            if key not in seen:
                seen.add(key)
                kept.append(value)
        if len(kept) != len(enum):
            dropped = len(enum) - len(kept)
            schema["enum"] = kept
            ctx.warn(
                "duplicate-enum", index.pointer(i) + "/enum", f"enum listed {dropped} value(s) twice: kept {kept!r}"
            )


def _json_key(value: Any) -> str:
    """A key equal for JSON-equal values: numbers by value, booleans apart from numbers."""
    if _is_number(value) and float(value).is_integer():
        value = int(value)
    return json.dumps(value, sort_keys=True)


def hoist_nested_defs(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """Schemas referenced inside another schema's ``$defs`` (or ``definitions``) move to ``components/schemas``.

    Schemas pasted from JSON Schema tools keep their own ``$defs``; the loader resolves
    ``#/$defs/X`` against them. Named there, they become named classes like any component;
    a definition equal to a component of the same name is that component.
    """
    targets: set[str] = set()
    # Moving definitions below neither adds nor removes a reference object (one in a definition dropped
    # as equal to a component is rewritten for nothing): one walk serves both loops.
    refs = [(obj, obj["$ref"]) for obj in ref_objects(doc, ctx)]
    for _obj, ref in refs:
        pointer = ref[1:] if ref.startswith("#/") else ""
        tokens = pointer.split("/")
        for i in range(len(tokens) - 1, 0, -1):
            if tokens[i] in ("$defs", "definitions") and i + 1 < len(tokens):
                targets.add("/".join(tokens[: i + 2]))
    # Nested `$defs` of a components/schemas entry stay where they are when the ref targets
    # the component itself; only definitions below something else need a home.
    if not targets:
        return
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    moved: dict[str, str] = {}
    for pointer in sorted(targets, key=lambda p: (-p.count("/"), p)):
        tokens = split_pointer(pointer)
        holder: Any = doc
        for token in tokens[:-1]:
            holder = holder.get(token) if isinstance(holder, dict) else None
        if not isinstance(holder, dict) or not isinstance(holder.get(tokens[-1]), dict):
            continue
        definition = holder.pop(tokens[-1])
        name = tokens[-1]
        if name in schemas and schemas[name] != definition:
            name = class_name(name, set(schemas))
        schemas.setdefault(name, definition)
        moved[pointer] = "#" + join_pointer("components", "schemas", name)
        ctx.warn("nested-defs", pointer, f"schema defined in a nested {tokens[-2]} moved to components/schemas/{name}")
        if not holder:
            del _parent_of(doc, tokens[:-1])[tokens[-2]]
    for obj, ref in refs:
        for old, new in moved.items():
            if ref == "#" + old or ref.startswith("#" + old + "/"):
                obj["$ref"] = new + ref[len(old) + 1 :]
                break


def _parent_of(doc: dict[str, Any], tokens: list[str]) -> Any:
    node: Any = doc
    for token in tokens[:-1]:
        node = node[token]
    return node


def canonical_schema_names(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """Rename schemas to safe, unique PascalCase class names and rewrite every reference.

    Models are classes named after their schemas; a schema called ``Response``, ``Field``
    or ``class`` must not shadow the generated package's own names or break the module.
    """
    schemas = (doc.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict) or not schemas:
        return
    renames: dict[str, str] = {}
    taken: set[str] = set()
    # Names already canonical keep priority, so renaming is stable when schemas are added.
    order = sorted(schemas, key=lambda n: (class_name(n) != n, n))
    for name in order:
        new = class_name(name, taken)
        taken.add(new)
        if new != name:
            renames[name] = new
    if not renames:
        return
    doc["components"]["schemas"] = {renames.get(n, n): s for n, s in schemas.items()}
    for old, new in renames.items():
        if isinstance(doc["components"]["schemas"][new], dict):
            doc["components"]["schemas"][new].setdefault(X_ORIGINAL_NAME, old)
        ctx.warn(
            "schema-name",
            join_pointer("components", "schemas", old),
            f"schema {old!r} generated as class {new!r}",
        )
    prefix = "#/components/schemas/"
    for obj in ref_objects(doc, ctx):
        ref = obj.get("$ref")
        if isinstance(ref, str) and ref.startswith(prefix):
            head, _, rest = ref[len(prefix) :].partition("/")
            head = unescape_pointer_token(head)
            if head in renames:
                obj["$ref"] = "#" + join_pointer("components", "schemas", renames[head]) + ("/" + rest if rest else "")


def hoist_inline_schemas(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """Give inline request, response, object and enum schemas deterministic component names.

    Named schemas become named classes, so the client can type arguments and results,
    and the diff can follow a schema whether it was inlined or referenced.
    """
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    taken = set(schemas)

    # Pointers are built only for what is hoisted: ``_LazyPointer`` chains below a schema until then.
    def hoist(holder: Any, key: str | int, name: str, at: _LazyPointer) -> None:
        schema = holder[key]
        new = class_name(name, taken)
        taken.add(new)
        schemas[new] = schema
        holder[key] = {"$ref": "#" + join_pointer("components", "schemas", new)}
        ptr = _pointer(at)
        ctx.warn("hoisted-schema", ptr, f"inline schema named {new!r}")
        hoist_nested(schema, new, ptr)

    def worth_naming(schema: Any) -> bool:
        return (
            isinstance(schema, dict)
            and "$ref" not in schema
            and (
                "enum" in schema
                or "properties" in schema
                or _is_object_union(schema)
                # A map whose values refer to a schema: left inline, dcg loses its type (bare `list`).
                or (isinstance(schema.get("additionalProperties"), dict) and "$ref" in schema["additionalProperties"])
            )
        )

    def hoist_nested(schema: dict[str, Any], owner: str, ptr: _LazyPointer) -> None:
        props = schema.get("properties")
        if isinstance(props, dict):
            for prop, sub in props.items():
                if worth_naming(sub):
                    hoist(props, prop, owner + "_" + prop, (ptr, "/properties/", prop))
                elif isinstance(sub, dict) and not _INSIDE.isdisjoint(sub):
                    _hoist_inside(sub, owner + "_" + prop, (ptr, "/properties/", prop))
        for key in ("items", "additionalProperties"):
            sub = schema.get(key)
            if worth_naming(sub):
                hoist(schema, key, owner + ("_item" if key == "items" else "_value"), (ptr, f"/{key}", None))
        for key in ("allOf", "oneOf", "anyOf"):
            variants = schema.get(key)
            if isinstance(variants, list):
                for i, sub in enumerate(variants):
                    if (
                        isinstance(sub, dict)
                        and "$ref" not in sub
                        and ("properties" in sub or "enum" in sub)
                        and key != "allOf"
                    ):
                        hoist(variants, i, f"{owner}_{key}{i}", (ptr, f"/{key}/{i}", None))
                    elif isinstance(sub, dict):
                        hoist_nested(sub, owner, (ptr, f"/{key}/{i}", None))

    def _hoist_inside(schema: dict[str, Any], owner: str, ptr: _LazyPointer) -> None:
        # Arrays and nullable wrappers around inline objects or enums.
        for key in ("items", "additionalProperties"):
            sub = schema.get(key)
            if worth_naming(sub):
                hoist(schema, key, owner + ("_item" if key == "items" else "_value"), (ptr, f"/{key}", None))
            elif isinstance(sub, dict):
                _hoist_inside(sub, owner + "_item", (ptr, f"/{key}", None))
        for key in ("oneOf", "anyOf"):
            variants = schema.get(key)
            if isinstance(variants, list):
                for i, sub in enumerate(variants):
                    if worth_naming(sub):
                        hoist(
                            variants,
                            i,
                            owner if len(variants) <= 2 else f"{owner}_{i}",
                            (ptr, f"/{key}/{i}", None),
                        )

    for name in list(schemas):
        schema = schemas[name]
        if isinstance(schema, dict):
            hoist_nested(schema, name, ("", "/components/schemas/", name))

    # ``ptr`` is as join_pointer builds it: what is below it is appended, unescaped and escaped again.
    for _path, _method, op, ptr in iter_operations(doc):
        base = class_name(str(op.get("operationId", "")))
        body = op.get("requestBody")
        if isinstance(body, dict):
            for media, mt in (body.get("content") or {}).items():
                where: _LazyPointer = ((ptr, "/requestBody/content/", media), "/schema", None)
                if isinstance(mt, dict) and worth_naming(mt.get("schema")):
                    hoist(mt, "schema", base + "Request", where)
                elif isinstance(mt, dict) and isinstance(mt.get("schema"), dict):
                    _hoist_inside(mt["schema"], base + "Request", where)
        for status, resp in (op.get("responses") or {}).items():
            if not isinstance(resp, dict):
                continue
            kind = "Response" if str(status).startswith("2") else "Error"
            suffix = "" if kind == "Response" and _single_success(op) else str(status).title()
            for media, mt in (resp.get("content") or {}).items():
                if not isinstance(mt, dict):
                    continue
                where = (((ptr, "/responses/", str(status)), "/content/", media), "/schema", None)
                if worth_naming(mt.get("schema")):
                    hoist(mt, "schema", base + kind + suffix, where)
                elif isinstance(mt.get("schema"), dict):
                    _hoist_inside(mt["schema"], base + kind + suffix, where)


# A pointer not built yet: a pointer, or (a lazy pointer, text to append, and a token to escape and append).
_LazyPointer = str | tuple[Any, str, Any]
# What ``_hoist_inside`` looks at: a schema with none of these has nothing it could hoist.
_INSIDE = frozenset({"items", "additionalProperties", "oneOf", "anyOf"})


def _pointer(at: _LazyPointer) -> str:
    """The pointer a ``_LazyPointer`` stands for."""
    parts: list[str] = []
    while not isinstance(at, str):
        at, text, token = at
        parts.append(text if token is None else text + escape_pointer_token(token))
    parts.append(at)
    return "".join(reversed(parts))


def _single_success(op: dict[str, Any]) -> bool:
    return sum(1 for s in (op.get("responses") or {}) if str(s).startswith("2")) <= 1


def _is_object_union(schema: dict[str, Any]) -> bool:
    variants = schema.get("oneOf") or schema.get("anyOf")
    return isinstance(variants, list) and any(isinstance(v, dict) and "properties" in v for v in variants)


Pass = Callable[[dict[str, Any], NormalizeContext], None]

PASSES: tuple[Pass, ...] = (
    hoist_nested_defs,
    flatten_fern_tags,
    unwrap_enum_value_objects,
    dedupe_enum_values,
    promote_credential_headers,
    drop_security_duplicate_headers,
    exclusive_bounds,
    schema_examples,
    unify_nullable,
    type_lists_in_30,
    const_to_enum_in_30,
    ensure_operation_ids,
    canonical_schema_names,
    hoist_inline_schemas,
)


_HOLDER_MAPS = ("content", "responses", "headers", "requestBody")
_TOP_LEVEL = {"info": dict, "paths": dict, "components": dict, "security": list, "servers": list, "tags": list}


def check_shapes(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """Refuse a document whose skeleton has the wrong JSON types, before any pass walks it.

    The passes edit paths, operations, parameters, bodies, responses and components in
    place; a `paths` that is a list or `parameters` that is a string would otherwise end
    in a crash inside a pass instead of an error that says where the document is wrong.
    """

    # Pointers are built only for an error (``_LazyPointer``): nearly every document has none.
    def need(value: Any, kind: type, ptr: _LazyPointer, *, required: bool = False) -> None:
        if (required or value is not None) and not isinstance(value, kind):
            expected = "a mapping" if kind is dict else "a list"
            raise SpecError(
                f"expected {expected} here, found {_json_type(value)}", file=ctx.file, pointer=_pointer(ptr)
            )

    def holder(node: Any, ptr: _LazyPointer) -> None:
        # The checks in the order ``need`` makes them, each made inline and handed to ``need`` only
        # when it fails (a holder is checked for every parameter, body, response and media type).
        if not isinstance(node, dict):
            need(node, dict, ptr)
            return
        params = node.get("parameters")
        if params is not None:
            if not isinstance(params, list):
                need(params, list, (ptr, "/parameters", None))
            for i, param in enumerate(params):
                holder(param, (ptr, f"/parameters/{i}", None))
        for key in _HOLDER_MAPS:
            value = node.get(key)
            if value is not None and not isinstance(value, dict):
                need(value, dict, (ptr, "/" + key, None))
        schema = node.get("schema")
        if schema is not None and not isinstance(schema, (dict, bool)):  # `true`/`false` are schemas in 3.1
            need(schema, dict, (ptr, "/schema", None))
        if isinstance(node.get("requestBody"), dict):
            holder(node["requestBody"], (ptr, "/requestBody", None))
        for key in ("content", "responses", "headers"):
            value = node.get(key)
            if value:
                for name, sub in value.items():
                    holder(sub, (ptr, f"/{key}/", str(name)))

    for key, kind in _TOP_LEVEL.items():
        need(doc.get(key), kind, "/" + key)
    for path, item in (doc.get("paths") or {}).items():
        item_ptr = join_pointer("paths", path)
        need(item, dict, item_ptr)
        if not isinstance(item, dict):
            continue
        need(item.get("parameters"), list, item_ptr + "/parameters")
        for i, param in enumerate(item.get("parameters") or []):
            holder(param, f"{item_ptr}/parameters/{i}")
        for method in HTTP_METHODS:
            if method in item:
                holder(item[method], item_ptr + "/" + method)
                if isinstance(item[method], dict):
                    need(item[method].get("tags"), list, f"{item_ptr}/{method}/tags")
    for i, server in enumerate(doc.get("servers") or []):
        need(server, dict, f"/servers/{i}", required=True)
        need(server.get("variables"), dict, f"/servers/{i}/variables")
        for name, variable in (server.get("variables") or {}).items():
            need(variable, dict, join_pointer("servers", i, "variables", name), required=True)
    for section, entries in (doc.get("components") or {}).items():
        need(entries, dict, join_pointer("components", section))
        if section == "securitySchemes":
            for name, scheme in (entries or {}).items():
                need(scheme, dict, join_pointer("components", section, name), required=True)
        if section in ("parameters", "requestBodies", "responses", "headers"):
            for name, entry in (entries or {}).items():
                holder(entry, join_pointer("components", section, name))


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a mapping" if isinstance(value, dict) else "null"


# Passes that never add, remove or move a schema (they edit keywords no schema sits under): the schema
# walk before them is still right after them. After any other pass that changed something (every change
# is warned about), the next pass walks the schemas again.
_KEEP_SCHEMAS: frozenset[Pass] = frozenset(
    {
        flatten_fern_tags,
        unwrap_enum_value_objects,
        dedupe_enum_values,
        exclusive_bounds,
        schema_examples,
        const_to_enum_in_30,
        ensure_operation_ids,
    }
)


def normalize(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """Check the document's skeleton, then run every pass in order on ``doc`` (in place)."""
    check_shapes(doc, ctx)
    ctx.sharing, ctx.shared_index, ctx.shared_refs = True, None, None
    try:
        for pass_ in PASSES:
            before = len(ctx.warnings)
            pass_(doc, ctx)
            if len(ctx.warnings) != before and pass_ not in _KEEP_SCHEMAS:
                ctx.shared_index = None
    finally:
        ctx.sharing, ctx.shared_index, ctx.shared_refs = False, None, None
