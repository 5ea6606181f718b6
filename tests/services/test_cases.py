"""Case services: lifecycle, tenancy, optimistic concurrency, reviews and decisions, clocks,
and one transaction per operation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from desk_setup import Desk, incoming, to_review
from sqlalchemy import func, select

from treatydesk.cooperation.clocks import preservation_minimum_days
from treatydesk.cooperation.kinds import RequestKind
from treatydesk.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
    TreatyDeskError,
)
from treatydesk.services.audit import verify_chain
from treatydesk.store import desk_repo
from treatydesk.store.desk_tables import AuditLogRow, CaseRow, CaseVersionRow


def count(desk: Desk, table: type) -> int:
    with desk.db.reading() as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


def test_outgoing_lifecycle_with_edit_back_to_draft(desk: Desk) -> None:
    case = desk.cases.create_outgoing_draft(
        desk.officer_a, kind="mutual_legal_assistance", requesting_party="Sylvania",
        requested_party="Freedonia", title="Bank records", request={"facts": "v1"},
    )
    assert (case.state, case.version, case.request_version) == ("draft", 1, 1)
    case = desk.cases.transition(desk.officer_a, case.id, to="complete", expected_version=1)
    case = desk.cases.edit_request(
        desk.officer_a, case.id, expected_version=case.version, request={"facts": "v2"}
    )
    assert (case.state, case.request_version) == ("draft", 2)
    history = desk.cases.case_history(desk.officer_a, case.id)
    assert [v.request["facts"] for v in history] == ["v1", "v2"]
    for state in ("complete", "sent", "acknowledged", "executed", "closed"):
        case = desk.cases.transition(
            desk.officer_a, case.id, to=state, expected_version=case.version
        )
    assert case.state == "closed" and case.due_at is None
    assert verify_chain(desk.db).ok


def test_illegal_transition_lists_allowed(desk: Desk) -> None:
    case = incoming(desk)
    with pytest.raises(TransitionNotAllowed) as caught:
        desk.cases.transition(desk.officer_a, case.id, to="executing", expected_version=1)
    assert caught.value.allowed == ["registered", "withdrawn"]
    case = to_review(desk, case)
    with pytest.raises(TransitionNotAllowed, match="recording a decision"):
        desk.cases.transition(desk.officer_a, case.id, to="decided",
                              expected_version=case.version)
    with pytest.raises(InvalidInput, match="unknown case state"):
        desk.cases.transition(desk.officer_a, case.id, to="lost", expected_version=1)


def test_stale_edit_is_a_conflict_and_changes_nothing(desk: Desk) -> None:
    case = incoming(desk)
    desk.cases.edit_request(desk.officer_a, case.id, expected_version=1, request={"facts": "a"})
    entries_before = count(desk, AuditLogRow)
    with pytest.raises(Conflict, match="you had version 1.*now at version 2"):
        desk.cases.edit_request(
            desk.officer_a, case.id, expected_version=1, request={"facts": "b"}
        )
    assert desk.cases.get_case(desk.officer_a, case.id).request == {"facts": "a"}
    assert count(desk, AuditLogRow) == entries_before
    assert count(desk, CaseVersionRow) == 2


def test_bad_input_is_refused_with_locations_and_nothing_written(desk: Desk) -> None:
    before = (count(desk, CaseRow), count(desk, AuditLogRow))
    with pytest.raises(InvalidInput) as caught:
        desk.cases.register_incoming(
            desk.officer_a, kind="preservation", requesting_party=" ", requested_party="B",
            title="", request={"facts": "f"},
        )
    assert {i.location for i in caught.value.items} == {"requesting_party", "title"}
    with pytest.raises(InvalidInput, match="unknown request kind 'telepathy'"):
        incoming(desk, kind="telepathy")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="incomplete"):
        desk.cases.register_incoming(
            desk.officer_a, kind="preservation", requesting_party="A", requested_party="B",
            title="t", request={"no": "facts"},
        )
    with pytest.raises(InvalidInput, match="not plain JSON"):
        desk.cases.register_incoming(
            desk.officer_a, kind="preservation", requesting_party="A", requested_party="B",
            title="t", request={"facts": object()},
        )
    with pytest.raises(InvalidInput, match="limit"):
        desk.cases.list_cases(desk.officer_a, limit=0)
    with pytest.raises(InvalidInput, match="due must be"):
        desk.cases.list_cases(desk.officer_a, due="tomorrow")
    with pytest.raises(InvalidInput, match="direction"):
        desk.cases.list_cases(desk.officer_a, direction="sideways")
    assert (count(desk, CaseRow), count(desk, AuditLogRow)) == before


def test_roles_are_enforced_with_reasons(desk: Desk) -> None:
    case = to_review(desk, incoming(desk))
    with pytest.raises(PermissionDenied, match="reviewer role cannot do case.write"):
        incoming(desk, principal=desk.reviewer_a)
    with pytest.raises(PermissionDenied, match="officer role cannot do case.review"):
        desk.cases.decide(desk.officer_a, case.id, expected_version=case.version,
                          decision="execute")
    with pytest.raises(PermissionDenied, match="auditor role cannot do case.read"):
        desk.cases.get_case(desk.auditor_a, case.id)
    with pytest.raises(PermissionDenied, match="admin role"):
        desk.cases.list_cases(desk.admin_a)
    assert desk.cases.list_decisions(desk.auditor_a) == []


def test_another_organisation_sees_nothing(desk: Desk) -> None:
    case = to_review(desk, incoming(desk))
    missing = case.id + 1000
    attempts = {
        "get": lambda cid: desk.cases.get_case(desk.officer_b, cid),
        "edit": lambda cid: desk.cases.edit_request(
            desk.officer_b, cid, expected_version=case.version, request={"facts": "x"}),
        "transition": lambda cid: desk.cases.transition(
            desk.officer_b, cid, to="withdrawn", expected_version=case.version),
        "review": lambda cid: desk.cases.record_review(
            desk.reviewer_b, cid, expected_version=case.version, approve=True),
        "decide": lambda cid: desk.cases.decide(
            desk.reviewer_b, cid, expected_version=case.version, decision="execute"),
        "consult": lambda cid: desk.cases.record_consultation(
            desk.reviewer_b, cid, held_at=desk.clock(), summary="s"),
        "history": lambda cid: desk.cases.case_history(desk.officer_b, cid),
        "decisions": lambda cid: desk.cases.list_decisions(desk.reviewer_b, case_id=cid),
    }
    for name, attempt in attempts.items():
        with pytest.raises(NotFound) as foreign:
            attempt(case.id)
        with pytest.raises(NotFound) as absent:
            attempt(missing)
        assert str(foreign.value) == str(absent.value).replace(str(missing), str(case.id)), name
    assert desk.cases.list_cases(desk.officer_b).total == 0
    assert desk.cases.get_case(desk.officer_a, case.id).version == case.version


def test_refusal_needs_reasons_and_consultation(desk: Desk) -> None:
    case = to_review(desk, incoming(desk))
    with pytest.raises(InvalidInput) as caught:
        desk.cases.decide(desk.reviewer_a, case.id, expected_version=case.version,
                          decision="refuse")
    assert {i.location for i in caught.value.items} == {"reasons", "consultations"}
    desk.cases.record_consultation(
        desk.officer_a, case.id, held_at=desk.clock() - timedelta(hours=1),
        summary="Asked whether conditions could allow assistance",
    )
    decision = desk.cases.decide(
        desk.reviewer_a, case.id, expected_version=case.version, decision="refuse",
        reasons=["Art 40(22): substantial grounds of persecution"],
    )
    assert decision.rules_revision == "rules-2025.11-test"
    assert decision.safeguards_record["subject"] == f"case {case.id}"
    case = desk.cases.get_case(desk.officer_a, case.id)
    assert (case.state, case.decision) == ("decided", "refuse")
    with pytest.raises(TransitionNotAllowed):
        desk.cases.transition(desk.officer_a, case.id, to="executing",
                              expected_version=case.version)
    desk.cases.transition(desk.officer_a, case.id, to="responded",
                          expected_version=case.version)
    with desk.db.reading() as session:
        entry = session.execute(
            select(AuditLogRow).where(AuditLogRow.action == "decision")
        ).scalar_one()
    assert entry.details["rules_revision"] == "rules-2025.11-test"


def test_postpone_and_consult_keep_the_case_under_review(desk: Desk) -> None:
    case = to_review(desk, incoming(desk))
    desk.cases.decide(desk.reviewer_a, case.id, expected_version=case.version,
                      decision="consult")
    case = desk.cases.get_case(desk.reviewer_a, case.id)
    assert case.state == "under_review" and case.decision is None


def test_two_reviewers_for_intrusive_measures(desk: Desk) -> None:
    case = to_review(desk, incoming(desk, kind=RequestKind.CONTENT_INTERCEPTION))
    desk.cases.record_review(desk.reviewer_a, case.id, expected_version=case.version,
                             approve=True)
    with pytest.raises(Conflict, match="different reviewer"):
        desk.cases.record_review(desk.reviewer_a, case.id, expected_version=case.version,
                                 approve=True)
    with pytest.raises(PermissionDenied, match="two different reviewers.*it has 1"):
        desk.cases.decide(desk.reviewer_a, case.id, expected_version=case.version,
                          decision="execute")
    desk.cases.record_review(desk.reviewer2_a, case.id, expected_version=case.version,
                             approve=True)
    decision = desk.cases.decide(desk.reviewer_a, case.id, expected_version=case.version,
                                 decision="execute")
    assert sorted(decision.approver_ids) == sorted(
        [desk.reviewer_a.user_id, desk.reviewer2_a.user_id])
    assert len(desk.cases.list_reviews(desk.officer_a, case.id)) == 2


def test_approvals_do_not_survive_an_edit(desk: Desk) -> None:
    case = to_review(desk, incoming(desk, kind=RequestKind.REAL_TIME_TRAFFIC_COLLECTION))
    for reviewer in (desk.reviewer_a, desk.reviewer2_a):
        desk.cases.record_review(reviewer, case.id, expected_version=case.version,
                                 approve=True)
    case = desk.cases.edit_request(desk.officer_a, case.id, expected_version=case.version,
                                   request={"facts": "widened period"})
    with pytest.raises(PermissionDenied, match="it has 0"):
        desk.cases.decide(desk.reviewer_a, case.id, expected_version=case.version,
                          decision="execute")


def test_stale_decision_is_a_conflict(desk: Desk) -> None:
    case = to_review(desk, incoming(desk))
    desk.cases.edit_request(desk.officer_a, case.id, expected_version=case.version,
                            request={"facts": "new"})
    with pytest.raises(Conflict, match="reload it"):
        desk.cases.decide(desk.reviewer_a, case.id, expected_version=case.version,
                          decision="execute")


def test_failure_midway_leaves_nothing_written(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = to_review(desk, incoming(desk))
    before = (count(desk, CaseRow), count(desk, AuditLogRow))

    class Injected(TreatyDeskError):
        pass

    def failing_append(*args: object, **kwargs: object) -> None:
        raise Injected("disk full")

    monkeypatch.setattr(desk_repo, "append_audit", failing_append)
    with pytest.raises(Injected):
        incoming(desk)
    with pytest.raises(Injected):
        desk.cases.decide(desk.reviewer_a, case.id, expected_version=case.version,
                          decision="execute")
    monkeypatch.undo()
    assert (count(desk, CaseRow), count(desk, AuditLogRow)) == before
    after = desk.cases.get_case(desk.officer_a, case.id)
    assert (after.state, after.version) == ("under_review", case.version)
    assert desk.cases.list_decisions(desk.reviewer_a) == []
    assert verify_chain(desk.db).ok


def test_engine_failure_leaves_nothing_written(desk: Desk) -> None:
    case = to_review(desk, incoming(desk))

    def broken_engine(*args: object, **kwargs: object) -> None:
        raise InvalidInput("policy pack missing")

    desk.cases._evaluate = broken_engine  # type: ignore[assignment]
    with pytest.raises(InvalidInput, match="policy pack"):
        desk.cases.decide(desk.reviewer_a, case.id, expected_version=case.version,
                          decision="execute")
    assert desk.cases.get_case(desk.officer_a, case.id).state == "under_review"


def test_emergency_clock_and_due_filters(desk: Desk) -> None:
    urgent = incoming(desk, kind=RequestKind.EMERGENCY_DISCLOSURE)
    assert urgent.due_at == desk.clock() + timedelta(hours=24)
    later = desk.cases.register_incoming(
        desk.officer_a, kind="stored_data_access", requesting_party="A", requested_party="B",
        title="t", request={"facts": "f"}, requesting_deadline=desk.clock() + timedelta(days=30),
    )
    no_clock = incoming(desk)
    page = desk.cases.list_cases(desk.officer_a)
    assert [c.id for c in page.items] == [urgent.id, later.id, no_clock.id]
    assert page.total == 3
    desk.clock.advance(timedelta(hours=23))
    assert [c.id for c in desk.cases.list_cases(desk.officer_a, due="due_soon").items] == [
        urgent.id]
    desk.clock.advance(timedelta(hours=2))
    assert [c.id for c in desk.cases.list_cases(desk.officer_a, due="overdue").items] == [
        urgent.id]
    second = desk.cases.list_cases(desk.officer_a, limit=1, offset=1)
    assert ([c.id for c in second.items], second.total) == ([later.id], 3)
    assert desk.cases.list_cases(desk.officer_a, kind="emergency_disclosure").total == 1
    assert desk.cases.list_cases(desk.officer_a, state="received", direction="incoming").total == 3


def test_preservation_clock_held_by_follow_up(desk: Desk) -> None:
    minimum = preservation_minimum_days()
    keep = incoming(desk, kind=RequestKind.PRESERVATION)
    with pytest.raises(InvalidInput, match=f"shorter than the {minimum} days"):
        desk.cases.set_preservation(desk.officer_a, keep.id, expected_version=keep.version,
                                    started_at=desk.clock(), period_days=minimum - 1)
    keep = desk.cases.set_preservation(desk.officer_a, keep.id, expected_version=keep.version,
                                       started_at=desk.clock())
    assert keep.due_at == desk.clock() + timedelta(days=minimum)
    keep = desk.cases.extend_preservation(desk.officer_a, keep.id,
                                          expected_version=keep.version, days=30)
    assert keep.due_at == desk.clock() + timedelta(days=minimum + 30)
    wrong = incoming(desk, kind=RequestKind.EXTRADITION)
    with pytest.raises(InvalidInput, match="cannot follow up"):
        desk.cases.set_preservation(desk.officer_a, keep.id, expected_version=keep.version,
                                    started_at=desk.clock(), follow_up_case_id=wrong.id)
    desk.clock.advance(timedelta(days=10))
    follow_up = to_review(desk, incoming(desk, kind=RequestKind.MUTUAL_LEGAL_ASSISTANCE))
    keep = desk.cases.set_preservation(
        desk.officer_a, keep.id, expected_version=keep.version,
        started_at=keep.preservation_started_at, follow_up_case_id=follow_up.id,  # type: ignore[arg-type]
    )
    assert keep.due_at is None  # held while the follow-up is decided (Art 42)
    desk.clock.advance(timedelta(days=200))
    desk.cases.decide(desk.reviewer_a, follow_up.id, expected_version=follow_up.version,
                      decision="execute")
    assert desk.cases.get_case(desk.officer_a, keep.id).due_at == desk.clock()
    other_org_case = incoming(desk, principal=desk.officer_b)
    with pytest.raises(NotFound):
        desk.cases.set_preservation(desk.officer_a, keep.id, expected_version=keep.version,
                                    started_at=desk.clock(), follow_up_case_id=other_org_case.id)


# --- the safeguards check stored with each saved request version --------------------------


def test_create_evaluates_and_stores_the_check_with_the_version(desk: Desk) -> None:
    case = desk.cases.register_incoming(
        desk.officer_a, kind=RequestKind.STORED_DATA_ACCESS, requesting_party="Freedonia",
        requested_party="Sylvania", title="t", request={"facts": "f", "expect": "consult"},
    )
    assert desk.engine.calls == [("the new case", "stored_data_access", desk.clock().date())]
    assert case.check is not None
    assert (case.check.outcome, case.check.rules_revision, case.check.request_version) == (
        "consult", "rules-2025.11-test", 1)
    assert case.check.counts == {"consult": 1, "not_applicable": 2}
    assert case.check.on == desk.clock().date()
    assert desk.cases.get_case(desk.reviewer_a, case.id).check == case.check
    [version] = desk.cases.case_history(desk.officer_a, case.id)
    assert (version.check_outcome, version.rules_revision) == ("consult", "rules-2025.11-test")
    assert version.check_record is not None and version.check_record["facts"] == "f"
    with desk.db.reading() as session:
        entry = session.execute(
            select(AuditLogRow).where(AuditLogRow.action == "create")).scalar_one()
    assert entry.details["check_outcome"] == "consult"
    assert entry.details["rules_revision"] == "rules-2025.11-test"
    listed = desk.cases.list_cases(desk.officer_a).items
    assert [c.check.outcome for c in listed if c.check] == ["consult"]


def test_edit_evaluates_the_new_version(desk: Desk) -> None:
    case = incoming(desk)
    assert case.check is not None and case.check.outcome == "pass"
    desk.clock.advance(timedelta(days=3))
    case = desk.cases.edit_request(desk.officer_a, case.id, expected_version=case.version,
                                   request={"facts": "more", "expect": "refuse"})
    assert case.check is not None
    assert (case.check.outcome, case.check.request_version) == ("refuse", 2)
    assert case.check.on == desk.clock().date()
    assert desk.engine.calls[-1] == (f"case {case.id}", "stored_data_access",
                                     desk.clock().date())
    history = desk.cases.case_history(desk.officer_a, case.id)
    assert [(v.request_version, v.check_outcome) for v in history] == [(1, "pass"),
                                                                       (2, "refuse")]
    with desk.db.reading() as session:
        entry = session.execute(
            select(AuditLogRow).where(AuditLogRow.action == "edit")).scalar_one()
    assert entry.details["check_outcome"] == "refuse"


def test_invalid_request_writes_nothing_and_is_not_evaluated(desk: Desk) -> None:
    before = (count(desk, CaseRow), count(desk, CaseVersionRow), count(desk, AuditLogRow))
    with pytest.raises(InvalidInput):
        desk.cases.register_incoming(
            desk.officer_a, kind=RequestKind.STORED_DATA_ACCESS, requesting_party="A",
            requested_party="B", title="t", request={"no": "facts"},
        )
    case = incoming(desk)
    calls = len(desk.engine.calls)
    with pytest.raises(InvalidInput):
        desk.cases.edit_request(desk.officer_a, case.id, expected_version=case.version,
                                request={"no": "facts"})
    assert len(desk.engine.calls) == calls
    assert (count(desk, CaseRow), count(desk, CaseVersionRow), count(desk, AuditLogRow)) == (
        before[0] + 1, before[1] + 1, before[2] + 1)
    assert desk.cases.get_case(desk.officer_a, case.id).request_version == 1


def test_failed_evaluation_on_create_or_edit_writes_nothing(desk: Desk) -> None:
    case = incoming(desk)
    before = (count(desk, CaseRow), count(desk, CaseVersionRow), count(desk, AuditLogRow))

    def broken_engine(*args: object, **kwargs: object) -> None:
        raise InvalidInput("policy pack unreadable")

    desk.cases._evaluate = broken_engine  # type: ignore[assignment]
    with pytest.raises(InvalidInput, match="policy pack"):
        incoming(desk)
    with pytest.raises(InvalidInput, match="policy pack"):
        desk.cases.edit_request(desk.officer_a, case.id, expected_version=case.version,
                                request={"facts": "new"})
    assert (count(desk, CaseRow), count(desk, CaseVersionRow), count(desk, AuditLogRow)) == before
    after = desk.cases.get_case(desk.officer_a, case.id)
    assert (after.version, after.request_version) == (case.version, 1)
    assert verify_chain(desk.db).ok
