"""Property test: mutate real documents and diff each mutation against its original.

Whatever the mutation (constraints, enums, required, types, refs, parameters, responses), the
diff completes and every id it emits is a known rule. Few examples per document keep it fast.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from generator.diff.compare import diff_sides
from generator.diff.inputs import Side, load_side
from generator.diff.rules import RULES
from generator.errors import SpecError

REALSPECS = next(
    (p / "shared" / "realspecs" for p in Path(__file__).resolve().parents if (p / "shared" / "realspecs").is_dir()),
    None,
)
DOCUMENTS = [
    "algolia-agent-studio.yml",
    "moveworks-conversations.yaml",
    "opc-baseline-3.1.yaml",
    "opc-baseline-3.0.json",
    "oai30-petstore-expanded.yaml",
]
HTTP = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength")
COUNTS = ("minItems", "maxItems", "minProperties", "maxProperties")
TYPES = ("string", "integer", "number", "boolean", "array", "object", "null")
KINDS = ("constraint", "enum", "required", "type", "ref", "parameter", "response", "nullable", "composition")

_raw: dict[str, dict[str, Any]] = {}
_originals: dict[str, Side] = {}


def _document(name: str) -> dict[str, Any]:
    if name not in _raw:
        assert REALSPECS is not None
        text = (REALSPECS / name).read_text(encoding="utf-8")
        _raw[name] = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
    return copy.deepcopy(_raw[name])


def _schemas(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every schema object in the document (components, parameters, bodies, nested), in document order."""
    found: list[dict[str, Any]] = []
    seen: set[int] = set()

    def visit(node: Any, is_schema: bool) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, dict):
            if is_schema:
                found.append(node)
            for key, value in node.items():
                child_is_schema = key in ("schema", "items", "additionalProperties", "not") or (
                    is_schema and key in ("properties", "allOf", "anyOf", "oneOf")
                )
                if key in ("properties", "schemas") and isinstance(value, dict):
                    for sub in value.values():
                        visit(sub, True)
                else:
                    visit(value, child_is_schema)
        elif isinstance(node, list):
            for item in node:
                visit(item, is_schema)

    visit(doc, False)
    return found


def _operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        op
        for item in (doc.get("paths") or {}).values()
        if isinstance(item, dict)
        for method, op in item.items()
        if method in HTTP and isinstance(op, dict)
    ]


def _mutate(doc: dict[str, Any], data: st.DataObject) -> str:
    """Apply one drawn mutation in place; returns what it did (shown when an example fails)."""
    kind = data.draw(st.sampled_from(KINDS), label="kind")
    if kind in ("parameter", "response"):
        ops = _operations(doc)
        if not ops:
            return "no operations"
        op = data.draw(st.sampled_from(ops), label="operation")
        if kind == "parameter":
            params = op.setdefault("parameters", [])
            action = data.draw(st.sampled_from(("add", "remove", "required", "move")), label="action")
            if action == "add" or not params:
                required = data.draw(st.booleans())
                params.append({"name": "mutated", "in": "query", "required": required, "schema": {"type": "string"}})
            elif action == "remove":
                params.pop(data.draw(st.integers(0, len(params) - 1)))
            elif isinstance(p := params[data.draw(st.integers(0, len(params) - 1))], dict):
                if action == "required":
                    p["required"] = not p.get("required", False)
                elif p.get("in") != "path":
                    p["in"] = data.draw(st.sampled_from(("query", "header", "cookie")))
            return f"parameter {action}"
        responses = op.setdefault("responses", {})
        action = data.draw(st.sampled_from(("add", "remove", "media")), label="action")
        if action == "add" or not responses:
            status = data.draw(st.sampled_from(("201", "404", "429", "default")))
            responses[status] = {"description": "mutated", "content": {"application/json": {"schema": {}}}}
        elif action == "remove":
            responses.pop(data.draw(st.sampled_from(sorted(responses, key=str))), None)
        else:
            status = data.draw(st.sampled_from(sorted(responses, key=str)))
            response = responses[status]
            if isinstance(response, dict) and isinstance(response.get("content"), dict) and response["content"]:
                ct = next(iter(response["content"]))
                response["content"]["text/plain"] = response["content"].pop(ct)
        return f"response {action}"
    schemas = _schemas(doc)
    if not schemas:
        return "no schemas"
    schema = data.draw(st.sampled_from(schemas), label="schema")
    if kind == "constraint":
        key = data.draw(st.sampled_from(CONSTRAINTS + COUNTS + ("pattern",)), label="keyword")
        if data.draw(st.booleans(), label="remove") and key in schema:
            del schema[key]
        elif key == "pattern":
            schema[key] = data.draw(st.sampled_from(("^[a-z]+$", ".*", "^x")))
        elif key.startswith("exclusive"):
            schema[key] = data.draw(st.one_of(st.booleans(), st.integers(-5, 100)))
        else:
            schema[key] = data.draw(st.integers(0, 100))
    elif kind == "enum":
        values = schema.get("enum") if isinstance(schema.get("enum"), list) else []
        action = data.draw(st.sampled_from(("add", "remove", "set", "drop")), label="action")
        if action == "add":
            schema["enum"] = [*values, "mutated"]
        elif action == "remove" and values:
            schema["enum"] = values[1:]
        elif action == "set":
            schema["enum"] = data.draw(st.lists(st.sampled_from(("a", "b", 1, None, True)), min_size=1, max_size=3))
        else:
            schema.pop("enum", None)
    elif kind == "required":
        props = list(schema.get("properties") or {}) if isinstance(schema.get("properties"), dict) else []
        required = schema.get("required") if isinstance(schema.get("required"), list) else []
        if props and data.draw(st.booleans(), label="add"):
            schema["required"] = sorted({*required, data.draw(st.sampled_from(props))})
        elif required:
            schema["required"] = required[1:]
        else:
            schema["required"] = ["not-a-property"]
    elif kind == "type":
        choice = data.draw(st.one_of(st.sampled_from(TYPES), st.lists(st.sampled_from(TYPES), min_size=1, max_size=3)))
        schema["type"] = choice
    elif kind == "nullable":
        schema["nullable"] = not schema.get("nullable", False)
    elif kind == "composition":
        inner = copy.deepcopy(schema)
        schema.clear()
        key = data.draw(st.sampled_from(("oneOf", "anyOf", "allOf")))
        schema[key] = [inner, {"type": "string"}] if data.draw(st.booleans()) else [inner]
    else:  # ref
        names = sorted((doc.get("components") or {}).get("schemas") or {})
        action = data.draw(st.sampled_from(("retarget", "dangling", "self")), label="action")
        target = data.draw(st.sampled_from(names)) if names and action == "retarget" else "DoesNotExist"
        if action == "self" and names:
            target = names[0]
            (doc["components"]["schemas"][target]).setdefault("properties", {})["loop"] = {
                "$ref": f"#/components/schemas/{target}"
            }
        else:
            schema.clear()
            schema["$ref"] = f"#/components/schemas/{target}"
    return f"{kind} {schema}"[:200]


@pytest.mark.skipif(REALSPECS is None, reason="shared/realspecs is not present")
@pytest.mark.parametrize("name", DOCUMENTS)
@settings(
    max_examples=int(os.environ.get("DIFF_MUTATION_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_mutated_document_diffs(name: str, tmp_path: Path, data: st.DataObject) -> None:
    """Both directions complete, and every id is a rule the table knows."""
    doc = _document(name)
    what = _mutate(doc, data)
    note(what)
    path = tmp_path / f"mutated-{name}"
    path.write_text(json.dumps(doc) if name.endswith(".json") else yaml.safe_dump(doc, sort_keys=False))
    if name not in _originals:
        assert REALSPECS is not None
        _originals[name] = load_side(REALSPECS / name, None, validate=False)
    original = _originals[name]
    try:
        mutated = load_side(path, None, validate=False)
    except SpecError as exc:
        # Documents broken beyond modelling (a dangling $ref, a $ref loop defining no type) are refused by
        # the loader or the model builder: that must be a located error, never a crash.
        assert exc.pointer, str(exc)
        return
    for old, new in ((original, mutated), (mutated, original)):
        findings = diff_sides(old, new)
        unknown = sorted({f.id for f in findings} - RULES.keys())
        assert not unknown, unknown
