"""Fold selected operations and their components into a vendor's spec (round-trip data, edited in place)."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap

from generator.errors import join_pointer, split_pointer
from generator.importer.errors import ImportConflict
from generator.importer.meaning import Verdict, compare
from generator.importer.select import (
    PATH_ITEM_FIELDS,
    ComponentKey,
    Operation,
    component_refs,
    security_names,
    source_operations,
)
from generator.importer.yamlio import detached, dump_yaml, plain
from generator.spec.normalize import iter_operations

X_IMPORTED_FROM = "x-imported-from"
_TOP_LEVEL_ORDER = ("openapi", "info", "jsonSchemaDialect", "servers", "security", "tags", "paths", "webhooks",
                    "components")  # fmt: skip


@dataclass
class MergeOptions:
    """How to treat what the vendor's spec already has."""

    source: str
    date: str
    rename_conflicts: bool = False
    replace: bool = False
    # Refresh: operations already in the spec are replaced by the source's version,
    replace_operations: bool = False
    # and so are these components (they came from the same source), without counting as conflicts;
    replace_components: frozenset[ComponentKey] = frozenset()
    # and components the merge leaves unreferenced (that were referenced before) are removed.
    prune: bool = False


@dataclass
class MergeReport:
    """What a merge did, for the CLI."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    components_added: list[str] = field(default_factory=list)
    components_shared: list[str] = field(default_factory=list)
    components_replaced: list[str] = field(default_factory=list)
    components_removed: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Same meaning, different annotations (title, description, examples, x-): kept the vendor's.
    warnings: list[str] = field(default_factory=list)


def rewrite_refs(node: Any, renames: dict[ComponentKey, str]) -> Any:
    """Point references at renamed components (in place); returns ``node``."""
    if not renames:
        return node
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                current["$ref"] = _same_type(ref, _renamed_ref(ref, renames))
            disc = current.get("discriminator")
            mapping = disc.get("mapping") if isinstance(disc, dict) else None
            if isinstance(mapping, dict):
                for key, value in list(mapping.items()):
                    if isinstance(value, str) and value.startswith("#/components/"):
                        mapping[key] = _same_type(value, _renamed_ref(value, renames))
                    elif isinstance(value, str) and ("schemas", value) in renames:
                        mapping[key] = _same_type(value, renames[("schemas", value)])
            stack.extend(v for v in current.values() if isinstance(v, (dict, list)))
        elif isinstance(current, list):
            stack.extend(v for v in current if isinstance(v, (dict, list)))
    return node


def _renamed_ref(ref: str, renames: dict[ComponentKey, str]) -> str:
    tokens = split_pointer(ref[1:])
    if len(tokens) >= 3 and (tokens[1], tokens[2]) in renames:
        tokens[2] = renames[(tokens[1], tokens[2])]
        return "#" + join_pointer(*tokens)
    return ref


def _same_type(old: str, new: str) -> str:
    """Keep ruamel's quoting style of a scalar that is rewritten."""
    if type(old) is str or old == new:
        return new if old != new else old
    try:
        return type(old)(new)
    except TypeError:
        return new


def _get(mapping: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(mapping, dict) or key not in mapping:
            return None
        mapping = mapping[key]
    return mapping


def set_in_order(mapping: Any, key: str, value: Any) -> None:
    """Set a top-level key, inserting a new one where OpenAPI documents usually have it."""
    if key in mapping or not isinstance(mapping, CommentedMap) or key not in _TOP_LEVEL_ORDER:
        mapping[key] = value
        return
    later = _TOP_LEVEL_ORDER[_TOP_LEVEL_ORDER.index(key) + 1 :]
    keys = list(mapping)
    position = next((i for i, k in enumerate(keys) if k in later), len(keys))
    mapping.insert(position, key, value)


def unified_diff(old: Any, new: Any, old_title: str, new_title: str) -> str:
    """A unified diff (``-``/``+`` lines, three lines of context) of two values rendered as YAML."""
    a = dump_yaml(plain(old)).splitlines()
    b = dump_yaml(plain(new)).splitlines()
    return "\n".join(difflib.unified_diff(a, b, old_title, new_title, lineterm=""))


def merge(
    target: Any,
    source_doc: Any,
    operations: Sequence[Operation],
    options: MergeOptions,
    extra_components: Sequence[ComponentKey] = (),
) -> MergeReport:
    """Add ``operations`` and the components they need from ``source_doc`` into ``target``, in place.

    ``extra_components`` (security schemes only; they hold no references) are added too when the source has them.
    Raises ImportConflict (and changes nothing) when a component or operation of the same name has
    different content and neither ``rename_conflicts`` nor ``replace`` allows it.
    """
    report = MergeReport()
    src_components = source_doc.get("components") or {}
    needed: list[ComponentKey] = []
    for operation in operations:
        needed.extend(k for k in operation.components if k not in needed)
    # Security schemes the vendor config binds a credential to, though no imported operation requires them.
    needed.extend(k for k in extra_components if k not in needed and _get(src_components, *k) is not None)

    def existing(section: str, name: str) -> Any:
        return _get(target, "components", section, name)

    renames: dict[ComponentKey, str] = {}
    # Both versions are judged as the target document will read them.
    version = str(target.get("openapi") or source_doc.get("openapi") or "3.0.3")

    def incoming(key: ComponentKey) -> Any:
        return rewrite_refs(plain(src_components[key[0]][key[1]]), renames)

    def verdict(section: str, name: str, key: ComponentKey) -> Verdict | None:
        current = existing(section, name)
        return None if current is None else compare(current, incoming(key), section, version)

    def conflicts() -> list[ComponentKey]:
        found = []
        for key in needed:
            if key in options.replace_components and key not in renames:
                continue
            judged = verdict(key[0], renames.get(key, key[1]), key)
            if judged is not None and not judged.same:
                found.append(key)
        return found

    for _ in range(len(needed) + 2):
        clashing = conflicts()
        if not clashing or options.replace or not options.rename_conflicts:
            break
        for key in clashing:
            renames[key] = _fresh_name(key, needed, renames, functools.partial(_judge_as, verdict, key))
    clashing = [] if options.replace else conflicts()

    referenced_before = referenced_components(target) if options.prune else set()
    target_had_paths = bool(target.get("paths"))
    src_security = source_doc.get("security")
    adopt_security = "security" not in target and not target_had_paths and bool(src_security)
    target_security = src_security if adopt_security else target.get("security")

    prepared: list[tuple[Operation, Any, Verdict | None]] = []
    op_conflicts: list[tuple[Operation, Any, Any]] = []
    ids_elsewhere = {
        str(op.get("operationId")): (path, method)
        for path, method, op, _ptr in iter_operations(target, document_order=True)
        if op.get("operationId")
    }
    for operation in operations:
        node = _prepare_operation(operation, source_doc, target, target_security, renames, options)
        current = _get(target, "paths", operation.path, operation.method)
        op_id = node.get("operationId")
        where = ids_elsewhere.get(str(op_id)) if op_id else None
        if where is not None and where != (operation.path, operation.method):
            raise ImportConflict(
                f"operationId {op_id!r} of {operation.method.upper()} {operation.path} is already used by "
                f"{where[1].upper()} {where[0]} in the vendor's spec; nothing was written"
            )
        judged = None if current is None else compare(_without_provenance(current), _without_provenance(node),
                                                          "operation", version)  # fmt: skip
        if judged is not None and not judged.same and not (options.replace or options.replace_operations):
            op_conflicts.append((operation, current, node))
        prepared.append((operation, node, judged))

    if clashing or op_conflicts:
        raise ImportConflict(_conflict_message(clashing, op_conflicts, existing, incoming, renames, options))

    # Nothing can fail from here on: apply.
    if adopt_security:
        set_in_order(target, "security", detached(src_security))
    if "servers" not in target and source_doc.get("servers"):
        set_in_order(target, "servers", detached(source_doc["servers"]))
    for key in needed:
        section, name = key[0], renames.get(key, key[1])
        label = f"{section}/{name}"
        if key in renames:
            report.renamed[f"{key[0]}/{key[1]}"] = label
        current = existing(section, name)
        judged = verdict(section, name, key)
        replacing = options.replace or (key in options.replace_components and key not in renames)
        if judged is not None and judged.same and not judged.identical and not replacing:
            report.components_shared.append(label)
            report.warnings.append(
                f"components/{section}/{name}: the source's version {judged.describe()}; kept the vendor's"
            )
            continue
        if judged is not None and judged.identical:
            report.components_shared.append(label)
            continue
        if "components" not in target:
            set_in_order(target, "components", CommentedMap())
        sections = target["components"]
        if section not in sections or sections[section] is None:
            sections[section] = CommentedMap()
        sections[section][name] = rewrite_refs(detached(src_components[key[0]][key[1]]), renames)
        (report.components_replaced if current is not None else report.components_added).append(label)
    if "paths" not in target or target["paths"] is None:
        set_in_order(target, "paths", CommentedMap())
    for operation, node, judged in prepared:
        label = f"{operation.operation_id} ({operation.method.upper()} {operation.path})"
        item = target["paths"].get(operation.path)
        if item is None:
            item = CommentedMap()
            for field_name in PATH_ITEM_FIELDS:
                if field_name in operation.path_item:
                    item[field_name] = rewrite_refs(detached(operation.path_item[field_name]), renames)
            target["paths"][operation.path] = item
        current = item.get(operation.method)
        if current is None:
            item[operation.method] = node
            report.added.append(label)
        elif judged is not None and (judged.identical or (judged.same and not options.replace_operations
                                                           and not options.replace)):  # fmt: skip
            if X_IMPORTED_FROM not in current or options.replace_operations:
                current[X_IMPORTED_FROM] = node[X_IMPORTED_FROM]
            report.unchanged.append(label)
            if not judged.identical:
                report.warnings.append(
                    f"operation {label}: the source's version {judged.describe()}; kept the vendor's"
                )
        else:
            item[operation.method] = node
            report.replaced.append(label)
    _add_tag_definitions(target, source_doc, [node for _, node, _ in prepared])
    if options.prune:
        report.components_removed = prune_components(target, referenced_before)
    return report


def referenced_components(doc: Any) -> set[ComponentKey]:
    """Components reachable from the document's paths, webhooks and security requirements, transitively."""
    components = doc.get("components") or {}
    roots = [(doc.get(k), f"/{k}") for k in ("paths", "webhooks") if isinstance(doc.get(k), dict)]
    found: set[ComponentKey] = set()
    for requirement in doc.get("security") or []:
        found.update(("securitySchemes", str(n)) for n in (requirement if isinstance(requirement, dict) else {}))
    for operation in source_operations(doc):
        found.update(("securitySchemes", n) for n in security_names(doc, operation.node))
    queue = list(roots)
    while queue:
        node, ptr = queue.pop()
        for key, _where in component_refs(node, ptr, strict=False):
            if key in found:
                continue
            found.add(key)
            target = _get(components, *key)
            if target is not None:
                queue.append((target, "#" + join_pointer("components", *key)))
    return found


def prune_components(target: Any, referenced_before: set[ComponentKey]) -> list[str]:
    """Remove components that were referenced before the merge and are not any more; their labels."""
    removed: list[str] = []
    now = referenced_components(target)
    sections = target.get("components") or {}
    for section, name in sorted(referenced_before - now):
        if section == "securitySchemes":  # the vendor config binds credentials to them
            continue
        entries = sections.get(section)
        if isinstance(entries, dict) and name in entries:
            del entries[name]
            removed.append(f"{section}/{name}")
            if not entries:
                del sections[section]
    return removed


def _judge_as(
    verdict: Callable[[str, str, ComponentKey], Verdict | None], key: ComponentKey, section: str, name: str
) -> Verdict | None:
    return verdict(section, name, key)


def _fresh_name(key: ComponentKey, needed: list[ComponentKey], renames: dict[ComponentKey, str],
                verdict: Callable[[str, str], Verdict | None]) -> str:  # fmt: skip
    section, base = key
    taken = {n for s, n in needed if s == section} | {v for k, v in renames.items() if k[0] == section and k != key}
    separator = "_" if base[-1:].isdigit() else ""
    for i in range(2, 10_000):
        candidate = f"{base}{separator}{i}"
        if candidate in taken:
            continue
        judged = verdict(section, candidate)
        if judged is None or judged.same:
            return candidate
    raise ImportConflict(f"no free name for {section}/{base}")  # pragma: no cover


def _without_provenance(op: Any) -> Any:
    data = plain(op)
    data.pop(X_IMPORTED_FROM, None)
    return data


def _prepare_operation(
    operation: Operation,
    source_doc: Any,
    target: Any,
    target_security: Any,
    renames: dict[ComponentKey, str],
    options: MergeOptions,
) -> Any:
    node = rewrite_refs(detached(operation.node), renames)
    src_security = source_doc.get("security")
    if "security" not in node and src_security and plain(src_security) != plain(target_security):
        node["security"] = detached(src_security)
    if isinstance(node.get("security"), list):
        for requirement in node["security"]:
            if isinstance(requirement, dict):
                for old in [k for k in requirement if ("securitySchemes", k) in renames]:
                    requirement[renames[("securitySchemes", old)]] = requirement.pop(old)
    target_item = _get(target, "paths", operation.path)
    if isinstance(target_item, dict):
        # The path exists: path-level fields the vendor's spec does not share move onto the operation.
        src_params = operation.path_item.get("parameters")
        if src_params and plain(src_params) != plain(target_item.get("parameters")):
            own = {(p.get("name"), p.get("in")) for p in node.get("parameters") or [] if isinstance(p, dict)}
            inherited = [
                rewrite_refs(detached(p), renames)
                for p in src_params
                if not (isinstance(p, dict) and (p.get("name"), p.get("in")) in own)
            ]
            node["parameters"] = inherited + list(node.get("parameters") or [])
        if operation.path_item.get("servers") and "servers" not in node and "servers" not in target_item:
            node["servers"] = detached(operation.path_item["servers"])
    node[X_IMPORTED_FROM] = CommentedMap(
        [("source", options.source), ("date", options.date), ("sha256", operation.sha256)]
    )
    return node


def _add_tag_definitions(target: Any, source_doc: Any, nodes: list[Any]) -> None:
    tags = target.get("tags")
    definitions = source_doc.get("tags")
    if not isinstance(tags, list) or not isinstance(definitions, list):
        return
    have = {t.get("name") for t in tags if isinstance(t, dict)}
    used = {t for node in nodes for t in node.get("tags") or [] if isinstance(t, str)}
    for definition in definitions:
        name = definition.get("name") if isinstance(definition, dict) else None
        if name in used and name not in have:
            tags.append(detached(definition))
            have.add(name)


def _conflict_message(
    clashing: list[ComponentKey],
    op_conflicts: list[tuple[Operation, Any, Any]],
    existing: Any,
    incoming: Any,
    renames: dict[ComponentKey, str],
    options: MergeOptions,
) -> str:
    parts = [
        f"{len(clashing) + len(op_conflicts)} conflict(s) between the vendor's spec and {options.source}; "
        "nothing was written"
    ]
    for key in clashing:
        name = renames.get(key, key[1])
        parts.append(f"\ncomponent {key[0]}/{name} differs:")
        parts.append(unified_diff(existing(key[0], name), incoming(key), "vendor's spec", "source"))
    for operation, current, node in op_conflicts:
        parts.append(f"\noperation {operation.operation_id} ({operation.method.upper()} {operation.path}) differs:")
        parts.append(unified_diff(_without_provenance(current), _without_provenance(node), "vendor's spec", "source"))
    parts.append("")
    parts.extend(conflict_hints(bool(clashing), bool(op_conflicts), options))
    return "\n".join(parts)


def conflict_hints(components: bool, operations: bool, options: MergeOptions) -> list[str]:
    """What to pass to get past the conflicts: only the flags that resolve them."""
    hints: list[str] = []
    if components:
        hints.append(
            "For the components: --rename-conflicts imports the source's versions under new names (NAME2, "
            "references rewritten), or --replace overwrites the vendor's versions."
        )
    if operations:
        already = " (--rename-conflicts renames components only)" if options.rename_conflicts else ""
        hints.append(
            f"For the operations: --replace overwrites the vendor's operations{already}; "
            "an operation cannot be renamed (its path and method are its name), so otherwise leave it out of "
            "the selection (--operation, --path, --tag)."
        )
    return hints
