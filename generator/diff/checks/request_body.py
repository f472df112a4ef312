"""Request bodies: added, removed, required, media types, and the body schema."""

from __future__ import annotations

from generator import ir
from generator.diff.checks import schemas
from generator.diff.checks.context import DiffContext, Where, client_call

RULE_IDS = frozenset({
    "request-body-added-required", "request-body-added-optional", "request-body-removed",
    "request-body-became-required", "request-body-became-optional", "request-body-media-type-added",
    "request-body-media-type-removed",
})  # fmt: skip


def _fields(op: ir.Operation) -> bool:
    """Whether the client takes the body's fields as arguments (an object body), with ``body=`` an optional model."""
    return bool(op.body_arguments)


def request_body(d: DiffContext, o: ir.Operation, n: ir.Operation) -> None:
    call = client_call(n)
    ob, nb = o.request_body, n.request_body
    if ob is None and nb is None:
        return
    if ob is None and nb is not None:
        rule = "request-body-added-required" if nb.required else "request-body-added-optional"
        req = "required" if nb.required else "optional"
        impact = (
            f"{call} takes the body's fields as keyword arguments (or the whole body as an optional `body` model)"
            if _fields(n)
            else f"{call} takes {'a required' if nb.required else 'an optional'} `body` argument"
        )
        d.emit(rule, n, "request body", f"{req} request body added", impact)
        return
    if nb is None and ob is not None:
        d.emit(
            "request-body-removed",
            n,
            "request body",
            "request body removed",
            f"{call} no longer takes `body`; calls passing it raise TypeError",
        )
        return
    assert ob is not None and nb is not None
    # A body taken as fields is sent whether or not the spec requires it (``{}`` when no field is given).
    unchanged = f"{call}: no change to the client, which sends the body's fields as given (`{{}}` when none)"
    if not ob.required and nb.required:
        d.emit(
            "request-body-became-required",
            n,
            "request body",
            "request body became required",
            unchanged if _fields(o) and _fields(n) else f"{call}: `body` is now a required argument",
        )
    elif ob.required and not nb.required:
        d.emit(
            "request-body-became-optional",
            n,
            "request body",
            "request body became optional",
            unchanged if _fields(o) and _fields(n) else f"{call}: `body` is now optional",
        )
    old_media = {m.content_type: m for m in ob.content}
    new_media = {m.content_type: m for m in nb.content}
    for ct in sorted(new_media.keys() - old_media.keys()):
        d.emit(
            "request-body-media-type-added",
            n,
            f"request body ({ct})",
            f"media type {ct} added",
            f"{call}: new accepted content type",
        )
    for ct in sorted(old_media.keys() - new_media.keys()):
        sent = ob.preferred is not None and ob.preferred.content_type == ct
        d.emit(
            "request-body-media-type-removed",
            n,
            f"request body ({ct})",
            f"media type {ct} removed",
            f"{call}: " + ("the content type it sends is no longer accepted" if sent else "content type dropped"),
        )
    for ct in sorted(old_media.keys() & new_media.keys()):
        om, nm = old_media[ct].schema, new_media[ct].schema
        if om is not None and nm is not None:
            schemas.schema(d, om, nm, Where(n, "request", "request body"), frozenset())
