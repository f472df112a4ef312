"""Rules the oracle does not pin: parameter moves, path parameter renames, method renames, servers, security."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from generator.diff.compare import diff_apis
from generator.ir.load import load_spec

BASE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "T", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}},
    "security": [{"key": []}],
    "paths": {
        "/orgs/{org}/items/{item}": {
            "get": {
                "operationId": "getItem",
                "tags": ["items"],
                "parameters": [
                    {"name": "org", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "item", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


def _diff(tmp_path: Path, new: dict[str, Any]) -> list[tuple[str, str]]:
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(BASE))
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new))
    old_api = load_spec(tmp_path / "old.yaml", validate=False).api
    new_api = load_spec(tmp_path / "new.yaml", validate=False).api
    return [(f.id, f.level) for f in diff_apis(old_api, new_api)]


def test_renamed_path_parameters_match_by_position(tmp_path: Path) -> None:
    new = copy.deepcopy(BASE)
    op = new["paths"].pop("/orgs/{org}/items/{item}")
    op["get"]["parameters"][0]["name"] = "orgId"
    op["get"]["parameters"][1]["name"] = "itemId"
    new["paths"]["/orgs/{orgId}/items/{itemId}"] = op
    ids = [i for i, _ in _diff(tmp_path, new)]
    assert "endpoint-added" not in ids
    assert "api-path-removed-without-deprecation" not in ids
    assert "new-request-path-parameter" not in ids


def test_parameter_moved_to_header(tmp_path: Path) -> None:
    new = copy.deepcopy(BASE)
    new["paths"]["/orgs/{org}/items/{item}"]["get"]["parameters"][2]["in"] = "header"
    assert _diff(tmp_path, new) == [("request-parameter-location-changed", "ERR")]


def test_operation_id_rename_renames_the_method(tmp_path: Path) -> None:
    new = copy.deepcopy(BASE)
    new["paths"]["/orgs/{org}/items/{item}"]["get"]["operationId"] = "fetchItem"
    assert sorted(_diff(tmp_path, new)) == [("api-client-method-renamed", "ERR"), ("api-operation-id-removed", "INFO")]


def test_servers_security_and_statuses(tmp_path: Path) -> None:
    new = copy.deepcopy(BASE)
    new["servers"] = [{"url": "https://api2.example.com"}]
    new["security"] = []
    new["paths"]["/orgs/{org}/items/{item}"]["get"]["responses"]["429"] = {"description": "slow down"}
    assert sorted(_diff(tmp_path, new)) == [
        ("api-global-security-removed", "INFO"),
        ("api-server-added", "INFO"),
        ("api-server-removed", "WARN"),
        ("response-non-success-status-added", "INFO"),
    ]


def test_deprecation_with_policy(tmp_path: Path) -> None:
    new = copy.deepcopy(BASE)
    new["paths"]["/orgs/{org}/items/{item}"]["get"]["deprecated"] = True
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(BASE))
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new))
    old_api = load_spec(tmp_path / "old.yaml", validate=False).api
    new_api = load_spec(tmp_path / "new.yaml", validate=False).api
    assert [f.id for f in diff_apis(old_api, new_api)] == ["endpoint-deprecated"]
    assert [f.id for f in diff_apis(old_api, new_api, deprecation_days=(30, 90))] == ["api-deprecated-sunset-missing"]
