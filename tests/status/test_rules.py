"""Entry-into-force rules: data loading, the historical test vectors, later parties, REIOs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treatydesk.convention import convention
from treatydesk.errors import DataFileError, NotFound
from treatydesk.status.model import ActionKind, Participant, Snapshot, TreatyRecord
from treatydesk.status.rules import (
    Delay,
    entry_into_force,
    in_force_for,
    rule_for,
    rules,
    standings,
)

BROKEN = Path(__file__).parent / "fixtures" / "broken"


def snapshot(reference: str, rows: list[tuple[str, date | None, ActionKind | None]],
             reio: frozenset[str] = frozenset()) -> Snapshot:
    return Snapshot(
        treaty=TreatyRecord(reference=reference, title="test"),
        source="test", retrieved_at=datetime(2030, 1, 1, tzinfo=UTC),
        participants=tuple(
            Participant(key=key, name=key, iso3=None if key in reio else key,
                        is_reio=key in reio, action=day, action_kind=kind)
            for key, day, kind in rows
        ),
    )


def consents(count: int, last: date, kind: ActionKind = ActionKind.RATIFICATION,
             ) -> list[tuple[str, date | None, ActionKind | None]]:
    """`count` instruments, one a week, the last on `last`."""
    return [(f"P{i:02d}", last - timedelta(weeks=count - 1 - i), kind) for i in range(count)]


def test_xviii_16_takes_its_numbers_from_the_convention_figures() -> None:
    rule = rule_for("XVIII-16")
    figures = convention()
    assert rule.threshold == figures.figure("entry_into_force_instruments").value
    assert rule.delay.amount == figures.figure("entry_into_force_delay_days").value
    assert rule.later_party_delay.amount == figures.figure("later_party_delay_days").value
    assert rule.reio_counted_in_addition is figures.figure("reio_counted_in_addition").value
    assert rule.threshold_reference == "65(1)" and rule.later_party_delay.reference == "65(2)"
    assert rule.opened_for_signature == figures.figure("signature_opened").value
    assert "later_party_delay_days" in rule.unverified_figures


def test_every_packaged_rule_cites_its_articles() -> None:
    assert set(rules()) == {"XVIII-16", "XVIII-12", "XVIII-14", "CETS 185"}
    for rule in rules().values():
        assert rule.threshold_reference and rule.delay.reference
        assert rule.later_party_delay.reference and rule.source


@pytest.mark.parametrize("spelling", ["XVIII-16", "xviii-16", "UNTC XVIII-16", "xviii 16"])
def test_rule_for_spellings(spelling: str) -> None:
    assert rule_for(spelling).reference == "XVIII-16"


def test_rule_for_unknown_suggests() -> None:
    with pytest.raises(NotFound) as caught:
        rule_for("XVIII-15")
    assert "XVIII-16" in caught.value.suggestions and len(caught.value.suggestions) == 3
    assert rule_for("ETS 185").reference == "CETS 185"


def test_organized_crime_vector() -> None:
    rule = rule_for("XVIII-12")
    rows = consents(40, date(2003, 7, 1))
    position = entry_into_force(snapshot("XVIII-12", rows), rule)
    assert position.threshold_instrument_date == date(2003, 7, 1)
    assert position.date_in_force == date(2003, 9, 29)
    assert position.counted == 40 and position.missing == 0
    assert not position.in_force_on(date(2003, 9, 28)) and position.in_force_on(date(2003, 9, 29))


def test_corruption_vector() -> None:
    position = entry_into_force(snapshot("XVIII-14", consents(30, date(2005, 9, 15))),
                                rule_for("XVIII-14"))
    assert position.date_in_force == date(2005, 12, 14)


def test_budapest_vector_with_council_of_europe_condition() -> None:
    rule = rule_for("CETS 185")
    rows: list[tuple[str, date | None, ActionKind | None]] = [
        ("ALB", date(2002, 6, 20), ActionKind.RATIFICATION),
        ("HRV", date(2002, 10, 17), ActionKind.RATIFICATION),
        ("EST", date(2003, 5, 12), ActionKind.RATIFICATION),
        ("HUN", date(2003, 12, 4), ActionKind.RATIFICATION),
        ("LTU", date(2004, 3, 18), ActionKind.RATIFICATION),
        ("ROU", date(2004, 5, 12), ActionKind.RATIFICATION),
    ]
    s = snapshot("CETS 185", rows)
    position = entry_into_force(s, rule)
    assert position.threshold_instrument_date == date(2004, 3, 18)
    assert position.date_in_force == date(2004, 7, 1)
    # a later party: first day of the month after three months from its own deposit
    assert in_force_for(s, rule, "ROU") == date(2004, 9, 1)


def test_budapest_condition_holds_back_the_threshold() -> None:
    rule = rule_for("CETS 185")
    rows: list[tuple[str, date | None, ActionKind | None]] = [
        ("USA", date(2002, 1, 1), ActionKind.RATIFICATION),
        ("JPN", date(2002, 2, 1), ActionKind.RATIFICATION),
        ("CAN", date(2002, 3, 1), ActionKind.RATIFICATION),
        ("ZAF", date(2002, 4, 1), ActionKind.RATIFICATION),
        ("ALB", date(2002, 5, 1), ActionKind.RATIFICATION),
        ("HRV", date(2002, 6, 1), ActionKind.RATIFICATION),
    ]
    position = entry_into_force(snapshot("CETS 185", rows), rule)
    assert position.counted == 6 and position.missing == 0
    assert position.condition_missing == 1 and position.date_in_force is None
    rows.append(("EST", date(2002, 7, 15), ActionKind.RATIFICATION))
    position = entry_into_force(snapshot("CETS 185", rows), rule)
    assert position.threshold_instrument_date == date(2002, 7, 15)
    assert position.date_in_force == date(2002, 11, 1)


def test_later_parties_un_rule() -> None:
    rule = rule_for("XVIII-12")
    rows = consents(40, date(2003, 7, 1))
    rows += [("EARLY", date(2003, 7, 10), ActionKind.ACCESSION),
             ("LATE", date(2003, 10, 15), ActionKind.RATIFICATION),
             ("NONE", None, None)]
    s = snapshot("XVIII-12", rows)
    assert in_force_for(s, rule, "P00") == date(2003, 9, 29)
    # 30th day after its own deposit would be 9 Aug, before the general date: general wins
    assert in_force_for(s, rule, "EARLY") == date(2003, 9, 29)
    assert in_force_for(s, rule, "LATE") == date(2003, 11, 14)
    assert in_force_for(s, rule, "NONE") is None
    table = standings(s, rule)
    assert table["LATE"].in_force_from == date(2003, 11, 14)
    assert table["LATE"].consent_kind is ActionKind.RATIFICATION
    assert table["NONE"].in_force_from is None and len(table) == 43


def test_reio_not_counted_in_addition_to_its_members() -> None:
    rule = rule_for("XVIII-16")
    rows = consents(39, date(2027, 3, 1))
    rows.append(("european-union", date(2027, 2, 1), ActionKind.APPROVAL))
    s = snapshot("XVIII-16", rows, reio=frozenset({"european-union"}))
    position = entry_into_force(s, rule)
    assert position.counted == 39 and position.missing == 1 and position.date_in_force is None
    assert "european-union" not in position.counted_keys
    assert in_force_for(s, rule, "european-union") is None
    rows.append(("P99", date(2027, 4, 1), ActionKind.RATIFICATION))
    s = snapshot("XVIII-16", rows, reio=frozenset({"european-union"}))
    position = entry_into_force(s, rule)
    assert position.threshold_instrument_date == date(2027, 4, 1)
    assert position.date_in_force == date(2027, 6, 30)
    # the EU deposited before the threshold: bound from the general date
    assert in_force_for(s, rule, "european-union") == date(2027, 6, 30)
    assert standings(s, rule)["european-union"].is_reio


def test_not_counted_kind_and_unknown_participant() -> None:
    rule = rule_for("XVIII-12")
    rows = consents(39, date(2003, 7, 1))
    rows.append(("SUCC", date(2003, 6, 1), ActionKind.SUCCESSION))
    s = snapshot("XVIII-12", rows)
    assert entry_into_force(s, rule).missing == 1
    with pytest.raises(NotFound, match="no participant 'P1' in the XVIII-12 snapshot"):
        in_force_for(s, rule, "P1")


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.name)
def test_broken_rule_files(path: Path) -> None:
    from treatydesk.status.rules import load_rules

    expected = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    with pytest.raises(DataFileError) as caught:
        load_rules(path)
    message = str(caught.value)
    assert expected in message and path.name in message
    assert f"{path.name}:" in message  # names the line


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)),
       st.integers(min_value=0, max_value=400))
def test_days_after_is_plain_calendar_arithmetic(day: date, days: int) -> None:
    assert (Delay("days_after", days, "x").apply(day) - day).days == days


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)),
       st.integers(min_value=0, max_value=24))
def test_first_day_of_month_after_months(day: date, months: int) -> None:
    result = Delay("first_day_of_month_after_months", months, "x").apply(day)
    assert result.day == 1 and result > day
    # strictly more than `months` whole months later, at most `months` + 1 months later
    month_gap = (result.year - day.year) * 12 + result.month - day.month
    assert month_gap == months + 1
