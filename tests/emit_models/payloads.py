"""Payloads drawn from the JSON schemas of a normalized document: valid ones and near misses.

hypothesis-jsonschema 0.23.1 does not run on the pinned hypothesis (6.170: its ``many`` lost
``more()``), so these are our own strategies, driven by a seeded ``random.Random`` to stay
reproducible and cheap over thousands of schemas.

A near miss is a valid payload with one thing broken, labelled with what was broken, so a
disagreement between two model sets can be judged by kind.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from typing import Any

FORMAT_SAMPLES = {
    "date-time": "2024-05-06T07:08:09Z",
    "date": "2024-05-06",
    "time": "07:08:09Z",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "email": "someone@example.com",
    "uri": "https://example.com/a",
    "url": "https://example.com/a",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
}


@dataclass(frozen=True)
class Payload:
    """One payload for one schema: ``kind`` is ``valid`` or the near miss it is."""

    kind: str
    value: Any
    detail: str = ""


class Drawer:
    """Draws values for the schemas of one document."""

    def __init__(self, doc: dict[str, Any], seed: int) -> None:
        self.schemas: dict[str, Any] = (doc.get("components") or {}).get("schemas") or {}
        self.rng = random.Random(seed)
        self.unsure = False  # set when a value may not satisfy its schema (patterns, not, ...)

    def resolve(self, node: Any, seen: tuple[str, ...] = ()) -> tuple[Any, tuple[str, ...]]:
        """Follow ``$ref`` to components; ``seen`` guards against loops."""
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            name = node["$ref"].rsplit("/", 1)[-1]
            if name in seen or name not in self.schemas:
                return {}, seen
            seen = (*seen, name)
            node = self.schemas[name]
        return node, seen

    def value(self, node: Any, depth: int = 0, seen: tuple[str, ...] = ()) -> Any:
        """A value meant to satisfy ``node``."""
        node, seen = self.resolve(node, seen)
        if not isinstance(node, dict) or depth > 6:
            self.unsure = self.unsure or depth > 6
            return None
        if "not" in node or "pattern" in node or "patternProperties" in node:
            self.unsure = True
        if "const" in node:
            return copy.deepcopy(node["const"])
        if isinstance(node.get("enum"), list) and node["enum"]:
            return copy.deepcopy(self.rng.choice(node["enum"]))
        if isinstance(node.get("allOf"), list):
            merged: Any = None
            for part in node["allOf"]:
                v = self.value(part, depth + 1, seen)
                if isinstance(v, dict) and isinstance(merged, dict):
                    merged.update(v)
                elif merged is None:
                    merged = v
            extra = {k: v for k, v in node.items() if k != "allOf"}
            if "properties" in extra and isinstance(merged, dict):
                merged.update(self.value({**extra, "type": "object"}, depth + 1, seen))
            return merged
        for key in ("oneOf", "anyOf"):
            if isinstance(node.get(key), list) and node[key]:
                variants = [v for v in node[key] if not (isinstance(v, dict) and v.get("type") == "null")]
                if not variants:
                    return None
                if key == "oneOf" and len(variants) > 1:
                    self.unsure = True  # another variant may match too
                v = self.value(self.rng.choice(variants), depth + 1, seen)
                if isinstance(v, dict) and "properties" in node:
                    v.update(self.value({k: x for k, x in node.items() if k != key}, depth + 1, seen) or {})
                return v
        types = node.get("type")
        kind = types if isinstance(types, str) else next((t for t in types or [] if t != "null"), None)
        if kind is None:
            kind = "object" if "properties" in node else ("array" if "items" in node else None)
        if kind == "string":
            fmt = node.get("format")
            if fmt in FORMAT_SAMPLES:
                return FORMAT_SAMPLES[fmt]
            low = int(node.get("minLength", 0) or 0)
            high = int(node.get("maxLength", low + 8) or 0)
            size = self.rng.randint(low, max(low, min(high, low + 8)))
            return "".join(self.rng.choice("abcxyz") for _ in range(size))
        if kind in ("integer", "number"):
            low = node.get("minimum", node.get("exclusiveMinimum", 0))
            low = low if isinstance(low, (int, float)) and not isinstance(low, bool) else 0
            value = int(low) + (1 if "exclusiveMinimum" in node or isinstance(low, float) else 0)
            high = node.get("maximum")
            if isinstance(high, (int, float)) and not isinstance(high, bool) and value > high:
                value = int(high)
            step = node.get("multipleOf")
            if isinstance(step, int) and step > 0:
                value = ((value + step - 1) // step) * step
            return value if kind == "integer" else float(value)
        if kind == "boolean":
            return self.rng.choice([True, False])
        if kind == "null":
            return None
        if kind == "array":
            low = int(node.get("minItems", 0) or 0)
            high = int(node.get("maxItems", low + 2) or 0)
            return [self.value(node.get("items", {}), depth + 1, seen) for _ in range(min(max(low, 1), high))]
        if kind == "object":
            out: dict[str, Any] = {}
            props = node.get("properties") or {}
            required = set(node.get("required") or [])
            for name, sub in props.items():
                if name in required or (depth < 3 and self.rng.random() < 0.5):
                    out[name] = self.value(sub, depth + 1, seen)
            if not props and isinstance(node.get("additionalProperties"), dict):
                out["key"] = self.value(node["additionalProperties"], depth + 1, seen)
            return out
        return self.rng.choice(["text", 1, True, None, {"a": 1}])

    def payloads(self, name: str) -> list[Payload]:
        """A valid payload for schema ``name`` and its near misses."""
        self.unsure = False
        root = self.schemas[name]
        valid = self.value({"$ref": f"#/components/schemas/{name}"})
        out = [Payload("valid-unsure" if self.unsure else "valid", valid)]
        node = self._object_view(root)
        if node is None or not isinstance(valid, dict):
            if isinstance(root, dict) and isinstance(root.get("enum"), list):
                out.append(Payload("enum-outsider", "__not_a_member__"))
            out.append(Payload("wrong-type", [[["x"]]] if not isinstance(valid, list) else {"x": object.__name__}))
            return out
        props, required, additional = node
        for prop in sorted(required & valid.keys()):
            broken = dict(valid)
            del broken[prop]
            out.append(Payload("missing-required", broken, prop))
            sub, _ = self.resolve(props.get(prop, {}))
            if not _is_nullable(sub):
                out.append(Payload("null-for-required", {**valid, prop: None}, prop))
        for prop in sorted(valid.keys()):
            sub, _ = self.resolve(props.get(prop, {}))
            if isinstance(sub, dict) and sub and not _accepts_any(sub):
                out.append(Payload("wrong-type", {**valid, prop: [[["x"]]]}, prop))
            if (
                isinstance(sub, dict)
                and isinstance(sub.get("enum"), list)
                and all(isinstance(v, str) for v in sub["enum"])
            ):
                out.append(Payload("enum-outsider", {**valid, prop: "__not_a_member__"}, prop))
            if isinstance(sub, dict) and isinstance(sub.get("maxLength"), int) and isinstance(valid[prop], str):
                out.append(Payload("too-long", {**valid, prop: "x" * (sub["maxLength"] + 1)}, prop))
        if additional is False:
            out.append(Payload("extra-key", {**valid, "__extra__": 1}))
        return out

    def _object_view(self, node: Any) -> tuple[dict[str, Any], set[str], Any] | None:
        """Properties, required names and additionalProperties of an object (allOf merged)."""
        node, _ = self.resolve(node)
        if not isinstance(node, dict):
            return None
        if isinstance(node.get("allOf"), list):
            props: dict[str, Any] = {}
            required: set[str] = set()
            for part in node["allOf"]:
                view = self._object_view(part)
                if view is None:
                    return None
                props.update(view[0])
                required |= view[1]
            props.update(node.get("properties") or {})
            required |= set(node.get("required") or [])
            return props, required, True
        if "properties" not in node or any(k in node for k in ("oneOf", "anyOf")):
            return None
        return dict(node["properties"]), set(node.get("required") or []), node.get("additionalProperties", True)


def _is_nullable(node: Any) -> bool:
    if not isinstance(node, dict):
        return True
    types = node.get("type")
    if node.get("nullable") is True or types == "null" or (isinstance(types, list) and "null" in types):
        return True
    if isinstance(node.get("enum"), list) and None in node["enum"]:
        return True
    for key in ("oneOf", "anyOf"):
        if isinstance(node.get(key), list) and any(
            isinstance(v, dict) and (v.get("type") == "null" or v.get("nullable") is True) for v in node[key]
        ):
            return True
    return not node or set(node) <= {"description", "title", "example", "examples", "default", "deprecated"}


def _accepts_any(node: dict[str, Any]) -> bool:
    return not any(
        k in node for k in ("type", "enum", "const", "properties", "items", "$ref", "allOf", "oneOf", "anyOf")
    )
