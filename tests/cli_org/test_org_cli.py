"""`treatydesk org create|list|rename` on a fresh TREATYDESK_HOME (SQLite), and once on
PostgreSQL through TREATYDESK_DATABASE_URL."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from harness.postgres import PostgresServer
from treatydesk.cli.main import EXIT_ERROR, run
from treatydesk.services.access import AccessService
from treatydesk.services.audit import verify_chain
from treatydesk.settings import load_settings
from treatydesk.store.db import Database

CREDENTIAL = re.compile(r"username (?P<username>\S+)\s+password (?P<password>\S+)")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("TREATYDESK_HOME", str(home))
    monkeypatch.delenv("TREATYDESK_DATABASE_URL", raising=False)
    return home


def cli(argv: list[str]) -> int:
    try:
        run(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def _database() -> Database:
    return Database(load_settings())


def test_create_prints_the_credential_once_and_it_signs_in(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["init"]) == 0
    capsys.readouterr()
    assert cli(["org", "create", "Desk of Ruritania", "--admin", "ruri-admin"]) == 0
    out = capsys.readouterr().out
    found = CREDENTIAL.search(out)
    assert found is not None, out
    assert found["username"] == "ruri-admin"
    assert "created organisation 2  Desk of Ruritania" in out
    db = _database()
    try:
        principal = AccessService(db).login("ruri-admin", found["password"], "127.0.0.1")
        assert principal.org_id == 2
        assert verify_chain(db).ok
    finally:
        db.dispose()
    # the credential is nowhere on disk in clear (the SQLite database, WAL and any file)
    for path in home.rglob("*"):
        if path.is_file():
            assert found["password"].encode() not in path.read_bytes(), path
    # and `list` never shows it again
    assert cli(["org", "list"]) == 0
    listed = capsys.readouterr().out
    assert found["password"] not in listed
    assert re.search(r"^1  Desk  \(users: 1, active admins: 1", listed, re.MULTILINE)
    assert re.search(r"^2  Desk of Ruritania  \(users: 1, active admins: 1", listed,
                     re.MULTILINE)


def test_list_json_and_create_json_on_a_fresh_home(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["org", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert cli(["org", "create", "Desk B", "--json"]) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["admin"]["username"] == "admin-desk-b"
    assert created["organisation"]["name"] == "Desk B"
    assert cli(["org", "list", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed == created["organisation"]
    assert set(listed) == {"id", "name", "created_at", "users", "active_admins"}


@pytest.mark.parametrize(("argv", "words"), [
    (["org", "create", ""], "name: give the organisation a name"),
    (["org", "create", "Desk B", "--admin", "Not OK"], "admin: 'Not OK' is not a username"),
    (["org", "create", "desk a", "--admin", "someone"], "name: an organisation named 'Desk A'"),
    (["org", "create", "Desk B", "--admin", "admin-a"], "admin: the username 'admin-a' is taken"),
    (["org", "rename", "1", ""], "name: give the organisation a name"),
    (["org", "rename", "7", "Desk Z"], "organisation 7 not found"),
])
def test_bad_input_exits_2_naming_the_field_and_writes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    assert cli(["org", "create", "Desk A", "--admin", "admin-a"]) == 0
    assert cli(["org", "list", "--json"]) == 0
    capsys.readouterr()
    db = _database()
    try:
        before = verify_chain(db)
        assert cli(argv) == EXIT_ERROR
        err = capsys.readouterr().err
        assert words in " ".join(err.split()), err
        assert verify_chain(db) == before
    finally:
        db.dispose()
    assert cli(["org", "list", "--json"]) == 0
    assert [o["name"] for o in json.loads(capsys.readouterr().out)] == ["Desk A"]


def test_rename(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["org", "create", "Desk A", "--admin", "admin-a"]) == 0
    capsys.readouterr()
    assert cli(["org", "rename", "1", "Central Authority of A", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "Central Authority of A"
    assert cli(["audit", "verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 3


def test_the_installed_command_exits_2_on_a_duplicate(home: Path) -> None:
    script = Path(sys.executable).with_name("treatydesk")
    first = subprocess.run([str(script), "org", "create", "Desk A", "--admin", "admin-a"],
                           capture_output=True, text=True, check=False, timeout=120)
    assert first.returncode == 0, first.stderr
    again = subprocess.run([str(script), "org", "create", "DESK A", "--admin", "admin-z"],
                           capture_output=True, text=True, check=False, timeout=120)
    assert again.returncode == 2
    assert "name: an organisation named 'Desk A' already exists" in again.stderr
    assert "Traceback" not in again.stderr


@pytest.mark.postgres
def test_create_and_list_on_postgresql(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    postgres_server: PostgresServer, postgres_template: str,
) -> None:
    name = "treatydesk_cli_org"
    with psycopg.connect(host="127.0.0.1", port=postgres_server.port, user="postgres",
                         dbname="postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name} TEMPLATE {postgres_template}")
    monkeypatch.setenv("TREATYDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TREATYDESK_DATABASE_URL", postgres_server.url(name))
    assert cli(["org", "create", "Desk A", "--admin", "admin-a"]) == 0
    assert CREDENTIAL.search(capsys.readouterr().out)
    assert cli(["org", "create", "desk a", "--admin", "admin-b"]) == EXIT_ERROR
    assert "name: an organisation named 'Desk A'" in " ".join(capsys.readouterr().err.split())
    assert cli(["org", "list", "--json"]) == 0
    assert [o["name"] for o in json.loads(capsys.readouterr().out)] == ["Desk A"]
