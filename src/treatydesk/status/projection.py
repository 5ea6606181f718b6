"""An estimate of when the threshold instrument will be deposited, and so of entry into force.

Two methods, both stated in the result: the pace so far (instruments counted per day since the
treaty opened for signature, continued in a straight line), and comparable treaties (how many
days each took from opening for signature to its threshold instrument, data/comparables.csv,
laid on this treaty's opening day). The range is the spread of those estimates. It is an
estimate, never a fact: ratification is a political act and follows no curve.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

from treatydesk.datafile import read_csv
from treatydesk.errors import DataFileError, ErrorItem, InvalidInput
from treatydesk.status.model import Snapshot
from treatydesk.status.rules import EntryIntoForceRule, entry_into_force

__all__ = ["COMPARABLES_FILE", "CAVEAT", "ComparableTimeline", "Estimate", "Projection",
           "load_comparables", "project"]

COMPARABLES_FILE = "comparables.csv"
CAVEAT = (
    "This is an estimate, not a fact: it extends past paces in a straight line, and States "
    "ratify when their own procedures and politics allow."
)
_COLUMNS = ["treaty", "reference", "adopted", "opened_for_signature", "signatures_at_opening",
            "threshold", "threshold_reached", "eif_rule", "entry_into_force", "source"]
_LEADING_NUMBER = re.compile(r"\s*(\d+)\b")


@dataclass(frozen=True, slots=True)
class ComparableTimeline:
    treaty: str
    reference: str
    opened_for_signature: date
    threshold: int
    threshold_reached: date
    entry_into_force: date
    source: str

    @property
    def days_to_threshold(self) -> int:
        return (self.threshold_reached - self.opened_for_signature).days


def load_comparables(path: Path | str | None = None, *, text: str | None = None,
                     ) -> list[ComparableTimeline]:
    """The comparable treaties' timelines (the packaged CSV by default)."""
    if path is None:
        resource = files("treatydesk.status") / "data" / COMPARABLES_FILE
        path, text = Path(str(resource)), resource.read_text(encoding="utf-8")
    rows = read_csv(path, required=_COLUMNS, text=text)
    problems: list[ErrorItem] = []
    result: list[ComparableTimeline] = []
    for row in rows:
        where = f"{path}:{row.line}"
        values = row.values
        dates: dict[str, date] = {}
        for column in ("opened_for_signature", "threshold_reached", "entry_into_force"):
            try:
                dates[column] = date.fromisoformat(values[column].strip())
            except ValueError:
                problems.append(ErrorItem(
                    where, f"{column} {values[column]!r} is not a date YYYY-MM-DD"
                ))
        threshold = _LEADING_NUMBER.match(values["threshold"])
        if threshold is None:
            problems.append(ErrorItem(
                where, f"threshold {values['threshold']!r} does not start with a number"
            ))
        if len(dates) < 3 or threshold is None:
            continue
        if not dates["opened_for_signature"] < dates["threshold_reached"] <= dates[
                "entry_into_force"]:
            problems.append(ErrorItem(
                where, "expected opened_for_signature < threshold_reached <= entry_into_force"
            ))
            continue
        result.append(ComparableTimeline(
            treaty=values["treaty"], reference=values["reference"],
            opened_for_signature=dates["opened_for_signature"], threshold=int(threshold.group(1)),
            threshold_reached=dates["threshold_reached"],
            entry_into_force=dates["entry_into_force"], source=values["source"],
        ))
    if problems:
        raise DataFileError(f"{len(problems)} bad rows", file=str(path), items=problems)
    return result


@dataclass(frozen=True, slots=True)
class Estimate:
    #: "pace" or "comparable"
    method: str
    label: str
    threshold_date: date | None
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {"method": self.method, "label": self.label,
                "threshold_date": _day(self.threshold_date), "note": self.note}


@dataclass(frozen=True, slots=True)
class Projection:
    reference: str
    today: date
    counted: int
    threshold: int
    missing: int
    #: True when the threshold is already reached; the dates are then facts of the record
    reached: bool
    estimates: tuple[Estimate, ...]
    threshold_earliest: date | None
    threshold_likely: date | None
    threshold_latest: date | None
    in_force_earliest: date | None
    in_force_likely: date | None
    in_force_latest: date | None
    method: str
    caveat: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference, "today": self.today.isoformat(),
            "counted": self.counted, "threshold": self.threshold, "missing": self.missing,
            "reached": self.reached,
            "estimates": [estimate.as_dict() for estimate in self.estimates],
            "threshold_instrument": {"earliest": _day(self.threshold_earliest),
                                     "likely": _day(self.threshold_likely),
                                     "latest": _day(self.threshold_latest)},
            "entry_into_force": {"earliest": _day(self.in_force_earliest),
                                 "likely": _day(self.in_force_likely),
                                 "latest": _day(self.in_force_latest)},
            "method": self.method, "caveat": self.caveat,
        }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def project(snapshot: Snapshot, rule: EntryIntoForceRule,
            comparables: list[ComparableTimeline], today: date) -> Projection:
    """Estimate when the threshold instrument will be deposited, as of `today`."""
    opened = rule.opened_for_signature
    if today < opened:
        raise InvalidInput(
            f"today {today.isoformat()} is before {rule.reference} opened for signature "
            f"({opened.isoformat()}); nothing to project"
        )
    position = entry_into_force(snapshot, rule)
    if position.threshold_instrument_date is not None and position.date_in_force is not None:
        reached, in_force = position.threshold_instrument_date, position.date_in_force
        return Projection(
            reference=rule.reference, today=today, counted=position.counted,
            threshold=rule.threshold, missing=0, reached=True, estimates=(),
            threshold_earliest=reached, threshold_likely=reached, threshold_latest=reached,
            in_force_earliest=in_force, in_force_likely=in_force, in_force_latest=in_force,
            method=(f"no projection needed: the threshold instrument was deposited "
                    f"{reached.isoformat()} (art. {rule.threshold_reference})"),
            caveat="These dates are on the record, not estimated.",
        )
    estimates = [_pace_estimate(position.counted, position.missing, opened, today)]
    for comparable in comparables:
        estimates.append(_comparable_estimate(comparable, opened, today))
    dated = sorted(e.threshold_date for e in estimates if e.threshold_date is not None)
    earliest = dated[0] if dated else None
    latest = dated[-1] if dated else None
    likely = (date.fromordinal(statistics.median_low([d.toordinal() for d in dated]))
              if dated else None)
    method = (
        f"{position.counted} of {rule.threshold} instruments counted (art. "
        f"{rule.threshold_reference}). Estimates: the pace since opening for signature on "
        f"{opened.isoformat()} continued in a straight line, and each comparable treaty's "
        "days from opening to its threshold instrument laid on this treaty's opening day. "
        "Earliest and latest are the extremes of those estimates, likely is their median; "
        f"entry into force follows by the rule ({rule.delay.describe()})."
    )
    if rule.condition is not None:
        method += (f" The condition of at least {rule.condition.at_least} from "
                   f"{rule.condition.description} is not projected.")
    if not dated:
        method += " No method gave a date, so there is no range."
    return Projection(
        reference=rule.reference, today=today, counted=position.counted,
        threshold=rule.threshold, missing=position.missing, reached=False,
        estimates=tuple(estimates),
        threshold_earliest=earliest, threshold_likely=likely, threshold_latest=latest,
        in_force_earliest=rule.delay.apply(earliest) if earliest else None,
        in_force_likely=rule.delay.apply(likely) if likely else None,
        in_force_latest=rule.delay.apply(latest) if latest else None,
        method=method, caveat=CAVEAT,
    )


def _pace_estimate(counted: int, missing: int, opened: date, today: date) -> Estimate:
    elapsed = (today - opened).days
    if counted == 0 or elapsed == 0:
        return Estimate("pace", "pace so far", None,
                        "no instrument counted yet, so the pace method has no data")
    per_day = counted / elapsed
    days = math.ceil(missing / per_day)
    return Estimate(
        "pace", "pace so far", today + timedelta(days=days),
        f"{counted} instruments in {elapsed} days ({per_day * 365.25:.1f} a year); "
        f"{missing} more at that pace take {days} days",
    )


def _comparable_estimate(comparable: ComparableTimeline, opened: date, today: date) -> Estimate:
    aligned = opened + timedelta(days=comparable.days_to_threshold)
    label = f"{comparable.treaty} ({comparable.reference})"
    start = comparable.opened_for_signature.isoformat()
    note = (f"{comparable.days_to_threshold} days from opening ({start}) to its threshold of "
            f"{comparable.threshold} ({comparable.threshold_reached.isoformat()})")
    if aligned <= today:
        # the comparable was already past its threshold at this age; the threshold here is
        # not reached, so the earliest it can be is tomorrow
        return Estimate("comparable", label, today + timedelta(days=1),
                        note + f"; at that pace it would have been reached by "
                        f"{aligned.isoformat()}, so the estimate is moved to tomorrow")
    return Estimate("comparable", label, aligned, note)
