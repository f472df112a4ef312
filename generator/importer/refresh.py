"""``import --refresh VENDOR``: re-read every source an operation was imported from and report what changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.diff.compare import diff_apis
from generator.diff.render import render_text
from generator.importer.errors import ImportError_
from generator.importer.merge import X_IMPORTED_FROM, side_by_side
from generator.importer.run import ImportOutcome, ImportRequest, load_spec_text, resolve_recorded, run_import
from generator.importer.select import Operation, component_closure, operation_hash, source_operations
from generator.importer.source import load_source
from generator.importer.yamlio import plain
from generator.spec.config import load_config
from generator.spec.loader import parse_text, read_text


@dataclass
class OperationStatus:
    """One imported operation compared with its source today."""

    source: str
    path: str
    method: str
    operation_id: str
    status: str  # unchanged | changed | gone
    detail: str = ""


@dataclass
class RefreshOutcome:
    """What a refresh found, and what it applied."""

    statuses: list[OperationStatus] = field(default_factory=list)
    applied: list[ImportOutcome] = field(default_factory=list)
    used_diff_module: bool = False

    @property
    def changed(self) -> list[OperationStatus]:
        """Operations whose source content changed since they were imported."""
        return [s for s in self.statuses if s.status == "changed"]


def run_refresh(request: ImportRequest, *, echo: Callable[[str], None] = print) -> RefreshOutcome:
    """Compare each imported operation with its source; unless ``dry_run``, import the changed ones again."""
    config = load_config(request.specs_dir / request.vendor)
    spec_path = config.spec_path
    current = parse_text(read_text(spec_path), spec_path)
    by_source: dict[str, list[Operation]] = {}
    for imported in source_operations(current):
        provenance = imported.node.get(X_IMPORTED_FROM)
        if isinstance(provenance, dict) and isinstance(provenance.get("source"), str):
            by_source.setdefault(provenance["source"], []).append(imported)
    if not by_source:
        raise ImportError_(f"{spec_path}: no operation records `{X_IMPORTED_FROM}`, so there is nothing to refresh")
    outcome = RefreshOutcome()
    for recorded, ops in by_source.items():
        location = resolve_recorded(recorded, spec_path.parent)
        source = load_source(location, request.timeout)
        tree = source.layout if source.layout is not None else source.document
        every = source_operations(tree)
        index = {(o.path, o.method): o for o in every}
        by_id = {str(o.node.get("operationId")): (o.path, o.method) for o in every if o.node.get("operationId")}
        changed_keys: list[tuple[str, str]] = []
        for imported in ops:
            path, method, op, op_id = imported.path, imported.method, imported.node, imported.operation_id
            key = (path, method) if (path, method) in index else by_id.get(op_id)
            if key is None:
                outcome.statuses.append(
                    OperationStatus(recorded, path, method, op_id, "gone", "no longer in the source")
                )
                continue
            operation = index[key]
            operation.components = component_closure(tree, operation)
            operation.sha256 = operation_hash(tree, operation)
            if operation.sha256 == op[X_IMPORTED_FROM].get("sha256"):
                outcome.statuses.append(OperationStatus(recorded, path, method, op_id, "unchanged"))
                continue
            old = {k: v for k, v in plain(op).items() if k != X_IMPORTED_FROM}
            detail = side_by_side(old, operation.node, "imported", "source now")
            changed_components = [
                f"{s}/{n}"
                for s, n in operation.components
                if plain(((current.get("components") or {}).get(s) or {}).get(n)) != plain(tree["components"][s][n])
            ]
            if changed_components:
                detail += "\ncomponents that differ from the vendor's spec: " + ", ".join(changed_components)
            outcome.statuses.append(OperationStatus(recorded, path, method, op_id, "changed", detail))
            changed_keys.append(key)
        for status in outcome.statuses:
            if status.source == recorded:
                echo(f"{status.status:9} {status.operation_id} ({status.method.upper()} {status.path}) from {recorded}")
                if status.detail and status.status == "changed":
                    echo(status.detail)
        if changed_keys:
            preview = ImportRequest(
                vendor=request.vendor,
                source=location,
                specs_dir=request.specs_dir,
                out_dir=request.out_dir,
                only=tuple(changed_keys),
                replace=True,
                replace_operations=True,
                dry_run=True,
            )
            merged = run_import(preview, source=source).text
            echo(_api_diff(spec_path, read_text(spec_path), merged))
            outcome.used_diff_module = True
        if changed_keys and not request.dry_run:
            sub = ImportRequest(
                vendor=request.vendor,
                source=location,
                specs_dir=request.specs_dir,
                out_dir=request.out_dir,
                only=tuple(changed_keys),
                rename_conflicts=request.rename_conflicts,
                replace=request.replace,
                replace_operations=True,
                timeout=request.timeout,
                regenerate=request.regenerate,
            )
            outcome.applied.append(run_import(sub, source=source))
    return outcome


def _api_diff(vendor_spec: Path, old_text: str, new_text: str) -> str:
    """``generator.diff``'s report between the vendor's spec now and after the refresh."""
    old = load_spec_text(vendor_spec, old_text).api
    new = load_spec_text(vendor_spec, new_text).api
    return render_text(diff_apis(old, new), "vendor's spec now", "after refresh").rstrip("\n")
