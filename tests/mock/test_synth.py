"""Synthesized payloads: valid against the schema and the generated models, deterministic for a seed, bounded."""

from __future__ import annotations

import importlib
import json
import random
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from generator.mock.routes import MockSpec
from generator.mock.server import load_source
from generator.mock.synth import Synthesizer
from generator.pipeline import generate
from generator.spec.vendors import vendor_names
from tests.mock.conftest import CATALOG, REPO_ROOT

SEEDS = range(12)


@pytest.fixture(scope="module")
def catalog_models(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The catalog fixture spec generated like a vendor, imported as its own top-level package."""
    root = tmp_path_factory.mktemp("catalog")
    shutil.copytree(CATALOG.parent, root / "specs" / "catalog")
    generate(root / "specs", root / "catalog_generated")
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("catalog_generated.catalog.models")
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith("catalog_generated")]:
            del sys.modules[name]


def models_for(spec: MockSpec, catalog_models: Any) -> Any:
    package = spec.loaded.config.package
    return catalog_models if package == "catalog" else importlib.import_module(f"generated.{package}.models")


@pytest.mark.parametrize("source", [*vendor_names(REPO_ROOT / "specs"), "catalog"])
def test_every_named_schema_synthesizes_valid_payloads(source: str, catalog_models: Any) -> None:
    spec = MockSpec(load_source(CATALOG if source == "catalog" else source, REPO_ROOT / "specs"))
    models = models_for(spec, catalog_models)
    synth = Synthesizer(spec.context)
    checked = 0
    for named in spec.loaded.api.schemas:
        if named.hoisted_from is not None:
            continue  # named by the IR for its own class, not a schema of the document
        schema = {"$ref": f"#/components/schemas/{named.name}"}
        adapter = TypeAdapter(getattr(models, named.class_name))
        for seed in SEEDS:
            for static in (True, False):
                value = synth.value(schema, random.Random(seed), static=static)
                assert spec.context.errors(schema, value, "") == [], (named.name, seed, value)
                adapter.validate_python(value)  # the generated model accepts it
                assert len(json.dumps(value)) < 50_000  # recursion is bounded
                checked += 1
    assert checked >= 2 * len(SEEDS)


def test_catalog_exercises_formats_constraints_oneof_nullable_and_recursion(catalog_models: Any) -> None:
    spec = MockSpec(load_source(CATALOG))
    synth = Synthesizer(spec.context)
    items = [synth.value({"$ref": "#/components/schemas/Item"}, random.Random(s), static=False) for s in range(40)]
    kinds = {i["shape"]["kind"] for i in items}
    assert kinds == {"circle", "square"}  # both oneOf variants are drawn
    assert {i["status"] for i in items} == {"active", "archived", "draft"}
    assert any(i.get("notes") is None and "notes" in i for i in items)  # nullable drawn as null sometimes
    assert all(len(i["id"]) == 36 and i["created_at"].endswith("Z") for i in items)
    skus = [i["sku"] for i in items if "sku" in i]
    assert skus and all(len(s) == 8 and s[3] == "-" and s[:3].isupper() for s in skus)
    static = synth.value({"$ref": "#/components/schemas/Item"}, random.Random(0), static=True)
    assert static["parent"] is None and static["children"] == []  # self-reference ends at once
    for item in items:
        catalog_models.Item.model_validate(item)


def test_same_seed_same_payloads_other_seed_others() -> None:
    spec = MockSpec(load_source(CATALOG))

    def draw(seed: int) -> list[Any]:
        synth = Synthesizer(spec.context)
        return [
            synth.value({"$ref": "#/components/schemas/ItemPage"}, random.Random(f"{seed}:{n}"), static=False)
            for n in range(5)
        ]

    assert draw(1) == draw(1)
    assert draw(1) != draw(2)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "integer", "minimum": 10, "exclusiveMaximum": 13, "multipleOf": 2},
        {"type": "number", "exclusiveMinimum": 0, "maximum": 0.5, "multipleOf": 0.05},
        {"type": "string", "minLength": 30, "maxLength": 31},
        {"type": "string", "pattern": "^(ab|cd)[0-9]{2,3}x?$"},
        {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 3}, "minItems": 3, "uniqueItems": True},
        {"type": "object", "minProperties": 2, "properties": {"a": {"type": "string"}}},
        {"anyOf": [{"type": "string", "format": "email"}, {"type": "string", "format": "ipv4"}]},
        {"allOf": [{"type": "object", "properties": {"a": {"const": 1}}, "required": ["a"]}, {"required": ["b"]}]},
        {"type": ["null", "string"], "format": "date"},
    ],
)
def test_constraint_corners(schema: dict[str, Any]) -> None:
    spec = MockSpec(load_source(CATALOG))
    synth = Synthesizer(spec.context)
    for seed in SEEDS:
        for static in (True, False):
            value = synth.value(schema, random.Random(seed), static=static)
            assert spec.context.errors(schema, value, "") == [], (schema, value)


def test_openapi_30_nullable_and_exclusive_bounds(tmp_path: Path) -> None:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "required": ["n", "note"],
                    "properties": {
                        "n": {"type": "integer", "minimum": 0, "maximum": 2, "exclusiveMaximum": True},
                        "note": {"type": "string", "nullable": True, "enum": ["a", "b"]},
                    },
                }
            }
        },
    }
    path = tmp_path / "thirty.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    spec = MockSpec(load_source(path))
    synth = Synthesizer(spec.context)
    ref = {"$ref": "#/components/schemas/Thing"}
    values = [synth.value(ref, random.Random(s), static=False) for s in SEEDS]
    assert all(v["n"] in (0, 1) for v in values)
    assert spec.context.errors(ref, {"n": 1, "note": None}, "") == []
    assert [p.location for p in spec.context.errors(ref, {"n": 2, "note": "c"}, "body")] == ["body/n", "body/note"]
