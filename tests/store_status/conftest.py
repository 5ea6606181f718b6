"""Fixtures for the status store tests: a fresh home and database per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_snapshots import make_snapshot

from treatydesk.settings import Settings, load_settings
from treatydesk.status.model import Snapshot
from treatydesk.store.db import Database, migrate


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"TREATYDESK_HOME": str(tmp_path / "home")})


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    migrate(settings)
    database = Database(settings)
    yield database
    database.dispose()


@pytest.fixture
def snapshot() -> Snapshot:
    return make_snapshot()
