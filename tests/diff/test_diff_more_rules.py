"""Rules the oracle does not pin, read from the documents: discriminators, const, headers, access, policy dates."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from generator.diff.compare import diff_sides
from generator.diff.inputs import load_side


def _doc(version: str = "3.1.0") -> dict[str, Any]:
    """POST /pets with a body and a 200 response carrying a header, both a ``Pet``."""
    ref = {"$ref": "#/components/schemas/Pet"}
    return {
        "openapi": version,
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/pets": {
                "post": {
                    "operationId": "createPet",
                    "requestBody": {"content": {"application/json": {"schema": ref}}},
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {
                                "X-Rate": {"required": True, "schema": {"type": "integer"}},
                                "X-Trace": {"schema": {"type": "string"}},
                            },
                            "content": {"application/json": {"schema": ref}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "maxLength": 50},
                        "id": {"type": "string", "readOnly": True, "maxLength": 40},
                        "secret": {"type": "string", "writeOnly": True},
                        "kind": {"type": "string", "x-extensible-enum": ["cat", "dog"]},
                        "pet": {
                            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                            "discriminator": {
                                "propertyName": "type",
                                "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
                            },
                        },
                    },
                },
                "Cat": {"type": "object", "properties": {"type": {"type": "string"}}},
                "Dog": {"type": "object", "properties": {"type": {"type": "string"}}},
                "Unused": {"type": "object"},
            }
        },
    }


def _ids(tmp_path: Path, old: dict[str, Any], new: dict[str, Any], **options: Any) -> list[str]:
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(old, sort_keys=False))
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new, sort_keys=False))
    a, b = load_side(tmp_path / "old.yaml", None), load_side(tmp_path / "new.yaml", None)
    return sorted(f.id for f in diff_sides(a, b, **options))


def _pet(doc: dict[str, Any]) -> dict[str, Any]:
    pet: dict[str, Any] = doc["components"]["schemas"]["Pet"]["properties"]
    return pet


def test_discriminator_mapping(tmp_path: Path) -> None:
    old = _doc()
    new = copy.deepcopy(old)
    disc = _pet(new)["pet"]["discriminator"]
    disc["mapping"]["kitten"] = disc["mapping"].pop("cat")
    ids = _ids(tmp_path, old, new)
    assert ids.count("request-property-discriminator-mapping-added") == 1
    assert ids.count("response-property-discriminator-mapping-deleted") == 1
    _pet(new)["pet"]["discriminator"] = {"propertyName": "kind"}
    assert "response-property-discriminator-property-name-changed" in _ids(tmp_path, old, new)


def test_const_and_extensible_enum(tmp_path: Path) -> None:
    old = _doc()
    new = copy.deepcopy(old)
    _pet(new)["name"]["const"] = "Rex"
    _pet(new)["kind"]["x-extensible-enum"] = ["cat"]
    ids = _ids(tmp_path, old, new)
    assert {"request-property-const-added", "response-property-const-added"} <= set(ids)
    assert "request-property-x-extensible-enum-value-removed" in ids


def test_response_headers(tmp_path: Path) -> None:
    old = _doc()
    new = copy.deepcopy(old)
    headers = new["paths"]["/pets"]["post"]["responses"]["200"]["headers"]
    headers["X-Trace"]["schema"] = {"type": "integer"}  # a header is text on the wire: compatible
    headers["X-Rate"]["required"] = False
    assert _ids(tmp_path, old, new) == ["response-header-became-optional", "response-header-type-compatible"]
    del headers["X-Rate"]
    assert "required-response-header-removed" in _ids(tmp_path, old, new)


def test_read_only_and_write_only(tmp_path: Path) -> None:
    """A read-only property's bound in a request has oasdiff's read-only id; access changes are reported."""
    old = _doc()
    new = copy.deepcopy(old)
    _pet(new)["id"]["maxLength"] = 20
    _pet(new)["name"]["readOnly"] = True
    _pet(new)["token"] = {"type": "string", "writeOnly": True}
    ids = _ids(tmp_path, old, new)
    assert "request-read-only-property-max-length-decreased" in ids
    assert "request-property-max-length-decreased" not in ids
    assert {"request-optional-property-became-read-only", "response-optional-property-became-read-only"} <= set(ids)
    assert "response-optional-write-only-property-added" in ids
    assert "new-optional-request-property" in ids  # the write-only token is sent in requests


def test_media_type_schema_and_schema_removed(tmp_path: Path) -> None:
    old = _doc()
    new = copy.deepcopy(old)
    del new["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    del new["components"]["schemas"]["Unused"]
    ids = _ids(tmp_path, old, new)
    assert "request-body-media-type-schema-removed" in ids
    assert "api-schema-removed" in ids


def test_property_stability(tmp_path: Path) -> None:
    old = _doc()
    new = copy.deepcopy(old)
    _pet(new)["name"]["x-stability-level"] = "beta"
    ids = _ids(tmp_path, old, new)
    assert {"request-property-stability-decreased", "response-property-stability-decreased"} <= set(ids)


def test_policy_dates(tmp_path: Path) -> None:
    """With a 30/90-day policy, a sunset 10 days out is too close, and moving one earlier is too."""
    soon = (datetime.now(UTC).date() + timedelta(days=10)).isoformat()
    later = (date.today() + timedelta(days=200)).isoformat()
    old = _doc("3.0.3")
    op = old["paths"]["/pets"]["post"]
    op["parameters"] = [{"name": "q", "in": "query", "schema": {"type": "string"}}]
    new = copy.deepcopy(old)
    new_op = new["paths"]["/pets"]["post"]
    new_op["parameters"][0].update({"deprecated": True, "x-sunset": soon})
    ids = _ids(tmp_path, old, new, deprecation_days=(30, 90))
    assert "request-parameter-sunset-date-too-small" in ids
    op.update({"deprecated": True, "x-sunset": later})
    new_op.update({"deprecated": True, "x-sunset": soon})
    assert "api-sunset-date-changed-too-small" in _ids(tmp_path, old, new, deprecation_days=(30, 90))


def test_path_level_parameter_added_to_an_existing_path(tmp_path: Path) -> None:
    old = _doc("3.0.3")
    new = copy.deepcopy(old)
    new["paths"]["/pets"]["parameters"] = [
        {"name": "tenant", "in": "header", "required": True, "schema": {"type": "string"}}
    ]
    assert _ids(tmp_path, old, new) == ["new-required-request-default-parameter-to-existing-path"]
