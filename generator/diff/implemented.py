"""The rule ids the comparator can emit: the union of what each rule family declares."""

from __future__ import annotations

from generator.diff.checks import (
    constraints,
    keywords,
    lifecycle,
    parameters,
    request_body,
    responses,
    schemas,
    security,
)

FAMILIES = (lifecycle, security, parameters, request_body, responses, schemas, constraints, keywords)

IMPLEMENTED: frozenset[str] = frozenset().union(*(f.RULE_IDS for f in FAMILIES))
"""Ids a check may report."""

NO_RULE: frozenset[str] = frozenset().union(constraints.NO_RULE, schemas.NO_RULE, keywords.NO_RULE) - IMPLEMENTED
"""Prefix-and-change combinations a check may reach for which oasdiff defines no rule: not reported."""
