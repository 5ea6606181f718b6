"""The YAML rule cases (one file per article, `art_*.yaml`): one pytest item per case.

A case names a base example request (examples/requests/<base>.json), changes it (`set` maps a
JSON path such as `offences[0].max_penalty_years` to a value; `request` deep-merges a mapping,
lists replaced whole), picks a date, policy pack and status, and states the expected overall
outcome and findings (rule id, outcome, words the sentence must contain). A failure shows what
differed and the decision's findings.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field

from treatydesk.cooperation.request import validate_request_data
from treatydesk.datafile import load_yaml, parse_model
from treatydesk.parties.profile import PartyProfile, load_party_profiles
from treatydesk.parties.standings_file import load_standings
from treatydesk.safeguards import Decision, Outcome, PolicyPack, evaluate, load_policy
from treatydesk.status.model import Standing

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


class ExpectedFinding(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rule: str
    outcome: Outcome
    contains: list[str] = Field(default_factory=list)


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: Outcome
    findings: list[ExpectedFinding] = Field(default_factory=list)
    reviewers: int | None = None
    emergency: bool | None = None
    conditions_contain: list[str] = Field(default_factory=list)


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    base: str = "mla_fraud"
    set: dict[str, Any] = Field(default_factory=dict)
    request: dict[str, Any] = Field(default_factory=dict)
    date: dt.date | None = None
    policy: str = "default"
    status: str = "hypothetical"
    expect: Expect


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article: str
    summary: str
    cases: list[Case] = Field(min_length=1)


_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    steps: list[str | int] = [name if name else int(index)
                              for name, index in _STEP.findall(path)]
    node: Any = data
    for step in steps[:-1]:
        node = node[step]
    node[steps[-1]] = value


def merge(target: dict[str, Any], changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


@cache
def profiles() -> dict[str, PartyProfile]:
    return load_party_profiles(EXAMPLES / "parties")


@cache
def policy(name: str) -> PolicyPack:
    return load_policy(EXAMPLES / "policy" / f"{name}.yaml")


@cache
def standings(name: str) -> dict[str, Standing]:
    if name == "real":
        from treatydesk.status.bundled import bundled_snapshot
        from treatydesk.status.rules import rule_for
        from treatydesk.status.rules import standings as compute

        return compute(bundled_snapshot(), rule_for("XVIII-16"))
    return load_standings(EXAMPLES / "status" / f"{name}.yaml")


@cache
def base_request(name: str) -> str:
    return (EXAMPLES / "requests" / f"{name}.json").read_text()


def build_request_data(case: Case) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(base_request(case.base))
    merge(data, case.request)
    for path, value in case.set.items():
        set_path(data, path, value)
    return data


def run_case(case: Case) -> Decision:
    request = validate_request_data(build_request_data(case), source=case.name)
    known = profiles()
    requested = known.get(request.requested_party) or PartyProfile(
        key=request.requested_party, name=request.requested_party)
    return evaluate(request, on=case.date or request.date, requested=requested,
                    requesting=known.get(request.requesting_party),
                    standings=standings(case.status), policy=policy(case.policy))


def differences(case: Case, decision: Decision) -> list[str]:
    problems: list[str] = []
    expect = case.expect
    if decision.outcome is not expect.outcome:
        problems.append(f"overall outcome: expected {expect.outcome.value}, got "
                        f"{decision.outcome.value}")
    for wanted in expect.findings:
        finding = decision.finding(wanted.rule)
        if finding is None:
            problems.append(f"{wanted.rule}: no such finding")
            continue
        if finding.outcome is not wanted.outcome:
            problems.append(f"{wanted.rule}: expected {wanted.outcome.value}, got "
                            f"{finding.outcome.value} ({finding.sentence})")
        for words in wanted.contains:
            if words.lower() not in finding.sentence.lower():
                problems.append(f"{wanted.rule}: sentence lacks {words!r}: {finding.sentence}")
    if expect.reviewers is not None and decision.reviewers_required != expect.reviewers:
        problems.append(f"reviewers: expected {expect.reviewers}, got "
                        f"{decision.reviewers_required}")
    if expect.emergency is not None and decision.emergency is not expect.emergency:
        problems.append(f"emergency: expected {expect.emergency}, got {decision.emergency}")
    texts = " ".join(c.text for c in decision.conditions).lower()
    for words in expect.conditions_contain:
        if words.lower() not in texts:
            problems.append(f"conditions lack {words!r}")
    return problems


class CaseFailed(Exception):
    def __init__(self, problems: list[str], decision: Decision) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
        self.decision = decision


class CaseItem(pytest.Item):
    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        decision = run_case(self.case)
        problems = differences(self.case, decision)
        if problems:
            raise CaseFailed(problems, decision)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailed):
            lines = [f"case {self.case.name!r} differs:"]
            lines += [f"  - {p}" for p in excinfo.value.problems]
            lines.append("findings:")
            lines += [f"  {f.rule_id}: {f.outcome.value}: {f.sentence}"
                      for f in excinfo.value.decision.explain("notes")]
            return "\n".join(lines)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"case: {self.case.name}"


class CaseFile_(pytest.File):
    def collect(self) -> Iterator[CaseItem]:
        doc = load_yaml(self.path)
        parsed = parse_model(CaseFile, doc)
        names: set[str] = set()
        for case in parsed.cases:
            if case.name in names:
                raise ValueError(f"{self.path}: case name {case.name!r} used twice")
            names.add(case.name)
            yield CaseItem.from_parent(self, name=case.name, case=case)


def collect_case_file(parent: pytest.Collector, file_path: Path) -> CaseFile_ | None:
    if file_path.suffix == ".yaml" and file_path.name.startswith("art_"):
        return CaseFile_.from_parent(parent, path=file_path)
    return None
