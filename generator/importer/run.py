"""``import``: select, merge, validate through ``load_spec``, write atomically, regenerate."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from generator.errors import GeneratorError
from generator.importer import DEFAULT_TIMEOUT
from generator.importer.errors import ImportError_, SourceRefError
from generator.importer.merge import MergeOptions, MergeReport, merge
from generator.importer.select import select_operations
from generator.importer.source import Source, is_url, load_source
from generator.importer.yamlio import JsonStyle, atomic_write, detached, dump_document, dump_yaml, load_layout
from generator.ir.load import LoadedSpec, load_spec
from generator.naming import class_name, snake_name
from generator.pipeline import Result, generate
from generator.spec.config import CONFIG_FILE, credential_env, load_config
from generator.spec.loader import parse_text, read_text
from generator.spec.normalize import iter_operations

_VENDOR = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass
class ImportRequest:
    """Everything ``import VENDOR SOURCE`` was asked."""

    vendor: str
    source: str
    specs_dir: Path
    out_dir: Path
    operation_ids: Sequence[str] = ()
    paths: Sequence[str] = ()
    tags: Sequence[str] = ()
    # Exact (path, method) pairs, used by refresh instead of the selectors above.
    only: Sequence[tuple[str, str]] = ()
    rename_conflicts: bool = False
    replace: bool = False
    replace_operations: bool = False
    # Refresh: components from the same recorded source, replaced without counting as conflicts,
    replace_components: frozenset[tuple[str, str]] = frozenset()
    # and components the refresh leaves unreferenced are removed.
    prune: bool = False
    # The vendor's spec text to start from instead of the file (a dry run chaining several sources).
    base_text: str | None = None
    dry_run: bool = False
    regenerate: bool = True
    timeout: float = DEFAULT_TIMEOUT
    # New vendors only.
    package: str | None = None
    client_class: str | None = None
    credentials: Sequence[str] = ()  # SCHEME=ARGUMENT[:ENV]
    date: str | None = None


@dataclass
class ImportOutcome:
    """What an import did."""

    vendor: str
    spec_path: Path
    created_vendor: bool
    report: MergeReport
    written: bool
    generated: Result | None = None
    warnings: list[str] = field(default_factory=list)
    # The spec text the import writes (or would write, on a dry run).
    text: str = ""


def today() -> str:
    """UTC date for provenance."""
    return datetime.datetime.now(datetime.UTC).date().isoformat()


def recorded_source(source: str, spec_dir: Path) -> str:
    """How a source is written into the spec: URLs as-is, files relative to the spec's folder."""
    if is_url(source):
        return source
    return Path(os.path.relpath(Path(source).resolve(), spec_dir.resolve())).as_posix()


def resolve_recorded(recorded: str, spec_dir: Path) -> str:
    """The inverse of ``recorded_source``."""
    if is_url(recorded) or Path(recorded).is_absolute():
        return recorded
    return str((spec_dir / recorded).resolve())


def run_import(request: ImportRequest, source: Source | None = None) -> ImportOutcome:
    """Import into an existing vendor or create a new one; writes only after the merged spec loads."""
    if not _VENDOR.match(request.vendor):
        raise ImportError_(f"vendor name {request.vendor!r} must match {_VENDOR.pattern}")
    vendor_dir = request.specs_dir / request.vendor
    creating = not (vendor_dir / CONFIG_FILE).is_file()
    if creating and vendor_dir.exists() and any(vendor_dir.iterdir()):
        raise ImportError_(f"{vendor_dir} exists without a {CONFIG_FILE}; refusing to create a vendor over it")
    if source is None:
        source = load_source(request.source, request.timeout)
    tree = source.layout if source.layout is not None else source.document
    try:
        operations = select_operations(tree, request.operation_ids, request.paths, request.tags)
    except SourceRefError as exc:
        raise exc.located(source.label, source.text, source.first_line) from None
    if request.only:
        operations = [op for op in operations if (op.path, op.method) in set(request.only)]

    source_schemes = list((tree.get("components") or {}).get("securitySchemes") or {})
    json_style: JsonStyle | None = None
    if creating:
        # A JSON source stays JSON: it loads far faster than YAML and keeps the source's look.
        spec_name = "openapi.json" if source.is_json else "openapi.yaml"
        spec_path = vendor_dir / spec_name
        target: Any = _skeleton(tree)
        original_text = None
        if source.is_json:
            json_style = JsonStyle.of(source.text)
        # A new vendor's config binds a credential to every scheme, so the spec keeps them all.
        extra = [("securitySchemes", str(name)) for name in source_schemes]
    else:
        config = load_config(vendor_dir)
        spec_path = config.spec_path
        original_text = read_text(spec_path) if request.base_text is None else request.base_text
        target = _load_target(original_text, spec_path)
        json_style = JsonStyle.of(original_text)
        extra = [("securitySchemes", c.scheme) for c in config.credentials if c.scheme and c.scheme in source_schemes]
    options = MergeOptions(
        source=recorded_source(request.source, spec_path.parent),
        date=request.date or today(),
        rename_conflicts=request.rename_conflicts,
        replace=request.replace,
        replace_operations=request.replace_operations,
        replace_components=request.replace_components,
        prune=request.prune,
    )
    report = merge(target, tree, operations, options, extra)
    text = dump_document(target, spec_path, json_style)
    outcome = ImportOutcome(request.vendor, spec_path, creating, report, written=False, text=text)
    if text == original_text:
        report.notes.append("the vendor's spec already has everything selected; nothing to write")
    if creating:
        config_text = _vendor_config(request, tree, source, spec_name)
        if not tree.get("servers") and "\ndefault_base_url:" not in config_text:
            outcome.warnings.append(
                f"{source.label} has no `servers`, so the client has no default URL and Client() fails until you "
                f"add `default_base_url: https://...` to {vendor_dir / CONFIG_FILE} (or pass base_url= to Client)"
            )
        _validate_new(vendor_dir, spec_name, text, config_text)
        if request.dry_run:
            return outcome
        _create_vendor(vendor_dir, spec_name, text, config_text)
    else:
        _validate_existing(spec_path, text)
        if request.dry_run or text == original_text:
            return outcome
        atomic_write(spec_path, text)
    outcome.written = True
    if request.regenerate:
        try:
            outcome.generated = generate(request.specs_dir, request.out_dir, [request.vendor])
        except BaseException:
            # Keep specs/ and generated/ consistent: undo the spec change.
            if creating:
                shutil.rmtree(vendor_dir, ignore_errors=True)
            elif original_text is not None:
                atomic_write(spec_path, original_text)
            outcome.written = False
            raise
    return outcome


def _load_target(text: str, path: Path) -> Any:
    if path.suffix.lower() == ".json":
        return parse_text(text, path)
    layout = load_layout(text)
    if layout is None:
        raise ImportError_(f"{path}: cannot be read for a round-trip edit")
    return layout


def _skeleton(source_doc: Any) -> Any:
    target = CommentedMap()
    target["openapi"] = detached(source_doc["openapi"])
    target["info"] = detached(source_doc.get("info") or {"title": "API", "version": "1.0.0"})
    return target


def load_spec_text(spec_path: Path, text: str) -> LoadedSpec:
    """Load spec text through the real pipeline, from a temporary file beside the vendor's spec."""
    config = load_config(spec_path.parent)
    fd, tmp = tempfile.mkstemp(prefix=".import-", suffix=spec_path.suffix, dir=spec_path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return load_spec(Path(tmp), config)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _validate_existing(spec_path: Path, text: str) -> None:
    try:
        load_spec_text(spec_path, text)
    except GeneratorError as exc:
        raise ImportError_(f"the merged spec would not load, so nothing was written: {exc}") from None


def _validate_new(vendor_dir: Path, spec_name: str, text: str, config_text: str) -> None:
    with tempfile.TemporaryDirectory(prefix=".import-") as tmp:
        directory = Path(tmp) / vendor_dir.name
        directory.mkdir()
        (directory / spec_name).write_text(text, encoding="utf-8")
        (directory / CONFIG_FILE).write_text(config_text, encoding="utf-8")
        try:
            config = load_config(directory)
            load_spec(config.spec_path, config)
        except GeneratorError as exc:
            raise ImportError_(f"the new vendor would not load, so nothing was written: {exc}") from None


def _create_vendor(vendor_dir: Path, spec_name: str, text: str, config_text: str) -> None:
    vendor_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{vendor_dir.name}.", dir=vendor_dir.parent))
    try:
        (staging / spec_name).write_text(text, encoding="utf-8")
        (staging / CONFIG_FILE).write_text(config_text, encoding="utf-8")
        if vendor_dir.exists():
            vendor_dir.rmdir()  # empty (checked before)
        os.replace(staging, vendor_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _vendor_config(request: ImportRequest, doc: Any, source: Source, spec_name: str) -> str:
    """A vendor.yaml for a new vendor: package, client class, one credential per security scheme."""
    package = request.package or snake_name(request.vendor)
    client = request.client_class or class_name(request.vendor) + "Client"
    overrides: dict[str, tuple[str, str | None]] = {}
    for spec in request.credentials:
        scheme, sep, rest = spec.partition("=")
        if not sep or not rest:
            raise ImportError_(f"--credential {spec!r}: expected SCHEME=ARGUMENT or SCHEME=ARGUMENT:ENV")
        argument, _, env = rest.partition(":")
        overrides[scheme] = (argument, env or None)
    schemes = (doc.get("components") or {}).get("securitySchemes") or {}
    unknown = sorted(set(overrides) - set(schemes))
    if unknown:
        raise ImportError_(f"--credential names unknown security schemes {unknown}; known: {sorted(schemes)}")
    credentials: list[dict[str, str]] = []
    taken: set[str] = set()
    config = CommentedMap(package=package, client_class=client, spec=spec_name)
    config.yaml_set_start_comment(
        f"Created by `python -m generator import {request.vendor} {request.source}`; review before committing."
    )
    for name, scheme in schemes.items():
        if not isinstance(scheme, dict):
            continue
        argument, env_name = overrides.get(name) or (_argument_name(str(name), scheme, taken), None)
        taken.add(argument)
        credentials.append({"argument": argument, "env": env_name or credential_env(package, argument), "scheme": name})
    _bind_server_variables(credentials, schemes, doc.get("servers"))
    if not schemes:
        for header in _credential_headers(doc):
            argument = snake_name(header, frozenset(taken))
            taken.add(argument)
            credentials.append({"argument": argument, "env": credential_env(package, argument), "header": header})
    if credentials:
        config["credentials"] = credentials
    base = None if doc.get("servers") else _base_url_from_page(source, doc)
    if base:
        config["default_base_url"] = base
        config.yaml_set_comment_before_after_key(
            "default_base_url", before="Taken from the docs page's request line; the document has no `servers`."
        )
    config["idempotent_operations"] = []
    return dump_yaml(config)


def _bind_server_variables(credentials: list[dict[str, str]], schemes: Any, servers: Any) -> None:
    """Tie a credential to the server variable it names (Algolia's application id is header and host alike)."""
    first = servers[0] if isinstance(servers, list) and servers and isinstance(servers[0], dict) else {}
    raw = first.get("variables")
    variables: dict[Any, Any] = raw if isinstance(raw, dict) else {}

    def squash(text: object) -> str:
        return re.sub(r"[^a-z0-9]", "", str(text).lower())

    for variable in variables:
        wanted = squash(variable)
        for credential in credentials:
            scheme = schemes.get(credential.get("scheme")) if isinstance(schemes, dict) else None
            names = [credential["scheme"], *([scheme.get("name")] if isinstance(scheme, dict) else [])]
            if wanted and "server_variable" not in credential and any(wanted in squash(n) for n in names):
                credential["server_variable"] = str(variable)
                break


def _argument_name(name: str, scheme: dict[str, Any], taken: set[str]) -> str:
    if (
        (scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer")
        or scheme.get("type") == "oauth2"
        or scheme.get("type") == "openIdConnect"
    ):
        base = "access_token"
    else:
        base = re.sub(r"_?auth$", "", snake_name(name)) or "api_key"
    return snake_name(base, frozenset(taken))


def _credential_headers(doc: Any) -> list[str]:
    """Header parameters that look like credentials, for documents without security schemes."""
    found: list[str] = []
    pattern = re.compile(r"(api[-_]?key|token|secret)", re.IGNORECASE)
    for _path, _method, op, _ptr in iter_operations(doc, document_order=True):
        for param in op.get("parameters") or []:
            if (
                isinstance(param, dict)
                and param.get("in") == "header"
                and pattern.search(str(param.get("name", "")))
                and param["name"] not in found
            ):
                found.append(str(param["name"]))
    return found


def _base_url_from_page(source: Source, doc: Any) -> str | None:
    """``https://host`` from a docs page's ``POST https://host/path`` line matching one of the paths."""
    if not source.from_page:
        return None
    for match in re.finditer(r"^(?:GET|POST|PUT|PATCH|DELETE)\s+(https?://\S+)", source.page, re.MULTILINE):
        url = match.group(1)
        for path in doc.get("paths") or {}:
            if url.endswith(str(path)):
                return url[: len(url) - len(str(path))] or None
    return None
