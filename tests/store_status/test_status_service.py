"""The import operations: one transaction, nothing written on failure, identical content
recognised."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.exc import IntegrityError
from store_snapshots import make_snapshot, row_counts

from treatydesk.services import status as status_service
from treatydesk.status.model import Participant
from treatydesk.store.db import Database


def test_identical_content_is_not_stored_twice(db: Database) -> None:
    first = status_service.store_snapshot(db, snapshot=make_snapshot())
    # same status read again later, from another place: provenance differs, content does not
    again = status_service.store_snapshot(db, snapshot=make_snapshot(
        retrieved_at=datetime(2025, 12, 1, tzinfo=UTC), source="other.xml"))
    assert again.unchanged and again.snapshot_id == first.snapshot_id
    assert row_counts(db) == (1, 3, 1)
    changed = status_service.store_snapshot(db, snapshot=make_snapshot(
        retrieved_at=datetime(2026, 1, 5, tzinfo=UTC), ratify_austria=date(2026, 1, 2)))
    assert not changed.unchanged
    assert changed.previous_id == first.snapshot_id
    assert changed.diff is not None
    assert row_counts(db) == (2, 6, 2)


def test_failure_mid_import_leaves_database_unchanged(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    status_service.store_snapshot(db, snapshot=make_snapshot())
    before = row_counts(db)

    def broken_diff(*_args: object) -> None:
        raise RuntimeError("injected failure after the rows were flushed")

    # the diff runs after the new snapshot's rows are flushed inside the transaction
    monkeypatch.setattr(status_service, "diff_snapshots", broken_diff)
    with pytest.raises(RuntimeError, match="injected"):
        status_service.store_snapshot(db, snapshot=make_snapshot(
            retrieved_at=datetime(2026, 1, 5, tzinfo=UTC), ratify_austria=date(2026, 1, 2)))
    assert row_counts(db) == before


def test_database_error_mid_import_rolls_back(db: Database) -> None:
    # two rows with one key break the unique constraint when the participants are flushed,
    # after the snapshot row itself was written
    duplicate = Participant(key="AUT", name="Austria again", iso3="AUT")
    with pytest.raises(IntegrityError):
        status_service.store_snapshot(db, snapshot=make_snapshot(extra=(duplicate,)))
    assert row_counts(db) == (0, 0, 0)
