"""Benchmark of the safeguards engine (one command: `.venv/bin/python bench/bench_engine.py`).

Generates N varied requests (every kind, the invented parties, offences of every conduct
family, profile flags, emergencies, bulk and open-ended data) from a fixed seed, then measures:

- baseline: validating the same dicts with the pydantic request model (model_validate);
- engine: `evaluate` on the validated requests (batch throughput);
- one evaluation: per-call latency, p50 and p99.

Targets: >= 20,000 evaluations/s on one core; engine time <= 5x the baseline time; p99 of one
evaluation < 1 ms. Medians over REPEATS runs. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from treatydesk.cooperation.kinds import RequestKind
from treatydesk.cooperation.request import CooperationRequest
from treatydesk.parties.profile import load_party_profiles
from treatydesk.parties.standings_file import load_standings
from treatydesk.safeguards import evaluate, load_policy

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

TARGET_RATE = 20_000
TARGET_RATIO = 5.0
TARGET_P99_MS = 1.0

CONDUCTS = [
    ("Computer fraud", "The suspect deceived victims through a fake investment website."),
    ("Illegal access", "He hacked into the e-mail accounts of company staff."),
    ("Ransomware", "The group deployed ransomware and encrypted the files of a hospital."),
    ("DDoS", "She ran a botnet that took the website offline."),
    ("Malware trade", "He sold malware kits and stolen credentials on a forum."),
    ("CSAM", "He distributed child sexual abuse material in a chat group."),
    ("Laundering", "They laundered proceeds of crime through a cryptocurrency mixer."),
    ("Drug supply", "He sold cocaine through a hidden service."),
    ("False information", "She posted articles criticising the minister."),
    ("Public order", "He organised a protest through a messaging group."),
    ("Tax offence", "He hid undeclared income from the tax office."),
    ("Offence 12", "He did the thing described in the annex."),
    ("Research", "He reported the vulnerability through a bug bounty programme."),
]
FLAGS = ["journalist", "activist", "political_opposition", "security_researcher", "lgbti"]
PARTIES = ["XAA", "XAB", "XAC", "XAD", "XAE"]


def generate(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    kinds = [kind.value for kind in RequestKind]
    result: list[dict[str, Any]] = []
    for index in range(count):
        requesting, requested = rng.sample(PARTIES, 2)
        day = dt.date(2027, 1, 1) + dt.timedelta(days=rng.randrange(0, 500))
        label, conduct = rng.choice(CONDUCTS)
        penalty = rng.choice([None, 0.5, 1, 2, 3.99, 4, 6, 10])
        kind = rng.choice(kinds)
        data: dict[str, Any] = {
            "reference": f"BENCH-{index}", "kind": kind,
            "requesting_party": requesting, "requested_party": requested,
            "requesting_authority": {"name": "Central Authority"},
            "conducting_authority": {"name": "Prosecutor"},
            "proceeding": {"stage": "investigation", "subject_matter": f"Case about {label}"},
            "channel": rng.choice(["central_authority", "network_24_7", "diplomatic"]),
            "language": rng.choice(["en", "en", "fr", "es"]), "date": day.isoformat(),
            "urgency": rng.choice(["ordinary", "ordinary", "urgent", "emergency"]),
            "offences": [{
                "label": label, "conduct_description": conduct, "legal_provision": "EX s. 1",
                "max_penalty_years": penalty, "max_penalty_life": rng.random() < 0.05,
                "claimed_convention_article": rng.choice([None, 7, 13]),
            }],
            "facts_summary": f"{conduct} Victims reported losses in {day.year}.",
            "subjects": [{
                "identifier_type": "email",
                "identifier_value": rng.choice(["a@x.invalid", "*@x.invalid"]),
                "role": "suspect",
                "profile_flags": rng.sample(FLAGS, rng.choice([0, 0, 0, 1])),
            } for _ in range(rng.choice([0, 1, 1, 2]))],
            "data_requested": [{
                "category": rng.choice(["subscriber", "traffic", "content"]),
                "from_date": (day - dt.timedelta(days=rng.choice([30, 400]))).isoformat(),
                "to_date": rng.choice([day.isoformat(), None]),
                "justification": rng.choice(["Identifies the operator.", None]),
            } for _ in range(rng.choice([0, 1, 2]))],
            "measures_sought": [rng.choice(["Production of records",
                                            "Subscriber data of all users"])],
            "purpose": rng.choice(["To identify the suspect.", None]),
        }
        if data["urgency"] == "emergency" or kind == "emergency_disclosure":
            data["emergency_justification"] = rng.choice(
                ["He threatened to kill a teacher today.", "The deadline is close."])
        if kind == "preservation":
            data["preservation"] = {"data_custodian": "Provider", "necessity": "Logs expire.",
                                    "mla_to_follow": True, "duration_days": rng.choice([30, 90])}
        if kind in ("real_time_traffic_collection", "content_interception"):
            data["collection_period"] = {"start": day.isoformat(), "end": (
                day + dt.timedelta(days=rng.choice([30, 120]))).isoformat(),
                "justification": "Active scheme."}
        if kind == "extradition":
            data["subjects"] = [{"identifier_type": "person_name", "identifier_value": "J. Doe",
                                 "role": "person_sought"}]
            data["extradition"] = {"warrant_reference": "W-1"}
        result.append(data)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--latency-sample", type=int, default=20_000)
    args = parser.parse_args()

    profiles = load_party_profiles(EXAMPLES / "parties")
    standings = load_standings(EXAMPLES / "status" / "hypothetical.yaml")
    policy = load_policy(EXAMPLES / "policy" / "default.yaml")
    dicts = generate(args.count, seed=2027)
    requests = [CooperationRequest.model_validate(d) for d in dicts]
    jobs = [(r, profiles[r.requested_party], profiles.get(r.requesting_party)) for r in requests]
    evaluate(requests[0], on=requests[0].date, requested=jobs[0][1], requesting=jobs[0][2],
             standings=standings, policy=policy)  # warm: loads rules, data, figures once

    validate_times: list[float] = []
    engine_times: list[float] = []
    outcomes: dict[str, int] = {}
    for _ in range(args.repeats):
        start = time.perf_counter()
        for d in dicts:
            CooperationRequest.model_validate(d)
        validate_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for request, requested, requesting in jobs:
            decision = evaluate(request, on=request.date, requested=requested,
                                requesting=requesting, standings=standings, policy=policy)
            outcomes[decision.outcome.value] = outcomes.get(decision.outcome.value, 0) + 1
        engine_times.append(time.perf_counter() - start)

    latencies: list[float] = []
    for request, requested, requesting in jobs[: args.latency_sample]:
        start = time.perf_counter_ns()
        evaluate(request, on=request.date, requested=requested, requesting=requesting,
                 standings=standings, policy=policy)
        latencies.append((time.perf_counter_ns() - start) / 1e6)
    latencies.sort()
    p50 = latencies[len(latencies) // 2]
    p99 = latencies[int(len(latencies) * 0.99)]

    validate_median = statistics.median(validate_times)
    engine_median = statistics.median(engine_times)
    rate = args.count / engine_median
    ratio = engine_median / validate_median
    kinds = len({d["kind"] for d in dicts})
    print(f"requests: {args.count} generated ({kinds} kinds, {len(PARTIES)} invented parties), "
          f"{args.repeats} repeats, medians")
    print(f"outcomes per run: { {k: v // args.repeats for k, v in sorted(outcomes.items())} }")
    print(f"baseline (pydantic model_validate of the same dicts): {validate_median:.3f} s "
          f"= {args.count / validate_median:,.0f} requests/s")
    print(f"engine (evaluate): {engine_median:.3f} s = {rate:,.0f} requests/s "
          f"[target >= {TARGET_RATE:,}] {'PASS' if rate >= TARGET_RATE else 'FAIL'}")
    print(f"ratio engine/baseline: {ratio:.2f}x [target <= {TARGET_RATIO}x] "
          f"{'PASS' if ratio <= TARGET_RATIO else 'FAIL'}")
    print(f"one evaluation: p50 {p50:.3f} ms, p99 {p99:.3f} ms [target p99 < {TARGET_P99_MS} ms] "
          f"{'PASS' if p99 < TARGET_P99_MS else 'FAIL'}")
    ok = rate >= TARGET_RATE and ratio <= TARGET_RATIO and p99 < TARGET_P99_MS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
