"""Engine-level unit tests: registry, revision, decision id, input checks, policy packs."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from treatydesk.convention import convention
from treatydesk.cooperation.request import parse_request
from treatydesk.errors import DataFileError, InvalidInput
from treatydesk.parties.profile import load_party_profiles
from treatydesk.parties.standings_file import load_standings
from treatydesk.safeguards import evaluate, load_policy, revision, rule_registry
from treatydesk.safeguards.findings import PRECEDENCE, ExplainLevel, Outcome
from treatydesk.safeguards.rules import RULES

ROOT = Path(__file__).resolve().parents[2]
EX = ROOT / "examples"
BROKEN = Path(__file__).parent / "fixtures" / "broken_policy"


def setup() -> tuple:  # type: ignore[type-arg]
    request = parse_request((EX / "requests" / "mla_fraud.json").read_bytes())
    profiles = load_party_profiles(EX / "parties")
    return request, profiles, load_standings(EX / "status" / "hypothetical.yaml")


def test_every_rule_article_is_known() -> None:
    treaty = convention()
    registry = rule_registry()
    for rule in registry.rules:
        assert rule.articles and rule.facts and rule.outcomes
        for article in rule.articles:
            assert treaty.check_reference(article) == article
    assert len({rule.id for rule in RULES}) == len(RULES)


def test_precedence_is_documented_order() -> None:
    assert [o.value for o in PRECEDENCE] == ["refuse", "missing", "consult", "warn", "pass",
                                             "not_applicable"]


def test_revision_covers_the_policy() -> None:
    default = load_policy(EX / "policy" / "default.yaml")
    text = (EX / "policy" / "default.yaml").read_text().replace("value: 40", "value: 41")
    changed = load_policy("changed.yaml", text=text)
    assert revision(default) != revision(changed)
    assert re.fullmatch(r"[0-9a-f]{64}", revision(default))


def test_decision_id_depends_on_input_and_date() -> None:
    request, profiles, standings = setup()
    policy = load_policy(EX / "policy" / "default.yaml")
    args = dict(requested=profiles["XAB"], requesting=profiles["XAA"], standings=standings,
                policy=policy)
    one = evaluate(request, on=request.date, **args)
    again = evaluate(request, on=request.date, **args)
    later = evaluate(request, on=request.date.replace(day=2), **args)
    assert one.decision_id == again.decision_id != later.decision_id
    record = one.as_record()
    assert record["revision"] == revision(policy) and record["decision_id"] == one.decision_id


def test_a_count_of_thousands_of_digits_is_a_huge_count_not_a_crash() -> None:
    # int() refuses to read more than 4,300 digits; a data description may hold 5,000
    request, profiles, standings = setup()
    item = request.data_requested[0].model_copy(
        update={"description": "Records of " + "9" * 5000 + " accounts"})
    hostile = request.model_copy(update={"data_requested": [item]})
    decision = evaluate(hostile, on=hostile.date, requested=profiles["XAB"],
                        requesting=profiles["XAA"], standings=standings,
                        policy=load_policy(EX / "policy" / "default.yaml"))
    finding = next(f for f in decision.explain(ExplainLevel.FULL)
                   if f.rule_id == "SG-SPECIFICITY-24")
    assert finding.outcome is Outcome.CONSULT
    assert "1000000000000 accounts, persons or devices" in finding.sentence


def test_a_decision_is_a_value_that_cannot_be_changed() -> None:
    request, profiles, standings = setup()
    args = dict(requested=profiles["XAB"], requesting=profiles["XAA"], standings=standings,
                policy=load_policy(EX / "policy" / "default.yaml"))
    one = evaluate(request, on=request.date, **args)
    again = evaluate(request, on=request.date, **args)
    later = evaluate(request, on=request.date.replace(day=2), **args)
    assert one == again and hash(one) == hash(again) and one != later
    assert one == pickle.loads(pickle.dumps(one)) and one != "a decision"
    assert one.decision_id in repr(one)
    # compiled read-only attributes (a frozen dataclass and a tuple before)
    with pytest.raises(AttributeError):
        one.outcome = Outcome.PASS  # type: ignore[misc]
    with pytest.raises(AttributeError):
        one.findings[0].outcome = Outcome.PASS  # type: ignore[misc]


def test_explain_levels() -> None:
    request, profiles, standings = setup()
    decision = evaluate(request, on=request.date, requested=profiles["XAB"],
                        requesting=profiles["XAA"], standings=standings,
                        policy=load_policy(EX / "policy" / "default.yaml"))
    fails = decision.explain(ExplainLevel.FAILS)
    full = decision.explain(ExplainLevel.FULL)
    assert all(f.outcome.severity >= Outcome.CONSULT.severity for f in fails)
    assert len(full) == len(RULES)


def test_profiles_must_match_the_request() -> None:
    request, profiles, standings = setup()
    policy = load_policy(EX / "policy" / "default.yaml")
    with pytest.raises(InvalidInput, match="addressed to XAB"):
        evaluate(request, on=request.date, requested=profiles["XAC"], requesting=None,
                 standings=standings, policy=policy)
    with pytest.raises(InvalidInput, match="requesting profile given is of XAC"):
        evaluate(request, on=request.date, requested=profiles["XAB"],
                 requesting=profiles["XAC"], standings=standings, policy=policy)
    other = load_policy("p.yaml", text="name: other\nparty: XAC\n")
    with pytest.raises(InvalidInput, match="desk of XAC"):
        evaluate(request, on=request.date, requested=profiles["XAB"], requesting=None,
                 standings=standings, policy=other)


@pytest.mark.parametrize(("comparison", "below", "equal", "above"), [
    ("<", True, False, False), ("<=", True, True, False), (">", False, False, True),
    (">=", False, True, True), ("==", False, True, False), ("!=", True, False, True),
])
def test_threshold_compares_the_observed_value_with_its_own(
        comparison: str, below: bool, equal: bool, above: bool) -> None:
    # "press < 40" is triggered by an observed 30: the observed value is the left operand
    policy = load_policy("t.yaml", text=(
        "name: t\nindicator_thresholds:\n"
        f"  - {{indicator: press, comparison: '{comparison}', value: 40}}\n"))
    threshold = policy.indicator_thresholds[0]
    assert (threshold.triggered(30.0), threshold.triggered(40.0),
            threshold.triggered(50.0)) == (below, equal, above)


def test_example_policies_load() -> None:
    for path in (EX / "policy").glob("*.yaml"):
        assert load_policy(path).example


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.name)
def test_broken_policy_refused_with_its_words(path: Path) -> None:
    words = re.match(r"# error: (.+)", path.read_text().splitlines()[0])
    assert words, f"{path} must start with '# error: <words>'"
    with pytest.raises(DataFileError) as caught:
        load_policy(path)
    assert words.group(1) in str(caught.value) and path.name in str(caught.value)


def test_rules_doc_is_current() -> None:
    from treatydesk.safeguards.catalogue import rules_markdown

    committed = (ROOT / "docs" / "rules.md").read_text()
    assert committed == rules_markdown(), "docs/rules.md is stale: regenerate it (see its header)"
