"""Uploads of party profiles and the policy pack, and signing out, are audited in the same
transaction as the change (SQLite and PostgreSQL via `database`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from treatydesk.errors import DataFileError
from treatydesk.services.access import AccessService, bootstrap_first_admin
from treatydesk.services.audit import verify_chain
from treatydesk.services.desk_support import DeskDocuments, WebSessionService
from treatydesk.services.principal import Principal
from treatydesk.store import desk_repo
from treatydesk.store.db import Database
from treatydesk.store.desk_tables import AuditLogRow
from treatydesk.store.web_tables import StoredProfileRow, WebSessionRow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _admin(db: Database) -> tuple[AccessService, Principal, str]:
    password = bootstrap_first_admin(db, organisation_name="Desk A")
    assert password is not None
    access = AccessService(db)
    return access, access.login("admin", password, "10.0.0.1"), password


def _entries(db: Database, action: str) -> list[dict[str, Any]]:
    with db.reading() as session:
        entries, _ = desk_repo.list_audit(session, org_id=1, limit=200, offset=0)
    return [entry.as_dict() for entry in entries if entry.action == action]


def test_profile_upload_is_audited_with_its_digest_and_the_one_it_replaced(
    database: Database,
) -> None:
    _, admin, _ = _admin(database)
    documents = DeskDocuments(database)
    text = (EXAMPLES / "parties" / "XAA.yaml").read_text("utf-8")
    first = documents.upload_profile(admin, filename="dir/XAA.yaml", text=text)
    second = documents.upload_profile(admin, filename="XAA.yaml", text=text + "\n# again\n")
    entries = _entries(database, "profile_upload")
    assert len(entries) == 2
    newest, oldest = entries
    assert oldest["object_type"] == "profile" and oldest["object_id"] == "XAA"
    assert oldest["actor"] == admin.actor and oldest["org_id"] == admin.org_id
    assert oldest["details"] == {"name": first.name, "digest": first.digest,
                                 "previous_digest": None, "filename": "XAA.yaml"}
    assert newest["details"]["previous_digest"] == first.digest
    assert newest["details"]["digest"] == second.digest
    assert verify_chain(database).ok


def test_policy_upload_is_audited(database: Database) -> None:
    _, admin, _ = _admin(database)
    text = (EXAMPLES / "policy" / "default.yaml").read_text("utf-8")
    stored = DeskDocuments(database).upload_policy(admin, filename="default.yaml", text=text)
    [entry] = _entries(database, "policy_upload")
    assert entry["object_type"] == "policy" and entry["actor"] == admin.actor
    assert entry["details"] == {"name": stored.name, "digest": stored.digest,
                                "previous_digest": None, "filename": "default.yaml"}


def test_a_refused_upload_writes_neither_the_document_nor_an_entry(database: Database) -> None:
    _, admin, _ = _admin(database)
    with database.reading() as session:
        before = session.execute(select(func.count()).select_from(AuditLogRow)).scalar_one()
    with pytest.raises(DataFileError):
        DeskDocuments(database).upload_profile(admin, filename="x.yaml", text="key: [")
    with database.reading() as session:
        after = session.execute(select(func.count()).select_from(AuditLogRow)).scalar_one()
        profiles = session.execute(select(func.count()).select_from(StoredProfileRow))
        assert profiles.scalar_one() == 0
    assert after == before


def test_sign_out_is_audited_once_and_ends_the_session(database: Database) -> None:
    access, admin, password = _admin(database)
    sessions = WebSessionService(database, access)
    created = sessions.sign_in("admin", password, "10.0.0.9")
    sessions.sign_out(created.cookie)
    [entry] = _entries(database, "logout")
    assert entry["actor"] == admin.actor and entry["object_id"] == str(admin.user_id)
    assert entry["org_id"] == admin.org_id
    with database.reading() as session:
        assert session.execute(select(func.count()).select_from(WebSessionRow)
                               ).scalar_one() == 0
    # a cookie that no longer stands for a session ends nothing and records nothing
    sessions.sign_out(created.cookie)
    sessions.sign_out("not-a-session")
    assert len(_entries(database, "logout")) == 1
    assert verify_chain(database).ok
