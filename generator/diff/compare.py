"""Compare two intermediate models (``ir.Api``) and report findings with oasdiff's rule ids.

The checks live in ``generator/diff/checks/``, one module per rule family as in oasdiff's
``checker/``; this module walks both APIs and hands each matched pair to the families.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

from generator import ir
from generator.diff.checks import keywords, lifecycle, parameters, request_body, responses, security
from generator.diff.checks.context import DiffContext, path_key
from generator.diff.gc_pause import gc_paused
from generator.diff.implemented import IMPLEMENTED, NO_RULE
from generator.diff.model import Finding

if TYPE_CHECKING:
    from generator.diff.inputs import Side


@gc_paused()
def diff_apis(
    old: ir.Api,
    new: ir.Api,
    *,
    old_file: str = "",
    new_file: str = "",
    deprecation_days: tuple[int, int] | None = None,
    min_stability: str = "draft",
    invented_ids: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
    documents: tuple[dict[str, Any], dict[str, Any]] | None = None,
    attributes: tuple[str, ...] = (),
    paths: frozenset[str] | None = None,
    api_wide: bool = True,
    component_schemas: tuple[frozenset[str], frozenset[str]] | None = None,
) -> list[Finding]:
    """Every finding between two APIs, grouped by operation, most severe first.

    ``paths`` (as ``path_key`` spells them) limits the comparison to those paths; ``api_wide=False``
    leaves out servers, global security and webhooks (composed mode compares those per file pair).
    """
    d = DiffContext(
        old,
        new,
        old_file=old_file,
        new_file=new_file,
        deprecation_days=deprecation_days,
        min_stability=min_stability,
        declared=IMPLEMENTED,
        no_rule=NO_RULE,
        invented_ids=invented_ids,
        documents=documents or ({}, {}),
        component_schemas=component_schemas or (frozenset(), frozenset()),
    )
    if api_wide:
        security.api_security(d, old, new)
        lifecycle.servers(d, old, new)
        if documents is not None:
            security.api_security_scopes(d)
            if component_schemas is not None:
                lifecycle.schemas_removed(d)
        lifecycle.webhooks(d, old, new)
    old_ops = {(o.method, path_key(o.path)): o for o in old.operations if paths is None or path_key(o.path) in paths}
    new_ops = {(o.method, path_key(o.path)): o for o in new.operations if paths is None or path_key(o.path) in paths}
    new_paths = {path_key(o.path) for o in new.operations}
    for key, op in old_ops.items():
        if key not in new_ops and not lifecycle.is_webhook(op):
            lifecycle.operation_removed(d, op, path_gone=key[1] not in new_paths)
    for key, op in new_ops.items():
        if key not in old_ops:
            if not lifecycle.is_webhook(op):
                lifecycle.endpoint_added(d, op)
        elif d.stability_rank(old_ops[key]) >= d.min_stability:
            o = old_ops[key]
            lifecycle.operation(d, o, op)
            security.operation_security(d, o, op)
            parameters.parameters(d, o, op)
            request_body.request_body(d, o, op)
            responses.responses(d, o, op)
            if documents is not None:
                keywords.operation_keywords(d, o, op)
                security.operation_security_scopes(d, o, op)
    findings = d.findings
    if attributes and documents is not None:
        findings = [_with_attributes(f, documents, attributes) for f in findings]
    return sorted(findings, key=lambda f: f.sort_key)


def _with_attributes(
    finding: Finding, documents: tuple[dict[str, Any], dict[str, Any]], names: tuple[str, ...]
) -> Finding:
    """The finding with the values its operation gives the extensions ``names`` (the new side's, else the old's)."""
    method, _, path = finding.operation.partition(" ")
    for doc in (documents[1], documents[0]):
        paths = doc.get("paths")
        item = paths.get(path) if isinstance(paths, dict) else None
        op = item.get(method.lower()) if isinstance(item, dict) else None
        if isinstance(op, dict):
            values = tuple(
                (n, json.dumps(op[n], default=str) if not isinstance(op[n], str) else op[n]) for n in names if n in op
            )
            return dataclasses.replace(finding, attributes=values)
    return finding


def diff_sides(
    old: Side,
    new: Side,
    *,
    deprecation_days: tuple[int, int] | None = None,
    min_stability: str = "draft",
    attributes: tuple[str, ...] = (),
    paths: frozenset[str] | None = None,
    api_wide: bool = True,
) -> list[Finding]:
    """Every finding between two loaded sides (see ``generator.diff.inputs.load_side``)."""
    return diff_apis(
        old.api,
        new.api,
        old_file=old.file,
        new_file=new.file,
        deprecation_days=deprecation_days,
        min_stability=min_stability,
        invented_ids=(old.invented_ids, new.invented_ids),
        documents=(old.data, new.data),
        attributes=attributes,
        paths=paths,
        api_wide=api_wide,
        component_schemas=(old.component_schemas, new.component_schemas),
    )


def diff_composed(
    olds: list[Side],
    news: list[Side],
    *,
    deprecation_days: tuple[int, int] | None = None,
    min_stability: str = "draft",
    attributes: tuple[str, ...] = (),
) -> list[Finding]:
    """Composed mode: collections of specs matched by path, whichever file holds each path.

    A path is compared between the old file and the new file that hold it (the first file in
    name order, when several do); API-wide elements (servers, global security) are not compared.
    """

    def holders(sides: list[Side]) -> dict[str, int]:
        found: dict[str, int] = {}
        for index, side in enumerate(sides):
            for op in side.api.operations:
                found.setdefault(path_key(op.path), index)
        return found

    old_at, new_at = holders(olds), holders(news)
    pairs: dict[tuple[int | None, int | None], set[str]] = {}
    for key in old_at.keys() | new_at.keys():
        pairs.setdefault((old_at.get(key), new_at.get(key)), set()).add(key)
    findings: list[Finding] = []
    for (o, n), keys in sorted(pairs.items(), key=lambda kv: (kv[0][0] or -1, kv[0][1] or -1)):
        old_side = olds[o] if o is not None else _empty(news[n] if n is not None else olds[0])
        new_side = news[n] if n is not None else _empty(olds[o] if o is not None else news[0])
        findings += diff_sides(
            old_side,
            new_side,
            deprecation_days=deprecation_days,
            min_stability=min_stability,
            attributes=attributes,
            paths=frozenset(keys),
            api_wide=False,
        )
    return sorted(findings, key=lambda f: f.sort_key)


def _empty(side: Side) -> Side:
    """A side with no operations: what the other collection has for a path only one of them holds."""
    return dataclasses.replace(side, api=dataclasses.replace(side.api, operations=()), data={}, notes=[])
