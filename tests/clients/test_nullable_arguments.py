"""A body field whose schema allows null takes ``None`` in the client's signature and sends ``null``.

Scalars carried ``nullable`` on the property; objects keep it on their class (an inline nullable
object is hoisted with it, and a component may be nullable itself). The signature once dropped
``| None`` for those, so mypy refused a call the spec allows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.mock import MockServer, Reply
from tests.emit_models.support import import_fresh, mypy_strict, write_packages, write_vendor

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Nulls", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/settings": {
            "patch": {
                "operationId": "update",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "label": {"type": "string", "nullable": True},
                                    "inline": {
                                        "type": "object",
                                        "nullable": True,
                                        "properties": {"a": {"type": "string"}},
                                    },
                                    "shared": {"$ref": "#/components/schemas/Options"},
                                    "strict": {"$ref": "#/components/schemas/Strict"},
                                },
                            }
                        }
                    }
                },
                "responses": {"204": {"description": "done"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Options": {"type": "object", "nullable": True, "properties": {"runner": {"type": "string"}}},
            "Strict": {"type": "object", "properties": {"b": {"type": "string"}}},
        }
    },
}

USAGE = """
from nulls import Client

def clear(client: Client) -> None:
    client.update(label=None, inline=None, shared=None)
"""

REFUSED = """
from nulls import Client

def clear(client: Client) -> None:
    client.update(strict=None)
"""


def test_nullable_object_fields_take_none_and_send_null(tmp_path: Path) -> None:
    specs = tmp_path / "specs"

    out = write_packages(tmp_path / "out", [write_vendor(specs, "nulls", SPEC)])
    (out / "usage.py").write_text(USAGE, encoding="utf-8")
    (out / "refused.py").write_text(REFUSED, encoding="utf-8")
    checked = mypy_strict(out, ["usage.py"])
    assert checked.returncode == 0, checked.stdout
    refused = mypy_strict(out, ["refused.py"])  # a field the spec does not let be null stays refused
    assert refused.returncode == 1 and "strict: Strict | NotGiven =" in refused.stdout, refused.stdout

    pkg = import_fresh(out, "nulls")
    mock = MockServer("nulls", specs_dir=specs).start()
    try:
        mock.script(Reply(204))
        with pkg.Client(base_url=mock.url) as client:
            client.update(label=None, inline=None, shared=None)
        [request] = mock.requests
        assert request.violations == []  # the mock checks the body against the spec: null is allowed
        assert request.json() == {"label": None, "inline": None, "shared": None}
    finally:
        mock.stop()
