"""Run oasdiff's test cases (shared/diff-oracle) through the project's diff."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from generator.diff.compare import diff_sides
from generator.diff.implemented import IMPLEMENTED
from generator.diff.inputs import load_side
from generator.diff.model import level_rank
from generator.diff.rules import OASDIFF_RULES

# The shared material sits beside the main checkout and beside the helpers' worktrees (/work/shared).
SHARED = next(
    (p / "shared" for p in Path(__file__).resolve().parents if (p / "shared" / "diff-oracle").is_dir()),
    Path(__file__).resolve().parents[2].parent / "shared",
)
ORACLE = SHARED / "diff-oracle"
IGNORED_IDS = {"api-version-increased", "api-version-decreased", "api-version-changed"}
# Supported options: WithDeprecation(beta_days, stable_days) and checker.StabilityLevel* (the CLI's
# --deprecation-days and --min-stability); others are skipped and counted.


@dataclass
class CaseResult:
    name: str
    status: str  # agree | disagree | skipped-option | unimplemented | load-error
    detail: str = ""
    ours: list[str] = field(default_factory=list)


def load_cases() -> list[dict[str, Any]]:
    return list(json.loads((ORACLE / "cases.json").read_text()))


def run_case(case: dict[str, Any]) -> CaseResult:
    name = case["name"]
    policy = None
    for option in case["options"]:
        match = re.fullmatch(r"WithDeprecation\((\d+), (\d+)\)", option)
        if match:
            policy = (int(match[1]), int(match[2]))
    stability = "draft"
    for option in case["options"]:
        if option.startswith("checker.StabilityLevel"):
            stability = option.removeprefix("checker.StabilityLevel").lower()
    unsupported = [
        o
        for o in case["options"]
        if not o.startswith("WithDeprecation(") and not o.startswith("checker.StabilityLevel")
    ]
    if unsupported:
        return CaseResult(name, "skipped-option", ", ".join(unsupported))
    missing = sorted({*case["expected_ids"]} - IMPLEMENTED - IGNORED_IDS)
    if missing:
        return CaseResult(name, "unimplemented", ", ".join(missing))
    only = set(case["compare_only_ids"]) if case["compare_only_ids"] is not None else None
    if only is not None and case["expected_count"] and not only & IMPLEMENTED:
        # The test pins a count of findings whose rules the project does not implement.
        return CaseResult(name, "unimplemented", ", ".join(sorted(only)))
    try:
        old = load_side(ORACLE / case["base"], None, validate=False)
        new = load_side(ORACLE / case["revision"], None, validate=False)
    except Exception as exc:  # a fixture the loader cannot read: counted, not fatal
        return CaseResult(name, "load-error", f"{type(exc).__name__}: {exc}")
    findings = diff_sides(old, new, deprecation_days=policy, min_stability=stability)
    minimum = level_rank(case["min_level"])
    if only is not None:
        # The extraction of compare_only_ids missed some ids the checks emit (api-path-sunset-parse comes from
        # APISunsetChangedCheck too); an id the test expects is by definition one its checks emit.
        only |= set(case["expected_ids"])
    ours = [
        f.id
        for f in findings
        if f.id in OASDIFF_RULES
        and f.id not in IGNORED_IDS
        and level_rank(f.level) >= minimum
        and (only is None or f.id in only)
    ]
    expected = [i for i in case["expected_ids"] if i not in IGNORED_IDS]
    count = case["expected_count"]
    problems = []
    if case["exact"]:
        if count is not None and len(expected) == count:
            if Counter(ours) != Counter(expected):
                problems.append(f"expected exactly {sorted(expected)}")
        elif set(ours) != set(expected):
            problems.append(f"expected exactly the ids {sorted(set(expected))}")
    else:
        absent = set(expected) - set(ours)
        if absent:
            problems.append(f"missing {sorted(absent)}")
    if count is not None and len(ours) != count:
        problems.append(f"expected {count} finding(s)")
    unwanted = set(case["not_expected_ids"]) & set(ours)
    if unwanted:
        problems.append(f"unexpected {sorted(unwanted)}")
    if problems:
        return CaseResult(name, "disagree", "; ".join(problems) + f"; got {sorted(ours)}", ours)
    return CaseResult(name, "agree", "", ours)


# Cases where the project knowingly reports differently from oasdiff, with the reason.
KNOWN_DISAGREEMENTS: dict[str, str] = {
    "TestBreaking_AnyOf": "the IR folds a one-variant anyOf into the variant, and an array-typed schema drops its "
    "`properties` (the fixture's `type: array` with `properties` is not a model the client could have)",
    "TestRequestPropertyAllOfAdded_AnnotationOnly_EmitsInfo": "the IR folds `allOf` beside sibling keywords into one "
    "schema; also the case lists two ids but a count of 1",
    "TestResponsePropertyAllOfAdded_AnnotationOnly_EmitsInfoWithDistinctId": "as the request variant: the IR folds "
    "the annotation-only allOf; the case lists two ids but a count of 1",
    "TestRequestBodyAnyOfMultiMediaTypeDetails": "Cat and Rabbit are structurally identical; the project compares "
    "schemas by structure, not by name (by design: inline vs $ref must compare equal)",
    "TestSubSchemaTraversalAddedProperty": "if/then/else, contains, prefixItems, patternProperties, dependentSchemas "
    "and the other 2020-12 applicators are not in the IR",
    "TestSubSchemaTraversalDeletedProperty": "as TestSubSchemaTraversalAddedProperty",
    "TestWebhookOperationChangesDetected": "webhooks are not in the IR (the generated client does not serve them)",
}


def test_oracle_agreement(capsys: pytest.CaptureFixture[str]) -> None:
    """Every oasdiff case whose rules the project implements agrees, apart from the documented ones."""
    if not ORACLE.is_dir():
        pytest.skip(f"{ORACLE} is not present")
    results = [run_case(case) for case in load_cases()]
    by_status = Counter(r.status for r in results)
    compared = by_status["agree"] + by_status["disagree"]
    unimplemented = sorted({i for case in load_cases() for i in case["expected_ids"]} - IMPLEMENTED - IGNORED_IDS)
    with capsys.disabled():
        print(
            f"\noasdiff oracle: {by_status['agree']}/{compared} compared cases agree; "
            f"{by_status['skipped-option']} skipped for unsupported options, "
            f"{by_status['unimplemented']} use unimplemented rules, {by_status['load-error']} load errors"
        )
        print(f"rule ids the oracle expects but the project does not implement ({len(unimplemented)}):")
        print("  " + ", ".join(unimplemented))
        for r in results:
            if r.status == "disagree":
                known = KNOWN_DISAGREEMENTS.get(r.name)
                print(f"  disagree{' (known)' if known else ''}: {r.name}: {r.detail}")
    unexpected = [
        f"{r.name}: {r.detail}" for r in results if r.status == "disagree" and r.name not in KNOWN_DISAGREEMENTS
    ]
    assert not unexpected, "\n".join(unexpected)
    stale = [n for n in KNOWN_DISAGREEMENTS if any(r.name == n and r.status == "agree" for r in results)]
    assert not stale, f"these now agree; drop them from KNOWN_DISAGREEMENTS: {stale}"
