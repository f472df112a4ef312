"""Accepted findings: ignore files by rule id and operation (``--ignore``, ``--err-ignore``, ``--warn-ignore``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.diff.model import Finding, level_rank
from generator.errors import SpecError


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
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        rule, _, operation = line.partition(" ")
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
