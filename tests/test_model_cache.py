"""The model cache a diff's two sides share: a build that reuses parts gives exactly the model a fresh one does."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.ir.builder import ModelCache, build_api
from generator.spec.config import VendorConfig, default_config
from generator.spec.normalize import NormalizeContext, normalize

CONFIG = default_config("shop", Path("."))


def _spec() -> dict[str, Any]:
    ok = {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Shop", "version": "1"},
        "paths": {
            "/orders/{id}": {
                "parameters": [{"$ref": "#/components/parameters/Id"}],
                "get": {"operationId": "getOrder", "responses": {"200": ok, "2x0": ok}},
                "put": {
                    "operationId": "putOrder",
                    "requestBody": {"$ref": "#/components/requestBodies/OrderBody"},
                    "responses": {"200": ok},
                },
            },
            "/items": {
                "get": {"operationId": "listItems", "responses": {"200": {"description": "ok"}}},
                "post": {"operationId": "createItem", "responses": {"201": {"description": "created"}}},
            },
        },
        "components": {
            "parameters": {"Id": {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}},
            "requestBodies": {
                "OrderBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}}
            },
            "schemas": {
                "Order": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "total": {"type": "number", "maximum": 1},
                        "item": {"$ref": "#/components/schemas/Item"},
                    },
                },
                "Item": {"type": "object", "properties": {"sku": {"type": "string"}, "size": {"type": "integer"}}},
                # Follows a $ref into another component, not to a component.
                "Sku": {"$ref": "#/components/schemas/Item/properties/sku"},
            },
        },
    }


def _normalized(doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    normalize(doc, NormalizeContext())
    return doc


def _pair(change: Callable[[dict[str, Any]], None], config: VendorConfig = CONFIG) -> tuple[ir.Api, ir.Api, ir.Api]:
    """The old side built into a cache, the new side built from it, and the new side built afresh."""
    old = _normalized(_spec())
    new_doc = _spec()
    change(new_doc)
    new = _normalized(new_doc)
    cache = ModelCache()
    old_api = build_api(copy.deepcopy(old), CONFIG, cache=cache)
    reused = build_api(copy.deepcopy(new), config, cache=cache)
    return old_api, reused, build_api(copy.deepcopy(new), config)


def _schema(api: ir.Api, name: str) -> ir.Schema:
    return next(s.schema for s in api.schemas if s.name == name)


def _operation(api: ir.Api, operation_id: str) -> ir.Operation:
    return next(op for op in api.operations if op.operation_id == operation_id)


def _no_change(doc: dict[str, Any]) -> None:
    pass


def _item_removed(doc: dict[str, Any]) -> None:
    del doc["components"]["schemas"]["Item"]


def _sku_changed(doc: dict[str, Any]) -> None:
    doc["components"]["schemas"]["Item"]["properties"]["sku"] = {"type": "integer"}


def _properties_reordered(doc: dict[str, Any]) -> None:
    props = doc["components"]["schemas"]["Order"]["properties"]
    doc["components"]["schemas"]["Order"]["properties"] = dict(reversed(props.items()))


def _bound_as_float(doc: dict[str, Any]) -> None:
    doc["components"]["schemas"]["Order"]["properties"]["total"]["maximum"] = 1.0


def _parameter_changed(doc: dict[str, Any]) -> None:
    doc["components"]["parameters"]["Id"]["schema"] = {"type": "integer"}


def _body_changed(doc: dict[str, Any]) -> None:
    doc["components"]["requestBodies"]["OrderBody"]["required"] = True


@pytest.mark.parametrize(
    "change",
    [
        _no_change,
        _item_removed,
        _sku_changed,
        _properties_reordered,
        _bound_as_float,
        _parameter_changed,
        _body_changed,
    ],
)
def test_a_build_from_the_cache_is_the_fresh_build(change: Callable[[dict[str, Any]], None]) -> None:
    _, reused, fresh = _pair(change)
    assert reused == fresh
    # Equal is not enough where == cannot tell 1 from 1.0: the bound keeps its type.
    assert repr(reused) == repr(fresh)


def test_unchanged_parts_are_reused() -> None:
    old, reused, fresh = _pair(_sku_changed)
    assert _schema(reused, "Order") is _schema(old, "Order")
    assert _operation(reused, "listItems") is _operation(old, "listItems")
    # What followed a $ref whose target changed is modelled again.
    assert _schema(reused, "Sku") is not _schema(old, "Sku")
    assert _schema(reused, "Sku") == _schema(fresh, "Sku") != _schema(old, "Sku")


def test_a_reused_operation_brings_what_it_left_out() -> None:
    _, reused, fresh = _pair(_no_change)
    assert [s.name for s in reused.skipped] == ["getOrder 2x0"]
    assert reused.skipped == fresh.skipped


def test_operations_follow_the_config() -> None:
    config = dataclasses.replace(CONFIG, idempotent_operations=("createItem",))
    old, reused, fresh = _pair(_no_change, config)
    assert reused == fresh
    assert _operation(reused, "createItem").idempotent and not _operation(old, "createItem").idempotent
