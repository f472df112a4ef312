"""``import --refresh VENDOR``: re-read every source an operation was imported from and report what changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diff.compare import diff_apis
from generator.diff.render import render_text
from generator.importer.errors import ImportError_
from generator.importer.merge import X_IMPORTED_FROM, unified_diff
from generator.importer.run import ImportOutcome, ImportRequest, load_spec_text, resolve_recorded, run_import
from generator.importer.select import ComponentKey, Operation, component_closure, operation_hash, source_operations
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
    """Compare each imported operation with its source and import the changed ones again.

    The dry run goes through exactly the merge, validation and pruning the real run does, on the
    same options, and stops short of writing: so it fails, with the same conflicts, when the real
    run would.
    """
    config = load_config(request.specs_dir / request.vendor)
    spec_path = config.spec_path
    text_now = read_text(spec_path)
    current = parse_text(text_now, spec_path)
    by_source: dict[str, list[Operation]] = {}
    for imported in source_operations(current):
        provenance = imported.node.get(X_IMPORTED_FROM)
        if isinstance(provenance, dict) and isinstance(provenance.get("source"), str):
            by_source.setdefault(provenance["source"], []).append(imported)
    if not by_source:
        raise ImportError_(f"{spec_path}: no operation records `{X_IMPORTED_FROM}`, so there is nothing to refresh")
    outcome = RefreshOutcome()
    base_text = text_now
    for recorded, ops in by_source.items():
        location = resolve_recorded(recorded, spec_path.parent)
        source = load_source(location, request.timeout)
        tree = source.layout if source.layout is not None else source.document
        statuses, changed_keys = _compare(recorded, ops, tree, current)
        outcome.statuses.extend(statuses)
        for status in statuses:
            echo(f"{status.status:9} {status.operation_id} ({status.method.upper()} {status.path}) from {recorded}")
            if status.detail and status.status == "changed":
                echo(status.detail)
        if not changed_keys:
            continue
        sub = ImportRequest(
            vendor=request.vendor,
            source=location,
            specs_dir=request.specs_dir,
            out_dir=request.out_dir,
            only=tuple(changed_keys),
            rename_conflicts=request.rename_conflicts,
            replace=request.replace,
            replace_operations=True,
            replace_components=frozenset(owned_components(current, recorded)),
            prune=True,
            dry_run=request.dry_run,
            timeout=request.timeout,
            regenerate=request.regenerate,
            base_text=base_text if request.dry_run else None,
        )
        applied = run_import(sub, source=source)
        echo(_api_diff(spec_path, base_text, applied.text))
        outcome.used_diff_module = True
        outcome.applied.append(applied)
        base_text = applied.text
    return outcome


def _compare(
    recorded: str, ops: list[Operation], tree: Any, current: Any
) -> tuple[list[OperationStatus], list[tuple[str, str]]]:
    """Each imported operation's status against the source now, with unified diffs of what changed."""
    every = source_operations(tree)
    index = {(o.path, o.method): o for o in every}
    by_id = {str(o.node.get("operationId")): (o.path, o.method) for o in every if o.node.get("operationId")}
    statuses: list[OperationStatus] = []
    changed_keys: list[tuple[str, str]] = []
    ours = current.get("components") or {}
    shown: set[ComponentKey] = set()  # each changed component's diff once, under the first operation using it
    for imported in ops:
        path, method, op, op_id = imported.path, imported.method, imported.node, imported.operation_id
        key = (path, method) if (path, method) in index else by_id.get(op_id)
        if key is None:
            statuses.append(OperationStatus(recorded, path, method, op_id, "gone", "no longer in the source"))
            continue
        operation = index[key]
        operation.components = component_closure(tree, operation)
        operation.sha256 = operation_hash(tree, operation)
        if operation.sha256 == op[X_IMPORTED_FROM].get("sha256"):
            statuses.append(OperationStatus(recorded, path, method, op_id, "unchanged"))
            continue
        parts: list[str] = []
        old = {k: v for k, v in plain(op).items() if k != X_IMPORTED_FROM}
        if old != plain(operation.node) or key != (path, method):
            parts.append(unified_diff(old, operation.node, f"vendor's spec: {method.upper()} {path}",
                                      f"source now: {key[1].upper()} {key[0]}"))  # fmt: skip
        for section, name in operation.components:
            theirs = tree["components"][section][name]
            mine = (ours.get(section) or {}).get(name)
            if (section, name) in shown:
                if mine is None or plain(mine) != plain(theirs):
                    parts.append(f"component {section}/{name} changed (shown above)")
                continue
            shown.add((section, name))
            if mine is None:
                parts.append(f"new component {section}/{name}")
            elif plain(mine) != plain(theirs):
                parts.append(unified_diff(mine, theirs, f"vendor's spec: components/{section}/{name}",
                                          f"source now: components/{section}/{name}"))  # fmt: skip
        detail = "\n".join(parts) or "the source's hash changed (path-level fields or security)"
        statuses.append(OperationStatus(recorded, path, method, op_id, "changed", detail))
        changed_keys.append(key)
    return statuses, changed_keys


def owned_components(spec: Any, recorded: str) -> set[ComponentKey]:
    """Components only operations imported from ``recorded`` reach: refresh may replace them without asking."""
    mine: set[ComponentKey] = set()
    others: set[ComponentKey] = set()
    for operation in source_operations(spec):
        provenance = operation.node.get(X_IMPORTED_FROM)
        from_here = isinstance(provenance, dict) and provenance.get("source") == recorded
        reached = set(component_closure(spec, operation, strict=False))
        (mine if from_here else others).update(reached)
    return mine - others


def _api_diff(vendor_spec: Path, old_text: str, new_text: str) -> str:
    """``generator.diff``'s report between the vendor's spec now and after the refresh."""
    old = load_spec_text(vendor_spec, old_text).api
    new = load_spec_text(vendor_spec, new_text).api
    return render_text(diff_apis(old, new), "vendor's spec now", "after refresh").rstrip("\n")
