"""The oasdiff options people rely on: path filters, prefixes, excluded elements, composed mode, config, ignores."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli.main import main


def _op(op_id: str, prop: str = "name") -> dict[str, Any]:
    schema = {"type": "object", "properties": {prop: {"type": "string"}}}
    return {
        "operationId": op_id,
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}},
    }


def _doc(paths: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": paths}


def _write(path: Path, doc: dict[str, Any]) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return str(path)


def _ids(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["diff", *argv, "--format", "json"]) == 0
    return sorted(f["id"] for f in json.loads(capsys.readouterr().out)["findings"])


@pytest.fixture
def pair(tmp_path: Path) -> tuple[str, str]:
    old = _doc({"/items": {"get": _op("listItems")}, "/admin/users": {"get": _op("listUsers")}})
    new = copy.deepcopy(old)
    del new["paths"]["/items"]
    del new["paths"]["/admin/users"]
    return _write(tmp_path / "old.yaml", old), _write(tmp_path / "new.yaml", new)


def test_match_and_unmatch_path(pair: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert len(_ids(list(pair), capsys)) == 2
    assert _ids([*pair, "--match-path", "^/admin"], capsys) == ["api-path-removed-without-deprecation"]
    assert _ids([*pair, "--unmatch-path", "^/admin"], capsys) == ["api-path-removed-without-deprecation"]
    assert _ids([*pair, "--unmatch-path", "."], capsys) == []


def test_api_moved_under_a_prefix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path / "old.yaml", _doc({"/items": {"get": _op("listItems")}}))
    new = _write(tmp_path / "new.yaml", _doc({"/v2/items": {"get": _op("listItems")}}))
    assert "endpoint-added" in _ids([old, new], capsys)
    assert _ids([old, new, "--strip-prefix-revision", "/v2"], capsys) == []
    assert _ids([old, new, "--prefix-base", "/v2"], capsys) == []


def test_exclude_extensions_and_endpoints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old_doc = _doc({"/items": {"get": _op("listItems")}, "/gone": {"get": _op("gone")}})
    new_doc = _doc({"/items": {"get": {**_op("listItems"), "x-stability-level": "beta"}}})
    old, new = _write(tmp_path / "old.yaml", old_doc), _write(tmp_path / "new.yaml", new_doc)
    assert _ids([old, new], capsys) == ["api-path-removed-without-deprecation", "api-stability-decreased"]
    assert _ids([old, new, "--exclude-elements", "extensions"], capsys) == ["api-path-removed-without-deprecation"]
    assert _ids([old, new, "--exclude-elements", "extensions,endpoints"], capsys) == []
    assert main(["diff", old, new, "--exclude-elements", "colours"]) == 2
    assert "unknown colours" in capsys.readouterr().err


def test_composed_mode_matches_paths_across_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path that moves to another service file is the same endpoint; a change inside it is still seen."""
    _write(tmp_path / "old" / "a.yaml", _doc({"/items": {"get": _op("listItems")}, "/users": {"get": _op("u")}}))
    _write(tmp_path / "old" / "b.yaml", _doc({"/orders": {"get": _op("listOrders")}}))
    _write(tmp_path / "new" / "a.yaml", _doc({"/users": {"get": _op("u")}}))
    _write(
        tmp_path / "new" / "b.yaml",
        _doc({"/orders": {"get": _op("listOrders")}, "/items": {"get": _op("listItems", "title")}}),
    )
    ids = _ids(["--composed", str(tmp_path / "old" / "*.yaml"), str(tmp_path / "new" / "*.yaml")], capsys)
    assert ids == ["response-optional-property-added", "response-optional-property-removed"]
    assert main(["diff", "--composed", str(tmp_path / "nowhere" / "*.yaml"), str(tmp_path / "new" / "*.yaml")]) == 2
    assert "no spec file matches" in capsys.readouterr().err


def test_config_file_at_the_root(
    pair: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    (root / "oasdiff.yaml").write_text("fail-on: ERR\nmatch-path: ^/admin\nformat: json\n")
    assert main(["diff", *pair]) == 1  # fail-on from the file
    assert [f["id"] for f in json.loads(capsys.readouterr().out)["findings"]] == [
        "api-path-removed-without-deprecation"
    ]
    assert main(["diff", *pair, "--match-path", "^/nothing"]) == 0  # the command line wins
    capsys.readouterr()
    (root / "oasdiff.yaml").write_text("fail-in: ERR\n")
    assert main(["diff", *pair]) == 2
    assert "unknown option 'fail-in'" in capsys.readouterr().err


def test_err_and_warn_ignore_files(pair: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ignore = tmp_path / "err-ignore.txt"
    ignore.write_text("GET /items api-path-removed-without-deprecation  # oasdiff's order\n")
    assert main(["diff", *pair, "--err-ignore", str(ignore), "--fail-on", "ERR"]) == 1  # /admin/users remains
    capsys.readouterr()
    ignore.write_text(
        "api-path-removed-without-deprecation /items\napi-path-removed-without-deprecation GET /admin/users\n"
    )
    assert main(["diff", *pair, "--err-ignore", str(ignore), "--fail-on", "ERR"]) == 0
    capsys.readouterr()
    # --warn-ignore accepts only WARN findings: these are ERR.
    assert main(["diff", *pair, "--warn-ignore", str(ignore), "--fail-on", "ERR"]) == 1
    capsys.readouterr()
    ignore.write_text("GET /items api-path-removed-with-typo\n")
    assert main(["diff", *pair, "--err-ignore", str(ignore)]) == 2
    assert "unknown rule id 'api-path-removed-with-typo'" in capsys.readouterr().err


def test_attributes_copy_operation_extensions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path / "old.yaml", _doc({"/items": {"get": {**_op("listItems"), "x-team": "search"}}}))
    new = _write(tmp_path / "new.yaml", _doc({"/items": {"get": {**_op("listItems", "title"), "x-team": "search"}}}))
    assert main(["diff", old, new, "--attributes", "x-team,x-none", "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert findings and all(f["attributes"] == [["x-team", "search"]] for f in findings)
