"""The memo of component walks (``generator/diff/checks/memo.py``) only saves work.

A diff with it reports exactly what walking every place again reports: the same findings, with
the same locations, subjects, impacts and model fields, in the same order. Checked on a spec
built to use one changed component in many kinds of places, and on real documents under a
deterministic mutation of their schemas (both directions, with a deprecation policy).
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diff.checks.memo import Memo
from generator.diff.compare import diff_sides
from generator.diff.inputs import load_side

REALSPECS = next(
    (p / "shared" / "realspecs" for p in Path(__file__).resolve().parents if (p / "shared" / "realspecs").is_dir()),
    None,
)
# (document, mutation seed): discord's components refer to each other in cycles, used by hundreds of operations.
CASES = [
    ("discord-openapi.json", 1),
    ("mistral-openapi.yaml", 1),
    ("algolia-agent-studio.yml", 1),
    ("algolia-agent-studio.yml", 2),
    ("opc-baseline-3.1.yaml", 1),
    ("moveworks-conversations.yaml", 1),
]


def _findings(old: Path, new: Path, monkeypatch: pytest.MonkeyPatch, *, memo: bool) -> list[dict[str, Any]]:
    """The findings of both directions, as JSON, with or without replaying recorded walks."""
    with monkeypatch.context() as patch:
        if not memo:
            patch.setattr(Memo, "find", lambda self, key, guards: None)  # every place walks (and records) again
        sides = [load_side(p, None, validate=False) for p in (old, new)]
        found = diff_sides(*sides, deprecation_days=(30, 90)) + diff_sides(*reversed(sides), deprecation_days=(10, 20))
        return [f.to_json() for f in found]


def _replays(old: Path, new: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many walks a diff replays instead of walking."""
    count = 0
    replay = Memo.replay

    def counting(self: Memo, *args: Any, **kwargs: Any) -> None:
        nonlocal count
        count += 1
        replay(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Memo, "replay", counting)
        diff_sides(load_side(old, None, validate=False), load_side(new, None, validate=False))
    return count


def _user(new: bool) -> dict[str, Any]:
    """A component that refers to itself, with properties of every kind the walk treats apart."""
    props: dict[str, Any] = {
        "id": {"type": "string", "readOnly": True, "maxLength": 10 if new else 20},
        "secret": {"type": "string", "writeOnly": True, "nullable": new},
        "name": {"type": "string", "deprecated": new, "x-sunset": "2000-01-01"} if new else {"type": "string"},
        "kind": {"type": "string", "enum": ["a", "c"] if new else ["a", "b"]},
        "age": {"type": "number" if new else "integer"},
        "friends": {"type": "array", "items": {"$ref": "#/components/schemas/User"}},
        "tags": {"type": "array", "items": {"type": "string"}, "contains": {"const": "x"}}
        if new
        else {"type": "array"},
        # The same component below a keyword the model drops (where its properties are this family's) and not.
        "labels": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Label"},
            "contains": {"$ref": "#/components/schemas/Label"},
        },
        "extra": {"type": "object", "additionalProperties": {"type": "integer", "nullable": new}},
        "pet": {"oneOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "string"}]}
        if new
        else {"$ref": "#/components/schemas/Pet"},
    }
    if not new:
        props["gone"] = {"type": "string"}
    # Changes to the component itself: reported at a body and at an array's items under different ids.
    whole = {"nullable": True, "deprecated": True} if new else {}
    return {"type": "object", "required": ["id", "kind"] if new else ["id"], "properties": props, **whole}


def _spec(new: bool) -> dict[str, Any]:
    user = {"$ref": "#/components/schemas/User"}
    body = {"required": True, "content": {"application/json": {"schema": user}}}
    ok = {"description": "ok", "content": {"application/json": {"schema": user}, "text/plain": {"schema": user}}}
    listed = {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": user}}}}
    params = [{"name": "X-User", "in": "header", "schema": user}, {"name": "user", "in": "query", "schema": user}]
    # The same component under the same property, referred to as nullable and not.
    best = {"description": "ok", "content": {"application/json": {"schema": {"properties": {"best": user}}}}}
    maybe = {"allOf": [user], "nullable": True}
    best_or_none = {"description": "ok", "content": {"application/json": {"schema": {"properties": {"best": maybe}}}}}
    paths: dict[str, Any] = {}
    for index, stability in enumerate(("stable", "beta", "alpha")):
        paths[f"/users{index}"] = {
            "get": {"operationId": f"list{index}", "x-stability-level": stability, "responses": {"200": listed}},
            "post": {
                "operationId": f"create{index}",
                "x-stability-level": stability,
                "parameters": params,
                "requestBody": body,
                "responses": {"201": ok},
            },
        }
        paths[f"/users{index}/{{id}}"] = {
            "put": {
                "operationId": f"replace{index}",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": {"properties": {"user": user}}}}},
                "responses": {"200": ok},
            },
            "get": {"operationId": f"best{index}", "responses": {"200": best, "202": best_or_none}},
        }
    # Label at the same depth in two responses: as a property, and below a ``contains`` (a keyword the model drops).
    label_ref = {"$ref": "#/components/schemas/Label"}
    for name, below in (("plain", label_ref), ("contained", {"type": "array", "contains": label_ref})):
        schema = {"properties": {"x": below}}
        content = {"application/json": {"schema": schema}}
        paths[f"/labels/{name}"] = {
            "get": {"operationId": name, "responses": {"200": {"description": "ok", "content": content}}}
        }
    # Label at the same place below a read-only property of a request and below a plain one.
    ro = {"readOnly": True, "properties": {"x": label_ref}}
    edit = {
        "content": {"application/json": {"schema": {"properties": {"ro": ro, "rw": {"properties": {"x": label_ref}}}}}}
    }
    paths["/labels/edit"] = {
        "put": {"operationId": "edit", "requestBody": edit, "responses": {"204": {"description": "ok"}}}
    }
    pet = {"type": "object", "properties": {"owner": user, "name": {"type": "string", "nullable": new}}}
    label = {
        "type": "object",
        "properties": {
            "text": {"type": "string", **({"x-stability-level": "beta", "maxLength": 5} if new else {"maxLength": 10})}
        },
    }
    if new:
        label["properties"]["color"] = {"type": "string"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Memo", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"User": _user(new), "Pet": pet, "Label": label}},
    }


def test_a_component_used_everywhere_reports_as_a_walk_of_each_place_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(_spec(False)), encoding="utf-8")
    new.write_text(json.dumps(_spec(True)), encoding="utf-8")
    assert _replays(old, new, monkeypatch) > 10, "the spec no longer makes the diff replay: it tests nothing"
    assert _findings(old, new, monkeypatch, memo=True) == _findings(old, new, monkeypatch, memo=False)


def _mutated(doc: dict[str, Any], seed: int) -> dict[str, Any]:
    """The document with some of its schemas changed in the ways the schema and keyword families report."""
    rng = random.Random(seed)
    new = copy.deepcopy(doc)
    changes = (
        lambda s: s.update(nullable=not s.get("nullable", False)),
        lambda s: s.update(deprecated=True, **{"x-sunset": "2001-01-01"}),
        lambda s: s.update(readOnly=not s.get("readOnly", False)),
        lambda s: s.update(writeOnly=not s.get("writeOnly", False)),
        lambda s: s.update(maxLength=5, pattern="^a$"),
        lambda s: s.update(type=rng.choice(["string", "integer", "object"])),
        lambda s: s.update(contains={"type": "string"}, **{"x-stability-level": "beta"}),
        lambda s: s.update(oneOf=[{"type": "string"}, {"type": "integer"}]),
        lambda s: s.get("properties", {}).pop(next(iter(s.get("properties") or {"": 0})), None),
        lambda s: s.update(required=sorted(s.get("properties") or {})[:1]),
    )
    stack = [new]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if ("type" in node or "properties" in node) and rng.random() < 0.15:
                rng.choice(changes)(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return new


@pytest.mark.skipif(REALSPECS is None, reason="the shared realspecs are not present")
@pytest.mark.parametrize(("name", "seed"), CASES)
def test_real_documents_report_the_same_with_and_without_the_memo(
    name: str, seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert REALSPECS is not None
    text = (REALSPECS / name).read_text(encoding="utf-8")
    doc = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(doc), encoding="utf-8")
    new.write_text(json.dumps(_mutated(doc, seed)), encoding="utf-8")
    assert _findings(old, new, monkeypatch, memo=True) == _findings(old, new, monkeypatch, memo=False)
