"""Round-trip YAML (comments, key order and scalar styles kept) and atomic writes."""

from __future__ import annotations

import copy
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError


def round_trip_yaml() -> YAML:
    """A ruamel.yaml instance configured like the project's hand-written specs."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_layout(text: str) -> Any:
    """Parse YAML keeping its layout; None when ruamel cannot (the plain parse already succeeded)."""
    try:
        return round_trip_yaml().load(text)
    except (YAMLError, ValueError):
        return None


def dump_yaml(data: Any) -> str:
    """Render round-trip data (or plain data) as YAML text."""
    out = io.StringIO()
    round_trip_yaml().dump(data, out)
    return out.getvalue()


def dump_document(data: Any, path: Path) -> str:
    """Render a spec in its file's format: JSON for ``.json``, YAML otherwise."""
    if path.suffix.lower() == ".json":
        return json.dumps(plain(data), indent=2, ensure_ascii=False) + "\n"
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
