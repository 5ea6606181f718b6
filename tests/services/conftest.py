"""The desk fixture for the service tests (on SQLite and PostgreSQL via `database`)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from desk_setup import Desk, make_desk

from treatydesk.services import access
from treatydesk.store.db import Database


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # argon2 at production cost makes each login take tens of milliseconds; the tests log in
    # dozens of times, so they use the same algorithm (argon2id) at the lowest cost
    monkeypatch.setattr(
        access, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
def desk(database: Database) -> Desk:
    return make_desk(database)
