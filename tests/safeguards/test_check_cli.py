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


def _folder_of_one(tmp_path: Path) -> Path:
    (tmp_path / "a.json").write_text(BASE.read_text())
    return tmp_path


@pytest.mark.parametrize("level, shown, hidden", [
    ("full", ["SG-ESSENTIAL-40-21-B", "pass (", "\n      on = 2027-03-01"], []),
    ("fails", ["SG-ESSENTIAL-40-21-B"], ["pass (", "\n      on = 2027-03-01"]),
    (None, [], ["SG-ESSENTIAL-40-21-B", "pass ("]),
])
def test_batch_human_output_shows_each_request_at_the_explain_level(
        tmp_path: Path, level: str | None, shown: list[str], hidden: list[str]) -> None:
    folder = _folder_of_one(tmp_path)
    result = runner.invoke(app, ["check", "--batch", str(folder)]
                           + (["--explain", level] if level else []))
    assert result.exit_code == 0, result.output
    assert "1 request(s) from" in result.stdout
    assert (f"{folder / 'a.json'}\nXAA-CA-2027-0001 (subscriber_information" in result.stdout
            ) is (level is not None)
    assert all(text in result.stdout for text in shown), result.stdout
    assert not any(text in result.stdout for text in hidden), result.stdout
    # the notes on the inputs are printed once, after the counts
    assert result.stdout.count("note: policy:") == 1


def test_batch_from_stdin_reads_jsonl_with_the_same_limits_and_errors(tmp_path: Path) -> None:
    good = json.dumps(json.loads(BASE.read_text()))
    lines = [good, '{"kind": "a", "kind": "b"}', "", '{"kind": 3}', " " * 1_500_000 + "{}",
             '{"a": 1']
    result = runner.invoke(app, ["check", "--batch", "-", "--json"],
                           input="\n".join(lines) + "\n")
    assert result.exit_code == 2, result.output
    body = json.loads(result.stdout)
    assert body["checked"] == 5 and body["counts"]["consult"] == 1
    assert [(entry["where"], entry["error"]) for entry in body["invalid"]] == [
        ("stdin:2", "stdin:2:15: duplicate key 'kind' in one object; each field may appear "
                    "once"),
        ("stdin:4", "stdin:4: 7 problems in the request"),
        ("stdin:5", "stdin:5: line is larger than the 1000000 byte limit of a request"),
        ("stdin:6", "stdin:6:8: not valid JSON (Expecting ',' delimiter)"),
    ]
    assert body["decisions"][0]["source"] == "stdin:1"
    empty = runner.invoke(app, ["check", "--batch", "-"], input="\n")
    assert isinstance(empty.exception, TreatyDeskError)
    assert str(empty.exception).startswith("stdin: no requests found (expected a JSONL file")


def test_batch_positions_are_file_line_column_in_a_jsonl_file_and_in_a_folder(
        tmp_path: Path) -> None:
    # a JSONL line is a document of its own to the decoder; its error is shown at the file's
    # line, as a folder's file is shown at its own
    bad = '{"kind": "a", "kind": "b"}'
    jsonl = tmp_path / "batch.jsonl"
    jsonl.write_text(f"\n{bad}\r\n")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r.json").write_text(bad)
    for target, where, error in ((jsonl, f"{jsonl}:2", f"{jsonl}:2:15"),
                                 (folder, f"{folder / 'r.json'}", f"{folder / 'r.json'}:1:15")):
        result = runner.invoke(app, ["check", "--batch", str(target), "--json"])
        entry = json.loads(result.stdout)["invalid"][0]
        assert (entry["where"], entry["error"]) == (
            where, f"{error}: duplicate key 'kind' in one object; each field may appear once")
        human = runner.invoke(app, ["check", "--batch", str(target)])
        assert f"invalid: {error}: duplicate key 'kind'" in human.stderr


def test_one_request_from_stdin_is_named_stdin() -> None:
    result = runner.invoke(app, ["check", "-"], input='{"kind": "a", "kind": "b"}')
    assert isinstance(result.exception, TreatyDeskError)
    assert str(result.exception).startswith("stdin:1:15: duplicate key 'kind'")
