"""Round-trip YAML (comments, key order and scalar styles kept) and atomic writes.

Specs are read by YAML 1.1 readers (PyYAML, this project's loader) and YAML 1.2 readers
(ruamel.yaml, most OpenAPI tools) alike, and the two disagree on plain scalars such as
``no``, ``on``, ``y``, ``1e3``, ``0o12``, ``1:20`` or ``2024-01-01``. So what this module
writes never leaves a reader to guess:

- a string from plain data (a JSON source, a bundled document, values the importer makes)
  is quoted whenever any of the readers would resolve it, written plain, as something else;
- a float always has a ``.`` (YAML 1.1 reads ``1e+20`` as a string);
- a scalar that a YAML source wrote plain is written plain again, even when the readers
  disagree on it, so each reader reads back exactly what it read from the source.
"""

from __future__ import annotations

import copy
import functools
import io
import json
import math
import os
import re
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarstring import PlainScalarString

_STR_TAG = "tag:yaml.org,2002:str"
# ruamel's YAML 1.1 resolver knows every 1.1 type (y/n, sexagesimals, `=`, `<<` included);
# PyYAML's is the reader this project itself uses.
_RUAMEL_RESOLVERS = (VersionedResolver(version=(1, 1)), VersionedResolver(version=(1, 2)))
_PYYAML_RESOLVER = pyyaml.resolver.Resolver()
# Control characters, and NEL/LS/PS: YAML 1.1 reads the last three as line breaks (folded to spaces
# inside quotes), YAML 1.2 as text. Only a double-quoted escape (`\N`, `\L`, `\P`) reads the same.
_NEEDS_ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


@functools.lru_cache(maxsize=65536)
def is_ambiguous(text: str) -> bool:
    """True when some YAML 1.1 or 1.2 reader reads ``text``, written plain, as other than this string."""
    for resolver in _RUAMEL_RESOLVERS:
        if str(resolver.resolve(ScalarNode, text, (True, False))) != _STR_TAG:
            return True
    pyyaml_tag = _PYYAML_RESOLVER.resolve(pyyaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(pyyaml_tag != _STR_TAG)


def float_text(value: float) -> str:
    """A float every YAML reader reads back exactly: ``repr`` digits, always with a ``.``."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "e" in text and "." not in text.split("e")[0]:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    return text


class _Representer(RoundTripRepresenter):
    """The round-trip representer, writing plain-data strings and floats unambiguously."""

    def represent_plain_str(self, data: str) -> ScalarNode:
        """Quote a string any reader would take for another type; escape what readers read differently."""
        if _NEEDS_ESCAPES.search(data):
            return self.represent_scalar(_STR_TAG, data, style='"')
        if is_ambiguous(data):
            return self.represent_scalar(_STR_TAG, data, style="'")
        node: ScalarNode = self.represent_str(data)
        return node

    def represent_plain_float(self, data: float) -> ScalarNode:
        """Floats with a ``.``, so a YAML 1.1 reader does not read ``1e+20`` as a string."""
        return self.represent_scalar("tag:yaml.org,2002:float", float_text(data))

    def represent_layout_float(self, data: ScalarFloat) -> ScalarNode:
        """A source's float in its own notation, unless ruamel's re-rendering would change its value."""
        node = self.represent_scalar_float(data)
        try:
            same = float(str(node.value).replace("_", "")) == float(data)
        except ValueError:
            same = False
        return node if same or math.isnan(data) else self.represent_plain_float(float(data))


_Representer.add_representer(ScalarFloat, _Representer.represent_layout_float)
_Representer.add_representer(str, _Representer.represent_plain_str)
_Representer.add_representer(float, _Representer.represent_plain_float)


def round_trip_yaml() -> YAML:
    """A ruamel.yaml instance configured like the project's hand-written specs."""
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_layout(text: str) -> Any:
    """Parse YAML keeping its layout; None when ruamel cannot (the plain parse already succeeded)."""
    try:
        data = round_trip_yaml().load(text)
    except (YAMLError, ValueError):
        return None
    _keep_plain(data)
    return data


def _keep_plain(root: Any) -> None:
    """Mark the plain scalars the readers disagree on, so they are written plain again, as in the text."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, CommentedMap):
            # Own keys only: keys merged in with `<<: *anchor` are written by the anchor, not here.
            own = getattr(node, "_ok", None)
            keys = [k for k in node if own is None or k in own]
            for key in keys:
                value = node[key]
                if type(value) is str and is_ambiguous(value):
                    node[key] = PlainScalarString(value)
                elif isinstance(value, (dict, list)):
                    stack.append(value)
                if type(key) is str and is_ambiguous(key):
                    _rekey(node, key)
        elif isinstance(node, CommentedSeq):
            for index, value in enumerate(node):
                if type(value) is str and is_ambiguous(value):
                    node[index] = PlainScalarString(value)
                elif isinstance(value, (dict, list)):
                    stack.append(value)


def _rekey(node: CommentedMap, key: str) -> None:
    """Replace a key by its plain-marked twin in place, keeping its position, comments and merges.

    Done on the underlying ordered dict: CommentedMap's own deletion would also update the
    mappings that merge this one (``<<: *anchor``), which must not change.
    """
    order = list(OrderedDict.keys(node))
    value = OrderedDict.__getitem__(node, key)
    comment = node.ca.items.pop(key, None)
    marked = PlainScalarString(key)
    OrderedDict.__delitem__(node, key)
    OrderedDict.__setitem__(node, marked, value)
    for later in order[order.index(key) + 1 :]:
        OrderedDict.move_to_end(node, later)
    node._ok.discard(key)
    node._ok.add(marked)
    if comment is not None:
        node.ca.items[marked] = comment


def dump_yaml(data: Any) -> str:
    """Render round-trip data (or plain data) as YAML text."""
    out = io.StringIO()
    round_trip_yaml().dump(data, out)
    return out.getvalue()


def dump_document(data: Any, path: Path, json_style: JsonStyle | None = None) -> str:
    """Render a spec in its file's format: JSON for ``.json`` (in ``json_style``), YAML otherwise."""
    if path.suffix.lower() == ".json":
        return (json_style or JsonStyle()).dump(plain(data))
    return dump_yaml(data)


def plain(node: Any) -> Any:
    """A detached plain-Python copy (dict/list/str/int/float/bool/None) for comparison and hashing."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return str(node)  # timestamps and other YAML-only scalars


def detached(node: Any) -> Any:
    """A deep copy that can be inserted into another round-trip document, in block style."""
    node = copy.deepcopy(node)
    _block_style(node)
    return node


def _block_style(node: Any) -> None:
    if isinstance(node, CommentedMap):
        node.fa.set_block_style()
        for value in node.values():
            _block_style(value)
    elif isinstance(node, CommentedSeq):
        node.fa.set_block_style()
        for value in node:
            _block_style(value)
    elif isinstance(node, dict):
        for value in node.values():
            _block_style(value)
    elif isinstance(node, list):
        for value in node:
            _block_style(value)


@dataclass(frozen=True)
class JsonStyle:
    """How a JSON document is laid out, so a rewritten one looks like its source."""

    indent: int | str | None = 2
    item_separator: str = ","
    key_separator: str = ": "
    ensure_ascii: bool = False
    final_newline: bool = True

    @classmethod
    def of(cls, text: str) -> JsonStyle:
        """The style of a JSON text (indentation, separators, escaping, final newline)."""
        body = text.lstrip("\ufeff")
        opening = re.match(r"\s*[\[{]([ \t]*\r?\n)?([ \t]*)", body)
        indent: int | str | None = None
        if opening and opening.group(1) is not None:
            prefix = opening.group(2)
            indent = prefix if "\t" in prefix else len(prefix)
        key_separator = ": " if re.search(r'"\s*:\s', body[:100_000]) or not re.search(r'":', body[:100_000]) else ":"
        item_separator = "," if indent is not None or not re.search(r",\s", body[:100_000]) else ", "
        ensure_ascii = not any(ord(c) > 0x7F for c in body) and bool(
            re.search(r"\\u(00[89a-fA-F]|0[1-9a-fA-F]|[1-9a-fA-F])", body)
        )
        return cls(indent, item_separator, key_separator, ensure_ascii, body.endswith("\n"))

    def dump(self, data: Any) -> str:
        """``data`` as JSON in this style."""
        text = json.dumps(
            data,
            indent=self.indent,
            separators=(self.item_separator, self.key_separator),
            ensure_ascii=self.ensure_ascii,
        )
        return text + "\n" if self.final_newline else text


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
