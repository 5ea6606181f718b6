"""Shared database fixtures: `database` gives a migrated, empty Database on a fresh database per
test, once on SQLite and once on a throwaway PostgreSQL (tests/harness/postgres.py).

Each backend is migrated once per session into a template (a file for SQLite, a template
database for PostgreSQL) and copied per test, because running the migrations for every test is
slow. PostgreSQL tests carry the `postgres` marker; if the server cannot be started they fail
with the reason (they are never skipped silently).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings as hypothesis_settings

from harness.postgres import HarnessError, PostgresServer, start_server
from native_build import problems as compiled_problems
from treatydesk.settings import Settings
from treatydesk.store.db import Database, migrate

# In CI every property test draws a fixed sequence of examples, so a submission's verdict does
# not depend on luck; elsewhere hypothesis keeps drawing new ones and so keeps finding new inputs.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")

TEMPLATE_DB = "treatydesk_template"


def pytest_sessionstart(session: pytest.Session) -> None:
    # the tests must run the code as it is now, compiled as it ships (tools/native_build.py)
    found = compiled_problems()
    if found:
        raise pytest.UsageError(
            "the compiled modules do not match their sources; run `make test` (it rebuilds "
            "them) or `.venv/bin/pip install -e .`:\n  " + "\n  ".join(found))


_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = start_server()
    except HarnessError as error:
        pytest.fail(f"cannot start the throwaway PostgreSQL for the postgres tests: {error}")
    yield server
    server.stop()


def _admin_connection(server: PostgresServer) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(
        host="127.0.0.1", port=server.port, user="postgres", dbname="postgres", autocommit=True
    )


@pytest.fixture(scope="session")
def postgres_template(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> str:
    with _admin_connection(postgres_server) as connection:
        connection.execute(f"CREATE DATABASE {TEMPLATE_DB}")
    home = tmp_path_factory.mktemp("pg-template-home")
    migrate(Settings(home=home, database_url=postgres_server.url(TEMPLATE_DB)))
    return TEMPLATE_DB


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("sqlite-template-home")
    path = home / "template.sqlite3"
    migrate(Settings(home=home, database_url=f"sqlite:///{path}"))
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    home = tmp_path / "home"
    home.mkdir()
    if request.param == "sqlite":
        path = home / "treatydesk.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        db = Database(Settings(home=home, database_url=f"sqlite:///{path}"))
        yield db
        db.dispose()
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    template: str = request.getfixturevalue("postgres_template")
    name = f"treatydesk_test_{next(_database_numbers)}"
    with _admin_connection(server) as connection:
        connection.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    db = Database(Settings(home=home, database_url=server.url(name)))
    yield db
    db.dispose()
    with _admin_connection(server) as connection:
        connection.execute(f"DROP DATABASE {name} WITH (FORCE)")
