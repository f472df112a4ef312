"""Pick operations from a source document and the components they reference, transitively."""

from __future__ import annotations

import difflib
import fnmatch
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.errors import join_pointer, split_pointer
from generator.importer.errors import ImportError_, SourceRefError
from generator.importer.yamlio import plain
from generator.spec.normalize import iter_operations

ComponentKey = tuple[str, str]  # (section, name)
PATH_ITEM_FIELDS = ("summary", "description", "servers", "parameters")


@dataclass
class Operation:
    """One selected operation, as found in the source (layout nodes, not copies)."""

    path: str
    method: str
    node: Any
    path_item: Any
    components: list[ComponentKey] = field(default_factory=list)
    sha256: str = ""

    @property
    def operation_id(self) -> str:
        """The operationId, or ``METHOD path`` when the source gives none."""
        op_id = self.node.get("operationId")
        return str(op_id) if op_id else f"{self.method.upper()} {self.path}"


def source_operations(doc: Any) -> list[Operation]:
    """Every operation of a source document, in document order."""
    return [
        Operation(str(path), method, op, doc["paths"][path])
        for path, method, op, _ptr in iter_operations(doc, document_order=True)
    ]


def _flat_tags(tags: Any) -> set[str]:
    found: set[str] = set()
    for tag in tags or []:
        if isinstance(tag, list):
            found |= _flat_tags(tag)
        elif isinstance(tag, str):
            found.add(tag)
    return found


def select_operations(
    doc: Any, operation_ids: Sequence[str] = (), paths: Sequence[str] = (), tags: Sequence[str] = ()
) -> list[Operation]:
    """Operations matching any selector (all of them when none is given), in document order."""
    every = source_operations(doc)
    selecting = bool(operation_ids or paths or tags)
    chosen: list[Operation] = []
    used_ids: set[str] = set()
    used_paths: set[str] = set()
    used_tags: set[str] = set()
    for operation in every:
        path, op = operation.path, operation.node
        op_id = str(op.get("operationId", ""))
        hit = not selecting
        if op_id and op_id in operation_ids:
            used_ids.add(op_id)
            hit = True
        for pattern in paths:
            if path == pattern or (any(c in pattern for c in "*?[") and fnmatch.fnmatchcase(path, pattern)):
                used_paths.add(pattern)
                hit = True
        for tag in _flat_tags(op.get("tags")) & set(tags):
            used_tags.add(tag)
            hit = True
        if hit:
            chosen.append(operation)
    known_ids = [str(o.node.get("operationId")) for o in every if o.node.get("operationId")]
    problems = []
    missing = [op_id for op_id in operation_ids if op_id not in used_ids]
    for op_id in missing:
        problems.append(f"unknown operation id {op_id!r}")
    for pattern in paths:
        if pattern not in used_paths:
            close = difflib.get_close_matches(pattern, [o.path for o in every], n=3)
            problems.append(
                f"no path {pattern!r} in the source" + (f"; did you mean {', '.join(close)}?" if close else "")
            )
    all_tags = sorted({t for o in every for t in _flat_tags(o.node.get("tags"))})
    for tag in tags:
        if tag not in used_tags:
            problems.append(f"no operation tagged {tag!r} (tags: {', '.join(all_tags) or 'none'})")
    if missing:
        problems.append(_known_ids(missing, known_ids))
    if problems:
        raise ImportError_("; ".join(problems))
    if not chosen:
        raise ImportError_("the source has no operations to import")
    for operation in chosen:
        operation.components = component_closure(doc, operation)
        operation.sha256 = operation_hash(doc, operation)
    return chosen


def _known_ids(missing: Sequence[str], known_ids: list[str]) -> str:
    """The source's operationIds, those closest to the ones asked for first."""
    if not known_ids:
        return "the source's operations have no operationIds; select them with --path or --tag"
    close: list[str] = []
    for op_id in missing:
        close.extend(c for c in difflib.get_close_matches(op_id, known_ids, n=5, cutoff=0.5) if c not in close)
    rest = sorted(set(known_ids) - set(close), key=str.lower)
    listed = ", ".join([*close, *rest])
    lead = f"did you mean {', '.join(close)}? " if close else ""
    return f"{lead}the source's {len(set(known_ids))} operationIds: {listed}"


def component_refs(
    node: Any, pointer: str, strict: bool = True, inside: str | None = None
) -> Iterator[tuple[ComponentKey, str]]:
    """``((section, name), where)`` for each component a subtree refers to (``$ref`` and discriminator mappings).

    A reference that does not point into ``#/components`` is an error, or skipped when not ``strict``;
    one into the subtree at pointer ``inside`` (an operation's own ``$defs``, which the loader
    points at in place) is copied with it, so it needs nothing. As in the spec loader, what stands
    in ``x-`` extensions and ``example`` values is data, not a reference; under ``examples`` only
    references to components are followed.
    """
    stack: list[tuple[Any, str, bool, bool]] = [(node, pointer, strict, False)]
    own = f"#{inside}/" if inside else None
    while stack:
        current, ptr, exact, named = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and own and ref.startswith(own):
                pass
            elif isinstance(ref, str) and (exact or _is_component_ref(ref)):
                where = ptr + "/$ref"
                yield parse_component_ref(ref, where), where
            mapping = (current.get("discriminator") or {}).get("mapping") if "discriminator" in current else None
            if isinstance(mapping, dict):
                for name, value in mapping.items():
                    # A bare schema name means `#/components/schemas/<name>`; a URI reference elsewhere
                    # (`#/$defs/X`, or a file such as `models/types.yml#/a`) is left as written, as the
                    # loader leaves it.
                    if isinstance(value, str) and (value.startswith("#") or not {"/", "#"} & set(value)):
                        ref = value if value.startswith("#") else "#" + join_pointer("components", "schemas", value)
                        if _is_component_ref(ref):
                            where = ptr + join_pointer("discriminator", "mapping", str(name))
                            yield parse_component_ref(ref, where), where
            for key, value in reversed(list(current.items())):
                # In a map of names (headers, properties...) `x-request-id` is a name, not an extension.
                if isinstance(value, (dict, list)) and (named or not _is_data(key)):
                    child_named = not named and key in _NAME_MAPS
                    stack.append((value, ptr + join_pointer(str(key)), exact and key != "examples", child_named))
        elif isinstance(current, list):
            for index in reversed(range(len(current))):
                if isinstance(current[index], (dict, list)):
                    stack.append((current[index], f"{ptr}/{index}", exact, False))


# Fields whose value maps names (chosen by the spec's author) to objects.
_NAME_MAPS = frozenset(
    {"headers", "properties", "patternProperties", "$defs", "definitions", "encoding", "links", "callbacks"}
)


def _is_data(key: Any) -> bool:
    return str(key).startswith("x-") or key == "example"


def _is_component_ref(ref: str) -> bool:
    return ref.startswith("#/components/") and len(split_pointer(ref[1:])) >= 3


def parse_component_ref(ref: str, where: str) -> ComponentKey:
    """``(section, name)`` of a ``#/components/<section>/<name>[/...]`` reference."""
    if not ref.startswith("#/"):
        raise SourceRefError(
            f"$ref {ref!r} points outside the document; import handles only #/components/... "
            "references (bundle the document first)",
            where,
        )
    tokens = split_pointer(ref[1:])
    if len(tokens) < 3 or tokens[0] != "components":
        raise SourceRefError(f"$ref {ref!r} does not point into #/components; import cannot follow it", where)
    return tokens[1], tokens[2]


def security_names(doc: Any, op: Any) -> list[str]:
    """Security scheme names an operation needs (its own ``security``, else the document's)."""
    requirements = op.get("security") if "security" in op else doc.get("security")
    names: list[str] = []
    for requirement in requirements or []:
        if isinstance(requirement, dict):
            names.extend(str(n) for n in requirement if str(n) not in names)
    return names


def component_closure(doc: Any, operation: Operation, strict: bool = True) -> list[ComponentKey]:
    """Every component the operation needs, transitively, in discovery order.

    A dangling or non-component reference is an error, or skipped when not ``strict``.
    """
    components = doc.get("components") or {}
    roots: list[tuple[Any, str]] = [(operation.node, join_pointer("paths", operation.path, operation.method))]
    if isinstance(operation.path_item.get("parameters"), list):
        roots.append((operation.path_item["parameters"], join_pointer("paths", operation.path, "parameters")))
    found: list[ComponentKey] = [("securitySchemes", n) for n in security_names(doc, operation.node)]
    if strict:
        for key in found:
            _component(components, key, join_pointer("paths", operation.path, operation.method, "security"))
    queue = list(roots)
    own = join_pointer("paths", operation.path, operation.method)
    while queue:
        node, ptr = queue.pop(0)
        for key, where in component_refs(node, ptr, strict, inside=own if ptr.startswith(own) else None):
            if key in found:
                continue
            found.append(key)
            if strict:
                queue.append((_component(components, key, where), join_pointer("components", *key)))
            elif isinstance((components.get(key[0]) or {}).get(key[1]), (dict, list)):
                queue.append((components[key[0]][key[1]], join_pointer("components", *key)))
    return found


def _component(components: Any, key: ComponentKey, where: str) -> Any:
    section, name = key
    try:
        return components[section][name]
    except (KeyError, TypeError):
        target = "#" + join_pointer("components", section, name)
        raise SourceRefError(
            f"unresolvable $ref {target!r}: the source does not define it (is the document complete?)", where
        ) from None


def canonical(data: Any) -> str:
    """Canonical JSON of plain data, for hashing."""
    return json.dumps(plain(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def operation_hash(doc: Any, operation: Operation) -> str:
    """sha256 of an operation with its path-level fields and every component it needs, as in the source."""
    components = doc.get("components") or {}
    content = {
        "path": operation.path,
        "method": operation.method,
        "operation": operation.node,
        "path_item": {k: operation.path_item[k] for k in PATH_ITEM_FIELDS if k in operation.path_item},
        "security": doc.get("security") if "security" not in operation.node else None,
        "components": {f"{s}/{n}": components[s][n] for s, n in operation.components},
    }
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()
