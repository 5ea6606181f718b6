"""`treatydesk request template|validate` (built from this module's register, so a half-written
sibling command module cannot break these tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from treatydesk.cli import request_cmds

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "examples" / "requests" / "mla_fraud.json"

app = typer.Typer()
request_cmds.register(app)
runner = CliRunner()


def test_template_prints_json_with_help() -> None:
    result = runner.invoke(app, ["request", "template", "preservation"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "preservation"
    assert "preservation.necessity" in data["_help"]


def test_template_unknown_kind() -> None:
    result = runner.invoke(app, ["request", "template", "wiretap"])
    assert result.exit_code != 0
    assert "unknown request kind 'wiretap'" in str(result.exception)


def test_validate_complete_request() -> None:
    result = runner.invoke(app, ["request", "validate", str(BASE)])
    assert result.exit_code == 0, result.output
    assert "complete subscriber_information request" in result.stdout


def test_validate_lists_every_problem_as_json(tmp_path: Path) -> None:
    data = json.loads(BASE.read_text())
    data["offences"][0]["max_penalty_years"] = -1
    data["channel"] = "pigeon"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["request", "validate", str(path), "--json"])
    assert result.exit_code == 2
    body = json.loads(result.stdout)
    assert body["valid"] is False
    assert {p["location"] for p in body["problems"]} == {"offences[0].max_penalty_years",
                                                          "channel"}


def test_validate_reports_missing_contents(tmp_path: Path) -> None:
    data = json.loads(BASE.read_text())
    del data["purpose"]
    path = tmp_path / "incomplete.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["request", "validate", str(path), "--json"])
    assert result.exit_code == 2
    body = json.loads(result.stdout)
    assert body["missing_contents"] == [{"field_path": "purpose", "article": "40(15)(f)",
                                         "what": "the purpose for which the evidence or action "
                                                 "is sought", "where_possible": False}]


def test_validate_lists_but_passes_what_is_asked_only_where_possible(tmp_path: Path) -> None:
    data = json.loads(BASE.read_text())
    data["subjects"] = []
    path = tmp_path / "no-subjects.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["request", "validate", str(path), "--json"])
    assert result.exit_code == 0, result.stdout
    body = json.loads(result.stdout)
    assert body["valid"] is True
    assert [(m["field_path"], m["article"], m["where_possible"])
            for m in body["missing_contents"]] == [("subjects", "40(15)(e)", True)]
    result = runner.invoke(app, ["request", "validate", str(path)])
    assert result.exit_code == 0
    assert "where possible subjects (Art 40(15)(e))" in result.stderr
    assert "is a complete" in result.stdout


@pytest.mark.parametrize("content", [b"null", b"[1,2]", b"\xff", b"{{", b"[" * 100000])
def test_validate_bad_json_is_clear(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    result = runner.invoke(app, ["request", "validate", str(path)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "x.json" in result.stderr


def test_validate_names_stdin_in_words() -> None:
    result = runner.invoke(app, ["request", "validate", "-", "--json"], input="[]")
    assert result.exit_code == 2
    body = json.loads(result.stdout)
    assert body["file"] == "stdin"
    assert body["error"].startswith("stdin: a request must be a JSON object")


def test_validate_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["request", "validate", str(tmp_path / "none.json")])
    assert result.exit_code == 2
    assert "cannot read file" in result.stderr


def test_filled_template_validates(tmp_path: Path) -> None:
    template = json.loads(runner.invoke(app, ["request", "template",
                                              "subscriber_information"]).stdout)
    example = json.loads(BASE.read_text())
    template.update({k: v for k, v in example.items()})
    template["linked_requests"] = []
    template["attachments"] = []
    path = tmp_path / "filled.json"
    path.write_text(json.dumps(template))
    result = runner.invoke(app, ["request", "validate", str(path)])
    assert result.exit_code == 0, result.output
