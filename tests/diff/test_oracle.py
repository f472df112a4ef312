"""Run oasdiff's test cases (shared/diff-oracle) through the project's diff."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diff.compare import diff_apis
from generator.diff.implemented import IMPLEMENTED
from generator.diff.model import level_rank
from generator.diff.rules import OASDIFF_RULES
from generator.spec import load_spec

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ORACLE = SHARED / "diff-oracle"
IGNORED_IDS = {"api-version-increased", "api-version-decreased", "api-version-changed"}
# Options whose behaviour matches the project's defaults (no deprecation policy).
SUPPORTED_OPTIONS = {"WithDeprecation(0, 0)"}


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
    unsupported = [o for o in case["options"] if o not in SUPPORTED_OPTIONS]
    if unsupported:
        return CaseResult(name, "skipped-option", ", ".join(unsupported))
    missing = sorted({*case["expected_ids"]} - IMPLEMENTED - IGNORED_IDS)
    if missing:
        return CaseResult(name, "unimplemented", ", ".join(missing))
    try:
        old = load_spec(ORACLE / case["base"], validate=False).api
        new = load_spec(ORACLE / case["revision"], validate=False).api
    except Exception as exc:  # a fixture the loader cannot read: counted, not fatal
        return CaseResult(name, "load-error", f"{type(exc).__name__}: {exc}")
    findings = diff_apis(old, new)
    minimum = level_rank(case["min_level"])
    only = set(case["compare_only_ids"]) if case["compare_only_ids"] is not None else None
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
