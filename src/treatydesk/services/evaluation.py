"""What the safeguards engine is given, assembled in one place for the CLI and the web.

The engine is pure: it takes the request, the requested party's profile, the desk's policy and
the parties' standings. Where those come from differs (files for the CLI, an organisation's
uploads for the web), but the fall-backs and the notes that say what was used must not:
- standings come from the depositary record stored by `treatydesk status import|sync` (the
  bundled partial snapshot when nothing is stored) or, for training, the shipped hypothetical
  example in which the Convention is in force between invented parties;
- a party with no profile is checked against an empty one, and the result says so, rather than
  refusing to explain (a real request today is explained as having no Convention basis);
- a desk with no policy pack is checked against the Convention's rules alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from rapidfuzz import process

from treatydesk.cooperation.request import CooperationRequest
from treatydesk.errors import NotFound
from treatydesk.parties.profile import PartyProfile
from treatydesk.parties.standings_file import load_standings
from treatydesk.safeguards import Decision, PolicyPack, evaluate
from treatydesk.settings import Settings
from treatydesk.status.bundled import bundled_snapshot
from treatydesk.status.model import Standing
from treatydesk.status.rules import rule_for, standings
from treatydesk.store import status_repo
from treatydesk.store.db import Database

#: the depositary reference of the Convention whose status the checks read
CONVENTION_TREATY = "XVIII-16"

#: a desk that has not set its domestic choices: no extra dual-criminality, reviewer or
#: indicator rules beyond what the Convention itself requires
CONVENTION_ONLY_POLICY = PolicyPack(
    name="convention-only",
    description="No domestic choices recorded: only the Convention's own rules apply.",
)


class StatusSource(StrEnum):
    """Which status the check reads: the depositary record (the real Convention is not yet in
    force, so most checks then find the parties unbound) or the shipped hypothetical example,
    for training."""

    RECORD = "record"
    HYPOTHETICAL = "hypothetical"


def example_path(settings: Settings, *parts: str) -> Path:
    """A file of the shipped INVENTED examples; NotFound when this installation lacks them."""
    path = settings.examples_dir.joinpath(*parts)
    if not path.exists():
        raise NotFound(
            f"the shipped examples are not at {path} (set TREATYDESK_EXAMPLES to the examples "
            "folder of a source checkout, or pass the file explicitly)")
    return path


def record_standings(db: Database | None) -> tuple[Mapping[str, Standing], str]:
    """Standings from the newest stored depositary snapshot, else the bundled one."""
    snapshot = None
    if db is not None:
        with db.reading() as session:
            snapshot = status_repo.latest_snapshot(session, treaty=CONVENTION_TREATY)
    if snapshot is None:
        snapshot = bundled_snapshot()
        note = "status: the bundled partial depositary record of XVIII-16 (nothing stored)"
    else:
        note = (f"status: the depositary record of {CONVENTION_TREATY} as of "
                f"{snapshot.retrieved_at:%Y-%m-%d}" + (" (partial)" if snapshot.partial else ""))
    return standings(snapshot, rule_for(CONVENTION_TREATY)), note


def hypothetical_standings(settings: Settings) -> tuple[Mapping[str, Standing], str]:
    path = example_path(settings, "status", "hypothetical.yaml")
    return load_standings(path), f"status: the HYPOTHETICAL example {path}, not the real record"


def standings_for(
    source: StatusSource, *, settings: Settings, db: Database | None
) -> tuple[Mapping[str, Standing], str]:
    if source is StatusSource.HYPOTHETICAL:
        return hypothetical_standings(settings)
    return record_standings(db)


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A decision and what it was decided on (fall-backs used, sources read)."""

    decision: Decision
    notes: tuple[str, ...]

    @property
    def revision(self) -> str:
        return self.decision.revision

    def as_record(self) -> dict[str, Any]:
        return {**self.decision.as_record(), "inputs": list(self.notes)}


def _did_you_mean(key: str, standings: Mapping[str, Standing]) -> str:
    """The closest keys on the status record, for a party key that has no profile ("xab" is
    not XAB: keys of States are upper case)."""
    if key in standings:
        return ""
    close = process.extract(key, list(standings), processor=str.casefold, limit=3,
                            score_cutoff=60)
    return f"; did you mean {', '.join(match[0] for match in close)}?" if close else ""


def evaluate_request(
    request: CooperationRequest,
    *,
    on: date,
    profile_of: Callable[[str], PartyProfile | None],
    policy: PolicyPack | None,
    standings: Mapping[str, Standing],
    notes: tuple[str, ...] = (),
) -> Evaluation:
    """Evaluate `request` as the requested party sees it on `on`, with the fall-backs above."""
    found = list(notes)
    requested = profile_of(request.requested_party)
    if requested is None:
        standing = standings.get(request.requested_party)
        requested = PartyProfile(
            key=request.requested_party,
            name=standing.name if standing is not None else request.requested_party)
        found.append(f"no profile of the requested party {request.requested_party}: checked "
                     "against an empty profile (languages, channels, reservations and offence "
                     f"catalogue unknown){_did_you_mean(request.requested_party, standings)}")
    requesting = profile_of(request.requesting_party)
    if requesting is None:
        found.append(f"no profile of the requesting party {request.requesting_party} "
                     "(its indicators cannot be weighed)"
                     f"{_did_you_mean(request.requesting_party, standings)}")
    if policy is None:
        policy = CONVENTION_ONLY_POLICY
        found.append("no policy pack: only the Convention's own rules were applied")
    decision = evaluate(request, on=on, requested=requested, requesting=requesting,
                        standings=standings, policy=policy)
    return Evaluation(decision, tuple(found))
