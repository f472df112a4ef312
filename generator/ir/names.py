"""The naming authority: every Python name of a vendor package is decided here, once.

``finalize`` runs last in ``build_api``. After it, templates, the README, the diff's impact
lines and the feedback mappings read names from the IR and never compute their own:

- every schema that becomes a class is a ``NamedSchema`` (inline objects, enums and
  ``allOf`` compositions are named after where they sit) with a unique ``class_name``;
- ``Operation.group_path`` is the chain of resource attributes on the client and
  ``python_name`` the method, neither replacing an attribute the client classes already have;
- ``Operation.body_arguments`` names the keyword arguments of a flattened object body.

Property, enum member and parameter names are decided by the builder with ``generator.naming``.
"""

from __future__ import annotations

import dataclasses
import keyword

from generator import ir
from generator.naming import (
    CLIENT_ATTRIBUTES,
    CLIENT_MODULE_NAMES,
    RESERVED_CLASS_NAMES,
    RESOURCE_ATTRIBUTES,
    class_name,
    snake_name,
    unique,
)


def finalize(api: ir.Api) -> ir.Api:
    """Name inline model schemas, fix class names, resources, methods and body arguments."""
    api = _name_inline_schemas(api)
    api = _resource_names(api)
    return _body_arguments(api)


# ---------------------------------------------------------------------------------- classes


def builtins_used(schema: ir.Schema | bool, depth: int = 0) -> set[str]:
    """Builtins (``str``, ``list``...) the annotation of ``schema`` names in models.py."""
    if isinstance(schema, bool) or depth > 20:
        return set()
    if isinstance(schema, ir.StringSchema):
        fmt = schema.constraints.format
        return {"bytes"} if fmt == "binary" else (set() if fmt in ("date-time", "date", "uuid") else {"str"})
    simple = {ir.IntegerSchema: "int", ir.NumberSchema: "float", ir.BooleanSchema: "bool"}
    if type(schema) in simple:
        return {simple[type(schema)]}
    if isinstance(schema, ir.ArraySchema):
        fixed = schema.fixed_tuple()
        if fixed is not None:
            return {"tuple"}.union(*(builtins_used(s, depth + 1) for s in fixed))
        return {"list"}.union(*(builtins_used(s, depth + 1) for s in (*schema.prefix_items, schema.items)))
    if isinstance(schema, ir.ObjectSchema):
        # A class of its own once named; a map otherwise (`dict[str, X]`, or keyed by an enum class).
        keys = builtins_used(schema.property_names, depth + 1) if schema.property_names is not None else set()
        return {"dict", "str"} | keys | builtins_used(schema.additional, depth + 1)
    if isinstance(schema, ir.UnionSchema):
        return set().union(*(builtins_used(v, depth + 1) for v in schema.variants))
    if isinstance(schema, ir.AllOfSchema):
        return set().union(*(builtins_used(p, depth + 1) for p in schema.parts))
    return set()


# Kinds with no schema below them that never need a class of their own.
_LEAVES = frozenset(
    {
        ir.RefSchema, ir.StringSchema, ir.IntegerSchema, ir.NumberSchema, ir.BooleanSchema, ir.NullSchema,
        ir.AnySchema,
    }
)  # fmt: skip


def _needs_class(schema: ir.Schema) -> bool:
    """An inline schema the models must render as a class of its own."""
    return (
        (isinstance(schema, ir.ObjectSchema) and bool(schema.properties))
        or (isinstance(schema, ir.EnumSchema) and schema.value_type in ("string", "integer") and bool(schema.values))
        or isinstance(schema, ir.AllOfSchema)
    )


def _name_inline_schemas(api: ir.Api) -> ir.Api:
    """Give every schema that renders as a class a unique, valid class name."""
    taken: set[str] = set()
    named: list[ir.NamedSchema] = []
    for s in api.schemas:
        wanted = s.class_name
        ok = wanted.isidentifier() and wanted.isascii() and not keyword.iskeyword(wanted)
        ok = ok and wanted not in RESERVED_CLASS_NAMES and wanted not in taken and wanted[:1].isupper()
        name = wanted if ok else class_name(wanted, taken)
        taken.add(name)
        named.append(dataclasses.replace(s, class_name=name) if name != s.class_name else s)
    # Class and schema names alike, kept current as classes are added (not rebuilt per class:
    # that made naming quadratic in the number of inline schemas).
    unavailable = taken | {s.name for s in named}
    extra: list[ir.NamedSchema] = []

    def hoist(schema: ir.Schema, owner: str, pointer: str) -> ir.Schema:
        schema = walk(schema, owner, pointer)
        if not _needs_class(schema):
            return schema
        new = class_name(owner, unavailable)
        unavailable.add(new)
        # The reference keeps what belongs to the use site; the class keeps the type.
        ref = ir.RefSchema(
            name=new,
            nullable=schema.nullable,
            description=schema.description,
            deprecated=schema.deprecated,
            read_only=schema.read_only,
            write_only=schema.write_only,
            has_default=schema.has_default,
            default=schema.default,
        )
        inner = dataclasses.replace(
            schema,
            nullable=False,
            read_only=False,
            write_only=False,
            has_default=False,
            default=None,
        )
        extra.append(ir.NamedSchema(name=new, class_name=new, schema=inner, original_name=owner, hoisted_from=pointer))
        return ref

    def walk(schema: ir.Schema, owner: str, pointer: str) -> ir.Schema:
        """Hoist the schemas below ``schema`` (not ``schema`` itself).

        What nothing was hoisted from is returned as it is (most of a model): copying it would change nothing.
        """
        if isinstance(schema, ir.ObjectSchema):
            props = []
            changed = False
            for p in schema.properties:
                if type(p.schema) in _LEAVES:
                    props.append(p)  # nothing below it, and no class of its own: hoist would return it as it is
                    continue
                sub = hoist(p.schema, f"{owner}_{p.name}", f"{pointer}/properties/{p.name}")
                if sub is not p.schema:
                    p = dataclasses.replace(p, schema=sub)
                    changed = True
                props.append(p)
            additional = schema.additional
            if isinstance(additional, ir.SchemaBase):
                additional = hoist(additional, owner + "_value", pointer + "/additionalProperties")
            keys = schema.property_names
            if keys is not None:
                keys = hoist(keys, owner + "_key", pointer + "/propertyNames")
            if not changed and additional is schema.additional and keys is schema.property_names:
                return schema
            return dataclasses.replace(schema, properties=tuple(props), additional=additional, property_names=keys)
        if isinstance(schema, ir.ArraySchema):
            prefix = tuple(
                hoist(s, f"{owner}_item{i}", f"{pointer}/prefixItems/{i}") for i, s in enumerate(schema.prefix_items)
            )
            items = hoist(schema.items, owner + "_item", pointer + "/items")
            if items is schema.items and all(a is b for a, b in zip(prefix, schema.prefix_items, strict=True)):
                return schema
            return dataclasses.replace(schema, items=items, prefix_items=prefix)
        if isinstance(schema, ir.UnionSchema):
            variants = tuple(
                hoist(v, f"{owner}_{i}" if len(schema.variants) > 1 else owner, f"{pointer}/{schema.kind}/{i}")
                for i, v in enumerate(schema.variants)
            )
            if all(a is b for a, b in zip(variants, schema.variants, strict=True)):
                return schema
            return dataclasses.replace(schema, variants=variants)
        if isinstance(schema, ir.AllOfSchema):
            # Parts are merged into one class: only what is below a part's properties needs a name.
            parts = tuple(walk(p, owner, f"{pointer}/allOf/{i}") for i, p in enumerate(schema.parts))
            if all(a is b for a, b in zip(parts, schema.parts, strict=True)):
                return schema
            return dataclasses.replace(schema, parts=parts)
        return schema

    result = []
    for s in named:
        schema = walk(s.schema, s.class_name, "/components/schemas/" + s.name)
        result.append(s if schema is s.schema else dataclasses.replace(s, schema=schema))
    if not extra:
        return dataclasses.replace(api, schemas=tuple(result))
    return dataclasses.replace(api, schemas=tuple(result + extra))


# -------------------------------------------------------------------------------- resources


def _resource_names(api: ir.Api) -> ir.Api:
    """Rewrite group paths and method names to the attributes the client really has.

    A resource or method never replaces an attribute of its class (a `timeout` tag became
    `client.timeout2`, an operation `close` on the root `close_`), and a resource never
    takes the name of a method beside it (it gets a `_resource` suffix).
    """
    methods: dict[tuple[str, ...], set[str]] = {}
    for op in api.operations:
        methods.setdefault(op.group_path, set()).add(op.python_name)
    renamed_ops: list[tuple[ir.Operation, str]] = []
    final_methods: dict[tuple[str, ...], set[str]] = {}
    for op in api.operations:
        reserved = RESOURCE_ATTRIBUTES if op.group_path else CLIENT_ATTRIBUTES
        name = op.python_name
        if name in reserved:
            name = unique(name + "_", methods[op.group_path] | reserved | final_methods.get(op.group_path, set()))
        final_methods.setdefault(op.group_path, set()).add(name)
        renamed_ops.append((op, name))

    attrs: dict[tuple[str, ...], tuple[str, ...]] = {(): ()}  # spec group path -> attribute chain
    children: dict[tuple[str, ...], set[str]] = {}
    for op, _ in renamed_ops:
        for depth in range(1, len(op.group_path) + 1):
            path = op.group_path[:depth]
            if path in attrs:
                continue
            parent = attrs[path[:-1]]
            reserved = CLIENT_ATTRIBUTES if depth == 1 else RESOURCE_ATTRIBUTES
            siblings = children.setdefault(parent, set())
            attr = unique(snake_name(path[-1]), siblings | reserved)
            here = final_methods.get(path[:-1], set())
            if attr in here:
                attr = unique(attr + "_resource", siblings | here | reserved)
            siblings.add(attr)
            attrs[path] = (*parent, attr)
    operations = []
    for op, name in renamed_ops:
        chain = attrs[op.group_path]
        if chain != op.group_path or name != op.python_name:
            op = dataclasses.replace(op, group_path=chain, python_name=name)
        operations.append(op)
    return dataclasses.replace(api, operations=tuple(operations))


# -------------------------------------------------------------------------------- arguments


def _body_arguments(api: ir.Api) -> ir.Api:
    """Keyword arguments for the fields of object request bodies, clear of every other argument."""
    by_name = {s.name: s for s in api.schemas}
    operations = []
    for op in api.operations:
        media = op.request_body.preferred if op.request_body else None
        schema = media.schema if media is not None else None
        seen: set[str] = set()
        while isinstance(schema, ir.RefSchema) and schema.name in by_name and schema.name not in seen:
            seen.add(schema.name)
            schema = by_name[schema.name].schema
        # A named object (JSON/form fields) or an inline one (multipart parts).
        obj = schema if isinstance(schema, ir.ObjectSchema) else None
        if obj is None:
            operations.append(op)
            continue
        taken = {p.python_name for p in op.parameters} | ir.RESERVED_ARGUMENTS | CLIENT_MODULE_NAMES
        args = []
        for prop in obj.properties:
            if prop.schema.read_only:
                continue
            name = unique(snake_name(prop.name), taken)
            taken.add(name)
            args.append((prop.name, name))
        operations.append(dataclasses.replace(op, body_arguments=tuple(args)))
    return dataclasses.replace(api, operations=tuple(operations))
