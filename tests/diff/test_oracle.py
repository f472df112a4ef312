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
    status: str  # agree | disagree | skipped-option | load-error
    detail: str = ""
    ours: list[str] = field(default_factory=list)


def load_cases() -> list[dict[str, Any]]:
    return list(json.loads((ORACLE / "cases.json").read_text()))


# Expectations read wrongly out of the Go tests (see the oracle's README), corrected here with the reason.
CORRECTIONS: dict[str, tuple[list[str], str]] = {
    "TestRequestPropertyAllOfAdded_AnnotationOnly_EmitsInfo": (
        ["request-body-all-of-added-annotation-only"],
        "the case lists both ids with a count of 1: the Go test pins one finding and asserts it is the "
        "annotation-only id, not request-body-all-of-added (its name: EmitsInfo)",
    ),
    "TestResponsePropertyAllOfAdded_AnnotationOnly_EmitsInfoWithDistinctId": (
        ["response-body-all-of-added-annotation-only"],
        "as the request case: one finding, with the distinct annotation-only id",
    ),
}


def run_case(case: dict[str, Any]) -> CaseResult:
    name = case["name"]
    if name in CORRECTIONS:
        case = {**case, "expected_ids": CORRECTIONS[name][0]}
    policy = None
    for option in case["options"]:
        match = re.fullmatch(r"WithDeprecation\((\d+), (\d+)\)", option)
        if match:
            policy = (int(match[1]), int(match[2]))
    stability = "draft"
    for option in case["options"]:
        if option.startswith("checker.StabilityLevel"):
            stability = option.removeprefix("checker.StabilityLevel").lower()
    attributes: tuple[str, ...] = ()
    for option in case["options"]:
        match = re.fullmatch(r"WithAttributes\(\[\]string\{(.*)\}\)", option)
        if match:
            attributes = tuple(json.loads(f"[{match[1]}]"))
    unsupported = [
        o
        for o in case["options"]
        if not o.startswith(("WithDeprecation(", "checker.StabilityLevel", "WithAttributes("))
    ]
    if unsupported:
        return CaseResult(name, "skipped-option", ", ".join(unsupported))
    # A case needing a rule the project does not implement is still run: it disagrees, and says why.
    missing = sorted({*case["expected_ids"]} - IMPLEMENTED - IGNORED_IDS)
    only = set(case["compare_only_ids"]) if case["compare_only_ids"] is not None else None
    try:
        old = load_side(ORACLE / case["base"], None, validate=False)
        new = load_side(ORACLE / case["revision"], None, validate=False)
    except Exception as exc:  # a fixture the loader cannot read: counted, not fatal
        return CaseResult(name, "load-error", f"{type(exc).__name__}: {exc}")
    findings = diff_sides(old, new, deprecation_days=policy, min_stability=stability, attributes=attributes)
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
        if missing:
            problems.append(f"unimplemented {missing}")
        return CaseResult(name, "disagree", "; ".join(problems) + f"; got {sorted(ours)}", ours)
    return CaseResult(name, "agree", "", ours)


# Cases where the project knowingly reports differently from oasdiff, with the reason (none at present).
KNOWN_DISAGREEMENTS: dict[str, str] = {}


# The agreement the suite holds the project to, over all cases (raise it as rules land; never lower it).
MIN_AGREE = 190


def test_oracle_agreement(capsys: pytest.CaptureFixture[str]) -> None:
    """Over ALL oasdiff cases: each agrees or is listed above with a reason; skipped options count as disagreeing."""
    if not ORACLE.is_dir():
        pytest.skip(f"{ORACLE} is not present")
    cases = load_cases()
    results = [run_case(case) for case in cases]
    by_status = Counter(r.status for r in results)
    agree = by_status["agree"]
    unimplemented = sorted({i for case in cases for i in case["expected_ids"]} - IMPLEMENTED - IGNORED_IDS)
    with capsys.disabled():
        print(
            f"\noasdiff oracle: {agree}/{len(cases)} cases agree ({100 * agree / len(cases):.1f} %); "
            f"{by_status['disagree']} disagree, {by_status['skipped-option']} skipped for unsupported options, "
            f"{by_status['load-error']} load errors"
        )
        for name, (ids, reason) in CORRECTIONS.items():
            print(f"  corrected expectation: {name}: expects {ids}: {reason}")
        if unimplemented:
            print(f"rule ids the oracle expects but the project does not implement: {', '.join(unimplemented)}")
        for r in results:
            if r.status != "agree":
                known = " (known)" if r.name in KNOWN_DISAGREEMENTS else ""
                print(f"  {r.status}{known}: {r.name}: {r.detail}")
    unexpected = [
        f"{r.name}: {r.status}: {r.detail}"
        for r in results
        if r.status != "agree" and r.name not in KNOWN_DISAGREEMENTS
    ]
    assert not unexpected, "\n".join(unexpected)
    stale = [n for n in KNOWN_DISAGREEMENTS if any(r.name == n and r.status == "agree" for r in results)]
    assert not stale, f"these now agree; drop them from KNOWN_DISAGREEMENTS: {stale}"
    assert agree >= MIN_AGREE, f"agreement fell to {agree}/{len(cases)}"
