"""Compare two intermediate models (``ir.Api``) and report findings with oasdiff's rule ids.

The checks live in ``generator/diff/checks/``, one module per rule family as in oasdiff's
``checker/``; this module walks both APIs and hands each matched pair to the families.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator import ir
from generator.diff.checks import lifecycle, parameters, request_body, responses, security
from generator.diff.checks.context import DiffContext, path_key
from generator.diff.implemented import IMPLEMENTED, NO_RULE
from generator.diff.model import Finding

if TYPE_CHECKING:
    from generator.diff.inputs import Side


def diff_apis(
    old: ir.Api,
    new: ir.Api,
    *,
    old_file: str = "",
    new_file: str = "",
    deprecation_days: tuple[int, int] | None = None,
    min_stability: str = "draft",
    invented_ids: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
) -> list[Finding]:
    """Every finding between two APIs, grouped by operation, most severe first."""
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
    )
    security.api_security(d, old, new)
    lifecycle.servers(d, old, new)
    old_ops = {(o.method, path_key(o.path)): o for o in old.operations}
    new_ops = {(o.method, path_key(o.path)): o for o in new.operations}
    new_paths = {path_key(o.path) for o in new.operations}
    for key, op in old_ops.items():
        if key not in new_ops:
            lifecycle.operation_removed(d, op, path_gone=key[1] not in new_paths)
    for key, op in new_ops.items():
        if key not in old_ops:
            lifecycle.endpoint_added(d, op)
        elif d.stability_rank(old_ops[key]) >= d.min_stability:
            o = old_ops[key]
            lifecycle.operation(d, o, op)
            security.operation_security(d, o, op)
            parameters.parameters(d, o, op)
            request_body.request_body(d, o, op)
            responses.responses(d, o, op)
    return sorted(d.findings, key=lambda f: f.sort_key)


def diff_sides(
    old: Side, new: Side, *, deprecation_days: tuple[int, int] | None = None, min_stability: str = "draft"
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
    )
