"""Map keys typed by ``propertyNames`` and exact tuples from ``prefixItems`` (OpenAPI 3.1 / JSON Schema 2020-12).

Mistral's spec keys descriptions by language (``propertyNames: {$ref: ConnectorSupportedLanguage}``)
and sends pairs as ``prefixItems`` with two items exactly; the models type both, and what they
do not type (a key pattern, a tuple with optional items) stays as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic
import pytest

from tests.emit_models.support import import_fresh, load_doc, mypy_strict, write_packages

PAIR = {
    "type": "array",
    "prefixItems": [{"type": "integer"}, {"anyOf": [{"type": "integer"}, {"type": "number"}]}],
    "minItems": 2,
    "maxItems": 2,
}
SCHEMAS: dict[str, Any] = {
    "Lang": {"type": "string", "enum": ["en", "fr"]},
    "Connector": {
        "type": "object",
        "properties": {
            "name": {"type": "object", "propertyNames": {"$ref": "#/components/schemas/Lang"},
                     "additionalProperties": {"type": "string"}},
            "sizes": {"type": "object", "propertyNames": {"type": "string", "enum": ["s", "m"]},
                      "additionalProperties": {"type": "integer"}},
            "by_pattern": {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"},
                           "additionalProperties": {"type": "string"}},
            "span": {**PAIR, "default": [0, 1.5]},
            "loose": {"type": "array", "prefixItems": [{"type": "integer"}], "items": {"type": "string"}},
            "nested": {"type": "array", "prefixItems": [{"type": "object", "properties": {"x": {"type": "integer"}}}],
                       "minItems": 1, "maxItems": 1},
            # Field names that are the builtins the annotations use must not shadow them.
            "tuple": {"type": "string"},
            "dict": {"type": "string"},
        },
    },
}  # fmt: skip
DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Keys", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/connectors": {
            "post": {
                "operationId": "createConnector",
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Connector"}}}
                },
                "responses": {"204": {"description": "ok"}},
            }
        }
    },
    "components": {"schemas": SCHEMAS},
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    tmp = tmp_path_factory.mktemp("keys")
    root = write_packages(tmp / "out", [load_doc(tmp, DOC, "keys")])
    return root, import_fresh(root, "keys.models")


def test_keys_and_tuples_pass_mypy_strict(built: tuple[Path, Any]) -> None:
    root, _ = built
    usage = root / "usage.py"
    usage.write_text(
        "from keys import Client, models\n\n\n"
        "def make(client: Client) -> None:\n"
        "    client.create_connector(name={models.Lang.en: 'x', 'fr': 'y'}, span=(1, 2.5))\n"
        "    c = models.Connector(span=(1, 2))\n"
        "    assert c.span is not None\n"
        "    first: int = c.span[0]\n"
        "    print(first)\n",
        encoding="utf-8",
    )
    proc = mypy_strict(root, ["keys", "usage.py"])
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_an_enum_of_keys_types_the_map(built: tuple[Path, Any]) -> None:
    _, m = built
    fields = m.Connector.model_fields
    assert fields["name"].annotation == (dict[m.Lang, str] | None)
    assert fields["by_pattern"].annotation == (dict[str, str] | None)  # a pattern is not typed
    c = m.Connector.model_validate({"name": {"en": "Search", "fr": "Recherche"}, "sizes": {"s": 1}})
    assert c.name == {m.Lang.en: "Search", m.Lang.fr: "Recherche"}
    assert c.model_dump(mode="json", exclude_none=True)["name"] == {"en": "Search", "fr": "Recherche"}
    for bad in ({"name": {"de": "Suche"}}, {"sizes": {"xl": 3}}):
        with pytest.raises(pydantic.ValidationError):
            m.Connector.model_validate(bad)


def test_exact_prefix_items_are_a_tuple(built: tuple[Path, Any]) -> None:
    _, m = built
    c = m.Connector.model_validate({"span": [3, 4.5], "nested": [{"x": 1}], "loose": [1, "a"]})
    assert c.span == (3, 4.5)
    assert c.nested[0].x == 1  # the object inside the tuple is a class of its own
    assert m.Connector().span == (0, 1.5)  # the spec's default, as a tuple
    assert c.model_dump(mode="json", exclude_none=True)["span"] == [3, 4.5]
    for bad in ([3], [3, 4, 5], ["a", 1]):
        with pytest.raises(pydantic.ValidationError):
            m.Connector.model_validate({"span": bad})
    # Not exact (the tail is open): each item is of a prefix type or of `items` (which types only the tail).
    assert m.Connector.model_fields["loose"].annotation == (list[int | str] | None)
    with pytest.raises(pydantic.ValidationError):
        m.Connector.model_validate({"loose": [1, "a", 2.5]})


def test_builtin_named_fields_are_renamed_once(built: tuple[Path, Any]) -> None:
    _, m = built
    fields = m.Connector.model_fields
    assert "tuple" not in fields and "dict" not in fields
    c = m.Connector.model_validate({"tuple": "t", "dict": "d"})
    assert c.model_dump(by_alias=True, exclude_none=True) == {"tuple": "t", "dict": "d", "span": (0, 1.5)}
