"""Benchmark: entry into force over 20 treaties.

20 treaties: the 4 packaged rules plus 16 generated variants (thresholds 5-60, delays in days
or "first day of the month after M months", with and without the REIO clause), each with 150-250
generated participants (most with an instrument). For every treaty: entry_into_force once and
in_force_for every participant on one date. Prints the median over RUNS runs of the total,
against the target (< 50 ms) and a named baseline: a bare loop over the same participants that
only reads each one's deposit date. Exits 1 when the target is missed.

Run: .venv/bin/python bench/bench_entry_into_force.py
"""

from __future__ import annotations

import dataclasses
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from treatydesk.status.model import ActionKind, Participant, Snapshot, TreatyRecord
from treatydesk.status.rules import Delay, EntryIntoForceRule, entry_into_force, in_force_for, rules

RUNS = 15
TARGET_MS = 50.0
ON = date(2030, 6, 30)
KINDS = [ActionKind.RATIFICATION, ActionKind.ACCEPTANCE, ActionKind.APPROVAL,
         ActionKind.ACCESSION, ActionKind.SUCCESSION]


def treaties() -> list[tuple[EntryIntoForceRule, Snapshot]]:
    rng = random.Random(20)
    base = list(rules().values())
    chosen = list(base)
    for i in range(16):
        template = base[i % len(base)]
        delay = (Delay("days_after", rng.choice([30, 60, 90]), "gen") if i % 2
                 else Delay("first_day_of_month_after_months", rng.choice([1, 3, 6]), "gen"))
        chosen.append(dataclasses.replace(
            template, reference=f"GEN-{i}", threshold=rng.randrange(5, 61), delay=delay,
            reio_counted_in_addition=rng.choice([False, None]),
        ))
    result = []
    for rule in chosen:
        participants = []
        for n in range(rng.randrange(150, 251)):
            has_action = rng.random() < 0.8
            participants.append(Participant(
                key=f"{rule.reference}-{n}", name=f"Participant {n}", iso3=None,
                is_reio=n == 0,
                signature=rule.opened_for_signature,
                action=(rule.opened_for_signature + timedelta(days=rng.randrange(1, 3000))
                        if has_action else None),
                action_kind=rng.choice(KINDS) if has_action else None,
            ))
        snapshot = Snapshot(treaty=TreatyRecord(rule.reference, "generated"), source="bench",
                            retrieved_at=datetime(2030, 1, 1, tzinfo=UTC),
                            participants=tuple(participants))
        result.append((rule, snapshot))
    return result


def measured(work: list[tuple[EntryIntoForceRule, Snapshot]]) -> int:
    bound = 0
    for rule, snapshot in work:
        position = entry_into_force(snapshot, rule)
        position.in_force_on(ON)
        for participant in snapshot.participants:
            day = in_force_for(snapshot, rule, participant.key)
            if day is not None and day <= ON:
                bound += 1
    return bound


def baseline(work: list[tuple[EntryIntoForceRule, Snapshot]]) -> int:
    """The floor: touching every participant's deposit date, no rule logic."""
    bound = 0
    for _, snapshot in work:
        for participant in snapshot.participants:
            if participant.action is not None and participant.action <= ON:
                bound += 1
    return bound


def median_ms(function: Callable[[], object]) -> float:
    function()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    work = treaties()
    count = sum(len(snapshot.participants) for _, snapshot in work)
    print(f"{len(work)} treaties, {count} participants; medians of {RUNS} runs")
    base = median_ms(lambda: baseline(work))
    total = median_ms(lambda: measured(work))
    ok = total < TARGET_MS
    print(f"baseline (bare loop over the same participants): {base:8.3f} ms")
    print(f"entry_into_force + in_force_for every participant: {total:8.3f} ms "
          f"(target < {TARGET_MS:g} ms) {'PASS' if ok else 'FAIL'}")
    print(f"ratio to baseline: {total / base:.1f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
