"""Property-based tests of the HTTP API from its own published OpenAPI document (schemathesis).

What is checked, for every operation in /openapi.json, with up to MAX_EXAMPLES generated
requests each (valid and invalid parameters and bodies, as schemathesis generates them):
  - not_a_server_error: no response is a 5xx, and no handler raises (the in-process ASGI
    transport re-raises an unhandled exception, which fails the test with its traceback);
  - response_schema_conformance: a response whose status code the document declares has a
    body that validates against the declared schema.
Not checked: that every status code returned is declared (the API answers 401/403/404/409 in
its one error shape, which the generated document does not list per operation), and the
stateful links between operations.

Each run is authenticated with a bearer token (`td_...`) created through the services: once as
the first administrator (admin scope) and once as an officer (read, write), each on its own
fresh SQLite desk, so the admin's generated user changes cannot lock the officer out.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from argon2 import PasswordHasher
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from treatydesk.services import access as access_module
from treatydesk.services.access import AccessService, bootstrap_first_admin
from treatydesk.settings import Settings
from treatydesk.store.db import Database, migrate
from treatydesk.web.app import create_app

#: examples per operation: enough to reach each operation's error paths, and the whole run
#: stays within a few minutes on 2 cores
MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, response_schema_conformance]
OFFICER_PASSWORD = "fuzz-officer-password"


class FuzzDesk:
    """A fresh SQLite desk and its app. The app is built when the module is imported, because
    schemathesis parametrizes the tests from the app's document at collection time (its lazy
    fixture loader does not work with this pytest); the people and token are made in a
    fixture, before any test runs."""

    def __init__(self, role: str) -> None:
        self.role = role
        self.home = Path(tempfile.mkdtemp(prefix=f"treatydesk-fuzz-{role}-"))
        self.settings = Settings(
            home=self.home, database_url=f"sqlite:///{self.home / 'treatydesk.sqlite3'}")
        self.db = Database(self.settings)
        self.app = create_app(database=self.db)
        self.schema = schemathesis.openapi.from_asgi("/openapi.json", self.app)
        self.token = ""

    def set_up(self) -> None:
        # the ASGI transport does not run the app's lifespan, which would migrate
        migrate(self.settings)
        password = bootstrap_first_admin(self.db, organisation_name="Fuzz desk")
        assert password is not None, "the fuzzing desk was not fresh"
        access = AccessService(self.db)
        admin = access.login("admin", password, "127.0.0.1")
        if self.role == "admin":
            self.token = access.create_token(admin, name="fuzz", scopes=["admin"]).token
            return
        access.create_user(admin, username="officer", role="officer",
                           password=OFFICER_PASSWORD)
        officer = access.login("officer", OFFICER_PASSWORD, "127.0.0.1")
        self.token = access.create_token(officer, name="fuzz", scopes=["read", "write"]).token

    def close(self) -> None:
        self.db.dispose()
        shutil.rmtree(self.home, ignore_errors=True)


ADMIN = FuzzDesk("admin")
OFFICER = FuzzDesk("officer")


@pytest.fixture(scope="module", autouse=True)
def desks() -> Iterator[None]:
    saved = access_module._hasher
    # generated user creations hash a password each; argon2id at its lowest cost keeps the
    # run short (the same algorithm)
    access_module._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    try:
        ADMIN.set_up()
        OFFICER.set_up()
        yield
    finally:
        access_module._hasher = saved
        ADMIN.close()
        OFFICER.close()


# CI explores a fixed set of examples so that a submission's verdict does not depend on luck;
# runs elsewhere draw new examples each time and so keep finding new inputs
BOUNDED = settings(max_examples=MAX_EXAMPLES, deadline=None,
                   derandomize=os.environ.get("CI") == "true",
                   suppress_health_check=list(HealthCheck))


@ADMIN.schema.parametrize()
@BOUNDED
def test_api_as_admin(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {ADMIN.token}"}, checks=CHECKS)


@OFFICER.schema.parametrize()
@BOUNDED
def test_api_as_officer(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {OFFICER.token}"}, checks=CHECKS)


def test_the_published_document_lists_the_desk_api() -> None:
    # the fuzzing above is only as wide as the document; a route missing from it goes untested
    paths = set(ADMIN.schema.raw_schema["paths"])
    for expected in ("/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/reviews",
                     "/api/v1/cases/{case_id}/decisions", "/api/v1/audit/verify",
                     "/api/v1/admin/users", "/api/v1/tokens"):
        assert expected in paths, f"{expected} is not in /openapi.json"
