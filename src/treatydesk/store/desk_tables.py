"""Tables of the desk: organisations, people, API tokens, cases and their history, decisions,
reviews, consultations, login attempts and the audit chain.

Every table that holds an organisation's data carries `org_id`; repository functions always
filter by it. Times are stored timezone-aware. Migrations: versions/0002_desk.py and
0004_case_checks.py (kept in step by the no-drift test).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from treatydesk.errors import InvalidInput
from treatydesk.store.db import Base


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC. SQLite keeps no offset and hands back naive
    values; this stores UTC and gives back aware UTC datetimes on every backend, and refuses
    naive ones on the way in (their instant would be a guess)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidInput(f"the time {value.isoformat()} has no time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class OrganisationRow(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class UserRow(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('officer', 'reviewer', 'auditor', 'admin')", name="ck_users_role"
        ),
        Index("ix_users_org_id", "org_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), nullable=False)
    #: unique across the deployment so that login needs no organisation
    username: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    #: argon2id hash (argon2-cffi); never the password
    password_hash: Mapped[str] = mapped_column(Text, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    #: failed logins since the last success (for the admin's view; the rate limit itself is
    #: computed from login_attempts so that it also covers unknown usernames)
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False)
    last_failed_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_org_id", "org_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    #: list of scope names (read, write, review, admin)
    scopes: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    #: SHA-256 hex of the whole token; the token itself is shown once and never stored
    token_sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    #: the first characters, so people can tell their tokens apart
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class LoginAttemptRow(Base):
    """One login attempt; the rate limit counts recent failures per username and per client
    address from here, so it holds across processes and for usernames that do not exist."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_client_at", "client_address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    client_address: Mapped[str] = mapped_column(String(64), nullable=False)
    succeeded: Mapped[bool] = mapped_column(Boolean, nullable=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint("direction IN ('outgoing', 'incoming')", name="ck_cases_direction"),
        Index("ix_cases_org_state", "org_id", "state"),
        Index("ix_cases_org_due", "org_id", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), nullable=False)
    direction: Mapped[str] = mapped_column(String(16), nullable=False)
    #: RequestKind value; the article it rests on is KIND_ARTICLES[kind]
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    requesting_party: Mapped[str] = mapped_column(String(64), nullable=False)
    requested_party: Mapped[str] = mapped_column(String(64), nullable=False)
    state: Mapped[str] = mapped_column(String(24), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    #: the request as last saved (its history is in case_versions)
    request: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    #: bumped on every change to this row: the optimistic-concurrency check
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    #: bumped on every edit of the request; approvals count for one request_version only
    request_version: Mapped[int] = mapped_column(Integer, nullable=False)
    #: the decision in force (DecisionKind value) once decided
    decision: Mapped[str | None] = mapped_column(String(32))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    # clocks (cooperation/clocks.py)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    urgent: Mapped[bool] = mapped_column(Boolean, nullable=False)
    requesting_deadline: Mapped[datetime | None] = mapped_column(UtcDateTime())
    preservation_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    preservation_days: Mapped[int | None] = mapped_column(Integer)
    preservation_extension_days: Mapped[list[int]] = mapped_column(JSON, nullable=False)
    #: for a preservation case (Art 42): the MLA case that follows it up, same organisation
    follow_up_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    #: earliest running deadline, recomputed on every change; None when no clock runs
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    #: the safeguards check of the current request version, run when it was saved: its
    #: overall outcome, and {outcome, counts, rules_revision, on, request_version} for lists
    #: and the case view (the full record is on the case_versions row); None before 0004
    check_outcome: Mapped[str | None] = mapped_column(String(32))
    check_summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class CaseVersionRow(Base):
    __tablename__ = "case_versions"
    __table_args__ = (
        UniqueConstraint("case_id", "request_version", name="uq_case_versions_case_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), nullable=False)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), nullable=False)
    request_version: Mapped[int] = mapped_column(Integer, nullable=False)
    request: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    #: the safeguards engine's record (Decision.as_record() with its inputs) for this version
    #: as saved, and the rules revision that produced it; None for versions saved before 0004
    check_outcome: Mapped[str | None] = mapped_column(String(32))
    check_record: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    rules_revision: Mapped[str | None] = mapped_column(String(100))


class ReviewRow(Base):
    """A reviewer's approval (or not) of one version of an incoming request."""

    __tablename__ = "reviews"
    __table_args__ = (
        # the same reviewer cannot approve the same version twice (two-reviewer rule)
        UniqueConstraint(
            "case_id", "request_version", "reviewer_id", name="uq_reviews_case_version_reviewer"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), nullable=False)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), nullable=False)
    request_version: Mapped[int] = mapped_column(Integer, nullable=False)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    approve: Mapped[bool] = mapped_column(Boolean, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class DecisionRow(Base):
    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), nullable=False)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), nullable=False)
    request_version: Mapped[int] = mapped_column(Integer, nullable=False)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    #: DecisionKind value
    decision: Mapped[str] = mapped_column(String(32), nullable=False)
    reasons: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    conditions: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    #: the safeguards engine's decision record (Decision.as_record()) the reviewer saw
    safeguards_record: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    rules_revision: Mapped[str] = mapped_column(String(100), nullable=False)
    approver_ids: Mapped[list[int]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class ConsultationRow(Base):
    """A consultation with the other State (Art 40: before refusing or postponing [R])."""

    __tablename__ = "consultations"
    __table_args__ = (Index("ix_consultations_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), nullable=False)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), nullable=False)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    held_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class AuditLogRow(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_org_seq", "org_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False, unique=True)
    #: kept as the exact text that was hashed (a datetime column could change its form)
    timestamp: Mapped[str] = mapped_column(String(40), nullable=False)
    #: no foreign key: the log must outlive anything it mentions
    org_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    object_type: Mapped[str] = mapped_column(String(32), nullable=False)
    object_id: Mapped[str] = mapped_column(String(64), nullable=False)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)


class AuditChainHeadRow(Base):
    """The single row every write locks before appending to the chain; it also records the
    count and head hash so that removal of the newest entries is detected."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="ck_audit_chain_head_single"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)
