"""One naming authority: the IR decides every Python name; client, README and diff read it.

Covers Fern's SDK hints (``x-fern-sdk-group-name`` / ``x-fern-sdk-method-name``), specs without
them keeping tag/operationId names, and names that collide with the client's own attributes.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from generator.diff.checks.context import client_call
from generator.diff.compare import diff_apis
from generator.emit.client import module_names
from generator.naming import CLIENT_MODULE_NAMES, ENUM_ATTRIBUTES, MODEL_ATTRIBUTES, enum_member_names, field_name
from tests.emit_models.support import import_fresh, load_doc, named, write_packages

OK = {"200": {"description": "ok"}}


def _spec(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Names", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
    }
    if schemas:
        doc["components"] = {"schemas": schemas}
    return doc


# ElevenLabs' published spec, trimmed: the official SDK calls this client.conversational_ai.conversations.list.
FERN = _spec(
    {
        "/v1/convai/conversations": {
            "get": {
                "operationId": "get_conversation_histories_route",
                "tags": ["Conversational AI"],
                "x-fern-sdk-group-name": ["conversational_ai", "conversations"],
                "x-fern-sdk-method-name": "list",
                "responses": OK,
            }
        },
        "/v1/convai/conversations/{conversation_id}": {
            "get": {
                "operationId": "get_conversation_history_route",
                "tags": ["Conversational AI"],
                "x-fern-sdk-group-name": ["conversational_ai", "conversations"],
                "x-fern-sdk-method-name": "get",
                "parameters": [
                    {"name": "conversation_id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": OK,
            }
        },
        "/v1/models": {
            "get": {
                "operationId": "get_models",
                "tags": ["models"],
                "x-fern-sdk-group-name": "models",
                "x-fern-sdk-method-name": "list",
                "responses": OK,
            }
        },
    }
)


def _without_hints(doc: dict[str, Any]) -> dict[str, Any]:
    plain = copy.deepcopy(doc)
    for item in plain["paths"].values():
        for op in item.values():
            op.pop("x-fern-sdk-group-name", None)
            op.pop("x-fern-sdk-method-name", None)
    return plain


def test_fern_hints_give_the_official_sdk_call_shape(tmp_path: Path) -> None:
    spec = load_doc(tmp_path, FERN, "fernhints")
    calls = sorted(client_call(op) for op in spec.api.operations)
    assert calls == [
        "client.conversational_ai.conversations.get(...)",
        "client.conversational_ai.conversations.list(...)",
        "client.models.list(...)",
    ]
    pkg = import_fresh(write_packages(tmp_path / "out", [spec]), "fernhints")
    client = pkg.Client(base_url="http://127.0.0.1:9")
    try:
        assert callable(client.conversational_ai.conversations.list)
        assert callable(client.conversational_ai.conversations.get)
        assert callable(client.models.list)
    finally:
        client.close()
    readme = (tmp_path / "out" / "fernhints" / "README.md").read_text(encoding="utf-8")
    assert "client.conversational_ai.conversations.list()" in readme


def test_a_spec_without_hints_keeps_tag_and_operation_id_names(tmp_path: Path) -> None:
    spec = load_doc(tmp_path, _without_hints(FERN), "nohints")
    calls = sorted(client_call(op) for op in spec.api.operations)
    assert calls == [
        "client.conversational_ai.get_conversation_histories_route(...)",
        "client.conversational_ai.get_conversation_history_route(...)",
        "client.models.get_models(...)",
    ]


# GitHub's published spec namespaces every operationId with its tag ("gists/list").
NAMESPACED = _spec(
    {
        "/gists": {
            "get": {"operationId": "gists/list", "tags": ["gists"], "responses": OK},
            "post": {"operationId": "gists/create", "tags": ["gists"], "responses": OK},
        },
        "/gists/{gist_id}/star": {
            "put": {
                "operationId": "gists/star",
                "tags": ["gists"],
                "parameters": [{"name": "gist_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": OK,
            }
        },
        "/": {"get": {"operationId": "meta/root", "tags": ["meta"], "responses": OK}},
        "/octocat": {"get": {"operationId": "meta/with-raw-response", "tags": ["meta"], "responses": OK}},
        "/emojis": {"get": {"operationId": "emojis/get", "tags": ["meta"], "responses": OK}},
        "/zen": {"get": {"operationId": "meta/get-zen", "responses": OK}},
    }
)


def test_a_namespaced_operation_id_drops_the_namespace_its_resource_already_says(tmp_path: Path) -> None:
    """`gists/list` tagged `gists` is `client.gists.list`; a namespace that is not the resource stays."""
    spec = load_doc(tmp_path, NAMESPACED, "namespaced")
    calls = sorted(client_call(op) for op in spec.api.operations)
    assert calls == [
        "client.gists.create(...)",
        "client.gists.list(...)",
        "client.gists.star(...)",
        "client.meta.emojis_get(...)",
        "client.meta.root(...)",
        "client.meta.with_raw_response_(...)",  # kept clear of the resource's own attribute
        "client.meta_get_zen(...)",
    ]
    pkg = import_fresh(write_packages(tmp_path / "out", [spec]), "namespaced")
    client = pkg.Client(base_url="http://127.0.0.1:9")
    try:
        assert callable(client.gists.list) and callable(client.gists.star) and callable(client.meta.root)
    finally:
        client.close()


CLASH = _spec(
    {
        "/timeouts/{id}/close": {
            "post": {
                "operationId": "close",
                "tags": ["timeout"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": OK,
            }
        },
        "/close": {"post": {"operationId": "Close", "responses": OK}},
        "/request": {"get": {"operationId": "request", "tags": ["with_raw_response"], "responses": OK}},
    }
)


def test_names_colliding_with_client_attributes_are_renamed_once_for_everyone(tmp_path: Path) -> None:
    spec = load_doc(tmp_path, CLASH, "clash")
    calls = {op.path: client_call(op) for op in spec.api.operations}
    assert calls == {
        "/timeouts/{id}/close": "client.timeout2.close(...)",
        "/close": "client.close_(...)",
        "/request": "client.with_raw_response2.request(...)",
    }
    pkg = import_fresh(write_packages(tmp_path / "out", [spec]), "clash")
    client = pkg.Client(base_url="http://127.0.0.1:9", timeout=3.0)
    try:
        assert client.timeout == 3.0  # still the client's own setting
        assert callable(client.timeout2.close)
        assert callable(client.close_)
        assert callable(client.with_raw_response2.request)
    finally:
        client.close()  # still the client's own close


def test_diff_impact_lines_name_the_method_the_client_has(tmp_path: Path) -> None:
    old = load_doc(tmp_path / "old", CLASH, "clash").api
    new_doc = copy.deepcopy(CLASH)
    del new_doc["paths"]["/timeouts/{id}/close"]
    new = load_doc(tmp_path / "new", new_doc, "clash").api
    findings = diff_apis(old, new)
    removed = [f for f in findings if f.operation == "POST /timeouts/{id}/close"]
    assert removed, findings
    assert all("client.timeout.close" not in f.impact for f in findings)
    assert any("client.timeout2.close(...)" in f.impact for f in removed), [f.impact for f in removed]


def test_field_and_member_names_never_shadow_what_their_class_needs(tmp_path: Path) -> None:
    schemas = {
        "Align": {"type": "string", "enum": ["center", "count", "split", "name", "value", "class", ""]},
        "Thing": {
            "type": "object",
            "required": ["json", "str"],
            "properties": {
                "json": {"type": "string"},
                "str": {"type": "integer"},
                "model_config": {"type": "string"},
                "model_dump_all": {"type": "string"},
                "model_id": {"type": "string"},
                "copy": {"type": "boolean"},
                "class": {"type": "string"},
            },
        },
    }
    spec = load_doc(tmp_path, _spec({}, schemas), "shadows")
    align = named(spec.api, "Align").schema
    assert align.python_names == ("center_", "count_", "split_", "name_", "value_", "class_", "empty")  # type: ignore[union-attr]
    thing = named(spec.api, "Thing").schema
    fields = {p.name: p.python_name for p in thing.properties}  # type: ignore[union-attr]
    assert fields == {
        "json": "json_",
        "str": "str_",
        "model_config": "model_config_",
        "model_dump_all": "model_dump_all",  # pydantic's protected namespace is turned off for it
        "model_id": "model_id",  # not a BaseModel attribute: kept as users know it
        "copy": "copy_",
        "class": "class_",
    }
    models = import_fresh(write_packages(tmp_path / "out", [spec]), "shadows.models")
    item = models.Thing.model_validate({"json": "j", "str": 1, "copy": True, "class": "c", "model_config": "m"})
    assert (item.json_, item.str_, item.copy_, item.class_, item.model_config_) == ("j", 1, True, "c", "m")
    assert item.model_dump(by_alias=True, exclude_unset=True) == {
        "json": "j",
        "str": 1,
        "copy": True,
        "class": "c",
        "model_config": "m",
    }
    assert models.Align("center") is models.Align.center_
    assert models.Align.center_.center(10) == "  center  "  # str.center still works


def test_naming_is_deterministic_and_reserved_sets_match_the_pinned_libraries() -> None:
    import pydantic

    assert enum_member_names(("a", "A", "a b", "a-b")) == enum_member_names(("a", "A", "a b", "a-b"))
    assert enum_member_names(("a", "A", "a b", "a-b")) == ("a", "a2", "a_b", "a_b2")
    assert enum_member_names((1, -1, 2), None) == ("value_1", "value_minus_1", "value_2")
    public = {n for n in dir(pydantic.BaseModel) if not n.startswith("_")}
    assert public == MODEL_ATTRIBUTES
    assert {n for n in set(dir(str)) | set(dir(int)) if not n.startswith("_")} <= ENUM_ATTRIBUTES
    assert field_name("schema") == "schema_"
    # The IR's list of the client module's names is the one the client template imports.
    assert module_names() == CLIENT_MODULE_NAMES
