"""A body that is not one object model is passed whole (``body=``): a union of models, a list of them.

The client once handed such a value to the JSON encoder as it came, so ``body=Cat(...)`` failed
with "Object of type Cat is not JSON serializable" (found by the diff's impact test). Sync and
async calls go to the mock server on 127.0.0.1, which checks each body against the spec.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from generator.mock import MockServer, Reply
from tests.emit_models.support import import_fresh, mypy_strict, write_packages, write_vendor

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/pets": {
            "post": {
                "operationId": "createPet",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [
                                    {"$ref": "#/components/schemas/Cat"},
                                    {"$ref": "#/components/schemas/Dog"},
                                ]
                            }
                        }
                    },
                },
                "responses": {"204": {"description": "created"}},
            }
        },
        "/cats": {
            "put": {
                "operationId": "replaceCats",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Cat"}}}
                    },
                },
                "responses": {"204": {"description": "replaced"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Cat": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "born": {"type": "string", "format": "date-time"},
                    "mood": {"type": "string", "enum": ["calm", "grumpy"]},
                    "indoor": {"type": "boolean", "default": True},
                },
            },
            "Dog": {"type": "object", "required": ["bark"], "properties": {"bark": {"type": "string"}}},
        }
    },
}

USAGE = """
import datetime as dt

from pets import Client, models


def adopt(client: Client) -> None:
    client.create_pet(body=models.Cat(name="Tom", born=dt.datetime(2020, 1, 2, tzinfo=dt.UTC)))
    client.create_pet(body=models.Dog(bark="woof"))
    client.replace_cats(body=[models.Cat(name="Tom")])
"""


@pytest.fixture(scope="module")
def pets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    tmp = tmp_path_factory.mktemp("pets")
    specs = tmp / "specs"
    out = write_packages(tmp / "out", [write_vendor(specs, "pets", SPEC)])
    return specs, out, import_fresh(out, "pets")


def test_whole_bodies_type_check(pets: tuple[Path, Path, Any]) -> None:
    _, out, _ = pets
    (out / "usage.py").write_text(USAGE, encoding="utf-8")
    checked = mypy_strict(out, ["usage.py"])
    assert checked.returncode == 0, checked.stdout


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_union_or_a_list_of_models_is_sent_as_its_wire_json(pets: tuple[Path, Path, Any], mode: str) -> None:
    specs, _, pkg = pets
    models = pkg.models
    mock = MockServer("pets", specs_dir=specs).start()
    try:
        mock.script(Reply(204), Reply(204), Reply(204))
        born = dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
        bodies = [
            ("create_pet", models.Cat(name="Tom", born=born, mood=models.CatMood.grumpy)),
            ("create_pet", models.Dog(bark="woof")),
            ("replace_cats", [models.Cat(name="Tom"), models.Cat(name="Kit", indoor=False)]),
        ]
        if mode == "sync":
            with pkg.Client(base_url=mock.url) as client:
                for name, body in bodies:
                    getattr(client, name)(body=body)
        else:

            async def send() -> None:
                async with pkg.AsyncClient(base_url=mock.url) as client:
                    for name, body in bodies:
                        await getattr(client, name)(body=body)

            asyncio.run(send())
        sent = mock.requests
        assert [r.violations for r in sent] == [[], [], []]
        # Wire names and JSON forms; a field left unset (indoor's default) is not sent, as with build_body.
        assert sent[0].json() == {"name": "Tom", "born": "2020-01-02T03:04:05Z", "mood": "grumpy"}
        assert sent[1].json() == {"bark": "woof"}
        assert sent[2].json() == [{"name": "Tom"}, {"name": "Kit", "indoor": False}]
    finally:
        mock.stop()
