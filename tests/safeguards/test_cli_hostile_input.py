"""Hostile and malformed input to `treatydesk request` and `treatydesk check`, through the real
entry point (`cli.main.run`, which prints TreatyDesk's errors): never a traceback, exit 2,
a message naming the problem and where it is, and nothing printed that could drive the
terminal."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from treatydesk.cli.main import run
from treatydesk.errors import DataFileError
from treatydesk.safeguards.policy import load_policy

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "examples" / "requests" / "mla_fraud.json"


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as ended:
        run(list(args))
    out, err = capsys.readouterr()
    code = ended.value.code
    return (code if isinstance(code, int) else 0 if code is None else 1), out, err


def request_file(tmp_path: Path, name: str = "r.json", **changes: Any) -> Path:
    data = json.loads(BASE.read_text())
    data.update(changes)
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


# ------------------------------------------------------------------ markup and control codes

@pytest.mark.parametrize("args, shown", [
    (["request", "template", "x[/]"], "'x[/]'"),
    (["request", "template", "[red]k"], "'[red]k'"),
    (["check", str(BASE), "--on", "[/]"], "'[/]'"),
])
def test_square_brackets_in_arguments_are_shown_not_interpreted(
        capsys: pytest.CaptureFixture[str], args: list[str], shown: str) -> None:
    code, _, err = call(capsys, *args)
    assert code == 2
    assert shown in err and "Traceback" not in err


def test_square_brackets_in_a_request_are_printed_as_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = request_file(tmp_path, reference="XAA-[/]-[bold]1")
    code, out, _ = call(capsys, "check", str(path))
    assert code == 0
    assert "XAA-[/]-[bold]1" in out


def test_a_batch_folder_named_with_brackets(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in[bold]x"  # a closing tag would need a "/"
    folder.mkdir()
    (folder / "[red]a.json").write_text(BASE.read_text())
    (folder / "[red]b.json").write_text("[]")
    code, out, err = call(capsys, "check", "--batch", str(folder))
    assert code == 2
    assert "in[bold]x" in out and "[red]b.json" in err


@pytest.mark.parametrize("field", ["reference", "offences"])
def test_control_characters_in_request_text_are_refused_with_their_path(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str) -> None:
    data = json.loads(BASE.read_text())
    if field == "reference":
        data["reference"] = "A\x1b[2JB"
        where = "reference"
    else:
        data["offences"][0]["label"] = "Fraud\r\nFAKE: pass"
        where = "offences[0].label"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data))
    code, out, err = call(capsys, "request", "validate", str(path))
    assert code == 2
    assert f"{where}: contains a control character" in err
    assert "\x1b" not in out + err and "\r" not in out + err


def test_line_breaks_stay_allowed_in_passages_of_text(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = request_file(tmp_path, facts_summary="First line.\n\tSecond line.")
    code, _, err = call(capsys, "request", "validate", str(path))
    assert code == 0, err


def test_control_characters_in_errors_are_shown_escaped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"kind": "\\u001b[2J", "x\\u0007": 1}')
    code, out, err = call(capsys, "request", "validate", str(path))
    assert code == 2
    assert "\x1b" not in out + err and "\x07" not in out + err


# ---------------------------------------------------------------------------- JSON itself

@pytest.mark.parametrize("text, words", [
    ('{"a": 1, "a": 2}', ["r.json:1:", "duplicate key 'a'"]),
    ('{"a": NaN}', ["NaN is not a number JSON allows"]),
    ('{"a": -Infinity}', ["-Infinity is not a number JSON allows"]),
    ('{"a": 1e999}', ["1e999 is too large a number"]),
    ('{"a": ' + "7" * 5000 + "}", ["a number of 5000 digits"]),
])
def test_json_no_request_may_hold(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  text: str, words: list[str]) -> None:
    path = tmp_path / "r.json"
    path.write_text(text)
    for command in (["request", "validate"], ["check"]):
        code, _, err = call(capsys, *command, str(path))
        assert code == 2
        assert all(word in err for word in words), err


def test_a_duplicated_party_is_refused_not_decided(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    text = BASE.read_text().replace('"requested_party": "XAB"',
                                    '"requested_party": "XAB", "requested_party": "XAD"')
    path = tmp_path / "r.json"
    path.write_text(text)
    code, out, err = call(capsys, "check", str(path))
    assert code == 2 and out == ""
    assert "duplicate key 'requested_party'" in err


def test_a_huge_number_in_one_batch_line_does_not_lose_the_batch(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = json.dumps(json.loads(BASE.read_text()))
    path = tmp_path / "batch.jsonl"
    path.write_text(good + '\n{"a": ' + "9" * 5000 + "}\n" + good + "\n")
    code, out, _ = call(capsys, "check", "--batch", str(path), "--json")
    body = json.loads(out)
    assert code == 2 and body["checked"] == 3
    assert sum(body["counts"].values()) == 2
    assert body["invalid"][0]["where"] == f"{path}:2"


# ------------------------------------------------------------------------------ field values

@pytest.mark.parametrize("change, where, words", [
    ({"date": 0}, "date", "YYYY-MM-DD"),
    ({"date": "20270301"}, "date", "YYYY-MM-DD"),
    ({"confidentiality": "yes"}, "confidentiality", "boolean"),
    ({"offences": [{"label": "F", "conduct_description": "He hacked a server.",
                    "legal_provision": "s. 1", "max_penalty_years": True}]},
     "offences[0].max_penalty_years", "number"),
])
def test_values_are_taken_only_as_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict[str, Any],
        where: str, words: str) -> None:
    path = request_file(tmp_path, **change)
    code, _, err = call(capsys, "request", "validate", str(path))
    assert code == 2
    assert where in err and words in err, err


def test_a_date_before_the_convention_is_refused_with_the_reason(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = request_file(tmp_path, date="2020-01-01")
    code, out, _ = call(capsys, "check", str(path), "--json")
    record = json.loads(out)
    assert code == 0 and record["outcome"] == "refuse"
    force = [f for f in record["findings"] if f["rule_id"] == "SG-FORCE-65"]
    assert force and force[0]["outcome"] == "refuse"


def test_an_unknown_party_in_the_wrong_case_gets_a_suggestion(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = request_file(tmp_path, requested_party="xab")
    code, out, _ = call(capsys, "check", str(path), "--json")
    record = json.loads(out)
    assert code == 0
    assert any("did you mean XAB" in note for note in record["inputs"]), record["inputs"]


def test_a_policy_threshold_of_nan_is_refused_with_its_line(tmp_path: Path) -> None:
    yes = tmp_path / "yes.yaml"
    yes.write_text("name: p\nmax_subjects: yes\n")  # YAML reads yes as true, not 1
    with pytest.raises(DataFileError, match="max_subjects") as caught:
        load_policy(yes)
    assert "yes.yaml:2" in str(caught.value)
    pack = tmp_path / "p.yaml"
    pack.write_text("name: p\nindicator_thresholds:\n"
                    "  - {indicator: x, comparison: '>=', value: .nan}\n")
    with pytest.raises(DataFileError, match="finite") as caught:
        load_policy(pack)
    assert "p.yaml:3" in str(caught.value)


# --------------------------------------------------------------------- what is read, and how

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_refused_not_waited_on(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    code, _, err = call(capsys, "check", str(fifo))
    assert code == 2 and "not a regular file" in err
    code, _, err = call(capsys, "check", "--batch", str(fifo))
    assert code == 2 and "not a regular file (a directory, pipe or device); give a JSONL file " \
        "(one request per line), a folder of *.json files, or - for JSONL on standard input" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_unreadable_entries_of_a_batch_folder_are_reported_and_the_rest_decided(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.json").write_text(BASE.read_text())
    os.mkfifo(tmp_path / "b.json")
    (tmp_path / "c.json").symlink_to(tmp_path / "missing.json")
    (tmp_path / "d.json").mkdir()
    (tmp_path / "loop.json").symlink_to(tmp_path / "loop.json")
    (tmp_path / "E.JSON").write_text(BASE.read_text())
    (tmp_path / ".hidden.json").write_text("[]")
    code, out, _ = call(capsys, "check", "--batch", str(tmp_path), "--json")
    body = json.loads(out)
    assert code == 2
    assert sum(body["counts"].values()) == 2  # a.json and E.JSON
    assert sorted(Path(entry["where"]).name for entry in body["invalid"]) == [
        "b.json", "c.json", "d.json", "loop.json"]


def test_a_request_larger_than_the_limit_is_refused_without_reading_it_all(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.json"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB that cost no disk
    code, _, err = call(capsys, "check", str(path))
    assert code == 2 and "byte limit" in err


def test_an_overlong_batch_line_is_one_invalid_item(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = json.dumps(json.loads(BASE.read_text()))
    path = tmp_path / "batch.jsonl"
    path.write_text(good + "\n" + " " * 1_500_000 + "{}\n" + good)
    code, out, _ = call(capsys, "check", "--batch", str(path), "--json")
    body = json.loads(out)
    assert code == 2 and sum(body["counts"].values()) == 2
    assert body["invalid"][0]["where"] == f"{path}:2"
    assert "byte limit" in body["invalid"][0]["error"]


@pytest.mark.parametrize("make", ["empty_dir", "empty_file", "blank_lines"])
def test_an_empty_batch_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    make: str) -> None:
    if make == "empty_dir":
        target = tmp_path / "none"
        target.mkdir()
    else:
        target = tmp_path / "b.jsonl"
        target.write_text("" if make == "empty_file" else "\n\n  \n")
    code, _, err = call(capsys, "check", "--batch", str(target))
    assert code == 2 and "no requests found" in err


def test_a_batch_folder_that_cannot_be_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)  # root lists any folder, so it is staged
    code, _, err = call(capsys, "check", "--batch", str(tmp_path))
    assert code == 2 and "cannot list the folder (Permission denied)" in err
