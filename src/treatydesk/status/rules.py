"""Entry into force, computed from rules kept as data (data/entry_into_force.yaml).

A rule says how many instruments bring a treaty into force, which kinds of instrument count,
any condition on who must be among them, the delay after the threshold instrument, the rule for
parties that join later, and whether a regional economic integration organization's instrument
counts in addition to its members'. The UN Convention against Cybercrime's numbers come from
the convention figures (Art 65), never from this module.

Reading of the counting rules, applied to every treaty here:
- instruments are ordered by deposit date; several on the same day count in file order;
- a REIO's instrument is left out of the count where the rule says it is not counted in
  addition to its members' (Art 65(1)); it still binds the REIO itself;
- an instrument deposited on or before the threshold instrument's day is bound from the general
  date; a later one by the later-party rule (Art 65(2) and its equivalents);
- instruments of kinds not counted (succession, or accession where the treaty opens it only
  after entry into force) are bound by the same dates but never count towards the threshold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator
from rapidfuzz import process

from treatydesk.datafile import YamlDocument, load_yaml, parse_model
from treatydesk.errors import DataFileError, ErrorItem, NotFound, TreatyDeskError
from treatydesk.status.model import ActionKind, Participant, Snapshot, Standing

__all__ = [
    "Delay", "EntryIntoForceRule", "EntryIntoForcePosition", "SubsetCondition",
    "entry_into_force", "in_force_for", "load_rules", "rule_for", "rules", "standings",
]

RULES_FILE = "entry_into_force.yaml"


class FigureLike(Protocol):
    @property
    def value(self) -> object: ...

    @property
    def reference(self) -> str: ...

    @property
    def verified(self) -> bool: ...


FigureLookup = Callable[[str], FigureLike]


# --------------------------------------------------------------------------- the data file


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Cited(_Strict):
    value: int | bool | date
    reference: str = Field(min_length=1)


class _FigureRef(_Strict):
    figure: str = Field(min_length=1)


_Amount = _Cited | _FigureRef


class _DelayData(_Strict):
    days_after: _Amount | None = None
    first_day_of_month_after_months: _Amount | None = None
    or_general_date_if_later: bool = False

    @model_validator(mode="after")
    def _exactly_one(self) -> _DelayData:
        given = [self.days_after, self.first_day_of_month_after_months]
        if sum(item is not None for item in given) != 1:
            raise ValueError(
                "give exactly one of days_after or first_day_of_month_after_months"
            )
        return self


class _ConditionData(_Strict):
    subset: str
    at_least: _Amount


class _RuleData(_Strict):
    reference: str = Field(min_length=1)
    treaty: str = Field(min_length=1)
    source: str = Field(min_length=1)
    opened_for_signature: _Amount
    threshold: _Amount
    counted_kinds: list[ActionKind] = Field(min_length=1)
    condition: _ConditionData | None = None
    delay: _DelayData
    later_party: _DelayData
    reio_counted_in_addition: _Amount | None = None


class _SubsetData(_Strict):
    description: str = Field(min_length=1)
    source: str = Field(min_length=1)
    members: list[str] = Field(min_length=1)


class _RulesFile(_Strict):
    rules: list[_RuleData] = Field(min_length=1)
    subsets: dict[str, _SubsetData] = {}


# --------------------------------------------------------------------------- resolved rules


@dataclass(frozen=True, slots=True)
class Delay:
    """How long after an instrument a treaty takes effect."""

    #: "days_after" (date + amount days) or "first_day_of_month_after_months"
    kind: str
    amount: int
    reference: str

    def apply(self, deposit: date) -> date:
        if self.kind == "days_after":
            return deposit + timedelta(days=self.amount)
        # the period of `amount` months ends on the same day number `amount` months later
        # (clamped to the month's length); the treaty takes effect on the 1st of the next month
        month_index = deposit.month - 1 + self.amount
        year, month = deposit.year + month_index // 12, month_index % 12 + 1
        if month == 12:
            return date(year + 1, 1, 1)
        return date(year, month + 1, 1)

    def describe(self) -> str:
        if self.kind == "days_after":
            return f"day {self.amount} after the instrument (art. {self.reference})"
        return (f"first day of the month following {self.amount} months after the instrument "
                f"(art. {self.reference})")


@dataclass(frozen=True, slots=True)
class SubsetCondition:
    """At least `at_least` of the counted instruments must come from `members`."""

    name: str
    description: str
    members: frozenset[str]
    at_least: int
    reference: str
    source: str


@dataclass(frozen=True, slots=True)
class EntryIntoForceRule:
    reference: str
    treaty: str
    source: str
    opened_for_signature: date
    threshold: int
    threshold_reference: str
    counted_kinds: frozenset[ActionKind]
    delay: Delay
    later_party_delay: Delay
    later_party_or_general_if_later: bool
    #: None when the treaty says nothing about REIOs (their instruments then count normally)
    reio_counted_in_addition: bool | None
    reio_reference: str | None
    condition: SubsetCondition | None = None
    #: ids of convention figures used here that are not yet verified against the text
    unverified_figures: tuple[str, ...] = ()

    def counts(self, participant: Participant) -> bool:
        """True when this participant's instrument counts towards the threshold."""
        if participant.action is None or participant.action_kind not in self.counted_kinds:
            return False
        return not (participant.is_reio and self.reio_counted_in_addition is False)


@dataclass(frozen=True, slots=True)
class EntryIntoForcePosition:
    reference: str
    threshold: int
    threshold_reference: str
    #: how many instruments count so far, and whose (in deposit order)
    counted: int
    counted_keys: tuple[str, ...]
    #: instruments still needed (0 once the threshold is reached)
    missing: int
    #: the day the instrument that completed the threshold (and condition) was deposited
    threshold_instrument_date: date | None
    #: general entry into force; None while the threshold is not reached
    date_in_force: date | None
    #: instruments from the condition's subset still needed (0 when no condition)
    condition_missing: int = 0
    explanation: tuple[str, ...] = field(default=())

    def in_force_on(self, day: date) -> bool:
        return self.date_in_force is not None and day >= self.date_in_force

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "threshold": self.threshold,
            "threshold_reference": self.threshold_reference,
            "counted": self.counted,
            "counted_keys": list(self.counted_keys),
            "missing": self.missing,
            "condition_missing": self.condition_missing,
            "threshold_instrument_date": _day(self.threshold_instrument_date),
            "date_in_force": _day(self.date_in_force),
            "explanation": list(self.explanation),
        }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


# --------------------------------------------------------------------------- loading


def _convention_figure(figure_id: str) -> FigureLike:
    from treatydesk.convention import convention  # imported late: one figure source, loaded once

    figure: FigureLike = convention().figure(figure_id)
    return figure


class _Resolver:
    def __init__(self, doc: YamlDocument, figure: FigureLookup) -> None:
        self.doc = doc
        self.figure = figure
        self.problems: list[ErrorItem] = []
        self.unverified: list[str] = []

    def amount(self, amount: _Amount, path: tuple[str | int, ...], kind: type,
               ) -> tuple[Any, str]:
        if isinstance(amount, _Cited):
            value: Any = amount.value
            reference = amount.reference
        else:
            try:
                found = self.figure(amount.figure)
            except TreatyDeskError as exc:
                self.problems.append(ErrorItem(
                    self.doc.location(path), f"figure {amount.figure!r}: {exc.message}"
                ))
                return None, ""
            value, reference = found.value, found.reference
            if not found.verified:
                self.unverified.append(amount.figure)
        # bool is an int in Python; a threshold of `true` must not pass as 1
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.problems.append(ErrorItem(
                self.doc.location(path),
                f"expected {kind.__name__}, got {value!r}",
            ))
            return None, ""
        return value, reference

    def delay(self, data: _DelayData, path: tuple[str | int, ...]) -> Delay:
        if data.days_after is not None:
            amount, reference = self.amount(data.days_after, (*path, "days_after"), int)
            kind = "days_after"
        else:
            assert data.first_day_of_month_after_months is not None  # checked by the model
            kind = "first_day_of_month_after_months"
            amount, reference = self.amount(
                data.first_day_of_month_after_months, (*path, kind), int
            )
        if amount is not None and amount < 0:
            self.problems.append(ErrorItem(self.doc.location(path), "delay must be >= 0"))
        return Delay(kind, amount or 0, reference)


def load_rules(
    path: Path | str | None = None, *, text: str | None = None,
    figure: FigureLookup | None = None,
) -> dict[str, EntryIntoForceRule]:
    """Every rule in a rules file (the packaged one by default), by reference. Every problem
    is reported with its file and line, all at once."""
    if path is None:
        resource = files("treatydesk.status") / "data" / RULES_FILE
        path, text = Path(str(resource)), resource.read_text(encoding="utf-8")
    doc = load_yaml(path, text=text)
    data = parse_model(_RulesFile, doc)
    resolver = _Resolver(doc, figure or _convention_figure)
    result: dict[str, EntryIntoForceRule] = {}
    for index, rule in enumerate(data.rules):
        at: tuple[str | int, ...] = ("rules", index)
        threshold, threshold_reference = resolver.amount(rule.threshold, (*at, "threshold"), int)
        if threshold is not None and threshold < 1:
            resolver.problems.append(ErrorItem(
                doc.location((*at, "threshold")), f"threshold must be >= 1, got {threshold}"
            ))
        opened, _ = resolver.amount(rule.opened_for_signature, (*at, "opened_for_signature"),
                                    date)
        reio: bool | None = None
        reio_reference: str | None = None
        if rule.reio_counted_in_addition is not None:
            reio, reio_reference = resolver.amount(
                rule.reio_counted_in_addition, (*at, "reio_counted_in_addition"), bool
            )
        condition: SubsetCondition | None = None
        if rule.condition is not None:
            subset = data.subsets.get(rule.condition.subset)
            at_least, at_least_reference = resolver.amount(
                rule.condition.at_least, (*at, "condition", "at_least"), int
            )
            if subset is None:
                resolver.problems.append(ErrorItem(
                    doc.location((*at, "condition", "subset")),
                    f"no subset named {rule.condition.subset!r} under subsets "
                    f"(known: {', '.join(sorted(data.subsets)) or 'none'})",
                ))
            elif at_least is not None:
                if at_least > (threshold or 0):
                    resolver.problems.append(ErrorItem(
                        doc.location((*at, "condition", "at_least")),
                        f"at_least {at_least} is more than the threshold {threshold}",
                    ))
                condition = SubsetCondition(
                    name=rule.condition.subset, description=subset.description,
                    members=frozenset(subset.members), at_least=at_least,
                    reference=at_least_reference, source=subset.source,
                )
        if rule.reference in result:
            resolver.problems.append(ErrorItem(
                doc.location((*at, "reference")), f"rule {rule.reference!r} is defined twice"
            ))
        delay = resolver.delay(rule.delay, (*at, "delay"))
        later = resolver.delay(rule.later_party, (*at, "later_party"))
        if resolver.problems:
            continue
        result[rule.reference] = EntryIntoForceRule(
            reference=rule.reference, treaty=rule.treaty, source=" ".join(rule.source.split()),
            opened_for_signature=opened, threshold=threshold,
            threshold_reference=threshold_reference,
            counted_kinds=frozenset(rule.counted_kinds), delay=delay,
            later_party_delay=later,
            later_party_or_general_if_later=rule.later_party.or_general_date_if_later,
            reio_counted_in_addition=reio, reio_reference=reio_reference, condition=condition,
            unverified_figures=tuple(dict.fromkeys(resolver.unverified)),
        )
        resolver.unverified.clear()
    if resolver.problems:
        raise DataFileError(
            f"{len(resolver.problems)} problem(s) in the entry-into-force rules",
            file=doc.file, items=resolver.problems,
        )
    return result


@lru_cache(maxsize=1)
def rules() -> dict[str, EntryIntoForceRule]:
    """The packaged rules, loaded once."""
    return load_rules()


def _fold_reference(reference: str) -> str:
    text = reference.upper().replace("UNTC", "").replace("ETS", "CETS").replace("CCETS", "CETS")
    return "".join(ch for ch in text if ch.isalnum())


def rule_for(reference: str) -> EntryIntoForceRule:
    """The rule for a treaty reference such as "XVIII-16" or "CETS 185" (spacing, case and a
    leading "UNTC" do not matter)."""
    known = rules()
    wanted = _fold_reference(reference)
    for rule_reference, rule in known.items():
        if _fold_reference(rule_reference) == wanted:
            return rule
    close = process.extract(reference, list(known), limit=3)
    raise NotFound(
        f"no entry-into-force rule for treaty {reference!r}; rules exist for "
        f"{', '.join(known)}",
        suggestions=[match[0] for match in close],
    )


# --------------------------------------------------------------------------- computing


def entry_into_force(snapshot: Snapshot, rule: EntryIntoForceRule) -> EntryIntoForcePosition:
    """Where the treaty stands against its threshold, and its general date once reached."""
    cached = _last_position.get(id(snapshot))
    if cached is not None and cached[0] is snapshot and cached[1] is rule:
        return cached[2]
    position = _compute_position(snapshot, rule)
    # one entry: repeated in_force_for calls on one snapshot reuse the position without
    # keeping old snapshots alive
    _last_position.clear()
    _last_position[id(snapshot)] = (snapshot, rule, position)
    return position


_last_position: dict[int, tuple[Snapshot, EntryIntoForceRule, EntryIntoForcePosition]] = {}


def _compute_position(snapshot: Snapshot, rule: EntryIntoForceRule) -> EntryIntoForcePosition:
    counted = sorted(
        (p for p in snapshot.participants if rule.counts(p)),
        key=lambda p: p.action or date.max,
    )
    condition = rule.condition
    needed_in_subset = condition.at_least if condition is not None else 0
    in_subset = 0
    threshold_date: date | None = None
    for index, participant in enumerate(counted, start=1):
        if condition is not None and participant.key in condition.members:
            in_subset += 1
        if index >= rule.threshold and in_subset >= needed_in_subset:
            threshold_date = participant.action
            break
    if condition is not None:
        in_subset = sum(1 for p in counted if p.key in condition.members)
    explanation = [
        f"{len(counted)} of {rule.threshold} instruments counted (art. "
        f"{rule.threshold_reference}; kinds: "
        f"{', '.join(sorted(kind.value for kind in rule.counted_kinds))})",
    ]
    if rule.reio_counted_in_addition is False:
        explanation.append(
            "an instrument of a regional economic integration organization is not counted in "
            f"addition to its members' (art. {rule.reio_reference})"
        )
    if condition is not None:
        explanation.append(
            f"{in_subset} of at least {condition.at_least} from {condition.description} "
            f"(art. {condition.reference})"
        )
    date_in_force = rule.delay.apply(threshold_date) if threshold_date is not None else None
    if threshold_date is not None and date_in_force is not None:
        explanation.append(
            f"threshold instrument deposited {threshold_date.isoformat()}; in force "
            f"{date_in_force.isoformat()}: {rule.delay.describe()}"
        )
    else:
        explanation.append("threshold not reached: not in force")
    return EntryIntoForcePosition(
        reference=rule.reference,
        threshold=rule.threshold,
        threshold_reference=rule.threshold_reference,
        counted=len(counted),
        counted_keys=tuple(p.key for p in counted),
        missing=max(0, rule.threshold - len(counted)),
        threshold_instrument_date=threshold_date,
        date_in_force=date_in_force,
        condition_missing=max(0, needed_in_subset - in_subset),
        explanation=tuple(explanation),
    )


def _bound_from(participant: Participant, rule: EntryIntoForceRule,
                position: EntryIntoForcePosition) -> date | None:
    general = position.date_in_force
    threshold_date = position.threshold_instrument_date
    if participant.action is None or general is None or threshold_date is None:
        return None
    if participant.action <= threshold_date:
        return general
    own = rule.later_party_delay.apply(participant.action)
    if rule.later_party_or_general_if_later:
        return max(own, general)
    return own


def in_force_for(snapshot: Snapshot, rule: EntryIntoForceRule, key: str) -> date | None:
    """First day the treaty is in force for one participant; None while it is not bound
    (no instrument, or the treaty not yet in force). NotFound for an unknown key."""
    participant = snapshot.participant(key)
    if participant is None:
        names = [p.key for p in snapshot.participants]
        close = process.extract(key, names, limit=3) if names else []
        raise NotFound(
            f"no participant {key!r} in the {rule.reference} snapshot from {snapshot.source}",
            suggestions=[match[0] for match in close],
        )
    return _bound_from(participant, rule, entry_into_force(snapshot, rule))


def standings(snapshot: Snapshot, rule: EntryIntoForceRule) -> dict[str, Standing]:
    """Every participant's signature, instrument and date of entry into force for it."""
    position = entry_into_force(snapshot, rule)
    return {
        p.key: Standing(
            key=p.key, name=p.name, signature=p.signature, consent=p.action,
            consent_kind=p.action_kind, in_force_from=_bound_from(p, rule, position),
            is_reio=p.is_reio,
        )
        for p in snapshot.participants
    }

