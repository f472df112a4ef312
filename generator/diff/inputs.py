"""Where the two sides of a diff come from: spec files, vendor names, or a vendor at a git revision."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator import ir
from generator.diff.checks.context import WEBHOOK_PATH_PREFIX
from generator.diff.gc_pause import gc_paused
from generator.diff.options import DocumentOptions
from generator.errors import GeneratorError, SpecError, split_pointer
from generator.ir.builder import ModelCache, build_api
from generator.ir.load import credential_headers
from generator.spec.config import CONFIG_FILE, VendorConfig, default_config, load_config
from generator.spec.loader import Document, line_of, load_document
from generator.spec.normalize import NormalizeContext, iter_operations, normalize
from generator.spec.validate import validate_document
from generator.spec.vendors import is_vendor, vendor_dir, vendor_names


@dataclass
class Side:
    """One loaded side of a diff."""

    api: ir.Api
    file: str  # how findings name it (repo-relative where possible)
    label: str  # "specs/algolia/openapi.yaml@HEAD~1"
    data: dict[str, Any] = field(default_factory=dict)  # the normalized document
    invented_ids: frozenset[str] = frozenset()  # "METHOD /path" of operations the spec gave no operationId
    notes: list[str] = field(default_factory=list)  # what the loader tolerated; reported, never fatal
    text: str = ""  # the spec file's text, for annotation line numbers
    schema_names: dict[str, str] = field(default_factory=dict)  # class name → the schema's name in the file
    component_schemas: frozenset[str] = frozenset()  # the schema names the file declares
    # The loaded document: which file each part of a multi-file spec came from (annotations point there).
    document: Document | None = None

    def finish_notes(self) -> list[str]:
        """The notes, validation findings included."""
        return self.notes


@gc_paused()
def load_side(
    path: Path,
    config: VendorConfig | None,
    *,
    validate: bool = True,
    options: DocumentOptions | None = None,
    cache: ModelCache | None = None,
) -> Side:
    """Load one spec for diffing: anything parseable loads; what would be refused becomes a note.

    Duplicate operationIds get a ``_2``, ``_3``... suffix in document order, and missing ones are
    recorded, so that the diff reports oasdiff's ``api-operation-id-added`` rather than a change
    between names the generator invented. The sides of one diff share a ``cache``: the component
    schemas they hold unchanged are modelled once.
    """
    config = config or default_config(path.stem, path.parent)
    document = load_document(path)
    data = document.data
    if options is not None:
        options.apply(data)
    components = data.get("components")
    declared = components.get("schemas") if isinstance(components, dict) else None
    component_schemas = frozenset(map(str, declared)) if isinstance(declared, dict) else frozenset()
    notes: list[str] = []
    webhooks = data.get("webhooks")
    if isinstance(webhooks, dict) and webhooks:
        # Webhook operations are compared as operations (as oasdiff does) under a path no real path can have.
        if not isinstance(data.get("paths"), dict):
            data["paths"] = {}
        for name, item in webhooks.items():
            data["paths"][f"{WEBHOOK_PATH_PREFIX}{name}"] = item
    invented: set[str] = set()
    seen: dict[str, int] = {}
    for op_path, method, op, ptr in iter_operations(data):
        op_id = op.get("operationId")
        if not isinstance(op_id, str) or not op_id.strip():
            invented.add(f"{method.upper()} {op_path}")
            continue
        seen[op_id] = seen.get(op_id, 0) + 1
        if seen[op_id] > 1:
            renamed = f"{op_id}_{seen[op_id]}"
            while renamed in seen:
                renamed += "_"
            op["operationId"] = renamed
            notes.append(f"{ptr}/operationId: duplicate operationId {op_id!r}, compared as {renamed!r}")
    ctx = NormalizeContext(file=path, credential_headers=credential_headers(config))
    try:
        normalize(data, ctx)
        view = data
        if isinstance(webhooks, dict) and webhooks:
            # Validate the document as written; model (and diff) the view with webhooks among the paths.
            view = {**data, "paths": dict(data["paths"])}
            data["paths"] = {k: v for k, v in data["paths"].items() if not str(k).startswith(WEBHOOK_PATH_PREFIX)}
        if validate:
            # Fast enough to run inline (jsonschema-rs); findings are notes, never fatal.
            try:
                notes.extend(f"{w.pointer or '/'}: {w.message}" for w in validate_document(data, path))
            except SpecError as exc:
                notes.append(f"{exc.pointer or '/'}: not valid OpenAPI: {exc.message}")
        api = build_api(view, config, path, cache=cache)
    except SpecError as exc:
        if exc.line is None and exc.pointer and exc.file == path:
            exc.line = line_of(path, exc.pointer, document.text)
        raise
    # The normalizer's warnings are about code generation (class names, hoisted schemas), not the diff; only
    # the schema renames are kept, to point annotations at the schema as the file spells it.
    schema_names = {
        w.message.split("generated as class ", 1)[1].strip("'\""): split_pointer(w.pointer)[-1]
        for w in ctx.warnings
        if w.code == "schema-name" and "generated as class " in w.message
    }
    name = _display(path)
    return Side(
        api, name, name, view, frozenset(invented), notes, document.text, schema_names, component_schemas, document
    )


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


def load_pair(
    old: str,
    new: str,
    specs_dir: Path,
    *,
    validate: bool = True,
    options: tuple[DocumentOptions, DocumentOptions] | None = None,
) -> tuple[Side, Side]:
    """Two spec files (or vendor names). Both load with the same vendor config, so only the specs differ."""
    old_path, new_path = resolve_argument(old, specs_dir), resolve_argument(new, specs_dir)
    config = _config_beside(old_path) or _config_beside(new_path)
    old_options, new_options = options or (None, None)
    cache = ModelCache()
    return (
        load_side(old_path, config, validate=validate, options=old_options, cache=cache),
        load_side(new_path, config, validate=validate, options=new_options, cache=cache),
    )


def _git(args: list[str], cwd: Path) -> bytes:
    import subprocess  # only --base runs git: a plain diff does not pay for the import

    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GeneratorError("git is not installed; --base needs it") from None
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip() or f"git {' '.join(args)} failed"
        raise GeneratorError(message)
    return result.stdout


def load_vendor_at_revision(
    vendor: str,
    revision: str,
    specs_dir: Path,
    *,
    validate: bool = True,
    options: tuple[DocumentOptions, DocumentOptions] | None = None,
) -> tuple[Side, Side]:
    """``vendor`` as committed at ``revision`` (old) against the working tree (new)."""
    import io
    import tarfile
    import tempfile

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
    old_options, new_options = options or (None, None)
    cache = ModelCache()
    new_side = load_side(new_config.spec_path, new_config, validate=validate, options=new_options, cache=cache)
    # The whole specs folder at that revision, so relative $refs between files still resolve.
    archive = _git(["archive", "--format=tar", revision, "--", rel_specs.as_posix()], top)
    with tempfile.TemporaryDirectory(prefix="generator-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        old_dir = Path(tmp) / rel_specs / vendor
        if not (old_dir / CONFIG_FILE).is_file():
            raise GeneratorError(f"vendor {vendor!r} does not exist at revision {revision}")
        old_config = load_config(old_dir)
        try:
            old_side = load_side(old_config.spec_path, old_config, validate=validate, options=old_options, cache=cache)
        except SpecError as exc:
            exc.message = f"{exc.message} (at revision {revision})"
            raise
    label = f"{(rel_specs / vendor / old_config.spec).as_posix()}@{revision}"
    # Findings point into the working-tree file: the old one is gone with the temporary folder.
    return replace(old_side, file=new_side.file, label=label), new_side


def load_composed(
    old_glob: str,
    new_glob: str,
    *,
    validate: bool = True,
    options: tuple[DocumentOptions, DocumentOptions] | None = None,
) -> tuple[list[Side], list[Side]]:
    """Composed mode: every spec each glob matches (one service per file behind a gateway)."""
    old_options, new_options = options or (None, None)
    cache = ModelCache()
    sides = []
    for pattern, side_options in ((old_glob, old_options), (new_glob, new_options)):
        paths = (
            sorted(Path().glob(pattern))
            if not Path(pattern).is_absolute()
            else sorted(Path(pattern).parent.glob(Path(pattern).name))
        )
        files = [p for p in paths if p.is_file()]
        if not files:
            raise GeneratorError(f"--composed: no spec file matches {pattern!r}")
        sides.append([load_side(p, None, validate=validate, options=side_options, cache=cache) for p in files])
    return sides[0], sides[1]
