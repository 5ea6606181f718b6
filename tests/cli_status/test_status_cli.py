"""`treatydesk init` and `treatydesk status ...` through the real entry point: output, exit codes,
and that bad input writes nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from cli_harness import Invoke
from xml_samples import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    FIRST,
    MAINTENANCE_PAGE,
    NOT_XML,
    SECOND,
)

from treatydesk.services import status as status_service
from treatydesk.untc import fetch


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _snapshot_ids(cli: Invoke) -> list[int]:
    outcome = cli("status", "snapshots", "--json")
    assert outcome.exit_code == 0, outcome.stderr
    return [item["id"] for item in json.loads(outcome.stdout)["items"]]


def _fails(outcome: Any, *words: str) -> None:
    assert outcome.exit_code == 2
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), outcome.stderr
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in outcome.stderr


def test_init_imports_the_bundled_snapshot_once(cli: Invoke, home: Path) -> None:
    first = cli("init")
    assert first.exit_code == 0, first.stderr
    assert "imported the bundled snapshot of XVIII-16 as #1" in first.stdout
    assert home.is_dir()
    again = cli("init")
    assert again.exit_code == 0
    assert "already stored (nothing imported)" in again.stdout
    assert _snapshot_ids(cli) == [1]


def test_status_shows_position_counts_and_table(cli: Invoke) -> None:
    cli("init")
    outcome = cli("status", "--on", "2026-02-10")
    assert outcome.exit_code == 0, outcome.stderr
    assert "Entry into force (Art 65(1)): 0 of 40 instruments counted, 40 missing" in outcome.stdout
    assert "not in force on 2026-02-10" in outcome.stdout
    assert "PARTIAL snapshot #1" in outcome.stdout
    assert "Austria" in outcome.stdout


def test_status_after_import_counts_consents(cli: Invoke, tmp_path: Path) -> None:
    assert cli("status", "import", _write(tmp_path, "a.xml", SECOND)).exit_code == 0
    data = json.loads(cli("status", "--json", "--on", "2026-06-01").stdout)
    eif = data["entry_into_force"]
    assert (eif["counted"], eif["missing"], eif["threshold"]) == (3, 37, 40)
    assert eif["article"] == "Art 65(1)" and eif["in_force"] is False
    assert data["counts"]["consents_by_kind"]["accession"] == 1
    assert data["counts"]["signatories"] == 3
    assert [p["key"] for p in data["participants"]] == ["AUT", "BRA", "VNM", "PLW"]


def test_status_csv_is_parseable(cli: Invoke, tmp_path: Path) -> None:
    cli("status", "import", _write(tmp_path, "a.xml", SECOND))
    outcome = cli("status", "--csv")
    rows = list(csv.DictReader(io.StringIO(outcome.stdout)))
    assert rows[0]["key"] == "AUT" and rows[0]["consent"] == "2026-03-02"
    assert rows[3]["consent_kind"] == "accession" and rows[3]["signature"] == ""


def test_import_prints_the_diff_against_the_previous_snapshot(
    cli: Invoke, tmp_path: Path
) -> None:
    first = cli("status", "import", _write(tmp_path, "1.xml", FIRST))
    assert "first snapshot of this treaty" in first.stdout
    second = cli("status", "import", _write(tmp_path, "2.xml", SECOND))
    assert second.exit_code == 0, second.stderr
    assert "changes since snapshot #1" in second.stdout
    assert "Palau" in second.stdout
    same = cli("status", "import", _write(tmp_path, "3.xml", SECOND))
    assert "identical to stored snapshot #2; nothing stored" in same.stdout
    assert _snapshot_ids(cli) == [2, 1]

    diff = json.loads(cli("status", "diff", "--json").stdout)
    assert (diff["old_id"], diff["new_id"]) == (1, 2)
    assert diff["counts"]["new_participant"] == 1
    explicit = cli("status", "diff", "2", "1")
    assert explicit.exit_code == 0 and "#2" in explicit.stdout


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (BILLION_LAUGHS, ("entities",)),
        (EXTERNAL_ENTITY, ("entities",)),
        (NOT_XML, ("not well-formed",)),
        (MAINTENANCE_PAGE, ("HTML",)),
    ],
)
def test_import_refuses_bad_files_and_writes_nothing(
    cli: Invoke, tmp_path: Path, data: bytes, words: tuple[str, ...]
) -> None:
    cli("init")
    _fails(cli("status", "import", _write(tmp_path, "bad.xml", data)), *words)
    assert _snapshot_ids(cli) == [1]


def test_import_of_a_missing_file(cli: Invoke, tmp_path: Path) -> None:
    _fails(cli("status", "import", str(tmp_path / "nope.xml")), "no such file")
    _fails(cli("status", "import", "ftp://example.org/x.xml"), "only local files")


def _offline(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("no network", request=request)


def _maintenance(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=MAINTENANCE_PAGE, headers={"content-type": "text/html"})


def _serves_second(request: httpx.Request) -> httpx.Response:
    assert str(request.url) == fetch.XVIII_16_URL
    return httpx.Response(200, content=SECOND, headers={"content-type": "text/xml"})


@pytest.mark.parametrize(
    ("handler", "ok"), [(_offline, False), (_maintenance, False), (_serves_second, True)]
)
def test_sync(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch, handler: Any, ok: bool
) -> None:
    cli("init")

    def read_with_mock(location: str, **kwargs: Any) -> tuple[bytes, str]:
        kwargs["client"] = httpx.Client(transport=httpx.MockTransport(handler))
        return fetch.read_source(location, **kwargs)

    monkeypatch.setattr(status_service, "read_source", read_with_mock)
    outcome = cli("status", "sync")
    if ok:
        assert outcome.exit_code == 0, outcome.stderr
        assert "stored snapshot #2" in outcome.stdout
        assert _snapshot_ids(cli) == [2, 1]
    else:
        _fails(outcome)
        assert _snapshot_ids(cli) == [1]


def test_party_shows_footnotes_and_declarations(cli: Invoke, tmp_path: Path) -> None:
    cli("status", "import", _write(tmp_path, "2.xml", SECOND))
    brazil = cli("status", "party", "brazil")
    assert brazil.exit_code == 0, brazil.stderr
    assert "[1] A note on Brazil." in brazil.stdout
    austria = json.loads(cli("status", "party", "AUT", "--json").stdout)
    assert austria["consent"] == "2026-03-02"
    assert austria["declarations"][0]["articles"] == ["42(3)"]


def test_project_has_method_and_caveat(cli: Invoke) -> None:
    cli("init")
    data = json.loads(cli("status", "project", "--json", "--on", "2026-02-10").stdout)
    assert data["threshold"] == 40 and data["caveat"] and data["method"]
    text = cli("status", "project")
    assert "caveat:" in text.stdout and "method:" in text.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("status", "--on", "2026-02-30"), ("--on", "2026-02-30", "YYYY-MM-DD")),
        (("status", "project", "--on", "yesterday"), ("--on",)),
        (("status", "--treaty", "XXIII-99"), ("XXIII-99",)),
        (("status", "--json", "--csv"), ("--json", "--csv")),
        (("status", "party", "Atlantis"), ("Atlantis",)),
        (("status", "diff", "1", "9"), ("id 9",)),
        (("status", "diff"), ("only one snapshot",)),
        (("status", "snapshots", "--limit", "0"), ("limit",)),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    cli: Invoke, args: tuple[str, ...], words: tuple[str, ...]
) -> None:
    cli("init")
    _fails(cli(*args), *words)
    assert _snapshot_ids(cli) == [1]


def test_read_commands_on_an_empty_database_say_what_to_do(cli: Invoke) -> None:
    _fails(cli("status"), "treatydesk init")
    _fails(cli("status", "diff"), "treatydesk init")


def test_init_creates_a_home_only_its_owner_can_read(cli: Invoke, home: Path) -> None:
    # the home holds the database with password hashes and case data
    assert not home.exists()
    result = cli("init")
    assert result.exit_code == 0, result.stderr
    assert home.stat().st_mode & 0o777 == 0o700
