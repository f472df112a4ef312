"""JSON Schema keywords the intermediate model does not keep, read from the normalized documents.

The codegen model folds or drops what the client does not need: ``contains``, ``prefixItems``,
``unevaluated*``, ``dependentRequired``/``dependentSchemas``, ``patternProperties``,
``propertyNames``, ``if``/``then``/``else``, ``content*`` and lists of types. This family walks
the request and response schemas of the documents themselves, in step on both sides, and
reports changes to those keywords only (everything else is the other families' business).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any

from generator import ir
from generator.diff.checks.context import (
    NEW,
    NO_DEPTH,
    OLD,
    SCHEMA_PREFIXES,
    SUBJECT,
    DiffContext,
    Emit,
    Where,
    combinations,
    family,
)
from generator.naming import snake_name

SUFFIXES = (
    "contains-added", "contains-removed", "min-contains-increased", "min-contains-decreased",
    "max-contains-increased", "max-contains-decreased", "prefix-items-added", "prefix-items-removed",
    "unevaluated-items-added", "unevaluated-items-removed", "unevaluated-properties-added",
    "unevaluated-properties-removed", "dependent-required-added", "dependent-required-removed",
    "dependent-required-changed", "dependent-schema-added", "dependent-schema-removed", "pattern-property-added",
    "pattern-property-removed", "property-names-added", "property-names-removed", "if-added", "if-removed",
    "then-added", "then-removed", "else-added", "else-removed", "content-schema-added", "content-schema-removed",
    "content-media-type-changed", "content-encoding-changed", "list-of-types-widened", "list-of-types-narrowed",
    "property-names-enum-value-added", "property-names-enum-value-removed", "all-of-added-annotation-only",
    "all-of-removed-annotation-only", "discriminator-added", "discriminator-removed",
    "discriminator-property-name-changed", "discriminator-mapping-added", "discriminator-mapping-deleted",
    "discriminator-mapping-changed", "const-added", "const-removed", "stability-decreased", "stability-increased",
    "x-extensible-enum-value-removed", "media-type-schema-added", "media-type-schema-removed",
)  # fmt: skip
_STABILITY = ("draft", "alpha", "beta", "stable")
# Property changes where the intermediate model does not see properties (see ``_ir_blind``).
PROPERTY_IDS = frozenset({
    "new-required-request-property", "new-optional-request-property", "request-property-removed",
    "request-property-became-required", "request-property-became-optional", "response-required-property-added",
    "response-optional-property-added", "response-required-property-removed", "response-optional-property-removed",
    "response-property-became-required", "response-property-became-optional",
})  # fmt: skip
RULE_IDS = family(SCHEMA_PREFIXES, SUFFIXES) | PROPERTY_IDS
NO_RULE = combinations(SCHEMA_PREFIXES, SUFFIXES) - RULE_IDS

# Keywords whose presence is reported as "<name>-added"/"-removed", and what it means for the client.
_PRESENCE = {
    "contains": ("contains", "arrays must hold a matching item"),
    "prefixItems": ("prefix-items", "array positions are typed"),
    "unevaluatedItems": ("unevaluated-items", "extra array items are constrained"),
    "unevaluatedProperties": ("unevaluated-properties", "extra object properties are constrained"),
    "propertyNames": ("property-names", "object keys are constrained"),
    "if": ("if", "a conditional schema applies"),
    "then": ("then", "a conditional schema applies"),
    "else": ("else", "a conditional schema applies"),
    "contentSchema": ("content-schema", "the encoded content has a schema"),
}
_SUBSCHEMAS = ("contains", "propertyNames", "if", "then", "else", "contentSchema", "unevaluatedItems")
# Every keyword the checks in ``walk`` read (besides a ``type`` list): where neither side has one, none can report.
_OWNED = frozenset(
    {
        *_PRESENCE, "minContains", "maxContains", "dependentRequired", "dependentSchemas", "patternProperties",
        "contentMediaType", "contentEncoding", "oneOf", "anyOf", "allOf", "discriminator", "const",
        "x-stability-level", "x-extensible-enum",
    }
)  # fmt: skip
_OWNED_BUT_UNIONS = _OWNED - {"oneOf", "anyOf"}
_MAX_DEPTH = 40


def _types(schema: dict[str, Any]) -> frozenset[str] | None:
    """The JSON types a schema allows when it is a list of types (``type: [a, b]`` or a oneOf/anyOf of bare types)."""
    declared = schema.get("type")
    if isinstance(declared, list):
        return frozenset(str(t) for t in declared)
    if isinstance(declared, str):
        return frozenset([declared])
    for key in ("oneOf", "anyOf"):
        variants = schema.get(key)
        if (
            isinstance(variants, list)
            and variants
            and all(isinstance(v, dict) and set(v) == {"type"} and isinstance(v["type"], str) for v in variants)
        ):
            return frozenset(v["type"] for v in variants)
    return None


def operation_keywords(d: DiffContext, o: ir.Operation, n: ir.Operation) -> None:
    """Walk the request body and each response of an operation present on both sides."""
    raw = (d.raw_operation(o, OLD), d.raw_operation(n, NEW))
    if raw[0] is None or raw[1] is None:
        return
    bodies = (d.follow(raw[0].get("requestBody"), OLD), d.follow(raw[1].get("requestBody"), NEW))
    if isinstance(bodies[0], dict) and isinstance(bodies[1], dict):
        _media(d, bodies[0].get("content"), bodies[1].get("content"), Where(n, "request", "request body"))
    responses = (raw[0].get("responses"), raw[1].get("responses"))
    if isinstance(responses[0], dict) and isinstance(responses[1], dict):
        new_by_status = {str(k): v for k, v in responses[1].items()}
        for status, old_response in responses[0].items():
            if str(status) not in new_by_status:
                continue
            ro, rn = d.follow(old_response, OLD), d.follow(new_by_status[str(status)], NEW)
            if isinstance(ro, dict) and isinstance(rn, dict):
                where = Where(n, "response", f"response {status}", status=str(status))
                _media(d, ro.get("content"), rn.get("content"), where)


def _media(d: DiffContext, old: Any, new: Any, where: Where) -> None:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    emit = d.emitter(where)
    for content_type, old_media in old.items():
        new_media = new.get(content_type)
        if isinstance(old_media, dict) and isinstance(new_media, dict):
            had, has = isinstance(old_media.get("schema"), dict), isinstance(new_media.get("schema"), dict)
            if had and not has:
                emit(
                    f"{where.prefix}-media-type-schema-removed",
                    f"{content_type}: schema removed",
                    (SUBJECT, " has no schema any more: the client types it as Any"),
                )
            elif has and not had:
                emit(
                    f"{where.prefix}-media-type-schema-added",
                    f"{content_type}: schema added",
                    (SUBJECT, " has a schema now: the client types it (it was Any)"),
                )
            walk(d, old_media.get("schema"), new_media.get("schema"), where, set())


def walk(d: DiffContext, o: Any, n: Any, w: Where, seen: set[tuple[int, int, str, bool]], inside: bool = False) -> None:
    """Compare the keywords this family owns at one place, then descend in step.

    ``inside`` is true below a keyword the intermediate model drops (``then``, ``contains``...):
    there this family also reports the property changes the schema family cannot see.
    """
    fo, fn = d.follow(o, OLD), d.follow(n, NEW)
    if not isinstance(fo, dict) or not isinstance(fn, dict) or len(w.path) > _MAX_DEPTH or _same(d, fo, fn):
        return
    if not inside and _quiet(d, fo, fn):
        return  # nothing below can be reported, wherever this pair sits: each operation using it skips it
    guard = (id(fo), id(fn), w.prefix, inside)
    if d.memo.ask(guard, seen):
        return
    d.memo.add(guard, seen)
    if fo is o and fn is n:
        _changes(d, fo, fn, w, seen, inside)
        return
    # Reached by a $ref (a component, met by each operation using it): what it reports is worked out once.
    # The ids are of the documents' nodes, which live as long as the diff (and its memo).
    key = ("keywords", id(fo), id(fn), inside, w.area, len(w.path), w.model)
    entry = d.memo.find(key, seen)
    if entry is not None:
        d.memo.replay(entry, w, d.emitter, grown=seen)
    else:
        with d.memo.record(key, seen, w):
            _changes(d, fo, fn, w, seen, inside)


def _changes(
    d: DiffContext, o: dict[str, Any], n: dict[str, Any], w: Where, seen: set[tuple[int, int, str, bool]], inside: bool
) -> None:
    """``walk`` at a pair of schemas that differ, once its cycle guard let it in."""
    if (
        _OWNED.isdisjoint(o)
        and _OWNED.isdisjoint(n)
        and not isinstance(o.get("type"), list)
        and not isinstance(n.get("type"), list)
    ):
        # Neither side has a keyword this family compares here (nearly every schema): only what is below can differ.
        if inside or _ir_blind(o) or _ir_blind(n):
            _properties(o, n, w, d.emitter)
        _descend(d, o, n, w, seen, inside)
        return
    if inside or _ir_blind(o) or _ir_blind(n):
        _properties(o, n, w, d.emitter)
    emit = d.emitter(w)
    p = w.prefix
    for keyword, (word, meaning) in _PRESENCE.items():
        had, has = o.get(keyword) not in (None, True), n.get(keyword) not in (None, True)
        if had and not has:
            typed = _typed_by_model(d, keyword, o, OLD)  # what the old model typed, it no longer does
            if typed and keyword == "prefixItems":
                impact = (SUBJECT, f": the generated model takes a list again (it was a tuple of {typed} items)")
            elif typed:
                impact = (SUBJECT, ": keys are any string again (the key enum no longer types them)")
            else:
                impact = (SUBJECT, f": {keyword} removed (the generated model never checked it)")
            emit(f"{p}-{word}-removed", f"{keyword} removed", impact)
        elif has and not had:
            typed = _typed_by_model(d, keyword, n, NEW)
            if typed and keyword == "prefixItems":
                impact = (
                    SUBJECT,
                    f": the generated model types it as a tuple of {typed} items; "
                    "a list of another length fails validation",
                )
            elif typed:
                impact = (SUBJECT, ": keys are now typed by the key enum; other keys fail validation")
            else:
                impact = (SUBJECT, f": {meaning} (not checked by the generated model)")
            emit(f"{p}-{word}-added", f"{keyword} added", impact)
    _counts(o, n, w, emit)
    _dependent(d, o, n, w, emit)
    _pattern_properties(o, n, w, emit)
    _content(o, n, w, emit)
    _list_of_types(o, n, w, emit)
    _property_names_enum(d, o, n, w, emit)
    _annotation_only_all_of(d, o, n, w, emit)
    _discriminator(o, n, w, emit)
    _const(o, n, w, emit)
    if w.path:
        _stability(o, n, w, emit)
    _extensible_enum(o, n, w, emit)
    _descend(d, o, n, w, seen, inside)


def _quiet(d: DiffContext, o: Any, n: Any) -> bool:
    """Whether ``walk`` from this pair (not below a dropped keyword) reports nothing, whatever the place.

    True when every pair ``walk`` would reach from here has none of this family's keywords on
    either side and is not a schema whose properties the model drops: none of the checks can fire.
    Memoized; a pair met again while it is being decided (a cycle) counts as not quiet, so a
    cycle is walked as before.
    """
    o, n = d.follow(o, OLD), d.follow(n, NEW)
    if not isinstance(o, dict) or not isinstance(n, dict) or _same(d, o, n):
        return True
    key = (id(o), id(n))
    known = d.raw_quiet.get(key)
    if known is not None:
        return known
    d.raw_quiet[key] = False
    old_types, new_types = _types(o), _types(n)
    result = (
        # oneOf/anyOf only feed _list_of_types (and the descent below); every other keyword of the family is out.
        _OWNED_BUT_UNIONS.isdisjoint(o)
        and _OWNED_BUT_UNIONS.isdisjoint(n)
        and (
            old_types is None
            or new_types is None
            or old_types == new_types
            or (len(old_types) < 2 and len(new_types) < 2)
        )
        and not _ir_blind(o)
        and not _ir_blind(n)
        # What _descend walks from such a pair: common properties, items, additionalProperties, unions in step.
        and all(_quiet(d, sub, n["properties"][name]) for name, sub in _common(o, n, "properties"))
        and _quiet(d, o.get("items"), n.get("items"))
        and _quiet(d, o.get("additionalProperties"), n.get("additionalProperties"))
        and all(_quiet(d, a, b) for key in ("anyOf", "oneOf") for a, b in _in_step(o.get(key), n.get(key)))
    )
    d.raw_quiet[key] = result
    return result


def _in_step(olds: Any, news: Any) -> list[tuple[Any, Any]]:
    """The variant pairs _descend walks: two lists of the same length, position by position."""
    if isinstance(olds, list) and isinstance(news, list) and len(olds) == len(news):
        return list(zip(olds, news, strict=True))
    return []


def _common(o: dict[str, Any], n: dict[str, Any], key: str) -> list[tuple[Any, Any]]:
    """``(name, old value)`` of the names both sides' ``key`` mappings have."""
    old, new = o.get(key), n.get(key)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    return [(name, sub) for name, sub in old.items() if name in new]


def _descend(d: DiffContext, o: dict[str, Any], n: dict[str, Any], w: Where, seen: set[Any], inside: bool) -> None:
    """Descend: properties, items, additionalProperties, same-position composition, and the subschemas above."""
    old_props, new_props = o.get("properties"), n.get("properties")
    blind = inside or _ir_blind(o) or _ir_blind(n)
    if isinstance(old_props, dict) and isinstance(new_props, dict):
        for name, old_prop in old_props.items():
            if name in new_props and not _same(d, old_prop, new_props[name]):
                child = w.child(str(name), _python_name(str(name)), w.model)
                walk(d, old_prop, new_props[name], child, seen, blind)
    if isinstance(o.get("items"), dict) and isinstance(n.get("items"), dict):
        walk(d, o["items"], n["items"], w.items(), seen, inside)
    if isinstance(o.get("additionalProperties"), dict) and isinstance(n.get("additionalProperties"), dict):
        child = w.items("[*]")
        walk(d, o["additionalProperties"], n["additionalProperties"], child, seen, inside)
    for key in ("allOf", "anyOf", "oneOf"):
        olds, news = o.get(key), n.get(key)
        if isinstance(olds, list) and isinstance(news, list) and len(olds) == len(news):
            for a, b in zip(olds, news, strict=True):
                walk(d, a, b, w, seen, inside)
    olds, news = o.get("prefixItems"), n.get("prefixItems")
    if isinstance(olds, list) and isinstance(news, list):
        for a, b in zip(olds, news, strict=False):
            walk(d, a, b, w, seen, True)
    for key in _SUBSCHEMAS:
        if isinstance(o.get(key), dict) and isinstance(n.get(key), dict):
            walk(d, o[key], n[key], w, seen, True)
    for key in ("dependentSchemas", "patternProperties"):
        old_map, new_map = o.get(key), n.get(key)
        if isinstance(old_map, dict) and isinstance(new_map, dict):
            for name in sorted(old_map.keys() & new_map.keys(), key=str):
                walk(d, old_map[name], new_map[name], w, seen, True)


_ANNOTATIONS = frozenset({
    "title", "description", "examples", "example", "deprecated", "$comment", "default", "readOnly", "writeOnly",
    "externalDocs", "xml",
})  # fmt: skip


def _annotation_only(schema: Any) -> bool:
    return isinstance(schema, dict) and all(k in _ANNOTATIONS or str(k).startswith("x-") for k in schema)


def _annotation_only_all_of(d: DiffContext, o: dict[str, Any], n: dict[str, Any], w: Where, emit: Emit) -> None:
    """allOf subschemas that only annotate, beside other keywords.

    The IR builder folds such parts into the schema beside them, so the generated client does
    not change. An allOf standing alone stays an allOf in the model, and the schema family
    reports its parts.
    """
    if not any(k not in _ANNOTATIONS and k != "allOf" for s in (o, n) for k in s):
        return
    old_parts: list[Any] = o["allOf"] if isinstance(o.get("allOf"), list) else []
    new_parts: list[Any] = n["allOf"] if isinstance(n.get("allOf"), list) else []
    old = [_canonical(p) for p in (d.follow(p, OLD) for p in old_parts) if _annotation_only(p)]
    new = [_canonical(p) for p in (d.follow(p, NEW) for p in new_parts) if _annotation_only(p)]
    for part in new:
        if part in old:
            old.remove(part)
        else:
            emit(f"{w.prefix}-all-of-added-annotation-only", "allOf subschema with annotations only added", "none")
    for _ in old:
        emit(f"{w.prefix}-all-of-removed-annotation-only", "allOf subschema with annotations only removed", "none")


@functools.lru_cache(maxsize=4096)
def _python_name(name: str) -> str:
    return snake_name(name)


def _ir_blind(schema: dict[str, Any]) -> bool:
    """Whether the intermediate model drops this schema's ``properties`` (a non-object type that has some)."""
    declared = schema.get("type")
    return isinstance(declared, str) and declared != "object" and isinstance(schema.get("properties"), dict)


def _properties(o: dict[str, Any], n: dict[str, Any], w: Where, emitter: Any) -> None:
    """Properties added, removed or changing required, where only this family sees them."""
    old_props: dict[str, Any] = o["properties"] if isinstance(o.get("properties"), dict) else {}
    new_props: dict[str, Any] = n["properties"] if isinstance(n.get("properties"), dict) else {}
    old_req = set(o.get("required") or ()) if isinstance(o.get("required"), list) else set()
    new_req = set(n.get("required") or ()) if isinstance(n.get("required"), list) else set()
    request = w.area == "request"
    if w.area not in ("request", "response"):
        return
    for name in sorted(new_props.keys() - old_props.keys(), key=str):
        emit = emitter(w.child(str(name), _python_name(str(name)), w.model))
        required = name in new_req
        if request:
            rule = "new-required-request-property" if required else "new-optional-request-property"
        else:
            rule = "response-required-property-added" if required else "response-optional-property-added"
        emit(rule, f"new {'required' if required else 'optional'} property", "not modelled by the generated client")
    for name in sorted(old_props.keys() - new_props.keys(), key=str):
        emit = emitter(w.child(str(name), _python_name(str(name)), w.model))
        if request:
            rule = "request-property-removed"
        else:
            rule = "response-required-property-removed" if name in old_req else "response-optional-property-removed"
        emit(rule, "property removed", "not modelled by the generated client")
    for name in sorted(old_props.keys() & new_props.keys(), key=str):
        if (name in old_req) == (name in new_req):
            continue
        emit = emitter(w.child(str(name), _python_name(str(name)), w.model))
        word = "required" if name in new_req else "optional"
        rule = f"{'request' if request else 'response'}-property-became-{word}"
        emit(rule, f"became {word}", "not modelled by the generated client")


def _same(d: DiffContext, o: Any, n: Any) -> bool:
    """Whether two raw subtrees are identical, following ``$ref``s on each side.

    Memoized. A cycle of refs is assumed equal while it is being compared; a "same" that rests on
    such an assumption about an enclosing comparison is not cached until that comparison settles.
    """
    if type(o) is not type(n):
        return False
    if not isinstance(o, (dict, list)):
        return bool(o == n)
    key = (id(o), id(n))
    known = d.raw_same.get(key)
    if known is not None:
        return known
    if o != n:
        # Same subtrees are equal as written (and cannot hold cycles): a difference as written, found by
        # Python's own comparison, settles it without the walk below.
        d.raw_same[key] = False
        return False
    if key in d.raw_pending:
        d.raw_low = min(d.raw_low, d.raw_pending[key])
        return True
    depth = len(d.raw_pending)
    d.raw_pending[key] = depth
    outer_low, d.raw_low = d.raw_low, NO_DEPTH
    # Equal as written (so of one length, with the same keys and $ref): what a $ref names can still differ.
    if isinstance(o, list):
        result = _same_items(d, zip(o, n, strict=True))
    elif "$ref" in o:
        result = _same(d, d.follow(o, OLD), d.follow(n, NEW))
        result = result and _same_items(d, ((v, n[k]) for k, v in o.items() if k != "$ref"))
    else:
        result = _same_items(d, ((v, n[k]) for k, v in o.items()))
    low = d.raw_low
    del d.raw_pending[key]
    if not result or low >= depth:
        d.raw_same[key] = result
    d.raw_low = min(outer_low, low if low < depth else NO_DEPTH)
    return result


def _same_items(d: DiffContext, pairs: Iterable[tuple[Any, Any]]) -> bool:
    """``_same`` of each pair of values that are equal as written (a scalar needs no call: only its type can differ)."""
    return all(_same(d, a, b) if isinstance(a, (dict, list)) else type(a) is type(b) and a == b for a, b in pairs)


def _number(value: Any) -> int | float | None:
    return None if isinstance(value, bool) or not isinstance(value, (int, float)) else value


def _counts(o: dict[str, Any], n: dict[str, Any], w: Where, emit: Emit) -> None:
    for keyword, word in (("minContains", "min-contains"), ("maxContains", "max-contains")):
        ov, nv = _number(o.get(keyword)), _number(n.get(keyword))
        if ov is None or nv is None or ov == nv:
            continue
        direction = "increased" if nv > ov else "decreased"
        emit(f"{w.prefix}-{word}-{direction}", f"{keyword} {direction} from {ov} to {nv}", (SUBJECT, ": not checked"))


def _dependent(d: DiffContext, o: dict[str, Any], n: dict[str, Any], w: Where, emit: Emit) -> None:
    p = w.prefix
    old_req, new_req = o.get("dependentRequired"), n.get("dependentRequired")
    old_req = old_req if isinstance(old_req, dict) else {}
    new_req = new_req if isinstance(new_req, dict) else {}
    for name in sorted(new_req.keys() - old_req.keys()):
        emit(f"{p}-dependent-required-added", f"dependentRequired {name!r} added", (SUBJECT, ": more required"))
    for name in sorted(old_req.keys() - new_req.keys()):
        emit(f"{p}-dependent-required-removed", f"dependentRequired {name!r} removed", (SUBJECT, ": fewer required"))
    for name in sorted(old_req.keys() & new_req.keys()):
        if _canonical(old_req[name]) != _canonical(new_req[name]):
            emit(
                f"{p}-dependent-required-changed",
                f"dependentRequired {name!r} changed from {_canonical(old_req[name])} to {_canonical(new_req[name])}",
                (SUBJECT, ": properties required together changed"),
            )
    old_dep, new_dep = o.get("dependentSchemas"), n.get("dependentSchemas")
    old_dep = old_dep if isinstance(old_dep, dict) else {}
    new_dep = new_dep if isinstance(new_dep, dict) else {}
    for name in sorted(new_dep.keys() - old_dep.keys()):
        emit(f"{p}-dependent-schema-added", f"dependentSchemas {name!r} added", (SUBJECT, ": conditional schema"))
    for name in sorted(old_dep.keys() - new_dep.keys()):
        emit(f"{p}-dependent-schema-removed", f"dependentSchemas {name!r} removed", (SUBJECT, ": one less"))


def _pattern_properties(o: dict[str, Any], n: dict[str, Any], w: Where, emit: Emit) -> None:
    old, new = o.get("patternProperties"), n.get("patternProperties")
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    for pattern in sorted(new.keys() - old.keys()):
        emit(f"{w.prefix}-pattern-property-added", f"patternProperties {pattern!r} added", (SUBJECT, ": extra keys"))
    for pattern in sorted(old.keys() - new.keys()):
        emit(f"{w.prefix}-pattern-property-removed", f"patternProperties {pattern!r} removed", (SUBJECT, ": keys"))


def _content(o: dict[str, Any], n: dict[str, Any], w: Where, emit: Emit) -> None:
    for keyword, word in (("contentMediaType", "content-media-type"), ("contentEncoding", "content-encoding")):
        ov, nv = o.get(keyword), n.get(keyword)
        if ov != nv and ov is not None and nv is not None:
            emit(f"{w.prefix}-{word}-changed", f"{keyword} changed from {ov!r} to {nv!r}", (SUBJECT, ": encoding"))


def _list_of_types(o: dict[str, Any], n: dict[str, Any], w: Where, emit: Emit) -> None:
    """A list of types (``type: [a, b]`` or a oneOf/anyOf of bare types) that gains or loses types."""
    old, new = _types(o), _types(n)
    if old is None or new is None or old == new or (len(old) < 2 and len(new) < 2):
        return
    if new - old:
        added = ", ".join(sorted(new - old))
        emit(f"{w.prefix}-list-of-types-widened", f"types {added} added", (SUBJECT, f" may now hold {added}"))
    if old - new:
        gone = ", ".join(sorted(old - new))
        emit(f"{w.prefix}-list-of-types-narrowed", f"types {gone} removed", (SUBJECT, f" no longer holds {gone}"))


def _typed_by_model(d: DiffContext, keyword: str, schema: dict[str, Any], side: int) -> int:
    """Whether the generated model types what ``keyword`` says (0 if not): the tuple's length for
    ``prefixItems`` (exact: as many minItems and maxItems as positions), 1 for a string-enum ``propertyNames``."""
    if keyword == "prefixItems":
        prefix = schema.get("prefixItems")
        n = len(prefix) if isinstance(prefix, list) else 0
        return n if n and schema.get("minItems") == n and schema.get("maxItems") == n else 0
    if keyword == "propertyNames":
        keys = d.follow(schema.get("propertyNames"), side)
        values = keys.get("enum") if isinstance(keys, dict) else None
        return int(isinstance(values, list) and bool(values) and all(isinstance(v, str) for v in values))
    return 0


def _property_names_enum(d: DiffContext, o: dict[str, Any], n: dict[str, Any], w: Where, emit: Emit) -> None:
    """Enum values of ``propertyNames``: the keys a map may have (the generated client names them as an enum)."""
    old, new = d.follow(o.get("propertyNames"), OLD), d.follow(n.get("propertyNames"), NEW)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    old_values = [_canonical(v) for v in old.get("enum") or ()] if isinstance(old.get("enum"), list) else []
    new_values = [_canonical(v) for v in new.get("enum") or ()] if isinstance(new.get("enum"), list) else []
    if not old_values or not new_values:
        return
    for v in new_values:
        if v not in old_values:
            emit(f"{w.prefix}-property-names-enum-value-added", f"key {v} allowed", (SUBJECT, f": new key {v}"))
    for v in old_values:
        if v not in new_values:
            emit(
                f"{w.prefix}-property-names-enum-value-removed",
                f"key {v} no longer allowed",
                (SUBJECT, f": key {v} removed from the key enum; code naming it fails"),
            )


def _discriminator(o: dict[str, Any], n: dict[str, Any], w: Where, emit: Emit) -> None:
    """The discriminator of a union: added, removed, its property, its mapping."""
    old, new = o.get("discriminator"), n.get("discriminator")
    p = w.prefix
    if not isinstance(old, dict) and isinstance(new, dict):
        emit(
            f"{p}-discriminator-added",
            f"discriminator {new.get('propertyName')!r} added",
            (
                SUBJECT,
                f": the union is now told apart by {new.get('propertyName')!r}; "
                "a value naming no variant fails validation",
            ),
        )
        return
    if isinstance(old, dict) and not isinstance(new, dict):
        name = old.get("propertyName")
        emit(f"{p}-discriminator-removed", f"discriminator {name!r} removed", (SUBJECT, ": untagged"))
        return
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    if old.get("propertyName") != new.get("propertyName"):
        emit(
            f"{p}-discriminator-property-name-changed",
            f"discriminator property changed from {old.get('propertyName')!r} to {new.get('propertyName')!r}",
            (SUBJECT, ": the union is told apart by another field"),
        )
    old_map = old.get("mapping") if isinstance(old.get("mapping"), dict) else {}
    new_map = new.get("mapping") if isinstance(new.get("mapping"), dict) else {}
    assert isinstance(old_map, dict) and isinstance(new_map, dict)
    for value in sorted(new_map.keys() - old_map.keys(), key=str):
        emit(f"{p}-discriminator-mapping-added", f"discriminator value {value!r} added", (SUBJECT, ": new variant tag"))
    for value in sorted(old_map.keys() - new_map.keys(), key=str):
        emit(f"{p}-discriminator-mapping-deleted", f"discriminator value {value!r} removed", (SUBJECT, ": tag gone"))
    for value in sorted(old_map.keys() & new_map.keys(), key=str):
        if old_map[value] != new_map[value]:
            emit(
                f"{p}-discriminator-mapping-changed",
                f"discriminator value {value!r} now maps to {new_map[value]!r} (was {old_map[value]!r})",
                (SUBJECT, ": the tag selects another model"),
            )


def _const(o: dict[str, Any], n: dict[str, Any], w: Where, emit: Emit) -> None:
    """``const`` added or removed (a changed const is the schema family's const-changed)."""
    if "const" in n and "const" not in o:
        value = _canonical(n["const"])
        emit(f"{w.prefix}-const-added", f"const {value} added", (SUBJECT, f" is now always {value}"))
    elif "const" in o and "const" not in n:
        value = _canonical(o["const"])
        emit(f"{w.prefix}-const-removed", f"const {value} removed", (SUBJECT, f" is no longer always {value}"))


def _stability(o: dict[str, Any], n: dict[str, Any], w: Where, emit: Emit) -> None:
    """``x-stability-level`` of a property (an absent level is stable)."""
    old, new = o.get("x-stability-level", "stable"), n.get("x-stability-level", "stable")
    if old == new or old not in _STABILITY or new not in _STABILITY:
        return
    word = "decreased" if _STABILITY.index(new) < _STABILITY.index(old) else "increased"
    emit(f"{w.prefix}-stability-{word}", f"stability {word} from {old} to {new}", (SUBJECT, f" is now {new}"))


def _extensible_enum(o: dict[str, Any], n: dict[str, Any], w: Where, emit: Emit) -> None:
    """Values of ``x-extensible-enum`` (an enum that may grow) removed."""
    old, new = o.get("x-extensible-enum"), n.get("x-extensible-enum")
    if not isinstance(old, list) or not isinstance(new, list):
        return
    kept = {_canonical(v) for v in new}
    for value in (_canonical(v) for v in old):
        if value not in kept:
            emit(
                f"{w.prefix}-x-extensible-enum-value-removed",
                f"x-extensible-enum value {value} removed",
                (SUBJECT, f" no longer accepts {value}"),
            )


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
