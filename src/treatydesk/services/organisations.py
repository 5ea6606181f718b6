"""Organisations of one deployment: each is a desk of its own (e.g. the central authorities
of small States sharing one server) and nobody sees another's data.

These are operator tools, like `verify_chain`: they are called by the CLI (`treatydesk org`),
by whoever has shell access to the server, and take no Principal. They are deliberately not
reachable from the web or the API, because an organisation's administrator must not learn
that other tenants exist. Every change is audited with the actor `system:cli`.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from treatydesk.audit.chain import AuditAction
from treatydesk.errors import Conflict, ErrorCollector, ErrorItem, InvalidInput, NotFound
from treatydesk.services import access
from treatydesk.services.audit import OPERATOR_ACTOR
from treatydesk.services.common import Clock, utcnow, write
from treatydesk.services.principal import Role
from treatydesk.store import desk_repo
from treatydesk.store.db import Database
from treatydesk.store.desk_tables import OrganisationRow, UserRow

#: the column's width (desk_tables.OrganisationRow.name)
MAX_NAME_LENGTH = 200


@dataclass(frozen=True, slots=True)
class OrganisationView:
    id: int
    name: str
    created_at: datetime
    users: int
    active_admins: int

    def public(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "created_at": self.created_at.isoformat(),
                "users": self.users, "active_admins": self.active_admins}


@dataclass(frozen=True, slots=True)
class NewOrganisation:
    """Returned once by `create_organisation`: the password is shown to the operator and is
    stored nowhere in clear (kept out of repr so it cannot slip into a log or traceback)."""

    organisation: OrganisationView
    admin_username: str
    admin_password: str = field(repr=False)


def _clean_name(name: str, problems: ErrorCollector) -> str:
    # NFC and single spaces, so "Desk  B" and "Desk B" are recognised as the same name
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned:
        problems.add("name", "give the organisation a name")
    elif len(cleaned) > MAX_NAME_LENGTH:
        problems.add("name", f"at most {MAX_NAME_LENGTH} characters, got {len(cleaned)}")
    elif any(unicodedata.category(char).startswith("C") for char in cleaned):
        problems.add("name", "control or format characters are not allowed")
    return cleaned


def default_admin_username(name: str) -> str:
    """`admin-` and the name in lowercase ASCII letters and digits, e.g. "Desk of Ruritania"
    gives "admin-desk-of-ruritania" (empty if the name has no such characters)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return f"admin-{slug}"[:64].rstrip("-._") if slug else ""


def _name_taken(session: Session, name: str, *, except_id: int | None = None) -> str | None:
    """The stored name that equals `name` ignoring case, if any."""
    query = select(OrganisationRow.name).where(
        func.lower(OrganisationRow.name) == name.lower())
    if except_id is not None:
        query = query.where(OrganisationRow.id != except_id)
    found: str | None = session.execute(query).scalars().first()
    return found


def _view(session: Session, row: OrganisationRow) -> OrganisationView:
    users = session.execute(
        select(func.count()).select_from(UserRow).where(UserRow.org_id == row.id)
    ).scalar_one()
    admins = session.execute(
        select(func.count()).select_from(UserRow).where(
            UserRow.org_id == row.id, UserRow.role == Role.ADMIN.value, UserRow.active)
    ).scalar_one()
    return OrganisationView(id=row.id, name=row.name, created_at=row.created_at, users=users,
                            active_admins=admins)


def create_organisation(
    db: Database, *, name: str, admin_username: str | None = None,
    actor: str = OPERATOR_ACTOR, now: Clock = utcnow,
) -> NewOrganisation:
    """A new organisation and its first administrator, with a generated password returned
    once. Nothing is written unless everything is valid: an empty, too long or duplicate name
    (ignoring case), or a malformed or taken username, is refused naming the field."""
    problems = ErrorCollector()
    cleaned = _clean_name(name, problems)
    if admin_username is None:
        username = default_admin_username(cleaned)
        if cleaned and not username:
            problems.add("admin", "the name gives no default username; choose one with --admin")
    else:
        username = admin_username.strip()
        if not username:
            problems.add("admin", "give the first administrator's username")
    if username and not access.USERNAME_PATTERN.match(username):
        problems.add(
            "admin",
            f"{username!r} is not a username: 2 to 64 characters, lowercase letters, digits, "
            "'.', '_' or '-', starting with a letter or digit",
        )
    if problems:
        raise InvalidInput("the organisation cannot be created", items=problems.items)
    password = secrets.token_urlsafe(18)
    # hashed before the transaction, so the chain lock is not held while argon2 works
    password_hash = access.hash_password(password)
    with write(db) as session:
        taken = _name_taken(session, cleaned)
        if taken is not None:
            raise Conflict("the organisation cannot be created", items=[
                ErrorItem("name", f"an organisation named {taken!r} already exists")])
        if desk_repo.find_user_by_username(session, username=username) is not None:
            raise Conflict("the organisation cannot be created", items=[
                ErrorItem("admin", f"the username {username!r} is taken; choose another")])
        at = now()
        row = desk_repo.create_organisation(session, name=cleaned, at=at)
        user = desk_repo.create_user(
            session, org_id=row.id, username=username, role=Role.ADMIN.value,
            password_hash=password_hash, at=at,
        )
        # never the password: only who was created, with which role
        for action, object_type, object_id, details in (
            (AuditAction.ORGANISATION_CREATE, "organisation", row.id, {"name": cleaned}),
            (AuditAction.USER_CREATE, "user", user.id,
             {"username": username, "role": Role.ADMIN.value, "first_admin": True}),
        ):
            desk_repo.append_audit(
                session, at=at, org_id=row.id, actor=actor, action=action,
                object_type=object_type, object_id=object_id, details=details,
            )
        view = _view(session, row)
    return NewOrganisation(organisation=view, admin_username=username,
                           admin_password=password)


def list_organisations(db: Database) -> list[OrganisationView]:
    """Every organisation of the deployment, oldest first (operator only: not audited, it
    changes nothing)."""
    with db.reading() as session:
        rows = session.execute(select(OrganisationRow).order_by(OrganisationRow.id)).scalars()
        return [_view(session, row) for row in rows]


def rename_organisation(
    db: Database, org_id: int, *, name: str, actor: str = OPERATOR_ACTOR, now: Clock = utcnow,
) -> OrganisationView:
    """Give an organisation a new name (unique, ignoring case); audited with the old name.
    Renaming to the same name changes and records nothing."""
    problems = ErrorCollector()
    cleaned = _clean_name(name, problems)
    if problems:
        raise InvalidInput(f"organisation {org_id} cannot be renamed", items=problems.items)
    with write(db) as session:
        row = session.get(OrganisationRow, org_id)
        if row is None:
            raise NotFound(f"organisation {org_id} not found; `treatydesk org list` shows them")
        if row.name != cleaned:
            taken = _name_taken(session, cleaned, except_id=row.id)
            if taken is not None:
                raise Conflict(f"organisation {org_id} cannot be renamed", items=[
                    ErrorItem("name", f"an organisation named {taken!r} already exists")])
            previous, row.name = row.name, cleaned
            session.flush()
            desk_repo.append_audit(
                session, at=now(), org_id=row.id, actor=actor,
                action=AuditAction.ORGANISATION_RENAME, object_type="organisation",
                object_id=row.id, details={"name": cleaned, "previous_name": previous},
            )
        return _view(session, row)

