"""The API and its operations' lifecycle: endpoints, servers, operation ids, client methods, tags, deprecation."""

from __future__ import annotations

from generator import ir
from generator.diff.checks.context import (
    NEW,
    OLD,
    STABILITY_LEVELS,
    WEBHOOK_PATH_PREFIX,
    DiffContext,
    client_call,
    earlier_and_too_close,
    parse_sunset,
)

RULE_IDS = frozenset({
    "api-server-added", "api-server-removed", "api-server-variable-enum-value-removed", "endpoint-added",
    "api-path-removed-without-deprecation", "api-path-removed-before-sunset", "api-path-removed-with-deprecation",
    "api-removed-without-deprecation", "api-removed-before-sunset", "api-removed-with-deprecation",
    "api-path-sunset-parse", "api-invalid-stability-level", "api-stability-decreased", "api-stability-increased",
    "endpoint-deprecated", "api-deprecated-sunset-missing", "api-sunset-date-too-small",
    "endpoint-deprecated-with-sunset", "endpoint-reactivated", "api-deprecated-sunset-parse", "sunset-deleted",
    "api-operation-id-added", "api-operation-id-removed", "api-client-method-renamed", "api-client-method-moved",
    "api-tag-added", "api-tag-removed", "webhook-added", "webhook-removed", "api-sunset-date-changed-too-small",
    "api-schema-removed",
})  # fmt: skip


def servers(d: DiffContext, old: ir.Api, new: ir.Api) -> None:
    """Servers added, removed, or losing allowed variable values."""
    old_servers = {s.url: s for s in old.servers}
    new_servers = {s.url: s for s in new.servers}
    for url in sorted(new_servers.keys() - old_servers.keys()):
        d.emit("api-server-added", None, "servers", f"server {url} added", "new possible base_url")
    for url in sorted(old_servers.keys() - new_servers.keys()):
        default = " (it was the default base URL)" if old.servers and old.servers[0].url == url else ""
        d.emit(
            "api-server-removed",
            None,
            "servers",
            f"server {url} removed{default}",
            "clients built with this base_url or without one (when it was the default) call a retired host",
        )
    for url in sorted(old_servers.keys() & new_servers.keys()):
        o_vars = {v.name: v for v in old_servers[url].variables}
        for v in new_servers[url].variables:
            gone = set(o_vars[v.name].enum) - set(v.enum) if v.name in o_vars and v.enum else set()
            if gone:
                d.emit(
                    "api-server-variable-enum-value-removed",
                    None,
                    f"servers {url} variable {v.name}",
                    f"server variable {v.name} no longer allows {sorted(gone)}",
                    f"clients passing {sorted(gone)} for {v.name} reach an undefined host",
                )


# ---------------------------------------------------------------- operations


def operation_removed(d: DiffContext, op: ir.Operation, *, path_gone: bool) -> None:
    """An operation gone from the new spec, judged by its deprecation and sunset."""
    if op.stability in ("draft", "alpha"):
        return  # oasdiff's policy: draft and alpha operations may go without notice
    kind = "api-path-removed" if path_gone else "api-removed"
    impact = f"method {client_call(op)} disappears; calls raise AttributeError"
    if not op.deprecated:
        d.emit(f"{kind}-without-deprecation", op, "", f"{op.key} removed without deprecation", impact)
        return
    sunset = parse_sunset(op.sunset) if op.sunset else None
    if op.sunset and sunset is None:
        d.emit("api-path-sunset-parse", op, "x-sunset", f"{op.key} removed; sunset {op.sunset!r} is no date", impact)
    elif sunset is not None and sunset > d.today:
        d.emit(f"{kind}-before-sunset", op, "", f"{op.key} removed before its sunset {op.sunset}", impact)
    else:
        d.emit(f"{kind}-with-deprecation", op, "", f"deprecated {op.key} removed", impact)


def operation(d: DiffContext, o: ir.Operation, n: ir.Operation) -> None:
    """Lifecycle, operation id, client method and tags of an operation present on both sides."""
    call = client_call(n)
    lifecycle(d, o, n)
    moved = (o.group_path, o.python_name) != (n.group_path, n.python_name)
    method_rule = "api-client-method-renamed" if o.group_path == n.group_path else "api-client-method-moved"
    # The rename itself is reported once, as the client method's; the operationId finding says what the spec did.
    follows = f"the client method changes with it (see {method_rule})" if moved else "the client method keeps its name"
    o_invented, n_invented = o.key in d.invented[OLD], n.key in d.invented[NEW]
    if o_invented and not n_invented:
        d.emit("api-operation-id-added", n, "operationId", f"operationId {n.operation_id!r} added", follows)
    elif n_invented and not o_invented:
        d.emit("api-operation-id-removed", n, "operationId", f"operationId {o.operation_id!r} removed", follows)
    elif not o_invented and o.operation_id != n.operation_id:
        d.emit(
            "api-operation-id-removed",
            n,
            "operationId",
            f"operationId changed from {o.operation_id!r} to {n.operation_id!r}",
            follows,
        )
    if moved:
        d.emit(
            method_rule,
            n,
            "operationId/tags",
            f"client method changed from {client_call(o)} to {call}",
            f"calls to {client_call(o)} raise AttributeError; use {call}",
        )
    # Tags group methods in the client: when they move it, the tag finding says so rather than "documentation only".
    tag_impact = (
        f"{call}: the method moves (see api-client-method-moved)"
        if o.group_path != n.group_path
        else f"{call}: documentation grouping only; the client method stays where it is"
    )
    for tag in sorted(set(n.tags) - set(o.tags)):
        d.emit("api-tag-added", n, "tags", f"tag {tag!r} added", tag_impact)
    for tag in sorted(set(o.tags) - set(n.tags)):
        d.emit("api-tag-removed", n, "tags", f"tag {tag!r} removed", tag_impact)


def lifecycle(d: DiffContext, o: ir.Operation, n: ir.Operation) -> None:
    """Stability level, deprecation and sunset changes of one operation."""
    call = client_call(n)
    invalid = [v for v in (o.stability, n.stability) if v is not None and v not in STABILITY_LEVELS]
    if invalid:
        d.emit(
            "api-invalid-stability-level",
            n,
            "x-stability-level",
            f"x-stability-level {invalid[0]!r} is not one of {', '.join(STABILITY_LEVELS)}",
            f"{call}: stability unknown",
        )
        return  # as oasdiff: nothing more is said about an operation of unknown stability
    if o.stability != n.stability:
        old_rank = STABILITY_LEVELS.index(o.stability or "stable")
        new_rank = STABILITY_LEVELS.index(n.stability or "stable")
        if new_rank != old_rank:
            word = "decreased" if new_rank < old_rank else "increased"
            d.emit(
                f"api-stability-{word}",
                n,
                "x-stability-level",
                f"stability {word} from {o.stability or 'stable'} to {n.stability or 'stable'}",
                f"{call} is now {n.stability or 'stable'}",
            )
    days = d.notice_days(n)
    if not o.deprecated and n.deprecated:
        sunset = parse_sunset(n.sunset) if n.sunset else None
        if n.sunset is None and days:
            d.emit(
                "api-deprecated-sunset-missing",
                n,
                "x-sunset",
                f"{n.key} deprecated without a sunset date (policy: {days} days notice)",
                f"{call} is deprecated with no removal date",
            )
        elif n.sunset is None:
            d.emit("endpoint-deprecated", n, "deprecated", f"{n.key} deprecated", f"{call} is deprecated")
        elif sunset is not None and days and (sunset - d.today).days < days:
            d.emit(
                "api-sunset-date-too-small",
                n,
                "x-sunset",
                f"sunset {n.sunset} gives less than the {days} days notice the policy asks",
                f"{call} is deprecated and goes away on {n.sunset}",
            )
        elif sunset is None:
            d.emit(
                "api-deprecated-sunset-parse",
                n,
                "x-sunset",
                f"{n.key} deprecated with unparseable sunset {n.sunset!r}",
                f"{call} is deprecated",
            )
        else:
            d.emit(
                "endpoint-deprecated-with-sunset",
                n,
                "deprecated",
                f"{n.key} deprecated, sunset {n.sunset}",
                f"{call} is deprecated and goes away after {n.sunset}",
            )
    elif o.deprecated and not n.deprecated:
        d.emit("endpoint-reactivated", n, "deprecated", f"{n.key} no longer deprecated", f"{call} is supported")
    elif o.deprecated and n.deprecated and o.sunset != n.sunset:
        if n.sunset is None:
            d.emit("sunset-deleted", n, "x-sunset", f"sunset {o.sunset} removed", f"{call}: no removal date")
        elif parse_sunset(n.sunset) is None or (o.sunset is not None and parse_sunset(o.sunset) is None):
            d.emit(
                "api-path-sunset-parse",
                n,
                "x-sunset",
                f"sunset changed from {o.sunset!r} to {n.sunset!r}, which does not parse as a date",
                f"{call}: removal date unknown",
            )
        elif earlier_and_too_close(d, n, o.sunset, n.sunset):
            d.emit(
                "api-sunset-date-changed-too-small",
                n,
                "x-sunset",
                f"sunset moved from {o.sunset} to {n.sunset}, less than the {d.notice_days(n)} days notice",
                f"{call} goes away sooner, on {n.sunset}",
            )


# ---------------------------------------------------------------- parameters


def endpoint_added(d: DiffContext, op: ir.Operation) -> None:
    """An operation only the new spec has."""
    d.emit("endpoint-added", op, "", f"endpoint {op.key} added", f"new method {client_call(op)}")


def webhooks(d: DiffContext, old: ir.Api, new: ir.Api) -> None:
    """Webhooks only one side has (the generated client does not serve webhooks: information only)."""
    old_names = {o.path.removeprefix(WEBHOOK_PATH_PREFIX) for o in old.operations if is_webhook(o)}
    new_names = {o.path.removeprefix(WEBHOOK_PATH_PREFIX) for o in new.operations if is_webhook(o)}
    impact = "none: the generated client does not receive webhooks"
    for name in sorted(new_names - old_names):
        d.emit("webhook-added", None, f"webhooks/{name}", f"webhook {name!r} added", impact)
    for name in sorted(old_names - new_names):
        d.emit("webhook-removed", None, f"webhooks/{name}", f"webhook {name!r} removed", impact)


def is_webhook(op: ir.Operation) -> bool:
    """Whether the operation is a webhook's (modelled at a ``webhook:<name>`` path)."""
    return op.path.startswith(WEBHOOK_PATH_PREFIX)


def schemas_removed(d: DiffContext) -> None:
    """Component schemas only the old document has (as the documents name them)."""
    # The names the files declare: schemas the normalizer hoisted out of inline ones are not the author's.
    names = d.component_schemas
    for name in sorted(names[OLD] - names[NEW]):
        d.emit(
            "api-schema-removed",
            None,
            f"components/schemas/{name}",
            f"schema {name!r} removed",
            "its model class disappears from the generated package if nothing else uses it",
        )
