"""Render findings as text, JSON, Markdown or GitHub Actions annotations; read ignore files."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from generator.diff.model import Finding, level_rank
from generator.diff.rules import RULES
from generator.errors import SpecError

FORMATS = ("text", "json", "markdown", "github")
_API_WIDE = "(whole API)"


def _groups(findings: Sequence[Finding]) -> Iterable[tuple[str, list[Finding]]]:
    ordered = sorted(findings, key=lambda f: f.sort_key)
    for key, items in groupby(ordered, key=lambda f: f.operation):
        yield key, list(items)


def _summary(findings: Sequence[Finding]) -> str:
    counts = {level: sum(1 for f in findings if f.level == level) for level in ("ERR", "WARN", "INFO")}
    return ", ".join(f"{n} {level}" for level, n in counts.items())


def render_text(findings: Sequence[Finding], old: str, new: str) -> str:
    """Grouped by operation, readable in a terminal."""
    if not findings:
        return f"no differences between {old} and {new}\n"
    lines = [f"{old} → {new}: {len(findings)} finding(s) ({_summary(findings)})", ""]
    for operation, items in _groups(findings):
        op_id = items[0].operation_id
        lines.append(f"{operation or _API_WIDE}" + (f"  [{op_id}]" if op_id else ""))
        for f in items:
            lines.append(f"  {f.level:<4} {f.id}: {f.message}")
            lines.append(f"       client: {f.impact}")
        lines.append("")
    return "\n".join(lines)


def render_json(findings: Sequence[Finding], old: str, new: str) -> str:
    """Machine-readable: every field of every finding."""
    payload = {
        "old": old,
        "new": new,
        "summary": {level: sum(1 for f in findings if f.level == level) for level in ("ERR", "WARN", "INFO")},
        "findings": [f.to_json() for f in sorted(findings, key=lambda f: f.sort_key)],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(findings: Sequence[Finding], old: str, new: str) -> str:
    """A pull-request comment: a table per operation."""
    if not findings:
        return f"### API diff\n\nNo differences between `{old}` and `{new}`.\n"
    icon = {"ERR": "🔴", "WARN": "🟡", "INFO": "🔵"}
    lines = [f"### API diff: `{old}` → `{new}`", "", f"**{len(findings)} finding(s)**: {_summary(findings)}", ""]
    for operation, items in _groups(findings):
        op_id = items[0].operation_id
        lines.append(f"#### `{operation}`" + (f" ({op_id})" if op_id else "") if operation else f"#### {_API_WIDE}")
        lines.append("")
        lines.append("| level | rule | change | client impact |")
        lines.append("| --- | --- | --- | --- |")
        for f in items:
            lines.append(f"| {icon[f.level]} {f.level} | `{f.id}` | {_md(f.message)} | {_md(f.impact)} |")
        lines.append("")
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding], old: str, new: str) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    command = {"ERR": "error", "WARN": "warning", "INFO": "notice"}
    lines = []
    for f in sorted(findings, key=lambda f: f.sort_key):
        props = []
        if f.file:
            props.append(f"file={_escape_property(f.file)}")
        title = f"{f.id}" + (f" ({f.operation})" if f.operation else "")
        props.append(f"title={_escape_property(title)}")
        lines.append(f"::{command[f.level]} {','.join(props)}::{_escape_data(f'{f.message}. Client: {f.impact}')}")
    return "\n".join(lines) + ("\n" if lines else "")


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown, "github": render_github}


@dataclass(frozen=True)
class IgnoreRule:
    """One accepted finding: a rule id, optionally only for one operation (``METHOD /path`` or operationId)."""

    rule: str
    operation: str = ""

    def matches(self, finding: Finding) -> bool:
        if self.rule != finding.id:
            return False
        if not self.operation:
            return True
        if self.operation == finding.operation_id:
            return True
        method, _, path = self.operation.partition(" ")
        return f"{method.upper()} {path.strip()}" == finding.operation


def read_ignore_file(path: Path) -> list[IgnoreRule]:
    """Lines of ``rule-id [METHOD /path | operationId]``; ``#`` starts a comment."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read ignore file: {exc.strerror or exc}", file=path) from None
    rules = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        rule, _, operation = line.partition(" ")
        if rule not in RULES:
            # A typo would silently accept nothing, and the finding it meant to accept would still fail CI.
            close = difflib.get_close_matches(rule, RULES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else " (every id is in generator/diff/rules.py)"
            raise SpecError(f"unknown rule id {rule!r}{hint}", file=path, line=number)
        rules.append(IgnoreRule(rule.strip(), " ".join(operation.split())))
    return rules


def apply_ignores(findings: Sequence[Finding], rules: Sequence[IgnoreRule]) -> tuple[list[Finding], int]:
    """The findings no rule accepts, and how many were accepted."""
    kept = [f for f in findings if not any(r.matches(f) for r in rules)]
    return kept, len(findings) - len(kept)


def exit_code(findings: Sequence[Finding], fail_on: str | None) -> int:
    """1 when a finding at or above ``fail_on`` exists, else 0."""
    if fail_on is None:
        return 0
    threshold = level_rank(fail_on)
    return 1 if any(level_rank(f.level) >= threshold for f in findings) else 0
