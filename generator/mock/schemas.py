"""JSON Schema views of a normalized OpenAPI document: reference lookup and cached validators.

OpenAPI 3.0 schemas are rewritten into JSON Schema 2020-12 (``nullable``, boolean
``exclusiveMinimum``/``exclusiveMaximum``) so one validator (jsonschema-rs) serves both
versions; 3.1 schemas already are JSON Schema.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from generator.errors import unescape_pointer_token


@dataclass(frozen=True, slots=True)
class Problem:
    """One way a request or response differs from the spec, with where (``body/notes``)."""

    location: str
    message: str

    def as_dict(self) -> dict[str, str]:
        """The problem as problem+json and the journal list it."""
        return {"location": self.location, "message": self.message}

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def to_json_schema(schema: Any, *, openapi_30: bool) -> Any:
    """A copy of ``schema`` in JSON Schema 2020-12 terms (3.0 keywords rewritten)."""
    if isinstance(schema, list):
        return [to_json_schema(v, openapi_30=openapi_30) for v in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: to_json_schema(v, openapi_30=openapi_30) for k, v in schema.items()}
    if not openapi_30:
        return out
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if out.get(exclusive) is True and bound in out:
            out[exclusive] = out.pop(bound)
        elif isinstance(out.get(exclusive), bool):
            del out[exclusive]
    if out.pop("nullable", False) is True:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
        elif isinstance(kind, list):
            out["type"] = [*kind, "null"] if "null" not in kind else kind
        else:
            out = {"anyOf": [out, {"type": "null"}]}
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out


class SchemaContext:
    """The document's components as JSON Schema, with ``$ref`` lookup and validator caching."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.openapi_30 = str(document.get("openapi", "")).startswith("3.0")
        self.components = to_json_schema(document.get("components") or {}, openapi_30=self.openapi_30)
        self._validators: dict[int, tuple[Any, dict[str, Any], jsonschema_rs.Validator | None]] = {}

    def prepare(self, schema: Any) -> Any:
        """``schema`` (from the document) as JSON Schema."""
        return to_json_schema(schema, openapi_30=self.openapi_30)

    def resolve(self, node: Any, *, limit: int = 32) -> Any:
        """Follow ``$ref`` (local, ``#/...``) until a node without one; unknown refs give ``{}``."""
        hops = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and hops < limit:
            node = self.lookup(node["$ref"])
            hops += 1
        return node

    def lookup(self, ref: str) -> Any:
        """The prepared node a local ``$ref`` points at, or ``{}`` when it points nowhere."""
        if not ref.startswith("#/"):
            return {}
        target: Any = {"components": self.components}
        if not ref.startswith("#/components/"):
            target = self.document
        for token in ref[2:].split("/"):
            token = unescape_pointer_token(token)
            if isinstance(target, dict) and token in target:
                target = target[token]
            elif isinstance(target, list) and token.isdigit() and int(token) < len(target):
                target = target[int(token)]
            else:
                return {}
        return target

    def errors(self, schema: Any, instance: Any, location: str) -> list[Problem]:
        """Every way ``instance`` fails the prepared ``schema``, located under ``location``."""
        if not isinstance(schema, dict) or not schema:
            return []
        # Keyed by identity and holding the schema, so the id cannot be reused while cached.
        cached = self._validators.get(id(schema))
        if cached is None:
            root = {"allOf": [schema], "components": self._reachable(schema)}
            try:
                compiled = jsonschema_rs.validator_for(root, validate_formats=True)
            except (ValueError, jsonschema_rs.ReferencingError):
                compiled = None  # a schema the validator cannot compile checks nothing
            cached = self._validators[id(schema)] = (schema, root, compiled)
        _, root, validator = cached
        if validator is None or validator.is_valid(instance):
            return []
        problems = []
        for err in validator.iter_errors(instance):
            where = (
                "/".join([location, *(str(p) for p in err.instance_path)])
                if location
                else "/".join(str(p) for p in err.instance_path)
            )
            inner = self._single_variant(root, list(err.schema_path), err.instance)
            if inner is not None:
                # `oneOf: [X, null]` is how a nullable X is spelled: report why the value is not an X.
                problems.extend(self.errors(inner, err.instance, where))
                continue
            problems.append(Problem(where, _short(err.message, err.instance)))
        return problems

    def _reachable(self, schema: Any) -> dict[str, Any]:
        """The components ``schema`` reaches through ``$ref``: compiling all of a big spec's is slow."""
        out: dict[str, Any] = {}
        pending = _refs_in(schema)
        seen: set[str] = set()
        while pending:
            ref = pending.pop()
            if ref in seen or not ref.startswith("#/components/"):
                continue
            seen.add(ref)
            tokens = [unescape_pointer_token(t) for t in ref[len("#/components/") :].split("/")]
            target: Any = self.components
            holder = out
            for i, token in enumerate(tokens):
                if not isinstance(target, dict) or token not in target:
                    break
                target = target[token]
                if i == len(tokens) - 1:
                    holder[token] = target
                else:
                    holder = holder.setdefault(token, {})
            pending.extend(_refs_in(target))
        return out

    def _single_variant(self, root: dict[str, Any], schema_path: list[Any], instance: Any) -> Any:
        """The one non-null variant of a failed ``oneOf``/``anyOf`` (a nullable spelling), if that is what failed."""
        if instance is None or not schema_path or schema_path[-1] not in ("oneOf", "anyOf"):
            return None
        node: Any = root
        for token in schema_path[:-1]:
            if (isinstance(node, dict) and token in node) or (
                isinstance(node, list) and isinstance(token, int) and token < len(node)
            ):
                node = node[token]
            else:
                return None
        variants = node.get(schema_path[-1]) if isinstance(node, dict) else None
        if not isinstance(variants, list):
            return None
        rest = [v for v in variants if v != {"type": "null"}]
        return rest[0] if len(rest) == 1 and len(variants) == 2 else None


def _refs_in(node: Any) -> list[str]:
    """Every ``$ref`` string inside ``node``."""
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                found.append(ref)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _short(message: str, instance: Any, limit: int = 300) -> str:
    """A validator message with a long quoted instance abbreviated (it may be a 50 KB string)."""
    quoted = json.dumps(instance, ensure_ascii=False) if isinstance(instance, (str, list, dict)) else ""
    if len(quoted) > 40 and quoted in message:
        message = message.replace(quoted, quoted[:24] + "…", 1)
    return message if len(message) <= limit else message[: limit - 1] + "…"
