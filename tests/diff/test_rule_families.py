"""The rule families declare what they emit; an undeclared id is an error, never a silent drop."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diff.checks.context import DiffContext, UndeclaredRuleError
from generator.diff.implemented import FAMILIES, IMPLEMENTED, NO_RULE
from generator.diff.rules import RULES
from generator.ir.load import load_spec


def _context(tmp_path: Path) -> DiffContext:
    (tmp_path / "a.yaml").write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")
    api = load_spec(tmp_path / "a.yaml", validate=False).api
    return DiffContext(api, api, declared=IMPLEMENTED, no_rule=NO_RULE)


def test_every_declared_id_has_a_level() -> None:
    """Each family's ids are in the one id → level table."""
    for family in FAMILIES:
        assert RULES.keys() >= family.RULE_IDS, family.__name__


def test_implemented_is_the_union_of_the_families() -> None:
    assert frozenset().union(*(f.RULE_IDS for f in FAMILIES)) == IMPLEMENTED
    assert not NO_RULE & RULES.keys()


def test_undeclared_id_is_refused(tmp_path: Path) -> None:
    """A typo or a rule nobody declared raises rather than vanishing from the report."""
    d = _context(tmp_path)
    with pytest.raises(UndeclaredRuleError, match="response-property-max-typo"):
        d.emit("response-property-max-typo", None, "", "m", "i")
    # An id in the rule table but declared by no family is refused too.
    undeclared = next(iter(sorted(RULES.keys() - IMPLEMENTED)))
    with pytest.raises(UndeclaredRuleError):
        d.emit(undeclared, None, "", "m", "i")
    d.emit("endpoint-added", None, "", "m", "i")
    assert [f.id for f in d.findings] == ["endpoint-added"]


def test_every_oasdiff_rule_is_implemented_or_excused() -> None:
    """oasdiff's 509 ids: each is emitted by a family, or listed as not applicable with a reason."""
    from generator.diff.implemented import NOT_APPLICABLE
    from generator.diff.rules import OASDIFF_RULES

    missing = sorted(OASDIFF_RULES.keys() - IMPLEMENTED - NOT_APPLICABLE.keys())
    assert not missing, missing
    assert all(reason.strip() for reason in NOT_APPLICABLE.values())
    assert not NOT_APPLICABLE.keys() & IMPLEMENTED
