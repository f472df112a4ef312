"""One focused test per normalization pass: the change it makes and the warning it reports."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.errors import SpecError
from generator.spec.loader import resolve_pointer
from generator.spec.normalize import (
    PASSES,
    X_GROUP_PATH,
    X_ORIGINAL_NAME,
    NormalizeContext,
    canonical_schema_names,
    check_shapes,
    const_to_enum_in_30,
    dedupe_enum_values,
    drop_security_duplicate_headers,
    ensure_operation_ids,
    exclusive_bounds,
    flatten_fern_tags,
    hoist_inline_schemas,
    hoist_nested_defs,
    iter_schemas,
    normalize,
    promote_credential_headers,
    schema_examples,
    subschemas,
    type_lists_in_30,
    unify_nullable,
    unwrap_enum_value_objects,
)


def doc30(paths: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths or {}}
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    doc.update(extra)
    return doc


def op(**fields: Any) -> dict[str, Any]:
    return {"responses": {"200": {"description": "ok"}}, **fields}


def codes(ctx: NormalizeContext) -> list[tuple[str, str]]:
    return [(w.code, w.pointer) for w in ctx.warnings]


def test_flatten_fern_tags_keeps_deepest_tag_and_group_path() -> None:
    doc = doc30(
        {
            "/convai/feedback": {
                "post": op(operationId="send", tags=[["subpackage_convai", "subpackage_convai/subpackage_feedback"]])
            }
        }
    )
    ctx = NormalizeContext()
    flatten_fern_tags(doc, ctx)
    operation = doc["paths"]["/convai/feedback"]["post"]
    assert operation["tags"] == ["subpackage_convai/subpackage_feedback"]
    assert operation[X_GROUP_PATH] == ["convai", "subpackage_feedback"]
    assert codes(ctx) == [("fern-nested-tags", "/paths/~1convai~1feedback/post/tags")]
    # Flat tags are left alone and not reported.
    flat = doc30({"/a": {"get": op(tags=["a", "b"])}})
    ctx2 = NormalizeContext()
    flatten_fern_tags(flat, ctx2)
    assert flat["paths"]["/a"]["get"]["tags"] == ["a", "b"] and not ctx2.warnings


def test_unwrap_enum_value_objects() -> None:
    doc = doc30(schemas={"Rating": {"type": "string", "enum": [{"value": "up"}, {"value": "down"}, "meh"]}})
    ctx = NormalizeContext()
    unwrap_enum_value_objects(doc, ctx)
    assert doc["components"]["schemas"]["Rating"]["enum"] == ["up", "down", "meh"]
    assert codes(ctx) == [("enum-value-objects", "/components/schemas/Rating/enum")]
    # An enum of real objects with more keys than `value` is not touched.
    other = doc30(schemas={"E": {"enum": [{"value": 1, "label": "x"}]}})
    ctx2 = NormalizeContext()
    unwrap_enum_value_objects(other, ctx2)
    assert other["components"]["schemas"]["E"]["enum"] == [{"value": 1, "label": "x"}] and not ctx2.warnings


def test_promote_credential_headers_moves_header_to_security_scheme() -> None:
    header = {
        "name": "xi-api-key",
        "in": "header",
        "required": True,
        "description": "Your key",
        "schema": {"type": "string"},
    }
    keep = {"name": "page", "in": "query", "schema": {"type": "integer"}}
    doc = doc30(
        {
            "/a": {"get": op(operationId="a", parameters=[header, keep])},
            "/b": {"post": op(operationId="b", parameters=[dict(header)])},
        }
    )
    ctx = NormalizeContext(credential_headers={"xi-api-key": "ApiKeyAuth"})
    promote_credential_headers(doc, ctx)
    assert doc["paths"]["/a"]["get"]["parameters"] == [keep]
    assert doc["paths"]["/b"]["post"]["parameters"] == []
    assert doc["components"]["securitySchemes"]["ApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "xi-api-key",
        "description": "Your key",
    }
    assert doc["security"] == [{"ApiKeyAuth": []}]
    assert codes(ctx) == [
        ("credential-header", "/paths/~1a/get/parameters"),
        ("credential-header", "/paths/~1b/post/parameters"),
    ]


def test_promote_credential_headers_fails_when_config_names_a_missing_header() -> None:
    doc = doc30({"/a": {"get": op()}})
    with pytest.raises(SpecError, match="no operation has it") as info:
        promote_credential_headers(doc, NormalizeContext(credential_headers={"x-key": "KeyAuth"}))
    assert info.value.pointer == "/paths"


def test_drop_security_duplicate_headers() -> None:
    params = [
        {"name": "Authorization", "in": "header", "schema": {"type": "string"}},
        {"name": "X-Api-Key", "in": "header", "schema": {"type": "string"}},
        {"name": "X-Request-Id", "in": "header", "schema": {"type": "string"}},
        {"name": "authorization", "in": "query", "schema": {"type": "string"}},
    ]
    doc = doc30({"/a": {"get": op(parameters=params)}})
    doc["components"] = {
        "securitySchemes": {
            "Bearer": {"type": "http", "scheme": "bearer"},
            "Key": {"type": "apiKey", "in": "header", "name": "x-api-key"},
        }
    }
    ctx = NormalizeContext()
    drop_security_duplicate_headers(doc, ctx)
    assert [p["name"] for p in doc["paths"]["/a"]["get"]["parameters"]] == ["X-Request-Id", "authorization"]
    assert codes(ctx) == [
        ("security-duplicate-header", "/paths/~1a/get/parameters/1"),
        ("security-duplicate-header", "/paths/~1a/get/parameters/0"),
    ]


def test_unify_nullable_in_30_turns_null_variants_and_type_lists_into_nullable() -> None:
    doc = doc30(
        schemas={
            "A": {"oneOf": [{"$ref": "#/components/schemas/B"}, {"type": "null"}]},
            "B": {"type": ["string", "null"]},
            "C": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
        }
    )
    ctx = NormalizeContext()
    unify_nullable(doc, ctx)
    s = doc["components"]["schemas"]
    assert s["A"] == {"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": True}
    assert s["B"] == {"type": "string", "nullable": True}
    assert s["C"] == {"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": True}
    assert sorted(codes(ctx)) == [
        ("nullable", "/components/schemas/A"),
        ("nullable", "/components/schemas/B"),
        ("nullable", "/components/schemas/C"),
    ]


def test_unify_nullable_in_31_turns_nullable_true_into_null_types() -> None:
    doc = doc30(
        schemas={
            "A": {"type": "string", "nullable": True},
            "B": {"$ref": "#/components/schemas/A", "nullable": True, "description": "d"},
            "C": {"type": "integer", "nullable": False},
        }
    )
    doc["openapi"] = "3.1.0"
    ctx = NormalizeContext()
    unify_nullable(doc, ctx)
    s = doc["components"]["schemas"]
    assert s["A"] == {"type": ["string", "null"]}
    assert s["B"] == {"description": "d", "oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}
    assert s["C"] == {"type": "integer"}
    assert sorted(codes(ctx)) == [("nullable", "/components/schemas/A"), ("nullable", "/components/schemas/B")]


def test_a_reference_unify_nullable_moves_is_still_renamed() -> None:
    """The passes share one walk for the objects holding a $ref: one moved into a new object is renamed too."""
    doc = doc30(
        {"/a": {"get": op(operationId="getA")}},
        schemas={
            "my-thing": {"type": "string"},
            "Holder": {
                "type": "object",
                "properties": {"thing": {"$ref": "#/components/schemas/my-thing", "nullable": True}},
            },
        },
    )
    doc["openapi"] = "3.1.0"
    normalize(doc, NormalizeContext())
    thing = doc["components"]["schemas"]["Holder"]["properties"]["thing"]
    assert thing == {"oneOf": [{"$ref": "#/components/schemas/MyThing"}, {"type": "null"}]}


def test_const_to_enum_in_30_only() -> None:
    doc = doc30(schemas={"Kind": {"type": "string", "const": "feedback"}})
    ctx = NormalizeContext()
    const_to_enum_in_30(doc, ctx)
    assert doc["components"]["schemas"]["Kind"] == {"type": "string", "enum": ["feedback"]}
    assert codes(ctx) == [("const-in-3.0", "/components/schemas/Kind")]
    doc31 = doc30(schemas={"Kind": {"type": "string", "const": "feedback"}})
    doc31["openapi"] = "3.1.0"
    ctx31 = NormalizeContext()
    const_to_enum_in_30(doc31, ctx31)
    assert doc31["components"]["schemas"]["Kind"] == {"type": "string", "const": "feedback"} and not ctx31.warnings


def test_ensure_operation_ids_derives_missing_ids() -> None:
    doc = doc30({"/users/{user_id}/feedback": {"post": op(), "get": op(operationId="listFeedback")}})
    ctx = NormalizeContext()
    ensure_operation_ids(doc, ctx)
    assert doc["paths"]["/users/{user_id}/feedback"]["post"]["operationId"] == "post_users_user_id_feedback"
    assert doc["paths"]["/users/{user_id}/feedback"]["get"]["operationId"] == "listFeedback"
    assert codes(ctx) == [("operation-id", "/paths/~1users~1{user_id}~1feedback/post")]


def test_ensure_operation_ids_suffixes_duplicates_deterministically() -> None:
    doc = doc30(
        {
            "/a": {"get": op(operationId="same")},
            "/b": {"get": op(operationId="same"), "post": op(operationId="same")},
            "/c": {"get": op(operationId="same2")},  # the suffix a duplicate would take is taken
        }
    )
    ctx = NormalizeContext()
    ensure_operation_ids(doc, ctx)
    ids = [doc["paths"][p][m]["operationId"] for p, m in (("/a", "get"), ("/b", "get"), ("/b", "post"), ("/c", "get"))]
    assert ids == ["same", "same3", "same4", "same2"]
    assert codes(ctx) == [
        ("duplicate-operation-id", "/paths/~1b/get/operationId"),
        ("duplicate-operation-id", "/paths/~1b/post/operationId"),
    ]
    assert ctx.warnings[0].message == "duplicate operationId 'same' (also at /paths/~1a/get): this one named 'same3'"
    again = doc30({"/a": {"get": op(operationId="same")}, "/b": {"get": op(operationId="same")}})
    ensure_operation_ids(again, NormalizeContext())
    assert again["paths"]["/b"]["get"]["operationId"] == "same2"


def test_exclusive_bounds_boolean_in_31_becomes_numeric() -> None:
    schema = {"type": "integer", "minimum": 0, "exclusiveMinimum": True, "maximum": 9, "exclusiveMaximum": False}
    lone = {"type": "number", "exclusiveMaximum": True}  # true with no maximum to make exclusive
    doc = {**doc30(schemas={"N": schema, "L": lone}), "openapi": "3.1.0"}
    ctx = NormalizeContext()
    exclusive_bounds(doc, ctx)
    assert doc["components"]["schemas"]["N"] == {"type": "integer", "exclusiveMinimum": 0, "maximum": 9}
    assert doc["components"]["schemas"]["L"] == {"type": "number"}
    assert sorted(codes(ctx)) == [
        ("exclusive-bound", "/components/schemas/L/exclusiveMaximum"),
        ("exclusive-bound", "/components/schemas/N/exclusiveMaximum"),
        ("exclusive-bound", "/components/schemas/N/exclusiveMinimum"),
    ]
    assert any("written as `exclusiveMinimum: 0`" in w.message for w in ctx.warnings)


def test_exclusive_bounds_numeric_in_30_becomes_boolean() -> None:
    doc = doc30(
        schemas={
            "N": {"type": "number", "exclusiveMinimum": 1.5},
            "M": {"type": "integer", "exclusiveMaximum": 10, "maximum": 5},
        }
    )
    ctx = NormalizeContext()
    exclusive_bounds(doc, ctx)
    assert doc["components"]["schemas"]["N"] == {"type": "number", "minimum": 1.5, "exclusiveMinimum": True}
    # maximum 5 is tighter than exclusiveMaximum 10: the inclusive bound stands.
    assert doc["components"]["schemas"]["M"] == {"type": "integer", "maximum": 5}
    assert len(ctx.warnings) == 2 and {w.code for w in ctx.warnings} == {"exclusive-bound"}
    untouched = doc30(schemas={"N": {"type": "number", "minimum": 1, "exclusiveMinimum": True}})
    ctx2 = NormalizeContext()
    exclusive_bounds(untouched, ctx2)
    assert untouched["components"]["schemas"]["N"]["exclusiveMinimum"] is True and not ctx2.warnings


def test_schema_examples_in_the_other_versions_spelling() -> None:
    doc31 = {**doc30(schemas={"S": {"type": "string", "example": "a", "examples": ["b"]}}), "openapi": "3.1.0"}
    ctx = NormalizeContext()
    schema_examples(doc31, ctx)
    assert doc31["components"]["schemas"]["S"] == {"type": "string", "examples": ["b", "a"]}
    assert codes(ctx) == [("schema-example", "/components/schemas/S/example")]
    doc = doc30(schemas={"S": {"type": "string", "examples": ["x", "y"]}, "T": {"type": "string", "examples": "odd"}})
    ctx = NormalizeContext()
    schema_examples(doc, ctx)
    assert doc["components"]["schemas"] == {"S": {"type": "string", "example": "x"}, "T": {"type": "string"}}
    assert sorted(codes(ctx)) == [
        ("schema-example", "/components/schemas/S/examples"),
        ("schema-example", "/components/schemas/T/examples"),
    ]
    # Example objects of a media type are not schemas: left alone.
    media = doc30(
        {
            "/a": {
                "get": op(
                    responses={
                        "200": {"description": "ok", "content": {"application/json": {"examples": {"e": {"value": 1}}}}}
                    }
                )
            }
        }
    )
    before = copy.deepcopy(media)
    schema_examples(media, NormalizeContext())
    assert media == before


def test_type_lists_in_30_become_any_of() -> None:
    doc = doc30(schemas={"U": {"type": ["string", "integer", "null"], "description": "d"}})
    ctx = NormalizeContext()
    type_lists_in_30(doc, ctx)
    assert doc["components"]["schemas"]["U"] == {
        "description": "d",
        "nullable": True,
        "anyOf": [{"type": "string"}, {"type": "integer"}],
    }
    assert codes(ctx) == [("type-list", "/components/schemas/U/type")]
    doc31 = {**doc30(schemas={"U": {"type": ["string", "integer"]}}), "openapi": "3.1.0"}
    type_lists_in_30(doc31, NormalizeContext())
    assert doc31["components"]["schemas"]["U"] == {"type": ["string", "integer"]}


def test_dedupe_enum_values_by_json_equality() -> None:
    doc = doc30(schemas={"E": {"enum": ["a", "b", "a", 1, 1.0, True, None, None]}})
    ctx = NormalizeContext()
    dedupe_enum_values(doc, ctx)
    # 1 and 1.0 are one JSON number; true is not a number.
    assert doc["components"]["schemas"]["E"]["enum"] == ["a", "b", 1, True, None]
    assert codes(ctx) == [("duplicate-enum", "/components/schemas/E/enum")]
    assert "3 value(s) twice" in ctx.warnings[0].message


def test_hoist_nested_defs_moves_definitions_into_components() -> None:
    inner = {"type": "object", "properties": {"n": {"type": "integer"}}}
    response_schema = {
        "type": "object",
        "properties": {"usage": {"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema/$defs/Usage"}},
        "$defs": {"Usage": inner},
    }
    doc = {
        **doc30(
            {
                "/a": {
                    "get": op(
                        responses={
                            "200": {"description": "ok", "content": {"application/json": {"schema": response_schema}}}
                        }
                    )
                }
            },
            schemas={"Usage": copy.deepcopy(inner), "Other": {"type": "string"}},
        ),
        "openapi": "3.1.0",
    }
    ctx = NormalizeContext()
    hoist_nested_defs(doc, ctx)
    schema = doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    # Equal to the component of the same name: it is that component.
    assert schema == {"type": "object", "properties": {"usage": {"$ref": "#/components/schemas/Usage"}}}
    assert set(doc["components"]["schemas"]) == {"Usage", "Other"}
    assert codes(ctx) == [("nested-defs", "/paths/~1a/get/responses/200/content/application~1json/schema/$defs/Usage")]


def _schema_names_doc(order: list[str]) -> dict[str, Any]:
    schemas = {name: {"type": "object", "properties": {"x": {"type": "string"}}} for name in order}
    schemas["Holder"] = {
        "type": "object",
        "properties": {f"ref{i}": {"$ref": f"#/components/schemas/{name}"} for i, name in enumerate(order)},
    }
    return doc30(
        {
            "/a": {
                "get": op(
                    responses={
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Response"}}},
                        }
                    }
                )
            }
        },
        schemas,
    )


def test_canonical_schema_names_reserved_keywords_and_near_duplicates() -> None:
    names = ["Response", "Client", "Error", "class", "Field", "MyThing", "my-thing", "my_thing", "mything"]
    doc = _schema_names_doc(names)
    ctx = NormalizeContext()
    canonical_schema_names(doc, ctx)
    schemas = doc["components"]["schemas"]
    expected = {
        "Response": "ResponseModel",
        "Client": "ClientModel",
        "Error": "ErrorModel",
        "class": "Class",
        "Field": "FieldModel",
        "MyThing": "MyThing",  # already canonical: keeps its name
        "my-thing": "MyThing2",
        "my_thing": "MyThing3",
        "mything": "Mything",
    }
    assert set(schemas) == {*expected.values(), "Holder"}
    assert len(set(expected.values())) == len(expected)
    for old, new in expected.items():
        if old != new:
            assert schemas[new][X_ORIGINAL_NAME] == old
    # Every reference follows its schema.
    holder_refs = {p["$ref"] for p in schemas["Holder"]["properties"].values()}
    assert holder_refs == {f"#/components/schemas/{new}" for new in expected.values()}
    ok = doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/ResponseModel"}
    renamed = {old for old, new in expected.items() if old != new}
    assert sorted(codes(ctx)) == sorted(("schema-name", f"/components/schemas/{old}") for old in renamed)
    # Deterministic regardless of the order the document lists them in.
    again = _schema_names_doc(list(reversed(names)))
    canonical_schema_names(again, NormalizeContext())
    assert set(again["components"]["schemas"]) == set(schemas)
    for new in expected.values():
        assert again["components"]["schemas"][new].get(X_ORIGINAL_NAME) == schemas[new].get(X_ORIGINAL_NAME)


def test_hoist_inline_schemas_names_request_response_and_nested_objects() -> None:
    body = {
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"rating": {"type": "string", "enum": ["up", "down"]}}}
            }
        }
    }
    response = {
        "description": "ok",
        "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}},
    }
    doc = doc30(
        {"/f": {"post": {"operationId": "sendFeedback", "requestBody": body, "responses": {"200": response}}}},
        # A schema already holds the name the request body would take: no collision.
        {"SendFeedbackRequest": {"type": "object", "properties": {"old": {"type": "integer"}}}},
    )
    ctx = NormalizeContext()
    hoist_inline_schemas(doc, ctx)
    schemas = doc["components"]["schemas"]
    assert schemas["SendFeedbackRequest"] == {"type": "object", "properties": {"old": {"type": "integer"}}}
    operation = doc["paths"]["/f"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SendFeedbackRequest2"
    }
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SendFeedbackResponse"
    }
    assert schemas["SendFeedbackRequest2"]["properties"]["rating"] == {
        "$ref": "#/components/schemas/SendFeedbackRequest2Rating"
    }
    assert schemas["SendFeedbackRequest2Rating"] == {"type": "string", "enum": ["up", "down"]}
    assert [w.code for w in ctx.warnings] == ["hoisted-schema"] * 3
    assert {w.message for w in ctx.warnings} == {
        "inline schema named 'SendFeedbackRequest2'",
        "inline schema named 'SendFeedbackRequest2Rating'",
        "inline schema named 'SendFeedbackResponse'",
    }
    assert "/paths/~1f/post/requestBody/content/application~1json/schema" in {w.pointer for w in ctx.warnings}


def test_hoist_inline_schemas_is_deterministic() -> None:
    base = doc30(
        {
            "/f": {
                "post": {
                    "operationId": "x",
                    "responses": {
                        "201": {
                            "description": "",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "properties": {"a": {"type": "object", "properties": {"b": {"enum": [1]}}}}
                                    }
                                }
                            },
                        },
                        "400": {
                            "description": "",
                            "content": {"application/json": {"schema": {"properties": {"e": {"type": "string"}}}}},
                        },
                    },
                }
            }
        }
    )
    first, second = copy.deepcopy(base), copy.deepcopy(base)
    hoist_inline_schemas(first, NormalizeContext())
    hoist_inline_schemas(second, NormalizeContext())
    assert first == second
    assert sorted(first["components"]["schemas"]) == ["XError400", "XResponse", "XResponseA", "XResponseAB"]


def test_normalize_runs_every_pass_and_is_idempotent() -> None:
    doc = _schema_names_doc(["Response", "class"])
    ctx = NormalizeContext()
    normalize(doc, ctx)
    assert ctx.warnings
    snapshot = copy.deepcopy(doc)
    ctx2 = NormalizeContext()
    normalize(doc, ctx2)
    assert doc == snapshot
    assert ctx2.warnings == []


@pytest.mark.parametrize(
    ("mutate", "pointer", "found"),
    [
        (lambda d: d.update(paths=["/a"]), "/paths", "a list"),
        (lambda d: d["paths"]["/a"]["get"].update(parameters="id"), "/paths/~1a/get/parameters", "a string"),
        (lambda d: d["paths"]["/a"]["get"]["responses"].update({"200": 5}), "/paths/~1a/get/responses/200", "a number"),
        (lambda d: d.update(servers=[None]), "/servers/0", "null"),
        (lambda d: d.update(components={"securitySchemes": {"K": True}}), "/components/securitySchemes/K", "a boolean"),
    ],
)
def test_normalize_refuses_a_wrong_typed_skeleton_before_any_pass(mutate: Any, pointer: str, found: str) -> None:
    doc = doc30({"/a": {"get": op()}})
    mutate(doc)
    snapshot = copy.deepcopy(doc)
    with pytest.raises(SpecError, match=f"found {found}$") as info:
        normalize(doc, NormalizeContext())
    assert info.value.pointer == pointer
    assert doc == snapshot  # nothing was changed before the error


# ----------------------------------------------------------------- one shared schema walk


def _one_pass_at_a_time(doc: dict[str, Any], ctx: NormalizeContext) -> None:
    """What normalize() does, each pass walking the document afresh (a pass called alone shares nothing)."""
    check_shapes(doc, ctx)
    for pass_ in PASSES:
        pass_(doc, ctx)


def _restructuring_doc30() -> dict[str, Any]:
    """Passes that move schemas (unify_nullable, type lists, dropped headers) before passes that walk them."""
    return doc30(
        {
            "/a/{id}": {
                "get": op(
                    parameters=[
                        {"name": "Authorization", "in": "header", "schema": {"type": "string", "const": "x"}},
                        {"name": "id", "in": "path", "required": True, "schema": {"type": ["string", "integer"]}},
                        {"name": "q", "in": "query", "schema": {"oneOf": [{"type": "null"}, {"const": 3}]}},
                    ]
                )
            }
        },
        {
            "A": {
                "anyOf": [{"type": "null"}, {"type": ["integer", "string"], "exclusiveMinimum": 1}],
                "properties": {"e": {"enum": [{"value": "a"}, "a"], "examples": ["x"]}},
            },
            "B": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/A"}]},
            "C": {"type": ["number", "null"], "const": 2, "maximum": 3, "exclusiveMaximum": 2},
        },
    )


def _restructuring_doc31() -> dict[str, Any]:
    doc = _restructuring_doc30()
    doc["openapi"] = "3.1.0"
    doc["components"]["schemas"]["D"] = {
        "nullable": True,
        "type": "object",
        "properties": {"n": {"nullable": True, "minimum": 1, "exclusiveMinimum": True, "example": 2}},
    }
    return doc


@pytest.mark.parametrize("make", [_restructuring_doc30, _restructuring_doc31])
def test_normalize_shares_its_schema_walk_without_changing_any_pass(make: Any) -> None:
    doc = make()
    doc["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    shared, alone = copy.deepcopy(doc), copy.deepcopy(doc)
    shared_ctx, alone_ctx = NormalizeContext(), NormalizeContext()
    normalize(shared, shared_ctx)
    _one_pass_at_a_time(alone, alone_ctx)
    assert shared == alone
    assert [(w.code, w.pointer, w.message) for w in shared_ctx.warnings] == [
        (w.code, w.pointer, w.message) for w in alone_ctx.warnings
    ]
    assert {w.code for w in shared_ctx.warnings} >= {"nullable", "security-duplicate-header", "exclusive-bound"}


def test_iter_schemas_pointers_are_where_the_schemas_are() -> None:
    doc = _restructuring_doc31()
    doc["components"]["schemas"]["a/b~c"] = {"properties": {"x/y": {"items": {"type": "string"}}}}
    found = list(iter_schemas(doc))
    for schema, pointer in found:
        assert resolve_pointer(doc, pointer) is schema
    # The order too: each root (a schema not below another) then what subschemas() finds under it, depth first.
    roots = [(s, p) for s, p in found if not any(p.startswith(q + "/") for _, q in found)]
    expected: list[tuple[int, str]] = []
    for root, pointer in roots:
        stack = [(root, pointer)]
        while stack:
            schema, at = stack.pop()
            expected.append((id(schema), at))
            stack.extend(subschemas(schema, at))
    assert [(id(s), p) for s, p in found] == expected
    assert ("/components/schemas/a~1b~0c/properties/x~1y/items") in [p for _, p in found]
