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

NOT_APPLICABLE: dict[str, str] = {
    "api-version-decreased": "oasdiff emits the api-version rules only from an opt-in version check that no "
    "check function runs by default (its own tests switch them off); this CLI has no such option",
    "api-version-not-bumped": "as api-version-decreased: opt-in in oasdiff, not offered by this CLI",
    "api-major-version-not-bumped": "as api-version-decreased: opt-in in oasdiff, not offered by this CLI",
}
"""oasdiff rule ids the diff does not emit, each with the reason."""
