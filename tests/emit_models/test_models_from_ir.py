"""Models rendered from the IR: every schema feature imports, passes mypy --strict and validates payloads.

The spec below carries the three shapes that failed ``mypy --strict`` with datamodel-code-generator
(an enum member shadowing a ``str`` method, an ``allOf`` part narrowing a parent's field, a raw
default on a field typed as a wrapper model) and the shape it crashed on ("requires local base").
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

import pydantic
import pytest

from tests.emit_models.support import import_fresh, load_doc, mypy_strict, named, write_packages

SCHEMAS: dict[str, Any] = {
    # enums: string (members shadowing str methods), integer with x-enum-varnames, mixed, nullable
    "Align": {"type": "string", "enum": ["center", "count", "split", "left"]},
    "Vote": {"type": "integer", "enum": [0, 1], "x-enum-varnames": ["DOWN", "UP"]},
    "Mixed": {"enum": ["a", 1, True]},
    # YAML's bare `no` is a boolean: `type: string` does not make these values strings (Mistral, DigitalOcean).
    "Switch": {"type": "string", "enum": ["yes", False]},
    "MaybeColor": {"type": ["string", "null"], "enum": ["red", "green", None]},
    # a wrapper (RootModel) with a default on the field that uses it
    "Consent": {"type": "boolean"},
    "Tag": {"type": "string", "maxLength": 5},
    # allOf: a part narrows a parent's field; a chain of allOf (the "requires local base" shape)
    "ClientError": {
        "type": "object",
        "required": ["code"],
        "properties": {"code": {"type": "string"}, "context_info": {"type": "object"}},
    },
    "ConflictContext": {"type": "object", "properties": {"resource": {"type": "string"}}},
    "ConflictError": {
        "allOf": [
            {"$ref": "#/components/schemas/ClientError"},
            {"properties": {"context_info": {"$ref": "#/components/schemas/ConflictContext"}}},
        ]
    },
    "SearchHits": {
        "allOf": [
            {"type": "object", "required": ["hits"], "properties": {"hits": {"type": "array", "items": {}}}},
            {"properties": {"nbHits": {"type": "integer"}}},
        ]
    },
    "BaseSearchResponse": {"type": "object", "properties": {"page": {"type": "integer", "minimum": 0}}},
    "BrowseResponse": {
        "allOf": [
            {"$ref": "#/components/schemas/BaseSearchResponse"},
            {"$ref": "#/components/schemas/SearchHits"},
            {"type": "object", "properties": {"cursor": {"type": "string"}}},
        ]
    },
    # properties and `required` beside allOf, and a part that only requires (DigitalOcean)
    "Sized": {
        "type": "object",
        "allOf": [
            {"$ref": "#/components/schemas/BaseSearchResponse"},
            {"required": ["page"]},
        ],
        "properties": {"size": {"type": "string", "enum": ["s", "m"]}},
        "required": ["size"],
    },
    # unions with a discriminator
    "Cat": {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"type": "string", "enum": ["cat"]}, "meows": {"type": "boolean"}},
    },
    "Dog": {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"type": "string", "enum": ["dog"]}, "barks": {"type": "integer"}},
    },
    "Pet": {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
        },
    },
    # recursion and mutual recursion
    "TreeNode": {
        "type": "object",
        "properties": {
            "label": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/TreeNode"}},
        },
    },
    "Author": {
        "type": "object",
        "properties": {"books": {"type": "array", "items": {"$ref": "#/components/schemas/Book"}}},
    },
    "Book": {"type": "object", "properties": {"author": {"$ref": "#/components/schemas/Author"}}},
    "NestedList": {"type": "array", "items": {"$ref": "#/components/schemas/NestedList"}},
    # everything on one object
    "Widget": {
        "type": "object",
        "required": ["id", "name", "secret", "maybe"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "readOnly": True},
            "secret": {"type": "string", "writeOnly": True},
            "name": {"type": "string", "minLength": 1, "maxLength": 10, "pattern": "^(?!x)[a-z]+$"},
            "maybe": {"type": ["integer", "null"]},
            "align": {"$ref": "#/components/schemas/Align", "default": "center"},
            "vote": {"$ref": "#/components/schemas/Vote", "default": 1},
            "consent": {"$ref": "#/components/schemas/Consent", "default": True},
            "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}, "maxItems": 2, "default": []},
            "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1, "default": 0.5},
            "size": {"type": "integer", "multipleOf": 2, "default": 4},
            "labels": {"type": "object", "additionalProperties": {"type": "integer"}},
            "color": {"$ref": "#/components/schemas/MaybeColor"},
            "mixed": {"$ref": "#/components/schemas/Mixed"},
            "old": {"type": "string", "deprecated": True, "description": "Use name."},
            "pet": {"$ref": "#/components/schemas/Pet"},
            "inline": {"type": "object", "properties": {"deep": {"type": "string", "enum": ["x", "y"]}}},
            "when": {"type": "string", "format": "date-time"},
            "any_of": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            "cat_plus": {
                "allOf": [{"$ref": "#/components/schemas/Cat"}, {"properties": {"extra": {"type": "string"}}}]
            },
        },
    },
    "Counts": {
        "type": "object",
        "additionalProperties": {"type": "integer"},
        "properties": {"total": {"type": "integer"}},
    },
}

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Features", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/widgets": {
            "post": {
                "operationId": "createWidget",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}}},
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}},
                    }
                },
            }
        }
    },
    "components": {"schemas": SCHEMAS},
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    tmp = tmp_path_factory.mktemp("features")
    spec = load_doc(tmp, DOC, "features")
    root = write_packages(tmp / "out", [spec])
    return root, import_fresh(root, "features.models")


def test_the_ir_carries_what_models_need(tmp_path: Path) -> None:
    api = load_doc(tmp_path, DOC, "features").api
    vote = named(api, "Vote").schema
    assert vote.python_names == ("down", "up")  # type: ignore[union-attr]
    pet = named(api, "Pet").schema
    assert pet.discriminator == "kind"  # type: ignore[union-attr]
    assert pet.mapping == (("cat", "Cat"), ("dog", "Dog"))  # type: ignore[union-attr]
    widget = named(api, "Widget").schema
    # An inline allOf is named by the IR (normalize names inline objects and enums).
    cat_plus = widget.property("cat_plus")  # type: ignore[union-attr]
    assert cat_plus is not None and cat_plus.schema.name == "WidgetCatPlus"  # type: ignore[union-attr]
    hoisted = named(api, "WidgetCatPlus")
    assert hoisted.hoisted_from == "/components/schemas/Widget/properties/cat_plus"


def test_models_pass_mypy_strict(built: tuple[Path, Any]) -> None:
    root, _ = built
    proc = mypy_strict(root, ["features"])
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_enums(built: tuple[Path, Any]) -> None:
    _, m = built
    assert issubclass(m.Align, enum.StrEnum) and m.Align("center") is m.Align.center_
    assert m.Align.center_.center(8) == " center "
    assert issubclass(m.Vote, enum.IntEnum) and m.Vote.up == 1 and m.Vote(0) is m.Vote.down
    # Mixed values make a plain Enum; Python's Enum folds True into the member of equal value 1.
    assert issubclass(m.Mixed, enum.Enum) and [e.value for e in m.Mixed] == ["a", 1]
    assert not issubclass(m.Switch, str) and m.Switch(False).value is False
    assert [e.value for e in m.MaybeColor] == ["red", "green"]


def test_widget_payloads(built: tuple[Path, Any]) -> None:
    _, m = built
    wire = {
        "id": "w1",
        "secret": "s",
        "name": "abc",
        "maybe": None,
        "tags": ["a", "bb"],
        "labels": {"x": 1},
        "color": None,
        "pet": {"kind": "dog", "barks": 3},
        "inline": {"deep": "y"},
        "when": "2024-01-01T00:00:00Z",
        "any_of": 5,
        "cat_plus": {"kind": "cat", "extra": "e"},
    }
    w = m.Widget.model_validate(wire)
    assert w.align is m.Align.center_ and w.vote is m.Vote.up and w.ratio == 0.5 and w.size == 4
    assert w.consent is not None and w.consent.root is True  # the wrapper default, built per instance
    assert isinstance(w.pet.root, m.Dog) and isinstance(w.inline, m.WidgetInline)
    dumped = w.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert dumped == wire | {"when": "2024-01-01T00:00:00Z"}
    assert m.Widget.model_validate(dumped) == w
    # Read-only and write-only fields may be absent (one model serves requests and responses).
    m.Widget.model_validate({"name": "abc", "maybe": 1})
    bad: list[dict[str, Any]] = [
        {"name": "", "maybe": 1},  # minLength
        {"name": "xabc", "maybe": 1},  # pattern with a lookahead (Python's re)
        {"name": "abc"},  # required nullable field missing
        {"name": "abc", "maybe": 1, "unknown": 1},  # additionalProperties: false
        {"name": "abc", "maybe": 1, "tags": ["a", "b", "c"]},  # maxItems
        {"name": "abc", "maybe": 1, "tags": ["toolong"]},  # maxLength of the wrapper
        {"name": "abc", "maybe": 1, "ratio": 0},  # exclusiveMinimum
        {"name": "abc", "maybe": 1, "size": 3},  # multipleOf
        {"name": "abc", "maybe": 1, "labels": {"x": "y"}},  # typed additionalProperties
        {"name": "abc", "maybe": 1, "align": "right"},  # enum
        {"name": "abc", "maybe": 1, "when": "2024-01-01T00:00:00"},  # date-time needs an offset
    ]
    for payload in bad:
        with pytest.raises(pydantic.ValidationError):
            m.Widget.model_validate(payload)


def test_deprecated_field_warns_on_access(built: tuple[Path, Any]) -> None:
    _, m = built
    w = m.Widget.model_validate({"name": "abc", "maybe": 1, "old": "o"})
    with pytest.warns(DeprecationWarning):
        assert w.old == "o"


def test_all_of_merges_parts_and_refines_fields(built: tuple[Path, Any]) -> None:
    _, m = built
    c = m.ConflictError.model_validate({"code": "x", "context_info": {"resource": "r"}})
    assert isinstance(c.context_info, m.ConflictContext)
    with pytest.raises(pydantic.ValidationError):
        m.ConflictError.model_validate({"context_info": {}})  # `code` stays required from the parent
    b = m.BrowseResponse.model_validate({"hits": [1], "nbHits": 1, "page": 0, "cursor": "c"})
    assert (b.hits, b.nb_hits, b.page, b.cursor) == ([1], 1, 0, "c")
    with pytest.raises(pydantic.ValidationError):
        m.BrowseResponse.model_validate({"page": 0})  # `hits` required by a part of a part


def test_discriminator_picks_the_variant(built: tuple[Path, Any]) -> None:
    _, m = built
    assert isinstance(m.Pet.model_validate({"kind": "dog", "barks": 1}).root, m.Dog)
    assert isinstance(m.Pet.model_validate({"kind": "cat"}).root, m.Cat)
    assert isinstance(m.Pet.model_validate(m.Cat(kind=m.CatKind.cat)).root, m.Cat)
    for payload in ({}, {"kind": "bird"}, {"kind": "dog", "barks": "loud"}, {"kind": 1}):
        with pytest.raises(pydantic.ValidationError):
            m.Pet.model_validate(payload)


def test_all_of_keeps_what_sits_beside_it(built: tuple[Path, Any]) -> None:
    _, m = built
    assert m.Sized.model_validate({"size": "s", "page": 1}).size.value == "s"
    for payload in ({"page": 1}, {"size": "s"}, {"size": "xl", "page": 1}):
        with pytest.raises(pydantic.ValidationError):
            m.Sized.model_validate(payload)


def test_recursive_models(built: tuple[Path, Any]) -> None:
    _, m = built
    tree = m.TreeNode.model_validate({"label": "a", "children": [{"label": "b", "children": []}]})
    assert tree.children[0].label == "b"
    book = m.Book.model_validate({"author": {"books": [{"author": {"books": []}}]}})
    assert isinstance(book.author.books[0], m.Book)
    nested = m.NestedList.model_validate([[[]], []])
    assert nested.model_dump() == [[[]], []]
    with pytest.raises(pydantic.ValidationError):
        m.NestedList.model_validate([[1]])


def test_typed_additional_properties_beside_properties(built: tuple[Path, Any]) -> None:
    _, m = built
    counts = m.Counts.model_validate({"total": 2, "a": 1, "b": 1})
    assert counts.total == 2 and counts.model_extra == {"a": 1, "b": 1}
    with pytest.raises(pydantic.ValidationError):
        m.Counts.model_validate({"total": 2, "a": "one"})
