"""The safeguards engine: `evaluate(request, on=..., requested=..., ...)` -> Decision.

Pure and deterministic: no I/O after the first call (the rule registry, the Convention's figures
and the vocabularies are loaded once per process), no wall clock, no randomness. The decision id
is derived from the input and the revision, so the same input under the same rules and policy
always gives the same decision id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from treatydesk.convention import convention
from treatydesk.cooperation.kinds import INTRUSIVE_KINDS
from treatydesk.cooperation.request import CooperationRequest
from treatydesk.errors import ErrorItem, InvalidInput
from treatydesk.parties.conduct import ConductTaxonomy, conduct_taxonomy
from treatydesk.parties.profile import PartyProfile
from treatydesk.safeguards.facts import gather
from treatydesk.safeguards.findings import _SEVERITY, Decision, Finding, Outcome
from treatydesk.safeguards.policy import PolicyPack
from treatydesk.safeguards.rules import RULES, Context, Figures, Rule
from treatydesk.safeguards.vocabulary import Vocabulary, vocabulary
from treatydesk.status.model import Standing

#: bump when the engine's own logic changes in a way the rule versions do not capture
ENGINE_VERSION = 1
_FIGURE_IDS = ("serious_crime_threshold_years", "extradition_threshold_years",
               "preservation_minimum_days")


@dataclass(frozen=True, slots=True)
class RuleRegistry:
    rules: tuple[Rule, ...]
    figures: Figures
    taxonomy: ConductTaxonomy
    vocabulary: Vocabulary
    #: rule id -> True when one of its articles is still marked [R]
    recalled: Mapping[str, bool]
    #: sha256 over the rule set, the figures and the data tables (not the policy)
    digest: str
    #: (rule, relies on a recalled paragraph) in order, read once per evaluation
    entries: tuple[tuple[Rule, bool], ...]
    #: every rule is in effect from in_effect_from to in_effect_until (None: open-ended)
    in_effect_from: dt.date
    in_effect_until: dt.date | None


def _is_recalled(reference: str, recalled: frozenset[str]) -> bool:
    return reference in recalled


@lru_cache(maxsize=1)
def rule_registry() -> RuleRegistry:
    """The rules with their figures and data, checked once per process: every article a rule
    cites must be one the Convention data knows, and rule ids must be unique."""
    treaty = convention()
    problems: list[ErrorItem] = []
    seen: set[str] = set()
    for rule in RULES:
        if rule.id in seen:
            problems.append(ErrorItem(rule.id, "rule id used twice"))
        seen.add(rule.id)
        for reference in rule.articles:
            problem, _ = treaty.reference_problem(reference)
            if problem is not None:
                problems.append(ErrorItem(rule.id, f"cites {reference!r}: {problem}"))
    if problems:
        raise InvalidInput("the safeguard rules cite unknown articles", items=problems)
    figures = {fid: treaty.figure(fid) for fid in _FIGURE_IDS}
    recalled = frozenset(treaty.recalled_references())
    taxonomy = conduct_taxonomy()
    vocab = vocabulary()
    canonical = json.dumps({
        "engine": ENGINE_VERSION,
        "rules": [[r.id, r.version, list(r.articles), str(r.since), str(r.until)]
                  for r in RULES],
        "figures": {fid: [str(f.value), f.reference, f.verified] for fid, f in figures.items()},
        "taxonomy": taxonomy.digest,
        "vocabulary": vocab.digest,
    }, sort_keys=True, separators=(",", ":"))
    recalled_by_rule = {r.id: any(_is_recalled(a, recalled) for a in r.articles) for r in RULES}
    untils = [r.until for r in RULES if r.until is not None]
    return RuleRegistry(
        rules=RULES,
        figures=Figures(
            serious_crime_threshold_years=float(figures["serious_crime_threshold_years"].as_int()),
            extradition_threshold_years=float(figures["extradition_threshold_years"].as_int()),
            preservation_minimum_days=figures["preservation_minimum_days"].as_int(),
        ),
        taxonomy=taxonomy,
        vocabulary=vocab,
        recalled=recalled_by_rule,
        digest=hashlib.sha256(canonical.encode()).hexdigest(),
        entries=tuple((r, recalled_by_rule[r.id]) for r in RULES),
        in_effect_from=max((r.since or dt.date.min) for r in RULES),
        in_effect_until=min(untils) if untils else None,
    )


@lru_cache(maxsize=64)
def _revision(registry_digest: str, policy_digest: str) -> str:
    return hashlib.sha256(f"{registry_digest}:{policy_digest}".encode()).hexdigest()


def revision(policy: PolicyPack) -> str:
    """What decides: the rule set, figures, data tables and this policy pack's content."""
    return _revision(rule_registry().digest, policy.digest)


#: id(standing) -> (the standing, its line in a decision id); the same few standings recur in
#: every evaluation and formatting three dates is a twentieth of one. Keyed by identity and
#: checked with `is` (Standing's own hash is interpreted code); the entry holds the standing,
#: so its id cannot be reused while it is cached; emptied when full (a bound on memory)
_STANDING_KEYS: dict[int, tuple[Standing, str]] = {}
_STANDING_KEYS_LIMIT = 4096


def _standing_key(standing: Standing | None) -> str:
    if standing is None:
        return "-"
    cached = _STANDING_KEYS.get(id(standing))
    if cached is not None and cached[0] is standing:
        return cached[1]
    key = f"{standing.signature}|{standing.consent}|{standing.in_force_from}"
    if len(_STANDING_KEYS) >= _STANDING_KEYS_LIMIT:
        _STANDING_KEYS.clear()
    _STANDING_KEYS[id(standing)] = (standing, key)
    return key


def evaluate(
    request: CooperationRequest,
    *,
    on: dt.date,
    requested: PartyProfile,
    requesting: PartyProfile | None,
    standings: Mapping[str, Standing],
    policy: PolicyPack,
) -> Decision:
    """Checks `request` as of `on` against the Convention and the requested desk's policy.

    `requested` must be the profile of the request's requested party (and `requesting`, when
    given, of its requesting party); `standings` says who is bound from when (from
    `treatydesk.status.rules.standings` or a hypothetical standings file)."""
    if requested.key != request.requested_party:
        raise InvalidInput(
            f"request {request.reference} is addressed to {request.requested_party}, but the "
            f"profile given is of {requested.key}")
    if requesting is not None and requesting.key != request.requesting_party:
        raise InvalidInput(
            f"request {request.reference} comes from {request.requesting_party}, but the "
            f"requesting profile given is of {requesting.key}")
    if policy.party is not None and policy.party != request.requested_party:
        raise InvalidInput(
            f"policy pack '{policy.name}' is for the desk of {policy.party}, but request "
            f"{request.reference} is addressed to {request.requested_party}")
    registry = rule_registry()
    requesting_key = request.requesting_party
    requested_key = request.requested_party
    requesting_standing = standings.get(requesting_key)
    requested_standing = standings.get(requested_key)
    # the rules read the standings of the two parties only; keeping just those makes the
    # decision (and its sentences, built later) independent of later changes to `standings`
    snapshot: dict[str, Standing] = {}
    if requesting_standing is not None:
        snapshot[requesting_key] = requesting_standing
    if requested_standing is not None:
        snapshot[requested_key] = requested_standing
    ctx = Context(
        request=request, on=on, requested=requested, requesting=requesting,
        standings=snapshot, policy=policy,
        facts=gather(request, registry.taxonomy, registry.figures.serious_crime_threshold_years,
                     registry.vocabulary.text_scan),
        figures=registry.figures, taxonomy=registry.taxonomy, vocabulary=registry.vocabulary,
    )
    findings: list[Finding] = []
    worst = Outcome.NOT_APPLICABLE
    worst_severity = 0
    all_in_effect = registry.in_effect_from <= on and (
        registry.in_effect_until is None or on <= registry.in_effect_until)
    for rule, relies_on_recalled in registry.entries:
        if not all_in_effect and not rule.in_effect(on):
            findings.append(Finding.given(rule.id, Outcome.NOT_APPLICABLE, rule.articles,
                                          f"Rule {rule.id} is not in effect on {on}."))
        else:
            outcome, detail = rule.decide(ctx)
            findings.append(Finding(rule.id, outcome, rule.articles, relies_on_recalled,
                                    rule.explain, ctx, detail))
            if _SEVERITY[outcome] > worst_severity:
                worst = outcome
                worst_severity = _SEVERITY[outcome]
    kind = ctx.kind
    two = (ctx.two_reviewers or kind in INTRUSIVE_KINDS or kind in policy.needs_two_reviewers)
    decision_revision = _revision(registry.digest, policy.digest)
    # the id hashes these lines: revision, date, the request's JSON, the profiles' digests and
    # the two standings; the JSON is hashed as the serializer's bytes (no str round trip)
    identity = hashlib.sha256(f"{decision_revision}\n{on.isoformat()}\n".encode())
    identity.update(request.__pydantic_serializer__.to_json(request))
    identity.update((
        f"\n{requested.digest}\n{requesting.digest if requesting is not None else '-'}"
        f"\n{_standing_key(requesting_standing)}\n{_standing_key(requested_standing)}"
    ).encode())
    return Decision(
        decision_id=identity.hexdigest()[:32],
        request_reference=request.reference,
        kind=kind.value,
        requesting_party=requesting_key,
        requested_party=requested_key,
        on=on,
        outcome=worst,
        findings=tuple(findings),
        conditions=tuple(ctx.conditions),
        reviewers_required=2 if two else 1,
        emergency=ctx.emergency,
        revision=decision_revision,
        policy_name=policy.name,
    )
