"""YAML for the loader: PyYAML's safe loaders with the rules OpenAPI documents need, and line lookups.

The loader imports this module only when a document is YAML or a line number is asked for: a diff
of two JSON documents does not pay for importing PyYAML.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.errors import SpecError, split_pointer
from generator.spec.loader import MAX_DEPTH

try:  # The C loader is optional in PyYAML builds; fall back quietly.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


# Tags a plain key resolves to besides str; merge keys (`<<`) keep their own tag.
_SCALAR_KEY_TAGS = frozenset(f"tag:yaml.org,2002:{kind}" for kind in ("bool", "null", "int", "float", "timestamp"))


class _NoDuplicateKeys:
    """Loader mixin that reads every scalar key as the text written, and refuses duplicate keys."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            # OpenAPI is JSON, whose keys are strings: a property `no:` or `on:` is that word (YAML 1.1
            # would make it a bool), and `200:` is the status "200".
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag in _SCALAR_KEY_TAGS:
                key_node.tag = "tag:yaml.org,2002:str"
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class _Loader(_NoDuplicateKeys, _BaseLoader):
    """Safe YAML loader that refuses duplicate keys.

    A document whose anchors are all distinct (nearly all) is composed by the fast C parser;
    one that redefines an anchor is parsed again by ``_RedefiningLoader``.
    """


# YAML 1.1 turns `on`/`yes` and dates into bools and datetimes; OpenAPI wants JSON data,
# so timestamps stay strings.
_Loader.yaml_constructors = dict(_Loader.yaml_constructors)
_Loader.yaml_constructors["tag:yaml.org,2002:timestamp"] = _Loader.yaml_constructors["tag:yaml.org,2002:str"]


class _RedefiningLoader(_NoDuplicateKeys, yaml.SafeLoader):
    """The pure-Python safe loader with ``_Loader``'s rules, letting an anchor be defined again.

    Later aliases name the latest definition, as the YAML spec says; PyYAML refuses the document.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if not isinstance(event, yaml.events.AliasEvent) and event.anchor is not None:
            self.anchors.pop(event.anchor, None)
        return super().compose_node(parent, index)


_RedefiningLoader.yaml_constructors = _Loader.yaml_constructors


def _is_duplicate_anchor(exc: yaml.YAMLError) -> bool:
    return isinstance(exc, yaml.composer.ComposerError) and "duplicate anchor" in str(exc)


def _yaml_load(text: str) -> Any:
    return _anchors_redefinable(yaml.load, text, _Loader)


def _yaml_compose(text: str) -> Any:
    return _anchors_redefinable(yaml.compose, text, _BaseLoader)


def _anchors_redefinable(read: Callable[..., Any], text: str, loader: Any) -> Any:
    """``read(text, Loader=loader)``; a document that defines an anchor twice is read again, the later one winning."""
    try:
        return read(text, Loader=loader)
    except yaml.composer.ComposerError as exc:
        if not _is_duplicate_anchor(exc):
            raise
        return read(text, Loader=_RedefiningLoader)


def parse(text: str, path: Path) -> Any:
    """Parse YAML text (aliases not expanded yet: see ``loader.bound_tree``), raising a located SpecError."""
    try:
        return _yaml_load(text)
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


def compose_quietly(text: str) -> Any:
    """The YAML node tree of a text (JSON is YAML), or None when it cannot be parsed."""
    try:
        return _yaml_compose(text)
    except (yaml.YAMLError, ValueError):
        return None


def line_in(node: Any, pointer: str) -> int | None:
    """Line of ``pointer`` in a composed tree; the deepest existing ancestor's line when it is absent."""
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
    return int(node.start_mark.line) + 1
