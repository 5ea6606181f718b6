"""People and access: the first administrator, users, passwords (argon2), API tokens, login
with rate limiting. Passwords and tokens are never stored in clear, logged or audited."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session

from treatydesk.audit.chain import AuditAction
from treatydesk.errors import (
    AuthenticationRequired,
    Conflict,
    ErrorCollector,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RateLimited,
    TreatyDeskError,
)
from treatydesk.services.common import Clock, current_user, utcnow, write
from treatydesk.services.principal import Permission, Principal, Role, Scope, require, role_scopes
from treatydesk.services.views import NewToken, TokenView, UserView
from treatydesk.store import desk_repo
from treatydesk.store.db import Database
from treatydesk.store.desk_tables import ApiTokenRow, UserRow

FIRST_ADMIN_USERNAME = "admin"
TOKEN_PREFIX = "td_"
#: characters of a token kept for display (the "td_" and a few more; not enough to guess it)
TOKEN_DISPLAY_CHARS = 10
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
#: the one message for every failed login, so that it reveals nothing about the account
LOGIN_FAILED_MESSAGE = "wrong username or password"
#: a valid token's use is audited (token_use) on its first use and then at most once per this
#: window per token, with `last_used_at` rewritten at the same cadence: the audit trail shows
#: that and when a token was used, not every HTTP request it made (refusals: every time)
TOKEN_USE_WINDOW = timedelta(minutes=15)

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # verified against when the username is unknown, so both cases take the same time
    return _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check_password(password: str, where: str, problems: ErrorCollector) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.add(where, f"must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.add(where, f"must have at most {MAX_PASSWORD_LENGTH} characters")


def _check_username(username: str, problems: ErrorCollector) -> None:
    if not USERNAME_PATTERN.match(username):
        problems.add(
            "username",
            "2 to 64 characters: lowercase letters, digits, '.', '_' or '-', starting with a "
            "letter or digit",
        )


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            f"unknown role {value!r}; roles: {', '.join(role.value for role in Role)}"
        ) from None


def bootstrap_first_admin(
    db: Database, *, organisation_name: str = "Desk", now: Clock = utcnow
) -> str | None:
    """Create the first organisation and its administrator (username FIRST_ADMIN_USERNAME) with
    a random password, and return that password once for printing; None if any user exists.

    The password is generated here (never a default), stored only as an argon2 hash and never
    logged or audited."""
    password = secrets.token_urlsafe(18)
    password_hash = hash_password(password)  # before the write lock: argon2 is slow on purpose
    with write(db) as session:
        if desk_repo.count_users(session) > 0:
            return None
        at = now()
        organisation = desk_repo.create_organisation(session, name=organisation_name, at=at)
        user = desk_repo.create_user(
            session, org_id=organisation.id, username=FIRST_ADMIN_USERNAME, role=Role.ADMIN,
            password_hash=password_hash, at=at,
        )
        for action, object_type, object_id, details in (
            (AuditAction.ORGANISATION_CREATE, "organisation", organisation.id,
             {"name": organisation_name}),
            (AuditAction.USER_CREATE, "user", user.id,
             {"username": user.username, "role": user.role, "bootstrap": True}),
        ):
            desk_repo.append_audit(
                session, at=at, org_id=organisation.id, actor="system:bootstrap", action=action,
                object_type=object_type, object_id=object_id, details=details,
            )
    return password


#: the login_attempts name under which refused API tokens are counted per client address
#: (not a valid username, so it never collides with an account)
REFUSED_TOKEN_USERNAME = "(api token)"


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """Failed logins allowed per username and per client address within the window."""

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        if self.max_failures < 1:
            raise InvalidInput(f"max_failures must be at least 1, got {self.max_failures}")
        if self.window <= timedelta(0):
            raise InvalidInput("the login window must be a positive duration")


class AccessService:
    def __init__(
        self, db: Database, *, login_policy: LoginPolicy | None = None, now: Clock = utcnow
    ) -> None:
        self._db = db
        self._policy = login_policy or LoginPolicy()
        self._now = now

    # --- signing in ----------------------------------------------------------------------

    def login(self, username: str, password: str, client_address: str) -> Principal:
        """A Principal with every scope of the user's role, or AuthenticationRequired (same
        message whether or not the username exists) or RateLimited (after too many failures
        for this username or this client address within the policy window)."""
        name = username.strip().lower()[:64]
        address = client_address[:64]
        # The password is checked before the write transaction: argon2 is slow on purpose, and
        # holding the write lock (SQLite's write gate, the audit chain row on PostgreSQL)
        # through it would stall every other writer, and the API routes that write on the
        # event loop, for its whole duration. Under the lock the decision is taken again on
        # what is current (limit reached meanwhile, password changed meanwhile).
        with self._db.reading() as session:
            limited = self._login_limited(session, name, address, self._now())
            user = desk_repo.find_user_by_username(session, username=name)
            checked_hash = user.password_hash if user is not None else None
        if limited:
            # the password is not even checked while limited, so guessing gains nothing; and
            # nothing is written, so a flood of attempts cannot grow the tables or the audit
            # chain (the failures that reached the limit are recorded already)
            raise self._login_limited_error()
        checked = (checked_hash, password_matches(checked_hash or _dummy_hash(), password))
        outcome: Principal | TreatyDeskError
        with write(self._db) as session:
            at = self._now()
            outcome = self._attempt(session, name, password, address, at, checked)
        if isinstance(outcome, TreatyDeskError):
            # raised only now, so that the failed attempt and its audit entry were committed
            raise outcome
        return outcome

    def _login_limited(self, session: Session, name: str, address: str, at: datetime) -> bool:
        since = at - self._policy.window
        last_ok = desk_repo.last_success(session, username=name)
        user_since = max(since, last_ok) if last_ok is not None else since
        return (
            desk_repo.recent_failures(session, since=user_since, username=name)
            >= self._policy.max_failures
            or desk_repo.recent_failures(session, since=since, client_address=address)
            >= self._policy.max_failures
        )

    def _login_limited_error(self) -> RateLimited:
        return RateLimited(
            "too many failed logins for this account or address; try again in "
            f"{int(self._policy.window.total_seconds() // 60)} minutes"
        )

    def _attempt(
        self, session: Session, name: str, password: str, address: str, at: datetime,
        checked: tuple[str | None, bool],
    ) -> Principal | TreatyDeskError:
        """Decided under the write lock; `checked` is (hash, matched) from before it."""
        if self._login_limited(session, name, address, at):
            return self._login_limited_error()  # reached by concurrent attempts meanwhile
        user = desk_repo.find_user_by_username(session, username=name)
        current_hash = user.password_hash if user is not None else None
        if current_hash == checked[0]:
            matches = checked[1]
        else:  # the password was changed (or the user created) meanwhile: check again
            matches = password_matches(current_hash or _dummy_hash(), password)
        if user is None or not matches or not user.active:
            reason = "unknown_user" if user is None else (
                "wrong_password" if not matches else "inactive")
            self._failed(session, name, address, user, at, reason)
            return AuthenticationRequired(LOGIN_FAILED_MESSAGE)
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_login_at = at
        user.failed_logins = 0
        desk_repo.add_login_attempt(
            session, username=name, client_address=address, succeeded=True, at=at
        )
        principal = Principal(
            user_id=user.id, org_id=user.org_id, role=Role(user.role),
            scopes=role_scopes(Role(user.role)), username=user.username,
        )
        desk_repo.append_audit(
            session, at=at, org_id=user.org_id, actor=principal.actor, action=AuditAction.LOGIN,
            object_type="user", object_id=user.id, details={"client_address": address},
        )
        return principal

    def _failed(
        self, session: Session, name: str, address: str, user: UserRow | None,
        at: datetime, reason: str,
    ) -> None:
        desk_repo.add_login_attempt(
            session, username=name, client_address=address, succeeded=False, at=at
        )
        if user is not None:
            user.failed_logins += 1
            user.last_failed_login_at = at
        desk_repo.append_audit(
            session, at=at, org_id=user.org_id if user else None, actor="anonymous",
            action=AuditAction.LOGIN_FAILED, object_type="user",
            object_id=user.id if user else "-",
            details={"username": name, "client_address": address, "reason": reason},
        )

    def authenticate_token(self, token: str, client_address: str = "unknown") -> Principal:
        """The Principal an API token stands for (its scopes, within its user's role), or
        AuthenticationRequired.

        Audited as `token_use`: a token's first use, then at most once per TOKEN_USE_WINDOW
        per token (`last_used_at` is rewritten at the same cadence), so that in steady state a
        request with a valid token is a pure read and reads do not queue behind writers on the
        audit chain lock. A refused use (unknown, revoked, expired, user inactive) is audited
        and counted against the client address with failed logins; past LoginPolicy's limit
        the address gets RateLimited and nothing more is written, so refused tokens cannot
        grow the audit chain without bound."""
        at = self._now()
        address = client_address[:64]
        with self._db.reading() as session:
            outcome = self._check_token(session, token, at)
        if isinstance(outcome, Principal):
            return outcome
        # a write is due: the first use or a new window (outcome is None) or a refusal;
        # decided again under the chain lock, so concurrent requests (other workers too)
        # record one entry per window, not one each
        with write(self._db) as session:
            decided = self._use_token(session, token, self._now(), address)
        if isinstance(decided, TreatyDeskError):
            raise decided
        return decided

    def _address_limited(self, session: Session, address: str, at: datetime) -> bool:
        since = at - self._policy.window
        return (desk_repo.recent_failures(session, since=since, client_address=address)
                >= self._policy.max_failures)

    def _limited_error(self) -> RateLimited:
        return RateLimited(
            "too many failed sign-ins or refused API tokens from this address; try again in "
            f"{int(self._policy.window.total_seconds() // 60)} minutes")

    @staticmethod
    def _token_refusal(
        row: ApiTokenRow | None, user: UserRow | None, at: datetime
    ) -> str | None:
        if row is None:
            return "unknown"
        if row.revoked_at is not None:
            return "revoked"
        if row.expires_at is not None and row.expires_at <= at:
            return "expired"
        if user is None or not user.active:
            return "user_inactive"
        return None

    @staticmethod
    def _find_token(
        session: Session, token: str
    ) -> tuple[ApiTokenRow | None, UserRow | None]:
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None, None
        return desk_repo.find_token(session, token_sha256=token_sha256(token))

    @staticmethod
    def _principal(row: ApiTokenRow, user: UserRow) -> Principal:
        role = Role(user.role)
        return Principal(
            user_id=user.id, org_id=user.org_id, role=role,
            scopes=frozenset(Scope(scope) for scope in row.scopes) & role_scopes(role),
            username=user.username, token_id=row.id,
        )

    @staticmethod
    def _use_due(row: ApiTokenRow, at: datetime) -> bool:
        return row.last_used_at is None or at - row.last_used_at >= TOKEN_USE_WINDOW

    def _check_token(self, session: Session, token: str, at: datetime) -> Principal | None:
        """Read only: the Principal when the token is valid and its use needs no entry now;
        None when something must be written (a refusal, a first use, a new window)."""
        row, user = self._find_token(session, token)
        if self._token_refusal(row, user, at) is not None or row is None or user is None:
            return None
        if self._use_due(row, at):
            return None
        return self._principal(row, user)

    def _use_token(
        self, session: Session, token: str, at: datetime, address: str
    ) -> Principal | TreatyDeskError:
        refused = AuthenticationRequired("the API token is not valid (unknown, revoked or expired)")
        row, user = self._find_token(session, token)
        problem = self._token_refusal(row, user, at)
        if problem is not None or row is None or user is None:
            if self._address_limited(session, address, at):
                # decided again under the lock: concurrent refusals stop at the limit too
                return self._limited_error()
            desk_repo.add_login_attempt(
                session, username=REFUSED_TOKEN_USERNAME, client_address=address,
                succeeded=False, at=at)
            if row is None:
                # nothing of the presented string is recorded: it may be a mistyped secret
                desk_repo.append_audit(
                    session, at=at, org_id=None, actor="anonymous",
                    action=AuditAction.TOKEN_USE, object_type="token", object_id="-",
                    details={"refused": "unknown", "client_address": address},
                )
            else:
                desk_repo.append_audit(
                    session, at=at, org_id=row.org_id, actor=f"token:{row.id}:{row.prefix}",
                    action=AuditAction.TOKEN_USE, object_type="token", object_id=row.id,
                    details={"token_id": row.id, "prefix": row.prefix,
                             "refused": problem or "user_inactive",
                             "client_address": address},
                )
            return refused
        principal = self._principal(row, user)
        if self._use_due(row, at):
            # the first use, or the first in a new window; another request may have recorded
            # it while this one waited for the lock, in which case nothing more is written
            first = row.last_used_at is None
            row.last_used_at = at
            desk_repo.append_audit(
                session, at=at, org_id=row.org_id, actor=principal.actor,
                action=AuditAction.TOKEN_USE, object_type="token", object_id=row.id,
                details={"token_id": row.id, "prefix": row.prefix, "first_use": first,
                         "window_seconds": int(TOKEN_USE_WINDOW.total_seconds())},
            )
        return principal

    # --- users (admin) -------------------------------------------------------------------

    def list_users(self, principal: Principal) -> list[UserView]:
        require(principal, Permission.PEOPLE_ADMIN)
        with self._db.reading() as session:
            current_user(session, principal)
            return [UserView.of(row) for row in desk_repo.list_users(
                session, org_id=principal.org_id)]

    def create_user(
        self, principal: Principal, *, username: str, role: str, password: str
    ) -> UserView:
        """A user in the admin's own organisation."""
        require(principal, Permission.PEOPLE_ADMIN)
        problems = ErrorCollector()
        _check_username(username, problems)
        _check_password(password, "password", problems)
        if role not in {r.value for r in Role}:
            roles = ", ".join(r.value for r in Role)
            problems.add("role", f"unknown role {role!r}; roles: {roles}")
        if problems:
            raise InvalidInput("the user cannot be created", items=problems.items)
        password_hash = hash_password(password)  # before the write lock (argon2 is slow)
        with write(self._db) as session:
            current_user(session, principal)
            at = self._now()
            row = desk_repo.create_user(
                session, org_id=principal.org_id, username=username, role=role,
                password_hash=password_hash, at=at,
            )
            self._audit_user(session, principal, row, AuditAction.USER_CREATE,
                             {"username": username, "role": role}, at)
            return UserView.of(row)

    def deactivate_user(self, principal: Principal, user_id: int) -> UserView:
        require(principal, Permission.PEOPLE_ADMIN)
        if user_id == principal.user_id:
            raise PermissionDenied("you cannot deactivate yourself; ask another administrator")
        with write(self._db) as session:
            current_user(session, principal)
            row = desk_repo.get_user(session, org_id=principal.org_id, user_id=user_id)
            row.active = False
            at = self._now()
            # a deactivated user's tokens stop working now, not only when they are checked
            for token in desk_repo.list_tokens(session, org_id=principal.org_id, user_id=row.id):
                if token.revoked_at is None:
                    token.revoked_at = at
            self._audit_user(session, principal, row, AuditAction.USER_UPDATE,
                             {"active": False}, at)
            return UserView.of(row)

    def change_role(self, principal: Principal, user_id: int, role: str) -> UserView:
        require(principal, Permission.PEOPLE_ADMIN)
        new_role = _role(role)
        if user_id == principal.user_id:
            raise PermissionDenied("you cannot change your own role; ask another administrator")
        with write(self._db) as session:
            current_user(session, principal)
            row = desk_repo.get_user(session, org_id=principal.org_id, user_id=user_id)
            old_role = row.role
            row.role = new_role.value
            at = self._now()
            # tokens were scoped for the old role; they must be re-issued for the new one
            for token in desk_repo.list_tokens(session, org_id=principal.org_id, user_id=row.id):
                if token.revoked_at is None:
                    token.revoked_at = at
            self._audit_user(session, principal, row, AuditAction.USER_UPDATE,
                             {"role": new_role.value, "previous_role": old_role}, at)
            return UserView.of(row)

    def reset_password(self, principal: Principal, user_id: int) -> str:
        """A new random password for the user, returned once for the admin to hand over."""
        require(principal, Permission.PEOPLE_ADMIN)
        password = secrets.token_urlsafe(18)
        password_hash = hash_password(password)  # before the write lock (argon2 is slow)
        with write(self._db) as session:
            current_user(session, principal)
            row = desk_repo.get_user(session, org_id=principal.org_id, user_id=user_id)
            row.password_hash = password_hash
            self._audit_user(session, principal, row, AuditAction.USER_UPDATE,
                             {"password_reset": True}, self._now())
        return password

    def change_own_password(self, principal: Principal, *, current: str, new: str) -> None:
        problems = ErrorCollector()
        _check_password(new, "new", problems)
        if problems:
            raise InvalidInput("the password cannot be changed", items=problems.items)
        if principal.token_id is not None:
            raise PermissionDenied("sign in with your password to change it, not with a token")
        # both argon2 steps before the write lock (they are slow on purpose); the stored hash
        # they were checked against must still be the one under the lock
        with self._db.reading() as session:
            checked_hash = current_user(session, principal).password_hash
        if not password_matches(checked_hash, current):
            raise AuthenticationRequired("the current password is wrong")
        new_hash = hash_password(new)
        with write(self._db) as session:
            row = current_user(session, principal)
            if row.password_hash != checked_hash:
                raise Conflict("your password was changed meanwhile; sign in again and retry")
            row.password_hash = new_hash
            self._audit_user(session, principal, row, AuditAction.USER_UPDATE,
                             {"password_changed": True}, self._now())

    def _audit_user(
        self, session: Session, principal: Principal, row: UserRow,
        action: AuditAction, details: dict[str, object], at: datetime,
    ) -> None:
        desk_repo.append_audit(
            session, at=at, org_id=principal.org_id, actor=principal.actor, action=action,
            object_type="user", object_id=row.id, details=details,
        )

    # --- tokens --------------------------------------------------------------------------

    def create_token(
        self, principal: Principal, *, name: str, scopes: Sequence[str],
        expires_at: datetime | None = None,
    ) -> NewToken:
        """A token for the caller's own account, with scopes within the caller's role. The
        returned `token` is shown once; only its SHA-256 is stored."""
        if principal.token_id is not None:
            raise PermissionDenied("tokens cannot create tokens; sign in with your password")
        problems = ErrorCollector()
        if not name.strip() or len(name) > 100:
            problems.add("name", "give the token a name of 1 to 100 characters")
        allowed = role_scopes(principal.role)
        chosen: list[str] = []
        for index, scope in enumerate(scopes):
            if scope not in {s.value for s in Scope}:
                problems.add(f"scopes[{index}]", f"unknown scope {scope!r}")
            elif Scope(scope) not in allowed:
                problems.add(
                    f"scopes[{index}]", f"the {principal.role.value} role cannot hold {scope!r}"
                    f" (allowed: {', '.join(sorted(s.value for s in allowed))})",
                )
            elif scope not in chosen:
                chosen.append(scope)
        if not scopes:
            problems.add("scopes", "choose at least one scope")
        at = self._now()
        if expires_at is not None and (expires_at.tzinfo is None or expires_at <= at):
            problems.add("expires_at", "must be a future time with a time zone")
        if problems:
            raise InvalidInput("the token cannot be created", items=problems.items)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with write(self._db) as session:
            current_user(session, principal)
            row = desk_repo.insert_token(
                session, org_id=principal.org_id, user_id=principal.user_id, name=name.strip(),
                scopes=chosen, token_sha256=token_sha256(token),
                prefix=token[:TOKEN_DISPLAY_CHARS], expires_at=expires_at, at=at,
            )
            desk_repo.append_audit(
                session, at=at, org_id=principal.org_id, actor=principal.actor,
                action=AuditAction.TOKEN_CREATE, object_type="token", object_id=row.id,
                details={"name": row.name, "scopes": chosen, "prefix": row.prefix},
            )
            return NewToken(token=token, details=TokenView.of(row))

    def list_tokens(self, principal: Principal) -> list[TokenView]:
        """Admins see every token of their organisation; others their own."""
        with self._db.reading() as session:
            current_user(session, principal)
            rows = desk_repo.list_tokens(
                session, org_id=principal.org_id,
                user_id=None if principal.role is Role.ADMIN else principal.user_id,
            )
            return [TokenView.of(row) for row in rows]

    def revoke_token(self, principal: Principal, token_id: int) -> TokenView:
        """Revoke a token: your own, or (admin) any in your organisation."""
        with write(self._db) as session:
            current_user(session, principal)
            row: ApiTokenRow = desk_repo.get_token(
                session, org_id=principal.org_id, token_id=token_id
            )
            if row.user_id != principal.user_id and principal.role is not Role.ADMIN:
                # the same words as for a token that does not exist
                raise NotFound(f"token {token_id} not found")
            if row.revoked_at is None:
                at = self._now()
                row.revoked_at = at
                desk_repo.append_audit(
                    session, at=at, org_id=principal.org_id, actor=principal.actor,
                    action=AuditAction.TOKEN_REVOKE, object_type="token", object_id=row.id,
                    details={"prefix": row.prefix},
                )
            return TokenView.of(row)
