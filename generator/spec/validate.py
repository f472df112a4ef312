"""Check a normalized document against the OpenAPI 3.0/3.1 schemas, plus the semantic rules they cannot state.

The document is validated with jsonschema-rs directly against the OpenAPI JSON schemas that
openapi-spec-validator ships (for 3.1, with every Schema Object checked against the JSON
Schema 2020-12 meta-schema, as the OpenAPI dialect says). That takes about 0.02 s on a
1.2 MB document, against seconds through openapi-spec-validator's own keyword checks, and
every finding carries the absolute JSON pointer of the offending value.

Findings are warnings (``validate_document`` returns them): a document the model builder
can still model is generated, and what it cannot model is skipped there, located.
``--strict`` turns them back into errors.
"""

from __future__ import annotations

import importlib.util
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from generator.errors import GeneratorError, SpecError, SpecWarning, join_pointer
from generator.spec import refs
from generator.spec.loader import resolve_pointer
from generator.spec.normalize import iter_schemas

# Violations that only concern keys OpenAPI does not define: real vendor specs carry stray
# keys (an operation `title`, say); they cannot change the generated code.
_UNKNOWN_KEY = re.compile(r"(Unevaluated|Additional) properties are not allowed|does not match any of the regexes")
_DATA_POINTER = re.compile(r"/(default|example|examples)(/|$)")

# Warning codes the validator emits; ``--strict`` makes them errors.
CODES = ("invalid", "unknown-key", "bad-example", "path-parameter", "unresolved-ref", "duplicate-operation-id")


@cache
def _validator(major_minor: str) -> Any:
    """A compiled jsonschema-rs validator for OpenAPI ``3.0`` or ``3.1`` documents (compiled once)."""
    import jsonschema_rs  # imported here: only validation needs it

    # Only the package's data files are used: importing it would cost a third of a second.
    spec = importlib.util.find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        raise GeneratorError("openapi-spec-validator is not installed; run ./scripts/bootstrap")
    base = Path(next(iter(spec.submodule_search_locations))) / "resources" / "schemas"
    schema = json.loads((base / f"v{major_minor}" / "schema.json").read_text(encoding="utf-8"))
    if major_minor == "3.1":
        # The shipped 3.1 schema leaves Schema Objects unchecked ($dynamicRef to an open `meta`);
        # the OpenAPI "schema-base" variant binds `meta` to the 2020-12 meta-schema, as here.
        schema["$defs"]["schema"] = {"$dynamicAnchor": "meta", "$ref": "https://json-schema.org/draft/2020-12/schema"}
    return jsonschema_rs.validator_for(schema)


def validate_document(doc: dict[str, Any], file: Path | None = None) -> list[SpecWarning]:
    """Findings against the OpenAPI schema and semantic rules, as located warnings.

    Raises SpecError only when the document is not OpenAPI 3.0 or 3.1 at all.
    """
    version = str(doc.get("openapi", ""))
    if re.match(r"3\.0(\.|$)", version):
        validator = _validator("3.0")
    elif re.match(r"3\.1(\.|$)", version):
        validator = _validator("3.1")
    else:
        raise SpecError(
            f"unsupported OpenAPI version {version!r}; expected 3.0.x or 3.1.x", file=file, pointer="/openapi"
        )
    findings = []
    for error in validator.iter_errors(doc):
        pointer = join_pointer(*error.instance_path)
        message = _short(error.message)
        if _UNKNOWN_KEY.search(message):
            code = "unknown-key"
        elif _DATA_POINTER.search(pointer):
            # A default or example that contradicts its own schema: documentation, not shape.
            code = "bad-example"
        else:
            code = "invalid"
        findings.append(SpecWarning(code, f"not valid OpenAPI {version}: {message}", pointer, file))
    findings += _semantic_findings(doc, file)
    findings += _default_findings(doc, file)
    return findings


def _default_findings(doc: dict[str, Any], file: Path | None) -> list[SpecWarning]:
    """A ``default`` its own schema refuses (``format: uuid``, default ``"notauuid"``): documentation, not shape.

    Only self-contained schemas are checked (no ``$ref`` inside); the model emitter would
    otherwise write a default its own type annotation contradicts without a word.
    """
    import jsonschema_rs

    findings = []
    compiled: dict[str, Any] = {}
    for schema, ptr in iter_schemas(doc):
        if "default" not in schema or (schema["default"] is None and schema.get("nullable") is True):
            continue
        check = {
            k: v
            for k, v in schema.items()
            if k not in ("default", "example", "examples", "nullable", "discriminator", "xml", "externalDocs")
            and not (k.startswith("x-") or (k.startswith("exclusiveM") and isinstance(v, bool)))
        }
        text = json.dumps(check, sort_keys=True)
        if '"$ref"' in text:
            continue
        if text not in compiled:  # the same small schemas (a uuid string, an enum) recur many times
            try:
                compiled[text] = jsonschema_rs.Draft202012Validator(check, validate_formats=True)
            except Exception:  # a schema jsonschema-rs cannot compile: the meta-schema check reported it
                compiled[text] = None
        validator = compiled[text]
        if validator is None:
            continue
        for error in validator.iter_errors(schema["default"]):
            findings.append(
                SpecWarning("bad-example", f"default value: {_short(error.message)}", ptr + "/default", file)
            )
            break
    return findings


def _semantic_findings(doc: dict[str, Any], file: Path | None) -> list[SpecWarning]:
    """What the OpenAPI schema cannot say: path parameters match the template, refs resolve, ids are unique."""
    findings = []
    paths = doc.get("paths")
    seen_ids: dict[str, str] = {}
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        if not isinstance(item, dict) or not isinstance(path, str):
            continue
        template = set(re.findall(r"{([^{}]+)}", path))
        shared = _path_parameters(item.get("parameters"), doc)
        for method in refs.HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            ptr = join_pointer("paths", path, method)
            declared = shared | _path_parameters(op.get("parameters"), doc)
            for name in sorted(template - declared):
                findings.append(
                    SpecWarning(
                        "path-parameter",
                        f"path template variable {{{name}}} is not declared as a path parameter: "
                        "the client takes it as a required string",
                        ptr,
                        file,
                    )
                )
            for name in sorted(declared - template):
                findings.append(
                    SpecWarning(
                        "path-parameter", f"path parameter {name!r} does not appear in the path {path!r}", ptr, file
                    )
                )
            op_id = op.get("operationId")
            if isinstance(op_id, str):
                if op_id in seen_ids:
                    findings.append(
                        SpecWarning(
                            "duplicate-operation-id",
                            f"duplicate operationId {op_id!r} (also at {seen_ids[op_id]})",
                            ptr,
                            file,
                        )
                    )
                seen_ids.setdefault(op_id, ptr)
    for ptr, _obj, ref, _role in refs.references(doc):
        if not ref.startswith("#"):
            continue  # the loader bundles every file ref it can resolve, and warned about the others
        try:
            resolve_pointer(doc, ref[1:])
        except (KeyError, ValueError):
            findings.append(SpecWarning("unresolved-ref", f"unresolvable $ref {ref!r}", ptr + "/$ref", file))
    return findings


def _path_parameters(params: Any, doc: dict[str, Any]) -> set[str]:
    names = set()
    for param in params if isinstance(params, list) else []:
        if isinstance(param, dict) and isinstance(param.get("$ref"), str) and param["$ref"].startswith("#"):
            try:
                param = resolve_pointer(doc, param["$ref"][1:])
            except (KeyError, ValueError):
                continue
        if isinstance(param, dict) and param.get("in") == "path" and isinstance(param.get("name"), str):
            names.add(param["name"])
    return names


def _short(message: str) -> str:
    # jsonschema-rs can quote a whole subtree as the instance; the first line, bounded, says it.
    message = message.strip().split("\n", 1)[0]
    return message if len(message) <= 300 else message[:300] + "..."
