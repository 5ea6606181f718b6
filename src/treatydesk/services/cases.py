"""Cases: outgoing drafts and incoming requests, edits, lifecycle moves, reviews, consultations,
decisions and preservation clocks. One operation, one transaction, its audit entry included.

The request validator and the safeguards engine are injected: the service stores what they
return and never interprets the request itself. Creating a case or editing its request is
validate, evaluate, store, audit: the engine's record for the saved version is stored with that
version (and its outcome on the case) in the same transaction as the case and its audit entry;
an invalid request, or an evaluation that fails, writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from treatydesk.audit.chain import AuditAction
from treatydesk.cooperation.clocks import (
    CaseClocks,
    ClockPolicy,
    Preservation,
    due,
    preservation_minimum_days,
    require_aware,
)
from treatydesk.cooperation.kinds import RequestKind
from treatydesk.cooperation.lifecycle import (
    DECISION_TARGET,
    EDITABLE_STATES,
    FINAL_STATES,
    INITIAL_STATE,
    CaseState,
    DecisionFacts,
    DecisionKind,
    Direction,
    check_after_decision,
    check_decision,
    check_transition,
)
from treatydesk.errors import Conflict, ErrorCollector, InvalidInput, TransitionNotAllowed
from treatydesk.services.common import (
    Clock,
    check_caller,
    check_page,
    current_user,
    utcnow,
    write,
)
from treatydesk.services.principal import Permission, Principal, require
from treatydesk.services.views import (
    CaseVersionView,
    CaseView,
    ConsultationView,
    DecisionView,
    Page,
    ReviewView,
)
from treatydesk.store import desk_repo
from treatydesk.store.db import Database
from treatydesk.store.desk_tables import CaseRow, ConsultationRow, DecisionRow, ReviewRow

#: largest request JSON accepted, in bytes of its canonical encoding
MAX_REQUEST_BYTES = 512 * 1024
#: kinds that can follow up a preservation request (Art 42: search, seizure or disclosure)
FOLLOW_UP_KINDS: frozenset[RequestKind] = frozenset(
    {RequestKind.MUTUAL_LEGAL_ASSISTANCE, RequestKind.STORED_DATA_ACCESS}
)
#: after these states a preservation is over; until then its expiry clock runs, even after the
#: requesting State was told the data is preserved (state responded)
PRESERVATION_ENDED: frozenset[CaseState] = frozenset({CaseState.CLOSED, CaseState.WITHDRAWN})


class RequestValidator(Protocol):
    """Checks a request's JSON for its kind; returns it normalised or raises InvalidInput."""

    def __call__(self, kind: RequestKind, request: Mapping[str, Any]) -> dict[str, Any]: ...


class SafeguardsRecord(Protocol):
    """What the safeguards engine returns (its Decision)."""

    @property
    def revision(self) -> str: ...

    def as_record(self) -> Mapping[str, Any]: ...


class SafeguardsEvaluator(Protocol):
    """Evaluates a request (as the validator returned it) of `kind` as of `on` (binds parties,
    standings, policy); `subject` names it in messages ("case 12", "a new case")."""

    def __call__(
        self, kind: RequestKind, request: Mapping[str, Any], *, on: date, subject: str
    ) -> SafeguardsRecord: ...


def check_summary(
    record: Mapping[str, Any], revision: str, *, on: date, request_version: int
) -> dict[str, Any]:
    """What the case row keeps of a check (the full record goes with the case version)."""
    counts = record.get("counts") or {}
    return {"outcome": str(record.get("outcome")), "rules_revision": revision,
            "counts": {str(k): int(v) for k, v in counts.items()},
            "on": on.isoformat(), "request_version": request_version}


def _kind(value: str | RequestKind) -> RequestKind:
    try:
        return RequestKind(value)
    except ValueError:
        kinds = ", ".join(kind.value for kind in RequestKind)
        raise InvalidInput(f"unknown request kind {value!r}; kinds: {kinds}") from None


def _state(value: str | CaseState) -> CaseState:
    try:
        return CaseState(value)
    except ValueError:
        states = ", ".join(state.value for state in CaseState)
        raise InvalidInput(f"unknown case state {value!r}; states: {states}") from None


class CaseService:
    def __init__(
        self,
        db: Database,
        *,
        validate_request: RequestValidator,
        evaluate: SafeguardsEvaluator,
        clock_policy: ClockPolicy | None = None,
        extra_intrusive: Collection[RequestKind] = (),
        now: Clock = utcnow,
    ) -> None:
        self._db = db
        self._validate = validate_request
        self._evaluate = evaluate
        self._clocks = clock_policy or ClockPolicy()
        self._extra_intrusive = frozenset(extra_intrusive)
        self._now = now

    # --- creating ------------------------------------------------------------------------

    def create_outgoing_draft(
        self, principal: Principal, *, kind: str | RequestKind, requesting_party: str,
        requested_party: str, title: str, request: Mapping[str, Any],
        requesting_deadline: datetime | None = None, urgent: bool = False,
    ) -> CaseView:
        """A draft of a request this desk will send (state draft)."""
        return self._create(
            principal, Direction.OUTGOING, kind=kind, requesting_party=requesting_party,
            requested_party=requested_party, title=title, request=request, received_at=None,
            requesting_deadline=requesting_deadline, urgent=urgent,
        )

    def register_incoming(
        self, principal: Principal, *, kind: str | RequestKind, requesting_party: str,
        requested_party: str, title: str, request: Mapping[str, Any],
        received_at: datetime | None = None, requesting_deadline: datetime | None = None,
        urgent: bool = False,
    ) -> CaseView:
        """A request another State sent to this desk (state received); its clocks run from
        `received_at` (default: now)."""
        return self._create(
            principal, Direction.INCOMING, kind=kind, requesting_party=requesting_party,
            requested_party=requested_party, title=title, request=request,
            received_at=received_at, requesting_deadline=requesting_deadline, urgent=urgent,
        )

    def _create(
        self, principal: Principal, direction: Direction, *, kind: str | RequestKind,
        requesting_party: str, requested_party: str, title: str, request: Mapping[str, Any],
        received_at: datetime | None, requesting_deadline: datetime | None, urgent: bool,
    ) -> CaseView:
        require(principal, Permission.CASE_WRITE)
        request_kind = _kind(kind)
        problems = ErrorCollector()
        for where, party in (("requesting_party", requesting_party),
                             ("requested_party", requested_party)):
            if not party.strip() or len(party) > 64:
                problems.add(where, "name the State (1 to 64 characters)")
        if not title.strip() or len(title) > 300:
            problems.add("title", "give the case a title of 1 to 300 characters")
        for where, moment in (("received_at", received_at),
                              ("requesting_deadline", requesting_deadline)):
            if moment is not None and moment.tzinfo is None:
                problems.add(where, "give the time with its time zone")
        if problems:
            raise InvalidInput(f"the {direction.value} case cannot be created",
                               items=problems.items)
        normalised = self._checked_request(request_kind, request)
        # evaluated before the chain lock is taken: the engine reads profiles, policy and
        # standings, and writers should not wait for that
        on = self._now().date()
        outcome = self._evaluate(request_kind, normalised, on=on, subject="the new case")
        record = dict(outcome.as_record())
        summary = check_summary(record, outcome.revision, on=on, request_version=1)
        with write(self._db) as session:
            current_user(session, principal)
            at = self._now()
            row = CaseRow(
                org_id=principal.org_id, direction=direction.value, kind=request_kind.value,
                requesting_party=requesting_party.strip(),
                requested_party=requested_party.strip(), state=INITIAL_STATE[direction].value,
                title=title.strip(), request=normalised, version=1, request_version=1,
                created_by=principal.user_id, created_at=at, updated_at=at,
                received_at=received_at or at, urgent=urgent,
                requesting_deadline=requesting_deadline, preservation_extension_days=[],
                check_outcome=summary["outcome"], check_summary=summary,
            )
            row.due_at = self._due(session, row)
            desk_repo.insert_case(session, row=row, check_record=record,
                                  rules_revision=outcome.revision)
            self._audit(session, principal, row, AuditAction.CREATE, {
                "direction": direction.value, "kind": request_kind.value,
                "state": row.state, "version": row.version,
                "check_outcome": summary["outcome"], "rules_revision": outcome.revision,
            }, at)
            return CaseView.of(row)

    def _checked_request(self, kind: RequestKind, request: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(request, Mapping):
            raise InvalidInput("the request must be a JSON object")
        try:
            size = len(json.dumps(request, ensure_ascii=False).encode("utf-8"))
        except (TypeError, ValueError) as error:
            raise InvalidInput(f"the request is not plain JSON: {error}") from None
        if size > MAX_REQUEST_BYTES:
            raise InvalidInput(
                f"the request is {size} bytes; the largest accepted is {MAX_REQUEST_BYTES}"
            )
        return self._validate(kind, request)

    # --- reading -------------------------------------------------------------------------

    def get_case(self, principal: Principal, case_id: int) -> CaseView:
        require(principal, Permission.CASE_READ)
        with self._db.reading() as session:
            user, row = desk_repo.get_case_with_user(
                session, user_id=principal.user_id, org_id=principal.org_id, case_id=case_id)
            check_caller(user, principal)
            if row is None:
                raise desk_repo.case_not_found(case_id)
            return CaseView.of(row)

    def list_cases(
        self, principal: Principal, *, state: str | None = None, kind: str | None = None,
        direction: str | None = None, due: str | None = None, limit: int = 50, offset: int = 0,
    ) -> Page[CaseView]:
        """Cases of the caller's organisation, earliest deadline first. `due` is "overdue"
        (deadline passed) or "due_soon" (within the clock policy's due_soon window)."""
        require(principal, Permission.CASE_READ)
        check_page(limit, offset)
        now = self._now()
        where = desk_repo.CaseFilter(
            state=_state(state).value if state is not None else None,
            kind=_kind(kind).value if kind is not None else None,
            direction=_direction(direction).value if direction is not None else None,
        )
        if due == "overdue":
            where = replace(where, due_before=now)
        elif due == "due_soon":
            where = replace(where, due_from=now, due_before=now + self._clocks.due_soon)
        elif due is not None:
            raise InvalidInput(f"due must be 'overdue' or 'due_soon', got {due!r}")
        with self._db.reading() as session:
            current_user(session, principal)
            rows, total = desk_repo.list_cases(
                session, org_id=principal.org_id, where=where, limit=limit, offset=offset
            )
            return Page[CaseView](
                items=[CaseView.of(row) for row in rows], total=total, limit=limit,
                offset=offset,
            )

    def case_history(self, principal: Principal, case_id: int) -> list[CaseVersionView]:
        require(principal, Permission.CASE_READ)
        with self._db.reading() as session:
            current_user(session, principal)
            return [CaseVersionView.of(row) for row in desk_repo.list_case_versions(
                session, org_id=principal.org_id, case_id=case_id)]

    def list_reviews(self, principal: Principal, case_id: int) -> list[ReviewView]:
        require(principal, Permission.CASE_READ)
        with self._db.reading() as session:
            current_user(session, principal)
            desk_repo.get_case(session, org_id=principal.org_id, case_id=case_id)
            return [ReviewView.of(row) for row in desk_repo.list_reviews(
                session, org_id=principal.org_id, case_id=case_id)]

    def list_decisions(
        self, principal: Principal, *, case_id: int | None = None
    ) -> list[DecisionView]:
        """Decision records (auditors too): each with the safeguards record and rules revision."""
        require(principal, Permission.DECISION_READ)
        with self._db.reading() as session:
            current_user(session, principal)
            if case_id is not None:
                desk_repo.get_case(session, org_id=principal.org_id, case_id=case_id)
            return [DecisionView.of(row) for row in desk_repo.list_decisions(
                session, org_id=principal.org_id, case_id=case_id)]

    # --- changing ------------------------------------------------------------------------

    def edit_request(
        self, principal: Principal, case_id: int, *, expected_version: int,
        request: Mapping[str, Any], title: str | None = None,
    ) -> CaseView:
        """Save a new version of the request. A complete outgoing request goes back to draft;
        approvals given to the earlier version no longer count."""
        require(principal, Permission.CASE_WRITE)
        if title is not None and (not title.strip() or len(title) > 300):
            raise InvalidInput("give the case a title of 1 to 300 characters")
        with write(self._db) as session:
            current_user(session, principal)
            row = desk_repo.get_case(session, org_id=principal.org_id, case_id=case_id)
            direction, state = Direction(row.direction), CaseState(row.state)
            if state not in EDITABLE_STATES[direction]:
                editable = ", ".join(sorted(s.value for s in EDITABLE_STATES[direction]))
                raise Conflict(
                    f"case {case_id} is {state.value}; its request can be edited only while "
                    f"{editable}"
                )
            kind = RequestKind(row.kind)
            normalised = self._checked_request(kind, request)
            at = self._now()
            outcome = self._evaluate(kind, normalised, on=at.date(), subject=f"case {case_id}")
            record = dict(outcome.as_record())
            summary = check_summary(record, outcome.revision, on=at.date(),
                                    request_version=row.request_version + 1)
            new_state = CaseState.DRAFT if state is CaseState.COMPLETE else state
            changes: dict[str, Any] = {
                "request": normalised, "request_version": row.request_version + 1,
                "state": new_state.value, "updated_at": at,
                "check_outcome": summary["outcome"], "check_summary": summary,
            }
            if title is not None:
                changes["title"] = title.strip()
            row = desk_repo.update_case(
                session, org_id=principal.org_id, case_id=case_id,
                expected_version=expected_version, changes=changes,
            )
            desk_repo.add_case_version(
                session, org_id=principal.org_id, case_id=case_id,
                request_version=row.request_version, request=normalised,
                author_id=principal.user_id, at=at, check_record=record,
                rules_revision=outcome.revision,
            )
            self._audit(session, principal, row, AuditAction.EDIT, {
                "request_version": row.request_version, "version": row.version,
                "state_from": state.value, "state_to": new_state.value,
                "check_outcome": summary["outcome"], "rules_revision": outcome.revision,
            }, at)
            return CaseView.of(row)

    def transition(
        self, principal: Principal, case_id: int, *, to: str | CaseState, expected_version: int
    ) -> CaseView:
        """Move a case along its lifecycle (decisions go through `decide`)."""
        require(principal, Permission.CASE_WRITE)
        target = _state(to)
        with write(self._db) as session:
            current_user(session, principal)
            row = desk_repo.get_case(session, org_id=principal.org_id, case_id=case_id)
            direction, source = Direction(row.direction), CaseState(row.state)
            check_transition(direction, source, target)
            if target is CaseState.DECIDED:
                raise TransitionNotAllowed(
                    "a case reaches decided only by recording a decision (decide)",
                    allowed=[],
                )
            if source is CaseState.DECIDED and row.decision is not None:
                check_after_decision(DecisionKind(row.decision), target)
            at = self._now()
            row = desk_repo.update_case(
                session, org_id=principal.org_id, case_id=case_id,
                expected_version=expected_version,
                changes={"state": target.value, "updated_at": at,
                         "due_at": self._due(session, row, target)},
            )
            self._audit(session, principal, row, AuditAction.TRANSITION, {
                "from": source.value, "to": target.value, "version": row.version,
            }, at)
            self._refresh_preservations(session, principal, row)
            return CaseView.of(row)

    def record_review(
        self, principal: Principal, case_id: int, *, expected_version: int, approve: bool,
        note: str = "",
    ) -> ReviewView:
        """A reviewer's approval (or objection) of the current version of an incoming request
        under review; the same reviewer cannot approve the same version twice."""
        require(principal, Permission.CASE_REVIEW)
        if len(note) > 10_000:
            raise InvalidInput("the review note is longer than 10000 characters")
        with write(self._db) as session:
            current_user(session, principal)
            row = self._case_at(session, principal, case_id, expected_version)
            self._require_state(row, CaseState.UNDER_REVIEW, "reviewed")
            at = self._now()
            review = desk_repo.add_review(session, row=ReviewRow(
                org_id=principal.org_id, case_id=case_id, request_version=row.request_version,
                reviewer_id=principal.user_id, approve=approve, note=note, created_at=at,
            ))
            self._audit(session, principal, row, AuditAction.REVIEW, {
                "approve": approve, "request_version": row.request_version,
            }, at)
            return ReviewView.of(review)

    def record_consultation(
        self, principal: Principal, case_id: int, *, held_at: datetime, summary: str
    ) -> ConsultationView:
        """A consultation with the other State (Art 40(27) [R]: before refusing or
        postponing)."""
        require(principal, Permission.CONSULTATION_RECORD)
        problems = ErrorCollector()
        if not summary.strip() or len(summary) > 10_000:
            problems.add("summary", "say what was discussed (1 to 10000 characters)")
        if held_at.tzinfo is None:
            problems.add("held_at", "give the time with its time zone")
        if problems:
            raise InvalidInput("the consultation cannot be recorded", items=problems.items)
        with write(self._db) as session:
            current_user(session, principal)
            row = desk_repo.get_case(session, org_id=principal.org_id, case_id=case_id)
            at = self._now()
            if held_at > at:
                raise InvalidInput("held_at is in the future; record a consultation once held")
            consultation = desk_repo.add_consultation(session, row=ConsultationRow(
                org_id=principal.org_id, case_id=case_id, recorded_by=principal.user_id,
                held_at=held_at, summary=summary.strip(), created_at=at,
            ))
            self._audit(session, principal, row, AuditAction.CONSULTATION, {
                "consultation_id": consultation.id,
            }, at)
            return ConsultationView.of(consultation)

    def decide(
        self, principal: Principal, case_id: int, *, expected_version: int,
        decision: str | DecisionKind, reasons: Sequence[str] = (),
        conditions: Sequence[str] = (),
    ) -> DecisionView:
        """Record a reviewer's decision on an incoming request under review, with the
        safeguards engine's record and rules revision for the version decided on."""
        require(principal, Permission.CASE_REVIEW)
        try:
            kind_of_decision = DecisionKind(decision)
        except ValueError:
            options = ", ".join(d.value for d in DecisionKind)
            raise InvalidInput(f"unknown decision {decision!r}; decisions: {options}") from None
        with write(self._db) as session:
            current_user(session, principal)
            row = self._case_at(session, principal, case_id, expected_version)
            self._require_state(row, CaseState.UNDER_REVIEW, "decided")
            approvals = desk_repo.list_reviews(
                session, org_id=principal.org_id, case_id=case_id,
                request_version=row.request_version,
            )
            approver_ids = tuple(sorted({r.reviewer_id for r in approvals if r.approve}))
            consultations = desk_repo.list_consultations(
                session, org_id=principal.org_id, case_id=case_id
            )
            clean_reasons = tuple(r.strip() for r in reasons if r.strip())
            clean_conditions = tuple(c.strip() for c in conditions if c.strip())
            check_decision(
                DecisionFacts(
                    kind=RequestKind(row.kind), decision=kind_of_decision,
                    reasons=clean_reasons, conditions=clean_conditions,
                    approver_ids=approver_ids, consultations_recorded=len(consultations),
                ),
                extra_intrusive=self._extra_intrusive,
            )
            at = self._now()
            outcome = self._evaluate(RequestKind(row.kind), row.request, on=at.date(),
                                     subject=f"case {row.id}")
            record = dict(outcome.as_record())
            target = DECISION_TARGET[kind_of_decision]
            changes: dict[str, Any] = {
                "state": target.value, "updated_at": at, "due_at": self._due(session, row, target),
            }
            if target is CaseState.DECIDED:
                changes["decision"] = kind_of_decision.value
            row = desk_repo.update_case(
                session, org_id=principal.org_id, case_id=case_id,
                expected_version=expected_version, changes=changes,
            )
            stored = desk_repo.add_decision(session, row=DecisionRow(
                org_id=principal.org_id, case_id=case_id, request_version=row.request_version,
                reviewer_id=principal.user_id, decision=kind_of_decision.value,
                reasons=list(clean_reasons), conditions=list(clean_conditions),
                safeguards_record=record, rules_revision=outcome.revision,
                approver_ids=list(approver_ids), created_at=at,
            ))
            self._audit(session, principal, row, AuditAction.DECISION, {
                "decision": kind_of_decision.value, "reasons": list(clean_reasons),
                "conditions": list(clean_conditions), "rules_revision": outcome.revision,
                "request_version": row.request_version, "approver_ids": list(approver_ids),
                "decision_id": stored.id, "state_to": target.value,
            }, at)
            self._refresh_preservations(session, principal, row)
            return DecisionView.of(stored)

    # --- preservation (Art 42) -----------------------------------------------------------

    def set_preservation(
        self, principal: Principal, case_id: int, *, expected_version: int,
        started_at: datetime, period_days: int | None = None,
        follow_up_case_id: int | None = None,
    ) -> CaseView:
        """Record that data is preserved for a preservation case from `started_at`, for
        `period_days` (default and minimum: the Art 42 figure), optionally linked to the MLA
        case that follows it up (preservation then holds until that case is decided)."""
        require(principal, Permission.CASE_WRITE)
        require_aware(started_at, "started_at")
        days = preservation_minimum_days() if period_days is None else period_days
        with write(self._db) as session:
            current_user(session, principal)
            row = desk_repo.get_case(session, org_id=principal.org_id, case_id=case_id)
            if RequestKind(row.kind) is not RequestKind.PRESERVATION:
                raise InvalidInput(
                    f"case {case_id} is a {row.kind} request; preservation clocks belong to "
                    "preservation requests (Art 42)"
                )
            if follow_up_case_id is not None:
                follow_up = desk_repo.get_case(
                    session, org_id=principal.org_id, case_id=follow_up_case_id
                )
                if RequestKind(follow_up.kind) not in FOLLOW_UP_KINDS or follow_up.id == row.id:
                    raise InvalidInput(
                        f"case {follow_up_case_id} ({follow_up.kind}) cannot follow up a "
                        "preservation; it must be a mutual legal assistance or stored data "
                        "access request (Arts 42, 44)"
                    )
            row.preservation_started_at = started_at
            row.preservation_days = days
            row.follow_up_case_id = follow_up_case_id
            # validates the period against the minimum before anything is written
            self._preservation(session, row)
            at = self._now()
            row = desk_repo.update_case(
                session, org_id=principal.org_id, case_id=case_id,
                expected_version=expected_version, changes={
                    "preservation_started_at": started_at, "preservation_days": days,
                    "follow_up_case_id": follow_up_case_id, "updated_at": at,
                    "due_at": self._due(session, row),
                },
            )
            self._audit(session, principal, row, AuditAction.PRESERVATION, {
                "started_at": started_at.isoformat(), "period_days": days,
                "follow_up_case_id": follow_up_case_id, "version": row.version,
            }, at)
            return CaseView.of(row)

    def extend_preservation(
        self, principal: Principal, case_id: int, *, expected_version: int, days: int
    ) -> CaseView:
        require(principal, Permission.CASE_WRITE)
        with write(self._db) as session:
            current_user(session, principal)
            row = desk_repo.get_case(session, org_id=principal.org_id, case_id=case_id)
            if row.preservation_started_at is None:
                raise InvalidInput(f"case {case_id} has no preservation to extend")
            row.preservation_extension_days = [*row.preservation_extension_days, days]
            self._preservation(session, row)
            at = self._now()
            row = desk_repo.update_case(
                session, org_id=principal.org_id, case_id=case_id,
                expected_version=expected_version, changes={
                    "preservation_extension_days": list(row.preservation_extension_days),
                    "updated_at": at, "due_at": self._due(session, row),
                },
            )
            self._audit(session, principal, row, AuditAction.PRESERVATION, {
                "extension_days": days, "version": row.version,
            }, at)
            return CaseView.of(row)

    # --- helpers -------------------------------------------------------------------------

    def _case_at(
        self, session: Session, principal: Principal, case_id: int, expected_version: int
    ) -> CaseRow:
        row = desk_repo.get_case(session, org_id=principal.org_id, case_id=case_id)
        if row.version != expected_version:
            raise Conflict(
                f"case {case_id} changed since you read it (you had version {expected_version},"
                f" it is now at version {row.version}); reload it and review it again"
            )
        return row

    @staticmethod
    def _require_state(row: CaseRow, state: CaseState, doing: str) -> None:
        if row.state != state.value:
            raise Conflict(
                f"case {row.id} is {row.state}; it can be {doing} only while {state.value}"
            )

    def _preservation(self, session: Session, row: CaseRow) -> Preservation | None:
        if row.preservation_started_at is None or row.preservation_days is None:
            return None
        received: datetime | None = None
        decided: datetime | None = None
        if row.follow_up_case_id is not None:
            follow_up = desk_repo.get_case(
                session, org_id=row.org_id, case_id=row.follow_up_case_id
            )
            received = follow_up.received_at
            decisive = [
                d.created_at for d in desk_repo.list_decisions(
                    session, org_id=row.org_id, case_id=follow_up.id)
                if DECISION_TARGET[DecisionKind(d.decision)] is CaseState.DECIDED
            ]
            if decisive:
                decided = decisive[0]
            elif CaseState(follow_up.state) is CaseState.WITHDRAWN:
                decided = follow_up.updated_at
        return Preservation(
            started_at=row.preservation_started_at, period_days=row.preservation_days,
            extension_days=tuple(row.preservation_extension_days),
            follow_up_received_at=received, follow_up_decided_at=decided,
        )

    def _due(
        self, session: Session, row: CaseRow, state: CaseState | None = None
    ) -> datetime | None:
        """The earliest running deadline of the case in `state` (default: its own)."""
        state = state or CaseState(row.state)
        preservation = (
            self._preservation(session, row) if state not in PRESERVATION_ENDED else None
        )
        if state in FINAL_STATES:
            # once the request is answered only the preservation clock is left
            return preservation.expires_at() if preservation is not None else None
        clocks = CaseClocks(
            kind=RequestKind(row.kind), received_at=row.received_at,
            requesting_deadline=row.requesting_deadline, urgent=row.urgent,
            preservation=preservation,
        )
        return due(clocks, self._clocks)

    def _refresh_preservations(
        self, session: Session, principal: Principal, follow_up: CaseRow
    ) -> None:
        """A follow-up's decision (or withdrawal) ends the hold on the preservations it follows
        up; their due dates are derived values, so no version bump."""
        for preservation in desk_repo.preservations_followed_up_by(
            session, org_id=principal.org_id, case_id=follow_up.id
        ):
            preservation.due_at = self._due(session, preservation)
        session.flush()

    @staticmethod
    def _audit(
        session: Session, principal: Principal, row: CaseRow, action: AuditAction,
        details: dict[str, Any], at: datetime,
    ) -> None:
        desk_repo.append_audit(
            session, at=at, org_id=principal.org_id, actor=principal.actor, action=action,
            object_type="case", object_id=row.id, details=details,
        )



def _direction(value: str) -> Direction:
    try:
        return Direction(value)
    except ValueError:
        raise InvalidInput(f"direction must be 'outgoing' or 'incoming', got {value!r}") from None
