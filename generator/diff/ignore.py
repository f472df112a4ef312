"""Accepted findings: ignore files by rule id and operation (``--ignore``, ``--err-ignore``, ``--warn-ignore``)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.diff.model import Finding, level_rank
from generator.diff.rules import RULES
from generator.errors import SpecError

_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE"})


@dataclass(frozen=True)
class IgnoreRule:
    """One accepted finding: a rule id, optionally only for one operation or path.

    The operation is ``METHOD /path``, a bare ``/path`` (any method), or an operationId.
    ``level`` limits the rule to findings of that level (``--err-ignore`` / ``--warn-ignore``).
    """

    rule: str
    operation: str = ""
    level: str = ""

    def matches(self, finding: Finding) -> bool:
        """Whether this rule accepts ``finding``."""
        if self.rule != finding.id or (self.level and finding.level != self.level):
            return False
        if not self.operation or self.operation == finding.operation_id:
            return True
        method, _, path = self.operation.partition(" ")
        if method.startswith("/"):
            return finding.operation.partition(" ")[2] == self.operation
        return f"{method.upper()} {path.strip()}" == finding.operation


def read_ignore_file(path: Path, level: str = "") -> list[IgnoreRule]:
    """Lines of ``rule-id [METHOD /path | /path | operationId]``, or oasdiff's order ``METHOD /path rule-id``.

    ``#`` starts a comment; an unknown rule id is an error, with the closest known id as a hint.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read ignore file: {exc.strerror or exc}", file=path) from None
    rules = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        # oasdiff writes `METHOD /path rule-id`; this project's files `rule-id [METHOD /path]`.
        oasdiff_order = len(words) > 1 and (words[0].upper() in _METHODS or words[0].startswith("/"))
        rule = words[-1] if oasdiff_order else words[0]
        if rule not in RULES:
            # A typo would silently accept nothing, and the finding it meant to accept would still fail CI.
            close = difflib.get_close_matches(rule, RULES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else " (every id is in generator/diff/rules.py)"
            raise SpecError(f"unknown rule id {rule!r}{hint}", file=path, line=number)
        rest = words[:-1] if oasdiff_order else words[1:]
        if rest and rest[0].upper() in _METHODS:
            rest[0] = rest[0].upper()
        rules.append(IgnoreRule(rule, " ".join(rest), level))
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
