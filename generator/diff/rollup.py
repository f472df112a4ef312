"""The roll-up of a report: counts by level, rule and schema, and changes repeated across operations."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from generator.diff.model import LEVELS, Finding, level_rank

API_WIDE = "(whole API)"


def change_text(finding: Finding) -> str:
    """The message without the location it starts with (the same change reads the same everywhere)."""
    prefix = f"{finding.location}: "
    return finding.message.removeprefix(prefix) if finding.location else finding.message


@dataclass(frozen=True)
class Repeated:
    """One schema-level change reported by several operations."""

    first: Finding
    operations: tuple[str, ...]

    @property
    def subject(self) -> str:
        """``Model.field`` as the client names it."""
        return f"{self.first.schema}.{self.first.field}"


@dataclass(frozen=True)
class Rollup:
    """Everything a reader needs before the details."""

    total: int
    by_level: dict[str, int]
    by_rule: list[tuple[str, str, int]]  # (rule, level, count), most frequent first
    by_schema: list[tuple[str, int]]  # (model class, count), most frequent first
    repeated: list[Repeated]  # schema-level changes seen in two or more operations
    rest: list[Finding]  # every finding not folded into ``repeated``, in report order
    ordered: list[Finding]  # every finding, in report order (``Finding.sort_key``)


def rollup(findings: Sequence[Finding]) -> Rollup:
    """Count and group ``findings``; each finding ends up in exactly one of ``repeated`` or ``rest``."""
    ordered = sorted(findings, key=lambda f: f.sort_key)
    levels = {f.id: f.level for f in ordered}
    rules = Counter(f.id for f in ordered)
    schemas = Counter(f.schema for f in ordered if f.schema)
    groups: dict[tuple[str, str, str, str], list[Finding]] = defaultdict(list)
    for f in ordered:
        if f.schema and f.field:
            groups[(f.id, f.schema, f.field, change_text(f))].append(f)
    repeated: list[Repeated] = []
    folded: set[int] = set()
    for items in groups.values():
        operations = tuple(dict.fromkeys(f.operation for f in items))
        if len(operations) >= 2:
            repeated.append(Repeated(items[0], operations))
            folded.update(id(f) for f in items)
    repeated.sort(key=lambda r: (-level_rank(r.first.level), -len(r.operations), r.first.id, r.subject))
    return Rollup(
        total=len(ordered),
        by_level={level: sum(1 for f in ordered if f.level == level) for level in reversed(LEVELS)},
        by_rule=[(rule, levels[rule], n) for rule, n in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))],
        by_schema=sorted(schemas.items(), key=lambda kv: (-kv[1], kv[0])),
        repeated=repeated,
        rest=[f for f in ordered if id(f) not in folded],
        ordered=ordered,
    )


def summary(counts: dict[str, int]) -> str:
    """``1 ERR, 0 WARN, 2 INFO``."""
    return ", ".join(f"{n} {level}" for level, n in counts.items())


def operations_text(operations: Sequence[str], shown: int = 3) -> str:
    """``GET /a, POST /b, … and 4 more``."""
    head = ", ".join(op or API_WIDE for op in operations[:shown])
    more = len(operations) - shown
    return head + (f" and {more} more" if more > 0 else "")
