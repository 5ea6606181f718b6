"""`treatydesk article`, `articles`, `figures`: output, --json, and errors with exit code 2."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from treatydesk.cli import convention_cmds
from treatydesk.errors import InvalidInput, NotFound

runner = CliRunner()


def _app() -> typer.Typer:
    # built from register() alone, so these tests do not depend on other command families
    app = typer.Typer()
    convention_cmds.register(app)
    app.command("noop", hidden=True)(lambda: None)  # keep Typer in multi-command mode
    return app


def test_article_text() -> None:
    result = runner.invoke(_app(), ["article", "40"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Article 40  General principles and procedures relating to mutual legal" in out
    assert "Chapter V, International cooperation" in out
    assert "(15) [R] Required contents" in out
    assert "(c) [R] Summary of the relevant facts" in out
    assert "(22) [V]" in out


def test_article_shows_figures_citing_it() -> None:
    out = runner.invoke(_app(), ["article", "65"]).output
    assert "entry_into_force_instruments = 40 instruments (65(1)) [V]" in out
    assert "later_party_delay_days = 30 days (65(2)) [R]" in out


def test_article_json() -> None:
    result = runner.invoke(_app(), ["article", "2", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["number"] == 2 and data["chapter"] == "I"
    assert [p["label"] for p in data["paragraphs"]][7] == "h"
    assert data["figures"][0]["id"] == "serious_crime_threshold_years"


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        (["article", "99"], NotFound, "article 99 does not exist"),
        (["article", "0"], NotFound, "article 0 does not exist"),
        (["article", "abc"], InvalidInput, "must be a number from 1 to 68"),
        (["article", "40(15)"], InvalidInput, "must be a number"),
        (["articles", "--chapter", "XII"], InvalidInput, "chapter 'XII' does not exist"),
        (["articles", "--chapter", "10"], InvalidInput, "chapters I-IX"),
    ],
)
def test_bad_input_raises_core_errors(args: list[str], error: type, words: str) -> None:
    result = runner.invoke(_app(), args)
    assert isinstance(result.exception, error)
    assert words in str(result.exception)
    assert result.output == ""  # nothing half-printed


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["article", "99"], "article 99 does not exist"),
        (["article", "abc"], "must be a number"),
        (["articles", "--chapter", "XII"], "chapter 'XII' does not exist"),
    ],
)
def test_main_maps_errors_to_exit_code_2(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main = pytest.importorskip("treatydesk.cli.main")
    with pytest.raises(SystemExit) as caught:
        main.run(argv)
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert "error:" in captured.err and words in captured.err


def test_negative_article_is_a_usage_error() -> None:
    result = runner.invoke(_app(), ["article", "-3"])
    assert result.exit_code == 2
    assert "-3" in result.output


def test_articles_by_chapter_roman_or_arabic() -> None:
    roman = runner.invoke(_app(), ["articles", "--chapter", "V", "--json"])
    arabic = runner.invoke(_app(), ["articles", "--chapter", "5", "--json"])
    assert roman.exit_code == arabic.exit_code == 0
    assert roman.output == arabic.output
    numbers = [item["number"] for item in json.loads(roman.output)]
    assert numbers == list(range(35, 53))


def test_articles_text_lists_all() -> None:
    result = runner.invoke(_app(), ["articles"])
    assert result.exit_code == 0
    assert "Depositary and languages" in result.output
    assert "[V]" in result.output and "[R]" in result.output
    assert len(json.loads(runner.invoke(_app(), ["articles", "--json"]).output)) == 68


def test_figures() -> None:
    result = runner.invoke(_app(), ["figures", "--json"])
    assert result.exit_code == 0
    figures = {item["id"]: item for item in json.loads(result.output)}
    assert figures["signature_closes"]["value"] == "2026-12-31"
    assert figures["later_party_delay_days"]["verified"] is False
    text = runner.invoke(_app(), ["figures"], env={"COLUMNS": "200"}).output
    assert "serious_crime_threshold_years" in text and "[R]" in text and "[V]" in text
