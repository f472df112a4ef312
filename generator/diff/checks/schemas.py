"""Schemas and their properties: types, enums, defaults, nullability, composition, object properties."""

from __future__ import annotations

import re

from generator import ir
from generator.diff.checks import constraints
from generator.diff.checks.context import (
    CALL,
    NEW,
    OLD,
    SCHEMA_PREFIXES,
    SUBJECT,
    DiffContext,
    Emit,
    Where,
    combinations,
    family,
    fmt,
    parse_sunset,
    type_name,
)

SUFFIXES = (
    "became-nullable", "became-not-nullable", "type-changed", "type-generalized", "type-specialized", "type-compatible",
    "became-enum", "enum-value-added", "enum-value-removed", "default-value-added", "default-value-removed",
    "default-value-changed", "const-changed", "deprecated", "deprecated-sunset-invalid",
    "deprecated-sunset-missing", "deprecated-with-sunset", "reactivated", "one-of-added", "one-of-removed",
    "any-of-added", "any-of-removed", "all-of-added", "all-of-removed", "all-of-added-annotation-only",
    "all-of-removed-annotation-only", "wrapped-in-one-of", "sunset-date-too-small",
)  # fmt: skip
PROPERTY_IDS = frozenset({
    "response-required-write-only-property-added", "response-optional-write-only-property-added",
    "response-required-write-only-property-removed", "response-optional-write-only-property-removed",
    "response-write-only-property-became-required", "response-write-only-property-became-optional",
    "request-required-property-became-read-only", "request-required-property-became-not-read-only",
    "request-required-property-became-write-only", "request-required-property-became-not-write-only",
    "request-optional-property-became-read-only", "request-optional-property-became-not-read-only",
    "request-optional-property-became-write-only", "request-optional-property-became-not-write-only",
    "response-required-property-became-read-only", "response-required-property-became-not-read-only",
    "response-required-property-became-write-only", "response-required-property-became-not-write-only",
    "response-optional-property-became-read-only", "response-optional-property-became-not-read-only",
    "response-optional-property-became-write-only", "response-optional-property-became-not-write-only",
    "request-header-property-became-enum", "response-mediatype-enum-value-removed", "new-required-request-property",
    "new-required-request-property-with-default", "new-optional-request-property", "request-property-removed",
    "request-property-became-required", "request-property-became-required-with-default",
    "request-property-became-optional", "response-required-property-added", "response-optional-property-added",
    "response-required-property-removed", "response-optional-property-removed", "response-property-became-optional",
    "response-property-became-required", "new-required-request-header-property",
    "request-header-property-became-required",
})  # fmt: skip
RULE_IDS = family(SCHEMA_PREFIXES, SUFFIXES) | PROPERTY_IDS
NO_RULE = combinations(SCHEMA_PREFIXES, SUFFIXES) - RULE_IDS


_ITEM_SUFFIXES = re.compile(r"(\[\]|\[\*\])+$")


def schema(d: DiffContext, o: ir.Schema, n: ir.Schema, w: Where, stack: frozenset[tuple[str, str, str]]) -> None:
    """Every change between two schemas at one place (a component pair's changes are worked out once)."""
    ro, o_name = d.resolve(o, OLD)
    rn, n_name = d.resolve(n, NEW)
    if o_name and n_name and isinstance(o, ir.RefSchema) and isinstance(n, ir.RefSchema):
        # Keyed by the property, not its item depth: an array of a union holding that array again
        # (Algolia's FacetFiltersUnion) only grows "[]" suffixes, so those must not make a new key.
        guard = (o_name, n_name, w.area + "/".join(_ITEM_SUFFIXES.sub("", p) for p in w.path[-1:]))
        if d.memo.ask(guard, stack) or len(w.path) > 40:
            return
        stack = stack | {guard}
        if d.same(ro, rn):
            return
        # The guard names the place's last property: guards asked below (with no property between) name it too.
        key = ("schemas", o.name, o.nullable, n.name, n.nullable, guard, _shape(d, w))
        entry = d.memo.find(key, stack)
        if entry is not None:
            d.memo.replay(entry, w, d.emitter)
        else:
            with d.memo.record(key, stack, w):
                _changes(d, ro, rn, w, o_name, n_name, stack)
    elif not d.same(ro, rn):
        _changes(d, ro, rn, w, o_name, n_name, stack)


def _shape(d: DiffContext, w: Where) -> tuple[object, ...]:
    """What ``_changes`` reads of a place, besides what a replay takes from the place itself (names, operation)."""
    body_fields = w.area == "request" and not w.path and bool(w.op.body_arguments)
    param = w.param.location if w.param is not None else ""
    return (w.area, len(w.path), w.access, w.media, param, d.notice_days(w.op), body_fields)


def _changes(
    d: DiffContext,
    ro: ir.Schema,
    rn: ir.Schema,
    w: Where,
    o_name: str,
    n_name: str,
    stack: frozenset[tuple[str, str, str]],
) -> None:
    """The changes between two resolved schemas that differ, ``o_name``/``n_name`` the components they are."""
    emit = d.emitter(w)
    p = w.prefix
    if ro.nullable != rn.nullable:
        if rn.nullable:
            rule = f"{p}-became-nullable"
            emit(
                rule,
                "became nullable (was not nullable)",
                (SUBJECT, " may now be None" + " (typed Optional)" * (w.area != "request")),
            )
        else:
            emit(
                f"{p}-became-not-nullable",
                "became not nullable (was nullable)",
                (SUBJECT, " is no longer null in responses" if w.area == "response" else " no longer accepts None"),
            )
    if w.path and w.area != "parameter":
        deprecation(d, ro, rn, w, emit)
    to, tn = type_name(ro), type_name(rn)
    if to and tn and to != tn:
        if isinstance(rn, ir.EnumSchema) and not isinstance(ro, ir.EnumSchema):
            enum(d, ro, rn, w, emit, o_name)
        type_changed(d, w, to, tn, emit)
        return
    fo, fn = ro.constraints.format, rn.constraints.format
    if to and to == tn and fo and fn and fo != fn:
        type_changed(d, w, f"{to}/{fo}", f"{tn}/{fn}", emit)
    enum(d, ro, rn, w, emit, o_name)
    default(d, ro, rn, w, emit)
    constraints.constraints(d, ro.constraints, rn.constraints, w, emit)
    if isinstance(ro, ir.UnionSchema) and isinstance(rn, ir.UnionSchema) and ro.kind == rn.kind:
        composite(d, list(ro.variants), list(rn.variants), ro.kind, w, stack)
    elif isinstance(ro, ir.AllOfSchema) and isinstance(rn, ir.AllOfSchema):
        composite(d, list(ro.parts), list(rn.parts), "allOf", w, stack)
    elif isinstance(ro, ir.ObjectSchema) and isinstance(rn, ir.ObjectSchema):
        object_(d, ro, rn, w, n_name or o_name, stack, old_model=o_name)
    elif isinstance(ro, ir.ArraySchema) and isinstance(rn, ir.ArraySchema):
        # oasdiff reports a parameter's item constraints as the parameter's own.
        items_where = w if w.area == "parameter" else w.items()
        schema(d, ro.items, rn.items, items_where, stack)
    elif isinstance(ro, ir.UnionSchema) and not isinstance(rn, (ir.UnionSchema, ir.AllOfSchema)):
        # A oneOf left with one variant is that variant in the IR.
        composite(d, list(ro.variants), [rn], ro.kind, w, stack)
    elif isinstance(rn, ir.UnionSchema) and not isinstance(ro, (ir.UnionSchema, ir.AllOfSchema)):
        wrapped(d, ro, rn, w, o_name, stack)


def wrapped(
    d: DiffContext, ro: ir.Schema, rn: ir.UnionSchema, w: Where, model: str, stack: frozenset[tuple[str, str, str]]
) -> None:
    """A plain schema became a union: its type and its properties are now the variants'."""
    emit = d.emitter(w)
    to = type_name(ro)
    if to:
        type_changed(d, w, to, rn.kind, emit)
    if rn.kind == "oneOf":
        emit(f"{w.prefix}-wrapped-in-one-of", "now wrapped in oneOf", (SUBJECT, " becomes a union type"))
    word = "one-of" if rn.kind == "oneOf" else "any-of"
    for index, v in enumerate(rn.variants, 1):
        label = _variant_label(d, v, NEW, index)
        emit(f"{w.prefix}-{word}-added", f"{rn.kind} subschema {label} added", (SUBJECT, ": union"))
    if isinstance(ro, ir.ObjectSchema):
        carried: dict[str, list[str]] = {p.name: [] for p in ro.properties}
        for index, v in enumerate(rn.variants, 1):
            resolved, name = d.resolve(v, NEW)
            if isinstance(resolved, ir.ObjectSchema):
                for p in resolved.properties:
                    if p.name in carried:
                        carried[p.name].append(f"`{name}`" if name else f"#{index}")
        object_(d, ro, ir.ObjectSchema(), w, model, stack, carried)


def type_changed(d: DiffContext, w: Where, to: str, tn: str, emit: Emit) -> None:
    p = w.prefix
    widen = to == "integer" and tn == "number"
    narrow = to == "number" and tn == "integer"
    msg = f"type changed from {to!r} to {tn!r}"
    impact = (SUBJECT, f" is retyped from {to} to {tn}")
    if w.area == "response" and w.media and "json" not in w.media.lower():
        # A loosely typed body (XML, text, form): the client hands it over as text or bytes either way.
        rule = f"{p}-type-compatible"
        impact = (SUBJECT, f": {to} → {tn} in the {w.media} body, which the client does not parse into a model")
    elif w.area == "response" or (w.area == "parameter" and w.path):
        rule = f"{p}-type-generalized" if widen else f"{p}-type-specialized" if narrow else f"{p}-type-changed"
    else:
        rule = f"{p}-type-generalized" if widen else f"{p}-type-changed"
    emit(rule, msg, impact)


def enum(d: DiffContext, ro: ir.Schema, rn: ir.Schema, w: Where, emit: Emit, enum_class: str = "") -> None:
    p = w.prefix
    if not isinstance(rn, ir.EnumSchema):
        return
    if not isinstance(ro, ir.EnumSchema):
        rule = f"{p}-became-enum"
        if w.area == "parameter" and w.path and w.param is not None and w.param.location == "header":
            rule = "request-header-property-became-enum"
        if w.area != "response":
            emit(rule, f"became an enum of {list(rn.values)}", (SUBJECT, f" now only accepts {list(rn.values)}"))
        return
    old_values = [fmt(v) for v in ro.values]
    new_values = [fmt(v) for v in rn.values]
    if len(old_values) == len(new_values) == 1 and old_values != new_values:
        # A one-value enum is a const (the IR spells const as an enum).
        emit(
            f"{p}-const-changed",
            f"const changed from {old_values[0]} to {new_values[0]}",
            (SUBJECT, f" is now always {new_values[0]} (was {old_values[0]})"),
        )
        if f"{p}-const-changed" in RULE_IDS:
            return
    for v in new_values:
        if v not in old_values:
            impact = (
                SUBJECT,
                f" may now hold {v}: the client passes it through as the plain value (responses parse "
                "leniently), not an enum member; code matching on the members does not see it"
                if w.area == "response"
                else f" accepts {v}",
            )
            emit(f"{p}-enum-value-added", f"enum value {v} added", impact)
    members = dict(zip(old_values, ro.python_names, strict=False))  # the client's member names
    for v in old_values:
        if v not in new_values:
            # Each removed value names its own member; a value with none (null in a nullable enum) names none.
            member = f" (enum member `{enum_class}.{members[v]}` removed)" if v in members and enum_class else ""
            if w.area == "response":
                rule = f"{p}-enum-value-removed" if w.path else "response-mediatype-enum-value-removed"
                emit(rule, f"enum value {v} removed", (SUBJECT, f"{member} no longer returns {v}"))
            else:
                emit(f"{p}-enum-value-removed", f"enum value {v} removed", (SUBJECT, f"{member} no longer accepts {v}"))


def deprecation(d: DiffContext, ro: ir.Schema, rn: ir.Schema, w: Where, emit: Emit) -> None:
    if not ro.deprecated and rn.deprecated:
        if rn.sunset is None and d.notice_days(w.op):
            emit(f"{w.prefix}-deprecated-sunset-missing", "deprecated without a sunset date", (SUBJECT, " deprecated"))
        elif rn.sunset is None:
            emit(f"{w.prefix}-deprecated", "deprecated", (SUBJECT, " is deprecated"))
        elif parse_sunset(rn.sunset) is None:
            emit(
                f"{w.prefix}-deprecated-sunset-invalid",
                f"deprecated with unparseable sunset {rn.sunset!r}",
                (SUBJECT, " is deprecated"),
            )
        else:
            emit(
                f"{w.prefix}-deprecated-with-sunset",
                f"deprecated, sunset {rn.sunset}",
                (SUBJECT, f" is deprecated and goes away after {rn.sunset}"),
            )
            sunset, days = parse_sunset(rn.sunset), d.notice_days(w.op)
            if sunset is not None and days and (sunset - d.today).days < days:
                emit(
                    f"{w.prefix}-sunset-date-too-small",
                    f"sunset {rn.sunset} gives less than the {days} days notice the policy asks",
                    (SUBJECT, f" goes away on {rn.sunset}"),
                )
    elif ro.deprecated and not rn.deprecated:
        emit(f"{w.prefix}-reactivated", "no longer deprecated", (SUBJECT, " is supported again"))


def default(d: DiffContext, ro: ir.Schema, rn: ir.Schema, w: Where, emit: Emit) -> None:
    old = fmt(ro.default) if ro.has_default else None
    new = fmt(rn.default) if rn.has_default else None
    if old == new:
        return
    rule = "changed" if old is not None and new is not None else "added" if old is None else "removed"
    was = f" (was {old})" if old is not None else ""
    if w.area == "response":
        # The response model fills a missing field with its default.
        impact = (SUBJECT, f": a response without it reads as {new or 'None'}{was}")
    else:
        # The client sends only what the caller gave: a default is the server's business (and the model's value).
        side = "argument" if w.area == "parameter" else "field"
        impact = (
            SUBJECT,
            ": left out, it is not sent and the server applies "
            + (f"its default {new}{was}" if new is not None else f"no documented default{was}")
            + ("" if side == "argument" else f"; the model's value is {new or 'None'}"),
        )
    emit(
        f"{w.prefix}-default-value-{rule}",
        f"default {new} added"
        if rule == "added"
        else (f"default {old} removed" if rule == "removed" else f"default changed from {old} to {new}"),
        impact,
    )


def composite(
    d: DiffContext,
    olds: list[ir.Schema],
    news: list[ir.Schema],
    kind: str,
    w: Where,
    stack: frozenset[tuple[str, str, str]],
) -> None:
    # Each variant with its 1-based position, by which an inline one is named (as oasdiff's "subschema #2").
    old_at, new_at = list(enumerate(olds, 1)), list(enumerate(news, 1))
    for o in list(old_at):
        if isinstance(o[1], ir.RefSchema):
            n = next((n for n in new_at if isinstance(n[1], ir.RefSchema) and n[1].name == o[1].name), None)
            if n is not None:
                old_at.remove(o)
                new_at.remove(n)
                schema(d, o[1], n[1], w, stack)
    for o in list(old_at):
        ov = o[1]
        # Two different components are different variants even when alike: the client names each by its class.
        match = next(
            (
                n
                for n in new_at
                if not (isinstance(ov, ir.RefSchema) and isinstance(n[1], ir.RefSchema)) and d.same(ov, n[1])
            ),
            None,
        )
        if match is not None:
            old_at.remove(o)
            new_at.remove(match)
    renamed = all(isinstance(v, ir.RefSchema) for _, v in (*old_at, *new_at))
    if len(old_at) == len(new_at) == 1 and not renamed:
        schema(d, old_at[0][1], new_at[0][1], w, stack)
        return
    word = {"oneOf": "one-of", "anyOf": "any-of", "allOf": "all-of"}[kind]
    emit = d.emitter(w)
    for index, nv in new_at:
        rule = f"{w.prefix}-{word}-added"
        if kind == "allOf" and isinstance(d.resolve(nv, NEW)[0], ir.AnySchema):
            rule += "-annotation-only"
        label = _variant_label(d, nv, NEW, index)
        emit(rule, f"{kind} subschema {label} added", (SUBJECT, ": the union/model changes"))
    for index, ov in old_at:
        rule = f"{w.prefix}-{word}-removed"
        if kind == "allOf" and isinstance(d.resolve(ov, OLD)[0], ir.AnySchema):
            rule += "-annotation-only"
        label = _variant_label(d, ov, OLD, index)
        emit(rule, f"{kind} subschema {label} removed", (SUBJECT, ": the union/model changes"))


def _variant_label(d: DiffContext, variant: ir.Schema, side: int, index: int) -> str:
    """A component variant by its name; an inline one by its position and type (``#2 (object)``)."""
    resolved, name = d.resolve(variant, side)
    return name or f"#{index} ({type_name(resolved) or type(resolved).__name__})"


_ACCESS_IMPACT = {
    # The client leaves read-only fields out of a method's arguments (the model keeps them).
    ("request", "read-only", True): "the method no longer takes it as an argument (passing it raises TypeError)",
    ("request", "read-only", False): "the method takes it as an argument again",
    ("request", "write-only", True): "no change to what the client sends",
    ("request", "write-only", False): "no change to what the client sends",
    ("response", "write-only", True): "responses no longer carry it; code reading it finds None",
    ("response", "write-only", False): "responses may now carry it",
    ("response", "read-only", True): "no change to what the client receives",
    ("response", "read-only", False): "no change to what the client receives",
}


def access(d: DiffContext, o: ir.Property, n: ir.Property, area: str, emit: Emit) -> None:
    """A property becoming (or ceasing to be) read-only or write-only."""
    if area not in ("request", "response"):
        return
    ro, rn = d.resolve(o.schema, OLD)[0], d.resolve(n.schema, NEW)[0]
    word = "required" if n.required else "optional"
    for flag, was, now in (("read-only", ro.read_only, rn.read_only), ("write-only", ro.write_only, rn.write_only)):
        if was != now:
            change = flag if now else f"not-{flag}"
            message = f"became {'' if now else 'not '}{flag}"
            emit(f"{area}-{word}-property-became-{change}", message, _ACCESS_IMPACT[(area, flag, now)])


def object_(
    d: DiffContext,
    ro: ir.ObjectSchema,
    rn: ir.ObjectSchema,
    w: Where,
    model: str,
    stack: frozenset[tuple[str, str, str]],
    carried: dict[str, list[str]] | None = None,
    old_model: str = "",
) -> None:
    """Properties added, removed, or changing required; then each common property's schema.

    ``carried`` (for a schema wrapped in a union) names, per property, the variants that still
    hold it: the finding keeps oasdiff's id, and the impact says where the field now lives.
    """
    old_props = {p.name: p for p in ro.properties}
    new_props = {p.name: p for p in rn.properties}
    area = w.area

    def skip(prop: ir.Property, side: int) -> bool:
        resolved = d.resolve(prop.schema, side)[0]
        return (area != "response" and resolved.read_only) or (area == "response" and resolved.write_only)

    def write_only_in_response(name: str, prop: ir.Property, added: bool) -> None:
        """A write-only property appearing or going in a response: the model changes, what responses hold does not."""
        if area != "response":
            return
        word = "required" if prop.required else "optional"
        holder = model if added else old_model or model
        field = f"`{holder}.{prop.python_name}`" if holder else f"`{prop.python_name}`"
        # The model keeps write-only fields (it serves requests too); responses never fill them.
        impact = (
            f"model field {field} added; responses never carry it (write-only), so it reads as None"
            if added
            else f"model field {field} removed; responses never carried it (write-only), but code reading it now fails"
        )
        d.emitter(w.child(name, prop.python_name, holder))(
            f"response-{word}-write-only-property-{'added' if added else 'removed'}",
            f"new {word} write-only property" if added else f"{word} write-only property removed",
            impact,
        )

    for name, prop in new_props.items():
        if name in old_props:
            continue
        if skip(prop, NEW):
            write_only_in_response(name, prop, added=True)
            continue
        cw = w.child(name, prop.python_name, model)
        emit = d.emitter(cw)
        field = f"`{model}.{prop.python_name}`" if model else f"`{prop.python_name}`"
        has_default = d.resolve(prop.schema, NEW)[0].has_default
        if area == "request":
            if prop.required:
                rule = "new-required-request-property" + ("-with-default" if has_default else "")
                emit(
                    rule,
                    "new required property",
                    (
                        CALL,
                        f": request model gains required field {field}; "
                        "code building the model without it fails validation",
                    ),
                )
            else:
                emit("new-optional-request-property", "new optional property", f"new optional field {field}")
        elif area == "response":
            rule = "response-required-property-added" if prop.required else "response-optional-property-added"
            emit(rule, f"new {'required' if prop.required else 'optional'} property", f"new field {field}")
        elif w.param is not None and w.param.location == "header" and prop.required:
            emit(
                "new-required-request-header-property",
                "new required property",
                (SUBJECT, " is required; the client passes the header's value as given, unchecked"),
            )
    for name, prop in old_props.items():
        if name in new_props:
            continue
        if skip(prop, OLD):
            write_only_in_response(name, prop, added=False)
            continue
        # A removed field is named by the class that held it (the old one, when the place changed class).
        holder = old_model or model
        cw = w.child(name, prop.python_name, holder)
        emit = d.emitter(cw)
        field = f"`{holder}.{prop.python_name}`" if holder else f"`{prop.python_name}`"
        holders = (carried or {}).get(name, [])
        if carried is not None and holders and area == "request" and not w.path and not w.op.body_arguments:
            # The body itself became a union: the method takes it whole, as ``body``, no longer field by field.
            impact = (
                CALL,
                f": argument `{prop.python_name}` removed (calls passing it raise TypeError); "
                f"the body is now passed whole as `body` (the field is on {', '.join(holders)})",
            )
        elif carried is not None and holders:
            verb = "setting" if area == "request" else "reading"
            impact = (
                CALL,
                f": {field} is still there on union variant(s) {', '.join(holders)}; "
                f"code {verb} it keeps working on those, "
                "but the type is now a union (a type checker asks to narrow it)",
            )
        elif area == "request":
            # Models ignore unknown fields (pydantic's default): only the argument fails loudly.
            impact = (
                CALL,
                f": model field {field} removed; passing it as an argument raises TypeError, "
                "and the model drops it silently",
            )
        else:
            impact = (CALL, f": model field {field} removed; code reading it fails")
        if area == "request":
            emit("request-property-removed", "property removed", impact)
        elif area == "response":
            rule = "response-required-property-removed" if prop.required else "response-optional-property-removed"
            emit(rule, "property removed", impact)
    for name, op_ in old_props.items():
        np_ = new_props.get(name)
        if np_ is None or (op_.required == np_.required and d.same(op_.schema, np_.schema)):
            continue
        cw = w.child(name, np_.python_name, model)
        if skip(np_, NEW):
            # Read-only in a request, write-only in a response: the client never sends (or gets) it.
            cw = cw.with_access("read-only" if area == "request" else "write-only")
        emit = d.emitter(cw)
        access(d, op_, np_, area, emit)
        if op_.required != np_.required and skip(np_, NEW) and area == "response":
            word = "required" if np_.required else "optional"
            emit(f"response-write-only-property-became-{word}", f"became {word}", "none: never in responses")
        if op_.required != np_.required and not skip(np_, NEW):
            if area == "request":
                if np_.required:
                    default = d.resolve(np_.schema, NEW)[0].has_default
                    rule = "request-property-became-required" + ("-with-default" if default else "")
                    emit(
                        rule,
                        "became required (was optional)",
                        (SUBJECT, " is now required; omitting it fails validation"),
                    )
                else:
                    emit(
                        "request-property-became-optional",
                        "became optional (was required)",
                        (SUBJECT, " is now optional"),
                    )
            elif area == "response":
                if np_.required:
                    emit(
                        "response-property-became-required",
                        "became required (was optional)",
                        (SUBJECT, " always present"),
                    )
                else:
                    emit(
                        "response-property-became-optional",
                        "became optional",
                        (SUBJECT, " is now Optional (may be None); code assuming a value breaks"),
                    )
            elif w.param is not None and w.param.location == "header" and np_.required:
                emit(
                    "request-header-property-became-required",
                    "became required (was optional)",
                    (SUBJECT, " is now required; the client passes the header's value as given, unchecked"),
                )
        schema(d, op_.schema, np_.schema, cw, stack)
    ao, an = ro.additional, rn.additional
    if not isinstance(ao, bool) and not isinstance(an, bool):
        schema(d, ao, an, w.items("[*]"), stack)
