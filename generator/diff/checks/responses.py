"""Responses: status codes, media types, headers, and each response body's schema."""

from __future__ import annotations

from generator import ir
from generator.diff.checks import schemas
from generator.diff.checks.context import DiffContext, Where, client_call
from generator.ir.status_errors import exception_name

RULE_IDS = frozenset({
    "response-success-status-added", "response-non-success-status-added", "response-success-status-removed",
    "response-non-success-status-removed", "response-media-type-added", "response-media-type-name-changed",
    "response-media-type-name-specialized", "response-media-type-name-generalized", "response-media-type-removed",
    "response-header-added", "optional-response-header-removed",
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
            d.emit(
                "response-media-type-removed",
                n,
                f"{label} ({ct})",
                f"media type {ct} removed from {label}",
                f"{call}: the return type for {status} changes",
            )
        for h in sorted(set(rn.headers) - set(ro.headers)):
            d.emit("response-header-added", n, f"{label} header {h}", f"header {h} added", f"{call}: none")
        for h in sorted(set(ro.headers) - set(rn.headers)):
            d.emit(
                "optional-response-header-removed",
                n,
                f"{label} header {h}",
                f"header {h} removed from {label}",
                f"{call}: code reading header {h} finds it missing",
            )
        for ct in sorted(old_media.keys() & new_media.keys()):
            om, nm = old_media[ct].schema, new_media[ct].schema
            if om is not None and nm is not None:
                schemas.schema(d, om, nm, Where(n, "response", label, status=status, media=ct), frozenset())


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
