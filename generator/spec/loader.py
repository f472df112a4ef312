"""Read OpenAPI documents from disk and bundle their file ``$ref``s into one document.

Parsing uses PyYAML's C loader when available (about 4x faster than the pure-Python
one on large specs). Local ``$ref``s are kept as references (cycles are fine); references
to other files inside the spec's folder are copied into ``components`` so everything
downstream sees one self-contained document.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import SpecError, escape_pointer_token, join_pointer, split_pointer
from generator.naming import unique

try:  # The C loader is optional in PyYAML builds; fall back quietly.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

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


class _Loader(_BaseLoader):
    """Safe YAML loader that refuses duplicate keys."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# YAML 1.1 turns `on`/`yes` and dates into bools and datetimes; OpenAPI wants JSON data,
# so timestamps stay strings.
_Loader.yaml_constructors = dict(_Loader.yaml_constructors)
_Loader.yaml_constructors["tag:yaml.org,2002:timestamp"] = _Loader.yaml_constructors["tag:yaml.org,2002:str"]


@dataclass
class Document:
    """A parsed document and where it came from."""

    path: Path
    data: dict[str, Any]
    text: str
    # Files pulled in through $ref, by resolved path, for error locations and hashing.
    included: dict[Path, str] = field(default_factory=dict)


def parse_text(text: str, path: Path) -> Any:
    """Parse YAML or JSON text, raising a located SpecError on failure."""
    stripped = text.lstrip()
    if path.suffix.lower() == ".json" or stripped.startswith(("{", "[")):
        try:
            return bound_tree(json.loads(text, object_pairs_hook=_json_object_no_duplicates), path)
        except json.JSONDecodeError as exc:
            raise SpecError(f"invalid JSON: {exc.msg}", file=path, line=exc.lineno) from None
        except _DuplicateKey as exc:
            raise SpecError(f"duplicate key {exc.args[0]!r}", file=path) from None
        except RecursionError:
            raise SpecError(f"JSON nested deeper than Python can parse (>{MAX_DEPTH})", file=path) from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.problem and exc.context:
            problem += f" ({exc.context})"
        raise SpecError(f"invalid YAML: {problem}", file=path, line=_yaml_error_line(exc, text)) from None
    except yaml.reader.ReaderError as exc:
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        line = text.count("\n", 0, exc.position) + 1
        raise SpecError(f"invalid YAML: character #x{char:04x}: {exc.reason}", file=path, line=line) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"invalid YAML: {exc}", file=path) from None
    except RecursionError:
        raise SpecError(f"YAML nested deeper than Python can parse (>{MAX_DEPTH})", file=path) from None
    return bound_tree(data, path)


def _yaml_error_line(exc: yaml.MarkedYAMLError, text: str) -> int | None:
    """The line to fix: where an unclosed quote or bracket opened, else where the parser stopped, within the file."""
    mark = exc.problem_mark or exc.context_mark
    context = exc.context or ""
    if exc.context_mark is not None and ("quoted scalar" in context or "flow" in context):
        # The parser notices an unclosed quote or bracket only on a later line (or past the end).
        mark = exc.context_mark
    if mark is None:
        return None
    last_line = max(text.count("\n") + (0 if text.endswith("\n") else 1), 1)
    return min(mark.line + 1, last_line)


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
        raise SpecError(
            f"document expands to {size[id(data)]:,} values through YAML aliases, over the limit of "
            f"{MAX_NODES:,} (an alias bomb?); the alias expansion starts here",
            file=path,
            pointer=ptr or "/",
        )
    return _unshare(data) if shared else data


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
    try:
        if text is None:
            text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=_BaseLoader)
    except (yaml.YAMLError, OSError, ValueError):
        return None
    try:
        tokens = split_pointer(pointer)
    except ValueError:
        return None
    for token in tokens:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == token:
                    node = value_node
                    break
            else:
                return int(node.start_mark.line) + 1
        elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
            node = node.value[int(token)]
        else:
            break
    return int(node.start_mark.line) + 1 if node is not None else None


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


# A path item's own `$ref` (`paths: {/a: {$ref: other.yaml#/A}}`).
_PATH_ITEM = re.compile(r"^/paths/[^/]+$")


class _Bundler:
    """Check local refs and copy refs into sibling files under ``components``."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.root_dir = doc.path.resolve().parent
        # (file, pointer) -> local ref already created for it
        self.imported: dict[tuple[Path, str], str] = {}
        self.file_cache: dict[Path, Any] = {doc.path.resolve(): doc.data}

    def run(self) -> None:
        self._rewrite(self.doc.data, self.doc.path.resolve(), "")

    def _rewrite(self, tree: Any, file: Path, base_pointer: str) -> None:
        for ptr, obj, ref in list(iter_refs(tree, base_pointer)):
            if file == self.doc.path.resolve() and _PATH_ITEM.match(ptr) and urllib.parse.urlsplit(ref).path:
                self._inline_path_item(obj, ref, file, ptr)
            else:
                obj["$ref"] = self._resolve(ref, file, ptr)

    def _inline_path_item(self, obj: dict[str, Any], ref: str, file: Path, ptr: str) -> None:
        """Copy a path item from another file in place: a path item is no schema, it has no component home."""
        target_file, fragment, target = self._target(ref, file, ptr)
        if not isinstance(target, dict):
            raise SpecError(
                f"$ref {ref!r} names a {type(target).__name__}, expected a path item mapping",
                file=self.doc.path,
                pointer=ptr + "/$ref",
            )
        copied = json.loads(json.dumps(target))
        self._rewrite(copied, target_file, fragment)
        obj.clear()
        obj.update(copied)

    def _resolve(self, ref: str, file: Path, ptr: str) -> str:
        target_file, fragment, target = self._target(ref, file, ptr)
        if target_file == self.doc.path.resolve():
            return "#" + fragment
        return self._import(target_file, fragment, target)

    def _target(self, ref: str, file: Path, ptr: str) -> tuple[Path, str, Any]:
        """The file, fragment and value a ``$ref`` names, confined to the spec's folder and the disk."""
        where: dict[str, Any] = {
            "file": self.doc.path if file == self.doc.path.resolve() else file,
            "pointer": ptr + "/$ref",
        }
        parsed = urllib.parse.urlsplit(ref)
        if parsed.scheme or parsed.netloc:
            raise SpecError(
                f"remote $ref {ref!r} is not fetched; download it next to the spec and refer to the file",
                **where,
            )
        fragment = urllib.parse.unquote(parsed.fragment)
        if fragment and not fragment.startswith("/"):
            raise SpecError(f"$ref {ref!r} has a fragment that is not a JSON pointer", **where)
        target_file = file if not parsed.path else (file.parent / urllib.parse.unquote(parsed.path)).resolve()
        if not target_file.is_relative_to(self.root_dir):
            raise SpecError(
                f"$ref {ref!r} points outside the spec's folder {self.root_dir}; refusing to read it",
                **where,
            )
        data = self._file_data(target_file, where)
        try:
            target = resolve_pointer(data, fragment)
        except (KeyError, ValueError):
            raise SpecError(
                f"unresolvable $ref {ref!r}: nothing at {fragment or '/'} in {target_file.name}",
                **where,
            ) from None
        return target_file, fragment, target

    def _file_data(self, target: Path, where: dict[str, Any]) -> Any:
        if target not in self.file_cache:
            if not target.is_file():
                raise SpecError(f"$ref names a file that does not exist: {target}", **where)
            text = read_text(target)
            self.file_cache[target] = parse_text(text, target)
            self.doc.included[target] = text
        return self.file_cache[target]

    def _import(self, target_file: Path, fragment: str, target: Any) -> str:
        key = (target_file, fragment)
        if key in self.imported:
            return self.imported[key]
        tokens = split_pointer(fragment)
        if len(tokens) == 3 and tokens[0] == "components" and tokens[1] in COMPONENT_SECTIONS:
            section, name = tokens[1], tokens[2]
        else:
            section = "schemas"
            name = "_".join([target_file.stem, *tokens]) if tokens else target_file.stem
        components = self.doc.data.setdefault("components", {}).setdefault(section, {})
        unique_name = unique(name, components)
        local = "#" + join_pointer("components", section, unique_name)
        self.imported[key] = local
        copied = json.loads(json.dumps(target))  # detached copy; the source file stays as read
        components[unique_name] = copied
        self._rewrite(copied, target_file, fragment)
        return local
