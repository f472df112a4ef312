"""Shared helpers: render a package from a spec given as a dict, import it, run mypy on it."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from generator import ir
from generator.emit.formatting import format_sources
from generator.ir.load import LoadedSpec, load_spec, load_vendor
from generator.pipeline import render_package
from generator.spec.config import default_config

REPO = Path(__file__).resolve().parents[2]


def load_doc(tmp: Path, doc: dict[str, Any], package: str) -> LoadedSpec:
    """Load ``doc`` as vendor ``package`` (validated like any spec)."""
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / f"{package}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    config = default_config(package, tmp)
    config = type(config)(**{**config.__dict__, "package": package})
    return load_spec(path, config)


def write_vendor(specs: Path, package: str, doc: dict[str, Any]) -> LoadedSpec:
    """``doc`` as vendor ``package`` in a specs folder (for ``generate`` or the mock server), loaded."""
    folder = specs / package
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "openapi.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    config = f"package: {package}\nclient_class: {package.title()}Client\nspec: openapi.yaml\n"
    (folder / "vendor.yaml").write_text(config, encoding="utf-8")
    return load_vendor(specs, package)


def write_packages(root: Path, specs: list[LoadedSpec]) -> Path:
    """Render and format the packages of ``specs`` under ``root``."""
    files: dict[str, str] = {}
    for spec in specs:
        files.update(render_package(spec))
    for name, text in format_sources(files).items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def import_fresh(root: Path, module: str) -> ModuleType:
    """Import ``module`` from ``root``, dropping any earlier copy of its package."""
    package = module.split(".")[0]
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(module)
    finally:
        sys.path.remove(str(root))


def mypy_strict(root: Path, packages: list[str]) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` (with the pydantic plugin, as the repo runs it) over ``packages`` under ``root``."""
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(REPO / "pyproject.toml"),
         "--cache-dir", str(REPO / ".mypy_cache"), *packages],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "MYPYPATH": str(root)},
    )  # fmt: skip


def named(api: ir.Api, name: str) -> ir.NamedSchema:
    """The named schema ``name`` (it must exist)."""
    found = api.schema(name)
    assert found is not None, name
    return found
