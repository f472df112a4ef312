"""``import`` from multi-file sources: relative references bundled, from a folder or from a URL's base."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.importer.conftest import REALSPECS, Workspace

DIGITALOCEAN = REALSPECS / "digitalocean" / "DigitalOcean-public.v2.yaml"

ROOT = """\
openapi: 3.0.3
info: {title: Shop, version: '1.0'}
servers: [{url: 'https://shop.example.com'}]
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - $ref: 'parameters.yaml#/components/parameters/ThingId'
      responses:
        '200':
          description: the thing
          content:
            application/json:
              schema: {$ref: 'schemas/thing.yaml'}
        '404':
          description: not found
          content:
            application/json:
              schema: {$ref: 'schemas/common.yaml#/Error'}
  /orders:
    get:
      operationId: listOrders
      responses:
        '200':
          description: orders
          content:
            application/json:
              schema: {type: array, items: {$ref: 'schemas/order.yaml'}}
"""
FILES = {
    "parameters.yaml": (
        "components:\n  parameters:\n    ThingId:\n      name: id\n      in: path\n      required: true\n"
        "      schema: {$ref: 'schemas/common.yaml#/Id'}\n"
    ),
    "schemas/thing.yaml": (
        "type: object\nrequired: [id]\nproperties:\n  id: {$ref: './common.yaml#/Id'}\n"
        "  locale: {type: string, enum: ['no', 'yes', 'on']}\n"
    ),
    "schemas/common.yaml": ("Id: {type: string}\nError:\n  type: object\n  properties:\n    message: {type: string}\n"),
    "schemas/order.yaml": "type: object\nproperties:\n  total: {type: number}\n",
}


def write_tree(folder: Path) -> Path:
    for name, text in {"shop.yaml": ROOT, **FILES}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder / "shop.yaml"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The multi-file tree served over HTTP on 127.0.0.1; yields the root document's URL."""
    folder = tmp_path / "site" / "api"
    folder.mkdir(parents=True)
    write_tree(folder)
    (tmp_path / "site" / "secret.yaml").write_text("Secret: {type: string}\n")
    handler = functools.partial(QuietHandler, directory=str(tmp_path / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/shop.yaml"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def refs(node: Any) -> list[str]:
    """Every reference, except in x- extensions (data, such as DigitalOcean's x-codeSamples file names)."""
    found = []
    if isinstance(node, dict):
        found += [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        for key, value in node.items():
            if not str(key).startswith("x-"):
                found += refs(value)
    elif isinstance(node, list):
        for value in node:
            found += refs(value)
    return found


def resolve(spec: Any, node: Any) -> Any:
    """Follow a local reference (names are the loader's to choose)."""
    while isinstance(node, dict) and "$ref" in node:
        _, section, name = node["$ref"].removeprefix("#/").split("/")
        node = spec["components"][section][name]
    return node


def assert_bundled_get_thing(spec: Any) -> None:
    """Only getThing, with exactly the components its files define, every reference local."""
    assert list(spec["paths"]) == ["/things/{id}"]
    assert all(ref.startswith("#/components/") for ref in refs(spec))
    op = spec["paths"]["/things/{id}"]["get"]
    thing = resolve(spec, op["responses"]["200"]["content"]["application/json"]["schema"])
    assert thing["required"] == ["id"]
    assert resolve(spec, thing["properties"]["id"]) == {"type": "string"}
    assert thing["properties"]["locale"]["enum"] == ["no", "yes", "on"]  # strings, for every reader
    error = resolve(spec, op["responses"]["404"]["content"]["application/json"]["schema"])
    assert error["properties"] == {"message": {"type": "string"}}
    parameter = resolve(spec, op["parameters"][0])
    assert (parameter["name"], parameter["in"]) == ("id", "path")
    assert resolve(spec, parameter["schema"]) == {"type": "string"}
    # Exactly what getThing needs: the order schema of the other operation stayed behind.
    assert len(spec["components"]["schemas"]) == 3
    assert not any("order" in name.lower() for name in spec["components"]["schemas"])


def test_import_from_a_local_multi_file_source(workspace: Workspace, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "tree")

    result = workspace.run("import", "shop", root, "--operation", "getThing", "-q")

    assert result.code == 0, result.err
    assert_bundled_get_thing(load(workspace.specs / "shop" / "openapi.yaml"))
    assert (workspace.out / "shop" / "_client.py").is_file()


def test_import_from_a_url_fetches_references_relative_to_its_base(workspace: Workspace, served: str) -> None:
    result = workspace.run("import", "shop", served, "--operation", "getThing", "-q")

    assert result.code == 0, result.err
    spec = load(workspace.specs / "shop" / "openapi.yaml")
    assert_bundled_get_thing(spec)
    provenance = spec["paths"]["/things/{id}"]["get"]["x-imported-from"]
    assert provenance["source"] == served


def test_url_references_outside_the_source_folder_are_refused(workspace: Workspace, served: str,
                                                              tmp_path: Path) -> None:  # fmt: skip
    folder = tmp_path / "site" / "api"
    (folder / "shop.yaml").write_text(ROOT.replace("schemas/order.yaml", "../secret.yaml#/Secret"))
    snapshot = workspace.snapshot()

    result = workspace.run("import", "shop", served, "--operation", "getThing")

    assert result.code == 2
    assert "outside the spec's folder" in result.err and "Traceback" not in result.err
    assert workspace.snapshot() == snapshot


def test_missing_referenced_url_is_located(workspace: Workspace, served: str, tmp_path: Path) -> None:
    (tmp_path / "site" / "api" / "schemas" / "order.yaml").unlink()

    result = workspace.run("import", "shop", served, "--operation", "getThing")

    assert result.code == 2
    assert "shop.yaml: at /paths/~1orders/get/responses/200" in result.err
    assert "schemas/order.yaml" in result.err and "HTTP 404" in result.err


def test_digitalocean_operations_imported_as_a_new_vendor(workspace: Workspace) -> None:
    """A few operations of the 2,907-file DigitalOcean spec, bundled into one vendor spec."""
    result = workspace.run(
        "import", "digitalocean", DIGITALOCEAN,
        "--operation", "account_get", "--operation", "sshKeys_list", "--operation", "sshKeys_get", "-q",
    )  # fmt: skip

    assert result.code == 0, result.err
    spec = load(workspace.specs / "digitalocean" / "openapi.yaml")
    ops = {op["operationId"] for item in spec["paths"].values() for op in item.values() if isinstance(op, dict)}
    assert ops == {"account_get", "sshKeys_list", "sshKeys_get"}
    assert all(ref.startswith("#/components/") for ref in refs(spec["paths"]) + refs(spec["components"]))
    schemas = spec["components"]["schemas"]
    # The closure, not the whole 14 MB document: account and ssh key models, nothing about droplets.
    assert "account" in schemas and "sshKeys" in schemas
    assert not any("droplet" in name.lower() for name in schemas)
    client = (workspace.out / "digitalocean" / "_client.py").read_text(encoding="utf-8")
    assert "def account_get" in client and "def ssh_keys_list" in client


def test_whole_digitalocean_document_imports_with_file_mappings_and_x_named_headers(workspace: Workspace) -> None:
    """The whole 2,907-file tree imports as a new vendor (it was refused).

    Two things stopped it: a discriminator mapping whose values are file references
    (`models/domain_record_types.yml#/domain_record_a`) was read as a schema name, and a response
    header named `x-request-id` was taken for an extension, so its `$ref` was not copied.
    """
    root = REALSPECS / "digitalocean" / "DigitalOcean-public.v2.yaml"
    if not root.is_file():
        pytest.skip(f"{root} is absent")
    result = workspace.run("import", "dox", root, "-q")
    assert result.code == 0, result.err[-3000:]
    spec = (workspace.specs / "dox" / "openapi.yaml").read_text(encoding="utf-8")
    assert "unresolvable $ref" not in result.err
    assert "headers_x-request-id:" in spec
    assert (workspace.out / "dox" / "_client.py").is_file()
