"""Status snapshots in the store: schema matches the migration, round trip, queries, atomic
imports."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text
from store_snapshots import make_snapshot

import treatydesk.store.tables  # noqa: F401
from treatydesk.errors import DatabaseBusy, InvalidInput, NotFound
from treatydesk.settings import Settings
from treatydesk.status.model import Snapshot
from treatydesk.store import status_repo
from treatydesk.store.db import Base, Database, alembic_config, migrate
from treatydesk.store.status_tables import (
    StatusDeclarationRow,
    StatusParticipantRow,
)

MY_TABLES = {"status_snapshots", "status_participants", "status_declarations"}


def test_migration_matches_the_tables(db: Database) -> None:
    with db.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    # other engineers' tables are theirs to check; keep only drift that names one of ours
    mine = [diff for diff in diffs if any(name in repr(diff) for name in MY_TABLES)]
    assert mine == []
    with db.engine.connect() as connection:
        names = set(db.engine.dialect.get_table_names(connection))
    assert MY_TABLES <= names


def test_round_trip_is_exact(db: Database, snapshot: Snapshot) -> None:
    with db.transaction() as session:
        snapshot_id = status_repo.save_snapshot(session, snapshot=snapshot)
    with db.reading() as session:
        assert status_repo.get_snapshot(session, snapshot_id=snapshot_id) == snapshot
        assert status_repo.latest_snapshot(session, treaty="XVIII-16") == snapshot
        info = status_repo.get_snapshot_info(session, snapshot_id=snapshot_id)
    assert info.participant_count == 3
    assert info.retrieved_at == snapshot.retrieved_at
    assert info.retrieved_at.tzinfo is not None


def test_participants_and_declarations_are_queryable_rows(
    db: Database, snapshot: Snapshot
) -> None:
    with db.transaction() as session:
        status_repo.save_snapshot(session, snapshot=snapshot)
    with db.reading() as session:
        rows = list(session.scalars(select(StatusParticipantRow).order_by(
            StatusParticipantRow.position)))
        assert [row.key for row in rows] == ["AUT", "BRA", "european-union"]
        assert rows[1].footnotes == ["1"]
        assert rows[2].is_reio is True and rows[2].iso3 is None
        assert rows[0].signature == date(2025, 10, 25)
        declaration = session.scalars(select(StatusDeclarationRow)).one()
        assert declaration.articles == ["42(3)"]
        assert declaration.section == "declarations"
        assert declaration.participant.key == "BRA"


def test_latest_is_by_retrieval_time_not_insertion(db: Database) -> None:
    newer = make_snapshot(retrieved_at=datetime(2026, 1, 5, tzinfo=UTC),
                          ratify_austria=date(2026, 1, 2))
    older = make_snapshot(retrieved_at=datetime(2025, 11, 1, tzinfo=UTC))
    with db.transaction() as session:
        newer_id = status_repo.save_snapshot(session, snapshot=newer)
        older_id = status_repo.save_snapshot(session, snapshot=older)
    with db.reading() as session:
        assert status_repo.latest_snapshot(session, treaty="XVIII-16") == newer
        assert status_repo.latest_snapshot_ids(session, treaty="XVIII-16") == [newer_id, older_id]
        assert status_repo.latest_snapshot(session, treaty="XXIII-1") is None


def test_list_snapshots_pages_and_filters(db: Database) -> None:
    with db.transaction() as session:
        ids = [
            status_repo.save_snapshot(
                session, snapshot=make_snapshot(retrieved_at=datetime(2025, 11, day, tzinfo=UTC))
            )
            for day in (1, 2, 3)
        ]
    with db.reading() as session:
        page, total = status_repo.list_snapshots(session, treaty="XVIII-16", limit=2, offset=0)
        assert total == 3
        assert [info.id for info in page] == [ids[2], ids[1]]
        page, _ = status_repo.list_snapshots(session, limit=2, offset=2)
        assert [info.id for info in page] == [ids[0]]
        assert status_repo.list_snapshots(session, treaty="nope", limit=5) == ([], 0)


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (501, 0), (10, -1)])
def test_list_snapshots_refuses_bad_bounds(db: Database, limit: int, offset: int) -> None:
    with db.reading() as session, pytest.raises(InvalidInput):
        status_repo.list_snapshots(session, limit=limit, offset=offset)


def test_unknown_snapshot_id_is_not_found(db: Database) -> None:
    with db.reading() as session:
        with pytest.raises(NotFound, match="no stored snapshot with id 99"):
            status_repo.get_snapshot(session, snapshot_id=99)
        with pytest.raises(NotFound, match="XVIII-16"):
            status_repo.require_latest(session, treaty="XVIII-16")


def test_migration_0005_drops_the_copied_declaration_text_and_keeps_the_rows(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    config = alembic_config(url)
    command.upgrade(config, "0004")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO status_snapshots (id, treaty, title, source, retrieved_at, imported_at,"
            " partial, content_sha256, document) VALUES (1, 'XVIII-16', 't', 's',"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00', 0, 'x', '{}')"))
        connection.execute(text(
            "INSERT INTO status_participants (id, snapshot_id, position, key, name, is_reio,"
            " footnotes) VALUES (1, 1, 0, 'BRA', 'Brazil', 0, '[]')"))
        connection.execute(text(
            "INSERT INTO status_declarations (participant_id, position, section, text, articles,"
            " is_reservation) VALUES (1, 0, 'declarations', 'Art. 42(3) ...', '[\"42(3)\"]', 1)"))
    command.upgrade(config, "head")
    with engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("status_declarations")}
        row = connection.execute(text(
            "SELECT section, articles, is_reservation FROM status_declarations")).one()
    assert "text" not in columns
    assert tuple(row) == ("declarations", '["42(3)"]', 1)
    command.downgrade(config, "0004")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT text FROM status_declarations")).scalar() == ""
    engine.dispose()


def test_a_write_lock_held_by_another_program_is_database_busy(tmp_path: Path) -> None:
    # SQLite only (PostgreSQL queues writers itself): another program's exclusive lock outlasts
    # the busy timeout (this test waits it out, about half a minute), and the writer gets
    # DatabaseBusy, not the driver's error
    home = tmp_path / "home"
    migrate(Settings(home=home, database_url=f"sqlite:///{home / 'busy.sqlite3'}"))
    db = Database(Settings(home=home, database_url=f"sqlite:///{home / 'busy.sqlite3'}"))
    other = sqlite3.connect(home / "busy.sqlite3", isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(DatabaseBusy, match="another program holds its write lock"), \
                db.transaction() as session:
            session.execute(text("CREATE TABLE busy_probe (x INTEGER)"))
        other.execute("ROLLBACK")
        with db.reading() as session:
            assert not inspect(session.connection()).has_table("busy_probe")
    finally:
        other.close()
        db.dispose()
