"""Engine, session and schema set-up for SQLite (embedded default, WAL) and PostgreSQL."""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import IO

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from treatydesk.errors import DatabaseBusy
from treatydesk.settings import Settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class Base(DeclarativeBase):
    """Base of every table; all table modules must be imported by `treatydesk.store.tables`."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets readers proceed during a write; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(settings: Settings) -> Engine:
    if settings.is_sqlite:
        settings.ensure_home()
        engine = create_engine(settings.database_url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(settings.database_url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def migrate(settings: Settings) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    if settings.is_sqlite:
        settings.ensure_home()
    command.upgrade(alembic_config(settings.database_url), "head")


class SqliteWriteGate:
    """Lets one SQLite write transaction at a time in, across threads and worker processes.

    SQLite admits one writer; a writer that finds the lock taken retries from its busy
    handler, which sleeps with growing back-off (up to 100 ms a try), so under concurrent
    writes each one waits far longer than the lock is held, and the order is luck. Queuing
    the writers on a blocking OS lock (flock on a file beside the database) hands the lock
    over as soon as it is released. busy_timeout stays as the backstop for writers that do
    not pass here (migrations, another program)."""

    def __init__(self, database_file: str | None) -> None:
        self._threads = threading.Lock()
        # no lock file for an in-memory database (it lives in this process only) or a URI name
        on_disk = database_file and database_file != ":memory:" and not database_file.startswith(
            "file:")
        self._path = f"{database_file}.write-lock" if on_disk else None
        self._file: IO[bytes] | None = None
        self._owner: int | None = None

    @contextmanager
    def __call__(self) -> Iterator[None]:
        if self._owner == threading.get_ident():
            # SQLite could not run it either (the outer transaction holds the write lock)
            raise RuntimeError("a write transaction is already open in this thread")
        with self._threads:
            self._owner = threading.get_ident()
            try:
                if self._path is None:
                    yield
                    return
                if self._file is None:
                    # kept open for the process: one descriptor holds the flock
                    self._file = open(self._path, "ab")
                fcntl.flock(self._file, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(self._file, fcntl.LOCK_UN)
            finally:
                self._owner = None

    def close(self) -> None:
        with self._threads:
            if self._file is not None:
                self._file.close()
                self._file = None


class Database:
    """One engine and its session factory for a deployment."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # PostgreSQL queues writers on the audit chain's row lock by itself
        self._write_gate: Callable[[], AbstractContextManager[None]] = (
            SqliteWriteGate(self.engine.url.database or None) if settings.is_sqlite
            else nullcontext)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One operation, one transaction: everything commits together or nothing does."""
        try:
            with self._write_gate(), self._sessions() as session, session.begin():
                yield session
        except OperationalError as error:
            # SQLite's busy timeout ran out: another program (not a TreatyDesk writer, which
            # queues at the gate) kept the write lock
            if "locked" not in str(error.orig):
                raise
            raise DatabaseBusy("the database is busy: another program holds its write lock; "
                               "nothing was written, try again") from error

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if isinstance(self._write_gate, SqliteWriteGate):
            self._write_gate.close()
