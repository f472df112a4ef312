"""Where the two sides of a diff come from: spec files, vendor names, or a vendor at a git revision."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator import ir
from generator.errors import GeneratorError, SpecError
from generator.ir.load import load_spec
from generator.spec.config import CONFIG_FILE, VendorConfig, load_config
from generator.spec.vendors import is_vendor, vendor_dir, vendor_names


@dataclass(frozen=True)
class Side:
    """One loaded side of a diff."""

    api: ir.Api
    file: str  # how findings name it (repo-relative where possible)
    label: str  # "specs/algolia/openapi.yaml@HEAD~1"


def _config_beside(path: Path) -> VendorConfig | None:
    """The vendor config of the folder holding ``path`` when that config describes this very file."""
    if not (path.parent / CONFIG_FILE).is_file():
        return None
    config = load_config(path.parent)
    return config if config.spec_path.resolve() == path.resolve() else None


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def resolve_argument(arg: str, specs_dir: Path) -> Path:
    """A spec file path, or the spec of the vendor named ``arg``."""
    path = Path(arg)
    if path.is_file():
        return path
    if is_vendor(specs_dir, arg):
        return load_config(specs_dir / arg).spec_path
    if path.exists():
        raise SpecError("not a spec file", file=path)
    known = ", ".join(vendor_names(specs_dir)) or "none"
    raise SpecError(f"no such spec file, and no vendor {arg!r} in {specs_dir} (vendors: {known})", file=path)


def load_pair(old: str, new: str, specs_dir: Path, *, validate: bool = False) -> tuple[Side, Side]:
    """Two spec files (or vendor names). Both load with the same vendor config, so only the specs differ."""
    old_path, new_path = resolve_argument(old, specs_dir), resolve_argument(new, specs_dir)
    config = _config_beside(old_path) or _config_beside(new_path)
    return (
        Side(load_spec(old_path, config, validate=validate).api, _display(old_path), _display(old_path)),
        Side(load_spec(new_path, config, validate=validate).api, _display(new_path), _display(new_path)),
    )


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GeneratorError("git is not installed; --base needs it") from None
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip() or f"git {' '.join(args)} failed"
        raise GeneratorError(message)
    return result.stdout


def load_vendor_at_revision(
    vendor: str, revision: str, specs_dir: Path, *, validate: bool = False
) -> tuple[Side, Side]:
    """``vendor`` as committed at ``revision`` (old) against the working tree (new)."""
    new_config = load_config(vendor_dir(specs_dir, vendor))
    specs_abs = specs_dir.resolve()
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], specs_abs).decode().strip())
    except GeneratorError:
        raise GeneratorError(f"--base needs a git checkout, and {specs_dir} is not in one") from None
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], top)
    except GeneratorError:
        raise GeneratorError(f"--base {revision}: no such git revision (a commit, branch or tag of {top})") from None
    rel_specs = specs_abs.relative_to(top.resolve())
    new_side = Side(
        load_spec(new_config.spec_path, new_config, validate=validate).api,
        _display(new_config.spec_path),
        _display(new_config.spec_path),
    )
    # The whole specs folder at that revision, so relative $refs between files still resolve.
    archive = _git(["archive", "--format=tar", revision, "--", rel_specs.as_posix()], top)
    with tempfile.TemporaryDirectory(prefix="generator-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        old_dir = Path(tmp) / rel_specs / vendor
        if not is_vendor(old_dir.parent, vendor):
            raise GeneratorError(f"vendor {vendor!r} does not exist at revision {revision}")
        old_config = load_config(old_dir)
        try:
            old_api = load_spec(old_config.spec_path, old_config, validate=validate).api
        except SpecError as exc:
            exc.message = f"{exc.message} (at revision {revision})"
            raise
    label = f"{(rel_specs / vendor / old_config.spec).as_posix()}@{revision}"
    return Side(old_api, new_side.file, label), new_side
