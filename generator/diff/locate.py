"""Line numbers for findings: where in the spec file the changed element is (for GitHub annotations)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from generator.diff.checks.context import WEBHOOK_PATH_PREFIX
from generator.diff.model import Finding
from generator.errors import join_pointer, split_pointer

if TYPE_CHECKING:
    from generator.diff.inputs import Side

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Lines:
    """One file's YAML node tree, composed once, answering "which line holds this pointer"."""

    def __init__(self, text: str) -> None:
        try:
            self.root: yaml.Node | None = yaml.compose(text, Loader=_Loader)
        except (yaml.YAMLError, ValueError):
            self.root = None

    def line(self, tokens: Sequence[str]) -> tuple[int, int] | None:
        """(1-based line, how many tokens matched) of the deepest node along ``tokens``."""
        node = self.root
        if node is None:
            return None
        depth = 0
        line = node.start_mark.line
        for token in tokens:
            child = None
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if k.value == token), None)
                if pair is not None:
                    # The key's line: a block mapping's value starts on the line after it.
                    child, line = pair[1], pair[0].start_mark.line
            elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
                child = node.value[int(token)]
                line = child.start_mark.line
            if child is None:
                break
            node, depth = child, depth + 1
        return line + 1, depth


def _candidates(finding: Finding, schema_names: dict[str, str]) -> list[list[str]]:
    """Pointers (as token lists) that may hold the change, most specific first."""
    result: list[list[str]] = []
    if finding.schema and finding.field:
        field = finding.location.rsplit("/", 1)[-1].removesuffix("[]").removesuffix("[*]")
        schema = schema_names.get(finding.schema, finding.schema)
        result.append(["components", "schemas", schema, "properties", field])
    method, _, path = finding.operation.partition(" ")
    if path.startswith(WEBHOOK_PATH_PREFIX):
        result.append(["webhooks", path.removeprefix(WEBHOOK_PATH_PREFIX), method.lower()])
    elif path:
        op = ["paths", path, method.lower()]
        location = finding.location
        if location.startswith("response "):
            result.append([*op, "responses", location.split()[1]])
        elif location.startswith("request body"):
            result.append([*op, "requestBody"])
        elif location.split(" ", 2)[1:2] == ["parameter"]:  # "query parameter limit"
            result.append([*op, "parameters"])
        result.append(op)
    elif finding.location.startswith("securitySchemes/"):
        result.append(["components", "securitySchemes", finding.location.split("/")[1]])
    elif finding.location.startswith("webhooks/"):
        result.append(["webhooks", finding.location.split("/", 1)[1]])
    else:
        result.append([finding.location.split()[0]] if finding.location else [])
    return result


def with_lines(findings: Sequence[Finding], old: Side, new: Side) -> list[Finding]:
    """The findings with ``file`` and ``line`` of the change: the old spec's for removals, else the new's.

    In a multi-file spec the file is the one the changed part was read from (``resources/models/droplet.yml``),
    not the entry document that ``$ref``s it.
    """
    sides = {old.file: old, new.file: new} if old.file != new.file else {new.file: new}
    names = {old.file: old.schema_names, new.file: new.schema_names}
    trees: dict[str, _Lines] = {}
    located = []
    for finding in findings:
        side = sides.get(finding.file)
        if side is None:
            located.append(finding)
            continue
        best: tuple[int, int, str] | None = None  # (line, tokens matched, file)
        for tokens in _candidates(finding, names.get(finding.file, {})):
            file, inner, consumed, text = _source(side, tokens)
            if file not in trees:
                trees[file] = _Lines(text)
            found = trees[file].line(inner)
            if found is None:
                continue
            depth = consumed + found[1]
            if found[1] == len(inner):
                best = (found[0], depth, file)
                break
            if best is None or depth > best[1]:
                best = (found[0], depth, file)
        located.append(dataclasses.replace(finding, file=best[2], line=best[0]) if best else finding)
    return located


def _source(side: Side, tokens: list[str]) -> tuple[str, list[str], int, str]:
    """Where a pointer into the bundled document was read from: the file as findings name it, the tokens in
    that file, how many of ``tokens`` the file's inclusion stands for, and the file's text."""
    document = side.document
    if document is None or not document.origins:
        return side.file, tokens, 0, side.text
    path, inner = document.source_of(join_pointer(*tokens))
    entry = document.path.resolve()
    if path in (document.path, entry) or path not in document.included:
        return side.file, tokens, 0, side.text
    inner_tokens = split_pointer(inner) if inner else []
    # Named as the entry file is named (repo-relative, or the working tree's name with --base).
    shown = os.path.normpath(Path(side.file).parent / os.path.relpath(path, entry.parent))
    return Path(shown).as_posix(), inner_tokens, len(tokens) - len(inner_tokens), document.included[path]
