"""Vendor specs: a spec against itself, against meaningless refactors, and against real breaks."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diff.compare import diff_apis
from generator.ir.load import load_spec, load_vendor
from generator.spec.vendors import vendor_names

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"


def _write(doc: dict[str, Any], directory: Path, vendor: str) -> Path:
    """The edited document beside a copy of the vendor's config, so both sides normalize alike."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(SPECS / vendor / "vendor.yaml", directory / "vendor.yaml")
    path = directory / "openapi.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    return path


def _raw(vendor: str) -> dict[str, Any]:
    return dict(yaml.safe_load((SPECS / vendor / "openapi.yaml").read_text()))


@pytest.mark.parametrize("vendor", vendor_names(SPECS))
def test_vendor_against_itself_reports_nothing(vendor: str) -> None:
    old = load_vendor(SPECS, vendor, validate=False).api
    new = load_vendor(SPECS, vendor, validate=False).api
    assert diff_apis(old, new) == []


@pytest.mark.parametrize("vendor", vendor_names(SPECS))
def test_key_order_and_descriptions_report_nothing(vendor: str, tmp_path: Path) -> None:
    doc = _raw(vendor)
    reordered = {k: doc[k] for k in reversed(list(doc))}
    reordered["paths"] = {k: doc["paths"][k] for k in reversed(list(doc["paths"]))}
    path = _write(reordered, tmp_path / vendor, vendor)
    old = load_vendor(SPECS, vendor, validate=False)
    new = load_spec(path, old.config, validate=False)
    assert diff_apis(old.api, new.api) == []


def test_algolia_breaks_are_reported_with_client_impact(tmp_path: Path) -> None:
    doc = _raw("algolia")
    schemas = doc["components"]["schemas"]
    request = schemas["FeedbackCreationRequest"]
    request["properties"]["notes"]["maxLength"] = 500
    request["required"].append("tags")
    schemas["VoteEnum"]["enum"] = [1]
    schemas["VoteEnum"]["x-enum-varnames"] = ["upvote"]
    old = load_vendor(SPECS, "algolia", validate=False)
    new = load_spec(_write(doc, tmp_path / "algolia", "algolia"), old.config, validate=False)
    findings = diff_apis(old.api, new.api)
    assert sorted((f.id, f.level, f.location) for f in findings) == [
        ("request-property-became-required", "ERR", "request body /tags"),
        ("request-property-enum-value-removed", "ERR", "request body /vote"),
        ("request-property-max-length-decreased", "ERR", "request body /notes"),
    ]
    by_id = {f.id: f for f in findings}
    for f in findings:
        assert f.operation == "POST /1/feedback"
        assert f.operation_id == "createFeedback"
        assert "client.feedback.create_feedback(...)" in f.impact
    assert "1000" in by_id["request-property-max-length-decreased"].message
    assert "500" in by_id["request-property-max-length-decreased"].message
    assert "FeedbackCreationRequest.notes" in by_id["request-property-max-length-decreased"].impact
    assert "FeedbackCreationRequest.tags" in by_id["request-property-became-required"].impact
    assert "now required" in by_id["request-property-became-required"].impact
    assert "VoteEnum.downvote" in by_id["request-property-enum-value-removed"].impact
    assert "0" in by_id["request-property-enum-value-removed"].message


def test_inlined_schema_equals_referenced_schema(tmp_path: Path) -> None:
    doc = _raw("algolia")
    inlined = copy.deepcopy(doc)
    schemas = inlined["components"]["schemas"]
    body = inlined["paths"]["/1/feedback"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/FeedbackCreationRequest"}
    body["schema"] = copy.deepcopy(schemas["FeedbackCreationRequest"])
    body["schema"]["properties"]["vote"] = copy.deepcopy(schemas["VoteEnum"])
    old = load_vendor(SPECS, "algolia", validate=False)
    new = load_spec(_write(inlined, tmp_path / "algolia", "algolia"), old.config, validate=False)
    assert diff_apis(old.api, new.api) == []
    assert diff_apis(new.api, old.api) == []


def _fern_enum(node: Any) -> None:
    """Rewrite every enum item ``x`` as Fern's ``{value: x}``."""
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list) and node.get("type") == "string":
            node["enum"] = [v if isinstance(v, dict) else {"value": v} for v in node["enum"]]
        for value in node.values():
            _fern_enum(value)
    elif isinstance(node, list):
        for value in node:
            _fern_enum(value)


@pytest.mark.parametrize("vendor", vendor_names(SPECS))
def test_fern_enum_items_report_nothing(vendor: str, tmp_path: Path) -> None:
    doc = _raw(vendor)
    fern = copy.deepcopy(doc)
    _fern_enum(fern)
    old = load_vendor(SPECS, vendor, validate=False)
    new = load_spec(_write(fern, tmp_path / vendor, vendor), old.config, validate=False)
    assert diff_apis(old.api, new.api) == []


def test_plain_enum_items_equal_fern_items(tmp_path: Path) -> None:
    """ElevenLabs publishes ``{value: x}`` items; the plain spelling is the same API."""
    doc = _raw("elevenlabs")
    plain = copy.deepcopy(doc)

    def unwrap(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("enum"), list):
                node["enum"] = [v["value"] if isinstance(v, dict) else v for v in node["enum"]]
            for value in node.values():
                unwrap(value)
        elif isinstance(node, list):
            for value in node:
                unwrap(value)

    unwrap(plain)
    assert plain != doc
    old = load_vendor(SPECS, "elevenlabs", validate=False)
    new = load_spec(_write(plain, tmp_path / "elevenlabs", "elevenlabs"), old.config, validate=False)
    assert diff_apis(old.api, new.api) == []
