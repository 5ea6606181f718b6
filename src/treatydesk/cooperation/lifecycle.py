"""The life of a case: two state machines (outgoing and incoming requests) and the rules a
decision on an incoming request must meet.

Pure: no I/O, no clock. The services layer loads the facts (approvals, consultations) and calls
these functions inside the transaction that writes the change.

Legal basis of the decision rules (each cited through `cite`, which reads the convention data
and flags a paragraph that is recalled [R] rather than verified):
- a refusal states its reasons: Art 40(24) [R];
- before refusing or postponing (40(26)), the requested State consults the requesting State:
  Art 40(27) [R];
- the most intrusive measures (real-time collection of traffic data, Art 45; interception of
  content data, Art 46) get the strongest review, which this desk implements as two distinct
  reviewers (desk practice built on Art 24's conditions and safeguards, not a treaty figure).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from treatydesk.convention import convention, ref
from treatydesk.cooperation.kinds import INTRUSIVE_KINDS, RequestKind
from treatydesk.errors import ErrorCollector, InvalidInput, PermissionDenied, TransitionNotAllowed


class Direction(StrEnum):
    OUTGOING = "outgoing"  # this desk asks another State
    INCOMING = "incoming"  # another State asks this desk


class CaseState(StrEnum):
    # outgoing
    DRAFT = "draft"
    COMPLETE = "complete"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    EXECUTED = "executed"
    PARTLY_EXECUTED = "partly_executed"
    REFUSED = "refused"
    # both directions: the requesting State withdrew its request
    WITHDRAWN = "withdrawn"
    # incoming
    RECEIVED = "received"
    REGISTERED = "registered"
    UNDER_REVIEW = "under_review"
    DECIDED = "decided"
    EXECUTING = "executing"
    RESPONDED = "responded"
    # both directions
    CLOSED = "closed"


class DecisionKind(StrEnum):
    """What the requested State's reviewer decides on an incoming request (Art 40)."""

    EXECUTE = "execute"
    EXECUTE_WITH_CONDITIONS = "execute_with_conditions"
    POSTPONE = "postpone"  # Art 40(26) [R]: execution would interfere with a case
    CONSULT = "consult"  # Art 40(27) [R]: consult the requesting State first
    REFUSE = "refuse"  # Art 40(21) [R], 40(22); reasons required by 40(24) [R]


OUTGOING_TRANSITIONS: dict[CaseState, tuple[CaseState, ...]] = {
    CaseState.DRAFT: (CaseState.COMPLETE,),
    # an edit sends a complete request back to draft (done by the edit itself)
    CaseState.COMPLETE: (CaseState.DRAFT, CaseState.SENT),
    CaseState.SENT: (CaseState.ACKNOWLEDGED, CaseState.WITHDRAWN),
    CaseState.ACKNOWLEDGED: (
        CaseState.EXECUTED, CaseState.PARTLY_EXECUTED, CaseState.REFUSED, CaseState.WITHDRAWN,
    ),
    CaseState.EXECUTED: (CaseState.CLOSED,),
    CaseState.PARTLY_EXECUTED: (CaseState.CLOSED,),
    CaseState.REFUSED: (CaseState.CLOSED,),
    CaseState.WITHDRAWN: (CaseState.CLOSED,),
    CaseState.CLOSED: (),
}

INCOMING_TRANSITIONS: dict[CaseState, tuple[CaseState, ...]] = {
    CaseState.RECEIVED: (CaseState.REGISTERED, CaseState.WITHDRAWN),
    CaseState.REGISTERED: (CaseState.UNDER_REVIEW, CaseState.WITHDRAWN),
    # a decision moves the case (execute, refuse: to decided; postpone, consult: stays here)
    CaseState.UNDER_REVIEW: (CaseState.DECIDED, CaseState.WITHDRAWN),
    # after execute*: executing; after refuse: responded (the reasons are communicated)
    CaseState.DECIDED: (CaseState.EXECUTING, CaseState.RESPONDED, CaseState.WITHDRAWN),
    CaseState.EXECUTING: (CaseState.RESPONDED, CaseState.WITHDRAWN),
    CaseState.RESPONDED: (CaseState.CLOSED,),
    CaseState.WITHDRAWN: (CaseState.CLOSED,),
    CaseState.CLOSED: (),
}

INITIAL_STATE: dict[Direction, CaseState] = {
    Direction.OUTGOING: CaseState.DRAFT,
    Direction.INCOMING: CaseState.RECEIVED,
}

#: states in which the request content may still be edited
EDITABLE_STATES: dict[Direction, frozenset[CaseState]] = {
    Direction.OUTGOING: frozenset({CaseState.DRAFT, CaseState.COMPLETE}),
    # an incoming request may be corrected (e.g. a better translation) until it is decided
    Direction.INCOMING: frozenset(
        {CaseState.RECEIVED, CaseState.REGISTERED, CaseState.UNDER_REVIEW}
    ),
}

#: states where no deadline runs any more
FINAL_STATES: frozenset[CaseState] = frozenset(
    {
        CaseState.EXECUTED, CaseState.PARTLY_EXECUTED, CaseState.REFUSED, CaseState.WITHDRAWN,
        CaseState.RESPONDED, CaseState.CLOSED,
    }
)

#: where a decision leaves the case
DECISION_TARGET: dict[DecisionKind, CaseState] = {
    DecisionKind.EXECUTE: CaseState.DECIDED,
    DecisionKind.EXECUTE_WITH_CONDITIONS: CaseState.DECIDED,
    DecisionKind.REFUSE: CaseState.DECIDED,
    DecisionKind.POSTPONE: CaseState.UNDER_REVIEW,
    DecisionKind.CONSULT: CaseState.UNDER_REVIEW,
}

EXECUTE_DECISIONS: frozenset[DecisionKind] = frozenset(
    {DecisionKind.EXECUTE, DecisionKind.EXECUTE_WITH_CONDITIONS}
)

#: where the Convention says it, as citation ids (the convention data holds the numbers and
#: knows which are recalled)
REFUSAL_REASONS_REF = "mla_reasons_for_refusal"  # reasons are given for any refusal
CONSULT_BEFORE_REFUSAL_REF = "mla_consultation"  # consult before refusing or postponing
#: the measures Arts 45 and 46 cover; two reviewers is desk practice under Art 24
TWO_REVIEWERS_BASIS = "Arts 24, 45, 46 (two reviewers: desk practice)"


def cite(citation: str) -> str:
    """"Art 40(24)" for an article number or a paragraph's citation id (convention.ref), flagged
    when the convention data marks it recalled rather than verified."""
    return shown_reference(ref(citation))


def shown_reference(reference: str) -> str:
    """"Art 40(24)" for a reference the convention data gave (e.g. a figure's), flagged when it
    is recalled rather than verified."""
    data = convention()
    normalised = data.check_reference(reference)
    if normalised in data.recalled_references():
        return f"Art {normalised} [recalled, not yet verified]"
    return f"Art {normalised}"


def transitions(direction: Direction) -> dict[CaseState, tuple[CaseState, ...]]:
    return OUTGOING_TRANSITIONS if direction is Direction.OUTGOING else INCOMING_TRANSITIONS


def allowed_targets(direction: Direction, state: CaseState) -> tuple[CaseState, ...]:
    table = transitions(direction)
    if state not in table:
        raise InvalidInput(f"state {state.value!r} does not exist for {direction.value} cases")
    return table[state]


def check_transition(direction: Direction, source: CaseState, target: CaseState) -> None:
    """Raise TransitionNotAllowed (listing what is allowed) unless source -> target exists."""
    allowed = allowed_targets(direction, source)
    if target not in allowed:
        raise TransitionNotAllowed(
            f"a {direction.value} case cannot go from {source.value} to {target.value}",
            allowed=[state.value for state in allowed],
        )


def check_after_decision(decision: DecisionKind, target: CaseState) -> None:
    """From `decided`, an execute decision leads to executing, a refusal to responded."""
    expected = CaseState.EXECUTING if decision in EXECUTE_DECISIONS else CaseState.RESPONDED
    if target not in (expected, CaseState.WITHDRAWN):
        raise TransitionNotAllowed(
            f"after a decision to {decision.value}, the case cannot go to {target.value}",
            allowed=[expected.value, CaseState.WITHDRAWN.value],
        )


def is_intrusive(kind: RequestKind, extra_intrusive: Collection[RequestKind] = ()) -> bool:
    """INTRUSIVE_KINDS (Arts 45, 46) plus any kind the desk's policy adds."""
    return kind in INTRUSIVE_KINDS or kind in extra_intrusive


@dataclass(frozen=True, slots=True)
class DecisionFacts:
    """What a decision rests on, as loaded by the caller."""

    kind: RequestKind
    decision: DecisionKind
    reasons: tuple[str, ...]
    conditions: tuple[str, ...]
    #: user ids of reviewers who approved the current version of the request
    approver_ids: tuple[int, ...]
    #: how many consultations with the requesting State are on record for the case
    consultations_recorded: int


def check_decision(facts: DecisionFacts, *, extra_intrusive: Collection[RequestKind] = ()) -> None:
    """Raise InvalidInput (every missing element at once) or PermissionDenied (two-reviewer rule)
    unless the decision may be recorded."""
    problems = ErrorCollector()
    reasons = _non_blank(facts.reasons)
    if facts.decision is DecisionKind.REFUSE and not reasons:
        problems.add("reasons", f"a refusal must state its reasons ({cite(REFUSAL_REASONS_REF)})")
    if facts.decision in (DecisionKind.REFUSE, DecisionKind.POSTPONE) and (
        facts.consultations_recorded == 0
    ):
        problems.add(
            "consultations",
            f"record a consultation with the requesting State before deciding to "
            f"{facts.decision.value} ({cite(CONSULT_BEFORE_REFUSAL_REF)})",
        )
    conditions = _non_blank(facts.conditions)
    if facts.decision is DecisionKind.EXECUTE_WITH_CONDITIONS and not conditions:
        problems.add("conditions", "a decision to execute with conditions must state them")
    if facts.decision is not DecisionKind.EXECUTE_WITH_CONDITIONS and conditions:
        problems.add(
            "conditions", f"conditions belong only to execute_with_conditions, not to "
            f"{facts.decision.value}",
        )
    if problems:
        raise InvalidInput(
            f"the decision to {facts.decision.value} cannot be recorded", items=problems.items
        )
    if facts.decision in EXECUTE_DECISIONS and is_intrusive(facts.kind, extra_intrusive):
        distinct = set(facts.approver_ids)
        if len(distinct) < 2:
            raise PermissionDenied(
                f"a decision to execute a {facts.kind.value} request needs approvals from two "
                f"different reviewers on the current version; it has {len(distinct)} "
                f"({TWO_REVIEWERS_BASIS})"
            )


def _non_blank(texts: Iterable[str]) -> list[str]:
    return [text for text in texts if text.strip()]
