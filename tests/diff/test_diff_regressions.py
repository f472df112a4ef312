"""Pairs that crashed, were refused, or were reported falsely (issue 13), each pinned."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diff.compare import diff_sides
from generator.diff.inputs import load_side
from generator.diff.model import Finding

ROOT = Path(__file__).resolve().parents[2]


def _spec(version: str = "3.0.3", **props: Any) -> dict[str, Any]:
    """One GET operation returning an object with ``props``."""
    return {
        "openapi": version,
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "getThing",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}},
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Thing": {"type": "object", "properties": props}}},
    }


def _diff(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> list[Finding]:
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(old, sort_keys=False))
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new, sort_keys=False))
    return diff_sides(load_side(tmp_path / "old.yaml", None), load_side(tmp_path / "new.yaml", None))


def test_bound_added_to_response_property_does_not_crash(tmp_path: Path) -> None:
    """Adding ``maximum``/``minimum`` where there was none crashed with int > None (ElevenLabs 2024-12 → now)."""
    old = _spec(count={"type": "integer"})
    new = _spec(count={"type": "integer", "maximum": 10, "minimum": 0})
    assert _diff(tmp_path, old, new) == []
    # The other way round widens what responses may hold, but oasdiff has no rule for an unset response bound.
    assert _diff(tmp_path, new, old) == []
    raised = _spec(count={"type": "integer", "maximum": 20, "minimum": 0})
    assert [f.id for f in _diff(tmp_path, new, raised)] == ["response-property-max-increased"]


def test_exclusive_minimum_flag_flip_does_not_crash(tmp_path: Path) -> None:
    """3.0's boolean ``exclusiveMinimum: true`` → ``false`` crashed with int < None (OpenAI, 3 MB)."""
    old = _spec(n={"type": "integer", "minimum": 0, "exclusiveMinimum": True})
    new = _spec(n={"type": "integer", "minimum": 0, "exclusiveMinimum": False})
    for a, b in ((old, new), (new, old)):
        assert all(f.id.startswith("response-") for f in _diff(tmp_path, a, b))


def test_non_numeric_bound_in_an_unvalidated_spec(tmp_path: Path) -> None:
    old = _spec(n={"type": "integer", "maximum": 5})
    new = _spec(n={"type": "integer", "maximum": "ten"})
    _diff(tmp_path, old, new)  # completes; the string is not a bound


def test_duplicate_operation_ids_are_diffable_and_noted(tmp_path: Path) -> None:
    old = _spec(a={"type": "string"})
    old["paths"]["/others"] = copy.deepcopy(old["paths"]["/things"])  # same operationId twice
    new = copy.deepcopy(old)
    new["paths"]["/others"]["get"]["deprecated"] = True
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(old))
    side = load_side(tmp_path / "old.yaml", None)
    assert any("duplicate operationId 'getThing'" in n for n in side.finish_notes())
    assert [(f.id, f.operation) for f in _diff(tmp_path, old, new)] == [("endpoint-deprecated", "GET /others")]


def test_missing_operation_ids_follow_oasdiff(tmp_path: Path) -> None:
    """No operationId on either side: no "operationId changed" between invented names; one added: INFO."""
    old = _spec(a={"type": "string"})
    del old["paths"]["/things"]["get"]["operationId"]
    renamed = copy.deepcopy(old)
    renamed["paths"]["/things"]["get"]["summary"] = "changed text only"
    assert _diff(tmp_path, old, renamed) == []
    named = _spec(a={"type": "string"})
    ids = sorted(f.id for f in _diff(tmp_path, old, named))
    assert "api-operation-id-added" in ids
    assert "api-operation-id-removed" not in ids
    assert "api-operation-id-removed" in [f.id for f in _diff(tmp_path, named, old)]


def test_rename_reported_once(tmp_path: Path) -> None:
    """The operationId finding refers to the method rename instead of repeating it."""
    old = _spec(a={"type": "string"})
    new = copy.deepcopy(old)
    new["paths"]["/things"]["get"]["operationId"] = "fetchThing"
    findings = {f.id: f for f in _diff(tmp_path, old, new)}
    assert set(findings) == {"api-operation-id-removed", "api-client-method-renamed"}
    assert "client.fetch_thing" not in findings["api-operation-id-removed"].impact
    assert "see api-client-method-renamed" in findings["api-operation-id-removed"].impact


def test_invalid_spec_is_diffed_with_a_note(tmp_path: Path) -> None:
    """Validation errors become notes; the diff still runs and exits by --fail-on alone."""
    old = _spec(a={"type": "string"})
    new = _spec(a={"type": "string"}, b={"type": "integer"})
    new["info"]["version"] = 2  # not a string: invalid OpenAPI
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(old))
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new))
    result = subprocess.run(
        [sys.executable, "-m", "generator", "diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "not valid OpenAPI" in result.stdout
    assert "response-optional-property-added" in result.stdout


def _response_schema(spec: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = spec["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]
    return schema


def test_object_wrapped_in_one_of_that_still_holds_it(tmp_path: Path) -> None:
    """oasdiff's ids stay, but the impact no longer claims that a field still on a variant is gone."""
    old = _spec(language_code={"type": "string"})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Other"] = {"type": "object", "properties": {"chunks": {"type": "array"}}}
    _response_schema(new)["schema"] = {
        "oneOf": [{"$ref": "#/components/schemas/Thing"}, {"$ref": "#/components/schemas/Other"}]
    }
    findings = _diff(tmp_path, old, new)
    removed = [f for f in findings if f.id == "response-optional-property-removed"]
    assert removed, [f.id for f in findings]
    assert "still there on union variant(s) `Thing`" in removed[0].impact
    assert "code reading it fails" not in removed[0].impact
    assert "response-body-wrapped-in-one-of" in {f.id for f in findings}


def test_response_enum_growth_is_passed_through(tmp_path: Path) -> None:
    old = _spec(status={"type": "string", "enum": ["a", "b"]})
    new = _spec(status={"type": "string", "enum": ["a", "b", "c"]})
    [finding] = _diff(tmp_path, old, new)
    assert finding.id == "response-property-enum-value-added"
    assert "rejects" not in finding.impact
    assert "plain value" in finding.impact


def test_tag_that_moves_the_method_says_so(tmp_path: Path) -> None:
    old = _spec(a={"type": "string"})
    old["paths"]["/things"]["get"]["tags"] = ["things"]
    new = copy.deepcopy(old)
    new["paths"]["/things"]["get"]["tags"] = ["items"]
    findings = {f.id: f for f in _diff(tmp_path, old, new)}
    assert "api-client-method-moved" in findings
    assert "documentation grouping only" not in findings["api-tag-added"].impact
    assert "api-client-method-moved" in findings["api-tag-added"].impact


def test_property_names_enum_change_is_reported(tmp_path: Path) -> None:
    """``model_usage`` keyed by ``propertyNames: {$ref: LLM}``: LLM losing values changes the keys (was missed)."""
    llm = {"type": "string", "enum": ["gpt-4o", "watt-tool-8b", "watt-tool-70b"]}
    usage = {"type": "object", "propertyNames": {"$ref": "#/components/schemas/LLM"}, "additionalProperties": {}}
    old = _spec("3.1.0", model_usage=usage)
    old["components"]["schemas"]["LLM"] = llm
    new = copy.deepcopy(old)
    new["components"]["schemas"]["LLM"] = {"type": "string", "enum": ["gpt-4o"]}
    findings = _diff(tmp_path, old, new)
    assert sorted((f.id, f.message.split(": ", 1)[1]) for f in findings) == [
        ("response-property-property-names-enum-value-removed", 'key "watt-tool-70b" no longer allowed'),
        ("response-property-property-names-enum-value-removed", 'key "watt-tool-8b" no longer allowed'),
    ]
    assert all(f.location == "response 200 /model_usage" for f in findings)


def _models(tmp_path: Path, spec: dict[str, Any], name: str) -> Any:
    """The generated models module of ``spec``, imported from a temporary file."""
    import importlib.util

    from generator.emit.models import render_models
    from generator.ir.load import load_spec

    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    source = render_models(load_spec(path, validate=False).api)
    module_path = tmp_path / f"models_{name}.py"
    module_path.write_text(source)
    module_spec = importlib.util.spec_from_file_location(f"models_{name}", module_path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    # Registered while it runs: pydantic resolves the module's postponed annotations through sys.modules.
    sys.modules[module_spec.name] = module
    try:
        module_spec.loader.exec_module(module)
    finally:
        del sys.modules[module_spec.name]
    return module


def test_impacts_hold_in_the_generated_models(tmp_path: Path) -> None:
    """What the two impact sentences above claim, checked against models rendered from both versions."""
    from generator.runtime._parsing import lenient_validate

    # oneOf wrapping: the field is still on the variant the old model became.
    old = _spec(language_code={"type": "string"})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Other"] = {"type": "object", "properties": {"chunks": {"type": "array"}}}
    _response_schema(new)["schema"] = {
        "oneOf": [{"$ref": "#/components/schemas/Thing"}, {"$ref": "#/components/schemas/Other"}]
    }
    assert "language_code" in _models(tmp_path, new, "wrapped").Thing.model_fields
    # Enum growth in a response: the old client hands the new value over as the plain string.
    grown = _spec(status={"$ref": "#/components/schemas/Status"})
    grown["components"]["schemas"]["Status"] = {"type": "string", "enum": ["a", "b"]}
    models = _models(tmp_path, grown, "enum")
    thing = lenient_validate(models.Thing, {"status": "c"})
    assert thing.status == "c" and not isinstance(thing.status, models.Status)


def test_array_of_a_union_holding_that_array_again_does_not_recurse_without_end(tmp_path: Path) -> None:
    """Algolia's FacetFiltersUnion: oneOf [array of itself, string]; a change inside it hit RecursionError.

    Found by the mutation test (seed 191628579652364311207144074296626615412): each level of items
    only added a ``[]`` suffix to the property, so the cycle guard saw a new key every time.
    """
    union = {"oneOf": [{"type": "array", "items": {"$ref": "#/components/schemas/Facets"}}, {"type": "string"}]}
    old = _spec(filters={"type": "array", "items": {"$ref": "#/components/schemas/Facets"}})
    old["components"]["schemas"]["Facets"] = union
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Facets"]["oneOf"][0]["minItems"] = 1
    # Both directions complete (they raised RecursionError). A response bound set is no finding in
    # oasdiff; one removed is, once, where the cycle is first entered.
    assert _diff(tmp_path, old, new) == []
    assert [(f.id, f.field) for f in _diff(tmp_path, new, old)] == [("response-property-min-items-unset", "filters[]")]


def test_the_report_is_the_same_whatever_the_hash_seed() -> None:
    """Servers and media types were reported in set order, which Python's hash seed shuffles per run."""
    realspecs = Path(__file__).resolve().parents[3] / "shared" / "realspecs"
    old, new = realspecs / "moveworks-conversations.yaml", realspecs / "oai30-api-with-examples.yaml"
    runs = [
        subprocess.run(
            [sys.executable, "-m", "generator", "diff", str(old), str(new), "--format", "text", "--fail-on", "ERR"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=False,
        )
        for seed in ("1", "2", "3", "4")
    ]
    assert [r.returncode for r in runs] == [1, 1, 1, 1]  # it has ERR findings
    reports = {r.stdout for r in runs}
    assert len(reports) == 1
    assert "api-server-removed" in next(iter(reports))


def test_a_bound_that_is_not_a_number_is_left_out_not_a_crash(tmp_path: Path) -> None:
    """``minimum: {}`` beside ``exclusiveMinimum: true`` stopped the diff (and generate) with KeyError."""
    odd = _spec(count={"type": "integer", "minimum": {}, "exclusiveMinimum": True}, name={"maxLength": "10"})
    assert _diff(tmp_path, odd, odd) == []
    # The valid bound that replaces it is compared with nothing: a new bound, as when there was none.
    fixed = _spec(count={"type": "integer", "minimum": 1}, name={"maxLength": "10"})
    assert _diff(tmp_path, odd, fixed) == _diff(tmp_path, _spec(count={"type": "integer"}, name={}), fixed)
    (tmp_path / "odd.yaml").write_text(yaml.safe_dump(odd, sort_keys=False))
    thing = next(s for s in load_side(tmp_path / "odd.yaml", None).api.schemas if s.name == "Thing").schema
    count = thing.property("count")  # type: ignore[union-attr]
    assert count is not None and count.schema.constraints.minimum is None
    assert count.schema.constraints.exclusive_minimum is None


def test_inline_union_variants_are_named_by_their_position(tmp_path: Path) -> None:
    """Two inline variants that both changed are two findings a reader can tell apart (DigitalOcean's
    POST /v2/droplets: single and multiple create, both holding the changed Droplet), as oasdiff's
    "subschema #2"; a component variant keeps its name."""
    old = _spec()
    old["components"]["schemas"]["Other"] = {"type": "object", "properties": {"id": {"type": "string"}}}
    union = {
        "oneOf": [
            {"type": "object", "properties": {"one": {"type": "string"}}},
            {"type": "object", "properties": {"many": {"type": "array", "items": {"type": "string"}}}},
            {"$ref": "#/components/schemas/Other"},
        ]
    }
    # A shared response (components/responses), as DigitalOcean's: its inline variants stay inline.
    old["components"]["responses"] = {"Created": {"description": "ok", "content": {"application/json": {}}}}
    old["components"]["responses"]["Created"]["content"]["application/json"]["schema"] = union
    old["paths"]["/things"]["get"]["responses"]["200"] = {"$ref": "#/components/responses/Created"}
    new = copy.deepcopy(old)
    variants = new["components"]["responses"]["Created"]["content"]["application/json"]["schema"]["oneOf"]
    variants[0]["properties"]["one"]["maxLength"] = 5
    variants[1]["properties"]["many"]["items"]["maxLength"] = 5
    variants[2] = {"$ref": "#/components/schemas/Thing"}
    messages = sorted(f.message for f in _diff(tmp_path, old, new) if "-one-of-" in f.id)
    assert messages == [
        "response 200: oneOf subschema #1 (object) added",
        "response 200: oneOf subschema #1 (object) removed",
        "response 200: oneOf subschema #2 (object) added",
        "response 200: oneOf subschema #2 (object) removed",
        "response 200: oneOf subschema Other removed",
        "response 200: oneOf subschema Thing added",
    ], messages


def test_removed_enum_values_name_the_members_the_client_has(tmp_path: Path) -> None:
    """Each removed value names its own member of the generated enum (``Kind.class_``), also without
    x-enum-varnames; before, only x-enum-varnames names were given, and a name carried over to the next value."""
    old = _spec(kind={"$ref": "#/components/schemas/Kind"})
    old["components"]["schemas"]["Kind"] = {"type": "string", "enum": ["a-b", "class", "c"]}
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Kind"]["enum"] = ["c"]
    impacts = sorted(f.impact for f in _diff(tmp_path, old, new) if f.id == "response-property-enum-value-removed")
    field = "response model field `Thing.kind` (client.get_thing(...))"
    assert impacts == [
        f'{field} (enum member `Kind.a_b` removed) no longer returns "a-b"',
        f'{field} (enum member `Kind.class_` removed) no longer returns "class"',
    ]


def _reordered(spec: dict[str, Any]) -> dict[str, Any]:
    """The same document with its paths and component schemas in reverse order."""
    other = copy.deepcopy(spec)
    other["paths"] = dict(reversed(other["paths"].items()))
    schemas = other["components"]["schemas"]
    other["components"]["schemas"] = dict(reversed(schemas.items()))
    return other


def _report(findings: list[Finding]) -> list[tuple[str, str, str, str]]:
    return sorted((f.operation, f.id, f.location, f.impact) for f in findings)


def test_a_change_below_a_reference_cycle_is_seen_whatever_the_order(tmp_path: Path) -> None:
    """X -> Y -> X: a change to X seen through Y was missed for GET /x when GET /y came first in the file
    (structural identity cut the cycle where the first walk came back, and cached that)."""
    response = _spec()["paths"]["/things"]["get"]["responses"]
    old = _spec()
    old["paths"] = {
        "/x": {"get": {"operationId": "getX", "responses": copy.deepcopy(response)}},
        "/y": {"get": {"operationId": "getY", "responses": copy.deepcopy(response)}},
    }
    old["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] = (
        "#/components/schemas/X"
    )
    old["paths"]["/y"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] = (
        "#/components/schemas/Y"
    )
    old["components"]["schemas"] = {
        "X": {"type": "object", "properties": {"a": {"type": "string"}, "y": {"$ref": "#/components/schemas/Y"}}},
        "Y": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/X"}}},
    }
    new = copy.deepcopy(old)
    new["components"]["schemas"]["X"]["properties"]["a"]["type"] = "integer"
    forward = _report(_diff(tmp_path, old, new))
    assert ("GET /x", "response-property-type-changed", "response 200 /y/x/a") in {f[:3] for f in forward}
    assert _report(_diff(tmp_path, _reordered(old), _reordered(new))) == forward


@pytest.mark.skipif(not (ROOT.parent / "shared" / "realspecs").is_dir(), reason="shared/realspecs is not present")
def test_mistral_trace_spans_diff_the_same_whatever_the_order(tmp_path: Path) -> None:
    """Mistral's trace span holds its children (a span cycle): its changes do not depend on document order."""
    old = yaml.safe_load((ROOT.parent / "shared" / "realspecs" / "mistral-openapi.yaml").read_text())
    new = copy.deepcopy(old)
    span = new["components"]["schemas"]["WorkflowExecutionTraceSummarySpan"]
    del span["properties"]["end_time_unix_nano"]
    forward = _report(_diff(tmp_path, old, new))
    removed = {f[2] for f in forward if f[1] == "response-required-property-removed"}
    # The walk goes one span deeper than the first (its own guard), whatever order structural identity ran in.
    assert removed == {
        "response 200 /span_tree/end_time_unix_nano",
        "response 200 /span_tree/children[]/end_time_unix_nano",
    }
    assert _report(_diff(tmp_path, _reordered(old), _reordered(new))) == forward
