"""Hostile and malformed input to the status commands, after a review that tried to break
them: each case gets one error line and exit 2, or the warning it deserves, and a failed import
writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_harness import Invoke
from xml_samples import FIRST, FOOTER, HEADER, SECOND, status_xml


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _fails(cli: Invoke, *args: str, words: tuple[str, ...] = ()) -> None:
    outcome = cli(*args)
    assert outcome.exit_code == 2, (outcome.stdout, outcome.stderr)
    assert "Traceback" not in outcome.stderr
    for word in words:
        assert word in outcome.stderr, outcome.stderr


def _stored(cli: Invoke) -> int:
    outcome = cli("status", "snapshots", "--json")
    return int(json.loads(outcome.stdout)["total"]) if outcome.exit_code == 0 else 0


@pytest.mark.parametrize("args, words", [
    (("status", "party", "[/]"), ("'[/]'",)),
    (("article", "[/]"), ("'[/]'",)),
    (("article", "²"), ("'²'",)),
    (("article", "9" * 5000), ("article must be a number",)),
    (("articles", "--chapter", "²"), ("'²'",)),
    (("articles", "--chapter", "9" * 5000), ("does not exist",)),
    (("status", "project", "--on", "9999-12-31"), ("outside",)),
    (("status", "--on", "0001-01-01"), ("outside",)),
    (("status", "diff", "99999999999999999999999", "1"), ()),
    (("status", "snapshots", "--offset", "99999999999999999999999"), ()),
    (("status", "import", ""), ("no file given",)),
])
def test_bad_arguments_are_one_clear_error(cli: Invoke, args: tuple[str, ...],
                                           words: tuple[str, ...]) -> None:
    cli("init")
    _fails(cli, *args, words=words)


def test_a_directory_is_not_called_missing(cli: Invoke, tmp_path: Path) -> None:
    _fails(cli, "status", "import", str(tmp_path), words=("is a directory",))


@pytest.mark.parametrize("cell, words", [
    ("31 Dec 9999", ("year from 1900 to 2200",)),
    ("25 Oct 0001", ("year from 1900 to 2200",)),
    ("25 Junk 2025", ("expected a date like 25 Oct 2025",)),
    ("25 Octopus 2025", ("expected a date like 25 Oct 2025",)),
    ("25 octobre 2025", ("expected a date like 25 Oct 2025",)),
    ("\u0662\u0665 Oct \u0662\u0660\u0662\u0665", ("expected a date like 25 Oct 2025",)),
    ("25 Oct [/] 2025", ("'25 Oct [/] 2025'",)),
])
def test_dates_that_are_no_depositary_dates_are_refused(
        cli: Invoke, tmp_path: Path, cell: str, words: tuple[str, ...]) -> None:
    data = status_xml([("Austria", "25 Oct 2025", cell)])
    _fails(cli, "status", "import", _write(tmp_path, "d.xml", data), words=words)
    assert _stored(cli) == 0


@pytest.mark.parametrize("cell", ["25 Sept 2025", "25 September 2025", "25 Sep. 2025"])
def test_month_names_in_full_or_abbreviated_are_read(cli: Invoke, tmp_path: Path,
                                                     cell: str) -> None:
    data = status_xml([("Austria", "25 Oct 2025", cell)])
    outcome = cli("status", "import", _write(tmp_path, "d.xml", data), "--json")
    assert outcome.exit_code == 0, outcome.stderr
    party = json.loads(cli("status", "party", "Austria", "--json").stdout)
    assert party["consent"] == "2025-09-25"


def test_a_long_run_of_spaces_after_an_escaped_marker_is_read_quickly(
        cli: Invoke, tmp_path: Path) -> None:
    # the marker regex used to try every split of the run: 7.6 KB took 30 s
    text = "&lt;superscript&gt;1" + " " * 40_000 + "x"
    data = (HEADER + "<Row><Entry>Austria</Entry><Entry>25 Oct 2025</Entry><Entry></Entry>"
            "</Row>\n" + FOOTER.replace("that it will preserve data.",
                                        f"that it will preserve data. {text}")).encode()
    outcome = cli("status", "import", _write(tmp_path, "slow.xml", data))
    assert outcome.exit_code == 0, outcome.stderr


def test_an_empty_or_oversized_participant_table_is_refused(cli: Invoke,
                                                             tmp_path: Path) -> None:
    _fails(cli, "status", "import", _write(tmp_path, "none.xml", status_xml([])),
           words=("no rows",))
    many = status_xml([(f"Land {n}", "25 Oct 2025", "") for n in range(1001)])
    _fails(cli, "status", "import", _write(tmp_path, "many.xml", many),
           words=("1001 rows", "more than the 1000"))
    assert _stored(cli) == 0


def test_a_missing_signature_column_is_said(cli: Invoke, tmp_path: Path) -> None:
    data = FIRST.replace(b"<Entry>Signature</Entry>", b"<Entry>Foo</Entry>")
    outcome = cli("status", "import", _write(tmp_path, "nosig.xml", data))
    assert outcome.exit_code == 0, outcome.stderr
    assert "no Signature column in the table header" in outcome.stdout


def test_every_declarations_section_is_read(cli: Invoke, tmp_path: Path) -> None:
    second = ("<Declarations><Declaration><Participant>Viet Nam</Participant>"
              "<Text>Viet Nam reserves article 35.</Text></Declaration></Declarations>")
    data = FIRST.replace(b"<EndNotes>", second.encode() + b"<EndNotes>")
    assert cli("status", "import", _write(tmp_path, "two.xml", data)).exit_code == 0
    party = json.loads(cli("status", "party", "Viet Nam", "--json").stdout)
    assert [d["articles"] for d in party["declarations"]] == [["35"]]
    austria = json.loads(cli("status", "party", "Austria", "--json").stdout)
    assert len(austria["declarations"]) == 1


def test_many_bad_rows_list_a_bounded_number_of_problems(cli: Invoke, tmp_path: Path) -> None:
    rows = [(f"Land {n}", "31 Foo 2025", "") for n in range(300)]
    outcome = cli("status", "import", _write(tmp_path, "bad.xml", status_xml(rows)))
    assert outcome.exit_code == 2
    assert "(and 299 more problems; the first 50 are listed)" in outcome.stderr
    assert len(outcome.stderr) < 20_000


def test_snapshots_of_two_treaties_are_not_compared(cli: Invoke, tmp_path: Path) -> None:
    other = SECOND.replace(b"16. United Nations", b"12. United Nations")
    assert cli("status", "import", _write(tmp_path, "a.xml", FIRST)).exit_code == 0
    assert cli("status", "import", _write(tmp_path, "b.xml", other)).exit_code == 0
    _fails(cli, "status", "diff", "1", "2", words=("#1 is of XVIII-16", "#2 of XVIII-12"))


def test_csv_cells_cannot_start_a_formula(cli: Invoke, tmp_path: Path) -> None:
    data = status_xml([("=HYPERLINK(&quot;http://x.invalid&quot;)", "25 Oct 2025", ""),
                       ("+cmd", "25 Oct 2025", ""), ("Evil&#x9b;31mLand", "25 Oct 2025", "")])
    assert cli("status", "import", _write(tmp_path, "csv.xml", data)).exit_code == 0
    outcome = cli("status", "--csv")
    assert outcome.exit_code == 0, outcome.stderr
    assert "'=HYPERLINK" in outcome.stdout and "'+cmd" in outcome.stdout
    assert "\x9b" not in outcome.stdout and "Evil\\x9b31mLand" in outcome.stdout


@pytest.mark.parametrize("row, warning", [
    (("Austria", "25 Oct 2025 a", ""),
     "warning: line 10, Row 1: the Signature cell '25 Oct 2025 a' carries the action suffix "
     "'a', which a signature cannot have; the date was kept and the suffix ignored"),
    (("Austria", "25 Oct 2025", "2 Mar 2025"),
     "warning: line 10, Row 1: the ratification '2 Mar 2025' (column Ratification, "
     "Acceptance(A), Approval(AA), Accession(a), Succession(d)) is dated before the signature "
     "'25 Oct 2025' (column Signature); a ratification, acceptance or approval confirms an "
     "earlier signature, so one of the dates may be mistyped; both were kept as the record "
     "gives them"),
])
def test_doubtful_dates_are_imported_with_a_warning(cli: Invoke, tmp_path: Path,
                                                     row: tuple[str, str, str],
                                                     warning: str) -> None:
    outcome = cli("status", "import", _write(tmp_path, "w.xml", status_xml([row])))
    assert outcome.exit_code == 0, outcome.stderr
    assert warning in outcome.stdout
    # stored with the snapshot, so the status report shows it too
    assert warning in cli("status").stdout
    party = json.loads(cli("status", "party", "Austria", "--json").stdout)
    assert party["signature"] == "2025-10-25"


def test_warnings_about_single_rows_are_listed_up_to_fifty(cli: Invoke, tmp_path: Path) -> None:
    # 60 names with no ISO 3166 code: each row is worth a warning, but not 60 lines of them
    data = status_xml([(f"Land {n}", "25 Oct 2025", "") for n in range(60)])
    outcome = cli("status", "import", _write(tmp_path, "lands.xml", data))
    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.count("has no known ISO 3166 code") == 50
    assert "and 10 more warnings about single rows; the first 50 are listed" in outcome.stdout
