"""The MTDSG importer against the synthetic fixtures (tests/fixtures/untc/README.md)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treatydesk.errors import SourceUnavailable, StatusImportError
from treatydesk.status.model import ActionKind, DeclarationSection
from treatydesk.untc.mtdsg import parse_mtdsg_date, parse_status_xml

FIXTURES = Path(__file__).parent.parent / "fixtures" / "untc"
WHEN = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


def parse(name: str, **kwargs: int) -> object:
    data = (FIXTURES / name).read_bytes()
    return parse_status_xml(data, source=name, retrieved_at=WHEN, **kwargs)


@pytest.fixture(scope="module")
def v1():  # type: ignore[no-untyped-def]
    return parse("xviii-16-v1.xml")


def test_header(v1) -> None:  # type: ignore[no-untyped-def]
    assert v1.treaty.reference == "XVIII-16"
    assert v1.treaty.title.startswith("United Nations Convention against Cybercrime;")
    assert v1.treaty.conclusion == "New York, 24 December 2024"
    assert v1.treaty.entry_into_force_text == "not yet in force (see article 65)."
    assert v1.treaty.registration is None
    assert (v1.treaty.signatories_count, v1.treaty.parties_count) == (13, 5)
    assert v1.source == "xviii-16-v1.xml" and v1.retrieved_at == WHEN
    assert v1.warnings == ()


def test_latin1_names_map_to_iso(v1) -> None:  # type: ignore[no-untyped-def]
    keys = [p.key for p in v1.participants]
    assert keys == ["DZA", "AZE", "CIV", "CZE", "european-union", "IRN", "MUS", "QAT", "TUR",
                    "VNM", "PLW", "MNE", "PSE", "GBR"]
    assert v1.participant("CIV").name == "Côte d'Ivoire"
    assert v1.participant("TUR").name == "Türkiye"


def test_dates_with_stray_whitespace_and_every_suffix(v1) -> None:  # type: ignore[no-untyped-def]
    aze = v1.participant("AZE")
    assert aze.signature == date(2025, 10, 25)
    assert (aze.action, aze.action_kind) == (date(2026, 3, 12), ActionKind.RATIFICATION)
    assert v1.participant("QAT").action_kind is ActionKind.ACCEPTANCE
    assert v1.participant("european-union").action_kind is ActionKind.APPROVAL
    palau = v1.participant("PLW")
    assert palau.signature is None and palau.action_kind is ActionKind.ACCESSION
    assert v1.participant("MNE").action_kind is ActionKind.SUCCESSION
    assert v1.participant("VNM").action == date(2026, 3, 3)
    assert v1.participant("DZA").action is None and v1.participant("DZA").action_kind is None


def test_eu_is_a_reio_without_iso(v1) -> None:  # type: ignore[no-untyped-def]
    eu = v1.participant("european-union")
    assert eu.is_reio and eu.iso3 is None and eu.name == "European Union"


def test_footnotes_raw_and_escaped_are_stripped_and_kept(v1) -> None:  # type: ignore[no-untyped-def]
    assert v1.participant("CZE").name == "Czech Republic"
    assert v1.participant("CZE").footnotes == ("1",)
    assert v1.participant("european-union").footnotes == ("2",)
    assert "Czechia" in v1.notes["1"]
    assert v1.notes["2"].count("\n\n") == 1  # two paragraphs kept as one note


def test_bracketed_cell_kept_with_a_remark(v1) -> None:  # type: ignore[no-untyped-def]
    qatar = v1.participant("QAT")
    assert qatar.action == date(2026, 2, 2)
    assert len(qatar.remarks) == 1 and "square brackets" in qatar.remarks[0]
    assert "[ 2 Feb 2026 A ]" in qatar.remarks[0]


def test_sections(v1) -> None:  # type: ignore[no-untyped-def]
    aze = v1.participant("AZE").declarations
    assert len(aze) == 1 and aze[0].section is DeclarationSection.DECLARATIONS
    assert aze[0].is_reservation and aze[0].articles == ("11(3)", "11(1)")
    assert aze[0].text.startswith("Reservation:\n\n")
    objection = v1.participant("CZE").declarations[0]
    assert objection.section is DeclarationSection.OBJECTIONS
    assert not objection.is_reservation  # it only quotes the reservation it objects to
    assert v1.participant("VNM").declarations[0].section is (
        DeclarationSection.DECLARATIONS_UNDER_ARTICLE)
    assert v1.participant("VNM").declarations[0].articles == ("40(13)", "41")
    assert v1.participant("TUR").declarations[0].section is DeclarationSection.NOTIFICATIONS
    assert v1.participant("GBR").declarations[0].section is (
        DeclarationSection.TERRITORIAL_APPLICATIONS)
    assert v1.participant("european-union").declarations[0].articles == ("65(2)",)
    assert v1.participant("QAT").declarations[0].articles == ("40(22)",)


def test_comparable_columns_found_by_label_and_unknown_name_warns() -> None:
    snapshot = parse("xviii-12-excerpt.xml")
    assert snapshot.treaty.reference == "XVIII-12"
    assert snapshot.treaty.registration == "29 September 2003, No. 39574"
    algeria = snapshot.participant("DZA")
    assert (algeria.signature, algeria.action) == (date(2000, 12, 12), date(2002, 10, 7))
    for key in ("BOL", "VAT", "NLD", "KOR"):
        assert snapshot.participant(key) is not None
    assert snapshot.participant("NLD").action_kind is ActionKind.ACCEPTANCE
    atlantis = snapshot.participant("kingdom-of-atlantis")
    assert atlantis.iso3 is None and not atlantis.is_reio and atlantis.footnotes == ("2",)
    assert len(snapshot.warnings) == 1
    assert "Kingdom of Atlantis" in snapshot.warnings[0] and "Row 5" in snapshot.warnings[0]
    assert snapshot.participant("DZA").declarations[0].articles == ("35(2)",)
    assert snapshot.participant("DZA").declarations[0].is_reservation


@pytest.mark.parametrize(
    ("name", "error", "words"),
    [
        ("billion-laughs.xml", StatusImportError, ["billion-laughs.xml", "entities", "refused"]),
        ("external-entity.xml", StatusImportError, ["external-entity.xml", "entities"]),
        ("external-dtd.xml", StatusImportError, ["external DTD", "refused"]),
        ("truncated.xml", StatusImportError, ["truncated.xml", "line", "truncated"]),
        ("empty.xml", StatusImportError, ["empty.xml", "empty"]),
        ("wrong-root.xml", StatusImportError, ["line 2", "<Report>", "no <Treaty>"]),
        ("maintenance.html", SourceUnavailable, ["HTML", "maintenance", "not an MTDSG"]),
        ("missing-table.xml", StatusImportError,
         ["no participant table", "Treaty/Participants/Table/TGroup"]),
        ("no-participant-column.xml", StatusImportError,
         ["line 20", "no Participant column", "'State'"]),
        ("wrong-column-count.xml", StatusImportError,
         ["line 24", "Row 1 has 2 entries, expected 3"]),
        ("bad-date.xml", StatusImportError,
         ["bad-date.xml: line 31", "expected a date like 25 Oct 2025 in Row 7, column Signature,"
          " got '31 Foo 2025'"]),
        ("unknown-suffix.xml", StatusImportError,
         ["Row 11", "unknown action suffix 'c'", "A, AA, a, d"]),
    ],
)
def test_hostile_and_broken_files(name: str, error: type[Exception], words: list[str]) -> None:
    with pytest.raises(error) as caught:
        parse(name)
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_byte_check_refuses_entity_declarations_before_parsing(name: str) -> None:
    # the first line of defence (no parse at all), not the parsed DOCTYPE's check
    with pytest.raises(StatusImportError, match="declares XML entities in a DOCTYPE"):
        parse(name)


def test_exclamation_marks_elsewhere_do_not_trip_the_entity_check() -> None:
    data = (FIXTURES / "xviii-16-v1.xml").read_bytes()
    assert b"!" not in data  # the fixture takes the fast path; this copy does not
    marked = data.replace(b"<Treaty>", b"<Treaty><!-- <!DOCTYPE? no! --><?note !?>", 1)
    assert marked != data
    snapshot = parse_status_xml(marked, source="marked", retrieved_at=WHEN)
    assert snapshot.participants == parse("xviii-16-v1.xml").participants


def test_entities_are_never_expanded_even_if_the_byte_check_is_bypassed() -> None:
    # UTF-16 hides "<!ENTITY" from the byte check; the parsed DOCTYPE is still refused
    data = (FIXTURES / "external-entity.xml").read_text(encoding="iso-8859-1")
    encoded = data.replace('encoding="ISO-8859-1"', 'encoding="UTF-16"').encode("utf-16")
    with pytest.raises(StatusImportError, match="entities"):
        parse_status_xml(encoded, source="utf16", retrieved_at=WHEN)


def test_size_cap_refuses_fast(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    with big.open("wb") as handle:
        handle.write(b'<?xml version="1.0"?><TreatyChapterContent><Treaty>')
        chunk = b"<Text>" + b"x" * (1024 * 1024) + b"</Text>"
        for _ in range(50):
            handle.write(chunk)
        handle.write(b"</Treaty></TreatyChapterContent>")
    data = big.read_bytes()
    assert len(data) > 50 * 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(StatusImportError, match="more than the limit of 52428800 bytes"):
        parse_status_xml(data, source="big.xml", retrieved_at=WHEN, max_bytes=50 * 1024 * 1024)
    # refused before parsing: far quicker than lxml reading 50 MB
    assert time.perf_counter() - start < 0.5


def test_duplicate_participant_is_an_error() -> None:
    data = (FIXTURES / "xviii-16-v1.xml").read_bytes().replace(
        b"<Entry>Mauritius</Entry>", b"<Entry>Algeria</Entry>")
    with pytest.raises(StatusImportError, match="Row 7: 'Algeria' is listed twice"):
        parse_status_xml(data, source="dup", retrieved_at=WHEN)


def test_every_bad_row_is_reported_at_once() -> None:
    data = (FIXTURES / "bad-date.xml").read_bytes().replace(b"12 Mar 2026", b"40 Mar 2026")
    with pytest.raises(StatusImportError) as caught:
        parse_status_xml(data, source="two", retrieved_at=WHEN)
    assert len(caught.value.items) == 2
    assert "real calendar date" in str(caught.value) and "and 1 more" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25 Oct 2025", (date(2025, 10, 25), None)),
        ("\t25 Oct 2025\n ", (date(2025, 10, 25), None)),
        ("12 Mar 2004 a", (date(2004, 3, 12), "a")),
        ("1 Jan 2020 AA", (date(2020, 1, 1), "AA")),
        ("6 June 2026 d", (date(2026, 6, 6), "d")),
        ("", (None, None)),
    ],
)
def test_date_cells(text: str, expected: tuple[date | None, str | None]) -> None:
    assert parse_mtdsg_date(text, where="in test") == expected


@pytest.mark.parametrize("text", ["31 Foo 2025", "2025-10-25", "31 Feb 2025", "25 Oct", "x"])
def test_bad_date_cells(text: str) -> None:
    with pytest.raises(StatusImportError, match="in test"):
        parse_mtdsg_date(text, where="in test")


@given(st.text(max_size=40))
def test_date_parsing_never_crashes(text: str) -> None:
    try:
        parse_mtdsg_date(text, where="in fuzz")
    except StatusImportError as exc:
        assert "in fuzz" in exc.message


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.sampled_from(["", " A", " AA", " a", " d"]))
def test_date_round_trip(day: date, suffix: str) -> None:
    text = f"{day.day} {day.strftime('%b')} {day.year}{suffix}"
    assert parse_mtdsg_date(text, where="x") == (day, suffix.strip() or None)


def test_an_implausible_header_count_is_ignored_with_a_warning() -> None:
    huge = b"9" * 5000  # longer than int() accepts from a string, and beyond 64 bits
    data = (FIXTURES / "xviii-16-v1.xml").read_bytes().replace(
        b"Signatories : 13", b"Signatories : " + huge)
    snapshot = parse_status_xml(data, source="huge", retrieved_at=WHEN)
    assert snapshot.treaty.signatories_count is None
    assert snapshot.treaty.parties_count == 5
    assert len(snapshot.warnings) == 1
    assert "Signatories count 999999999999... is not a plausible number" in snapshot.warnings[0]


def _v1_with(old: bytes, new: bytes) -> bytes:
    data = (FIXTURES / "xviii-16-v1.xml").read_bytes()
    assert data.count(old) == 1
    return data.replace(old, new)


_MAURITIUS = b"<Entry>Mauritius</Entry><Entry>19 Nov 2025</Entry><Entry></Entry>"  # line 31, Row 7


def test_a_suffix_in_the_signature_column_is_ignored_with_a_warning() -> None:
    data = _v1_with(_MAURITIUS,
                    b"<Entry>Mauritius</Entry><Entry>19 Nov 2025 a</Entry><Entry></Entry>")
    snapshot = parse_status_xml(data, source="sig", retrieved_at=WHEN)
    mauritius = snapshot.participant("MUS")
    assert mauritius.signature == date(2025, 11, 19)  # the date is kept
    assert mauritius.action is None and mauritius.action_kind is None
    assert snapshot.warnings == (
        "line 31, Row 7: the Signature cell '19 Nov 2025 a' carries the action suffix 'a', "
        "which a signature cannot have; the date was kept and the suffix ignored",
    )


def test_a_suffix_the_signature_label_defines_is_no_slip() -> None:
    # "Signature, Succession to signature(d)": a succession to a signature is on the record
    data = (FIXTURES / "xviii-12-excerpt.xml").read_bytes()
    korea = b"<Entry>5 Nov 2015</Entry><Entry>13 Dec 2000</Entry>"  # line 29, Row 7
    assert data.count(korea) == 1
    defined = parse_status_xml(data.replace(korea, korea.replace(b"2000", b"2000 d")),
                               source="d", retrieved_at=WHEN)
    assert defined.participant("KOR").signature == date(2000, 12, 13)
    assert len(defined.warnings) == 1 and "Kingdom of Atlantis" in defined.warnings[0]
    undefined = parse_status_xml(data.replace(korea, korea.replace(b"2000", b"2000 A")),
                                 source="A", retrieved_at=WHEN)
    assert undefined.warnings[1] == (
        "line 29, Row 7: the Signature, Succession to signature(d) cell '13 Dec 2000 A' carries "
        "the action suffix 'A', which a signature cannot have (the column label defines only d);"
        " the date was kept and the suffix ignored"
    )


_ACTION_LABEL = "Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)"


@pytest.mark.parametrize(
    ("cell", "kind"),
    [("1 Nov 2025", "ratification"), ("1 Nov 2025 A", "acceptance"),
     ("1 Nov 2025 AA", "approval")],
)
def test_a_ratification_dated_before_its_signature_is_kept_with_a_warning(
        cell: str, kind: str) -> None:
    data = _v1_with(_MAURITIUS, b"<Entry>Mauritius</Entry><Entry>19 Nov 2025</Entry><Entry>"
                    + cell.encode() + b"</Entry>")
    snapshot = parse_status_xml(data, source="early", retrieved_at=WHEN)
    mauritius = snapshot.participant("MUS")
    assert (mauritius.signature, mauritius.action) == (date(2025, 11, 19), date(2025, 11, 1))
    assert mauritius.action_kind is ActionKind(kind)
    assert snapshot.warnings == (
        f"line 31, Row 7: the {kind} {cell!r} (column {_ACTION_LABEL}) is dated before the "
        "signature '19 Nov 2025' (column Signature); a ratification, acceptance or approval "
        "confirms an earlier signature, so one of the dates may be mistyped; both were kept as "
        "the record gives them",
    )


@pytest.mark.parametrize("cell", ["1 Nov 2025 a", "1 Nov 2025 d", "19 Nov 2025", "20 Nov 2025"])
def test_accession_succession_or_a_consent_on_or_after_signature_gives_no_warning(
        cell: str) -> None:
    # accession and succession need no signature; signing and ratifying on one day is common
    data = _v1_with(_MAURITIUS, b"<Entry>Mauritius</Entry><Entry>19 Nov 2025</Entry><Entry>"
                    + cell.encode() + b"</Entry>")
    snapshot = parse_status_xml(data, source="fine", retrieved_at=WHEN)
    assert snapshot.participant("MUS").action is not None
    assert snapshot.warnings == ()


# the fixture is ISO-8859-1, so the typeset minus (U+2212) is written as a reference
@pytest.mark.parametrize(("cell", "shown"),
                         [("-5", "-5"), ("&#x2212;5", "-5"),
                          ("-" + "9" * 20, "-999999999999...")])
def test_a_negative_header_count_is_ignored_with_a_warning(cell: str, shown: str) -> None:
    data = _v1_with(b"Parties : 5", b"Parties : " + cell.encode())
    snapshot = parse_status_xml(data, source="negative", retrieved_at=WHEN)
    assert snapshot.treaty.parties_count is None
    assert snapshot.treaty.signatories_count == 13
    assert snapshot.warnings == (
        f"line 12: the Parties count {shown} is not a plausible number of participants; "
        "ignored",
    )


@pytest.mark.parametrize("cell", ["- 5", "-\t5"])
def test_a_hyphen_before_a_spaced_count_is_a_separator(cell: str) -> None:
    data = _v1_with(b"Parties : 5", b"Parties " + cell.encode())
    snapshot = parse_status_xml(data, source="separator", retrieved_at=WHEN)
    assert snapshot.treaty.parties_count == 5
    assert snapshot.warnings == ()
