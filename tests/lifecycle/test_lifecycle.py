"""The two case state machines and the decision rules."""

from __future__ import annotations

import pytest

from treatydesk.cooperation.kinds import RequestKind
from treatydesk.cooperation.lifecycle import (
    CaseState,
    DecisionFacts,
    DecisionKind,
    Direction,
    allowed_targets,
    check_after_decision,
    check_decision,
    check_transition,
    is_intrusive,
)
from treatydesk.errors import InvalidInput, PermissionDenied, TransitionNotAllowed

OUTGOING_PATH = [
    CaseState.DRAFT, CaseState.COMPLETE, CaseState.SENT, CaseState.ACKNOWLEDGED,
    CaseState.PARTLY_EXECUTED, CaseState.CLOSED,
]
INCOMING_PATH = [
    CaseState.RECEIVED, CaseState.REGISTERED, CaseState.UNDER_REVIEW, CaseState.DECIDED,
    CaseState.EXECUTING, CaseState.RESPONDED, CaseState.CLOSED,
]


@pytest.mark.parametrize(
    ("direction", "path"),
    [(Direction.OUTGOING, OUTGOING_PATH), (Direction.INCOMING, INCOMING_PATH)],
)
def test_happy_paths_are_allowed(direction: Direction, path: list[CaseState]) -> None:
    for source, target in zip(path, path[1:], strict=False):
        check_transition(direction, source, target)


def test_withdrawal_from_sent_and_acknowledged() -> None:
    check_transition(Direction.OUTGOING, CaseState.SENT, CaseState.WITHDRAWN)
    check_transition(Direction.OUTGOING, CaseState.ACKNOWLEDGED, CaseState.WITHDRAWN)
    with pytest.raises(TransitionNotAllowed):
        check_transition(Direction.OUTGOING, CaseState.DRAFT, CaseState.WITHDRAWN)


def test_illegal_transition_lists_allowed_ones() -> None:
    with pytest.raises(TransitionNotAllowed) as caught:
        check_transition(Direction.OUTGOING, CaseState.DRAFT, CaseState.SENT)
    assert caught.value.allowed == ["complete"]
    assert "from draft to sent" in str(caught.value)
    assert "allowed from here: complete" in str(caught.value)


def test_closed_is_final() -> None:
    with pytest.raises(TransitionNotAllowed) as caught:
        check_transition(Direction.INCOMING, CaseState.CLOSED, CaseState.RECEIVED)
    assert caught.value.allowed == []
    assert "final" in str(caught.value)


def test_state_of_the_other_direction_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="does not exist for outgoing"):
        allowed_targets(Direction.OUTGOING, CaseState.RECEIVED)


def test_decided_leads_where_the_decision_says() -> None:
    check_after_decision(DecisionKind.EXECUTE, CaseState.EXECUTING)
    check_after_decision(DecisionKind.REFUSE, CaseState.RESPONDED)
    with pytest.raises(TransitionNotAllowed) as caught:
        check_after_decision(DecisionKind.REFUSE, CaseState.EXECUTING)
    assert caught.value.allowed == ["responded", "withdrawn"]


def facts(**overrides: object) -> DecisionFacts:
    base: dict[str, object] = dict(
        kind=RequestKind.STORED_DATA_ACCESS, decision=DecisionKind.EXECUTE, reasons=(),
        conditions=(), approver_ids=(), consultations_recorded=0,
    )
    base.update(overrides)
    return DecisionFacts(**base)  # type: ignore[arg-type]


def test_refusal_needs_reasons_and_consultation_citing_article_40() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_decision(facts(decision=DecisionKind.REFUSE, reasons=("  ",)))
    locations = [item.location for item in caught.value.items]
    assert locations == ["reasons", "consultations"]
    assert all("Art 40" in item.message for item in caught.value.items)
    assert "recalled" in caught.value.items[0].message
    check_decision(
        facts(decision=DecisionKind.REFUSE, reasons=("40(21)(b)",), consultations_recorded=1)
    )


def test_postpone_needs_consultation() -> None:
    with pytest.raises(InvalidInput, match="cannot be recorded"):
        check_decision(facts(decision=DecisionKind.POSTPONE))
    check_decision(facts(decision=DecisionKind.POSTPONE, consultations_recorded=2))


def test_conditions_only_with_execute_with_conditions() -> None:
    with pytest.raises(InvalidInput):
        check_decision(facts(decision=DecisionKind.EXECUTE_WITH_CONDITIONS))
    with pytest.raises(InvalidInput):
        check_decision(facts(decision=DecisionKind.EXECUTE, conditions=("use limited",)))
    check_decision(facts(decision=DecisionKind.EXECUTE_WITH_CONDITIONS, conditions=("x",)))


@pytest.mark.parametrize(
    "kind", [RequestKind.CONTENT_INTERCEPTION, RequestKind.REAL_TIME_TRAFFIC_COLLECTION]
)
def test_intrusive_execute_needs_two_distinct_reviewers(kind: RequestKind) -> None:
    with pytest.raises(PermissionDenied, match="two different reviewers.*it has 1"):
        check_decision(facts(kind=kind, approver_ids=(7, 7)))
    with pytest.raises(PermissionDenied):
        check_decision(facts(kind=kind, approver_ids=()))
    check_decision(facts(kind=kind, approver_ids=(7, 8)))
    # refusing an intrusive request needs no second reviewer
    check_decision(
        facts(kind=kind, decision=DecisionKind.REFUSE, reasons=("r",), consultations_recorded=1)
    )


def test_policy_can_add_intrusive_kinds() -> None:
    extra = {RequestKind.STORED_DATA_ACCESS}
    assert is_intrusive(RequestKind.STORED_DATA_ACCESS, extra)
    assert not is_intrusive(RequestKind.STORED_DATA_ACCESS)
    with pytest.raises(PermissionDenied):
        check_decision(facts(approver_ids=(1,)), extra_intrusive=extra)
    check_decision(facts(approver_ids=(1,)))
