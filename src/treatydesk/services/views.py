"""What the services return: plain, frozen models the CLI prints and the web serialises."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from treatydesk.audit.chain import AuditEntry
from treatydesk.store.desk_tables import (
    ApiTokenRow,
    CaseRow,
    CaseVersionRow,
    ConsultationRow,
    DecisionRow,
    ReviewRow,
    UserRow,
)

Item = TypeVar("Item")


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class Page(_View, Generic[Item]):
    items: list[Item]
    total: int
    limit: int
    offset: int


class UserView(_View):
    id: int
    org_id: int
    username: str
    role: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None
    failed_logins: int

    @classmethod
    def of(cls, row: UserRow) -> UserView:
        return cls(
            id=row.id, org_id=row.org_id, username=row.username, role=row.role,
            active=row.active, created_at=row.created_at, last_login_at=row.last_login_at,
            failed_logins=row.failed_logins,
        )


class TokenView(_View):
    """A token as listed: never the token itself, only its prefix."""

    id: int
    user_id: int
    name: str
    scopes: list[str]
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: ApiTokenRow) -> TokenView:
        return cls(
            id=row.id, user_id=row.user_id, name=row.name, scopes=list(row.scopes),
            prefix=row.prefix, created_at=row.created_at, last_used_at=row.last_used_at,
            expires_at=row.expires_at, revoked_at=row.revoked_at,
        )


class NewToken(_View):
    """Returned once when a token is created: `token` is shown to the user and never again."""

    token: str
    details: TokenView


class CheckSummary(_View):
    """The safeguards check run when the case's current request version was saved."""

    outcome: str
    #: findings per outcome (refuse, missing, consult, warn, pass, not_applicable)
    counts: dict[str, int]
    rules_revision: str
    #: the day the request was checked as of
    on: date
    request_version: int


class CaseView(_View):
    id: int
    direction: str
    kind: str
    requesting_party: str
    requested_party: str
    state: str
    title: str
    request: dict[str, Any]
    version: int
    request_version: int
    decision: str | None
    created_by: int
    created_at: datetime
    updated_at: datetime
    received_at: datetime
    urgent: bool
    requesting_deadline: datetime | None
    preservation_started_at: datetime | None
    preservation_days: int | None
    preservation_extension_days: list[int]
    follow_up_case_id: int | None
    due_at: datetime | None
    #: the latest safeguards check (None for a version saved before checks were stored)
    check: CheckSummary | None = None

    @classmethod
    def of(cls, row: CaseRow) -> CaseView:
        return cls(
            id=row.id, direction=row.direction, kind=row.kind,
            requesting_party=row.requesting_party, requested_party=row.requested_party,
            state=row.state, title=row.title, request=dict(row.request), version=row.version,
            request_version=row.request_version, decision=row.decision,
            created_by=row.created_by, created_at=row.created_at, updated_at=row.updated_at,
            received_at=row.received_at, urgent=row.urgent,
            requesting_deadline=row.requesting_deadline,
            preservation_started_at=row.preservation_started_at,
            preservation_days=row.preservation_days,
            preservation_extension_days=list(row.preservation_extension_days),
            follow_up_case_id=row.follow_up_case_id, due_at=row.due_at,
            check=CheckSummary(**row.check_summary) if row.check_summary else None,
        )


class CaseVersionView(_View):
    request_version: int
    request: dict[str, Any]
    author_id: int
    created_at: datetime
    #: the safeguards check of this version when it was saved (None before checks were stored)
    check_outcome: str | None = None
    rules_revision: str | None = None
    check_record: dict[str, Any] | None = None

    @classmethod
    def of(cls, row: CaseVersionRow) -> CaseVersionView:
        return cls(
            request_version=row.request_version, request=dict(row.request),
            author_id=row.author_id, created_at=row.created_at,
            check_outcome=row.check_outcome, rules_revision=row.rules_revision,
            check_record=dict(row.check_record) if row.check_record is not None else None,
        )


class ReviewView(_View):
    id: int
    case_id: int
    request_version: int
    reviewer_id: int
    approve: bool
    note: str
    created_at: datetime

    @classmethod
    def of(cls, row: ReviewRow) -> ReviewView:
        return cls(
            id=row.id, case_id=row.case_id, request_version=row.request_version,
            reviewer_id=row.reviewer_id, approve=row.approve, note=row.note,
            created_at=row.created_at,
        )


class DecisionView(_View):
    id: int
    case_id: int
    request_version: int
    reviewer_id: int
    decision: str
    reasons: list[str]
    conditions: list[str]
    safeguards_record: dict[str, Any]
    rules_revision: str
    approver_ids: list[int]
    created_at: datetime

    @classmethod
    def of(cls, row: DecisionRow) -> DecisionView:
        return cls(
            id=row.id, case_id=row.case_id, request_version=row.request_version,
            reviewer_id=row.reviewer_id, decision=row.decision, reasons=list(row.reasons),
            conditions=list(row.conditions), safeguards_record=dict(row.safeguards_record),
            rules_revision=row.rules_revision, approver_ids=list(row.approver_ids),
            created_at=row.created_at,
        )


class ConsultationView(_View):
    id: int
    case_id: int
    recorded_by: int
    held_at: datetime
    summary: str
    created_at: datetime

    @classmethod
    def of(cls, row: ConsultationRow) -> ConsultationView:
        return cls(
            id=row.id, case_id=row.case_id, recorded_by=row.recorded_by, held_at=row.held_at,
            summary=row.summary, created_at=row.created_at,
        )


class AuditEntryView(_View):
    seq: int
    timestamp: str
    org_id: int | None
    actor: str
    action: str
    object_type: str
    object_id: str
    details: dict[str, Any]
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryView:
        return cls(**entry.as_dict())
