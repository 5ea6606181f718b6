"""`treatydesk check`, single and batch (app built from this module's register)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from treatydesk.cli import check_cmds
from treatydesk.errors import TreatyDeskError

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "examples" / "requests" / "mla_fraud.json"

app = typer.Typer()
check_cmds.register(app)


@app.callback()
def _root() -> None:
    """Keep `check` a sub-command, as in the real app."""


runner = CliRunner()


def test_check_human_output_names_defaults() -> None:
    result = runner.invoke(app, ["check", str(BASE)])
    assert result.exit_code == 0, result.output
    assert "SG-ESSENTIAL-40-21-B" in result.stdout
    assert "HYPOTHETICAL" in result.stdout and "INVENTED" in result.stdout
    assert "(36(3))" in result.stdout


def test_check_json_full() -> None:
    result = runner.invoke(app, ["check", str(BASE), "--json", "--explain", "full"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["outcome"] == "consult"
    assert len(record["findings"]) == sum(record["counts"].values())
    assert record["inputs"]


def test_check_explain_fails_hides_passes() -> None:
    result = runner.invoke(app, ["check", str(BASE), "--json", "--explain", "fails"])
    record = json.loads(result.stdout)
    assert {f["outcome"] for f in record["findings"]} <= {"refuse", "missing", "consult"}


def test_check_record_status_has_no_basis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # nothing stored in a fresh home: the bundled depositary record is read, and says so
    monkeypatch.setenv("TREATYDESK_HOME", str(tmp_path))
    result = runner.invoke(app, ["check", str(BASE), "--json", "--status", "record"])
    record = json.loads(result.stdout)
    assert any("bundled partial depositary record" in note for note in record["inputs"])
    assert record["outcome"] == "refuse"
    assert any(f["rule_id"] == "SG-FORCE-65" and "No Convention basis" in f["sentence"]
               for f in record["findings"])


def test_check_on_date_before_entry_into_force() -> None:
    result = runner.invoke(app, ["check", str(BASE), "--json", "--on", "2026-12-31"])
    record = json.loads(result.stdout)
    assert record["outcome"] == "refuse" and record["on"] == "2026-12-31"


@pytest.mark.parametrize("args, words", [
    (["--on", "yesterday"], "not a date"),
    (["--policy", "nope.yaml"], "cannot read file"),
    (["--parties", "/nonexistent"], "not a directory"),
    (["--status", "nope.yaml"], "cannot read file"),
])
def test_check_bad_options(args: list[str], words: str) -> None:
    result = runner.invoke(app, ["check", str(BASE), *args])
    assert isinstance(result.exception, TreatyDeskError)
    assert words in str(result.exception)


def test_check_bad_request(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"kind": "x"}')
    result = runner.invoke(app, ["check", str(path)])
    assert isinstance(result.exception, TreatyDeskError)
    assert "kind" in str(result.exception)


def test_check_needs_exactly_one_input() -> None:
    result = runner.invoke(app, ["check"])
    assert isinstance(result.exception, TreatyDeskError)


def test_batch_jsonl_counts_and_invalid_lines(tmp_path: Path) -> None:
    good = json.dumps(json.loads(BASE.read_text()))
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([good, "not json", good, '{"kind": 3}', ""]) + "\n")
    result = runner.invoke(app, ["check", "--batch", str(path), "--json"])
    assert result.exit_code == 2
    body = json.loads(result.stdout)
    assert body["checked"] == 4
    assert body["counts"]["consult"] == 2
    assert [entry["where"] for entry in body["invalid"]] == [f"{path}:2", f"{path}:4"]


def test_batch_directory_human(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(BASE.read_text())
    (tmp_path / "b.json").write_text("[]")
    result = runner.invoke(app, ["check", "--batch", str(tmp_path)])
    assert result.exit_code == 2
    assert "invalid input" in result.stdout
    assert "b.json" in result.stderr


def test_batch_all_valid_exit_zero(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(BASE.read_text())
    result = runner.invoke(app, ["check", "--batch", str(tmp_path)])
    assert result.exit_code == 0, result.output
