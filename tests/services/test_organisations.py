"""Organisations created, listed and renamed by the deployment operator (services/organisations),
on SQLite and PostgreSQL through `database`."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from treatydesk.errors import Conflict, InvalidInput, NotFound, TreatyDeskError
from treatydesk.services.access import AccessService, bootstrap_first_admin
from treatydesk.services.audit import verify_chain
from treatydesk.services.organisations import (
    create_organisation,
    default_admin_username,
    list_organisations,
    rename_organisation,
)
from treatydesk.store.db import Database
from treatydesk.store.desk_tables import AuditLogRow, OrganisationRow, UserRow

AT = datetime(2025, 11, 28, 9, 0, tzinfo=UTC)


def _counts(db: Database) -> tuple[int, int, int]:
    with db.reading() as session:
        return tuple(  # type: ignore[return-value]
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (OrganisationRow, UserRow, AuditLogRow))


def _audit(db: Database) -> list[AuditLogRow]:
    with db.reading() as session:
        rows = list(session.execute(select(AuditLogRow).order_by(AuditLogRow.seq)).scalars())
        session.expunge_all()
        return rows


def test_create_gives_an_admin_who_can_sign_in_and_sees_only_their_organisation(
    database: Database, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    first_password = bootstrap_first_admin(database, organisation_name="Desk A")
    assert first_password is not None
    created = create_organisation(database, name="  Desk   of Ruritania ",
                                  admin_username="ruri-admin", now=lambda: AT)
    assert created.organisation.name == "Desk of Ruritania"
    assert created.admin_username == "ruri-admin"
    assert created.organisation.users == 1 and created.organisation.active_admins == 1
    assert len(created.admin_password) >= 20
    assert created.admin_password not in repr(created)

    access = AccessService(database)
    admin_b = access.login("ruri-admin", created.admin_password, "10.0.0.1")
    assert admin_b.org_id == created.organisation.id and admin_b.role.value == "admin"
    assert [u.username for u in access.list_users(admin_b)] == ["ruri-admin"]
    admin_a = access.login("admin", first_password, "10.0.0.1")
    assert [u.username for u in access.list_users(admin_a)] == ["admin"]

    with database.reading() as session:
        stored = session.execute(select(UserRow.password_hash).where(
            UserRow.username == "ruri-admin")).scalar_one()
    assert stored.startswith("$argon2id$") and created.admin_password not in stored
    # the password is in no audit entry and no log record
    entries = _audit(database)
    assert all(created.admin_password not in json.dumps(row.details) for row in entries)
    assert created.admin_password not in caplog.text
    mine = [row for row in entries if row.actor == "system:cli"]
    assert [(row.action, row.object_type, row.org_id) for row in mine] == [
        ("organisation_create", "organisation", created.organisation.id),
        ("user_create", "user", created.organisation.id),
    ]
    assert mine[0].details == {"name": "Desk of Ruritania"}
    assert mine[1].details == {"username": "ruri-admin", "role": "admin", "first_admin": True}
    assert verify_chain(database).ok


def test_the_default_admin_username_comes_from_the_name(database: Database) -> None:
    created = create_organisation(database, name="Autorité centrale (Sylvania)")
    assert created.admin_username == "admin-autorite-centrale-sylvania"
    assert default_admin_username("Ürdü 24/7") == "admin-urdu-24-7"
    assert len(default_admin_username("x" * 300)) == 64
    # a name of no Latin letters or digits gives no default: the field to fill is named
    with pytest.raises(InvalidInput) as refused:
        create_organisation(database, name="Ελλάδα")
    assert [item.location for item in refused.value.items] == ["admin"]
    assert "--admin" in str(refused.value)


@pytest.mark.parametrize(("name", "admin", "error", "field", "words"), [
    ("", "someone", InvalidInput, "name", "give the organisation a name"),
    ("   ", "someone", InvalidInput, "name", "give the organisation a name"),
    ("x" * 201, "someone", InvalidInput, "name", "at most 200"),
    ("Desk\u0000B", "someone", InvalidInput, "name", "control"),
    ("Desk B", "", InvalidInput, "admin", "username"),
    ("Desk B", "Bob", InvalidInput, "admin", "'Bob' is not a username"),
    ("Desk B", "a", InvalidInput, "admin", "is not a username"),
    ("desk  a", "someone", Conflict, "name", "'Desk A' already exists"),
    ("Desk B", "admin", Conflict, "admin", "'admin' is taken"),
])
def test_bad_input_names_the_field_and_writes_nothing(
    database: Database, name: str, admin: str, error: type[TreatyDeskError], field: str,
    words: str,
) -> None:
    assert bootstrap_first_admin(database, organisation_name="Desk A") is not None
    before = _counts(database)
    with pytest.raises(error) as refused:
        create_organisation(database, name=name, admin_username=admin)
    assert [item.location for item in refused.value.items] == [field]
    assert words in str(refused.value)
    assert _counts(database) == before
    assert verify_chain(database).ok


def test_both_fields_are_reported_at_once(database: Database) -> None:
    with pytest.raises(InvalidInput) as refused:
        create_organisation(database, name="", admin_username="NO")
    assert [item.location for item in refused.value.items] == ["name", "admin"]


def test_list_and_rename(database: Database) -> None:
    assert list_organisations(database) == []
    assert bootstrap_first_admin(database, organisation_name="Desk A") is not None
    b = create_organisation(database, name="Desk B", admin_username="admin-b").organisation
    c = create_organisation(database, name="Desk C", admin_username="admin-c").organisation
    listed = list_organisations(database)
    assert [(o.name, o.users, o.active_admins) for o in listed] == [
        ("Desk A", 1, 1), ("Desk B", 1, 1), ("Desk C", 1, 1)]
    assert listed[1] == b

    renamed = rename_organisation(database, b.id, name=" Desk  Bravo ")
    assert renamed.name == "Desk Bravo" and renamed.id == b.id
    [entry] = [row for row in _audit(database) if row.action == "organisation_rename"]
    assert entry.org_id == b.id and entry.object_id == str(b.id)
    assert entry.details == {"name": "Desk Bravo", "previous_name": "Desk B"}
    assert entry.actor == "system:cli"

    # its own name in another case is allowed; another's name, empty or unknown id are not
    assert rename_organisation(database, b.id, name="DESK BRAVO").name == "DESK BRAVO"
    before = _counts(database)
    with pytest.raises(Conflict) as taken:
        rename_organisation(database, b.id, name="desk c")
    assert [item.location for item in taken.value.items] == ["name"]
    with pytest.raises(InvalidInput) as empty:
        rename_organisation(database, b.id, name=" ")
    assert [item.location for item in empty.value.items] == ["name"]
    with pytest.raises(NotFound, match="organisation 999 not found"):
        rename_organisation(database, 999, name="Desk Z")
    assert _counts(database) == before
    # the same name again records nothing
    rename_organisation(database, c.id, name="Desk C")
    assert _counts(database) == before
    assert [o.name for o in list_organisations(database)] == ["Desk A", "DESK BRAVO", "Desk C"]
    assert verify_chain(database).ok
