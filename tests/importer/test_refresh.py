"""``import --refresh``: the dry run predicts the real run; changes shown as unified diffs; orphans removed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.importer.conftest import Workspace

SOURCE = """\
openapi: 3.0.3
info: {title: Shop, version: '1.0'}
servers: [{url: 'https://shop.example.com'}]
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: the thing
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
  /things:
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/CreateThingRequest'}
      responses:
        '200':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
        colour: {$ref: '#/components/schemas/Colour'}
    Colour:
      type: string
      enum: [red, green]
    CreateThingRequest:
      type: object
      properties:
        name: {type: string}
"""


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def shop(workspace: Workspace, name: str = "shop.yaml") -> Path:
    """A source imported whole as the new vendor `shop`."""
    source = workspace.root / name
    source.write_text(SOURCE, encoding="utf-8")
    result = workspace.run("import", "shop", source, "-q")
    assert result.code == 0, result.err
    return source


def edit(source: Path, old: str, new: str) -> None:
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    source.write_text(text.replace(old, new), encoding="utf-8")


def test_dry_run_predicts_the_real_run_when_components_from_the_same_source_changed(workspace: Workspace) -> None:
    """Colour changed upstream: it came from the same source, so refresh replaces it; no conflict."""
    source = shop(workspace)
    edit(source, "enum: [red, green]", "enum: [red, green, blue]")
    snapshot = workspace.snapshot()

    dry = workspace.run("import", "shop", "--refresh", "--dry-run", "-q")

    assert dry.code == 0, dry.err
    assert "0 unchanged, 2 changed" in dry.out
    assert "components replaced: schemas/Colour" in dry.out
    assert workspace.snapshot() == snapshot
    real = workspace.run("import", "shop", "--refresh", "-q")
    assert real.code == 0, real.err
    assert "components replaced: schemas/Colour" in real.out
    assert load(workspace.specs / "shop" / "openapi.yaml")["components"]["schemas"]["Colour"]["enum"] == [
        "red", "green", "blue",
    ]  # fmt: skip
    assert 'blue = "blue"' in (workspace.out / "shop" / "models.py").read_text(encoding="utf-8")


def test_dry_run_fails_exactly_as_the_real_run_when_a_component_is_shared_with_another_source(
    workspace: Workspace,
) -> None:
    """Thing is also used by an operation imported from a second source: replacing it needs --replace."""
    source = workspace.root / "shop.yaml"
    source.write_text(SOURCE, encoding="utf-8")
    other = workspace.root / "shop-mirror.yaml"
    other.write_text(SOURCE, encoding="utf-8")
    assert workspace.run("import", "shop", source, "--operation", "getThing", "-q").code == 0
    assert workspace.run("import", "shop", other, "--operation", "createThing", "-q").code == 0
    edit(source, "        id: {type: string}\n", "        id: {type: integer}\n")
    snapshot = workspace.snapshot()

    dry = workspace.run("import", "shop", "--refresh", "--dry-run", "-q")
    real = workspace.run("import", "shop", "--refresh", "-q")

    assert dry.code == real.code == 2
    for result in (dry, real):
        assert "1 conflict(s)" in result.err and "component schemas/Thing differs" in result.err
        assert "-    type: string" in result.err.splitlines() and "+    type: integer" in result.err.splitlines()
        assert "--replace overwrites the vendor's versions" in result.err
    assert workspace.snapshot() == snapshot
    dry_replace = workspace.run("import", "shop", "--refresh", "--replace", "--dry-run", "-q")
    assert dry_replace.code == 0, dry_replace.err
    real_replace = workspace.run("import", "shop", "--refresh", "--replace", "-q")
    assert real_replace.code == 0, real_replace.err
    thing = load(workspace.specs / "shop" / "openapi.yaml")["components"]["schemas"]["Thing"]
    assert thing["properties"]["id"] == {"type": "integer"}


def test_only_a_referenced_component_changed_shows_a_unified_diff_of_it(workspace: Workspace) -> None:
    source = shop(workspace)
    edit(source, "enum: [red, green]", "enum: [red, green, blue]")

    dry = workspace.run("import", "shop", "--refresh", "--dry-run", "-q")

    assert dry.code == 0, dry.err
    lines = dry.out.splitlines()
    assert "--- vendor's spec: components/schemas/Colour" in lines
    assert "+++ source now: components/schemas/Colour" in lines
    assert "+  - blue" in lines and "   - red" in lines
    # The operations themselves did not change: no diff of them.
    assert not any(line.startswith("--- vendor's spec: GET") for line in lines)


def test_components_nothing_references_any_more_are_removed(workspace: Workspace) -> None:
    """Upstream renamed createThing's request schema: the old one leaves the spec and the models."""
    source = shop(workspace)
    text = source.read_text(encoding="utf-8").replace("CreateThingRequest", "NewThingRequest")
    source.write_text(text.replace("operationId: createThing", "operationId: addThing"), encoding="utf-8")

    dry = workspace.run("import", "shop", "--refresh", "--dry-run", "-q")
    assert dry.code == 0, dry.err
    assert "components removed (nothing references them any more): schemas/CreateThingRequest" in dry.out
    real = workspace.run("import", "shop", "--refresh", "-q")

    assert real.code == 0, real.err
    assert "components removed (nothing references them any more): schemas/CreateThingRequest" in real.out
    spec = load(workspace.specs / "shop" / "openapi.yaml")
    assert "CreateThingRequest" not in spec["components"]["schemas"]
    assert "NewThingRequest" in spec["components"]["schemas"]
    assert spec["paths"]["/things"]["post"]["operationId"] == "addThing"
    models = (workspace.out / "shop" / "models.py").read_text(encoding="utf-8")
    assert "class CreateThingRequest" not in models and "class NewThingRequest" in models
    # The components still used are kept.
    assert {"Thing", "Colour"} <= set(spec["components"]["schemas"])
    assert workspace.run("check", "-q").code == 0
