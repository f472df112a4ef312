"""Parameters: added, removed, moved, required, deprecated, and each parameter's schema."""

from __future__ import annotations

import re

from generator import ir
from generator.diff.checks import schemas
from generator.diff.checks.context import (
    NEW,
    DiffContext,
    Where,
    client_call,
    earlier_and_too_close,
    parse_sunset,
    too_close,
)

RULE_IDS = frozenset({
    "new-request-path-parameter", "new-required-request-parameter", "new-optional-request-parameter",
    "request-parameter-removed", "request-parameter-location-changed", "request-parameter-removed-with-deprecation",
    "request-parameter-sunset-parse", "request-parameter-removed-before-sunset", "request-parameter-sunset-deleted",
    "request-parameter-became-required", "request-parameter-became-optional", "request-parameter-deprecated",
    "request-parameter-deprecated-sunset-missing", "request-parameter-reactivated",
    "request-parameter-sunset-date-too-small", "request-parameter-sunset-date-changed-too-small",
    "api-client-method-renamed", "new-required-request-default-parameter-to-existing-path",
    "new-optional-request-default-parameter-to-existing-path",
})  # fmt: skip


def parameters(d: DiffContext, o: ir.Operation, n: ir.Operation) -> None:
    def key(p: ir.Parameter) -> tuple[str, str]:
        return (p.location, p.name.lower() if p.location == "header" else p.name)

    def keyed(op: ir.Operation) -> dict[tuple[str, str], ir.Parameter]:
        # Path parameters match by position in the template, whatever they are called.
        names = re.findall(r"\{([^}]*)\}", op.path)
        return {
            ("path", f"#{names.index(p.name)}") if p.location == "path" and p.name in names else key(p): p
            for p in op.parameters
        }

    old_params = keyed(o)
    new_params = keyed(n)
    call = client_call(n)
    # The same name in another place: reported once, as a move.
    moved = {}
    for k, p in old_params.items():
        if k in new_params or p.location == "path":
            continue
        target = next(
            (
                nk
                for nk, np_ in new_params.items()
                if nk not in old_params and np_.location != p.location and np_.name.lower() == p.name.lower()
            ),
            None,
        )
        if target is not None:
            moved[k] = target
            np_ = new_params[target]
            d.emit(
                "request-parameter-location-changed",
                n,
                f"{np_.location} parameter {np_.name}",
                f"parameter {p.name!r} moved from {p.location} to {np_.location}",
                f"{call}: argument `{np_.python_name}` (was `{p.python_name}`) is now sent as a {np_.location} "
                "parameter; clients generated before the change send it in the wrong place",
            )
    for k, target in moved.items():
        old_params.pop(k)
        new_params.pop(target)
    path_level = _path_level_parameters(d, n)
    for k, p in new_params.items():
        if k in old_params:
            continue
        label = f"{p.location} parameter {p.name}"
        if p.location != "path" and (p.location, p.name) in path_level:
            # Declared on the path item, for every operation of a path that already existed (oasdiff's own ids).
            word = "required" if p.required else "optional"
            d.emit(
                f"new-{word}-request-default-parameter-to-existing-path",
                n,
                label,
                f"new {word} {p.location} parameter {p.name!r} for every operation of {n.path}",
                f"{call} takes a new {word} argument `{p.python_name}`"
                + ("; existing calls raise TypeError" if p.required else ""),
            )
        elif p.location == "path":
            d.emit(
                "new-request-path-parameter",
                n,
                label,
                f"new path parameter {p.name!r}",
                f"{call} takes a new required argument `{p.python_name}`",
            )
        elif p.required:
            d.emit(
                "new-required-request-parameter",
                n,
                label,
                f"new required {p.location} parameter {p.name!r}",
                f"{call} takes a new required argument `{p.python_name}`; existing calls raise TypeError",
            )
        else:
            d.emit(
                "new-optional-request-parameter",
                n,
                label,
                f"new optional {p.location} parameter {p.name!r}",
                f"{call} takes a new optional argument `{p.python_name}`",
            )
    for k, p in old_params.items():
        if k in new_params:
            continue
        label = f"{p.location} parameter {p.name}"
        impact = f"{client_call(o)} loses argument `{p.python_name}`; calls passing it raise TypeError"
        message = f"{p.location} parameter {p.name!r} removed"
        sunset = parse_sunset(p.sunset) if p.sunset else None
        if not p.deprecated:
            d.emit("request-parameter-removed", n, label, message, impact)
        elif p.sunset and sunset is None:
            d.emit("request-parameter-sunset-parse", n, label, f"{message}; sunset {p.sunset!r} is no date", impact)
        elif sunset is not None and sunset > d.today:
            d.emit("request-parameter-removed-before-sunset", n, label, f"{message} before {p.sunset}", impact)
        else:
            d.emit("request-parameter-removed-with-deprecation", n, label, f"deprecated {message}", impact)
    for k, old_param in old_params.items():
        new_param = new_params.get(k)
        if new_param is not None:
            parameter(d, n, old_param, new_param)


def _path_level_parameters(d: DiffContext, op: ir.Operation) -> set[tuple[str, str]]:
    """(in, name) of the parameters the new document declares on the operation's path item."""
    paths = d.documents[NEW].get("paths")
    item = d.follow(paths.get(op.path), NEW) if isinstance(paths, dict) else None
    params = item.get("parameters") if isinstance(item, dict) else None
    found = set()
    for param in params if isinstance(params, list) else ():
        resolved = d.follow(param, NEW)
        if isinstance(resolved, dict):
            found.add((str(resolved.get("in")), str(resolved.get("name"))))
    return found


def parameter(d: DiffContext, op: ir.Operation, o: ir.Parameter, n: ir.Parameter) -> None:
    label = f"{n.location} parameter {n.name}"
    arg = f"argument `{n.python_name}` of {client_call(op)}"
    if o.python_name != n.python_name:
        d.emit(
            "api-client-method-renamed",
            op,
            label,
            f"parameter {o.name!r} renamed to {n.name!r}",
            f"{client_call(op)}: keyword argument `{o.python_name}` is now `{n.python_name}`",
        )
    if not o.required and n.required:
        d.emit(
            "request-parameter-became-required",
            op,
            label,
            f"{label} became required",
            f"{arg} is now required; calls without it raise TypeError",
        )
    elif o.required and not n.required:
        d.emit("request-parameter-became-optional", op, label, f"{label} became optional", f"{arg} is optional")
    if not o.deprecated and n.deprecated and n.sunset is None and d.notice_days(op):
        d.emit(
            "request-parameter-deprecated-sunset-missing",
            op,
            label,
            f"{label} deprecated without a sunset date",
            f"{arg} is deprecated with no removal date",
        )
    elif not o.deprecated and n.deprecated:
        d.emit("request-parameter-deprecated", op, label, f"{label} deprecated", f"{arg} is deprecated")
        if too_close(d, op, n.sunset):
            d.emit(
                "request-parameter-sunset-date-too-small",
                op,
                label,
                f"sunset {n.sunset} gives less than the {d.notice_days(op)} days notice the policy asks",
                f"{arg} goes away on {n.sunset}",
            )
    elif o.deprecated and not n.deprecated:
        d.emit("request-parameter-reactivated", op, label, f"{label} no longer deprecated", f"{arg} supported")
    elif o.deprecated and n.deprecated and o.sunset != n.sunset:
        if n.sunset is None:
            d.emit("request-parameter-sunset-deleted", op, label, f"sunset {o.sunset} removed", f"{arg}: no date")
        elif parse_sunset(n.sunset) is None or (o.sunset is not None and parse_sunset(o.sunset) is None):
            d.emit(
                "request-parameter-sunset-parse",
                op,
                label,
                f"sunset changed from {o.sunset!r} to {n.sunset!r}, which does not parse as a date",
                f"{arg}: removal date unknown",
            )
        elif earlier_and_too_close(d, op, o.sunset, n.sunset):
            d.emit(
                "request-parameter-sunset-date-changed-too-small",
                op,
                label,
                f"sunset moved from {o.sunset} to {n.sunset}, less than the {d.notice_days(op)} days notice",
                f"{arg} goes away sooner, on {n.sunset}",
            )
    where = Where(op, "parameter", label, param=n)
    schemas.schema(d, o.schema, n.schema, where, frozenset())


# ---------------------------------------------------------------- bodies
