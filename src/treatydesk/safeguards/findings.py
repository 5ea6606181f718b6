"""Outcomes, findings and decisions: what the engine returns.

Plain slotted dataclasses (no pydantic in the hot path). A Decision serialises to one JSON
record for the audit log with `as_record()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple


class Outcome(StrEnum):
    """What a rule concluded. The overall outcome of a decision is the most severe finding, in
    this documented precedence: refuse > missing > consult > warn > pass > not_applicable."""

    REFUSE = "refuse"  # a ground for refusal
    MISSING = "missing"  # information the request must add before it can be decided
    CONSULT = "consult"  # a reviewer must decide
    WARN = "warn"  # executable, with something to note
    PASS = "pass"  # the rule is satisfied
    NOT_APPLICABLE = "not_applicable"  # the rule does not concern this request

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY: dict[Outcome, int] = {
    Outcome.NOT_APPLICABLE: 0, Outcome.PASS: 1, Outcome.WARN: 2, Outcome.CONSULT: 3,
    Outcome.MISSING: 4, Outcome.REFUSE: 5,
}
#: outcomes in precedence order, most severe first
PRECEDENCE: tuple[Outcome, ...] = tuple(sorted(Outcome, key=lambda o: -o.severity))


class ExplainLevel(StrEnum):
    """How much of a decision to show: `fails` (refuse, missing, consult), `notes` (plus warn),
    `full` (everything, including pass and not_applicable, with the facts read)."""

    FAILS = "fails"
    NOTES = "notes"
    FULL = "full"


_LEVEL_MINIMUM: dict[ExplainLevel, int] = {
    ExplainLevel.FAILS: Outcome.CONSULT.severity, ExplainLevel.NOTES: Outcome.WARN.severity,
    ExplainLevel.FULL: Outcome.NOT_APPLICABLE.severity,
}


class Finding(NamedTuple):
    """One rule's conclusion. A NamedTuple: immutable, and the cheapest object Python builds
    (an evaluation makes one per rule)."""

    rule_id: str
    outcome: Outcome
    #: the articles and paragraphs this finding rests on
    articles: tuple[str, ...]
    #: one sentence built from the facts
    sentence: str
    #: the facts the rule read, as (name, value shown) pairs
    facts: tuple[tuple[str, str], ...] = ()
    #: True when a cited paragraph is still marked [R] (recalled, not verified)
    relies_on_recalled: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id, "outcome": self.outcome.value,
            "articles": list(self.articles), "sentence": self.sentence,
            "facts": {name: value for name, value in self.facts},
            "relies_on_recalled": self.relies_on_recalled,
        }


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition that must accompany execution (e.g. 36 transfer conditions)."""

    article: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"article": self.article, "text": self.text}


@dataclass(frozen=True, slots=True)
class Decision:
    decision_id: str
    request_reference: str
    kind: str
    requesting_party: str
    requested_party: str
    on: dt.date
    outcome: Outcome
    findings: tuple[Finding, ...]
    conditions: tuple[Condition, ...]
    reviewers_required: int
    #: True only when the request describes an emergency within 2(o)
    emergency: bool
    #: sha256 of the rule set, data tables and policy pack that decided
    revision: str
    policy_name: str

    def finding(self, rule_id: str) -> Finding | None:
        for finding in self.findings:
            if finding.rule_id == rule_id:
                return finding
        return None

    def explain(self, level: ExplainLevel | str = ExplainLevel.NOTES) -> tuple[Finding, ...]:
        """Findings to show at `level`, most severe first (stable within an outcome)."""
        minimum = _LEVEL_MINIMUM[ExplainLevel(level)]
        shown = [f for f in self.findings if f.outcome.severity >= minimum]
        return tuple(sorted(shown, key=lambda f: -f.outcome.severity))

    def counts(self) -> dict[str, int]:
        result = {outcome.value: 0 for outcome in PRECEDENCE}
        for finding in self.findings:
            result[finding.outcome.value] += 1
        return result

    def as_record(self, level: ExplainLevel | str = ExplainLevel.FULL) -> dict[str, Any]:
        """The JSON-ready record of this decision (for the audit log and `--json`)."""
        return {
            "decision_id": self.decision_id,
            "request_reference": self.request_reference,
            "kind": self.kind,
            "requesting_party": self.requesting_party,
            "requested_party": self.requested_party,
            "on": self.on.isoformat(),
            "outcome": self.outcome.value,
            "reviewers_required": self.reviewers_required,
            "emergency": self.emergency,
            "revision": self.revision,
            "policy": self.policy_name,
            "counts": self.counts(),
            "conditions": [condition.as_dict() for condition in self.conditions],
            "findings": [finding.as_dict() for finding in self.explain(level)],
        }
