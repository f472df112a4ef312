"""Value constraints: bounds, lengths, item counts and patterns."""

from __future__ import annotations

from generator import ir
from generator.diff.checks.context import SCHEMA_PREFIXES, SUBJECT, DiffContext, Emit, Where, combinations, family

SUFFIXES = (
    "max-set", "max-decreased", "max-increased", "max-unset", "min-set", "min-increased", "min-decreased",
    "min-unset", "exclusive-max-set", "exclusive-max-decreased", "exclusive-max-increased", "exclusive-max-unset",
    "exclusive-min-set", "exclusive-min-increased", "exclusive-min-decreased", "exclusive-min-unset",
    "max-length-set", "max-length-decreased", "max-length-increased", "max-length-unset", "min-length-increased",
    "min-length-decreased", "min-length-unset", "max-items-set", "max-items-decreased", "max-items-increased",
    "max-items-unset", "min-items-set", "min-items-increased", "min-items-decreased", "min-items-unset",
    "pattern-added", "pattern-removed", "pattern-changed", "pattern-generalized",
)  # fmt: skip
RULE_IDS = family(SCHEMA_PREFIXES, SUFFIXES)
NO_RULE = combinations(SCHEMA_PREFIXES, SUFFIXES) - RULE_IDS


def constraints(d: DiffContext, co: ir.Constraints, cn: ir.Constraints, w: Where, emit: Emit) -> None:
    if co is cn:
        return  # the one instance the model shares between schemas without constraints
    p = w.prefix
    request = w.area != "response"

    def num(name: str, attr: str, upper: bool) -> None:
        o, n = _number(getattr(co, attr)), _number(getattr(cn, attr))
        if o == n:
            return
        msg = f"{name} changed from {o} to {n}"
        if request:
            if o is None and n is not None:
                emit(f"{p}-{name}-set", f"{name} set to {n}", (SUBJECT, f": values beyond {n} now rejected"))
            elif o is not None and n is not None:
                tighter = n < o if upper else n > o
                word = ("decreased" if upper else "increased") if tighter else ("increased" if upper else "decreased")
                impact = (SUBJECT, ": values allowed before are rejected" if tighter else ": accepts more")
                emit(f"{p}-{name}-{word}", msg, impact)
        elif o is not None:
            # A bound added to a response (o is None) only narrows what the client receives: no finding.
            wider = (n is None or n > o) if upper else (n is None or n < o)
            if wider:
                word = "unset" if n is None else ("increased" if upper else "decreased")
                emit(f"{p}-{name}-{word}", msg, (SUBJECT, ": responses may fall outside the old bounds"))

    def count(name: str, attr: str, upper: bool) -> None:
        o, n = _number(getattr(co, attr)), _number(getattr(cn, attr))
        if o == n:
            return
        msg = f"{name} changed from {o} to {n}"
        if request:
            if upper:
                if o is None and n is not None:
                    emit(f"{p}-{name}-set", f"{name} set to {n}", (SUBJECT, ": longer values now rejected"))
                elif o is not None and n is not None:
                    word = "decreased" if n < o else "increased"
                    impact = (SUBJECT, ": values allowed before are rejected" if n < o else ": accepts more")
                    emit(f"{p}-{name}-{word}", msg, impact)
            else:
                if o is None and n is not None and f"{p}-{name}-set" in RULE_IDS and name == "min-items":
                    emit(f"{p}-{name}-set", f"{name} set to {n}", (SUBJECT, ": shorter values now rejected"))
                    return
                ov, nv = o or 0, n or 0
                if ov != nv:
                    word = "increased" if nv > ov else "decreased"
                    impact = (SUBJECT, ": values allowed before are rejected" if nv > ov else ": accepts more")
                    emit(f"{p}-{name}-{word}", msg, impact)
        else:
            if upper and o is not None and (n is None or n > o):
                emit(f"{p}-{name}-{'unset' if n is None else 'increased'}", msg, (SUBJECT, ": may be longer"))
            if not upper and o is not None and (n is None or n < o):
                emit(f"{p}-{name}-{'unset' if n is None else 'decreased'}", msg, (SUBJECT, ": may be shorter"))

    num("max", "maximum", True)
    num("min", "minimum", False)
    num("exclusive-max", "exclusive_maximum", True)
    num("exclusive-min", "exclusive_minimum", False)
    count("max-length", "max_length", True)
    count("min-length", "min_length", False)
    count("max-items", "max_items", True)
    count("min-items", "min_items", False)
    po, pn = co.pattern or None, cn.pattern or None
    if po != pn:
        if po is None:
            emit(f"{p}-pattern-added", f"pattern {pn!r} added", (SUBJECT, f": values must match {pn!r}"))
        elif pn is None:
            emit(f"{p}-pattern-removed", f"pattern {po!r} removed", (SUBJECT, ": any string accepted"))
        elif request and pn in (".*", "^.*$"):
            emit(f"{p}-pattern-generalized", f"pattern {po!r} relaxed to {pn!r}", (SUBJECT, ": any string accepted"))
        else:
            emit(
                f"{p}-pattern-changed",
                f"pattern changed from {po!r} to {pn!r}",
                (SUBJECT, f": values must match {pn!r}"),
            )


def _number(value: object) -> float | None:
    """A bound as a number; the diff reads unvalidated documents, where a bound may be a string or a bool."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value
