"""Repository of the desk: keyword-only functions over one session.

Rules every function keeps:
- anything belonging to an organisation is read and written with the caller's `org_id` in the
  WHERE clause; another organisation's row is reported exactly like a row that does not exist;
- writes append their audit entry through `append_audit` in the same session (transaction);
- a write transaction starts with `lock_chain`, so writers are serialised before they read
  what they are about to change (see docs/audit-chain.md, "Why one chain per deployment").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from treatydesk.audit.chain import AuditAction, AuditEntry, ChainHead, make_entry
from treatydesk.errors import Conflict, NotFound
from treatydesk.store.desk_tables import (
    ApiTokenRow,
    AuditChainHeadRow,
    AuditLogRow,
    CaseRow,
    CaseVersionRow,
    ConsultationRow,
    DecisionRow,
    LoginAttemptRow,
    OrganisationRow,
    ReviewRow,
    UserRow,
)

CHAIN_HEAD_ID = 1


# --- audit chain ---------------------------------------------------------------------------

#: session.info key: the chain head as this transaction locked and last moved it
_LOCKED_HEAD = "treatydesk.locked_chain_head"


def lock_chain(session: Session) -> None:
    """Take the chain-head lock for the rest of the transaction.

    A no-op UPDATE of the head row: in PostgreSQL it locks the row until commit (later writers
    wait); in SQLite, as the first statement of a transaction, it takes the database's write
    lock (waiting up to busy_timeout) before anything is read, so no writer works on a stale
    view and no two writers can fork the chain. The head it returns is kept for the
    transaction, so appending entries later needs neither a second lock nor a read.
    """
    _locked_head(session)


_HEAD = AuditChainHeadRow.__table__
#: the no-op update that takes the lock, returning the head it locked
_LOCK_HEAD = (
    update(_HEAD).where(_HEAD.c.id == CHAIN_HEAD_ID).values(seq=_HEAD.c.seq)
    .returning(_HEAD.c.seq, _HEAD.c.hash)
)
_MOVE_HEAD = (
    update(_HEAD).where(_HEAD.c.id == CHAIN_HEAD_ID)
    .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
)


_INSERT_ENTRY = insert(AuditLogRow.__table__)


def _locked_head(session: Session) -> list[Any]:
    """[transaction, seq, hash] of the head locked in the current transaction. Keyed on the
    innermost one: a savepoint rolled back after an append would otherwise leave a head here
    that the database no longer has."""
    transaction = session.get_nested_transaction() or session.get_transaction()
    held: list[Any] | None = session.info.get(_LOCKED_HEAD)
    if held is not None and transaction is not None and held[0] is transaction:
        return held
    found = session.execute(_LOCK_HEAD).first()
    if found is None:
        raise NotFound("the audit chain head row is missing: run the migrations (treatydesk init)")
    held = [transaction, found.seq, found.hash]
    session.info[_LOCKED_HEAD] = held
    return held


def append_audit(
    session: Session,
    *,
    at: datetime,
    org_id: int | None,
    actor: str,
    action: AuditAction,
    object_type: str,
    object_id: str | int,
    details: Mapping[str, Any],
) -> AuditEntry:
    """Append one entry after the current head, in the caller's transaction."""
    held = _locked_head(session)
    entry = make_entry(
        seq=held[1] + 1, prev_hash=held[2], at=at, org_id=org_id, actor=actor, action=action,
        object_type=object_type, object_id=str(object_id), details=details,
    )
    # Core statements built once: every change appends here, under the chain lock
    session.execute(_INSERT_ENTRY, {
        "seq": entry.seq, "timestamp": entry.timestamp, "org_id": entry.org_id,
        "actor": entry.actor, "action": entry.action, "object_type": entry.object_type,
        "object_id": entry.object_id, "details": dict(entry.details),
        "prev_hash": entry.prev_hash, "hash": entry.hash})
    session.execute(_MOVE_HEAD, {"new_seq": entry.seq, "new_hash": entry.hash})
    held[1], held[2] = entry.seq, entry.hash
    return entry


def chain_head(session: Session) -> ChainHead:
    head = session.execute(
        select(AuditChainHeadRow).where(AuditChainHeadRow.id == CHAIN_HEAD_ID)
    ).scalar_one_or_none()
    if head is None:
        raise NotFound("the audit chain head row is missing: run the migrations (treatydesk init)")
    return ChainHead(count=head.seq, head_hash=head.hash)


def _entry(row: AuditLogRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq, timestamp=row.timestamp, org_id=row.org_id, actor=row.actor,
        action=row.action, object_type=row.object_type, object_id=row.object_id,
        details=row.details, prev_hash=row.prev_hash, hash=row.hash,
    )


def iter_audit(session: Session, *, batch: int = 1000) -> Iterator[AuditEntry]:
    """The whole chain (every organisation) in seq order: for verification and export only."""
    rows = session.execute(select(AuditLogRow).order_by(AuditLogRow.seq)).scalars()
    for row in rows.yield_per(batch):
        yield _entry(row)


def list_audit(
    session: Session, *, org_id: int, limit: int, offset: int
) -> tuple[list[AuditEntry], int]:
    """One organisation's entries, newest first, and their total."""
    where = AuditLogRow.org_id == org_id
    total = session.execute(select(func.count()).select_from(AuditLogRow).where(where)).scalar_one()
    rows = session.execute(
        select(AuditLogRow).where(where).order_by(AuditLogRow.seq.desc())
        .limit(limit).offset(offset)
    ).scalars()
    return [_entry(row) for row in rows], total


# --- organisations and users ---------------------------------------------------------------

def create_organisation(session: Session, *, name: str, at: datetime) -> OrganisationRow:
    taken = session.execute(
        select(OrganisationRow.id).where(OrganisationRow.name == name)
    ).first()
    if taken is not None:
        raise Conflict(f"an organisation named {name!r} already exists")
    row = OrganisationRow(name=name, created_at=at)
    session.add(row)
    session.flush()
    return row


def count_users(session: Session) -> int:
    return session.execute(select(func.count()).select_from(UserRow)).scalar_one()


def create_user(
    session: Session, *, org_id: int, username: str, role: str, password_hash: str, at: datetime
) -> UserRow:
    taken = session.execute(select(UserRow.id).where(UserRow.username == username)).first()
    if taken is not None:
        raise Conflict(f"the username {username!r} is taken; choose another")
    row = UserRow(
        org_id=org_id, username=username, role=role, password_hash=password_hash, active=True,
        created_at=at, failed_logins=0,
    )
    session.add(row)
    session.flush()
    return row


_USER_BY_ID = select(UserRow).where(UserRow.id == bindparam("user_id"))


def find_user(session: Session, *, user_id: int) -> UserRow | None:
    """For re-checking a caller whose organisation is what is being checked."""
    found: UserRow | None = session.execute(
        _USER_BY_ID, {"user_id": user_id}).scalar_one_or_none()
    return found


def get_user(session: Session, *, org_id: int, user_id: int) -> UserRow:
    row = session.execute(
        select(UserRow).where(UserRow.id == user_id, UserRow.org_id == org_id)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"user {user_id} not found")
    return row


def find_user_by_username(session: Session, *, username: str) -> UserRow | None:
    """For login only, where the organisation is not yet known."""
    return session.execute(
        select(UserRow).where(UserRow.username == username)
    ).scalar_one_or_none()


def list_users(session: Session, *, org_id: int) -> list[UserRow]:
    return list(
        session.execute(
            select(UserRow).where(UserRow.org_id == org_id).order_by(UserRow.username)
        ).scalars()
    )


# --- tokens and login attempts -------------------------------------------------------------

def insert_token(
    session: Session, *, org_id: int, user_id: int, name: str, scopes: Sequence[str],
    token_sha256: str, prefix: str, expires_at: datetime | None, at: datetime,
) -> ApiTokenRow:
    row = ApiTokenRow(
        org_id=org_id, user_id=user_id, name=name, scopes=list(scopes),
        token_sha256=token_sha256, prefix=prefix, created_at=at, expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row


#: built once: statements on every request's path skip their construction (bound at call)
_FIND_TOKEN = (
    select(ApiTokenRow, UserRow)
    .outerjoin(UserRow, UserRow.id == ApiTokenRow.user_id)
    .where(ApiTokenRow.token_sha256 == bindparam("token_sha256"))
)


def find_token(
    session: Session, *, token_sha256: str
) -> tuple[ApiTokenRow | None, UserRow | None]:
    """For authentication only, where the organisation is not yet known: the token and its
    user in one query (every API request runs this)."""
    found = session.execute(_FIND_TOKEN, {"token_sha256": token_sha256}).first()
    return (None, None) if found is None else (found[0], found[1])


def get_token(session: Session, *, org_id: int, token_id: int) -> ApiTokenRow:
    row = session.execute(
        select(ApiTokenRow).where(ApiTokenRow.id == token_id, ApiTokenRow.org_id == org_id)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"token {token_id} not found")
    return row


def list_tokens(session: Session, *, org_id: int, user_id: int | None = None) -> list[ApiTokenRow]:
    query = select(ApiTokenRow).where(ApiTokenRow.org_id == org_id)
    if user_id is not None:
        query = query.where(ApiTokenRow.user_id == user_id)
    return list(session.execute(query.order_by(ApiTokenRow.id)).scalars())


def add_login_attempt(
    session: Session, *, username: str, client_address: str, succeeded: bool, at: datetime
) -> None:
    session.add(
        LoginAttemptRow(
            username=username, client_address=client_address, succeeded=succeeded, at=at
        )
    )
    session.flush()


def recent_failures(
    session: Session, *, since: datetime, username: str | None = None,
    client_address: str | None = None,
) -> int:
    """Failed attempts since `since` for a username or a client address (one of them)."""
    query = select(func.count()).select_from(LoginAttemptRow).where(
        LoginAttemptRow.at >= since, LoginAttemptRow.succeeded.is_(False)
    )
    if username is not None:
        query = query.where(LoginAttemptRow.username == username)
    if client_address is not None:
        query = query.where(LoginAttemptRow.client_address == client_address)
    return session.execute(query).scalar_one()


def last_success(session: Session, *, username: str) -> datetime | None:
    return session.execute(
        select(func.max(LoginAttemptRow.at)).where(
            LoginAttemptRow.username == username, LoginAttemptRow.succeeded.is_(True)
        )
    ).scalar_one()


# --- cases ---------------------------------------------------------------------------------

_CASE_COLUMNS = [(attr.key, attr.columns[0].key) for attr in CaseRow.__mapper__.column_attrs
                 if attr.key != "id"]
_INSERT_CASE = insert(CaseRow.__table__).returning(CaseRow.__table__.c.id)


def insert_case(
    session: Session, *, row: CaseRow, check_record: Mapping[str, Any] | None = None,
    rules_revision: str | None = None,
) -> CaseRow:
    """Insert a new case and its first request version (the caller sets org_id on the row),
    with the safeguards record of that version when it was checked. The row stays outside
    the session: its values go in one Core INSERT (cheaper than a unit-of-work flush on the
    desk's busiest write) and it gets the new id."""
    # only the attributes the caller set, as the ORM would: an unset JSON column stays SQL
    # NULL (not JSON 'null') and a column default, if one is added, still applies
    given = row.__dict__
    row.id = session.execute(
        _INSERT_CASE, {column: given[key] for key, column in _CASE_COLUMNS if key in given}
    ).scalar_one()
    add_case_version(
        session, org_id=row.org_id, case_id=row.id, request_version=row.request_version,
        request=row.request, author_id=row.created_by, at=row.created_at,
        check_record=check_record, rules_revision=rules_revision)
    return row


def case_not_found(case_id: int) -> NotFound:
    # the same words whether the case does not exist or belongs to someone else
    return NotFound(f"case {case_id} not found")


def get_case(session: Session, *, org_id: int, case_id: int) -> CaseRow:
    row = session.execute(
        select(CaseRow).where(CaseRow.id == case_id, CaseRow.org_id == org_id)
    ).scalar_one_or_none()
    if row is None:
        raise case_not_found(case_id)
    return row


_CASE_WITH_USER = (
    select(UserRow, CaseRow)
    .outerjoin(CaseRow, and_(CaseRow.id == bindparam("case_id"),
                             CaseRow.org_id == bindparam("org_id"),
                             CaseRow.org_id == UserRow.org_id))
    .where(UserRow.id == bindparam("user_id"))
)


def get_case_with_user(
    session: Session, *, user_id: int, org_id: int, case_id: int
) -> tuple[UserRow | None, CaseRow | None]:
    """The caller's user row and the case (None unless it is the organisation's) in one query:
    viewing a case is the desk's most frequent request. The caller is re-checked first."""
    found = session.execute(
        _CASE_WITH_USER, {"user_id": user_id, "org_id": org_id, "case_id": case_id}).first()
    return (None, None) if found is None else (found[0], found[1])


def update_case(
    session: Session, *, org_id: int, case_id: int, expected_version: int,
    changes: Mapping[str, Any],
) -> CaseRow:
    """Apply `changes` if the case is still at `expected_version`; bump the version.

    Conflict if someone changed it since the caller read it; NotFound as in get_case.
    """
    result = session.execute(
        update(CaseRow)
        .where(
            CaseRow.id == case_id, CaseRow.org_id == org_id, CaseRow.version == expected_version
        )
        .values(**changes, version=CaseRow.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        current = get_case(session, org_id=org_id, case_id=case_id)
        raise Conflict(
            f"case {case_id} changed since you read it (you had version {expected_version}, it "
            f"is now at version {current.version}); reload it and apply your change again"
        )
    row = get_case(session, org_id=org_id, case_id=case_id)
    session.refresh(row)
    return row


_INSERT_VERSION = insert(CaseVersionRow.__table__)


def add_case_version(
    session: Session, *, org_id: int, case_id: int, request_version: int,
    request: Mapping[str, Any], author_id: int, at: datetime,
    check_record: Mapping[str, Any] | None = None, rules_revision: str | None = None,
) -> None:
    outcome = check_record.get("outcome") if check_record is not None else None
    session.execute(_INSERT_VERSION, {
        "org_id": org_id, "case_id": case_id, "request_version": request_version,
        "request": dict(request), "author_id": author_id, "created_at": at,
        "check_outcome": str(outcome) if outcome is not None else None,
        "check_record": dict(check_record) if check_record is not None else None,
        "rules_revision": rules_revision})


def list_case_versions(session: Session, *, org_id: int, case_id: int) -> list[CaseVersionRow]:
    get_case(session, org_id=org_id, case_id=case_id)
    return list(
        session.execute(
            select(CaseVersionRow)
            .where(CaseVersionRow.case_id == case_id, CaseVersionRow.org_id == org_id)
            .order_by(CaseVersionRow.request_version)
        ).scalars()
    )


@dataclass(frozen=True, slots=True)
class CaseFilter:
    state: str | None = None
    kind: str | None = None
    direction: str | None = None
    #: only cases whose earliest deadline is before this instant
    due_before: datetime | None = None
    #: only cases whose earliest deadline is at or after this instant
    due_from: datetime | None = None


def list_cases(
    session: Session, *, org_id: int, where: CaseFilter, limit: int, offset: int
) -> tuple[list[CaseRow], int]:
    conditions: list[ColumnElement[bool]] = [CaseRow.org_id == org_id]
    if where.state is not None:
        conditions.append(CaseRow.state == where.state)
    if where.kind is not None:
        conditions.append(CaseRow.kind == where.kind)
    if where.direction is not None:
        conditions.append(CaseRow.direction == where.direction)
    if where.due_before is not None:
        conditions.append(CaseRow.due_at < where.due_before)
    if where.due_from is not None:
        conditions.append(CaseRow.due_at >= where.due_from)
    condition = and_(*conditions)
    total = session.execute(
        select(func.count()).select_from(CaseRow).where(condition)
    ).scalar_one()
    ordering = (CaseRow.due_at.is_(None), CaseRow.due_at, CaseRow.id)
    rows = session.execute(
        select(CaseRow).where(condition).order_by(*ordering).limit(limit).offset(offset)
    ).scalars()
    return list(rows), total


def preservations_followed_up_by(session: Session, *, org_id: int, case_id: int) -> list[CaseRow]:
    return list(
        session.execute(
            select(CaseRow).where(
                CaseRow.org_id == org_id, CaseRow.follow_up_case_id == case_id
            )
        ).scalars()
    )


# --- reviews, decisions, consultations -----------------------------------------------------

def add_review(session: Session, *, row: ReviewRow) -> ReviewRow:
    duplicate = session.execute(
        select(ReviewRow.id).where(
            ReviewRow.case_id == row.case_id, ReviewRow.org_id == row.org_id,
            ReviewRow.request_version == row.request_version,
            ReviewRow.reviewer_id == row.reviewer_id,
        )
    ).first()
    if duplicate is not None:
        raise Conflict(
            f"you already reviewed version {row.request_version} of case {row.case_id}; a "
            "second approval must come from a different reviewer"
        )
    session.add(row)
    session.flush()
    return row


def list_reviews(
    session: Session, *, org_id: int, case_id: int, request_version: int | None = None
) -> list[ReviewRow]:
    query = select(ReviewRow).where(ReviewRow.case_id == case_id, ReviewRow.org_id == org_id)
    if request_version is not None:
        query = query.where(ReviewRow.request_version == request_version)
    return list(session.execute(query.order_by(ReviewRow.id)).scalars())


def add_decision(session: Session, *, row: DecisionRow) -> DecisionRow:
    session.add(row)
    session.flush()
    return row


def list_decisions(
    session: Session, *, org_id: int, case_id: int | None = None
) -> list[DecisionRow]:
    query = select(DecisionRow).where(DecisionRow.org_id == org_id)
    if case_id is not None:
        query = query.where(DecisionRow.case_id == case_id)
    return list(session.execute(query.order_by(DecisionRow.id)).scalars())


def add_consultation(session: Session, *, row: ConsultationRow) -> ConsultationRow:
    session.add(row)
    session.flush()
    return row


def list_consultations(session: Session, *, org_id: int, case_id: int) -> list[ConsultationRow]:
    return list(
        session.execute(
            select(ConsultationRow)
            .where(ConsultationRow.case_id == case_id, ConsultationRow.org_id == org_id)
            .order_by(ConsultationRow.id)
        ).scalars()
    )

