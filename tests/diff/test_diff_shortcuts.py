"""What the compare's shortcuts (pairs remembered across operations) must not hide."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from generator.diff.compare import diff_sides
from generator.diff.inputs import load_side
from generator.diff.model import Finding


def _returning(schema: str) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
    return {"responses": {"200": {"description": "ok", "content": content}}}


def _spec(schemas: dict[str, Any]) -> dict[str, Any]:
    """Two operations returning ``Shared``, a third returning ``Other``."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/a": {"get": {"operationId": "getA", **_returning("Shared")}},
            "/b": {"get": {"operationId": "getB", **_returning("Shared")}},
            "/c": {"get": {"operationId": "getC", **_returning("Other")}},
        },
        "components": {"schemas": schemas},
    }


def _diff(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> list[Finding]:
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(old, sort_keys=False))
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new, sort_keys=False))
    return diff_sides(load_side(tmp_path / "old.yaml", None), load_side(tmp_path / "new.yaml", None))


def _schemas() -> dict[str, Any]:
    leaf = {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}
    return {
        "Leaf": leaf,
        "Shared": {
            "type": "object",
            "properties": {
                "note": {"type": "string", "description": "old words"},
                "leaf": {"oneOf": [{"$ref": "#/components/schemas/Leaf"}, {"type": "null"}]},
                "self": {"$ref": "#/components/schemas/Shared"},
            },
        },
        "Other": {"type": "object", "properties": {"note": {"type": "string", "description": "old words"}}},
    }


def test_keyword_change_below_a_shared_schema_is_reported_for_every_operation(tmp_path: Path) -> None:
    old = _schemas()
    new = copy.deepcopy(old)
    # A change no check reports (a description) beside one the keyword family reports, deep in a cycle.
    new["Shared"]["properties"]["note"]["description"] = "new words"
    new["Other"]["properties"]["note"]["description"] = "new words"
    new["Leaf"]["properties"]["tags"]["contains"] = {"const": "x"}
    found = {(f.operation, f.id) for f in _diff(tmp_path, _spec(old), _spec(new))}
    assert found == {
        ("GET /a", "response-property-contains-added"),
        ("GET /b", "response-property-contains-added"),
    }


def test_quiet_pairs_stay_quiet_and_loud_ones_loud_in_either_order(tmp_path: Path) -> None:
    """The same pair of schemas met first where it changes nothing, then where it does (and back)."""
    old = _schemas()
    new = copy.deepcopy(old)
    new["Leaf"]["properties"]["tags"]["type"] = ["array", "null"]
    new["Other"]["properties"]["leaf"] = {"$ref": "#/components/schemas/Leaf"}
    old["Other"]["properties"]["leaf"] = {"$ref": "#/components/schemas/Leaf"}
    for a, b, rule in ((old, new, "widened"), (new, old, "narrowed")):
        found = _diff(tmp_path, _spec(a), _spec(b))
        reported = {f.operation for f in found if f.id == f"response-property-list-of-types-{rule}"}
        assert reported == {"GET /a", "GET /b", "GET /c"}
