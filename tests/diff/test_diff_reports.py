"""Reports people read: roll-up, a PR-sized Markdown, HTML, changelog, annotations with lines."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli.main import main
from generator.diff.compare import diff_sides
from generator.diff.inputs import load_side
from generator.diff.locate import with_lines
from generator.diff.render import MARKDOWN_LIMIT, renderer

REALSPECS = next(
    (p / "shared" / "realspecs" for p in Path(__file__).resolve().parents if (p / "shared" / "realspecs").is_dir()),
    None,
)


def _shared_model_spec() -> dict[str, Any]:
    """Two operations returning the same model, whose ``permissions`` is an array of strings."""
    response = {
        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Key"}}}}
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/keys": {"get": {"operationId": "listKey", "responses": copy.deepcopy(response)}},
            "/keys/{id}": {
                "get": {
                    "operationId": "getKey",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": copy.deepcopy(response),
                }
            },
        },
        "components": {
            "schemas": {
                "Key": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "permissions": {"type": "array", "items": {"type": "string", "enum": ["read", "write"]}},
                    },
                }
            }
        },
    }


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old = _shared_model_spec()
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Key"]["properties"]["name"]["nullable"] = True
    new["components"]["schemas"]["Key"]["properties"]["permissions"]["items"]["enum"] = ["read"]
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(old, sort_keys=False))
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new, sort_keys=False))
    return tmp_path / "old.yaml", tmp_path / "new.yaml"


def _render(fmt: str, old: Path, new: Path) -> str:
    a, b = load_side(old, None), load_side(new, None)
    findings = with_lines(diff_sides(a, b), a, b)
    return renderer(fmt)(findings, a.label, b.label, [*a.finish_notes(), *b.finish_notes()])


def test_array_items_are_named_by_their_property(pair: tuple[Path, Path]) -> None:
    a, b = load_side(pair[0], None), load_side(pair[1], None)
    removed = [f for f in diff_sides(a, b) if f.id == "response-property-enum-value-removed"]
    assert removed
    assert all(f.location.endswith("/permissions[]") for f in removed)
    assert all("`Key.permissions[]`" in f.impact for f in removed)
    assert not any(".[]" in f.impact for f in removed)


def test_repeated_schema_change_is_grouped(pair: tuple[Path, Path]) -> None:
    """The same model change seen by two operations is shown once, with the operations it affects."""
    text = _render("text", *pair)
    assert text.count("`Key.name`: became nullable") == 1
    assert "in 2 operations: GET /keys, GET /keys/{id}" in text
    payload = json.loads(_render("json", *pair))
    assert {(r["schema"], r["field"]) for r in payload["repeated"]} == {("Key", "name"), ("Key", "permissions[]")}
    assert payload["by_schema"] == {"Key": 4}


def test_github_annotations_carry_file_and_line(pair: tuple[Path, Path]) -> None:
    """Additions point into the new file, removals into the old, each at the line of the changed property."""
    out = _render("github", *pair)
    old_lines, new_lines = pair[0].read_text().splitlines(), pair[1].read_text().splitlines()
    found = 0
    for line in out.splitlines():
        match = re.match(r"::\w+ file=([^,]+),line=(\d+),title=([\w-]+)", line)
        if not match:
            continue
        found += 1
        file, number, rule = match[1], int(match[2]), match[3]
        lines = old_lines if "removed" in rule else new_lines
        assert file.endswith("old.yaml" if "removed" in rule else "new.yaml")
        prop = "permissions" if "enum" in rule else "name"
        assert lines[number - 1].strip().startswith(f"{prop}:"), (rule, lines[number - 1])
    assert found == 4


def test_github_annotations_point_into_the_file_holding_the_change(tmp_path: Path) -> None:
    """In a multi-file spec an annotation names the file the changed part was read from, at its line."""
    for side in ("old", "new"):
        (tmp_path / side / "models").mkdir(parents=True)
        spec = _shared_model_spec()
        key = spec["components"]["schemas"].pop("Key")
        spec["components"]["schemas"]["Key"] = {"$ref": "models/key.yaml"}
        spec["paths"]["/keys"] = {"$ref": "paths/keys.yaml"}
        (tmp_path / side / "paths").mkdir()
        body = {"application/json": {"schema": {"$ref": "../models/key.yaml"}}}
        listing = {"get": {"operationId": "listKey", "responses": {"200": {"description": "ok", "content": body}}}}
        if side == "old":
            listing["get"]["parameters"] = [{"name": "limit", "in": "query", "schema": {"type": "integer"}}]
        else:
            key["properties"]["name"]["nullable"] = True
        (tmp_path / side / "openapi.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
        (tmp_path / side / "models" / "key.yaml").write_text(yaml.safe_dump(key, sort_keys=False))
        (tmp_path / side / "paths" / "keys.yaml").write_text(yaml.safe_dump(listing, sort_keys=False))
    out = _render("github", tmp_path / "old" / "openapi.yaml", tmp_path / "new" / "openapi.yaml")
    annotations = re.findall(r"^::\w+ file=([^,]+),line=(\d+),title=([\w-]+)", out, re.M)
    assert annotations, out
    for file, number, rule in annotations:
        shown = Path(file)
        assert shown.is_file(), file  # a path the reader can open, as the entry file's is
        line = shown.read_text().splitlines()[int(number) - 1].strip()
        if rule == "request-parameter-removed":
            assert shown.parts[-3:] == ("old", "paths", "keys.yaml") and line.startswith("parameters:"), (file, line)
        else:
            assert shown.parts[-3:] == ("new", "models", "key.yaml") and line.startswith("name:"), (file, line)
    assert {a[2] for a in annotations} == {"request-parameter-removed", "response-property-became-nullable"}


def test_html_is_one_self_contained_page_with_filters(pair: tuple[Path, Path]) -> None:
    page = _render("html", *pair)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)=["']?https?:""", page), "no external assets"
    assert 'type="checkbox" value="ERR"' in page and '<select id="op">' in page
    assert page.count('<tr data-level="') == 4
    assert '<option value="GET /keys/{id}">' in page


def test_changelog_is_grouped_by_operation(pair: tuple[Path, Path]) -> None:
    log = _render("changelog", *pair)
    assert log.startswith("# API Changelog")
    assert "## GET /keys\n" in log and "## GET /keys/{id}\n" in log
    assert "- :error: [response-property-became-nullable] became nullable" in log


def test_markdown_of_a_huge_diff_fits_a_pr_comment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every property of Twilio's models flips nullability: ~950 findings, still ≤ 65,536 characters."""
    if REALSPECS is None:
        pytest.skip("shared/realspecs is not present")
    doc = json.loads((REALSPECS / "twilio-conversations-v1.json").read_text())
    for schema in doc["components"]["schemas"].values():
        for prop in (schema.get("properties") or {}).values():
            if isinstance(prop, dict) and "$ref" not in prop:
                prop["nullable"] = not prop.get("nullable", False)
    new = tmp_path / "twilio.json"
    new.write_text(json.dumps(doc))
    assert main(["diff", str(REALSPECS / "twilio-conversations-v1.json"), str(new), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert len(out) <= MARKDOWN_LIMIT
    assert "<details" in out and "</details>" in out
    assert out.count("<details") == out.count("</details>")
    assert re.search(r"… and \d+ more finding\(s\)", out)
    assert "| `response-property-became-nullable` | ERR | 12 |" in out


def test_json_report_is_json_dumps_indented(pair: tuple[Path, Path]) -> None:
    """The JSON report is written out without json's slow indenting encoder: the same text it would give."""
    a, b = load_side(pair[0], None), load_side(pair[1], None)
    findings = with_lines(diff_sides(a, b), a, b)
    # Values a report can hold beside the findings' strings: extensions (--attributes), non-ASCII, quotes.
    findings[0] = dataclasses.replace(findings[0], attributes=(("x-team", 'Zürich "core"'), ("x-n", "3")))
    text = renderer("json")(findings, "old ✓", "new", ["note with \\ and \n"])
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    assert json.loads(text)["findings"][0]["attributes"] == [["x-team", 'Zürich "core"'], ["x-n", "3"]]
    # Every finding as its to_json dict, in report order.
    ordered = sorted(findings, key=lambda f: f.sort_key)
    assert json.loads(text)["findings"] == json.loads(json.dumps([f.to_json() for f in ordered]))
    empty = renderer("json")([], "old", "new", [])
    assert empty == json.dumps(json.loads(empty), indent=2, ensure_ascii=False) + "\n"
