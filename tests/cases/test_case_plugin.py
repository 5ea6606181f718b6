"""The case plugin itself: a wrong expectation must fail, and every rule has cases."""

from __future__ import annotations

from pathlib import Path

from case_runner import Case, differences, run_case

from treatydesk.datafile import load_yaml
from treatydesk.safeguards.rules import RULES

HERE = Path(__file__).parent


def test_a_wrong_expectation_is_reported() -> None:
    case = Case.model_validate({
        "name": "deliberately wrong",
        "expect": {"outcome": "pass", "findings": [
            {"rule": "SG-FORCE-65", "outcome": "refuse", "contains": ["nonsense words"]},
            {"rule": "SG-NO-SUCH-RULE", "outcome": "pass"}]},
    })
    problems = differences(case, run_case(case))
    assert any(p.startswith("overall outcome") for p in problems)
    assert any("expected refuse, got pass" in p for p in problems)
    assert any("nonsense words" in p for p in problems)
    assert any("no such finding" in p for p in problems)


def test_every_rule_has_cases_and_enough_cases_exist() -> None:
    covered: set[str] = set()
    total = 0
    for path in HERE.glob("art_*.yaml"):
        for case in load_yaml(path).data["cases"]:
            total += 1
            for finding in case["expect"].get("findings", []):
                covered.add(finding["rule"])
    assert total >= 80
    assert {rule.id for rule in RULES} <= covered
