"""Responses: status codes, media types, headers, and each response body's schema."""

from __future__ import annotations

from typing import Any

from generator import ir
from generator.diff.checks import schemas
from generator.diff.checks.context import NEW, OLD, DiffContext, Where, client_call
from generator.ir.status_errors import exception_name

RULE_IDS = frozenset({
    "response-success-status-added", "response-non-success-status-added", "response-success-status-removed",
    "response-non-success-status-removed", "response-media-type-added", "response-media-type-name-changed",
    "response-media-type-name-specialized", "response-media-type-name-generalized", "response-media-type-removed",
    "response-header-added", "optional-response-header-removed", "required-response-header-removed",
    "response-header-became-optional", "response-header-became-nullable", "response-header-became-not-nullable",
    "response-header-type-changed", "response-header-type-generalized", "response-header-type-specialized",
    "response-header-type-compatible",
})  # fmt: skip


def responses(d: DiffContext, o: ir.Operation, n: ir.Operation) -> None:
    call = client_call(n)
    old_resp = {r.status: r for r in o.responses}
    new_resp = {r.status: r for r in n.responses}
    for status in sorted(new_resp.keys() - old_resp.keys()):
        if status.startswith("2"):
            d.emit(
                "response-success-status-added",
                n,
                f"response {status}",
                f"success status {status} added",
                f"{call} may return a {status} response",
            )
        else:
            d.emit(
                "response-non-success-status-added",
                n,
                f"response {status}",
                f"non-success status {status} added",
                f"{call} may raise {exception_name(status)} for status {status}",
            )
    for status in sorted(old_resp.keys() - new_resp.keys()):
        if status.startswith("2"):
            d.emit(
                "response-success-status-removed",
                n,
                f"response {status}",
                f"success status {status} removed",
                f"{call} no longer returns the {status} response model; code reading it breaks",
            )
        else:
            d.emit(
                "response-non-success-status-removed",
                n,
                f"response {status}",
                f"non-success status {status} removed",
                f"{call} no longer documents {exception_name(status)} for {status}",
            )
    for status in sorted(old_resp.keys() & new_resp.keys()):
        ro, rn = old_resp[status], new_resp[status]
        label = f"response {status}"
        old_media = {m.content_type: m for m in ro.content}
        new_media = {m.content_type: m for m in rn.content}
        renamed = media_type_renames(sorted(old_media.keys() - new_media.keys()), new_media.keys() - old_media.keys())
        for old_ct, (new_ct, rule) in renamed.items():
            d.emit(
                rule,
                n,
                f"{label} ({new_ct})",
                f"media type {old_ct} renamed to {new_ct} in {label}",
                f"{call}: still parsed as {'JSON' if 'json' in new_ct else 'raw'}; no code change",
            )
            old_media[new_ct] = old_media.pop(old_ct)
        for ct in sorted(new_media.keys() - old_media.keys()):
            d.emit(
                "response-media-type-added",
                n,
                f"{label} ({ct})",
                f"media type {ct} added to {label}",
                f"{call}: {ct} responses parsed as {('JSON' if 'json' in ct else 'raw')}",
            )
        for ct in sorted(old_media.keys() - new_media.keys()):
            # The client parses the first media type only: dropping another one changes nothing in it.
            parsed = ro.preferred.content_type if ro.preferred is not None else ""
            now = rn.preferred.content_type if rn.preferred is not None else "no body"
            d.emit(
                "response-media-type-removed",
                n,
                f"{label} ({ct})",
                f"media type {ct} removed from {label}",
                f"{call}: {status} responses are now read as {now} (were {ct})"
                if parsed == ct
                else f"{call}: no change to the client, which reads {status} responses as {parsed}",
            )
        for h in sorted(set(rn.headers) - set(ro.headers)):
            d.emit("response-header-added", n, f"{label} header {h}", f"header {h} added", f"{call}: none")
        old_headers, new_headers = _raw_headers(d, o, status, OLD), _raw_headers(d, n, status, NEW)
        for h in sorted(set(ro.headers) - set(rn.headers)):
            required = old_headers.get(h, {}).get("required") is True
            d.emit(
                "required-response-header-removed" if required else "optional-response-header-removed",
                n,
                f"{label} header {h}",
                f"{'required ' if required else ''}header {h} removed from {label}",
                f"{call}: code reading header {h} finds it missing",
            )
        for h in sorted(set(ro.headers) & set(rn.headers)):
            header_changes(d, n, f"{label} header {h}", old_headers.get(h, {}), new_headers.get(h, {}))
        for ct in sorted(old_media.keys() & new_media.keys()):
            om, nm = old_media[ct].schema, new_media[ct].schema
            if om is not None and nm is not None:
                schemas.schema(d, om, nm, Where(n, "response", label, status=status, media=ct), frozenset())


def _raw_headers(d: DiffContext, op: ir.Operation, status: str, side: int) -> dict[str, dict[str, Any]]:
    """The response's headers as the document writes them ($refs followed), by name."""
    raw_op = d.raw_operation(op, side)
    responses = raw_op.get("responses") if raw_op is not None else None
    if not isinstance(responses, dict):
        return {}
    response = d.follow(next((v for k, v in responses.items() if str(k) == status), None), side)
    if not isinstance(response, dict):
        return {}
    # A response declared once (components/responses) serves many operations: its headers are resolved once.
    cache = d.raw_headers[side]
    known = cache.get(id(response))
    if known is None or known[0] is not response:
        known = cache[id(response)] = (response, _headers_of(d, response, side))
    return known[1]


def _headers_of(d: DiffContext, response: dict[str, Any], side: int) -> dict[str, dict[str, Any]]:
    """A response's headers ($refs followed, and their schemas'), by name."""
    headers = response.get("headers")
    if not isinstance(headers, dict):
        return {}
    result = {}
    for name, header in headers.items():
        resolved = d.follow(header, side)
        if isinstance(resolved, dict):
            resolved = {**resolved, "schema": d.follow(resolved.get("schema"), side)}
            result[str(name)] = resolved
    return result


def header_changes(d: DiffContext, op: ir.Operation, where: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    """A response header on both sides: required, nullable, type."""
    call = client_call(op)
    if old.get("required") is True and new.get("required") is not True:
        d.emit("response-header-became-optional", op, where, f"{where}: became optional", f"{call}: may be absent")
    os_, ns = old.get("schema"), new.get("schema")
    if not isinstance(os_, dict) or not isinstance(ns, dict):
        return
    o_null, n_null = _nullable(os_), _nullable(ns)
    if o_null != n_null:
        rule = "response-header-became-nullable" if n_null else "response-header-became-not-nullable"
        d.emit(rule, op, where, f"{where}: became {'' if n_null else 'not '}nullable", f"{call}: header value")
    to, tn = _type(os_), _type(ns)
    if to and tn and to != tn:
        if (to, tn) == ("integer", "number"):
            rule = "response-header-type-generalized"
        elif (to, tn) == ("number", "integer"):
            rule = "response-header-type-specialized"
        elif "string" in (to, tn):
            rule = "response-header-type-compatible"  # a header is text on the wire either way
        else:
            rule = "response-header-type-changed"
        d.emit(rule, op, where, f"{where}: type changed from {to!r} to {tn!r}", f"{call}: headers are read as text")


def _type(schema: dict[str, Any]) -> str:
    declared = schema.get("type")
    if isinstance(declared, list):
        return "/".join(sorted(str(t) for t in declared if t != "null"))
    return str(declared) if isinstance(declared, str) else ""


def _nullable(schema: dict[str, Any]) -> bool:
    declared = schema.get("type")
    return schema.get("nullable") is True or (isinstance(declared, list) and "null" in declared)


def media_type_renames(removed: list[str], added: set[str]) -> dict[str, tuple[str, str]]:
    """Removed media types that reappear under a related name: old → (new, rule id)."""

    def split(ct: str) -> tuple[str, str, str]:
        base, _, params = ct.partition(";")
        kind, _, sub = base.strip().lower().partition("/")
        return kind, sub, params.strip()

    result: dict[str, tuple[str, str]] = {}
    for old_ct in removed:
        ok, osub, _ = split(old_ct)
        for new_ct in sorted(added - {v[0] for v in result.values()}):
            nk, nsub, _ = split(new_ct)
            if ok != nk:
                continue
            if osub == nsub:
                result[old_ct] = (new_ct, "response-media-type-name-changed")
            elif nsub.endswith("+" + osub):
                result[old_ct] = (new_ct, "response-media-type-name-specialized")
            elif osub.endswith("+" + nsub):
                result[old_ct] = (new_ct, "response-media-type-name-generalized")
            else:
                continue
            break
    return result


# ---------------------------------------------------------------- schemas
