"""Read OpenAPI documents from disk and bundle their file ``$ref``s into one document.

Parsing uses PyYAML's C loader when available (about 4x faster than the pure-Python
one on large specs; see ``yaml_source``, imported only for YAML). Local ``$ref``s are kept as
references (cycles are fine); references to other files inside the spec's folder are resolved
as a bundler does (see ``_Bundler``) so everything downstream sees one self-contained document,
and ``Document.locate`` maps a pointer in that document back to the file and line it came from.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import (
    SpecError,
    SpecWarning,
    escape_pointer_token,
    join_pointer,
    split_pointer,
)
from generator.naming import unique
from generator.spec import refs
from generator.spec.refs import COMPONENT_SECTION

# Bounds that keep hostile documents from exhausting memory or time.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 200
# Values (containers and scalars) a document may hold once YAML aliases are expanded.
# The largest real spec we know (Twilio, 850 kB) has about 60 000; an alias bomb has billions.
MAX_NODES = 3_000_000

COMPONENT_SECTIONS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
)


@dataclass
class Document:
    """A parsed document and where it came from."""

    path: Path
    data: dict[str, Any]
    text: str
    # Files pulled in through $ref, by resolved path, for error locations and hashing.
    included: dict[Path, str] = field(default_factory=dict)
    # What the loader tolerated (a `$ref` resolved against nested `$defs`, ...).
    warnings: list[SpecWarning] = field(default_factory=list)
    # Pointer in the bundled document -> (file, pointer in that file) of what was copied there.
    origins: dict[str, tuple[Path, str]] = field(default_factory=dict)
    _lines: dict[Path, Any] = field(default_factory=dict, repr=False)

    def source_of(self, pointer: str) -> tuple[Path, str]:
        """The file and the pointer in it that the bundled document's ``pointer`` was read from."""
        probe = pointer
        while True:
            origin = self.origins.get(probe)
            if origin is not None:
                return origin[0], origin[1] + pointer[len(probe) :]
            if not probe:
                return self.path, pointer
            probe = probe.rsplit("/", 1)[0]

    def locate(self, pointer: str) -> tuple[Path, str, int | None]:
        """``(file, pointer in it, 1-based line)`` of a pointer into the bundled document (line best-effort)."""
        file, inner = self.source_of(pointer)
        file = self.path if file == self.path.resolve() else file
        return file, inner, self.line_in(file, inner)

    def line_in(self, file: Path, pointer: str) -> int | None:
        """1-based line of ``pointer`` in the spec file or a file it includes (each file parsed once)."""
        if file not in self._lines:
            text = self.text if file in (self.path, self.path.resolve()) else self.included.get(file)
            self._lines[file] = _compose_quietly(file, text)
        return _line_in(self._lines[file], pointer)


def parse_text(text: str, path: Path) -> Any:
    """Parse YAML or JSON text, raising a located SpecError on failure."""
    stripped = text.lstrip()
    if path.suffix.lower() == ".json" or stripped.startswith(("{", "[")):
        try:
            return _bound_json(json.loads(text, object_pairs_hook=_json_object_no_duplicates), path)
        except json.JSONDecodeError as exc:
            raise SpecError(f"invalid JSON: {exc.msg}", file=path, line=exc.lineno) from None
        except _DuplicateKey as exc:
            raise SpecError(f"duplicate key {exc.args[0]!r}", file=path) from None
        except RecursionError:
            raise SpecError(f"JSON nested deeper than Python can parse (>{MAX_DEPTH})", file=path) from None
    from generator.spec import yaml_source  # only a YAML document pays for importing PyYAML

    return bound_tree(yaml_source.parse(text, path), path)


def _children(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield escape_pointer_token(key), value
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield str(index), value


def bound_tree(data: Any, path: Path) -> Any:
    """Refuse documents too big or too deep once expanded; return a tree without shared nodes.

    YAML aliases make the parsed document a graph: one anchored mapping may appear in many
    places (or inside itself). PyYAML's C composer does not bound how many aliases a
    document uses, so a few hundred bytes can stand for billions of values, and the passes
    that edit the document in place would change every place an alias appears at once.
    This measures the expanded size and depth of every node once (memoized, so the walk is
    linear in the parsed size, not in the expanded size), fails with a located SpecError past
    ``MAX_NODES`` values or ``MAX_DEPTH`` levels or on a recursive alias, and otherwise copies
    shared nodes so each place holds its own tree.
    """
    if not isinstance(data, (dict, list)):
        return data
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    on_path: set[int] = set()
    shared = False
    stack: list[tuple[Any, bool, str]] = [(data, False, "")]
    while stack:
        node, done, ptr = stack.pop()
        nid = id(node)
        if done:
            total, tallest = 1, 0
            for _token, child in _children(node):
                if isinstance(child, (dict, list)):
                    total += size[id(child)]
                    tallest = max(tallest, height[id(child)] + 1)
                else:
                    total += 1
            size[nid], height[nid] = total, tallest
            on_path.discard(nid)
            continue
        if nid in size:
            shared = True
            continue
        if nid in on_path:
            raise SpecError("recursive YAML alias: a value contains itself", file=path, pointer=ptr)
        on_path.add(nid)
        stack.append((node, True, ptr))
        for token, child in _children(node):
            if isinstance(child, (dict, list)):
                stack.append((child, False, f"{ptr}/{token}"))
    if height[id(data)] > MAX_DEPTH:
        ptr = _descend(data, lambda n: height[id(n)] > MAX_DEPTH - 10, limit=10)
        raise SpecError(f"document nested deeper than {MAX_DEPTH} levels below here", file=path, pointer=ptr or "/")
    if size[id(data)] > MAX_NODES:
        ptr = _descend(data, lambda n: size[id(n)] > MAX_NODES)
        if shared:
            message = (
                f"document expands to {size[id(data)]:,} values through YAML aliases, over the limit of "
                f"{MAX_NODES:,} (an alias bomb?); the alias expansion starts here"
            )
        else:  # JSON, or YAML without aliases: simply too big
            message = f"document holds {size[id(data)]:,} values, over the limit of {MAX_NODES:,}; most are below here"
        raise SpecError(message, file=path, pointer=ptr or "/")
    return _unshare(data) if shared else data


def _bound_json(data: Any, path: Path) -> Any:
    """``bound_tree`` for what ``json.loads`` returns: a tree (JSON has no aliases), so counted level by level.

    Within the bounds, that is all ``bound_tree`` would find; past them, it is asked where.
    """
    level: list[Any] = [data] if isinstance(data, (dict, list)) else []
    values, depth = 1, -1
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            break
        below: list[Any] = []
        for node in level:
            values += len(node)
            below += [child for child in (node.values() if type(node) is dict else node) if type(child) in _CONTAINERS]
        level = below
    if depth > MAX_DEPTH or values > MAX_NODES:
        return bound_tree(data, path)  # raises, saying where
    return data


_CONTAINERS = (dict, list)


def _descend(data: Any, too_big: Callable[[Any], bool], limit: int = MAX_DEPTH) -> str:
    """Pointer of the deepest node (at most ``limit`` levels down) on a chain of ``too_big`` nodes."""
    node, ptr = data, ""
    for _ in range(limit):
        for token, child in _children(node):
            if isinstance(child, (dict, list)) and too_big(child):
                node, ptr = child, f"{ptr}/{token}"
                break
        else:
            break
    return ptr


def _unshare(data: Any) -> Any:
    """A copy of ``data`` in which no container appears twice (bounded by the size check)."""
    root: Any = dict(data) if isinstance(data, dict) else list(data)
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        keys = list(node) if isinstance(node, dict) else range(len(node))
        for key in keys:
            value = node[key]
            if isinstance(value, (dict, list)):
                copy: Any = dict(value) if isinstance(value, dict) else list(value)
                node[key] = copy
                stack.append(copy)
    return root


class _DuplicateKey(Exception):
    pass


def _json_object_no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def read_text(path: Path) -> str:
    """Read a spec file as UTF-8 text with size and encoding checks."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SpecError("file not found", file=path) from None
    except OSError as exc:
        raise SpecError(f"cannot read file: {exc.strerror}", file=path) from None
    if path.is_dir():
        raise SpecError("is a directory, expected an OpenAPI file", file=path)
    if size > MAX_FILE_BYTES:
        raise SpecError(f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit", file=path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError(f"cannot read file: {exc.strerror}", file=path) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(f"not UTF-8 text (byte {exc.start})", file=path) from None


def load_document(path: Path | str) -> Document:
    """Load a spec file and bundle the files it references into one document."""
    path = Path(path)
    text = read_text(path)
    data = parse_text(text, path)
    if not isinstance(data, dict):
        raise SpecError(
            f"expected a mapping at the top level, found {type(data).__name__}",
            file=path,
            pointer="/",
        )
    if not any(k in data for k in ("openapi", "swagger")):
        raise SpecError("not an OpenAPI document: no `openapi` field", file=path, pointer="/")
    if "swagger" in data and "openapi" not in data:
        raise SpecError(
            "Swagger 2.0 documents are not supported; convert to OpenAPI 3 first",
            file=path,
            pointer="/swagger",
        )
    doc = Document(path=path, data=data, text=text)
    _Bundler(doc).run()
    return doc


def line_of(path: Path, pointer: str, text: str | None = None) -> int | None:
    """Best-effort 1-based line of the node at ``pointer`` in a YAML or JSON file."""
    return _line_in(_compose_quietly(path, text), pointer)


def _compose_quietly(path: Path, text: str | None) -> Any:
    """The YAML node tree of a file (JSON is YAML), or None when it cannot be read."""
    from generator.spec import yaml_source

    try:
        if text is None:
            text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    return yaml_source.compose_quietly(text)


def _line_in(node: Any, pointer: str) -> int | None:
    """Line of ``pointer`` in a composed tree; the deepest existing ancestor's line when it is absent."""
    if node is None:
        return None
    from generator.spec import yaml_source

    return yaml_source.line_in(node, pointer)


def resolve_pointer(data: Any, pointer: str) -> Any:
    """Return the value at a JSON pointer, raising KeyError when it does not exist."""
    node = data
    for token in split_pointer(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(token)
    return node


def iter_refs(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any], str]]:
    """Yield ``(pointer_of_ref_object, ref_object, ref_value)`` for every ``$ref`` in a tree."""
    stack: list[tuple[Any, str, int]] = [(node, pointer, 0)]
    while stack:
        current, ptr, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SpecError(f"document nested deeper than {MAX_DEPTH} levels", pointer=ptr)
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield ptr, current, ref
            for key, value in current.items():
                if isinstance(value, (dict, list)):
                    stack.append((value, ptr + "/" + escape_pointer_token(key), depth + 1))
        elif isinstance(current, list):
            for index, value in enumerate(current):
                if isinstance(value, (dict, list)):
                    stack.append((value, f"{ptr}/{index}", depth + 1))


def iter_ref_objects(node: Any) -> Iterator[tuple[dict[str, Any], str]]:
    """``(ref_object, ref_value)`` for every ``$ref`` in a tree, level by level, without building pointers.

    The same objects as ``iter_refs`` (in another order), for passes that rewrite references in place.
    """
    level: list[Any] = [node] if isinstance(node, (dict, list)) else []
    depth = 0
    while level:
        if depth > MAX_DEPTH:
            for _ in iter_refs(node):  # rare: walk again with pointers, to say where
                pass
        below: list[Any] = []
        for current in level:
            if isinstance(current, dict):
                ref = current.get("$ref")
                if isinstance(ref, str):
                    yield current, ref
                below += [value for value in current.values() if isinstance(value, (dict, list))]
            else:
                below += [value for value in current if isinstance(value, (dict, list))]
        level = below
        depth += 1


# A JSON pointer not built yet: a pointer, or (a pointer not built yet, the raw key below it).
_Pointer = str | tuple[Any, Any]


def _pointer(at: _Pointer) -> str:
    """The JSON pointer a ``_Pointer`` stands for."""
    keys: list[Any] = []
    while not isinstance(at, str):
        at, key = at
        keys.append(key)
    return at + "".join("/" + escape_pointer_token(key) for key in reversed(keys))


class UnresolvableRef(SpecError):
    """A ``$ref`` naming nothing: a missing file, or nothing at its pointer."""


class _Bundler:
    """Resolve file ``$ref``s the way a bundler does, by where each one stands (see ``refs``).

    A reference to something with a ``components`` home (a schema, a parameter, a response...)
    is copied there once and referred to locally; anything else (a path item, an operation, a
    whole ``properties`` or ``paths`` map) is copied in place. ``$ref``s inside examples,
    defaults and ``x-`` extensions are data and are never followed.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.root_file = doc.path.resolve()
        self.root_dir = self.root_file.parent
        # (file, fragment, section) -> local ref already created for it
        self.imported: dict[tuple[Path, str, str], str] = {}
        self.file_cache: dict[Path, Any] = {self.root_file: doc.data}
        # Path.resolve() costs a few system calls; big multi-file specs repeat the same few hundred refs.
        self.resolved: dict[tuple[Path, str], Path] = {}
        # (node, its parent and key there, file it came from, pointer in that file, pointer in the
        # bundle, role, refs being inlined around it); the pointers are built only at a $ref (_pointer).
        self.stack: list[tuple[Any, Any, Any, Path, _Pointer, _Pointer, str, tuple[tuple[Path, str], ...]]] = []

    def run(self) -> None:
        self.stack.append((self.doc.data, None, "", self.root_file, "", "", "document", ()))
        while self.stack:
            node, parent, key, file, fptr, dptr, role, chain = self.stack.pop()
            if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                if role not in COMPONENT_SECTION and parent is not None:
                    self._inline(node, parent, key, file, fptr, dptr, role, chain)
                    continue
                node["$ref"] = self._reference_or_leave(node["$ref"], file, fptr, role)
            is_list = isinstance(node, list)
            for child_key, child, child_role in refs.keyed_children(node, role):
                # A mapping key as its pointer token reads back (str, as unescaping the token gave before).
                child_key = child_key if is_list else str(child_key)
                self.stack.append(
                    (child, node, child_key, file, (fptr, child_key), (dptr, child_key), child_role, chain)
                )

    def _where(self, file: Path, fptr: _Pointer) -> dict[str, Any]:
        return {"file": self.doc.path if file == self.root_file else file, "pointer": _pointer(fptr) + "/$ref"}

    def _inline(
        self,
        node: dict[str, Any],
        parent: Any,
        key: Any,
        file: Path,
        fptr: _Pointer,
        dptr: _Pointer,
        role: str,
        chain: tuple[tuple[Path, str], ...],
    ) -> None:
        """Put what the ``$ref`` names in place of the reference object (its sibling keys win)."""
        ref = node["$ref"]
        target_file, fragment, target = self._target(ref, file, fptr)
        if (target_file, fragment) in chain:
            raise SpecError(f"$ref cycle through {ref!r}", **self._where(file, fptr))
        copied = json.loads(json.dumps(target))  # detached copy; the source stays as read
        if isinstance(copied, dict):
            copied.update((k, v) for k, v in node.items() if k != "$ref")
        parent[key] = copied
        if target_file != self.root_file:
            self.doc.origins[_pointer(dptr)] = (target_file, fragment)
        link = (*chain, (target_file, fragment))
        self.stack.append((copied, parent, key, target_file, fragment, dptr, role, link))

    def _reference_or_leave(self, ref: str, file: Path, fptr: _Pointer, role: str) -> str:
        """The bundled ref; an unresolvable one is left for the model builder to skip what uses it.

        A local ref of the spec file itself stays as written (the validator reports it); one
        from an included file is warned about here and made non-local, so it cannot
        resolve by accident against the spec file's root.
        """
        try:
            return self._reference(ref, file, fptr, role)
        except UnresolvableRef as exc:
            parsed = urllib.parse.urlsplit(ref)
            if file == self.root_file and not parsed.path:
                return ref
            self.doc.warnings.append(SpecWarning("unresolved-ref", exc.message, exc.pointer or "", exc.file))
            relative = file.relative_to(self.root_dir).as_posix() if file != self.root_file else ""
            return ref if parsed.path else f"{relative}{ref}"

    def _reference(self, ref: str, file: Path, fptr: _Pointer, role: str) -> str:
        target_file, fragment, target = self._target(ref, file, fptr)
        if target_file == self.root_file:
            return "#" + fragment
        return self._import(target_file, fragment, target, COMPONENT_SECTION[role], role)

    def _target(self, ref: str, file: Path, fptr: _Pointer) -> tuple[Path, str, Any]:
        """The file, fragment and value a ``$ref`` names, confined to the spec's folder and the disk."""
        parsed = urllib.parse.urlsplit(ref)
        if parsed.scheme or parsed.netloc:
            raise SpecError(
                f"remote $ref {ref!r} is not fetched; download it next to the spec and refer to the file",
                **self._where(file, fptr),
            )
        fragment = urllib.parse.unquote(parsed.fragment)
        if fragment and not fragment.startswith("/"):
            raise SpecError(f"$ref {ref!r} has a fragment that is not a JSON pointer", **self._where(file, fptr))
        # A ref within its own file stays in a file already confined (the spec, or one that passed this check).
        target_file = file if not parsed.path else self._resolve_path(file, urllib.parse.unquote(parsed.path))
        if parsed.path and not target_file.is_relative_to(self.root_dir):
            raise SpecError(
                f"$ref {ref!r} points outside the spec's folder {self.root_dir}; refusing to read it",
                **self._where(file, fptr),
            )
        data = self._file_data(target_file, file, fptr)
        try:
            return target_file, fragment, resolve_pointer(data, fragment)
        except (KeyError, ValueError):
            pass
        where = self._where(file, fptr)
        nearest = _enclosing_definition(data, fragment, _pointer(fptr)) if target_file == file else None
        if nearest is None:
            raise UnresolvableRef(
                f"unresolvable $ref {ref!r}: nothing at {fragment or '/'} in {target_file.name}", **where
            ) from None
        self.doc.warnings.append(
            SpecWarning(
                "nested-defs",
                f"$ref {ref!r} names nothing at the document root: resolved against the nearest enclosing "
                f"{split_pointer(fragment)[0]}, {nearest}",
                where["pointer"],
                where["file"],
            )
        )
        return target_file, nearest, resolve_pointer(data, nearest)

    def _resolve_path(self, file: Path, relative: str) -> Path:
        key = (file, relative)
        if key not in self.resolved:
            self.resolved[key] = (file.parent / relative).resolve()
        return self.resolved[key]

    def _file_data(self, target: Path, file: Path, fptr: _Pointer) -> Any:
        if target not in self.file_cache:
            if not target.is_file():
                raise UnresolvableRef(f"$ref names a file that does not exist: {target}", **self._where(file, fptr))
            text = read_text(target)
            self.file_cache[target] = parse_text(text, target)
            self.doc.included[target] = text
        return self.file_cache[target]

    def _import(self, target_file: Path, fragment: str, target: Any, section: str, role: str) -> str:
        key = (target_file, fragment, section)
        if key in self.imported:
            return self.imported[key]
        tokens = split_pointer(fragment)
        if len(tokens) == 3 and tokens[0] == "components" and tokens[1] in COMPONENT_SECTIONS:
            name = tokens[2]
        else:
            name = "_".join([target_file.stem, *tokens]) if tokens else target_file.stem
        components = self.doc.data.setdefault("components", {}).setdefault(section, {})
        unique_name = unique(name, components)
        local = "#" + join_pointer("components", section, unique_name)
        self.imported[key] = local
        copied = json.loads(json.dumps(target))  # detached copy; the source file stays as read
        components[unique_name] = copied
        self.doc.origins[local[1:]] = (target_file, fragment)
        self.stack.append((copied, None, None, target_file, fragment, local[1:], role, ()))
        return local


def _enclosing_definition(data: Any, fragment: str, fptr: str) -> str | None:
    """``#/$defs/X`` written inside a schema that carries the ``$defs``: the nearest enclosing one that has X.

    JSON Schema resolves ``#`` against the document root, but schemas pasted into an OpenAPI
    document (Pydantic's output, say) keep their own ``$defs`` and refer to them that way.
    """
    tokens = split_pointer(fragment)
    if len(tokens) < 2 or tokens[0] not in ("$defs", "definitions"):
        return None
    here = split_pointer(fptr)
    for depth in range(len(here), 0, -1):
        candidate = join_pointer(*here[:depth], *tokens)
        try:
            resolve_pointer(data, candidate)
        except (KeyError, ValueError):
            continue
        return candidate
    return None
