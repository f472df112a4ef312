"""Flawed documents through the real CLI (issue 12): located warnings instead of refusals,
one summary line per kind (``-v`` for all), ``--strict`` as a gate, skips listed in the
closing line and in the generated README."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
EXCLUSIVE = '"exclusiveMinimum"'


def make_vendor(root: Path, doc: dict[str, Any]) -> Path:
    specs = root / "specs"
    (specs / "flawed").mkdir(parents=True)
    # Pretty JSON, one key per line, so that line numbers in warnings can be checked.
    (specs / "flawed" / "openapi.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")
    (specs / "flawed" / "vendor.yaml").write_text("package: flawed\nclient_class: FlawedClient\nspec: openapi.json\n")
    return specs


def generate(specs: Path, out: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--specs", str(specs), "--out", str(out), *flags],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def line_of_text(path: Path, needle: str, occurrence: int = 0) -> int:
    lines = [i + 1 for i, line in enumerate(path.read_text().splitlines()) if needle in line]
    return lines[occurrence]


def exclusive_31_document() -> dict[str, Any]:
    """A 3.1 document that writes 3.0's boolean exclusiveMinimum in seven places (the issue's 3 MB case, small)."""
    schemas = {
        f"Bounded{i}": {
            "type": "object",
            "properties": {"n": {"type": "integer", "minimum": i, "exclusiveMinimum": True}},
        }
        for i in range(7)
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Bounds", "version": "1"},
        "servers": [{"url": "https://example.invalid"}],
        "paths": {
            "/b": {
                "get": {
                    "operationId": "getBounded",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Bounded0"}}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }


def test_30_idioms_in_a_31_document_generate_with_located_warnings(tmp_path: Path) -> None:
    specs = make_vendor(tmp_path, exclusive_31_document())
    spec = specs / "flawed" / "openapi.json"
    run = generate(specs, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    # Summarized: the kind once, with its first location and the count of the rest.
    lines = [line for line in run.stderr.splitlines() if "exclusive-bound" in line]
    first = line_of_text(spec, EXCLUSIVE)
    pointer = "/components/schemas/Bounded0/properties/n/exclusiveMinimum"
    assert lines == [
        f"warning[exclusive-bound]: {spec}:{first}: at {pointer}: OpenAPI 3.0 boolean `exclusiveMinimum: True` "
        "in a 3.1 document: written as `exclusiveMinimum: 0` (+6 more like it; -v lists all)"
    ]
    assert "invalid" not in run.stderr  # the pass fixed what the validator would have found
    assert run.stdout.splitlines()[-1] == "1 operations, 7 models, 0 skipped, 7 warnings"
    models = (tmp_path / "out" / "flawed" / "models.py").read_text()
    assert re.search(r"n: Annotated\[int, Field\(gt=0\)\] \| None", models), models

    verbose = generate(specs, tmp_path / "out", "-v")
    every = [line for line in verbose.stderr.splitlines() if "exclusive-bound" in line]
    assert len(every) == 7
    for i, line in enumerate(every):
        assert f"{spec}:{line_of_text(spec, EXCLUSIVE, i)}: at /components/schemas/Bounded{i}/" in line
    assert generate(specs, tmp_path / "out", "-q").stderr == ""


def test_validator_findings_carry_absolute_pointer_and_line_and_strict_makes_them_errors(tmp_path: Path) -> None:
    doc = exclusive_31_document()
    # Wrong inside a schema: the validator checks it against the JSON Schema meta-schema.
    doc["components"]["schemas"]["Bounded3"]["properties"]["n"]["maxLength"] = "10"
    specs = make_vendor(tmp_path, doc)
    spec = specs / "flawed" / "openapi.json"
    run = generate(specs, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    line = line_of_text(spec, '"maxLength"')
    expected = (
        f"warning[invalid]: {spec}:{line}: at /components/schemas/Bounded3/properties/n/maxLength: "
        'not valid OpenAPI 3.1.0: "10" is not of type "integer"'
    )
    assert expected in run.stderr.splitlines()

    out = tmp_path / "strict-out"
    strict = generate(specs, out, "--strict")
    assert strict.returncode == 2
    assert strict.stderr.splitlines()[-1].startswith(
        f"error: {spec}:{line}: at /components/schemas/Bounded3/properties/n/maxLength: not valid OpenAPI 3.1.0:"
    )
    assert "--strict" in strict.stderr.splitlines()[-1]
    assert not out.exists()  # nothing written
    # A document with only tolerated idioms passes the gate.
    clean = make_vendor(tmp_path / "clean", exclusive_31_document())
    assert generate(clean, tmp_path / "clean-out", "--strict").returncode == 0


def test_what_cannot_be_modelled_is_skipped_counted_and_listed(tmp_path: Path) -> None:
    ok = {"200": {"description": "ok"}}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Skips", "version": "1"},
        "servers": [{"url": "https://example.invalid"}],
        "paths": {
            "/fine": {"get": {"operationId": "fine", "responses": ok}},
            "/items/{id}": {"get": {"operationId": "getItem", "responses": ok}},
            "/broken": {
                "post": {
                    "operationId": "postBroken",
                    "requestBody": {"$ref": "#/components/requestBodies/Missing"},
                    "responses": ok,
                }
            },
        },
        "components": {"schemas": {"Loop": {"$ref": "#/components/schemas/Loop"}, "Fine": {"type": "string"}}},
    }
    specs = make_vendor(tmp_path, doc)
    out = tmp_path / "out"
    run = generate(specs, out)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == (
        "2 operations, 2 models, 2 skipped (1 schema: only a $ref, and the refs loop … without defining a type; "
        "1 operation: unresolvable $ref …), 4 warnings"
    )
    spec = specs / "flawed" / "openapi.json"
    ref_line = line_of_text(spec, "#/components/requestBodies/Missing")
    assert (
        f"warning[skipped-operation]: {spec}:{ref_line}: at /paths/~1broken/post/requestBody/$ref: "
        "operation 'postBroken' (POST /broken) left out of the client: unresolvable $ref "
        "'#/components/requestBodies/Missing'"
    ) in run.stderr
    # A path variable no parameter declares: warned, and still an argument of the method.
    item_line = line_of_text(spec, '"/items/{id}"') + 1
    assert (
        f"warning[path-parameter]: {spec}:{item_line}: at /paths/~1items~1{{id}}/get: path template variable {{id}} "
        "is not declared as a path parameter: the client takes it as a required string"
    ) in run.stderr
    readme = (out / "flawed" / "README.md").read_text()
    section = readme.split("## Left out of this client", 1)[1].split("## Errors", 1)[0]
    assert (
        "| operation `postBroken` | `POST /broken` | unresolvable $ref '#/components/requestBodies/Missing' |"
        in section
    )
    assert "| schema `Loop` | `Loop` |" in section and "(typed as any value)" in section
    assert "getItem" not in section
    client = (out / "flawed" / "_client.py").read_text()
    assert "def fine(" in client and "def post_broken(" not in client
    assert re.search(r"def get_item\(\s*self,\s*id: str,", client), client
