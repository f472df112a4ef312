"""Differential test: our models against datamodel-code-generator 0.89.0's, on every real spec.

For each document in ``../shared/realspecs`` that loads and that datamodel-code-generator can
model, both model sets are built from the same normalized document; every named schema gets
a valid payload and near misses (``payloads.py``), and both sides must accept and reject the
same ones.

Every disagreement is decided: the referee is the JSON Schema itself, checked by ``jsonschema``
(Draft 2020-12) over the same normalized document (3.0's ``nullable`` and boolean exclusive
bounds rewritten in 3.1 spelling). The side that agrees with it is right; where our models
deliberately differ from the schema, ``OUR_DEVIATIONS`` says why. A disagreement where
datamodel-code-generator is right and no deviation explains ours fails the test.
"""

from __future__ import annotations

import copy
import importlib
import json
import re
import sys
import warnings
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator.emit.models import render_models
from generator.errors import SpecError
from generator.ir.load import LoadedSpec, load_spec
from generator.naming import snake_name
from tests.emit_models.payloads import Drawer, Payload

REALSPECS = Path(__file__).resolve().parents[3] / "shared" / "realspecs"
DOCUMENTS = sorted(
    p for p in (REALSPECS.iterdir() if REALSPECS.is_dir() else []) if p.suffix in (".yaml", ".yml", ".json")
) + ([REALSPECS / "digitalocean" / "DigitalOcean-public.v2.yaml"] if (REALSPECS / "digitalocean").is_dir() else [])

pytestmark = pytest.mark.skipif(not DOCUMENTS, reason=f"no real specs: {REALSPECS} is absent or empty")


@dataclass(frozen=True)
class Disagreement:
    document: str
    schema: str
    payload: Payload
    ours: bool  # accepted by our model
    theirs: bool  # accepted by datamodel-code-generator's


def dcg_models(doc: dict[str, Any]) -> str:
    """datamodel-code-generator's models for ``doc``, with the options the generator used to pass."""
    from datamodel_code_generator import generate
    from datamodel_code_generator._format_types import PythonVersion
    from datamodel_code_generator.enums import DataModelType, InputFileType

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = generate(
            copy.deepcopy(doc),
            input_file_type=InputFileType.OpenAPI,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            snake_case_field=True,
            allow_population_by_field_name=True,
            set_default_enum_member=True,
            use_annotated=True,
            field_constraints=True,
            disable_timestamp=True,
            use_union_operator=True,
            use_standard_collections=True,
            # EmailStr needs email-validator, which generated packages do not depend on.
            type_mappings=["email=string", "idn-email=string"],
            capitalise_enum_members=False,
            formatters=[],
        )
    assert isinstance(out, str)
    return out


def accepts(adapter: pydantic.TypeAdapter[Any], value: Any) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            adapter.validate_python(value)
    except pydantic.ValidationError:
        return False
    return True


# Where our models knowingly accept what the schema rejects: payload kind -> why.
OUR_DEVIATIONS: dict[str, str] = {
    "read-only": "a required readOnly/writeOnly property is absent from requests (readOnly) or "
    "responses (writeOnly), and one model serves both directions, so it is optional",
    "nullable-enum": "a nullable named enum is an Enum class; its null is accepted where it is used (`X | None`), "
    "not by the class itself",
    "empty-enum": "`enum: []` beside an allOf reference (Discord) is read as the referenced enum: taken literally "
    "nothing is valid, which is not what the vendor means",
    "property-names": "propertyNames other than a string enum is not modelled: such map keys are any string "
    "(a gap of ours; an enum of keys types the map, `dict[Lang, V]`)",
    "prefix-items": "prefixItems other than an exact tuple (as many minItems and maxItems as prefix items) is not "
    "modelled by position: each item may be of any of the prefix types or `items` (a gap of ours; an exact one is a "
    "`tuple[...]`)",
    "closed-union": "`additionalProperties: false` beside oneOf/anyOf (Mistral) is read as closing the variants: "
    "taken literally it forbids the variants' own properties, so nothing a variant needs is valid",
}


def referee(doc: dict[str, Any]) -> Any:
    """A function (schema name, payload) -> whether the JSON Schema accepts it."""
    converted = _as_31(copy.deepcopy(doc)) if not str(doc.get("openapi", "")).startswith("3.1") else doc
    resource = Resource(contents=converted, specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource("urn:doc", resource)

    def check(name: str, value: Any) -> bool:
        ref = "urn:doc#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")
        return Draft202012Validator({"$ref": ref}, registry=registry).is_valid(value)

    return check


def _as_31(node: Any) -> Any:
    """3.0 spellings JSON Schema 2020-12 does not know, rewritten: nullable and boolean exclusive bounds."""
    if isinstance(node, list):
        return [_as_31(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _as_31(v) for k, v in node.items()}
    for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if node.get(key) is True and bound in node:
            node[key] = node.pop(bound)
        elif isinstance(node.get(key), bool):
            del node[key]
    if node.pop("nullable", None) is True:
        if isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
        if isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        elif "type" not in node or "enum" in node:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def decide(
    d: Disagreement, schema_says: bool, read_only: bool, raw: Any, schemas: dict[str, Any]
) -> tuple[str, str] | None:
    """(right side, why) for one disagreement; None when datamodel-code-generator is right and nothing explains ours."""
    if d.ours == schema_says:
        return "ours", f"the JSON Schema {'accepts' if schema_says else 'rejects'} it"
    text = _with_references(raw, schemas)
    if d.payload.kind in ("missing-required", "null-for-required") and read_only and d.ours:
        return "theirs", "deviation: " + OUR_DEVIATIONS["read-only"]
    if d.ours and '"propertyNames"' in text:
        return "theirs", "deviation: " + OUR_DEVIATIONS["property-names"]
    if d.ours and '"prefixItems"' in text:
        return "theirs", "deviation: " + OUR_DEVIATIONS["prefix-items"]
    if d.ours and re.search(r'"(oneOf|anyOf)": \[[^\]]*\].*"additionalProperties": false', text):
        return "theirs", "deviation: " + OUR_DEVIATIONS["closed-union"]
    if not d.ours and d.payload.value is None and isinstance(raw, dict) and None in (raw.get("enum") or ()):
        return "theirs", "deviation: " + OUR_DEVIATIONS["nullable-enum"]
    if d.ours and '"enum": []' in text:
        return "theirs", "deviation: " + OUR_DEVIATIONS["empty-enum"]
    return None


@dataclass
class Run:
    documents: list[str]
    not_loaded: list[str]
    dcg_failed: dict[str, str]
    schemas: int
    payloads: Counter[str]
    disagreements: list[Disagreement]
    decisions: list[tuple[Disagreement, tuple[str, str] | None]]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("oracle")
    result = Run([], [], {}, 0, Counter(), [], [])
    sys.path.insert(0, str(root))
    try:
        for path in DOCUMENTS:
            try:
                spec = load_spec(path)
            except SpecError:
                result.not_loaded.append(path.name)
                continue
            if not spec.api.schemas:
                continue
            name = snake_name(path.stem)
            try:
                (root / f"dcg_{name}.py").write_text(dcg_models(spec.normalized), encoding="utf-8")
                theirs = _import(f"dcg_{name}")
            except Exception as exc:  # their crash is a finding, not our failure
                result.dcg_failed[path.name] = " ".join(str(exc).split())[:200]
                continue
            (root / f"ours_{name}.py").write_text(render_models(spec.api), encoding="utf-8")
            ours = _import(f"ours_{name}")
            result.documents.append(path.name)
            _compare(spec, path.name, ours, theirs, result)
    finally:
        sys.path.remove(str(root))
    return result


def _with_references(raw: Any, schemas: dict[str, Any], depth: int = 4) -> str:
    """The schema's JSON and that of the schemas it references (``depth`` levels)."""
    text = json.dumps(raw)
    seen: set[str] = set()
    frontier = [text]
    for _ in range(depth):
        names = {m for t in frontier for m in re.findall(r'"#/components/schemas/([^"]+)"', t)} - seen
        seen |= names
        frontier = [json.dumps(schemas[n]) for n in sorted(names) if n in schemas]
        text += "".join(frontier)
    return text


def _property(schema: Any, name: str) -> Any:
    return schema.property(name) if name and hasattr(schema, "property") else None


def _import(module: str) -> Any:
    sys.modules.pop(module, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module(module)


def _compare(spec: LoadedSpec, document: str, ours: Any, theirs: Any, result: Run) -> None:
    drawer = Drawer(spec.normalized, seed=zlib.crc32(document.encode()))
    schema_says = referee(spec.normalized)
    for named in spec.api.schemas:
        if named.hoisted_from is not None:
            continue  # named by our IR only; datamodel-code-generator names it its own way
        ours_cls, theirs_cls = getattr(ours, named.class_name), getattr(theirs, named.class_name, None)
        if theirs_cls is None:
            continue
        try:
            adapters = pydantic.TypeAdapter(ours_cls), pydantic.TypeAdapter(theirs_cls)
        except Exception:  # a class of theirs that cannot build its schema: nothing to compare
            result.dcg_failed.setdefault(f"{document}#{named.name}", "model does not build")
            continue
        result.schemas += 1
        for payload in drawer.payloads(named.name):
            result.payloads[payload.kind] += 1
            ok_ours, ok_theirs = accepts(adapters[0], payload.value), accepts(adapters[1], payload.value)
            if ok_ours != ok_theirs:
                d = Disagreement(document, named.name, payload, ok_ours, ok_theirs)
                result.disagreements.append(d)
                prop = _property(named.schema, payload.detail)
                read_only = prop is not None and (prop.schema.read_only or prop.schema.write_only)
                raw = spec.normalized["components"]["schemas"][named.name]
                says = schema_says(named.name, payload.value)
                decision = decide(d, says, read_only, raw, spec.normalized["components"]["schemas"])
                result.decisions.append((d, decision))


def test_both_model_sets_accept_and_reject_the_same_payloads(run: Run) -> None:
    summary = [
        f"documents compared: {len(run.documents)} ({', '.join(run.documents)})",
        f"not loaded: {run.not_loaded}",
        f"datamodel-code-generator failed: {run.dcg_failed}",
        f"schemas: {run.schemas}, payloads: {sum(run.payloads.values())} {dict(run.payloads)}",
        f"disagreements: {len(run.disagreements)}",
    ]
    kinds = Counter(
        (
            d.payload.kind,
            "ours" if d.ours else "theirs",
            verdict[0] if verdict else "theirs",
            verdict[1] if verdict else "",
        )
        for d, verdict in run.decisions
    )
    summary += [
        f"  {kind}, accepted by {side}: {n}; right: {right} ({why})"
        for (kind, side, right, why), n in sorted(kinds.items())
    ]
    print("\n".join(summary))
    assert len(run.documents) >= 8
    assert sum(run.payloads.values()) >= 1000
    unexplained = [d for d, verdict in run.decisions if verdict is None]
    assert not unexplained, "\n".join(
        f"{d.document} {d.schema} {d.payload.kind} {d.payload.detail}: ours={d.ours} theirs={d.theirs} "
        f"{str(d.payload.value)[:200]}"
        for d in unexplained[:40]
    )
