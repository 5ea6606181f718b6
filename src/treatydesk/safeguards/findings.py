"""Outcomes, findings and decisions: what the engine returns.

Plain classes (no pydantic in the hot path; compiled with mypyc, see setup.py); a finding's
sentence is built only when read. A Decision serialises to one JSON record for the audit log
with `as_record()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final


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


#: how a finding renders its explanation: called with its evaluation context, its decided
#: outcome and the detail its rule's decide step kept, it gives (sentence, facts); it only
#: formats, so reading a sentence never changes what was decided
Render = Callable[[Any, "Outcome", Any], tuple[str, tuple[tuple[str, str], ...]]]


class _Shown:
    """Equality and hash over what `_shown()` gives: the one definition for findings and
    decisions, which are values (equal when they show the same thing)."""

    def _shown(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Shown) or type(other) is not type(self):
            return NotImplemented
        return self is other or self._shown() == other._shown()

    def __ne__(self, other: object) -> bool:
        # checked again, not through __eq__: compiled, a call of it must give a bool
        if not isinstance(other, _Shown) or type(other) is not type(self):
            return NotImplemented
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self._shown())


class Finding(_Shown):
    """One rule's conclusion: rule id, outcome, the articles it rests on and whether one of them
    is still marked [R], decided on every evaluation; its sentence and the facts read are
    rendered only when first read (by `render`, from the evaluation context and the detail the
    rule's decide step kept) and then kept. Two findings are equal when they show the same
    thing."""

    def __init__(self, rule_id: str, outcome: Outcome, articles: tuple[str, ...],
                 relies_on_recalled: bool, render: Render | None, context: Any,
                 detail: Any = None,
                 explained: tuple[str, tuple[tuple[str, str], ...]] | None = None) -> None:
        # Final: read-only once made (compiled, assigning one raises AttributeError), as the
        # tuple a finding used to be
        self.rule_id: Final = rule_id
        self.outcome: Final = outcome
        #: the articles and paragraphs this finding rests on
        self.articles: Final = articles
        #: True when a cited paragraph is still marked [R] (recalled, not verified)
        self.relies_on_recalled: Final = relies_on_recalled
        self._render: Final = render
        self._context: Final = context
        self._detail: Final = detail
        self._explained = explained

    def _explanation(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        explained = self._explained
        if explained is None:
            assert self._render is not None  # a finding is given either a render or its text
            # the context is kept: another thread may be rendering the same finding
            explained = self._explained = self._render(self._context, self.outcome,
                                                       self._detail)
        return explained

    @property
    def sentence(self) -> str:
        """One sentence built from the facts."""
        return self._explanation()[0]

    @property
    def facts(self) -> tuple[tuple[str, str], ...]:
        """The facts the rule read, as (name, value shown) pairs."""
        return self._explanation()[1]

    def _shown(self) -> tuple[Any, ...]:
        return (self.rule_id, self.outcome, self.articles, self.sentence, self.facts,
                self.relies_on_recalled)

    def __repr__(self) -> str:
        return (f"Finding(rule_id={self.rule_id!r}, outcome={self.outcome!r}, "
                f"articles={self.articles!r}, sentence={self.sentence!r}, "
                f"facts={self.facts!r}, relies_on_recalled={self.relies_on_recalled!r})")

    def __reduce__(self) -> tuple[Any, ...]:
        # copied or pickled with its explanation built (not with its evaluation context)
        return (Finding.given, (self.rule_id, self.outcome, self.articles, self.sentence,
                                self.facts, self.relies_on_recalled))

    @staticmethod
    def given(rule_id: str, outcome: Outcome, articles: tuple[str, ...], sentence: str,
              facts: tuple[tuple[str, str], ...] = (),
              relies_on_recalled: bool = False) -> Finding:
        """A finding whose sentence and facts are already built."""
        return Finding(rule_id, outcome, articles, relies_on_recalled, None, None, None,
                       (sentence, facts))

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

    def __reduce__(self) -> tuple[Any, ...]:
        # copied and pickled through the constructor: the compiled class's default state
        # setter assigns attributes, which a frozen dataclass refuses
        return (Condition, (self.article, self.text))


class Decision(_Shown):
    """What the engine concluded for one request: the overall outcome, every finding, the
    conditions of execution and the revision that decided. A plain class with read-only
    attributes (a frozen dataclass's generated constructor runs as interpreted code, a few
    percent of an evaluation); equal when every attribute is."""

    def __init__(self, decision_id: str, request_reference: str, kind: str,
                 requesting_party: str, requested_party: str, on: dt.date, outcome: Outcome,
                 findings: tuple[Finding, ...], conditions: tuple[Condition, ...],
                 reviewers_required: int, emergency: bool, revision: str,
                 policy_name: str) -> None:
        self.decision_id: Final = decision_id
        self.request_reference: Final = request_reference
        self.kind: Final = kind
        self.requesting_party: Final = requesting_party
        self.requested_party: Final = requested_party
        self.on: Final = on
        self.outcome: Final = outcome
        self.findings: Final = findings
        self.conditions: Final = conditions
        self.reviewers_required: Final = reviewers_required
        #: True only when the request describes an emergency within 2(o)
        self.emergency: Final = emergency
        #: sha256 of the rule set, data tables and policy pack that decided
        self.revision: Final = revision
        self.policy_name: Final = policy_name

    def _shown(self) -> tuple[Any, ...]:
        # every attribute, in the constructor's order
        return (self.decision_id, self.request_reference, self.kind, self.requesting_party,
                self.requested_party, self.on, self.outcome, self.findings, self.conditions,
                self.reviewers_required, self.emergency, self.revision, self.policy_name)

    def __repr__(self) -> str:
        return (f"Decision(decision_id={self.decision_id!r}, outcome={self.outcome!r}, "
                f"request_reference={self.request_reference!r}, on={self.on!r}, "
                f"findings={len(self.findings)})")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Decision, self._shown())

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
