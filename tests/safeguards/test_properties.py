"""Properties of the engine over generated requests (hypothesis)."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from treatydesk.convention import convention
from treatydesk.cooperation.contents import missing_contents
from treatydesk.cooperation.kinds import RequestKind
from treatydesk.cooperation.request import (
    DataCategory,
    IdentifierType,
    ProfileFlag,
    SubjectRole,
    parse_request,
    validate_request_data,
)
from treatydesk.errors import TreatyDeskError
from treatydesk.parties.profile import PartyProfile, load_party_profiles
from treatydesk.parties.standings_file import load_standings
from treatydesk.safeguards import Decision, Outcome, PolicyPack, evaluate, load_policy
from treatydesk.status.model import Standing

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PARTIES = ["XAA", "XAB", "XAC", "XAD", "XAE", "XZZ"]
WORDS = ["fraud", "deceived", "hacked into", "ransomware", "protest", "journalist",
         "bug bounty", "kill", "today", "all users", "cocaine", "blog", "tax evasion",
         "sold malware", "credentials", "the", "account", "launder", "insult", "groom"]

texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
days = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2028, 12, 31))


@cache
def world() -> tuple[dict[str, PartyProfile], dict[str, Standing], list[PolicyPack]]:
    return (load_party_profiles(EXAMPLES / "parties"),
            load_standings(EXAMPLES / "status" / "hypothetical.yaml"),
            [load_policy(EXAMPLES / "policy" / f"{n}.yaml")
             for n in ("default", "permissive")])


@st.composite
def request_data(draw: st.DrawFn) -> dict[str, Any]:
    requesting, requested = draw(st.permutations(PARTIES[:5]))[:2]
    offences = draw(st.lists(st.fixed_dictionaries({
        "label": texts, "conduct_description": texts, "legal_provision": st.just("EX s. 1"),
        "max_penalty_years": st.one_of(st.none(), st.floats(0, 30).map(lambda v: round(v, 1))),
        "max_penalty_life": st.booleans(),
        "claimed_convention_article": st.one_of(st.none(), st.integers(7, 17)),
        "involves_fiscal_matters": st.booleans(),
    }), max_size=3))
    subjects = draw(st.lists(st.fixed_dictionaries({
        "identifier_type": st.sampled_from([t.value for t in IdentifierType]),
        "identifier_value": st.sampled_from(["a@x.invalid", "*@x.invalid", "+000 1"]),
        "role": st.sampled_from([r.value for r in SubjectRole]),
        "profile_flags": st.lists(st.sampled_from([f.value for f in ProfileFlag]),
                                  max_size=2, unique=True),
    }), max_size=3))
    start = draw(days)
    data = draw(st.lists(st.fixed_dictionaries({
        "category": st.sampled_from([c.value for c in DataCategory]),
        "from_date": st.one_of(st.none(), st.just(start.isoformat())),
        "to_date": st.one_of(st.none(), st.just((start + dt.timedelta(
            days=draw(st.integers(0, 800)))).isoformat())),
        "justification": st.one_of(st.none(), texts),
    }), max_size=3))
    result: dict[str, Any] = {
        "reference": "R-1", "kind": draw(st.sampled_from([k.value for k in RequestKind])),
        "requesting_party": requesting, "requested_party": requested,
        "channel": draw(st.sampled_from(["central_authority", "network_24_7", "diplomatic"])),
        "language": draw(st.sampled_from(["en", "fr", "ru"])), "date": start.isoformat(),
        "urgency": draw(st.sampled_from(["ordinary", "urgent", "emergency"])),
        "emergency_justification": draw(st.one_of(st.none(), texts)),
        "offences": offences, "subjects": subjects, "data_requested": data,
        "facts_summary": draw(st.one_of(st.none(), texts)),
        "measures_sought": draw(st.lists(texts, max_size=2)),
        "purpose": draw(st.one_of(st.none(), texts)),
    }
    if draw(st.booleans()):
        result["collection_period"] = {
            "start": start.isoformat(),
            "end": (start + dt.timedelta(days=draw(st.integers(0, 400)))).isoformat(),
            "justification": draw(st.one_of(st.none(), texts))}
    elif result["kind"] == "mutual_legal_assistance" and not data:
        result["service_of_documents"] = draw(st.booleans())
    if draw(st.booleans()):
        result["made_orally"] = True
        if draw(st.booleans()):
            result["confirmed_in_writing"] = (start + dt.timedelta(
                days=draw(st.integers(0, 10)))).isoformat()
    return result


def decide(data: dict[str, Any], policy_index: int = 0) -> Decision:
    profiles, standings, policies = world()
    request = validate_request_data(data)
    return evaluate(request, on=request.date, requested=profiles[request.requested_party],
                    requesting=profiles.get(request.requesting_party), standings=standings,
                    policy=policies[policy_index])


PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(request_data(), st.integers(0, 1))
def test_evaluation_is_deterministic(data: dict[str, Any], policy_index: int) -> None:
    first = decide(data, policy_index)
    second = decide(json.loads(json.dumps(data)), policy_index)
    assert first == second
    assert first.as_record() == second.as_record()


#: neutral content for each required field: words that match no vocabulary
_NEUTRAL_TEXT = "Described in the attached file."
_NEUTRAL: dict[str, Any] = {
    "requesting_authority": {"name": "Office A"},
    "conducting_authority": {"name": "Office B"},
    "proceeding": {"stage": "investigation", "subject_matter": _NEUTRAL_TEXT},
    "facts_summary": _NEUTRAL_TEXT, "purpose": _NEUTRAL_TEXT,
    "measures_sought": ["Production of records"],
    "subjects": [{"identifier_type": "email", "identifier_value": "a@x.invalid",
                  "role": "suspect"}],
}


@PROPERTY
@given(request_data())
def test_adding_missing_contents_never_makes_it_worse(data: dict[str, Any]) -> None:
    before = decide(data)
    request = validate_request_data(data)
    missing = {item.field_path for item in missing_contents(request)} & set(_NEUTRAL)
    if not missing:
        return
    completed = dict(data)
    for path in missing:
        completed[path] = _NEUTRAL[path]
    after = decide(completed)
    assert after.outcome.severity <= before.outcome.severity, (missing, before.outcome,
                                                               after.outcome)


@PROPERTY
@given(request_data(), st.integers(0, 1))
def test_refuse_and_consult_cite_known_articles(data: dict[str, Any], index: int) -> None:
    treaty = convention()
    for finding in decide(data, index).findings:
        if finding.outcome in (Outcome.REFUSE, Outcome.CONSULT):
            assert finding.articles
            for article in finding.articles:
                assert treaty.check_reference(article)


@PROPERTY
@given(request_data(), days)
def test_engine_never_crashes(data: dict[str, Any], on: dt.date) -> None:
    profiles, standings, policies = world()
    request = validate_request_data(data)
    decision = evaluate(request, on=on, requested=profiles[request.requested_party],
                        requesting=None, standings=standings, policy=policies[0])
    assert decision.outcome in Outcome
    assert all(f.sentence.endswith(".") for f in decision.findings)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_is_a_clear_error_or_a_request(value: Any) -> None:
    try:
        parse_request(json.dumps(value), source="x.json")
    except TreatyDeskError as error:
        assert "x.json" in str(error)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_a_clear_error(raw: bytes) -> None:
    try:
        parse_request(raw, source="x.json")
    except TreatyDeskError as error:
        assert "x.json" in str(error)


@PROPERTY
@given(request_data(), days, st.integers(0, 1), st.booleans())
def test_every_explanation_renders_and_never_changes_the_decision(
        data: dict[str, Any], on: dt.date, policy_index: int, with_requesting: bool) -> None:
    """Each rule decides its outcome and the detail of its explanation once, on the hot path;
    the sentence is rendered later from that detail. Rendering must not fail, and must change
    nothing that was decided (outcomes, conditions, reviewers, emergency)."""
    import pickle

    from treatydesk.safeguards.engine import rule_registry

    profiles, standings, policies = world()
    request = validate_request_data(data)
    decision = evaluate(request, on=on, requested=profiles[request.requested_party],
                        requesting=profiles.get(request.requesting_party) if with_requesting
                        else None, standings=standings, policy=policies[policy_index])
    registry = rule_registry()
    assert [f.rule_id for f in decision.findings] == [r.id for r in registry.rules]
    decided = ([f.outcome for f in decision.findings], decision.outcome, decision.conditions,
               decision.reviewers_required, decision.emergency, decision.counts())
    for finding in decision.findings:
        assert finding.sentence.endswith(".")
        assert all(isinstance(name, str) and isinstance(value, str)
                   for name, value in finding.facts)
        assert finding.relies_on_recalled == (registry.recalled[finding.rule_id]
                                              and finding.sentence != f"Rule {finding.rule_id} "
                                              f"is not in effect on {on}.")
    assert ([f.outcome for f in decision.findings], decision.outcome, decision.conditions,
            decision.reviewers_required, decision.emergency, decision.counts()) == decided
    # the same request evaluated again renders the same sentences (rendering is pure)
    again = evaluate(request, on=on, requested=profiles[request.requested_party],
                     requesting=profiles.get(request.requesting_party) if with_requesting
                     else None, standings=standings, policy=policies[policy_index])
    assert again.as_record() == decision.as_record()
    copied = pickle.loads(pickle.dumps(decision))
    assert copied == decision and copied.as_record() == decision.as_record()


#: conduct of criticising the authorities, and its conduct categories
_LACKING = {"label": "Insulting officials", "legal_provision": "EX s. 88",
            "conduct_description": "She wrote a blog post criticising the minister.",
            "max_penalty_years": 5}
_LACKING_CONDUCT = {"criticism_of_authorities", "publication_of_information"}


@PROPERTY
@given(request_data())
def test_an_offence_lacking_dual_criminality_never_eases_that_rule(data: dict[str, Any]) -> None:
    """Partial dual criminality may keep the other offences, but adding an offence that lacks
    it never lowers that rule's severity (the decision's may fall: the offence can bring the
    request within the Convention's scope)."""
    # only where the requested party's catalogue lacks that conduct (some invented ones have it)
    assume(not _LACKING_CONDUCT & set(world()[0][data["requested_party"]].offence_for_conduct))
    before = decide(data).finding("SG-DUALCRIM-35")
    after = decide(dict(data, offences=[*data["offences"], _LACKING])).finding("SG-DUALCRIM-35")
    assert before is not None and after is not None
    assert after.outcome.severity >= before.outcome.severity, (before.outcome, after.outcome)
