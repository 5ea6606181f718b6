"""Deadlines: emergency hours, the requesting State's deadline, preservation (Art 42)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from treatydesk.convention import convention
from treatydesk.cooperation.clocks import (
    CaseClocks,
    ClockName,
    ClockPolicy,
    DueStatus,
    Preservation,
    classify,
    deadlines,
    due,
    due_soon,
    due_status,
    overdue,
    preservation_minimum_days,
)
from treatydesk.cooperation.kinds import RequestKind
from treatydesk.errors import InvalidInput

T0 = datetime(2025, 11, 28, 9, 0, tzinfo=UTC)
MINIMUM = convention().figure("preservation_minimum_days").as_int()


def test_minimum_comes_from_the_convention_figures() -> None:
    assert preservation_minimum_days() == MINIMUM


def test_emergency_clock_uses_the_desk_policy() -> None:
    clocks = CaseClocks(kind=RequestKind.EMERGENCY_DISCLOSURE, received_at=T0)
    assert due(clocks, ClockPolicy()) == T0 + timedelta(hours=24)
    assert due(clocks, ClockPolicy(emergency_hours=6)) == T0 + timedelta(hours=6)
    (deadline,) = deadlines(clocks, ClockPolicy())
    assert deadline.clock is ClockName.EMERGENCY and "desk practice" in deadline.basis
    assert "2(o)" in deadline.basis


def test_urgent_flag_puts_other_kinds_on_the_emergency_clock() -> None:
    clocks = CaseClocks(kind=RequestKind.SUBSCRIBER_INFORMATION, received_at=T0, urgent=True)
    assert due(clocks, ClockPolicy(emergency_hours=12)) == T0 + timedelta(hours=12)
    assert due(CaseClocks(kind=RequestKind.SUBSCRIBER_INFORMATION, received_at=T0),
               ClockPolicy()) is None


def test_earliest_deadline_wins_across_time_zones() -> None:
    tokyo = timezone(timedelta(hours=9))
    requested = datetime(2025, 11, 29, 10, 0, tzinfo=tokyo)  # 01:00 UTC on the 29th
    clocks = CaseClocks(
        kind=RequestKind.EMERGENCY_DISCLOSURE, received_at=T0, requesting_deadline=requested
    )
    found = deadlines(clocks, ClockPolicy())
    assert [d.clock for d in found] == [
        ClockName.REQUESTING_STATE_DEADLINE, ClockName.EMERGENCY,
    ]
    assert "40(25)" in found[0].basis and "recalled" in found[0].basis
    assert due(clocks, ClockPolicy()) == requested


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(InvalidInput, match="received_at.*no time zone"):
        CaseClocks(kind=RequestKind.PRESERVATION, received_at=datetime(2025, 1, 1))
    with pytest.raises(InvalidInput, match="requesting_deadline"):
        CaseClocks(
            kind=RequestKind.PRESERVATION, received_at=T0,
            requesting_deadline=datetime(2025, 1, 1),
        )


def test_preservation_shorter_than_the_minimum_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        Preservation(started_at=T0, period_days=MINIMUM - 1, extension_days=(0,))
    locations = [item.location for item in caught.value.items]
    assert locations == ["preservation.period_days", "preservation.extension_days[0]"]
    assert "Art 42" in caught.value.items[0].message


def test_preservation_expiry_and_extension() -> None:
    kept = Preservation(started_at=T0, period_days=MINIMUM)
    assert kept.expires_at() == T0 + timedelta(days=MINIMUM)
    longer = kept.extended(30)
    assert longer.expires_at() == T0 + timedelta(days=MINIMUM + 30)
    with pytest.raises(InvalidInput):
        kept.extended(-5)


def test_preservation_is_held_while_the_follow_up_is_decided() -> None:
    received = T0 + timedelta(days=10)
    held = Preservation(started_at=T0, period_days=MINIMUM, follow_up_received_at=received)
    assert held.expires_at() is None
    clocks = CaseClocks(kind=RequestKind.PRESERVATION, received_at=T0, preservation=held)
    assert due(clocks, ClockPolicy()) is None
    late_decision = T0 + timedelta(days=MINIMUM + 40)
    decided = Preservation(
        started_at=T0, period_days=MINIMUM, follow_up_received_at=received,
        follow_up_decided_at=late_decision,
    )
    assert decided.expires_at() == late_decision
    early = Preservation(
        started_at=T0, period_days=MINIMUM, follow_up_received_at=received,
        follow_up_decided_at=received + timedelta(days=1),
    )
    assert early.expires_at() == T0 + timedelta(days=MINIMUM)


def test_follow_up_after_expiry_does_not_revive_preservation() -> None:
    late = Preservation(
        started_at=T0, period_days=MINIMUM,
        follow_up_received_at=T0 + timedelta(days=MINIMUM + 1),
    )
    assert late.expires_at() == T0 + timedelta(days=MINIMUM)


def test_decided_without_received_is_refused() -> None:
    with pytest.raises(InvalidInput, match="cannot be decided before it is received"):
        Preservation(started_at=T0, period_days=MINIMUM, follow_up_decided_at=T0)


def test_due_status_and_lists() -> None:
    policy = ClockPolicy(due_soon=timedelta(hours=48))
    assert due_status(T0 - timedelta(seconds=1), now=T0, policy=policy) is DueStatus.OVERDUE
    assert due_status(T0 + timedelta(hours=47), now=T0, policy=policy) is DueStatus.DUE_SOON
    assert due_status(T0 + timedelta(hours=49), now=T0, policy=policy) is DueStatus.PENDING
    items = classify(
        [(1, T0 + timedelta(days=5)), (2, T0 - timedelta(hours=1)), (3, None),
         (4, T0 + timedelta(hours=1))],
        now=T0, policy=policy,
    )
    assert [item.case_id for item in items] == [2, 4, 1]
    assert [item.case_id for item in overdue(items)] == [2]
    assert [item.case_id for item in due_soon(items)] == [4]
    with pytest.raises(InvalidInput, match="now"):
        due_status(T0, now=datetime(2025, 1, 1), policy=policy)


def test_bad_policy_is_refused() -> None:
    with pytest.raises(InvalidInput, match="emergency_hours"):
        ClockPolicy(emergency_hours=0)
    with pytest.raises(InvalidInput, match="due_soon"):
        ClockPolicy(due_soon=timedelta(hours=-1))
