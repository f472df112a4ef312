"""Build the intermediate model (``ir.Api``) from a normalized document and its vendor config."""

from __future__ import annotations

import dataclasses
import marshal
import re
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, cast

from generator import ir
from generator.errors import SpecError, escape_pointer_token, join_pointer, split_pointer
from generator.ir.names import builtins_used, finalize
from generator.naming import CLIENT_MODULE_NAMES, ascii_words, enum_member_names, field_name, snake_name, unique
from generator.spec.config import VendorConfig, credential_env
from generator.spec.loader import resolve_pointer
from generator.spec.normalize import X_GROUP_PATH, X_ORIGINAL_NAME, iter_operations, tag_group_path

# Constraint keywords -> ``ir.Constraints`` fields (the exclusive bounds and uniqueItems are read apart).
_CONSTRAINT_KEYS = {
    "minLength": "min_length", "maxLength": "max_length", "pattern": "pattern", "format": "format",
    "minimum": "minimum", "maximum": "maximum", "multipleOf": "multiple_of",
    "minItems": "min_items", "maxItems": "max_items", "minProperties": "min_properties",
    "maxProperties": "max_properties",
}  # fmt: skip
_TEXT_CONSTRAINTS = frozenset({"pattern", "format"})
_NO_CONSTRAINTS = ir.Constraints()
# Every keyword _base reads into Constraints: a schema with none of them has no constraint.
_ANY_CONSTRAINT = frozenset({*_CONSTRAINT_KEYS, "exclusiveMinimum", "exclusiveMaximum", "uniqueItems"})
# A `~` that is not `~0` or `~1`: splitting and joining such a pointer does not give it back.
_ODD_ESCAPE = re.compile(r"~(?![01])")
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
# Keywords that describe a schema without constraining it (an allOf part of only these annotates).
_ANNOTATIONS = frozenset({
    "title", "description", "examples", "example", "deprecated", "$comment", "default", "readOnly", "writeOnly",
    "externalDocs", "xml",
})  # fmt: skip
_SCHEMA_PREFIX = "#/components/schemas/"
# Fern's SDK hints: where a spec carries them, the official SDK's call shape is the one users know.
FERN_GROUP = "x-fern-sdk-group-name"
FERN_METHOD = "x-fern-sdk-method-name"
_JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
_STATUS = re.compile(r"^([1-5](\d\d|XX)|default)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Kept:
    """One modelled part of a document (a component schema, an operation) and what its model depends on."""

    key: bytes  # the part as written (``_node_key``)
    model: Any
    refs: frozenset[str]  # component schemas it refers to: they must exist
    followed: tuple[tuple[str, bytes], ...]  # every other $ref it followed, with its target's key
    skipped: tuple[ir.Skipped, ...] = ()  # what modelling it left out


class ModelCache:
    """Component schemas and operations as one ``build_api`` modelled them, for the next build of a
    document that holds some of them unchanged: the two sides of a diff share most of theirs.

    A part's model depends on the part as written, on which component schemas exist (a ``$ref`` to
    a missing one is an error) and on what every other ``$ref`` it follows leads to; a part that
    could not be modelled is not kept.
    """

    __slots__ = ("_kept",)

    def __init__(self) -> None:
        # ("schema", name) or ("operation", path, method) -> what was modelled there.
        self._kept: dict[tuple[str, ...], _Kept] = {}

    def find(self, part: tuple[str, ...], key: bytes | None, b: _Builder, declared: Container[str]) -> _Kept | None:
        """What was kept for ``part``, if it holds for that part written as ``key`` in ``b``'s document."""
        kept = self._kept.get(part)
        if key is None or kept is None or kept.key != key or not all(ref in declared for ref in kept.refs):
            return None
        if any(b.target_key(ref) != target for ref, target in kept.followed):
            return None
        return kept

    def keep(self, part: tuple[str, ...], kept: _Kept | None) -> None:
        """Keep what was modelled for ``part`` (nothing, for a part that cannot be kept)."""
        if kept is not None:
            self._kept[part] = kept


def _node_key(node: Any) -> bytes | None:
    """``node`` serialized exactly: equal keys are equal nodes, key order and ``1``/``1.0``/``True`` told apart.

    ``marshal`` version 2 writes no back-references, so the bytes depend on the structure alone; a value it
    cannot write (or nesting too deep) gives None, and the node is modelled afresh.
    """
    try:
        return marshal.dumps(node, 2)
    except ValueError:
        return None


class _Builder:
    def __init__(self, doc: dict[str, Any], file: Path | None) -> None:
        self.doc = doc
        self.file = file
        self._resolving: set[str] = set()
        # What cannot be modelled and is left out (an operation, a response) or typed as any value (a schema).
        self.skipped: list[ir.Skipped] = []
        # What the part modelled since ``begin`` depends on besides itself (see ``ModelCache``): the
        # component schemas it refers to, and the other $refs it followed with their targets.
        self.refs_seen: set[str] = set()
        self.followed: set[str] = set()
        self._skipped_from = 0
        # $ref -> its target's ``_node_key``, until the build next changes the document (``changed``):
        # many operations follow the same few references.
        self._target_keys: dict[str, bytes | None] = {}

    def begin(self) -> None:
        """Start modelling one part of the document (for ``kept``)."""
        self.refs_seen, self.followed, self._skipped_from = set(), set(), len(self.skipped)

    def kept(self, key: bytes | None, model: Any) -> _Kept | None:
        """The part modelled since ``begin`` as a ``ModelCache`` keeps it, if it can be kept."""
        if key is None:
            return None
        followed = []
        for ref in self.followed:
            target = self.target_key(ref)
            if target is None:
                return None
            followed.append((ref, target))
        skipped = tuple(self.skipped[self._skipped_from :])
        return _Kept(key, model, frozenset(self.refs_seen), tuple(followed), skipped)

    def target_key(self, ref: str) -> bytes | None:
        """The ``_node_key`` of what local ``ref`` names in the document now (None: nothing there)."""
        if ref not in self._target_keys:
            try:
                self._target_keys[ref] = _node_key(resolve_pointer(self.doc, ref.removeprefix("#")))
            except (KeyError, ValueError):
                self._target_keys[ref] = None
        return self._target_keys[ref]

    def changed(self) -> None:
        """The build changed the document (it left something out): what $refs name is read again."""
        self._target_keys.clear()

    def error(self, message: str, pointer: str) -> SpecError:
        return SpecError(message, file=self.file, pointer=pointer)

    # ------------------------------------------------------------------ schemas

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow ``$ref`` chains on non-schema objects (parameters, bodies, responses)."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                raise self.error(f"$ref cycle through {ref!r}", pointer)
            seen.add(ref)
            try:
                node = resolve_pointer(self.doc, ref.removeprefix("#"))
            except (KeyError, ValueError):
                raise self.error(f"unresolvable $ref {ref!r}", pointer + "/$ref") from None
            self.followed.add(ref)
            pointer = ref.removeprefix("#")
        return node, pointer

    def schema(self, node: Any, pointer: str) -> ir.Schema:
        """Convert one JSON schema into its IR kind."""
        if node is True or node is None or node == {}:
            return ir.AnySchema()
        if node is False:
            return ir.NullSchema(description="never valid")
        if not isinstance(node, dict):
            raise self.error(f"expected a schema object, found {type(node).__name__}", pointer)
        ref = node.get("$ref")
        # A bare reference (most schemas below a component) has nothing else to read.
        base = _BARE_BASE if isinstance(ref, str) and len(node) == 1 else self._base(node)
        if isinstance(ref, str):
            if ref.startswith(_SCHEMA_PREFIX) and "/" not in ref[len(_SCHEMA_PREFIX) :]:
                name = ref[len(_SCHEMA_PREFIX) :]
                if name not in ((self.doc.get("components") or {}).get("schemas") or {}):
                    raise self.error(f"unresolvable $ref {ref!r}", pointer + "/$ref")
                self.refs_seen.add(name)
                return ir.RefSchema(name=name, **base)
            if ref in self._resolving:
                return ir.AnySchema(**base)  # a cycle through a non-component pointer
            self._resolving.add(ref)
            try:
                target, target_ptr = self.deref(node, pointer)
                return self.schema(target, target_ptr)
            finally:
                self._resolving.discard(ref)

        types = node.get("type")
        type_list = types if isinstance(types, list) else ([types] if types is not None else [])
        if not _JSON_TYPES.issuperset(type_list):
            raise self.error(f"`type` must name JSON types, found {types!r}", pointer + "/type")
        nullable = bool(node.get("nullable")) or "null" in type_list
        non_null = [t for t in type_list if t != "null"]

        # An empty `enum: []` beside an allOf/$ref (Discord) means the referenced enum, not "nothing".
        empty_enum = node.get("enum") == [] and "const" not in node
        if ("enum" in node or "const" in node) and not empty_enum:
            values = list(node["enum"]) if isinstance(node.get("enum"), list) else [node.get("const")]
            if None in values:
                nullable = True
                values = [v for v in values if v is not None]
            if not values:
                return ir.NullSchema(**{**base, "nullable": True})
            names = node.get("x-enum-varnames")
            value_type = non_null[0] if len(non_null) == 1 else _infer_value_type(values)
            varnames = tuple(str(n) for n in names) if isinstance(names, list) and len(names) == len(values) else None
            return ir.EnumSchema(
                values=tuple(values),
                value_type=value_type if value_type in ("string", "integer", "number", "boolean") else "mixed",  # type: ignore[arg-type]
                member_names=varnames,
                python_names=enum_member_names(tuple(values), varnames),
                **{**base, "nullable": nullable},
            )

        for key in ("oneOf", "anyOf"):
            variants = node.get(key)
            if isinstance(variants, list):
                converted = [self.schema(v, f"{pointer}/{key}/{i}") for i, v in enumerate(variants)]
                if any(isinstance(v, ir.NullSchema) for v in converted):
                    nullable = True
                    converted = [v for v in converted if not isinstance(v, ir.NullSchema)]
                if len(converted) == 1 and not non_null and "properties" not in node:
                    return _with(
                        converted[0],
                        nullable=nullable or converted[0].nullable,
                        description=base["description"] or converted[0].description,
                    )
                if converted:
                    disc = node.get("discriminator")
                    mapping = disc.get("mapping") if isinstance(disc, dict) else None
                    return ir.UnionSchema(
                        variants=tuple(converted),
                        kind=cast("Any", key),
                        discriminator=disc.get("propertyName") if isinstance(disc, dict) else None,
                        mapping=tuple(
                            (str(value), str(ref).rsplit("/", 1)[-1])
                            for value, ref in mapping.items()
                            if isinstance(ref, str)
                        )
                        if isinstance(mapping, dict)
                        else (),
                        **{**base, "nullable": nullable},
                    )
        parts = node.get("allOf")
        if isinstance(parts, list) and parts and all(_annotation_only(p) for p in parts):
            # `{type: integer, allOf: [{title: ...}]}`: the parts only annotate what sits beside them
            # (as a part of its own it would be Any, and the type and constraints would be lost).
            merged = {k: v for part in parts for k, v in part.items()}
            merged.update((k, v) for k, v in node.items() if k != "allOf")
            return self.schema(merged, pointer)
        if isinstance(parts, list) and parts:
            converted = [self.schema(p, f"{pointer}/allOf/{i}") for i, p in enumerate(parts)]
            own = {k: node[k] for k in ("properties", "required", "additionalProperties") if k in node}
            if len(converted) == 1 and not own:
                return _with(
                    converted[0],
                    nullable=nullable or converted[0].nullable,
                    description=base["description"] or converted[0].description,
                )
            if own:
                # Properties and `required` beside allOf (DigitalOcean) are one more part.
                converted.append(self._object(own, pointer, self._base({})))
            return ir.AllOfSchema(parts=tuple(converted), **{**base, "nullable": nullable})

        if type_list and not non_null:
            return ir.NullSchema(**base)
        if len(non_null) > 1:
            variants = tuple(self.schema({**node, "type": t}, pointer) for t in non_null)
            return ir.UnionSchema(variants=variants, kind="anyOf", **{**base, "nullable": nullable})
        kind = (
            non_null[0]
            if non_null
            # `required` alone (an allOf part naming what other parts define) is about an object too.
            else ("object" if "properties" in node or "required" in node else ("array" if "items" in node else None))
        )
        base["nullable"] = nullable
        if kind == "string":
            return ir.StringSchema(**base)
        if kind == "integer":
            return ir.IntegerSchema(**base)
        if kind == "number":
            return ir.NumberSchema(**base)
        if kind == "boolean":
            return ir.BooleanSchema(**base)
        if kind == "null":
            return ir.NullSchema(**base)
        if kind == "array":
            prefix = node.get("prefixItems")
            prefix_items = (
                tuple(self.schema(sub, f"{pointer}/prefixItems/{i}") for i, sub in enumerate(prefix))
                if isinstance(prefix, list) and all(isinstance(sub, dict) for sub in prefix)
                else ()
            )
            items = self.schema(node.get("items", {}), pointer + "/items")
            return ir.ArraySchema(items=items, prefix_items=prefix_items, **base)
        if kind == "object":
            return self._object(node, pointer, base)
        return ir.AnySchema(**base)

    def _object(self, node: dict[str, Any], pointer: str, base: dict[str, Any]) -> ir.ObjectSchema:
        props = node.get("properties") or {}
        if not isinstance(props, dict):
            raise self.error("`properties` must be a mapping", pointer + "/properties")
        required = node.get("required") or []
        if not isinstance(required, list):
            raise self.error("`required` must be a list", pointer + "/required")
        schemas = {
            str(name): self.schema(sub, pointer + "/properties/" + escape_pointer_token(name))
            for name, sub in props.items()
        }
        extra = node.get("additionalProperties", True)
        additional: ir.Schema | bool = (
            extra if isinstance(extra, bool) else self.schema(extra, pointer + "/additionalProperties")
        )
        keys = node.get("propertyNames")
        property_names = self.schema(keys, pointer + "/propertyNames") if isinstance(keys, dict) else None
        # Field names keep clear of the builtins this class's annotations use (typed extras: dict, str).
        used = set().union(*(builtins_used(s) for s in schemas.values()))
        if isinstance(additional, ir.SchemaBase) and not isinstance(additional, ir.AnySchema):
            used |= {"dict", "str"} | builtins_used(additional)
        taken: set[str] = set()
        properties = []
        for name, schema in schemas.items():
            python_name = field_name(name, taken, used)
            taken.add(python_name)
            properties.append(ir.Property(name=name, python_name=python_name, schema=schema, required=name in required))
        return ir.ObjectSchema(
            properties=tuple(properties),
            additional=additional,
            property_names=property_names,
            required_names=tuple(str(r) for r in required),
            **base,
        )

    @staticmethod
    def _base(node: dict[str, Any]) -> dict[str, Any]:
        constraints = _NO_CONSTRAINTS
        if not _ANY_CONSTRAINT.isdisjoint(node):
            # A bound that is not a number (`minimum: {}`) is a flaw the validator reports where
            # it is; the model just does not get it (nor `pattern`/`format` that are not text).
            values: dict[str, Any] = {
                _CONSTRAINT_KEYS[key]: node[key]
                for key in _CONSTRAINT_KEYS.keys() & node.keys()
                if (isinstance(node[key], str) if key in _TEXT_CONSTRAINTS else _is_number(node[key]))
            }
            # 3.0 writes exclusive bounds as booleans beside minimum/maximum; 3.1 as numbers.
            for key, attr, bound in (
                ("exclusiveMinimum", "exclusive_minimum", "minimum"),
                ("exclusiveMaximum", "exclusive_maximum", "maximum"),
            ):
                value = node.get(key)
                if value is True and _CONSTRAINT_KEYS[bound] in values:
                    values[attr] = values.pop(_CONSTRAINT_KEYS[bound])
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    values[attr] = value
            values["unique_items"] = node.get("uniqueItems") is True
            # Most schemas have no constraint: they share one (frozen) instance.
            if len(values) > 1 or values["unique_items"]:
                constraints = ir.Constraints(**values)
        description = node.get("description")
        return {
            "description": description if isinstance(description, str) else "",
            "deprecated": node.get("deprecated") is True,
            "read_only": node.get("readOnly") is True,
            "write_only": node.get("writeOnly") is True,
            "has_default": "default" in node,
            "default": node.get("default"),
            "constraints": constraints,
            "sunset": str(node["x-sunset"]) if "x-sunset" in node else None,
        }

    # -------------------------------------------------------------- operations

    def parameters(
        self, raw: list[Any], pointer: str, inherited: dict[tuple[str, str], ir.Parameter] | dict[Any, ir.Parameter]
    ) -> list[ir.Parameter]:
        params = dict(inherited)
        for i, p in enumerate(raw):
            node, ptr = self.deref(p, f"{pointer}/{i}")
            if (
                not isinstance(node, dict)
                or not isinstance(node.get("name"), str)
                or node.get("in") not in ("path", "query", "header", "cookie")
            ):
                raise self.error("a parameter needs a string `name` and `in` of path, query, header or cookie", ptr)
            if node["in"] == "header" and node["name"].lower() in _IGNORED_HEADER_PARAMS:
                # OpenAPI: such a header parameter "SHALL be ignored"; the client sets it itself.
                continue
            schema = node.get("schema")
            content_type = None
            if schema is None and isinstance(node.get("content"), dict) and node["content"]:
                content_type, media = next(iter(node["content"].items()))
                schema = media.get("schema") if isinstance(media, dict) else None
            params[(node["in"], node["name"])] = ir.Parameter(
                name=node["name"],
                python_name="",
                location=node["in"],
                required=node.get("required") is True or node["in"] == "path",
                schema=self.schema(schema or {}, ptr + "/schema"),
                description=node.get("description") or "",
                deprecated=node.get("deprecated") is True,
                style=node.get("style") if isinstance(node.get("style"), str) else None,
                explode=node.get("explode") if isinstance(node.get("explode"), bool) else None,
                sunset=str(node["x-sunset"]) if "x-sunset" in node else None,
                content_type=str(content_type) if content_type is not None else None,
                allow_reserved=node.get("allowReserved") is True,
            )
        return list(params.values())

    def content(self, node: dict[str, Any], pointer: str) -> tuple[ir.MediaType, ...]:
        content = node.get("content") or {}
        if not isinstance(content, dict):
            raise self.error("`content` must be a mapping of media types", pointer + "/content")
        media = [
            ir.MediaType(
                ct,
                self.schema(mt.get("schema"), _below(pointer, "content", ct, "schema"))
                if isinstance(mt, dict) and "schema" in mt
                else None,
                _encoding(mt),
            )
            for ct, mt in content.items()
        ]
        # JSON first: it is what the client sends and parses.
        media.sort(key=lambda m: 0 if m.is_json else 1)
        return tuple(media)

    def operation(
        self, path: str, method: str, op: dict[str, Any], pointer: str, item: dict[str, Any], config: _OperationConfig
    ) -> ir.Operation:
        path_params = {
            (p.location, p.name): p
            for p in self.parameters(item.get("parameters") or [], _below(pointer.rsplit("/", 1)[0], "parameters"), {})
        }
        params = self.parameters(op.get("parameters") or [], pointer + "/parameters", path_params)
        declared = {p.name for p in params if p.location == "path"}
        # A template variable no parameter declares (the validator warns) is still needed to call the
        # operation: it becomes a required string argument.
        params += [
            ir.Parameter(name, "", "path", True, ir.StringSchema(), "Not declared by the spec; sent as a string.")
            for name in dict.fromkeys(re.findall(r"{([^{}]+)}", path))
            if name not in declared
        ]
        params = [p for p in params if not (p.location == "header" and p.name.lower() in config.client_headers)]
        # Module names of the client a method body uses are off limits too (a `models` parameter
        # shadowed the models module).
        taken = set(_RESERVED_ARGUMENTS)
        named = []
        for p in sorted(params, key=lambda p: ("path", "query", "header", "cookie").index(p.location)):
            py = snake_name(p.name, taken)
            taken.add(py)
            named.append(ir.Parameter(**{**_fields(p), "python_name": py}))
        body = None
        raw_body = op.get("requestBody")
        if raw_body is not None:
            node, ptr = self.deref(raw_body, pointer + "/requestBody")
            if not isinstance(node, dict):
                raise self.error("`requestBody` must be an object", ptr)
            body = ir.RequestBody(
                required=node.get("required") is True,
                content=self.content(node, ptr),
                description=node.get("description") or "",
            )
        responses = []
        left_out: list[ir.Skipped] = []  # recorded once the operation as a whole is modelled
        raw_responses = op.get("responses") or {}
        if not isinstance(raw_responses, dict):
            raise self.error("`responses` must be a mapping of status codes", pointer + "/responses")
        streaming = _fern_streaming(op.get("x-fern-streaming"))
        for status, resp in raw_responses.items():
            status_ptr = _below(pointer, "responses", str(status))
            if not _STATUS.match(str(status)):
                # One undecodable status leaves the rest of the operation usable.
                left_out.append(
                    ir.Skipped(
                        "response",
                        f"{op.get('operationId')} {status}",
                        f"{method.upper()} {path}",
                        f"{str(status)!r} is not an HTTP status code, a range like 4XX, or default",
                        status_ptr,
                    )
                )
                continue
            node, ptr = self.deref(resp, status_ptr)
            if not isinstance(node, dict):
                raise self.error("a response must be an object", ptr)
            responses.append(
                ir.Response(
                    status=str(status).upper(),
                    description=node.get("description") or "",
                    content=(content := self.content(node, ptr)),
                    headers=tuple(sorted((node.get("headers") or {}).keys())),
                    streaming=str(status).startswith("2")
                    and (streaming or any(m.kind == "event-stream" for m in content[:1])),
                )
            )
        tags = op.get("tags") or []
        group = op.get(X_GROUP_PATH)
        if not isinstance(group, list):
            group = tag_group_path(str(tags[0]) if tags else "")
        security = op.get("security")
        op_id = op["operationId"]
        python_name = method_name(op_id, group)
        fern_group, fern_method = op.get(FERN_GROUP), op.get(FERN_METHOD)
        if isinstance(fern_group, str):
            fern_group = [fern_group]
        if isinstance(fern_group, list) and all(isinstance(g, str) and ascii_words(g) for g in fern_group):
            group = [snake_name(g) for g in fern_group]
        if isinstance(fern_method, str) and ascii_words(fern_method):
            python_name = snake_name(fern_method)
        self.skipped.extend(left_out)
        return ir.Operation(
            operation_id=op_id,
            method=method.upper(),
            path=path,
            group_path=tuple(group),
            python_name=python_name,
            summary=op.get("summary") or "",
            description=op.get("description") or "",
            tags=tuple(str(t) for t in tags),
            parameters=tuple(named),
            request_body=body,
            responses=tuple(responses),
            deprecated=op.get("deprecated") is True,
            security=tuple(tuple(sorted(req)) for req in security if isinstance(req, dict))
            if isinstance(security, list)
            else None,
            idempotent=method.upper() in IDEMPOTENT_METHODS
            or op_id in config.idempotent
            or op.get("x-idempotent") is True,
            sunset=str(op["x-sunset"]) if "x-sunset" in op else None,
            stability=str(op["x-stability-level"]) if "x-stability-level" in op else None,
        )


class _OperationConfig(NamedTuple):
    """What modelling an operation reads from the vendor config."""

    client_headers: frozenset[str]  # lower-cased: header parameters the client sets itself
    idempotent: frozenset[str]  # operationIds the config declares idempotent

    def key(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The settings as plain sorted tuples (for ``_node_key``)."""
        return tuple(sorted(self.client_headers)), tuple(sorted(self.idempotent))


# What ``_Builder._base`` reads from a schema with no keyword besides ``$ref`` (only ever unpacked, never changed).
_BARE_BASE = _Builder._base({})

# Names no argument of a client method may take.
_RESERVED_ARGUMENTS = ir.RESERVED_ARGUMENTS | CLIENT_MODULE_NAMES
# Header parameters the OpenAPI specification says to ignore (the client sets them itself;
# Authorization is handled by the normalizer's credential passes).
_IGNORED_HEADER_PARAMS = frozenset({"accept", "content-type"})


def _encoding(media: Any) -> tuple[tuple[str, str], ...]:
    """``encoding`` of a multipart/form media type: part name -> contentType, where one is given."""
    encoding = media.get("encoding") if isinstance(media, dict) else None
    if not isinstance(encoding, dict):
        return ()
    return tuple(
        (str(name), str(enc["contentType"]))
        for name, enc in encoding.items()
        if isinstance(enc, dict) and isinstance(enc.get("contentType"), str)
    )


def _fern_streaming(value: Any) -> bool:
    """Fern's ``x-fern-streaming``: ``true`` or ``{format: ...}``; a ``stream-condition`` (streams only
    when a request field says so) is not modelled, so such an operation keeps its buffered response."""
    if value is True:
        return True
    return isinstance(value, dict) and "stream-condition" not in value


def _below(pointer: str, *tokens: str) -> str:
    """``join_pointer(*split_pointer(pointer), *tokens)``, without the round trip where it gives ``pointer`` back."""
    if (pointer.startswith("/") or not pointer) and not _ODD_ESCAPE.search(pointer):
        return pointer + join_pointer(*tokens)
    return join_pointer(*split_pointer(pointer), *tokens)


def _fields(p: ir.Parameter) -> dict[str, Any]:
    return {name: getattr(p, name) for name in _PARAMETER_FIELDS}


_PARAMETER_FIELDS = tuple(f.name for f in dataclasses.fields(ir.Parameter))


def _with(schema: ir.Schema, **changes: Any) -> ir.Schema:
    return dataclasses.replace(schema, **changes)


def _infer_value_type(values: list[Any]) -> str:
    kinds = {
        "boolean"
        if isinstance(v, bool)
        else "integer"
        if isinstance(v, int)
        else "number"
        if isinstance(v, float)
        else "string"
        if isinstance(v, str)
        else "mixed"
        for v in values
    }
    return kinds.pop() if len(kinds) == 1 else "mixed"


def build_api(
    doc: dict[str, Any], config: VendorConfig, file: Path | None = None, *, cache: ModelCache | None = None
) -> ir.Api:
    """Build the intermediate model from a normalized, validated document.

    With a ``cache``, the component schemas and operations another build kept there are not modelled
    again where they are unchanged, and this build's are kept for the next.
    """
    b = _Builder(doc, file)
    info = doc.get("info") or {}
    comps = doc.get("components") or {}
    schemas = []
    declared = comps.get("schemas") or {}
    for name, node in declared.items():
        original = node.get(X_ORIGINAL_NAME, name) if isinstance(node, dict) else name
        pointer = join_pointer("components", "schemas", name)
        key = _node_key(node) if cache is not None else None
        kept = cache.find(("schema", name), key, b, declared) if cache is not None else None
        if kept is not None:
            schema = kept.model
        else:
            b.begin()
            try:
                schema = b.schema(node, pointer)
            except SpecError as exc:
                schema = _unmodelled_schema(b, doc, name, exc.message, exc.pointer or pointer)
            else:
                if cache is not None:
                    cache.keep(("schema", name), b.kept(key, schema))
        schemas.append(ir.NamedSchema(name=name, class_name=name, schema=schema, original_name=original))
    for name, loop in _ref_loops(schemas):
        schema = _unmodelled_schema(
            b,
            doc,
            name,
            f"only a $ref, and the refs loop ({loop}) without defining a type",
            join_pointer("components", "schemas", name, "$ref"),
        )
        schemas = [dataclasses.replace(s, schema=schema) if s.name == name else s for s in schemas]

    schemes = []
    for name, raw in (comps.get("securitySchemes") or {}).items():
        node, _ = b.deref(raw, join_pointer("components", "securitySchemes", name))
        schemes.append(
            ir.SecurityScheme(
                name=name,
                type=str(node.get("type", "")),
                location=node.get("in"),
                parameter_name=node.get("name"),
                scheme=str(node["scheme"]).lower() if node.get("scheme") else None,
                description=node.get("description") or "",
            )
        )
    servers = []
    for raw in doc.get("servers") or []:
        variables = tuple(
            ir.ServerVariable(
                name=n,
                default=str(v.get("default", "")),
                enum=tuple(str(e) for e in v.get("enum") or ()),
                description=v.get("description") or "",
            )
            for n, v in (raw.get("variables") or {}).items()
        )
        servers.append(
            ir.Server(url=str(raw.get("url", "")), description=raw.get("description") or "", variables=variables)
        )
    if config.default_base_url and not servers:
        servers.append(ir.Server(url=config.default_base_url, description="from the vendor config"))

    operations = []
    known_ids = set()
    taken_by_group: dict[tuple[str, ...], set[str]] = {}
    op_config = _OperationConfig(
        frozenset(h.header.lower() for h in config.client_headers), frozenset(config.idempotent_operations)
    )
    config_key = op_config.key()
    for path, method, op, ptr in list(iter_operations(doc)):
        item = doc["paths"][path]
        key = _node_key((op, item.get("parameters"), config_key)) if cache is not None else None
        kept = cache.find(("operation", path, method), key, b, declared) if cache is not None else None
        if kept is not None:
            operation = kept.model
            b.skipped.extend(kept.skipped)
        else:
            b.begin()
            try:
                operation = b.operation(path, method, op, ptr, item, op_config)
            except SpecError as exc:
                b.skipped.append(
                    ir.Skipped(
                        "operation",
                        str(op.get("operationId")),
                        f"{method.upper()} {path}",
                        exc.message,
                        exc.pointer or ptr,
                    )
                )
                # Out of the document too, so the model emitter, reading it, leaves it out as the client does.
                del item[method]
                b.changed()
                continue
            if cache is not None:
                cache.keep(("operation", path, method), b.kept(key, operation))
        taken = taken_by_group.setdefault(operation.group_path, set())
        name = unique(operation.python_name, taken)
        taken.add(name)
        if name != operation.python_name:
            operation = dataclasses.replace(operation, python_name=name)
        operations.append(operation)
        known_ids.add(operation.operation_id)
    left_out = {s.name for s in b.skipped if s.kind == "operation"}
    for op_id in config.idempotent_operations:
        if op_id not in known_ids and op_id not in left_out:
            raise SpecError(
                f"idempotent_operations names unknown operationId {op_id!r}",
                file=config.config_path,
                pointer="/idempotent_operations",
            )

    credentials = _credentials(config, schemes)
    client_headers = _client_headers(config, doc)
    security = tuple(tuple(sorted(req)) for req in doc.get("security") or [] if isinstance(req, dict))
    api = ir.Api(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        openapi_version=str(doc.get("openapi", "")),
        description=info.get("description") or "",
        servers=tuple(servers),
        security=security,
        security_schemes=tuple(schemes),
        operations=tuple(operations),
        schemas=tuple(schemas),
        credentials=credentials,
        client_headers=client_headers,
        skipped=tuple(b.skipped),
    )
    return finalize(api)


def _unmodelled_schema(b: _Builder, doc: dict[str, Any], name: str, reason: str, pointer: str) -> ir.Schema:
    """A component schema that cannot be modelled becomes "any value", in the IR and in the document alike."""
    b.skipped.append(ir.Skipped("schema", name, name, reason, pointer))
    description = f"Any value: the spec's schema {name!r} cannot be modelled ({reason})."
    doc["components"]["schemas"][name] = {"description": description}
    b.changed()
    return ir.AnySchema(description=description)


def _ref_loops(schemas: list[ir.NamedSchema]) -> list[tuple[str, str]]:
    """Schemas that are only a ``$ref`` to themselves, directly or through others: they define no type."""
    by_name = {s.name: s.schema for s in schemas}
    loops = []
    for named in schemas:
        chain = [named.name]
        node = named.schema
        while isinstance(node, ir.RefSchema) and node.name in by_name:
            if node.name in chain:
                if node.name == named.name:
                    loops.append((named.name, " -> ".join([*chain, node.name])))
                break
            chain.append(node.name)
            node = by_name[node.name]
    return loops


def _credentials(config: VendorConfig, schemes: list[ir.SecurityScheme]) -> tuple[ir.Credential, ...]:
    by_name = {s.name: s for s in schemes}
    result: list[ir.Credential] = []
    bound = set()
    for i, c in enumerate(config.credentials):
        scheme_name = c.scheme or _header_scheme(schemes, c.header or "")
        scheme = by_name.get(scheme_name or "")
        if scheme is None:
            raise SpecError(
                f"credential {c.argument!r} names security scheme {scheme_name!r}, which the spec does not define",
                file=config.config_path,
                pointer=f"/credentials/{i}",
            )
        bound.add(scheme.name)
        credential = _credential(c.argument, c.env, scheme, c.server_variable)
        if credential.prefix == "Basic ":
            taken = {x.argument for x in config.credentials} | {
                x.password_argument for x in result if x.password_argument
            }
            password = c.password_argument or unique(_basic_arguments(scheme.name)[1], taken)
            env = c.password_env or credential_env(config.package, password)
            credential = dataclasses.replace(credential, password_argument=password, password_env=env)
        result.append(credential)
    taken = {c.argument for c in result} | {c.password_argument for c in result if c.password_argument}
    for scheme in schemes:  # unbound schemes still get an argument, so every spec yields a usable client
        if scheme.name not in bound and (
            scheme.type == "apiKey"
            or (scheme.type == "http" and scheme.scheme in ("bearer", "basic"))
            or scheme.type in ("oauth2", "openIdConnect")
        ):
            if scheme.type == "http" and scheme.scheme == "basic":
                user, password = (unique(name, taken) for name in _basic_arguments(scheme.name))
                taken |= {user, password}
                credential = _credential(user, credential_env(config.package, user), scheme, None)
                basic = {"password_argument": password, "password_env": credential_env(config.package, password)}
                result.append(dataclasses.replace(credential, **basic))
                continue
            arg = snake_name(scheme.name, taken)
            taken.add(arg)
            result.append(_credential(arg, credential_env(config.package, arg), scheme, None))
    return tuple(result)


def _basic_arguments(scheme_name: str) -> tuple[str, str]:
    """User name and password arguments for an HTTP Basic scheme: ``accountSid_authToken`` names both."""
    parts = scheme_name.split("_")
    if len(parts) == 2 and all(snake_name(p) for p in parts) and snake_name(parts[0]) != snake_name(parts[1]):
        return snake_name(parts[0]), snake_name(parts[1])
    return "username", "password"


def _header_scheme(schemes: list[ir.SecurityScheme], header: str) -> str | None:
    return next(
        (s.name for s in schemes if s.type == "apiKey" and (s.parameter_name or "").lower() == header.lower()), None
    )


def _credential(argument: str, env: str, scheme: ir.SecurityScheme, server_variable: str | None) -> ir.Credential:
    if scheme.type == "apiKey":
        location = scheme.location or "header"
        return ir.Credential(argument, env, scheme.name, scheme.parameter_name, location, "", server_variable)
    if scheme.type == "http" and scheme.scheme == "basic":
        return ir.Credential(argument, env, scheme.name, "Authorization", "header", "Basic ", server_variable)
    return ir.Credential(argument, env, scheme.name, "Authorization", "header", "Bearer ", server_variable)


def _client_headers(config: VendorConfig, doc: dict[str, Any]) -> tuple[ir.ClientHeader, ...]:
    result = []
    for i, h in enumerate(config.client_headers):
        description = None
        for _path, _method, op, _ptr in iter_operations(doc):
            for p in op.get("parameters") or []:
                if (
                    isinstance(p, dict)
                    and p.get("in") == "header"
                    and str(p.get("name", "")).lower() == h.header.lower()
                ):
                    description = p.get("description") or ""
        if description is None:
            raise SpecError(
                f"client header {h.header!r} is not a header parameter of any operation",
                file=config.config_path,
                pointer=f"/client_headers/{i}",
            )
        result.append(ir.ClientHeader(argument=h.argument, env=h.env, header=h.header, description=description))
    return tuple(result)


def method_name(operation_id: str, group: list[Any]) -> str:
    """The method for ``operation_id`` under resource ``group``.

    A namespaced id whose namespace is the resource (GitHub's ``gists/list`` tagged ``gists``)
    drops it: ``client.gists.list``, as Octokit spells it, not ``client.gists.gists_list``.
    """
    namespace, slash, rest = str(operation_id).rpartition("/")
    if slash and group and ascii_words(rest) and snake_name(namespace) == snake_name(str(group[-1])):
        return snake_name(rest)
    return snake_name(operation_id)


def _annotation_only(part: Any) -> bool:
    """An allOf part of annotations only (a title, a description, a default...): no type, no constraint."""
    return isinstance(part, dict) and all(k in _ANNOTATIONS or str(k).startswith("x-") for k in part)


def _is_number(value: Any) -> bool:
    """A JSON number (not a boolean, which Python counts as an int)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)
