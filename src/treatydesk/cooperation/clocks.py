"""Deadlines of a case: emergency hours, the requesting State's deadline, preservation expiry.

Pure: the caller passes `now`. Every datetime must be timezone-aware (a naive one is refused,
because a deadline that means different instants on different servers is no deadline).

Sources of each clock:
- emergency requests (Art 2(o), Art 41): the Convention sets no number of hours; the desk's
  default answer time (ClockPolicy.emergency_hours) is desk practice, configurable;
- the requesting State's deadline: Art 40(25) [R] asks the requested State to take full account
  of deadlines the requesting State gives;
- preservation (Art 42): at least `preservation_minimum_days` (a [R] figure, read from the
  convention figures, never repeated here), extendable, and held while the follow-up MLA
  request is decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from treatydesk.convention import convention
from treatydesk.cooperation.kinds import RequestKind
from treatydesk.cooperation.lifecycle import cite, shown_reference
from treatydesk.errors import ErrorCollector, InvalidInput

#: desk practice, not a treaty figure: hours within which an emergency request is answered
DEFAULT_EMERGENCY_HOURS = 24
#: desk practice: how far ahead a deadline counts as "due soon"
DEFAULT_DUE_SOON = timedelta(hours=48)
#: the requested State takes full account of deadlines the requesting State gives
REQUESTING_DEADLINE_REF = "mla_execution_deadline"
#: kinds answered on the emergency clock (Art 2(o) defines emergency; Art 41 the 24/7 network)
EMERGENCY_KINDS: frozenset[RequestKind] = frozenset({RequestKind.EMERGENCY_DISCLOSURE})


class ClockName(StrEnum):
    EMERGENCY = "emergency"
    REQUESTING_STATE_DEADLINE = "requesting_state_deadline"
    PRESERVATION_EXPIRY = "preservation_expiry"


class DueStatus(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class ClockPolicy:
    """The desk's choices for its clocks (desk practice; no treaty figure here)."""

    emergency_hours: int = DEFAULT_EMERGENCY_HOURS
    due_soon: timedelta = DEFAULT_DUE_SOON

    def __post_init__(self) -> None:
        if self.emergency_hours <= 0:
            raise InvalidInput(
                f"emergency_hours must be a positive number of hours, got {self.emergency_hours}"
            )
        if self.due_soon < timedelta(0):
            raise InvalidInput("due_soon must not be negative")


def preservation_minimum_days() -> int:
    """The shortest preservation period (Art 42), from the convention figures."""
    return convention().figure("preservation_minimum_days").as_int()


def require_aware(value: datetime, where: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(
            f"{where}: the time {value.isoformat()} has no time zone; give it with an offset "
            "(e.g. 2025-11-28T09:00:00+01:00)"
        )
    return value


@dataclass(frozen=True, slots=True)
class Preservation:
    """Expedited preservation in effect for a case (Art 42)."""

    started_at: datetime
    #: the period first granted; at least preservation_minimum_days()
    period_days: int
    #: further days granted later, in order
    extension_days: tuple[int, ...] = ()
    #: when the follow-up MLA request (search, seizure or disclosure) arrived, if it did
    follow_up_received_at: datetime | None = None
    #: when that follow-up request was decided, if it was
    follow_up_decided_at: datetime | None = None

    def __post_init__(self) -> None:
        problems = ErrorCollector()
        require_aware(self.started_at, "preservation.started_at")
        minimum = preservation_minimum_days()
        if self.period_days < minimum:
            problems.add(
                "preservation.period_days",
                f"{self.period_days} days is shorter than the {minimum} days preservation "
                "must last at least (Art 42)",
            )
        for index, days in enumerate(self.extension_days):
            if days <= 0:
                problems.add(
                    f"preservation.extension_days[{index}]",
                    f"an extension must add at least one day, got {days}",
                )
        if self.follow_up_received_at is not None:
            require_aware(self.follow_up_received_at, "preservation.follow_up_received_at")
        if self.follow_up_decided_at is not None:
            require_aware(self.follow_up_decided_at, "preservation.follow_up_decided_at")
            if self.follow_up_received_at is None:
                problems.add(
                    "preservation.follow_up_decided_at",
                    "a follow-up request cannot be decided before it is received",
                )
        if problems:
            raise InvalidInput("the preservation period is not valid", items=problems.items)

    @property
    def granted_until(self) -> datetime:
        """End of the period granted plus extensions, ignoring any follow-up request."""
        return self.started_at + timedelta(days=self.period_days + sum(self.extension_days))

    def expires_at(self) -> datetime | None:
        """When preservation ends; None while it is held for a pending follow-up request
        (Art 42: preservation continues until that request is decided)."""
        received = self.follow_up_received_at
        if received is None or received > self.granted_until:
            # a follow-up arriving after expiry cannot revive preservation that ended
            return self.granted_until
        if self.follow_up_decided_at is None:
            return None
        return max(self.granted_until, self.follow_up_decided_at)

    def extended(self, days: int) -> Preservation:
        return Preservation(
            started_at=self.started_at,
            period_days=self.period_days,
            extension_days=(*self.extension_days, days),
            follow_up_received_at=self.follow_up_received_at,
            follow_up_decided_at=self.follow_up_decided_at,
        )


@dataclass(frozen=True, slots=True)
class Deadline:
    clock: ClockName
    due_at: datetime
    #: the article or "desk practice" the deadline rests on
    basis: str


@dataclass(frozen=True, slots=True)
class CaseClocks:
    """The facts a case's deadlines are computed from."""

    kind: RequestKind
    received_at: datetime
    requesting_deadline: datetime | None = None
    #: an urgent request of another kind that the desk answers on the emergency clock
    urgent: bool = False
    preservation: Preservation | None = None

    def __post_init__(self) -> None:
        require_aware(self.received_at, "received_at")
        if self.requesting_deadline is not None:
            require_aware(self.requesting_deadline, "requesting_deadline")


def deadlines(clocks: CaseClocks, policy: ClockPolicy) -> list[Deadline]:
    """Every deadline running for the case, earliest first."""
    found: list[Deadline] = []
    if clocks.kind in EMERGENCY_KINDS or clocks.urgent:
        found.append(
            Deadline(
                ClockName.EMERGENCY,
                clocks.received_at + timedelta(hours=policy.emergency_hours),
                f"{cite('emergency_defined')}, {cite('41')}; {policy.emergency_hours} h is desk "
                "practice",
            )
        )
    if clocks.requesting_deadline is not None:
        found.append(
            Deadline(
                ClockName.REQUESTING_STATE_DEADLINE,
                clocks.requesting_deadline,
                f"{cite(REQUESTING_DEADLINE_REF)} (the requesting State's deadline)",
            )
        )
    if clocks.preservation is not None:
        expiry = clocks.preservation.expires_at()
        if expiry is not None:
            reference = convention().figure("preservation_minimum_days").reference
            found.append(
                Deadline(ClockName.PRESERVATION_EXPIRY, expiry, shown_reference(reference)))
    return sorted(found, key=lambda deadline: deadline.due_at)


def due(clocks: CaseClocks, policy: ClockPolicy) -> datetime | None:
    """The earliest running deadline of a case, or None if no clock runs."""
    found = deadlines(clocks, policy)
    return found[0].due_at if found else None


def due_status(due_at: datetime, *, now: datetime, policy: ClockPolicy) -> DueStatus:
    require_aware(now, "now")
    require_aware(due_at, "due_at")
    if due_at <= now:
        return DueStatus.OVERDUE
    if due_at <= now + policy.due_soon:
        return DueStatus.DUE_SOON
    return DueStatus.PENDING


@dataclass(frozen=True, slots=True)
class DueItem:
    case_id: int
    due_at: datetime
    status: DueStatus


def classify(
    items: Iterable[tuple[int, datetime | None]], *, now: datetime, policy: ClockPolicy
) -> list[DueItem]:
    """(case id, due) pairs classified and sorted earliest first; cases without a clock drop."""
    out = [
        DueItem(case_id, due_at, due_status(due_at, now=now, policy=policy))
        for case_id, due_at in items
        if due_at is not None
    ]
    return sorted(out, key=lambda item: (item.due_at, item.case_id))


def overdue(items: Sequence[DueItem]) -> list[DueItem]:
    return [item for item in items if item.status is DueStatus.OVERDUE]


def due_soon(items: Sequence[DueItem]) -> list[DueItem]:
    return [item for item in items if item.status is DueStatus.DUE_SOON]
