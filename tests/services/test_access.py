"""People and access: bootstrap, users, passwords, tokens, login rate limiting."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from desk_setup import PASSWORD, Desk
from sqlalchemy import func, select

from treatydesk.errors import (
    AuthenticationRequired,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RateLimited,
)
from treatydesk.services import access
from treatydesk.services.access import (
    LOGIN_FAILED_MESSAGE,
    TOKEN_USE_WINDOW,
    AccessService,
    LoginPolicy,
    bootstrap_first_admin,
)
from treatydesk.services.audit import verify_chain
from treatydesk.services.principal import Role, Scope
from treatydesk.store.db import SqliteWriteGate
from treatydesk.store.desk_tables import ApiTokenRow, AuditLogRow, UserRow


def test_bootstrap_only_once_and_password_not_stored(desk: Desk) -> None:
    assert bootstrap_first_admin(desk.db) is None
    with desk.db.reading() as session:
        admin = session.execute(select(UserRow).where(UserRow.username == "admin")).scalar_one()
        bootstraps = session.execute(
            select(AuditLogRow).where(AuditLogRow.actor == "system:bootstrap")
        ).scalars().all()
    assert admin.password_hash.startswith("$argon2id$")
    assert len(bootstraps) == 2  # the organisation and the admin, once
    assert desk.admin_a.role is Role.ADMIN


def test_bootstrap_password_is_random_and_only_in_the_hash(database) -> None:  # type: ignore[no-untyped-def]
    password = bootstrap_first_admin(database)
    assert password is not None and len(password) >= 20
    with database.reading() as session:
        text = repr([r.details for r in session.execute(select(AuditLogRow)).scalars()])
        stored = session.execute(select(UserRow.password_hash)).scalar_one()
    assert password not in text and password not in stored


def test_wrong_password_and_unknown_user_look_the_same(desk: Desk) -> None:
    with pytest.raises(AuthenticationRequired) as wrong:
        desk.access.login("officer-a", "not the password", "10.1.1.1")
    with pytest.raises(AuthenticationRequired) as unknown:
        desk.access.login("nobody", "not the password", "10.1.1.2")
    assert str(wrong.value) == str(unknown.value) == LOGIN_FAILED_MESSAGE
    with desk.db.reading() as session:
        failed = session.execute(
            select(AuditLogRow).where(AuditLogRow.action == "login_failed")
        ).scalars().all()
    assert len(failed) == 2
    assert all("not the password" not in repr(row.details) for row in failed)


def test_lockout_after_n_failures_per_username(desk: Desk) -> None:
    access = AccessService(desk.db, login_policy=LoginPolicy(max_failures=3), now=desk.clock)
    for attempt in range(3):
        with pytest.raises(AuthenticationRequired):
            access.login("officer-a", "wrong", f"10.2.0.{attempt}")
    # the right password no longer helps, from any address, until the window passes
    with pytest.raises(RateLimited):
        access.login("officer-a", PASSWORD, "10.2.1.1")
    # unknown usernames are limited the same way (nothing reveals which names exist)
    for attempt in range(3):
        with pytest.raises(AuthenticationRequired):
            access.login("ghost", "wrong", f"10.3.0.{attempt}")
    with pytest.raises(RateLimited):
        access.login("ghost", "wrong", "10.3.1.1")
    desk.clock.advance(timedelta(minutes=16))
    assert access.login("officer-a", PASSWORD, "10.2.1.1").username == "officer-a"


def test_lockout_per_client_address(desk: Desk) -> None:
    access = AccessService(desk.db, login_policy=LoginPolicy(max_failures=3), now=desk.clock)
    for name in ("u1", "u2", "u3"):
        with pytest.raises(AuthenticationRequired):
            access.login(name, "wrong", "192.0.2.7")
    with pytest.raises(RateLimited):
        access.login("officer-a", PASSWORD, "192.0.2.7")
    assert access.login("officer-a", PASSWORD, "192.0.2.8").role is Role.OFFICER


def test_lockout_holds_across_service_instances(desk: Desk) -> None:
    policy = LoginPolicy(max_failures=2)
    for _ in range(2):
        with pytest.raises(AuthenticationRequired):
            AccessService(desk.db, login_policy=policy, now=desk.clock).login(
                "reviewer-a", "wrong", "10.9.9.9")
    with pytest.raises(RateLimited):
        AccessService(desk.db, login_policy=policy, now=desk.clock).login(
            "reviewer-a", PASSWORD, "10.9.9.10")


def test_bad_login_policy() -> None:
    with pytest.raises(InvalidInput):
        LoginPolicy(max_failures=0)
    with pytest.raises(InvalidInput):
        LoginPolicy(window=timedelta(0))


def test_user_management_rules(desk: Desk) -> None:
    with pytest.raises(PermissionDenied, match="officer role cannot do people.admin"):
        desk.access.create_user(desk.officer_a, username="x1", role="officer", password=PASSWORD)
    with pytest.raises(InvalidInput) as caught:
        desk.access.create_user(desk.admin_a, username="Bad Name", role="boss", password="short")
    assert {item.location for item in caught.value.items} == {"username", "password", "role"}
    with pytest.raises(Conflict, match="taken"):
        desk.access.create_user(desk.admin_a, username="officer-b", role="officer",
                                password=PASSWORD)
    with pytest.raises(PermissionDenied, match="yourself"):
        desk.access.deactivate_user(desk.admin_a, desk.admin_a.user_id)
    with pytest.raises(InvalidInput, match="unknown role"):
        desk.access.change_role(desk.admin_a, desk.officer_a.user_id, "boss")
    users = {user.username for user in desk.access.list_users(desk.admin_a)}
    assert "officer-b" not in users and "officer-a" in users


def test_admin_cannot_touch_another_organisations_user(desk: Desk) -> None:
    for call in (
        lambda: desk.access.deactivate_user(desk.admin_b, desk.officer_a.user_id),
        lambda: desk.access.change_role(desk.admin_b, desk.officer_a.user_id, "reviewer"),
        lambda: desk.access.reset_password(desk.admin_b, desk.officer_a.user_id),
    ):
        with pytest.raises(NotFound, match=f"user {desk.officer_a.user_id} not found"):
            call()


def test_deactivation_and_role_change_take_effect_at_once(desk: Desk) -> None:
    desk.access.deactivate_user(desk.admin_a, desk.reviewer2_a.user_id)
    with pytest.raises(AuthenticationRequired):
        desk.cases.list_cases(desk.reviewer2_a)
    with pytest.raises(AuthenticationRequired, match=LOGIN_FAILED_MESSAGE):
        desk.access.login("reviewer2-a", PASSWORD, "10.0.0.9")
    desk.access.change_role(desk.admin_a, desk.officer_a.user_id, "auditor")
    with pytest.raises(AuthenticationRequired, match="role has changed"):
        desk.cases.list_cases(desk.officer_a)


def test_reset_password_returns_a_new_random_one(desk: Desk) -> None:
    new = desk.access.reset_password(desk.admin_a, desk.officer_a.user_id)
    with pytest.raises(AuthenticationRequired):
        desk.access.login("officer-a", PASSWORD, "10.0.0.5")
    assert desk.access.login("officer-a", new, "10.0.0.5").user_id == desk.officer_a.user_id


def test_change_own_password(desk: Desk) -> None:
    with pytest.raises(InvalidInput):
        desk.access.change_own_password(desk.officer_a, current=PASSWORD, new="short")
    with pytest.raises(AuthenticationRequired):
        desk.access.change_own_password(desk.officer_a, current="wrong", new="x" * 14)
    desk.access.change_own_password(desk.officer_a, current=PASSWORD, new="x" * 14)
    assert desk.access.login("officer-a", "x" * 14, "10.0.0.6").role is Role.OFFICER


def test_token_is_hashed_at_rest_and_authenticates(desk: Desk) -> None:
    created = desk.access.create_token(desk.officer_a, name="ci", scopes=["read"])
    assert created.token.startswith("td_")
    with desk.db.reading() as session:
        row = session.execute(select(ApiTokenRow)).scalar_one()
        audit_text = repr([r.details for r in session.execute(select(AuditLogRow)).scalars()])
    assert row.token_sha256 == hashlib.sha256(created.token.encode()).hexdigest()
    assert created.token not in (row.token_sha256, row.prefix)
    assert created.token.startswith(row.prefix) and created.token not in audit_text
    principal = desk.access.authenticate_token(created.token)
    assert principal.scopes == frozenset({Scope.READ}) and principal.token_id == row.id
    assert desk.cases.list_cases(principal).total == 0
    with pytest.raises(PermissionDenied, match="lacks the scope"):
        desk.cases.register_incoming(
            principal, kind="preservation", requesting_party="A", requested_party="B",
            title="t", request={"facts": "f"},
        )
    with desk.db.reading() as session:
        uses = session.execute(
            select(AuditLogRow).where(AuditLogRow.action == "token_use")
        ).scalars().all()
    assert len(uses) == 1 and uses[0].details["prefix"] == row.prefix


def test_revoked_expired_and_unknown_tokens_are_refused(desk: Desk) -> None:
    created = desk.access.create_token(desk.officer_a, name="t", scopes=["read", "write"])
    desk.access.revoke_token(desk.officer_a, created.details.id)
    with pytest.raises(AuthenticationRequired):
        desk.access.authenticate_token(created.token)
    short = desk.access.create_token(
        desk.officer_a, name="short", scopes=["read"],
        expires_at=desk.clock() + timedelta(hours=1),
    )
    desk.clock.advance(timedelta(hours=2))
    with pytest.raises(AuthenticationRequired):
        desk.access.authenticate_token(short.token)
    for bogus in ("td_nonexistent", "not-a-token", "td_" + "x" * 300):
        with pytest.raises(AuthenticationRequired):
            desk.access.authenticate_token(bogus)


def test_token_rules(desk: Desk) -> None:
    with pytest.raises(InvalidInput) as caught:
        desk.access.create_token(desk.officer_a, name=" ", scopes=["admin", "fly"])
    assert {item.location for item in caught.value.items} == {"name", "scopes[0]", "scopes[1]"}
    with pytest.raises(InvalidInput, match="at least one scope"):
        desk.access.create_token(desk.officer_a, name="n", scopes=[])
    with pytest.raises(InvalidInput):
        desk.access.create_token(desk.officer_a, name="n", scopes=["read"],
                                 expires_at=desk.clock() - timedelta(days=1))
    token = desk.access.create_token(desk.officer_a, name="n", scopes=["read"])
    by_token = desk.access.authenticate_token(token.token)
    with pytest.raises(PermissionDenied, match="tokens cannot create tokens"):
        desk.access.create_token(by_token, name="n2", scopes=["read"])
    # another organisation's admin cannot see or revoke it; the org's own officer cannot
    # revoke someone else's
    with pytest.raises(NotFound):
        desk.access.revoke_token(desk.admin_b, token.details.id)
    with pytest.raises(NotFound):
        desk.access.revoke_token(desk.reviewer_a, token.details.id)
    assert [t.id for t in desk.access.list_tokens(desk.admin_a)] == [token.details.id]
    assert desk.access.list_tokens(desk.admin_b) == []
    assert desk.access.revoke_token(desk.admin_a, token.details.id).revoked_at is not None


def test_deactivating_a_user_revokes_their_tokens(desk: Desk) -> None:
    token = desk.access.create_token(desk.reviewer_a, name="r", scopes=["review"])
    desk.access.deactivate_user(desk.admin_a, desk.reviewer_a.user_id)
    with pytest.raises(AuthenticationRequired):
        desk.access.authenticate_token(token.token)


def _token_uses(desk: Desk) -> list[AuditLogRow]:
    with desk.db.reading() as session:
        return list(session.execute(
            select(AuditLogRow).where(AuditLogRow.action == "token_use")
            .order_by(AuditLogRow.seq)).scalars())


def count_rows(desk: Desk) -> int:
    with desk.db.reading() as session:
        return len(session.execute(select(AuditLogRow.id)).all())


def _last_used(desk: Desk, token_id: int) -> object:
    with desk.db.reading() as session:
        return session.get(ApiTokenRow, token_id).last_used_at  # type: ignore[union-attr]


def test_token_use_is_audited_once_per_window(desk: Desk) -> None:
    created = desk.access.create_token(desk.officer_a, name="api", scopes=["read"])
    first_at = desk.clock()
    desk.access.authenticate_token(created.token)
    uses = _token_uses(desk)
    assert len(uses) == 1 and uses[0].details["first_use"] is True
    assert uses[0].details["token_id"] == created.details.id
    assert _last_used(desk, created.details.id) == first_at
    # within the window: accepted, nothing written (not the audit entry, not last_used_at)
    before = count_rows(desk)
    for _ in range(5):
        desk.clock.advance(TOKEN_USE_WINDOW / 10)
        assert desk.access.authenticate_token(created.token).token_id == created.details.id
    assert len(_token_uses(desk)) == 1 and count_rows(desk) == before
    assert _last_used(desk, created.details.id) == first_at
    # the window has passed since the last recorded use: recorded again
    desk.clock.now = first_at + TOKEN_USE_WINDOW
    desk.access.authenticate_token(created.token)
    uses = _token_uses(desk)
    assert len(uses) == 2 and uses[1].details["first_use"] is False
    assert _last_used(desk, created.details.id) == first_at + TOKEN_USE_WINDOW
    desk.clock.advance(TOKEN_USE_WINDOW - timedelta(seconds=1))
    desk.access.authenticate_token(created.token)
    assert len(_token_uses(desk)) == 2
    assert verify_chain(desk.db).ok


def test_each_token_has_its_own_window(desk: Desk) -> None:
    one = desk.access.create_token(desk.officer_a, name="one", scopes=["read"])
    two = desk.access.create_token(desk.officer_a, name="two", scopes=["read"])
    desk.access.authenticate_token(one.token)
    desk.clock.advance(timedelta(minutes=1))
    desk.access.authenticate_token(two.token)
    desk.access.authenticate_token(one.token)
    assert [u.details["token_id"] for u in _token_uses(desk)] == [one.details.id, two.details.id]


def test_refused_token_uses_are_audited_every_time(desk: Desk) -> None:
    revoked = desk.access.create_token(desk.officer_a, name="r", scopes=["read"])
    desk.access.authenticate_token(revoked.token)  # a first use, recorded
    desk.access.revoke_token(desk.officer_a, revoked.details.id)
    expiring = desk.access.create_token(desk.officer_a, name="e", scopes=["read"],
                                        expires_at=desk.clock() + timedelta(minutes=1))
    desk.clock.advance(timedelta(minutes=2))
    unknown = "td_" + "y" * 43
    for round_ in range(3):
        for number, token in enumerate((revoked.token, expiring.token, unknown, "not-a-token")):
            with pytest.raises(AuthenticationRequired):
                # one address each: below the per-address limit, every refusal is audited
                desk.access.authenticate_token(token, f"192.0.2.{round_ * 4 + number}")
    refused = [u.details.get("refused") for u in _token_uses(desk)][1:]
    assert refused == ["revoked", "expired", "unknown", "unknown"] * 3
    text = repr([u.details for u in _token_uses(desk)])
    assert unknown not in text and "y" * 10 not in text
    for token in (revoked.token, expiring.token):
        assert token not in text
    assert verify_chain(desk.db).ok


def test_a_deactivated_users_token_is_refused_within_the_window(desk: Desk) -> None:
    created = desk.access.create_token(desk.reviewer_a, name="r", scopes=["review"])
    desk.access.authenticate_token(created.token)
    with desk.db.transaction() as session:
        # deactivated directly, so the token itself is not revoked: the user check must hold
        session.get(UserRow, desk.reviewer_a.user_id).active = False  # type: ignore[union-attr]
    with pytest.raises(AuthenticationRequired):
        desk.access.authenticate_token(created.token)
    assert _token_uses(desk)[-1].details["refused"] == "user_inactive"


def test_refused_tokens_are_limited_per_address_and_then_write_nothing(desk: Desk) -> None:
    access = AccessService(desk.db, login_policy=LoginPolicy(max_failures=3), now=desk.clock)
    bogus = "td_" + "z" * 43
    for _ in range(3):
        with pytest.raises(AuthenticationRequired):
            access.authenticate_token(bogus, "198.51.100.9")
    entries = len(_token_uses(desk))
    for _ in range(20):
        with pytest.raises(RateLimited):
            access.authenticate_token(bogus, "198.51.100.9")
    assert len(_token_uses(desk)) == entries  # a flood past the limit writes nothing
    # a valid token from that address still works: only refusals are limited
    good = desk.access.create_token(desk.officer_a, name="ok", scopes=["read"])
    assert access.authenticate_token(good.token, "198.51.100.9").username == "officer-a"
    # another address is not affected, and the limit lifts after the window
    with pytest.raises(AuthenticationRequired):
        access.authenticate_token(bogus, "198.51.100.10")
    desk.clock.advance(timedelta(minutes=16))
    with pytest.raises(AuthenticationRequired):
        access.authenticate_token(bogus, "198.51.100.9")


def test_rate_limited_logins_write_nothing(desk: Desk) -> None:
    access = AccessService(desk.db, login_policy=LoginPolicy(max_failures=2), now=desk.clock)
    for _ in range(2):
        with pytest.raises(AuthenticationRequired):
            access.login("officer-a", "wrong", "203.0.113.5")
    with desk.db.reading() as session:
        before = session.execute(select(func.count()).select_from(AuditLogRow)).scalar_one()
    for _ in range(10):
        with pytest.raises(RateLimited):
            access.login("officer-a", "wrong", "203.0.113.5")
    with desk.db.reading() as session:
        after = session.execute(select(func.count()).select_from(AuditLogRow)).scalar_one()
    assert after == before


# the write gate is SQLite's (PostgreSQL queues writers on the chain row, not on a gate)
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_password_work_never_holds_the_write_lock(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    # argon2 is slow on purpose; under the write lock it would stall every other writer (and
    # the API routes that write on the event loop) for its whole duration
    gate = desk.db._write_gate
    assert isinstance(gate, SqliteWriteGate)
    under_lock: list[str] = []

    def watched(name: str, work: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            if gate._owner == threading.get_ident():
                under_lock.append(name)
            return work(*args)
        return call

    monkeypatch.setattr(access, "password_matches",
                        watched("verify", access.password_matches))
    monkeypatch.setattr(access, "hash_password", watched("hash", access.hash_password))
    desk.access.login("officer-a", PASSWORD, "10.9.9.1")
    with pytest.raises(AuthenticationRequired):
        desk.access.login("officer-a", "wrong password", "10.9.9.2")
    with pytest.raises(AuthenticationRequired):
        desk.access.login("nobody", "wrong password", "10.9.9.3")
    desk.access.create_user(desk.admin_a, username="newcomer", role="officer",
                            password="a-long-enough-password")
    desk.access.reset_password(desk.admin_a, desk.access.login(
        "newcomer", "a-long-enough-password", "10.9.9.4").user_id)
    officer = desk.access.login("officer-a", PASSWORD, "10.9.9.5")
    desk.access.change_own_password(officer, current=PASSWORD, new="another-long-password")
    assert under_lock == []
    assert verify_chain(desk.db).ok
