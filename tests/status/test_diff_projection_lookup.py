from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from treatydesk.errors import DataFileError, InvalidInput, NotFound
from treatydesk.status.bundled import bundled_snapshot
from treatydesk.status.diff import ChangeKind, diff_snapshots
from treatydesk.status.model import ActionKind, Participant, Snapshot, TreatyRecord
from treatydesk.status.participants import find_participant
from treatydesk.status.projection import CAVEAT, load_comparables, project
from treatydesk.status.rules import rule_for
from treatydesk.untc.mtdsg import parse_status_xml

FIXTURES = Path(__file__).parent.parent / "fixtures" / "untc"


def load(name: str) -> Snapshot:
    return parse_status_xml((FIXTURES / name).read_bytes(), source=name,
                            retrieved_at=datetime(2026, 7, 1, tzinfo=UTC))


def test_diff_between_versions() -> None:
    diff = diff_snapshots(load("xviii-16-v1.xml"), load("xviii-16-v2.xml"))
    kinds = {(c.kind, c.key) for c in diff.changes}
    assert (ChangeKind.NEW_PARTICIPANT, "BRA") in kinds
    assert (ChangeKind.NEW_SIGNATURE, "BRA") in kinds
    assert (ChangeKind.NEW_CONSENT, "DZA") in kinds
    assert (ChangeKind.DATE_CORRECTED, "VNM") in kinds
    assert (ChangeKind.DECLARATION_CHANGED, "AZE") in kinds
    assert (ChangeKind.DECLARATION_REMOVED, "QAT") in kinds
    assert len(diff.changes) == 6
    consent = diff.of_kind(ChangeKind.NEW_CONSENT)[0]
    assert consent.new == "ratification deposited on 2026-07-10"
    data = diff.as_dict()
    assert data["counts"]["new_consent"] == 1 and len(data["changes"]) == 6
    assert any("Algeria (DZA): ratification deposited on 2026-07-10" in line
               for line in diff.lines())


def test_reverse_diff_reports_withdrawals() -> None:
    diff = diff_snapshots(load("xviii-16-v2.xml"), load("xviii-16-v1.xml"))
    withdrawn = {(c.key, c.field) for c in diff.of_kind(ChangeKind.WITHDRAWN)}
    assert withdrawn == {("BRA", "participant"), ("DZA", "action")}
    assert diff.of_kind(ChangeKind.DECLARATION_ADDED)[0].key == "QAT"


def test_kind_changed() -> None:
    v1 = load("xviii-16-v1.xml")
    edited = Snapshot(
        treaty=v1.treaty, source="edited", retrieved_at=v1.retrieved_at,
        participants=tuple(
            Participant(key=p.key, name=p.name, iso3=p.iso3, is_reio=p.is_reio,
                        signature=p.signature, action=p.action,
                        action_kind=ActionKind.ACCESSION if p.key == "QAT" else p.action_kind,
                        footnotes=p.footnotes, declarations=p.declarations,
                        remarks=p.remarks)
            for p in v1.participants),
        notes=v1.notes)
    diff = diff_snapshots(v1, edited)
    assert [(c.kind, c.old, c.new) for c in diff.changes] == [
        (ChangeKind.KIND_CHANGED, "acceptance", "accession")]


def test_empty_diff_says_no_changes() -> None:
    v1 = load("xviii-16-v1.xml")
    diff = diff_snapshots(v1, v1)
    assert not diff and diff.lines() == ["no changes"] and diff.as_dict()["changes"] == []


def test_comparables_loaded() -> None:
    by_reference = {c.reference: c for c in load_comparables()}
    assert by_reference["UNTC XVIII-12"].opened_for_signature == date(2000, 12, 12)
    assert by_reference["UNTC XVIII-12"].threshold_reached == date(2003, 7, 1)
    assert by_reference["UNTC XVIII-14"].days_to_threshold == 646
    assert by_reference["CETS 185"].threshold == 5


def test_bad_comparables() -> None:
    header = ("treaty,reference,adopted,opened_for_signature,signatures_at_opening,threshold,"
              "threshold_reached,eif_rule,entry_into_force,source\n")
    with pytest.raises(DataFileError, match=r"c.csv:2.*threshold_reached '2003-13-01'"):
        load_comparables("c.csv", text=header + "T,R,x,2000-01-01,x,40,2003-13-01,x,2003-09-29,s\n")
    with pytest.raises(DataFileError, match="does not start with a number"):
        load_comparables(
            "c.csv", text=header + "T,R,x,2000-01-01,x,forty,2003-07-01,x,2003-09-29,s\n")
    with pytest.raises(DataFileError, match="opened_for_signature < threshold_reached"):
        load_comparables(
            "c.csv", text=header + "T,R,x,2004-01-01,x,40,2003-07-01,x,2003-09-29,s\n")


def test_projection_with_no_consents_uses_comparables_only() -> None:
    projection = project(bundled_snapshot(), rule_for("XVIII-16"), load_comparables(),
                         date(2026, 3, 1))
    pace = projection.estimates[0]
    assert pace.method == "pace" and pace.threshold_date is None
    assert "pace method has no data" in pace.note
    # comparables aligned on 25 Oct 2025: +646, +846, +931 days
    assert projection.threshold_earliest == date(2027, 8, 2)
    assert projection.threshold_likely == date(2028, 2, 18)
    assert projection.threshold_latest == date(2028, 5, 13)
    assert projection.in_force_earliest == date(2027, 10, 31)
    assert projection.caveat == CAVEAT and "estimate, not a fact" in projection.caveat
    assert projection.as_dict()["entry_into_force"]["latest"] == "2028-08-11"


def test_projection_from_pace() -> None:
    rule = rule_for("XVIII-16")
    today = date(2026, 10, 25)  # 365 days after opening
    rows = [Participant(key=f"P{i}", name=f"P{i}", iso3=None, action=date(2026, 6, 1),
                        action_kind=ActionKind.RATIFICATION) for i in range(10)]
    s = Snapshot(treaty=TreatyRecord("XVIII-16", "t"), source="t",
                 retrieved_at=datetime(2026, 10, 25, tzinfo=UTC), participants=tuple(rows))
    projection = project(s, rule, [], today)
    # 10 in 365 days; 30 more take 1095 days
    assert projection.estimates[0].threshold_date == today + timedelta(days=1095)
    assert projection.threshold_earliest == projection.threshold_latest


def test_projection_when_reached_and_bad_today() -> None:
    rule = rule_for("XVIII-12")
    rows = tuple(Participant(key=f"P{i}", name=f"P{i}", iso3=None, action=date(2003, 7, 1),
                             action_kind=ActionKind.RATIFICATION) for i in range(40))
    s = Snapshot(treaty=TreatyRecord("XVIII-12", "t"), source="t",
                 retrieved_at=datetime(2004, 1, 1, tzinfo=UTC), participants=rows)
    projection = project(s, rule, load_comparables(), date(2004, 1, 1))
    assert projection.reached and projection.in_force_likely == date(2003, 9, 29)
    with pytest.raises(InvalidInput, match="before XVIII-12 opened for signature"):
        project(s, rule, [], date(1999, 1, 1))


@pytest.mark.parametrize("query", ["CIV", "civ", "cote d'ivoire", "Côte d’Ivoire",
                                   " Côte d'Ivoire "])
def test_find_participant(query: str) -> None:
    assert find_participant(bundled_snapshot(), query).key == "CIV"


def test_find_participant_suggests() -> None:
    with pytest.raises(NotFound) as caught:
        find_participant(bundled_snapshot(), "Vietnam")
    assert caught.value.suggestions[0] == "Viet Nam" and len(caught.value.suggestions) == 3
    with pytest.raises(InvalidInput, match="empty"):
        find_participant(bundled_snapshot(), "  ")
    assert find_participant(bundled_snapshot(), "european-union").is_reio
