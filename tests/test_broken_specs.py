"""Broken and adversarial specs through the real CLI: a clean, located error (or a warning), never a traceback.

Every file in ``tests/corpus/`` and ``../shared/realspecs/opc-documents-with-errors/`` is
copied into a fresh ``specs/broken/`` next to a copy of the repository's ``generated/``,
and ``python -m generator generate`` runs on it in a subprocess with a time limit. The runs
go in parallel once per session; each test then checks one outcome.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus"
SHARED_ERRORS = REPO.parent / "shared" / "realspecs" / "opc-documents-with-errors"
TIMEOUT = 60  # seconds; every case takes well under one

# Documents that are odd or partly broken but still usable: generate succeeds, says what it
# tolerated and where, and leaves out (skipped-*) only what it cannot model (issue 12).
WARN_OK = {
    "keyword-schema-names.yaml": "schema-name",
    "odd-but-valid.yaml": "fern-nested-tags",
    "deep-but-allowed.json": "hoisted-schema",
    "invalid-uuid-defaults.yaml": "bad-example",
    "bad-status-code.yaml": "skipped-response",
    "circular-body-ref.yaml": "skipped-operation",
    "circular-refs.yaml": "skipped-schema",
    "info-missing.yaml": "invalid",
    "optional-path-param.yaml": "invalid",
    "path-param-undeclared.yaml": "path-parameter",
    "properties-list.yaml": "skipped-schema",
    "responses-null.yaml": "invalid",
    "self-ref.yaml": "skipped-schema",
    "truncated.yaml": "invalid",
    "version-number.yaml": "invalid",
    "duplicate-operation-id.yaml": "duplicate-operation-id",
    "bad-ref.yaml": "skipped-operation",
    "ref-to-nothing-file.yaml": "skipped-operation",
    "missing-body-ref.yaml": "skipped-operation",
}

# Expected error message (regex) and, where the problem has one, the pointer and/or line.
# (message, pointer or None, line or None)
EXPECTED: dict[str, tuple[str, str | None, int | None]] = {
    "truncated.json": (r"invalid JSON: Unterminated string", None, 1),
    # Line 8 opens the flow mapping that is never closed; the parser only notices on line 9.
    "invalid-yaml.yaml": (r"invalid YAML: did not find expected", None, 8),
    "tab-indented.yaml": (r"invalid YAML: found character that cannot start any token", None, 6),
    "remote-ref.yaml": (
        r"remote \$ref .* is not fetched",
        "/paths/~1feedback/post/requestBody/content/application~1json/schema/$ref",
        13,
    ),
    "escaping-ref.yaml": (
        r"points outside the spec's folder",
        "/paths/~1feedback/post/requestBody/content/application~1json/schema/$ref",
        13,
    ),
    "paths-is-list.yaml": (r"expected a mapping here, found a list", "/paths", 6),
    "parameters-string.yaml": (r"expected a list here, found a string", "/paths/~1a/get/parameters", 8),
    "schema-number.yaml": (
        r"expected a mapping here, found a number",
        "/paths/~1a/get/responses/200/content/application~1json/schema",
        13,
    ),
    # Caught by the model builder or the validator, whichever runs first: same place.
    "unsupported-version.yaml": (r"unsupported OpenAPI version '4.0.0'", "/openapi", 1),
    "duplicate-keys.yaml": (r"duplicate key 'Feedback'", None, 26),
    "yaml-bomb.yaml": (r"alias bomb", "/x-lol/a", None),
    "recursive-alias.yaml": (r"recursive YAML alias", "/x-loop/again", 6),
    "deep-nesting.yaml": (r"nest", None, None),
    "deep-nesting.json": (r"nested deeper than", None, None),
    "non-utf8.yaml": (r"not UTF-8 text \(byte 73\)", None, None),
    "binary.yaml": (r"not UTF-8 text", None, None),
    "nul-byte.yaml": (r"invalid YAML: character #x0000: control characters are not allowed", None, 6),
    "empty.yaml": (r"expected a mapping at the top level, found NoneType", "/", None),
    "only-comment.yaml": (r"expected a mapping at the top level, found NoneType", "/", None),
    "scalar-top.yaml": (r"expected a mapping at the top level, found str", "/", 1),
    "list-top.json": (r"expected a mapping at the top level, found list", "/", 1),
    "swagger2.yaml": (r"Swagger 2.0 documents are not supported", "/swagger", 1),
    "trailing-garbage.json": (r"invalid JSON: Extra data", None, 2),
    "components-list.yaml": (r"expected a mapping here, found a list", "/components", 6),
    "schemas-list.yaml": (r"expected a mapping here, found a list", "/components/schemas", 7),
    "content-list.yaml": (r"expected a mapping here, found a list", "/paths/~1a/get/responses/200/content", 11),
    "responses-list.yaml": (r"expected a mapping here, found a list", "/paths/~1a/get/responses", 8),
    "path-item-string.yaml": (r"expected a mapping here, found a string", "/paths/~1a", 6),
    "operation-list.yaml": (r"expected a mapping here, found a list", "/paths/~1a/get", 7),
    "request-body-bool.yaml": (r"expected a mapping here, found a boolean", "/paths/~1a/post/requestBody", 8),
    "server-number.yaml": (r"expected a mapping here, found a number", "/servers/0", 7),
    "server-variables-list.yaml": (r"expected a mapping here, found a list", "/servers/0/variables", 8),
    "security-scheme-null.yaml": (r"expected a mapping here, found null", "/components/securitySchemes/ApiKey", None),
    # ../shared/realspecs/opc-documents-with-errors/
}


def corpus_files() -> list[Path]:
    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    if SHARED_ERRORS.is_dir():
        files += sorted(p for p in SHARED_ERRORS.iterdir() if p.is_file())
    return files


@dataclass
class Run:
    case: Path
    out: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    before: dict[str, bytes]
    after: dict[str, bytes]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run_case(source: Path, work: Path) -> Run:
    specs = work / "specs" / "broken"
    specs.mkdir(parents=True)
    shutil.copyfile(source, specs / source.name)
    (specs / "vendor.yaml").write_text(f"package: broken\nclient_class: BrokenClient\nspec: {source.name}\n")
    out = work / "generated"
    shutil.copytree(REPO / "generated", out, ignore=shutil.ignore_patterns("__pycache__", "*_cache"))
    before = snapshot(out)
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "generate", "--specs", str(work / "specs"), "--out", str(out)],
            cwd=REPO,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TIMEOUT,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    except subprocess.TimeoutExpired:
        return Run(source, specs / source.name, -1, "", f"timed out after {TIMEOUT}s", TIMEOUT, before, snapshot(out))
    seconds = time.monotonic() - start
    return Run(source, specs / source.name, proc.returncode, proc.stdout, proc.stderr, seconds, before, snapshot(out))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    base = tmp_path_factory.mktemp("broken")
    files = corpus_files()
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {f.name: pool.submit(run_case, f, base / f.name) for f in files}
        return {name: future.result() for name, future in futures.items()}


# Valid documents that datamodel-code-generator could not model (the generator used to fail on them).
GENERATES = {"enum-varnames-not-strings.yaml"}


def test_corpus_is_large_and_every_case_has_an_expectation() -> None:
    names = {p.name for p in corpus_files()}
    assert len([p for p in CORPUS.iterdir() if p.is_file()]) >= 20
    assert names == set(EXPECTED) | set(WARN_OK) | GENERATES or not SHARED_ERRORS.is_dir()
    assert not set(EXPECTED) & set(WARN_OK)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_spec_fails_cleanly(runs: dict[str, Run], name: str) -> None:
    if name not in runs:
        pytest.skip(f"{name} is in ../shared, which is absent")
    run = runs[name]
    message, pointer, line = EXPECTED[name]
    output = run.stdout + run.stderr
    assert "Traceback" not in output, output
    assert run.returncode == 2, output
    error = run.stderr.strip().splitlines()[-1]
    assert error.startswith("error: "), run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, "one readable line: " + run.stderr
    where = f"{run.out}:{line}" if line is not None else str(run.out)
    assert error.startswith(f"error: {where}"), error
    if pointer is not None:
        assert f": at {pointer}" in error, error
    assert re.search(message, error), error
    assert run.seconds < 15, f"took {run.seconds:.1f}s"
    # Nothing written: generated/ is byte-identical, no staging folder left beside it.
    assert run.after == run.before
    assert sorted(p.name for p in run.out.parents[2].iterdir()) == ["generated", "specs"]


@pytest.mark.parametrize("name", sorted(WARN_OK))
def test_odd_spec_generates_with_warnings(runs: dict[str, Run], name: str) -> None:
    if name not in runs:
        pytest.skip(f"{name} is in ../shared, which is absent")
    run = runs[name]
    output = run.stdout + run.stderr
    assert "Traceback" not in output, output
    assert run.returncode == 0, output
    assert WARN_OK[name] in run.stderr
    assert str(run.out) in run.stderr
    assert run.seconds < 15, f"took {run.seconds:.1f}s"
    # The other vendors' packages are kept; the new one is added and compiles.
    generated = run.out.parents[2] / "generated"
    assert {k: v for k, v in run.after.items() if not k.startswith("broken/")} == {
        k: v for k, v in run.before.items() if k != "__init__.py"
    } | {"__init__.py": run.after["__init__.py"]}
    models = generated / "broken" / "models.py"
    compile(models.read_text(encoding="utf-8"), str(models), "exec")


def test_keyword_and_builtin_schema_names_become_safe_classes(runs: dict[str, Run]) -> None:
    run = runs["keyword-schema-names.yaml"]
    assert run.returncode == 0, run.stderr
    source = run.after["broken/models.py"].decode()
    for cls in ("Class", "ListModel", "NoneModel", "ResponseModel"):
        assert re.search(rf"^class {cls}\b", source, re.M), cls
    assert not re.search(r"^class (class|list|None|Response)\b", source, re.M)


def test_enum_varnames_that_are_not_strings_still_name_the_members(runs: dict[str, Run]) -> None:
    run = runs["enum-varnames-not-strings.yaml"]
    assert run.returncode == 0, run.stderr
    source = run.after["broken/models.py"].decode()
    assert re.search(r"^class E\(IntEnum\):\n    true = 1\n    false = 2$", source, re.M), source
