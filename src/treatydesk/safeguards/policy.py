"""Policy packs: a desk's own domestic choices, as data (one YAML file per desk).

A pack says which kinds of request need dual criminality (35(2), 40(9)), the desk's own
reservations (11(3), 42(4)), which extra kinds need two reviewers, which rights-risk indicator
values make a reviewer look (40(22)), which languages it accepts (40(14)) and its limits on
scope (24). It is read strictly; its content is part of every decision's revision hash.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable
from functools import cached_property, partial
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from treatydesk.cooperation.kinds import RequestKind
from treatydesk.cooperation.request import Flag, PartyKey, Whole
from treatydesk.datafile import load_yaml, parse_model
from treatydesk.errors import DataFileError

Comparison = Literal["<", "<=", ">", ">=", "==", "!="]
#: "observed < value" is "value > observed": each comparison with its operands swapped, so the
#: threshold's value can be bound first
_SWAPPED: dict[str, Callable[[float, float], bool]] = {
    "<": operator.gt, "<=": operator.ge, ">": operator.lt, ">=": operator.le,
    "==": operator.eq, "!=": operator.ne,
}


class _Model(BaseModel):
    # NaN would compare false with everything, silently turning a threshold off
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)



class IndicatorThreshold(_Model):
    """When the requesting party's indicator compares so with the value: consult (40(22))."""

    indicator: str = Field(min_length=1)
    comparison: Comparison
    value: float

    # cached like the pack's lookups below (so not for model_copy either)
    @cached_property
    def triggered(self) -> Callable[[float], bool]:
        """`triggered(observed)`: whether an observed value compares so with the threshold (a
        partial of the operator, built once: a call runs no interpreted code)."""
        return partial(_SWAPPED[self.comparison], self.value)


class PolicyReservations(_Model):
    """The desk's own reservations; they add to those in its party's profile."""

    misuse_of_devices_11_3: Flag = False
    preservation_dual_criminality_42: Flag = False


class PolicyPack(_Model):
    name: str = Field(min_length=1)
    #: the party whose desk applies this pack; None for a generic pack
    party: PartyKey | None = None
    example: Flag = False
    description: str | None = None
    dual_criminality_required_for: list[RequestKind] = Field(default_factory=list)
    reservations: PolicyReservations = Field(default_factory=PolicyReservations)
    two_reviewer_kinds: list[RequestKind] = Field(default_factory=list)
    indicator_thresholds: list[IndicatorThreshold] = Field(default_factory=list)
    #: replaces the languages of the requested party's profile when given (40(14))
    accepted_languages: list[str] | None = None
    #: longest period of stored data asked without a warning (24(2): limits on scope)
    max_data_period_days: Whole = Field(default=366, ge=1, le=36_500)
    #: longest real-time collection or interception without a warning (45(3)(f), 46(2)(f))
    max_collection_days: Whole = Field(default=90, ge=1, le=3650)
    #: more persons or accounts than this in one request make a reviewer look (24(2))
    max_subjects: Whole = Field(default=25, ge=1, le=10_000)
    #: an oral request confirmed in writing more than this many days after it was made is
    #: noted: 40(14) asks the confirmation promptly, and how prompt is the desk's choice
    oral_confirmation_days: Whole = Field(default=3, ge=0, le=365)

    # lookups the engine reads on every request, computed once per pack (cached_property
    # keeps them in the instance dict: a plain attribute read in the hot path). model_copy
    # would copy them with the dict: a changed pack is validated again instead
    @cached_property
    def needs_dual_criminality(self) -> frozenset[RequestKind]:
        """The kinds for which this desk requires dual criminality."""
        return frozenset(self.dual_criminality_required_for)

    @cached_property
    def needs_two_reviewers(self) -> frozenset[RequestKind]:
        """The kinds this desk always has two reviewers decide."""
        return frozenset(self.two_reviewer_kinds)

    @cached_property
    def languages(self) -> frozenset[str] | None:
        return (frozenset(self.accepted_languages)
                if self.accepted_languages is not None else None)

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()


def load_policy(path: Path | str, *, text: str | None = None) -> PolicyPack:
    doc = load_yaml(path, text=text)
    pack = parse_model(PolicyPack, doc)
    seen: set[str] = set()
    for index, threshold in enumerate(pack.indicator_thresholds):
        key = f"{threshold.indicator} {threshold.comparison} {threshold.value}"
        if key in seen:
            raise DataFileError(f"threshold {key!r} listed twice", file=doc.file,
                                line=doc.line_of(("indicator_thresholds", index)))
        seen.add(key)
    return pack
