"""Turn loaded vendor specs into the files of ``generated/`` (in memory), then write or check them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from generator import ir
from generator.emit.client import render_client
from generator.emit.formatting import format_sources
from generator.emit.models import render_models
from generator.emit.package import render_package_files
from generator.errors import GeneratorError, SpecWarning
from generator.ir.load import LoadedSpec, load_vendor
from generator.output.manifest import MANIFEST_NAME, build_manifest, is_current
from generator.output.writer import Difference, compare, read_tree, replace_tree
from generator.spec.config import CONFIG_FILE, load_config
from generator.spec.vendors import is_vendor, vendor_names

RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"
# A stage reporter: called with (vendor, stage); the CLI passes one that draws a status line.
Progress = Callable[[str, str], None]
ROOT_INIT = '"""Clients generated from specs/ by vendor-feedback-codegen. Do not edit."""\n'


def no_progress(vendor: str, stage: str) -> None:
    """Report nothing (CI, pipes, tests)."""


@dataclass
class Result:
    """What a generate or check run found."""

    vendors: list[str]
    warnings: list[SpecWarning] = field(default_factory=list)
    verified_by_manifest: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    apis: list[ir.Api] = field(default_factory=list)  # of the vendors rendered (not those verified by manifest)


def render_package(spec: LoadedSpec) -> dict[str, str]:
    """All files of ``generated/<package>/`` for one vendor, unformatted, keyed by relative path."""
    pkg = spec.config.package
    files = {f"{pkg}/{name}": text for name, text in render_client(spec.api, spec.config).items()}
    files[f"{pkg}/models.py"] = render_models(spec.api)
    files[f"{pkg}/py.typed"] = ""
    files.update({f"{pkg}/{name}": text for name, text in render_package_files(spec.api, spec.config).items()})
    for name, text in runtime_sources().items():
        files[f"{pkg}/_runtime/{name}"] = text
    return files


@cache
def runtime_sources() -> dict[str, str]:
    """The hand-written runtime, copied verbatim into every generated package."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(RUNTIME_DIR.glob("*.py"))}


def render(
    specs_dir: Path, vendors: list[str] | None, progress: Progress = no_progress, *, strict: bool = False
) -> tuple[list[str], dict[str, str], list[SpecWarning], list[ir.Api]]:
    """Load every requested vendor and render its package; raises before anything is written.

    With ``strict``, a validation finding or anything left out is an error (see ``load_spec``).
    """
    names = vendors or _all_vendors(specs_dir)
    files: dict[str, str] = {"__init__.py": ROOT_INIT}
    warnings: list[SpecWarning] = []
    apis: list[ir.Api] = []
    packages = []
    inputs: dict[str, tuple[Path, list[str]]] = {}
    for name in names:
        progress(name, "loading spec")
        spec = load_vendor(specs_dir, name, strict=strict)
        packages.append(spec.config.package)
        progress(name, f"rendering {len(spec.api.operations)} operations, {len(spec.api.schemas)} schemas")
        files.update(render_package(spec))
        warnings.extend(spec.warnings)
        apis.append(spec.api)
        inputs[spec.config.package] = (spec.config.directory, _input_files(spec))
    progress(", ".join(names), "formatting")
    files = format_sources(files)
    for pkg, (vendor_dir, input_files) in inputs.items():
        prefix = pkg + "/"
        outputs = {n[len(prefix) :]: t for n, t in files.items() if n.startswith(prefix)}
        files[prefix + MANIFEST_NAME] = build_manifest(vendor_dir, input_files, outputs)
    return packages, files, warnings, apis


def _all_vendors(specs_dir: Path) -> list[str]:
    """Every vendor under ``specs_dir``; none is an error, so a job run from the wrong folder cannot pass."""
    names = vendor_names(specs_dir)
    if not names:
        raise GeneratorError(
            f"no vendor specs under {specs_dir} (a vendor is a folder holding {CONFIG_FILE}); "
            "run from the repository root or pass --specs"
        )
    return names


def _input_files(spec: LoadedSpec) -> list[str]:
    """The vendor's input files relative to its folder: config, spec, and files the spec includes."""
    root = spec.config.directory.resolve()
    names = [spec.config.config_path.name, spec.config.spec]
    names += [p.relative_to(root).as_posix() for p in spec.document.included if p.is_relative_to(root)]
    return names


def generate(
    specs_dir: Path,
    out_dir: Path,
    vendors: list[str] | None = None,
    progress: Progress = no_progress,
    *,
    strict: bool = False,
) -> Result:
    """Regenerate ``out_dir`` for ``vendors`` (all by default), atomically."""
    packages, files, warnings, apis = render(specs_dir, vendors, progress, strict=strict)
    progress(", ".join(packages), "writing")
    changed = replace_tree(out_dir, files, packages)
    progress(", ".join(packages), "done")
    return Result(packages, warnings, changed=changed, apis=apis)


def check(
    specs_dir: Path,
    out_dir: Path,
    vendors: list[str] | None = None,
    *,
    full: bool = False,
    progress: Progress = no_progress,
    strict: bool = False,
) -> Result:
    """Compare ``out_dir`` with what ``generate`` would write, without writing.

    Packages whose manifest proves them current are not regenerated unless ``full``.
    """
    names = vendors or _all_vendors(specs_dir)
    # Package name of every vendor whose config can be read; a broken one is reported by render().
    packages_of = {n: load_config(specs_dir / n).package for n in names if is_vendor(specs_dir, n)}
    root_init = out_dir / "__init__.py"
    verified = []
    if not full and root_init.is_file() and root_init.read_text(encoding="utf-8") == ROOT_INIT:
        verified = [n for n, pkg in packages_of.items() if is_current(specs_dir / n, out_dir / pkg)]
    remaining = [n for n in names if n not in verified]
    if not remaining:
        return Result([packages_of[n] for n in names], verified_by_manifest=verified)
    packages, files, warnings, apis = render(specs_dir, remaining, progress, strict=strict)
    progress(", ".join(packages), "done")
    actual = read_tree(out_dir, packages)
    if root_init.is_file():
        actual["__init__.py"] = root_init.read_text(encoding="utf-8")
    for tree in (files, actual):
        for name in [n for n in tree if n.endswith("/" + MANIFEST_NAME)]:
            del tree[name]
    everything = [packages_of[n] for n in verified] + packages
    return Result(
        everything, warnings, verified_by_manifest=verified, differences=compare(files, actual, out_dir.name), apis=apis
    )
