"""The desk's tables, migration and repository, on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, select, text, update

import treatydesk.store.tables  # noqa: F401  (every table on Base.metadata)
from treatydesk.audit.chain import (
    AuditAction,
    AuditEntry,
    BreakReason,
    ChainHead,
    VerificationResult,
    make_entry,
    verify,
)
from treatydesk.errors import Conflict, NotFound
from treatydesk.store import desk_repo
from treatydesk.store.db import Base, Database
from treatydesk.store.desk_tables import AuditLogRow, CaseRow

NOW = datetime(2025, 11, 28, 9, 0, tzinfo=UTC)


def test_schema_matches_the_models_after_migration(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_chain_head_row_exists_after_migration(database: Database) -> None:
    with database.reading() as session:
        head = desk_repo.chain_head(session)
    assert (head.count, head.head_hash) == (0, "0" * 64)


def append(database: Database, count: int, org_id: int = 1) -> None:
    for index in range(count):
        with database.transaction() as session:
            desk_repo.append_audit(
                session, at=NOW, org_id=org_id, actor="user:1:anna", action=AuditAction.EDIT,
                object_type="case", object_id=index, details={"n": index},
            )


def stored_chain(database: Database) -> tuple[list[AuditEntry], ChainHead]:
    with database.reading() as session:
        return list(desk_repo.iter_audit(session)), desk_repo.chain_head(session)


def verify_stored(database: Database) -> VerificationResult:
    entries, head = stored_chain(database)
    return verify(entries, head=head)


def test_appends_form_a_chain_that_verifies(database: Database) -> None:
    append(database, 4)
    entries, head = stored_chain(database)
    assert [entry.seq for entry in entries] == [1, 2, 3, 4]
    result = verify(entries, head=head)
    assert result.ok and result.count == 4


def test_rolled_back_write_leaves_no_entry(database: Database) -> None:
    append(database, 1)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), database.transaction() as session:
        desk_repo.append_audit(
            session, at=NOW, org_id=1, actor="a", action=AuditAction.EDIT,
            object_type="case", object_id=1, details={},
        )
        raise Boom
    entries, head = stored_chain(database)
    assert len(entries) == 1 and head.count == 1 and verify(entries, head=head).ok


def test_altered_row_is_detected(database: Database) -> None:
    append(database, 5)
    with database.transaction() as session:
        session.execute(
            update(AuditLogRow).where(AuditLogRow.seq == 3).values(details={"n": 99})
        )
    result = verify_stored(database)
    assert (result.first_bad_seq, result.reason) == (3, BreakReason.HASH_MISMATCH)


def test_deleted_row_is_detected(database: Database) -> None:
    append(database, 5)
    with database.transaction() as session:
        session.execute(delete(AuditLogRow).where(AuditLogRow.seq == 2))
    result = verify_stored(database)
    assert (result.first_bad_seq, result.reason) == (3, BreakReason.SEQUENCE_GAP)


def test_deleted_newest_row_is_detected_against_the_head(database: Database) -> None:
    append(database, 3)
    with database.transaction() as session:
        session.execute(delete(AuditLogRow).where(AuditLogRow.seq == 3))
    result = verify_stored(database)
    assert (result.first_bad_seq, result.reason) == (3, BreakReason.HEAD_MISMATCH)


def test_forged_row_with_recomputed_hash_but_wrong_link_is_detected(database: Database) -> None:
    append(database, 3)
    forged = make_entry(
        seq=4, prev_hash="a" * 64, at=NOW, org_id=1, actor="user:9:mallory",
        action=AuditAction.DECISION, object_type="case", object_id="1", details={},
    )
    with database.transaction() as session:
        session.add(
            AuditLogRow(
                seq=forged.seq, timestamp=forged.timestamp, org_id=forged.org_id,
                actor=forged.actor, action=forged.action, object_type=forged.object_type,
                object_id=forged.object_id, details={}, prev_hash=forged.prev_hash,
                hash=forged.hash,
            )
        )
    result = verify_stored(database)
    assert (result.first_bad_seq, result.reason) == (4, BreakReason.LINK_MISMATCH)


def test_swapped_rows_are_detected(database: Database) -> None:
    append(database, 5)
    with database.transaction() as session:
        # three steps because seq is unique
        session.execute(update(AuditLogRow).where(AuditLogRow.seq == 2).values(seq=-2))
        session.execute(update(AuditLogRow).where(AuditLogRow.seq == 4).values(seq=2))
        session.execute(update(AuditLogRow).where(AuditLogRow.seq == -2).values(seq=4))
    result = verify_stored(database)
    assert (result.first_bad_seq, result.reason) == (2, BreakReason.HASH_MISMATCH)


def test_concurrent_appends_keep_one_chain(database: Database) -> None:
    threads, per_thread = 8, 6
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for index in range(per_thread):
                with database.transaction() as session:
                    desk_repo.lock_chain(session)
                    # a read between lock and append widens the race window on purpose
                    session.execute(text("SELECT 1"))
                    desk_repo.append_audit(
                        session, at=NOW, org_id=worker, actor=f"user:{worker}:w",
                        action=AuditAction.EDIT, object_type="case", object_id=index,
                        details={"worker": worker, "index": index},
                    )
        except BaseException as error:  # noqa: BLE001  (reported to the main thread)
            errors.append(error)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    entries, head = stored_chain(database)
    result = verify(entries, head=head)
    assert result.ok, result.explanation
    assert result.count == threads * per_thread


def _append_from_process(database_url: str, home: str, worker: int, count: int) -> None:
    # runs in a spawned process: a worker of `treatydesk serve --workers N` in miniature
    from pathlib import Path

    from treatydesk.settings import Settings

    database = Database(Settings(home=Path(home), database_url=database_url))
    try:
        for index in range(count):
            with database.transaction() as session:
                desk_repo.append_audit(
                    session, at=NOW, org_id=worker, actor=f"user:{worker}:p",
                    action=AuditAction.EDIT, object_type="case", object_id=index,
                    details={"worker": worker, "index": index})
    finally:
        database.dispose()


def test_writers_in_several_processes_keep_one_chain(database: Database) -> None:
    # on SQLite they queue on the write gate's file lock; on PostgreSQL on the head row lock
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_append_from_process, args=(
            database.settings.database_url, str(database.settings.home), worker, 15))
        for worker in range(3)]
    for process in processes:
        process.start()
    append(database, 15)  # this process writes at the same time
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0, 0, 0]
    result = verify_stored(database)
    assert result.ok, result.explanation
    assert result.count == 60


# the write gate is SQLite's (PostgreSQL queues writers on the chain row, not on a gate)
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_write_transaction_inside_another_is_refused_on_sqlite(database: Database) -> None:
    with database.transaction(), pytest.raises(RuntimeError, match="already open"):
        # SQLite could not run it: the outer transaction would hold the write lock
        with database.transaction():
            pass
    append(database, 1)  # the gate was released
    assert verify_stored(database).count == 1


def make_case(session, org_id: int, user_id: int) -> CaseRow:  # type: ignore[no-untyped-def]
    return desk_repo.insert_case(
        session,
        row=CaseRow(
            org_id=org_id, direction="outgoing", kind="preservation", requesting_party="AAA",
            requested_party="BBB", state="draft", title="t", request={"a": 1}, version=1,
            request_version=1, created_by=user_id, created_at=NOW, updated_at=NOW,
            received_at=NOW, urgent=False, preservation_extension_days=[],
        ),
    )


def two_orgs(database: Database) -> tuple[int, int, int, int]:
    with database.transaction() as session:
        org_a = desk_repo.create_organisation(session, name="A", at=NOW)
        org_b = desk_repo.create_organisation(session, name="B", at=NOW)
        user_a = desk_repo.create_user(
            session, org_id=org_a.id, username="anna", role="officer", password_hash="x", at=NOW
        )
        user_b = desk_repo.create_user(
            session, org_id=org_b.id, username="bert", role="officer", password_hash="x", at=NOW
        )
        return org_a.id, org_b.id, user_a.id, user_b.id


def test_other_organisations_case_is_not_found_like_a_missing_one(database: Database) -> None:
    org_a, org_b, user_a, _ = two_orgs(database)
    with database.transaction() as session:
        case_id = make_case(session, org_a, user_a).id
    with database.reading() as session:
        with pytest.raises(NotFound) as foreign:
            desk_repo.get_case(session, org_id=org_b, case_id=case_id)
        with pytest.raises(NotFound) as missing:
            desk_repo.get_case(session, org_id=org_b, case_id=case_id + 1000)
        assert str(foreign.value).replace(str(case_id), "N") == str(missing.value).replace(
            str(case_id + 1000), "N"
        )
        rows, total = desk_repo.list_cases(
            session, org_id=org_b, where=desk_repo.CaseFilter(), limit=10, offset=0
        )
        assert (rows, total) == ([], 0)
    with database.transaction() as session, pytest.raises(NotFound):
        desk_repo.update_case(
            session, org_id=org_b, case_id=case_id, expected_version=1, changes={"title": "x"}
        )


def test_stale_update_is_a_conflict(database: Database) -> None:
    org_a, _, user_a, _ = two_orgs(database)
    with database.transaction() as session:
        case_id = make_case(session, org_a, user_a).id
    with database.transaction() as session:
        row = desk_repo.update_case(
            session, org_id=org_a, case_id=case_id, expected_version=1, changes={"title": "v2"}
        )
        assert row.version == 2
    with database.transaction() as session, pytest.raises(Conflict, match="version 1.*version 2"):
        desk_repo.update_case(
            session, org_id=org_a, case_id=case_id, expected_version=1, changes={"title": "v3"}
        )
    with database.reading() as session:
        assert session.execute(select(CaseRow.title)).scalar_one() == "v2"


def test_duplicates_are_conflicts(database: Database) -> None:
    two_orgs(database)
    with database.transaction() as session, pytest.raises(Conflict, match="'anna' is taken"):
        desk_repo.create_user(
            session, org_id=1, username="anna", role="officer", password_hash="x", at=NOW
        )
    with database.transaction() as session, pytest.raises(Conflict, match="'A' already"):
        desk_repo.create_organisation(session, name="A", at=NOW)


def test_a_rolled_back_savepoint_leaves_the_chain_whole(database: Database) -> None:
    with database.transaction() as session:
        desk_repo.append_audit(
            session, at=NOW, org_id=1, actor="user:1:anna", action=AuditAction.EDIT,
            object_type="case", object_id=1, details={"n": 1})
        try:
            with session.begin_nested():
                desk_repo.append_audit(
                    session, at=NOW, org_id=1, actor="user:1:anna", action=AuditAction.EDIT,
                    object_type="case", object_id=2, details={"n": 2})
                raise RuntimeError("undo the savepoint")
        except RuntimeError:
            pass
        desk_repo.append_audit(
            session, at=NOW, org_id=1, actor="user:1:anna", action=AuditAction.EDIT,
            object_type="case", object_id=3, details={"n": 3})
    result = verify_stored(database)
    assert result.ok, result.explanation
    assert result.count == 2


def test_a_case_column_left_unset_is_stored_as_sql_null(database: Database) -> None:
    org_a, _org_b, user_a, _user_b = two_orgs(database)
    with database.transaction() as session:
        case_id = make_case(session, org_a, user_a).id  # no check_summary given
    with database.reading() as session:
        unset = session.execute(
            select(CaseRow.id).where(CaseRow.check_summary.is_(None))).scalars().all()
    assert unset == [case_id]
