"""What the services share: the clock, the write transaction, re-checking the caller."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from treatydesk.errors import AuthenticationRequired, InvalidInput
from treatydesk.services.principal import Principal, Role
from treatydesk.store import desk_repo
from treatydesk.store.db import Database
from treatydesk.store.desk_tables import UserRow

Clock = Callable[[], datetime]

#: largest page a list returns
MAX_PAGE = 200


def utcnow() -> datetime:
    return datetime.now(UTC)


@contextmanager
def write(db: Database) -> Iterator[Session]:
    """A write transaction that holds the audit chain lock from its first statement, so that
    everything it reads is current until it commits (see desk_repo.lock_chain)."""
    with db.transaction() as session:
        desk_repo.lock_chain(session)
        yield session


def current_user(session: Session, principal: Principal) -> UserRow:
    """The caller's user row, re-read so that deactivation or a role change takes effect at
    once, even for a session or token that was issued before."""
    return check_caller(desk_repo.find_user(session, user_id=principal.user_id), principal)


def check_caller(user: UserRow | None, principal: Principal) -> UserRow:
    """The re-check of current_user on a user row the caller's query already read."""
    if user is None or user.org_id != principal.org_id or not user.active:
        raise AuthenticationRequired("your account is no longer active; sign in again")
    if Role(user.role) is not principal.role:
        raise AuthenticationRequired("your role has changed; sign in again")
    return user


def check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
    if offset < 0:
        raise InvalidInput(f"offset must not be negative, got {offset}")
