"""A desk app on the shared `database` fixture (SQLite and PostgreSQL) with two organisations:
A (admin, officer, reviewer x2, auditor) and B (admin-b made by the operator's service,
officer), the example profiles and policy of
organisation A uploaded, and helpers to sign in through the form and to get API tokens."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from treatydesk.services import status as status_service
from treatydesk.services.access import (
    AccessService,
    LoginPolicy,
    bootstrap_first_admin,
    hash_password,
)
from treatydesk.services.organisations import create_organisation
from treatydesk.services.principal import Role
from treatydesk.store import desk_repo
from treatydesk.store.db import Database
from treatydesk.web.app import create_app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Desk:
    client: TestClient
    db: Database
    admin_password: str
    tokens: dict[str, str]

    def bearer(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def example_request(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "requests/mla_fraud.json").read_text())
    data.update(changes)
    return data


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Signs in through the form; returns the session's CSRF token."""
    page = client.get("/login")
    token = CSRF.search(page.text)
    assert token is not None
    done = client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token.group(1), "next": "/cases"},
                       follow_redirects=False)
    assert done.status_code == 303, done.text
    found = CSRF.search(client.get("/tokens").text)
    assert found is not None
    return found.group(1)


def _user(db: Database, org_id: int, username: str, role: Role) -> None:
    with db.transaction() as session:
        desk_repo.create_user(session, org_id=org_id, username=username, role=role.value,
                              password_hash=hash_password(PASSWORD), at=datetime.now(UTC))


@pytest.fixture
def desk(database: Database) -> Iterator[Desk]:
    status_service.ensure_bundled(database)
    admin_password = bootstrap_first_admin(database, organisation_name="Org A")
    assert admin_password is not None
    org_b = create_organisation(database, name="Org B", admin_username="admin-b").organisation.id
    for name, role in (("officer-a", Role.OFFICER), ("reviewer-a", Role.REVIEWER),
                       ("reviewer-a2", Role.REVIEWER), ("auditor-a", Role.AUDITOR)):
        _user(database, 1, name, role)
    _user(database, org_b, "officer-b", Role.OFFICER)
    access = AccessService(database)
    tokens: dict[str, str] = {}
    scopes = {Role.OFFICER: ["read", "write"], Role.REVIEWER: ["read", "review"],
              Role.AUDITOR: ["read"], Role.ADMIN: ["admin"]}
    for name, password in (("admin", admin_password), ("officer-a", PASSWORD),
                           ("reviewer-a", PASSWORD), ("reviewer-a2", PASSWORD),
                           ("auditor-a", PASSWORD), ("officer-b", PASSWORD)):
        principal = access.login(name, password, "setup")
        tokens[name] = access.create_token(principal, name="t", scopes=scopes[principal.role]
                                           ).token
    app = create_app(database=database, login_policy=LoginPolicy(max_failures=3))
    with TestClient(app, raise_server_exceptions=False) as client:
        desk = Desk(client, database, admin_password, tokens)
        for party in ("XAA", "XAB"):
            done = client.post("/api/v1/admin/profiles", headers=desk.bearer("admin"), json={
                "filename": f"{party}.yaml", "yaml": (EXAMPLES / f"parties/{party}.yaml")
                .read_text()})
            assert done.status_code == 201, done.text
        done = client.put("/api/v1/admin/policy", headers=desk.bearer("admin"), json={
            "filename": "default.yaml", "yaml": (EXAMPLES / "policy/default.yaml").read_text()})
        assert done.status_code == 200, done.text
        yield desk
