"""Fixtures for the status store tests: each test runs on a fresh, migrated database, once on
SQLite and once on PostgreSQL (the shared `database` fixture in tests/conftest.py)."""

from __future__ import annotations

import pytest
from store_snapshots import make_snapshot

from treatydesk.status.model import Snapshot
from treatydesk.store.db import Database


@pytest.fixture
def db(database: Database) -> Database:
    return database


@pytest.fixture
def snapshot() -> Snapshot:
    return make_snapshot()
