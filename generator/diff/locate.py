"""Line numbers for findings: where in the spec file the changed element is (for GitHub annotations)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import yaml

from generator.diff.checks.context import WEBHOOK_PATH_PREFIX
from generator.diff.model import Finding

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
        result.append(op)
    elif finding.location.startswith("securitySchemes/"):
        result.append(["components", "securitySchemes", finding.location.split("/")[1]])
    elif finding.location.startswith("webhooks/"):
        result.append(["webhooks", finding.location.split("/", 1)[1]])
    else:
        result.append([finding.location.split()[0]] if finding.location else [])
    return result


def with_lines(findings: Sequence[Finding], old: Side, new: Side) -> list[Finding]:
    """The findings with ``line`` set in the file each names (the old spec's for removals, else the new's)."""
    texts = {new.file: new.text, old.file: old.text} if old.file != new.file else {new.file: new.text}
    names = {new.file: new.schema_names, old.file: old.schema_names} if old.file != new.file else {}
    names.setdefault(new.file, new.schema_names)
    trees: dict[str, _Lines] = {}
    located = []
    for finding in findings:
        text = texts.get(finding.file)
        if text is None:
            located.append(finding)
            continue
        if finding.file not in trees:
            trees[finding.file] = _Lines(text)
        tree = trees[finding.file]
        best: tuple[int, int] | None = None
        for tokens in _candidates(finding, names.get(finding.file, {})):
            found = tree.line(tokens)
            if found is not None and found[1] == len(tokens):
                best = found
                break
            if found is not None and (best is None or found[1] > best[1]):
                best = found
        located.append(dataclasses.replace(finding, line=best[0]) if best else finding)
    return located
