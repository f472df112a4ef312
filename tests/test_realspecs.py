"""Real published documents (../shared/realspecs/): each loads, normalizes and generates (issue 12),
whatever flaws it has, with every left-out operation or schema explained; the models import and
pass ``mypy --strict``.

Every document, including the 2,907-file DigitalOcean tree (by its root), is loaded once in a
module-scoped fixture; the packages of all documents are written into one folder and checked
by a single mypy run.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.emit.formatting import format_sources
from generator.ir.load import LoadedSpec, load_spec
from generator.naming import snake_name
from generator.pipeline import render_package
from generator.spec.config import default_config
from generator.spec.loader import load_document, resolve_pointer
from generator.spec.refs import HTTP_METHODS, references

REPO = Path(__file__).resolve().parents[1]
REALSPECS = REPO.parent / "shared" / "realspecs"
DOCUMENTS = sorted(
    p for p in (REALSPECS.iterdir() if REALSPECS.is_dir() else []) if p.suffix in (".yaml", ".yml", ".json")
)
# Multi-file documents, by their root file.
DOCUMENTS += [p for p in [REALSPECS / "digitalocean" / "DigitalOcean-public.v2.yaml"] if p.is_file()]

pytestmark = pytest.mark.skipif(not DOCUMENTS, reason=f"no real specs: {REALSPECS} is absent or empty")


def package_name(path: Path) -> str:
    return "real_" + snake_name(path.stem)


@pytest.fixture(scope="module")
def loaded() -> dict[str, LoadedSpec]:
    specs = {}
    for path in DOCUMENTS:
        config = default_config(path.stem, path.parent)
        config = type(config)(**{**config.__dict__, "package": package_name(path)})
        specs[path.name] = load_spec(path, config)
    return specs


@pytest.fixture(scope="module")
def packages(loaded: dict[str, LoadedSpec], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("realspecs")
    files: dict[str, str] = {}
    for spec in loaded.values():
        files.update(render_package(spec))
    for name, text in format_sources(files).items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def test_there_are_real_specs_beyond_the_broken_ones() -> None:
    assert len(DOCUMENTS) >= 10
    assert not any("opc-documents-with-errors" in p.parts for p in DOCUMENTS)
    names = {p.name for p in DOCUMENTS}
    assert {"mistral-openapi.yaml", "discord-openapi.json", "DigitalOcean-public.v2.yaml"} <= names


@pytest.mark.parametrize("name", [p.name for p in DOCUMENTS])
def test_real_spec_loads_and_yields_models(loaded: dict[str, LoadedSpec], name: str) -> None:
    spec = loaded[name]
    assert spec.api.title
    assert str(spec.normalized["openapi"]).startswith(("3.0", "3.1"))
    # Every $ref meant as a reference (not data in an example or an x- extension) is local and resolvable.
    for _ptr, _obj, ref, _role in references(spec.normalized):
        assert ref.startswith("#/"), ref
        resolve_pointer(spec.normalized, ref[1:])
    # Every operation has a unique id after normalization.
    ids = [op.operation_id for op in spec.api.operations]
    assert len(ids) == len(set(ids))
    schema_names = [s.class_name for s in spec.api.schemas]
    assert len(schema_names) == len(set(schema_names))
    assert all(n.isidentifier() for n in schema_names)


@pytest.mark.parametrize("name", [p.name for p in DOCUMENTS])
def test_every_declared_operation_is_generated_or_its_skip_explained(loaded: dict[str, LoadedSpec], name: str) -> None:
    spec = loaded[name]
    path = next(p for p in DOCUMENTS if p.name == name)
    declared = load_document(path).data.get("paths") or {}
    count = sum(1 for item in declared.values() if isinstance(item, dict) for m in item if m in HTTP_METHODS)
    left_out = [s for s in spec.api.skipped if s.kind == "operation"]
    assert len(spec.api.operations) + len(left_out) == count
    # Each skip has its reason and a warning located by file, line and pointer.
    located = {(w.code, w.message) for w in spec.warnings if w.file is not None and w.line is not None and w.pointer}
    for skipped in spec.api.skipped:
        assert skipped.reason and skipped.pointer
        assert any(code == f"skipped-{skipped.kind}" and skipped.reason in message for code, message in located)
    # Every warning is located: file and line, and a pointer unless it concerns the whole document.
    assert all(w.file is not None and w.line is not None for w in spec.warnings), [
        str(w) for w in spec.warnings if w.line is None
    ][:5]


def test_models_import_and_contain_every_schema(loaded: dict[str, LoadedSpec], packages: Path) -> None:
    sys.path.insert(0, str(packages))
    try:
        for spec in loaded.values():
            module = importlib.import_module(f"{spec.config.package}.models")
            for schema in spec.api.schemas:
                cls = getattr(module, schema.class_name)
                assert isinstance(cls, type), schema.class_name
    finally:
        sys.path.remove(str(packages))
        for name in [m for m in sys.modules if m.startswith("real_")]:
            del sys.modules[name]


def test_models_pass_mypy_strict(loaded: dict[str, LoadedSpec], packages: Path) -> None:
    names = sorted(spec.config.package for spec in loaded.values())
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(REPO / "pyproject.toml"),
         "--cache-dir", str(REPO / ".mypy_cache"), *names],
        cwd=packages,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MYPYPATH": str(packages)},
    )  # fmt: skip
    # Every realspec's package, DigitalOcean's included, with no tolerated error (issue 11).
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]
    assert "Success: no issues found" in proc.stdout
