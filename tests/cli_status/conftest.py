"""A fresh TREATYDESK_HOME per test and a runner that goes through `cli.main.run`, the entry
point users run (it turns TreatyDesk errors into one line and exit code 2)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from cli_harness import Invoke, Outcome
from typer.testing import CliRunner

from treatydesk.cli import main


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("TREATYDESK_HOME", str(path))
    monkeypatch.delenv("TREATYDESK_DATABASE_URL", raising=False)
    return path


@pytest.fixture
def cli(home: Path) -> Invoke:
    def invoke(*args: str) -> Outcome:
        runner = CliRunner()
        with runner.isolation() as (stdout, stderr, _output):
            try:
                main.run(list(args))
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
            # the isolated streams are buffered text wrappers over bytes: flush before reading
            sys.stdout.flush()
            sys.stderr.flush()
            return Outcome(code, stdout.getvalue().decode(), stderr.getvalue().decode())

    return invoke
