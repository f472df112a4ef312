"""What a diff reports: findings with a rule id, a level, where and what it does to the client."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from generator.diff.rules import RULES

LEVELS = ("INFO", "WARN", "ERR")
# Looked up once per finding in every sort: a dict for the levels as findings spell them.
_RANKS = {level: rank for rank, level in enumerate(LEVELS)}


def level_rank(level: str) -> int:
    """0 for INFO, 1 for WARN, 2 for ERR."""
    rank = _RANKS.get(level)
    return rank if rank is not None else LEVELS.index(level.upper())


@dataclass(frozen=True, slots=True)
class Finding:
    """One difference between two specs that matters to someone."""

    id: str
    level: str  # ERR | WARN | INFO
    operation: str  # "METHOD /path", or "" for API-wide findings
    operation_id: str
    location: str  # e.g. "request body /tags", "query parameter limit", "response 200 /data"
    message: str  # says the old and the new value
    impact: str  # what happens to the generated Python client
    file: str = ""  # the spec the finding points into (for annotations)
    line: int | None = None  # where in that file, when known
    schema: str = ""  # the model class holding the changed field, when the change is to a field
    field: str = ""  # that field's Python name (``permissions[]`` for an array's items)
    attributes: tuple[tuple[str, str], ...] = ()  # the operation's extensions asked for (oasdiff's --attributes)

    def to_json(self) -> dict[str, Any]:
        """A plain dict for ``--format json``."""
        # What dataclasses.asdict gives (the values are str, int, None or tuples of str pairs), without its deep copy.
        return {name: getattr(self, name) for name in JSON_FIELDS}

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        """Grouped by operation, most severe first."""
        return (self.operation, -level_rank(self.level), self.location, self.id)


# The keys of ``Finding.to_json``, in its order.
JSON_FIELDS = tuple(f.name for f in fields(Finding))


def make(
    rule: str, operation: str, operation_id: str, location: str, message: str, impact: str, file: str = ""
) -> Finding:
    """A finding for a known rule, at that rule's level."""
    return Finding(rule, RULES[rule], operation, operation_id, location, message, impact, file)
