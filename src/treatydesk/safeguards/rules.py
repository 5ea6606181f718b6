"""The safeguard rules, as code. Each rule has a stable id, a version, the articles and
paragraphs it rests on, the period it is valid, the facts it reads and the outcomes it can
give. Each rule is two functions over the same Context:

- `decide_*` (the hot path, run on every evaluation): the rule's only logic. It gives the
  outcome and the `detail` its explanation needs (raw values: per-offence outcomes, matched
  items, counts; no text), plus the rule's effects on the decision (conditions, emergency, two
  reviewers). Its vocabulary tests are boolean (`matches`, the cheaper scan, or
  `facts.in_text`, the request's text scanned once for the vocabularies two rules read),
  cheap tests first;
- `explain_*` (run only when a finding's sentence or facts are read): renders ONE sentence and
  the facts read from (context, outcome, detail). It has no effects and decides nothing: it
  only words what the decide step found, quoting the vocabulary words from the same
  normalised text (`find`, which finds words exactly when `matches` is true).

Every figure comes from `treatydesk.convention` (figures.yaml); every article reference is
checked against the Convention when the registry loads (`rule_registry()`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from treatydesk.convention import ref
from treatydesk.cooperation.contents import Requirement, is_urgent, requirements
from treatydesk.cooperation.kinds import ELECTRONIC_EVIDENCE_KINDS, INTRUSIVE_KINDS, RequestKind
from treatydesk.cooperation.request import (
    Channel,
    CooperationRequest,
    DataCategory,
    LinkedRequest,
    ProfileFlag,
    Urgency,
)
from treatydesk.parties.conduct import ConductTaxonomy
from treatydesk.parties.profile import DomesticOffence, Indicator, PartyProfile
from treatydesk.safeguards.facts import OffenceFacts, RequestFacts, years_text
from treatydesk.safeguards.findings import Condition, Outcome
from treatydesk.safeguards.policy import IndicatorThreshold, PolicyPack
from treatydesk.safeguards.vocabulary import Vocabulary
from treatydesk.status.model import Standing

#: the Convention was adopted on this day (GA resolution 79/243) [V]; no rule applies earlier
ADOPTED = dt.date(2024, 12, 24)

OC = Outcome

# Paragraphs are cited by the ids the Convention data gives them (articles.yaml), never by
# number: most numbers are recalled [R], and a correction there reaches every rule and sentence.
_SERIOUS = ref("serious_crime_defined")
_EMERGENCY = ref("emergency_defined")
_MISUSE = ref("device_misuse_offence")
_TESTING = ref("device_misuse_authorised_testing")
_MISUSE_RES = ref("device_misuse_reservation")
_RT_RES = ref("real_time_collection_reservation")
_SAFEGUARDS = ref("safeguards_human_rights")
_REVIEW = ref("safeguards_review_and_limits")
_OFFENCES = ref("cooperation_convention_offences")
_EVIDENCE = ref("cooperation_serious_crime_evidence")
_DUAL = ref("dual_criminality_conduct")
_TRANSFER = ref("personal_data_transfer_law")
_DATA_SAFE = ref("personal_data_safeguards")
_ONWARD = ref("personal_data_onward_transfer")
_EXTRADITE = ref("extradition_scope")
_LEGAL_BASIS = ref("extradition_legal_basis")
_EXTR_LAW = ref("extradition_requested_law")
_EXTR_PERSEC = ref("extradition_persecution")
_EXTR_FISCAL = ref("extradition_fiscal")
_NO_COERCION = ref("mla_without_dual_criminality")
_AUTHORITY = ref("mla_central_authority")
_LANGUAGE = ref("mla_form_and_language")
_CONTENTS = ref("mla_contents")
_PERSONS = ref("mla_contents_persons")
_USE_LIMIT = ref("mla_use_limitation")
_CONSULTATION = ref("mla_consultation")
_CONFIDENTIAL = ref("mla_confidentiality")
_ESSENTIAL = ref("mla_refusal_essential_interests")
_DOMESTIC = ref("mla_refusal_domestic_case")
_PERSECUTION = ref("mla_persecution")
_FISCAL = ref("mla_fiscal")
_NETWORK = ref("network_24_7")
_NETWORK_ASSISTANCE = ref("network_24_7_assistance")
_EMERGENCY_DATA = ref("network_24_7_emergency_data")
_PRES_CONTENTS = ref("preservation_contents")
_PRES_NO_DUAL = ref("preservation_no_dual_criminality")
_PRES_RES = ref("preservation_dual_criminality_reservation")
_PRES_PERIOD = ref("preservation_period")
_PRESERVED_TRAFFIC = ref("43")
_STORED_ACCESS = ref("44")
_REAL_TIME = ref("real_time_collection")
_RT_OFFENCES = ref("real_time_collection_offences")
_RT_CONTENTS = ref("real_time_collection_contents")
_INTERCEPT = ref("interception")
_INT_CONTENTS = ref("interception_contents")
_IN_FORCE = ref("entry_into_force")
_LATER_PARTY = ref("entry_into_force_later_party")


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures the rules use, read once from convention figures.yaml."""

    serious_crime_threshold_years: float
    extradition_threshold_years: float
    preservation_minimum_days: int


class Context:
    """What every rule of one evaluation reads, and the effects its decide steps leave. A plain
    class (a dataclass's generated constructor runs as interpreted code on every evaluation)."""

    def __init__(self, request: CooperationRequest, on: dt.date, requested: PartyProfile,
                 requesting: PartyProfile | None, standings: Mapping[str, Standing],
                 policy: PolicyPack, facts: RequestFacts, figures: Figures,
                 taxonomy: ConductTaxonomy, vocabulary: Vocabulary) -> None:
        self.request = request
        #: the request's kind, read once: most rules read it, and each read of a pydantic
        #: field costs about ten reads of a plain attribute
        self.kind: RequestKind = request.kind
        self.on = on
        self.requested = requested
        self.requesting = requesting
        self.standings = standings
        self.policy = policy
        self.facts = facts
        self.figures = figures
        self.taxonomy = taxonomy
        self.vocabulary = vocabulary
        self.conditions: list[Condition] = []
        self.emergency = False
        self.two_reviewers = False


Facts = tuple[tuple[str, str], ...]
#: context -> (outcome, detail for the explanation)
Decide = Callable[[Context], tuple[Outcome, Any]]
#: (context, decided outcome, detail) -> (sentence, facts)
Explain = Callable[[Context, Outcome, Any], tuple[str, Facts]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    version: int
    title: str
    articles: tuple[str, ...]
    facts: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    decide: Decide
    explain: Explain
    since: dt.date | None = ADOPTED
    until: dt.date | None = None

    def in_effect(self, on: dt.date) -> bool:
        return (self.since is None or on >= self.since) and (self.until is None
                                                             or on <= self.until)


def _quote(words: tuple[str, ...] | list[str], limit: int = 4) -> str:
    shown = ", ".join(f"'{w}'" for w in list(words)[:limit])
    return shown + (" ..." if len(words) > limit else "")


def _party(ctx: Context, key: str) -> str:
    if key == ctx.requested.key:
        return f"{ctx.requested.name} ({key})"
    if ctx.requesting is not None and key == ctx.requesting.key:
        return f"{ctx.requesting.name} ({key})"
    standing = ctx.standings.get(key)
    return f"{standing.name} ({key})" if standing is not None else key


_SEV = {outcome: outcome.severity for outcome in Outcome}
#: results without detail, built once (the hot path returns them as they are)
_NOT_APPLICABLE: tuple[Outcome, None] = (OC.NOT_APPLICABLE, None)
_CONSULT: tuple[Outcome, None] = (OC.CONSULT, None)


# ------------------------------------------------------------------------------- 65: in force


def _unbound(standing: Standing | None, on: dt.date) -> str | None:
    """Why a party is not bound on `on` (None: it is)."""
    if standing is None:
        return "absent"
    if standing.consent is None:
        return "signed_only" if standing.signature is not None else "nothing"
    if standing.in_force_from is None:
        return "not_in_force"
    if on < standing.in_force_from:
        return "later"
    return None


def decide_in_force(ctx: Context) -> tuple[Outcome, tuple[str | None, str | None]]:
    request = ctx.request
    standings = ctx.standings
    on = ctx.on
    why = (_unbound(standings.get(request.requesting_party), on),
           _unbound(standings.get(request.requested_party), on))
    return (OC.PASS if why[0] is None and why[1] is None else OC.REFUSE), why


def _unbound_text(ctx: Context, key: str, why: str) -> str:
    name = _party(ctx, key)
    standing = ctx.standings.get(key)
    if why == "absent" or standing is None:
        return f"{name} is not on the status record"
    if why == "signed_only":
        return (f"{name} signed on {standing.signature} but has deposited no instrument "
                f"of consent, so it is not bound")
    if why == "nothing":
        return f"{name} has neither signed nor deposited an instrument"
    if why == "not_in_force":
        return (f"{name} deposited its instrument on {standing.consent} but the Convention has "
                f"not entered into force for it")
    return f"the Convention is in force for {name} only from {standing.in_force_from}"


@lru_cache(maxsize=4096)
def _standing_fact(standing: Standing | None) -> str:
    # parties recur across requests: format each standing once
    if standing is None:
        return "absent"
    return (f"signature={standing.signature} consent={standing.consent} "
            f"in_force_from={standing.in_force_from}")


def explain_in_force(ctx: Context, outcome: Outcome,
                     why: tuple[str | None, str | None]) -> tuple[str, Facts]:
    request = ctx.request
    keys = (request.requesting_party, request.requested_party)
    facts = (
        (f"standing.{keys[0]}", _standing_fact(ctx.standings.get(keys[0]))),
        (f"standing.{keys[1]}", _standing_fact(ctx.standings.get(keys[1]))),
        ("on", ctx.on.isoformat()),
    )
    if outcome is OC.REFUSE:
        problems = [_unbound_text(ctx, key, reason)
                    for key, reason in zip(keys, why, strict=True) if reason is not None]
        return (f"No Convention basis on {ctx.on}: {'; '.join(problems)}; the request can rest "
                f"only on another treaty or domestic law."), facts
    since = [ctx.standings[key].in_force_from for key in keys]
    return (f"The Convention is in force between {_party(ctx, keys[0])} (since {since[0]}) and "
            f"{_party(ctx, keys[1])} (since {since[1]}) on {ctx.on}."), facts


# ---------------------------------------------------------------------------- 35, 2(h): scope

#: per offence: (why it is or is not within the Convention, its outcome)
ScopeDetail = tuple[tuple[str, Outcome], ...]


def _emergency_disclosure_with_risk(ctx: Context) -> bool:
    """An emergency disclosure (41) that describes a risk to life or safety: it rests on that
    risk, not on an offence, so neither an offence outside the Convention nor the lack of a
    serious one refuses it (reviewers weigh it; SG-EMERGENCY-2O judges the emergency)."""
    return ctx.kind is RequestKind.EMERGENCY_DISCLOSURE and ctx.vocabulary.emergency_risk.matches(
        ctx.facts.emergency_text())


def _emergency_described(ctx: Context) -> bool:
    """A risk to life or safety described as imminent, and nothing that denies it (2(o)): what
    SG-EMERGENCY-2O treats as an emergency, pending the reviewer's confirmation."""
    text = ctx.facts.emergency_text()
    vocabulary = ctx.vocabulary
    return (vocabulary.emergency_risk.matches(text) and vocabulary.emergency_imminence.matches(text)
            and not vocabulary.emergency_denial.matches(text))


def decide_scope(ctx: Context) -> tuple[Outcome, ScopeDetail]:
    kind = ctx.kind
    if kind is RequestKind.EXTRADITION:
        return OC.NOT_APPLICABLE, ()  # 37(1) sets extradition's own scope (SG-EXTRADITION-37)
    offences = ctx.facts.offences
    if not offences:
        if kind is RequestKind.EMERGENCY_DISCLOSURE:
            return OC.NOT_APPLICABLE, ()
        return OC.MISSING, ()
    # 35(1)(c) reaches a serious crime that is no Convention offence only for evidence in
    # electronic form: the kind is about such evidence, or the request lists data it seeks
    electronic = kind in ELECTRONIC_EVIDENCE_KINDS or bool(ctx.request.data_requested)
    each: list[tuple[str, Outcome]] = []
    in_scope: Outcome | None = None
    out_of_scope: Outcome | None = None
    for item in offences:
        claimed = item.offence.claimed_convention_article
        if item.serious and not item.convention_articles and not electronic:
            # a reviewer confirms that what is sought is evidence in electronic form
            each.append(("serious_not_electronic", OC.CONSULT))
            if out_of_scope is None or _SEV[OC.CONSULT] > _SEV[out_of_scope]:
                out_of_scope = OC.CONSULT
            continue
        if item.convention_articles or item.serious:
            # in scope; a claimed article the described conduct does not show is a warning
            outcome = (OC.WARN if claimed is not None
                       and claimed not in item.convention_articles else OC.PASS)
            each.append(("article" if item.convention_articles else "serious", outcome))
            if in_scope is None or _SEV[outcome] > _SEV[in_scope]:
                in_scope = outcome
            continue
        if item.serious is None:
            why, outcome = "penalty_unstated", OC.MISSING
        elif claimed is not None:
            why, outcome = "only_claimed", OC.CONSULT
        elif _emergency_disclosure_with_risk(ctx):
            # the disclosure rests on the described risk to life or safety, not on the offence
            # (with no offence described this rule does not apply): describing one cannot
            # refuse it. Without a described risk the request is an ordinary one (2(o)).
            why, outcome = "outside_emergency", OC.CONSULT
        else:
            why, outcome = "outside", OC.REFUSE
        each.append((why, outcome))
        if out_of_scope is None or _SEV[outcome] > _SEV[out_of_scope]:
            out_of_scope = outcome
    # one offence in scope is enough for the request to be within the Convention (35(1)); any
    # other offence turns a pass into a warning
    if in_scope is None:
        assert out_of_scope is not None
        return out_of_scope, tuple(each)
    return (OC.WARN if out_of_scope is not None else in_scope), tuple(each)


def explain_scope(ctx: Context, outcome: Outcome, each: ScopeDetail) -> tuple[str, Facts]:
    if not each:
        if outcome is OC.NOT_APPLICABLE and ctx.kind is RequestKind.EXTRADITION:
            return (f"Extradition has its own scope, Convention offences only ({_EXTRADITE}), "
                    "judged by SG-EXTRADITION-37."), ()
        if outcome is OC.NOT_APPLICABLE:
            return ("An emergency disclosure rests on the risk to life or safety "
                    f"({_EMERGENCY_DATA}), not on a described offence."), ()
        return "No offence is described, so the Convention's scope cannot be judged.", ()
    threshold = ctx.figures.serious_crime_threshold_years
    clauses: list[str] = []
    facts: list[tuple[str, str]] = [("serious_crime_threshold_years", f"{threshold:g}")]
    for item, (why, item_outcome) in zip(ctx.facts.offences, each, strict=True):
        label = f"'{item.offence.label}'"
        claimed = item.offence.claimed_convention_article
        facts.append((f"offences[{item.position}]",
                      f"categories={sorted(item.categories)} penalty={item.penalty_text}"))
        note = (f" (the requester claims Art {claimed}, which the described conduct does not "
                f"show)" if item_outcome is OC.WARN else "")
        # the requester's own reading of seriousness is reported, never relied on: the
        # penalty in its law decides (2(h))
        doubted = (" although the requester calls it a serious crime"
                   if item.offence.claimed_serious_crime and item.serious is False else "")
        if why == "article":
            arts = ", ".join(str(a) for a in item.convention_articles)
            cats = [c for c in item.categories
                    if ctx.taxonomy.categories[c].convention_article is not None
                    and not ctx.taxonomy.categories[c].protected]
            words = [w for c in cats for w in item.categories[c]]
            clauses.append(f"{label} describes conduct of Art {arts} ({_quote(words)}), a "
                           f"Convention offence{note}")
        elif why == "serious":
            clauses.append(f"{label} carries {item.penalty_text}, at least the serious-crime "
                           f"threshold of {years_text(threshold)}{note}")
        elif why == "serious_not_electronic":
            clauses.append(f"{label} carries {item.penalty_text}, a serious crime but no "
                           f"Convention offence, and the Convention covers such a crime only "
                           f"for evidence in electronic form ({_EVIDENCE}); the request lists no "
                           f"data, so a reviewer confirms that electronic evidence is what it "
                           f"seeks")
        elif why == "penalty_unstated":
            clauses.append(f"{label} shows no Convention offence and its maximum penalty is not "
                           f"stated, so seriousness cannot be judged")
        elif why == "only_claimed":
            clauses.append(f"{label} carries {item.penalty_text}, below the threshold of "
                           f"{years_text(threshold)}{doubted}, and is in scope only if the "
                           f"claimed Art {claimed} holds, which the described conduct does not "
                           f"show")
        elif why == "outside_emergency":
            clauses.append(f"{label} carries {item.penalty_text}, below the serious-crime "
                           f"threshold of {years_text(threshold)}{doubted}, and shows no "
                           f"Convention offence; an emergency disclosure rests on the risk to "
                           f"life or safety ({_EMERGENCY_DATA}), so a reviewer decides whether "
                           f"the Convention supports it")
        else:
            clauses.append(f"{label} carries {item.penalty_text}, below the serious-crime "
                           f"threshold of {years_text(threshold)}{doubted}, and shows no "
                           f"Convention offence: outside the Convention")
    sentence = "; ".join(clauses)
    return sentence[0].upper() + sentence[1:] + ".", tuple(facts)


# ---------------------------------------------------------------- 35(2), 40(9): dual criminality

#: per offence: (outcome, the first conduct category the requested party's catalogue has and
#: that offence; None, None when there is none or the conduct was not placed)
DualOffence = tuple[Outcome, str | None, DomesticOffence | None]
#: (why dual criminality applies: "extradition" (judged by 37), None (not required),
#: "reservation" (42(4)) or "policy" (35(2)); per offence)
DualDetail = tuple[str | None, tuple[DualOffence, ...]]


def _dual_criminality_reason(ctx: Context) -> str | None:
    kind = ctx.kind
    if kind is RequestKind.PRESERVATION:
        reserved = (ctx.requested.reservations.preservation_dual_criminality_42
                    or ctx.policy.reservations.preservation_dual_criminality_42)
        # 42(4) reaches the offences that are not Convention offences, each on its own
        return ("reservation" if reserved and not all(
            item.convention_articles for item in ctx.facts.offences) else None)
    return "policy" if kind in ctx.policy.needs_dual_criminality else None


def decide_dual_criminality(ctx: Context) -> tuple[Outcome, DualDetail]:
    if ctx.kind is RequestKind.EXTRADITION:
        return OC.NOT_APPLICABLE, ("extradition", ())
    reason = _dual_criminality_reason(ctx)
    if reason is None:
        return OC.NOT_APPLICABLE, (None, ())
    offences = ctx.facts.offences
    if not offences:
        return OC.MISSING, (reason, ())
    worst = OC.PASS
    refused = 0
    each: list[DualOffence] = []
    catalogue = ctx.requested.offence_for_conduct
    for item in offences:
        if reason == "reservation" and item.convention_articles:
            each.append((OC.NOT_APPLICABLE, None, None))  # a Convention offence: outside 42(4)
            continue
        if not item.categories:
            each.append((OC.CONSULT, None, None))
            if _SEV[OC.CONSULT] > _SEV[worst]:
                worst = OC.CONSULT
            continue
        for category in item.categories:
            offence = catalogue.get(category)
            if offence is not None:
                each.append((OC.PASS, category, offence))
                break
        else:
            # judged on the conduct, whatever the offence's label
            each.append((OC.REFUSE, None, None))
            refused += 1
    if refused == 0:
        return worst, (reason, tuple(each))
    kept, possible = _kept_offences(ctx, reason, each)
    if not kept and not possible:
        return OC.REFUSE, (reason, tuple(each))
    if reason == "reservation":
        # 42(4) reaches only the offences lacking dual criminality; the same data is preserved
        # for the others, and preservation hands nothing over: what is left is for the request
        # for disclosure that follows
        return (OC.WARN if _SEV[OC.WARN] > _SEV[worst] else worst), (reason, tuple(each))
    # 40(9) is a ground to refuse as to the offence lacking dual criminality, not as to the
    # request: a reviewer decides whether to assist, on the condition (40(27)) that the
    # results serve only the offences that meet it
    ctx.conditions.append(_partial_use_condition(ctx, each))
    return OC.CONSULT, (reason, tuple(each))


def _kept_offences(ctx: Context, reason: str, each: list[DualOffence]
                   ) -> tuple[list[OffenceFacts], list[OffenceFacts]]:
    """(the offences assistance could still serve once those lacking dual criminality are set
    aside: met, or outside the 42(4) reservation, and within the Convention (35(1)); those it
    may serve once a reviewer has placed their conduct or their penalty is known)."""
    kept: list[OffenceFacts] = []
    possible: list[OffenceFacts] = []
    for item, (outcome, _, _) in zip(ctx.facts.offences, each, strict=True):
        met = outcome is OC.PASS or (reason == "reservation" and outcome is OC.NOT_APPLICABLE)
        if met and (item.convention_articles or item.serious):
            kept.append(item)
        elif (met and item.serious is None) or outcome is OC.CONSULT:
            possible.append(item)
    return kept, possible


def _offence_name(item: OffenceFacts) -> str:
    # by position: two offences may share a label
    return f"offences[{item.position}] '{item.offence.label}'"


def _partial_use_condition(ctx: Context, each: list[DualOffence]) -> Condition:
    key = ctx.requested.key
    kept, possible = _kept_offences(ctx, "policy", each)
    served = [_offence_name(item) for item in kept] + [
        f"{_offence_name(item)} (only once a reviewer finds it an offence in {key} and within "
        f"the Convention)" for item in possible]
    dropped = ", ".join(_offence_name(item) for item, (o, _, _)
                        in zip(ctx.facts.offences, each, strict=True) if o is OC.REFUSE)
    return Condition(_CONSULTATION, f"If assistance is given, use its results only for "
                                    f"{', '.join(served)}; not for {dropped}, whose conduct is "
                                    f"not an offence in {key}'s catalogue (dual criminality, "
                                    f"{_DUAL}).")


def explain_dual_criminality(ctx: Context, outcome: Outcome,
                             detail: DualDetail) -> tuple[str, Facts]:
    reason, each = detail
    kind = ctx.kind
    if reason == "extradition":
        return (f"For extradition, punishability in both States is judged under {_EXTRADITE} (rule "
                "SG-EXTRADITION-37)."), ()
    if reason is None:
        if kind is RequestKind.PRESERVATION:
            return (f"Dual criminality is not a condition for preservation ({_PRES_NO_DUAL}), and "
                    f"no reservation under {_PRES_RES} applies to this request."), ()
        return (f"Neither the Convention nor the desk's policy '{ctx.policy.name}' requires "
                f"dual criminality for {kind.value}."), ()
    if reason == "reservation":
        why = (f"{ctx.requested.key} reserved the right to refuse preservation for "
               f"non-Convention offences lacking dual criminality")
        article = _PRES_RES
    else:
        why = f"the desk's policy '{ctx.policy.name}' requires it for {kind.value}"
        article = _DUAL
    if not each:
        return f"Dual criminality is required ({why}) but no offence is described.", ()
    clauses: list[str] = []
    facts: list[tuple[str, str]] = [("required_because", why)]
    key = ctx.requested.key
    for item, (item_outcome, category, offence) in zip(ctx.facts.offences, each, strict=True):
        label = _offence_name(item)
        if item_outcome is OC.NOT_APPLICABLE:
            clauses.append(f"{label} is a Convention offence, which the reservation does not "
                           f"reach")
            continue
        if item_outcome is OC.CONSULT:
            clauses.append(f"the conduct of {label} could not be placed in a conduct category, "
                           f"so a reviewer must compare it with the law of {key}")
            continue
        facts.append((f"offences[{item.position}].categories", ", ".join(sorted(item.categories))))
        if category is not None and offence is not None:
            clauses.append(f"the conduct of {label} ({category.replace('_', ' ')}) is an "
                           f"offence in {key} under {offence.law}")
        else:
            names = ", ".join(c.replace("_", " ") for c in item.categories)
            clauses.append(f"the conduct of {label} ({names}) is not an offence in "
                           f"{key}'s catalogue, whatever its label")
    sentence = (f"Dual criminality is required ({article}) because {why}: "
                + "; ".join(clauses) + ".")
    lacking = any(item_outcome is OC.REFUSE for item_outcome, _, _ in each)
    if lacking and reason == "reservation" and outcome is not OC.REFUSE:
        sentence += (f" The reservation lets {key} refuse preservation only as to the offences "
                     f"lacking dual criminality ({_PRES_RES}), and the data is preserved for the "
                     f"others; whether it may be disclosed as to those offences is decided on "
                     f"the request for disclosure that follows ({_DUAL}, {_NO_COERCION}).")
    elif lacking and outcome is OC.CONSULT:
        sentence += (f" Its absence is a ground to refuse as to those offences only "
                     f"({_NO_COERCION}): a reviewer decides whether to assist as to the others, "
                     f"on the condition that the results serve only them ({_CONSULTATION}, in "
                     f"the decision's conditions).")
    elif lacking and any(item_outcome is not OC.REFUSE for item_outcome, _, _ in each):
        sentence += (" No offence within the Convention that meets dual criminality remains "
                     "for assistance to serve (SG-SCOPE-35 judges the scope of each).")
    if lacking and (outcome is OC.REFUSE or reason != "reservation"):
        sentence += (" Assistance without coercive action may still be given "
                     f"({_NO_COERCION}), e.g. "
                     + "; ".join(ctx.vocabulary.non_coercive_assistance) + ".")
    return sentence, tuple(facts)


# ------------------------------------------------------------------------- 37: extradition

#: per offence: (why, outcome, the requested party's most severe offence for the conduct)
ExtraditionOffence = tuple[str, Outcome, DomesticOffence | None]
#: (per offence, whether the requested party takes the Convention as legal basis (None: its
#: profile does not say), fiscal matters involved); None when the rule does not apply or no
#: offence is described
ExtraditionDetail = tuple[tuple[ExtraditionOffence, ...], bool | None, bool] | None


def _fiscal(item: OffenceFacts) -> bool:
    return item.offence.involves_fiscal_matters or "tax_evasion" in item.categories


def decide_extradition(ctx: Context) -> tuple[Outcome, ExtraditionDetail]:
    if ctx.kind is not RequestKind.EXTRADITION:
        return OC.NOT_APPLICABLE, None
    offences = ctx.facts.offences
    if not offences:
        return OC.MISSING, None
    threshold = ctx.figures.extradition_threshold_years
    requested = ctx.requested
    worst = OC.PASS
    each: list[ExtraditionOffence] = []
    for item in offences:
        offence = item.offence
        best: DomesticOffence | None = None
        if not item.convention_articles and offence.claimed_convention_article is None:
            why, outcome = "no_convention_offence", OC.REFUSE
        elif not offence.max_penalty_life and offence.max_penalty_years is None:
            why, outcome = "penalty_unstated", OC.MISSING
        elif not offence.max_penalty_life and (offence.max_penalty_years or 0) < threshold:
            why, outcome = "below_threshold", OC.REFUSE
        else:
            domestic = [o for c in item.categories
                        if (o := requested.offence_for_conduct.get(c)) is not None]
            if not domestic:
                why, outcome = (("not_punishable_here", OC.REFUSE) if item.categories
                                else ("unplaced", OC.CONSULT))
            else:
                best = max(domestic, key=lambda o: (o.life, o.max_penalty_years or 0))
                if not best.at_least(threshold):
                    why, outcome = "below_threshold_here", OC.REFUSE
                elif not item.convention_articles:
                    # 37(1) covers Convention offences only: a claim the described conduct
                    # does not bear out is for a reviewer, never a pass
                    why, outcome = "claimed_not_shown", OC.CONSULT
                else:
                    why, outcome = "punishable", OC.PASS
        each.append((why, outcome, best))
        if _SEV[outcome] > _SEV[worst]:
            worst = outcome
    basis = requested.reservations.extradition_convention_legal_basis_37
    if basis is not True and _SEV[OC.CONSULT] > _SEV[worst]:
        worst = OC.CONSULT
    return worst, (tuple(each), basis, any(_fiscal(item) for item in offences))


def explain_extradition(ctx: Context, outcome: Outcome,
                        detail: ExtraditionDetail) -> tuple[str, Facts]:
    if detail is None:
        if outcome is OC.NOT_APPLICABLE:
            return "The request is not for extradition.", ()
        return f"No offence is described for the extradition ({_EXTRADITE}).", ()
    each, basis, fiscal = detail
    threshold = ctx.figures.extradition_threshold_years
    key = ctx.requested.key
    requesting = ctx.request.requesting_party
    clauses: list[str] = []
    for item, (why, _, best) in zip(ctx.facts.offences, each, strict=True):
        label = f"'{item.offence.label}'"
        if why == "no_convention_offence":
            clauses.append(
                f"{label} shows no Convention offence, and {_EXTRADITE} covers only those")
        elif why == "penalty_unstated":
            clauses.append(f"{label} states no maximum penalty in {requesting}")
        elif why == "below_threshold":
            clauses.append(f"{label} carries {item.penalty_text} in {requesting}, below "
                           f"{years_text(threshold)}")
        elif why == "not_punishable_here":
            clauses.append(f"the conduct of {label} is not found punishable in {key}")
        elif why == "unplaced":
            clauses.append(f"the conduct of {label} could not be placed in a conduct category")
        elif why == "claimed_not_shown":
            clauses.append(f"{label} is punishable in both States by at least "
                           f"{years_text(threshold)}, but its described conduct does not show "
                           f"the Convention offence of Art "
                           f"{item.offence.claimed_convention_article} that {requesting} "
                           f"claims, and {_EXTRADITE} covers only Convention offences: a reviewer "
                           f"decides")
        elif why == "below_threshold_here" and best is not None:
            shown = "life" if best.life else years_text(best.max_penalty_years or 0)
            clauses.append(f"the conduct of {label} is punishable in {key} by at most "
                           f"{shown}, below {years_text(threshold)}")
        else:
            clauses.append(f"{label} is punishable in both States by at least "
                           f"{years_text(threshold)}")
    if basis is False:
        clauses.append(f"{key} does not take the Convention as the legal basis for extradition "
                       f"({_LEGAL_BASIS}), so another treaty or its law must provide one")
    elif basis is None:
        clauses.append(f"{key}'s profile does not record whether it takes the Convention as the "
                       f"legal basis for extradition ({_LEGAL_BASIS}), so a reviewer confirms "
                       f"the legal basis")
    if fiscal:
        clauses.append(
            f"fiscal matters involved are no ground for refusal on their own ({_EXTR_FISCAL})")
    return "Extradition: " + "; ".join(clauses) + ".", (
        ("extradition_threshold_years", f"{threshold:g}"),)


# ------------------------------------------------------------- 40(22), 6: persecution grounds

#: (offences that describe only protected conduct, (identifier, flag) of flagged persons);
#: the words of a persecution ground are quoted from the request's text when explained
PersecutionDetail = tuple[tuple[OffenceFacts, ...], tuple[tuple[str, ProfileFlag], ...]]


def decide_persecution(ctx: Context) -> tuple[Outcome, PersecutionDetail]:
    protected: tuple[OffenceFacts, ...] = ()
    for item in ctx.facts.offences:
        # protected conduct is a flag only when it is all the offence describes: "posted a
        # threat to kill" is a threat, the posting merely its medium
        if item.protected and len(item.protected) >= len(item.categories):
            protected += (item,)
    flagged: tuple[tuple[str, ProfileFlag], ...] = ()
    for subject in ctx.request.subjects:
        for flag in subject.profile_flags:
            if flag is not ProfileFlag.SECURITY_RESEARCHER:  # a research matter (SG-RESEARCH-11)
                flagged += ((subject.identifier_value, flag),)
    if protected or flagged or "persecution" in ctx.facts.in_text:
        return OC.CONSULT, (protected, flagged)
    return OC.PASS, (protected, flagged)


def explain_persecution(ctx: Context, outcome: Outcome,
                        detail: PersecutionDetail) -> tuple[str, Facts]:
    protected, flagged = detail
    basis = _EXTR_PERSEC if ctx.kind is RequestKind.EXTRADITION else _PERSECUTION
    if outcome is OC.PASS:
        return (f"The keyword scan found no words tied to the grounds of {basis} (sex, race, "
                f"language, religion, nationality, ethnic origin, political opinions) or the "
                f"rights of Art 6 in the offences, facts or purpose, and no person is flagged; "
                f"words cannot show that no such aim exists, so the reviewer still "
                f"confirms."), ()
    grounds = ctx.vocabulary.persecution.find(ctx.facts.all_text)
    for item in protected:
        for category in item.protected:
            grounds.setdefault(f"protected conduct: {category.replace('_', ' ')}",
                               item.categories[category])
    flag_grounds = ctx.vocabulary.flag_grounds
    shown: list[str] = []
    for identifier, flag in flagged:
        ground = flag_grounds.get(flag)
        shown.append(f"{identifier} is flagged {flag.value}"
                     + (f" ({ground.replace('_', ' ')})" if ground else ""))
    facts = tuple((f"ground.{g}", ", ".join(w)) for g, w in grounds.items()) + tuple(
        ("subject_flag", text) for text in shown)
    parts = [f"{g.replace('_', ' ')} ({_quote(w)})" for g, w in grounds.items()]
    parts.extend(shown)
    return (f"A reviewer must judge whether the request aims at punishing a person on a ground "
            f"of {basis} or suppressing a right of Art 6: the request touches "
            + "; ".join(parts) + "."), facts


#: per threshold of the policy: (threshold, the requesting party's value or None, triggered)
IndicatorDetail = tuple[tuple[IndicatorThreshold, Indicator | None, bool], ...]


def decide_indicators(ctx: Context) -> tuple[Outcome, IndicatorDetail]:
    thresholds = ctx.policy.indicator_thresholds
    if not thresholds:
        return OC.NOT_APPLICABLE, ()
    requesting = ctx.requesting
    if requesting is None:
        return OC.WARN, ()
    each: list[tuple[IndicatorThreshold, Indicator | None, bool]] = []
    triggered = absent = False
    for threshold in thresholds:
        value = requesting.latest_indicator.get(threshold.indicator)
        if value is None:
            absent = True
            each.append((threshold, None, False))
        else:
            hit = threshold.triggered(value.value)
            triggered = triggered or hit
            each.append((threshold, value, hit))
    outcome = OC.CONSULT if triggered else OC.WARN if absent else OC.PASS
    return outcome, tuple(each)


def explain_indicators(ctx: Context, outcome: Outcome,
                       each: IndicatorDetail) -> tuple[str, Facts]:
    key = ctx.request.requesting_party
    if not each:
        if outcome is OC.NOT_APPLICABLE:
            return (f"The policy '{ctx.policy.name}' sets no rights-risk indicator "
                    f"thresholds."), ()
        return (f"No profile of the requesting party {key} was given, so the policy's "
                f"indicator thresholds could not be checked."), ()
    facts = tuple((f"indicator.{threshold.indicator}",
                   f"{value.value:g} ({value.source}, {value.date})")
                  for threshold, value, _ in each if value is not None)
    if outcome is OC.CONSULT:
        triggered = [f"{threshold.indicator} is {value.value:g} {threshold.comparison} "
                     f"{threshold.value:g} ({value.source}, {value.date})"
                     for threshold, value, hit in each if hit and value is not None]
        return (f"The operator-supplied indicators for {key} meet the policy's review "
                f"thresholds: " + "; ".join(triggered)
                + f"; a reviewer weighs them under {_PERSECUTION}."), facts
    if outcome is OC.WARN:
        absent = [threshold.indicator for threshold, value, _ in each if value is None]
        return (f"No value of {', '.join(absent)} is recorded for {key}, so those thresholds "
                f"could not be checked."), facts
    return f"The operator-supplied indicators for {key} are within the policy's thresholds.", facts


# ---------------------------------------------------------- 7-11, 11(2): security research

#: identifiers of persons flagged as security researchers (the research words are quoted from
#: the request's text when explained)
ResearchDetail = tuple[str, ...]


def decide_research(ctx: Context) -> tuple[Outcome, ResearchDetail]:
    flagged: tuple[str, ...] = ()
    for subject in ctx.request.subjects:
        if ProfileFlag.SECURITY_RESEARCHER in subject.profile_flags:
            flagged += (subject.identifier_value,)
    if flagged or "security_research" in ctx.facts.in_text:
        return OC.CONSULT, flagged
    return OC.PASS, flagged


def explain_research(ctx: Context, outcome: Outcome, flagged: ResearchDetail) -> tuple[str, Facts]:
    if outcome is OC.PASS:
        return "No sign of security research, authorised testing or disclosure in the facts.", ()
    words = ctx.vocabulary.research.find(ctx.facts.all_text).get("security_research", ())
    parts = []
    if words:
        parts.append(f"the text mentions {_quote(words)}")
    if flagged:
        parts.append(f"{', '.join(flagged)} is flagged as a security researcher")
    return ("The facts may describe security research: " + " and ".join(parts) + "; Arts 7-11 "
            f"cover only conduct without right and {_TESTING} excludes authorised testing or "
            "protection, so a reviewer must decide."), (("research_words", ", ".join(words)),)


# ------------------------------------------------------------ 24, 40(15)(e): specificity


_DATA_KINDS = frozenset(set(RequestKind) - {RequestKind.EXTRADITION,
                                              RequestKind.LAW_ENFORCEMENT_COOPERATION})

#: (wildcard identifiers, what else falls short, in the sentence's order: (what,
#: data_requested index, a number to show)); None when the request seeks no data. The bulk
#: words are quoted from the request's scope text when explained
SpecificityDetail = tuple[tuple[str, ...], tuple[tuple[str, int, int], ...]] | None


def decide_specificity(ctx: Context) -> tuple[Outcome, SpecificityDetail]:
    request = ctx.request
    kind = ctx.kind
    if kind not in _DATA_KINDS or (
            kind is RequestKind.MUTUAL_LEGAL_ASSISTANCE and not request.data_requested):
        return OC.NOT_APPLICABLE, None
    policy = ctx.policy
    subjects = request.subjects
    wildcards: tuple[str, ...] = ()
    for subject in subjects:
        if "*" in subject.identifier_value or "%" in subject.identifier_value:
            wildcards += (subject.identifier_value,)
    consult = bool(wildcards)
    warn = False
    short: list[tuple[str, int, int]] = []
    if not subjects:
        consult = True
        short.append(("no_subjects", 0, 0))
    elif len(subjects) > policy.max_subjects:
        consult = True
        short.append(("too_many_subjects", 0, len(subjects)))
    for index, item in enumerate(request.data_requested):
        if item.from_date is None or item.to_date is None:
            # real-time collection and interception are bounded by their collection period
            if request.collection_period is None:
                if item.category is DataCategory.CONTENT:
                    consult = True
                else:
                    warn = True
                short.append(("open_ended", index, 0))
        elif (span := (item.to_date - item.from_date).days + 1) > policy.max_data_period_days:
            warn = True
            short.append(("too_long", index, span))
        if not (item.justification and item.justification.strip()):
            warn = True
            short.append(("unjustified", index, 0))
    # the text scans last (building the scope text is their cost): only when they can matter
    if not consult:
        text = ctx.facts.scope_text()
        counted = _largest_count(text)
        if counted > policy.max_subjects:
            consult = True
            short.append(("counted", 0, counted))
        else:
            consult = ctx.vocabulary.bulk.matches(text)
    if consult:
        return OC.CONSULT, (wildcards, tuple(short))
    return (OC.WARN if warn else OC.PASS), (wildcards, tuple(short))


# "the 4,000 accounts", "12 000 registered users": a number of targets written out in the
# measures or data descriptions, which one identified subject would otherwise hide. The
# pattern starts with a single digit class so that the regex engine skips ahead to digits
# (a look-behind or a group first made it try every position: a tenth of an evaluation)
_COUNTED_TARGETS = re.compile(
    r"([0-9][0-9]*+(?:[,. ][0-9]{3})*+)\s++(?:[a-z-]++\s++){0,2}?"
    r"(?:accounts?|users?|subscribers?|customers?|clients?|persons?|people|individuals?|members?"
    r"|devices?|phones?|numbers?|addresses|profiles?|visitors?)\b")


#: more digits than any real count has; such a number is read as this many (int() refuses to
#: read thousands of digits, and a request may hold them)
_HUGE_COUNT_DIGITS = 12


def _largest_count(text: str) -> int:
    """The largest number of accounts, persons or devices the text names; 0 when none."""
    largest = 0
    for written in _COUNTED_TARGETS.findall(text):
        digits = written.replace(",", "").replace(".", "").replace(" ", "")
        value = (int(digits) if len(digits) <= _HUGE_COUNT_DIGITS
                 else 10 ** _HUGE_COUNT_DIGITS)
        largest = max(largest, value)
    return largest


def explain_specificity(ctx: Context, outcome: Outcome,
                        detail: SpecificityDetail) -> tuple[str, Facts]:
    request = ctx.request
    if detail is None:
        return f"This {ctx.kind.value} request seeks no data.", ()
    wildcards, short = detail
    subjects = len(request.subjects)
    if outcome is OC.PASS:
        return (f"The request identifies {subjects} person(s) or account(s) and every data "
                f"category has a bounded, justified period."), (
            ("subjects", str(subjects)), ("data_items", str(len(request.data_requested))))
    bulk = ctx.vocabulary.bulk.find(ctx.facts.scope_text()).get("bulk", ())
    policy = ctx.policy
    clauses: list[str] = []
    if bulk or wildcards:
        clauses.append(f"the request reads as bulk or open scope "
                       f"({_quote(list(bulk) + list(wildcards))})")
    for what, index, number in short:
        if what == "no_subjects":
            clauses.append("no person, account or item is identified")
            continue
        if what == "too_many_subjects":
            clauses.append(f"{number} persons or accounts exceed the policy's "
                           f"{policy.max_subjects}")
            continue
        if what == "counted":
            clauses.append(f"the measures or data sought name {number} accounts, persons or "
                           f"devices, more than the policy's {policy.max_subjects}")
            continue
        where = f"data_requested[{index}] ({request.data_requested[index].category.value})"
        if what == "open_ended":
            clauses.append(f"{where} has an open-ended period")
        elif what == "too_long":
            clauses.append(f"{where} spans {number} days, more than the policy's "
                           f"{policy.max_data_period_days}")
        else:
            clauses.append(f"{where} is not justified by the purpose")
    return "Specificity and proportionality: " + "; ".join(clauses) + ".", (
        ("subjects", str(subjects)), ("bulk_words", ", ".join(bulk)))


#: the collection period in days when it exceeds the policy's maximum
IntrusiveDetail = int | None


def decide_intrusive(ctx: Context) -> tuple[Outcome, IntrusiveDetail]:
    request = ctx.request
    # a collection period means collection in real time (45, 46) under whatever kind
    if (ctx.kind not in INTRUSIVE_KINDS and request.collection_period is None
            and not any(item.category is DataCategory.CONTENT
                        for item in request.data_requested)):
        return OC.NOT_APPLICABLE, None
    ctx.two_reviewers = True
    period = request.collection_period
    days_over: int | None = None
    if period is not None:
        days = (period.end - period.start).days + 1
        if days > ctx.policy.max_collection_days:
            days_over = days
    if ctx.facts.any_serious:
        return OC.WARN, days_over
    # stored data to avert an emergency (41(3)(e)) need not wait for a serious crime, but its
    # content is for reviewers to weigh, as is whether the described risk is an emergency
    # (SG-EMERGENCY-2O); collection in real time (45, 46) always needs one
    if period is None and _emergency_disclosure_with_risk(ctx):
        return OC.CONSULT, days_over
    return OC.REFUSE, days_over


def explain_intrusive(ctx: Context, outcome: Outcome,
                      days_over: IntrusiveDetail) -> tuple[str, Facts]:
    if outcome is OC.NOT_APPLICABLE:
        return "No content data or real-time collection is sought.", ()
    what = ("interception of content data (46)" if ctx.kind is RequestKind.CONTENT_INTERCEPTION
            else "real-time collection of traffic data (45)"
            if ctx.kind is RequestKind.REAL_TIME_TRAFFIC_COLLECTION
            else "collection of data in real time over a collection period (45, 46)"
            if ctx.request.collection_period is not None
            else "content data")
    threshold = ctx.figures.serious_crime_threshold_years
    facts = (("serious_crime_threshold_years", f"{threshold:g}"),)
    extra = ("" if days_over is None else
             f"; the collection period of {days_over} days exceeds the policy's "
             f"{ctx.policy.max_collection_days}")
    if outcome is OC.REFUSE:
        shown = ("no offence is described" if not ctx.facts.offences
                 else f"no offence carries at least {years_text(threshold)}")
        return (f"The request seeks {what}, which this desk grants only for serious crime "
                f"({_SERIOUS}), but {shown}{extra}."), facts
    if outcome is OC.CONSULT:
        return (f"The request seeks {what} to avert a described risk to life or safety "
                f"({_EMERGENCY_DATA}), and no offence of at least {years_text(threshold)} is "
                f"shown ({_SERIOUS}): the risk, not an offence, must justify it, and two "
                f"reviewers decide whether it does (whether the risk is an emergency is "
                f"SG-EMERGENCY-2O's finding)."), facts
    return (f"The request seeks {what} for a serious crime; two reviewers must "
            f"decide{extra}."), facts


#: (conduct categories described, those the reservation allows); None when no reservation
#: under 23(3) concerns the request
RealTimeDetail = tuple[set[str], set[str]] | None


def decide_real_time_reservation(ctx: Context) -> tuple[Outcome, RealTimeDetail]:
    limited = ctx.requested.reservations.real_time_collection_offences_23_3
    if ctx.kind is not RequestKind.REAL_TIME_TRAFFIC_COLLECTION or limited is None:
        return OC.NOT_APPLICABLE, None
    found = {c for item in ctx.facts.offences for c in item.categories}
    allowed = found.intersection(limited)
    if allowed:
        return OC.PASS, (found, allowed)
    # conduct that could not be placed may still be one the reservation allows
    return (OC.REFUSE if found else OC.CONSULT), (found, allowed)


def explain_real_time_reservation(ctx: Context, outcome: Outcome,
                                  detail: RealTimeDetail) -> tuple[str, Facts]:
    if detail is None:
        return f"No reservation under {_RT_RES} limits this request.", ()
    found, allowed = detail
    key = ctx.requested.key
    if outcome is OC.PASS:
        return (f"{key} limits real-time collection to certain offences ({_RT_RES}); this conduct "
                f"({', '.join(sorted(allowed))}) is among them."), ()
    limited = set(ctx.requested.reservations.real_time_collection_offences_23_3 or ())
    listed = ", ".join(c.replace("_", " ") for c in sorted(limited))
    if outcome is OC.CONSULT:
        return (f"{key} reserved real-time collection to {listed} ({_RT_RES}, {_RT_OFFENCES}); "
                "the described conduct could not be placed in a conduct category, so a reviewer "
                "decides whether it is one of these."), (("conduct", ""),)
    return (f"{key} reserved real-time collection to {listed} ({_RT_RES}, {_RT_OFFENCES}); "
            f"the described conduct is none of these."), (("conduct", ", ".join(sorted(found))),)


def decide_misuse_reservation(ctx: Context) -> tuple[Outcome, tuple[OffenceFacts, ...]]:
    if not (ctx.requested.reservations.misuse_of_devices_11_3
            or ctx.policy.reservations.misuse_of_devices_11_3):
        return OC.NOT_APPLICABLE, ()
    article_11 = [item for item in ctx.facts.offences if 11 in item.convention_articles]
    if not article_11:
        return OC.NOT_APPLICABLE, ()
    # the offences resting on Art 11 alone, other than making credentials available (which
    # 11(3) does not let a State reserve): another Convention offence keeps an offence in scope
    reserved = tuple(item for item in article_11
                     if set(item.convention_articles) == {11}
                     and "misuse_of_credentials" not in item.categories)
    return (OC.CONSULT if reserved else OC.PASS), reserved


def explain_misuse_reservation(ctx: Context, outcome: Outcome,
                               reserved: tuple[OffenceFacts, ...]) -> tuple[str, Facts]:
    if outcome is OC.NOT_APPLICABLE:
        return f"No reservation under {_MISUSE_RES} concerns this request.", ()
    key = ctx.requested.key
    if outcome is OC.PASS:
        return (f"{key} reserved {_MISUSE_RES}, but the conduct involves selling, distributing or "
                f"otherwise making available passwords or credentials, which cannot be "
                f"reserved, or another Convention offence."), ()
    labels = ", ".join(f"'{item.offence.label}'" for item in reserved)
    return (f"{key} reserved the right not to apply {_MISUSE} ({_MISUSE_RES}); {labels} rests "
            "on Art 11 conduct other than making passwords or credentials available, so a "
            "reviewer decides whether assistance is possible."), ()


# ------------------------------------------------------------------- 36: personal data


#: kinds that are no request for mutual legal assistance (40): 40(14), 40(19) and 40(20) do not
#: speak of them
_NOT_ASSISTANCE = frozenset({RequestKind.EXTRADITION, RequestKind.LAW_ENFORCEMENT_COOPERATION})
_TRANSFERRED = {RequestKind.EXTRADITION: "personal data that goes with the surrender (files, "
                                         "seized items)",
                RequestKind.LAW_ENFORCEMENT_COOPERATION: "personal data exchanged"}


@lru_cache(maxsize=4096)
def _transfer_conditions(requested: str, requesting: str, confidential: bool,
                         kind: RequestKind) -> tuple[Condition, ...]:
    # party pairs recur across requests: build each pair's conditions once. 36 reaches any
    # transfer under the Convention; the use limitation and confidentiality of 40(19), 40(20)
    # are assistance's, so extradition's and police cooperation's data go with 36 alone
    what = _TRANSFERRED.get(kind, "personal data")
    conditions: tuple[Condition, ...] = (
        Condition(_TRANSFER, f"Transfer {what} only as the law of {requested} allows; no "
                           f"transfer where its data-protection law forbids it."),
        Condition(_DATA_SAFE, f"{requesting} applies effective and appropriate safeguards to the "
                           f"personal data it receives."),
        Condition(_ONWARD, f"No onward transfer to a third country or international "
                           f"organization without the prior authorization of {requested} "
                           f"(which it may require in writing)."),
    )
    if kind in _NOT_ASSISTANCE:
        return conditions
    conditions += (Condition(_USE_LIMIT, f"Use only for the proceeding described; other use "
                                       f"needs the prior consent of {requested}."),)
    if confidential:
        conditions += (Condition(
            _CONFIDENTIAL, f"Keep the request confidential, or tell {requesting} that this is not "
                      f"possible."),)
    return conditions


def decide_personal_data(ctx: Context) -> tuple[Outcome, None]:
    request = ctx.request
    ctx.conditions.extend(_transfer_conditions(
        request.requested_party, request.requesting_party, request.confidentiality, ctx.kind))
    return OC.PASS, None


def explain_personal_data(ctx: Context, outcome: Outcome, detail: None) -> tuple[str, Facts]:
    if ctx.kind in _NOT_ASSISTANCE:
        what = _TRANSFERRED[ctx.kind]
        unmet = (f" The confidentiality the request asks for is not one of {_CONFIDENTIAL}'s "
                 f"conditions for {ctx.kind.value}: the parties' law and treaties decide it."
                 if ctx.request.confidentiality else "")
        return (f"{what[0].upper()}{what[1:]} goes with the transfer conditions of {_TRANSFER}, "
                f"{_DATA_SAFE} and {_ONWARD}, listed in the decision's conditions; the use "
                f"limitation of {_USE_LIMIT} is assistance's.{unmet}"), ()
    return (f"Any personal data produced goes with the transfer conditions of {_TRANSFER}, "
            f"{_DATA_SAFE} and {_ONWARD} and the use limitation of {_USE_LIMIT}, listed in the "
            "decision's conditions."), ()


# ------------------------------------------------------------- 43: preserved traffic data

#: the data items (by position) that are not traffic data; None when the rule does not apply
TrafficDetail = tuple[int, ...] | None
#: categories 43 may disclose: traffic data, and data labelled "other" that a reviewer may find
#: to be traffic data
_MAY_BE_TRAFFIC = frozenset({DataCategory.TRAFFIC, DataCategory.OTHER})


def decide_preserved_traffic(ctx: Context) -> tuple[Outcome, TrafficDetail]:
    if ctx.kind is not RequestKind.PRESERVED_TRAFFIC_DISCLOSURE:
        return OC.NOT_APPLICABLE, None
    items = ctx.request.data_requested
    if not items:
        return OC.NOT_APPLICABLE, None  # SG-CONTENTS-40-15 reports the missing data
    other = tuple(index for index, item in enumerate(items)
                  if item.category is not DataCategory.TRAFFIC)
    if not any(item.category in _MAY_BE_TRAFFIC for item in items):
        # nothing here that 43 discloses: the request is to ask for traffic data, or to go
        # under 44; a kind chosen wrongly is no ground to refuse
        return OC.MISSING, other
    ctx.conditions.append(Condition(
        _PRESERVED_TRAFFIC, "Disclose only as much traffic data as identifies the other service "
                            "provider(s) and the path of the communication."))
    return (OC.CONSULT if other else OC.PASS), other


def explain_preserved_traffic(ctx: Context, outcome: Outcome,
                              other: TrafficDetail) -> tuple[str, Facts]:
    if other is None:
        if ctx.kind is not RequestKind.PRESERVED_TRAFFIC_DISCLOSURE:
            return "The request is not for disclosure of preserved traffic data.", ()
        return "No data is listed to disclose.", ()
    items = ctx.request.data_requested
    listed = "; ".join(f"data_requested[{index}] ({items[index].category.value})"
                       for index in other)
    facts = (("not_traffic", listed),) if other else ()
    limit = (f"{_PRESERVED_TRAFFIC} discloses only enough traffic data to identify the other "
             f"service provider(s) and the path of the communication")
    if outcome is OC.MISSING:
        return (f"{limit}, and this request lists none: {listed}. It must ask for the traffic "
                f"data, or go as a request under {_STORED_ACCESS}."), facts
    if outcome is OC.CONSULT:
        return (f"{limit}; {listed} is not traffic data, or not labelled as such: a reviewer "
                f"discloses here only what is traffic data, within the limit listed in the "
                f"decision's conditions (the rest is asked for under {_STORED_ACCESS})."), facts
    return f"{limit}, listed in the decision's conditions.", facts


@lru_cache(maxsize=16)
def _preservation_condition(minimum: int) -> Condition:
    return Condition(_PRES_PERIOD, f"Preserve for at least {minimum} days, and keep preserving "
                                   "while the follow-up request is decided.")


#: (the request is itself a preservation, the days it asks, the linked preservations made
#: more than the minimum before it)
PreservationDetail = tuple[bool, int | None, tuple[LinkedRequest, ...]]


def decide_preservation(ctx: Context) -> tuple[Outcome, PreservationDetail]:
    request = ctx.request
    minimum = ctx.figures.preservation_minimum_days
    if ctx.kind is RequestKind.PRESERVATION:
        ctx.conditions.append(_preservation_condition(minimum))
        asked = request.preservation.duration_days if request.preservation else None
        return (OC.WARN if asked is not None and asked < minimum else OC.PASS), (True, asked, ())
    earlier = False
    lapsed: tuple[LinkedRequest, ...] = ()
    for link in request.linked_requests:
        if link.kind is RequestKind.PRESERVATION and link.date is not None:
            earlier = True
            if (request.date - link.date).days > minimum:
                lapsed += (link,)
    outcome = OC.WARN if lapsed else OC.PASS if earlier else OC.NOT_APPLICABLE
    return outcome, (False, None, lapsed)


def explain_preservation(ctx: Context, outcome: Outcome,
                         detail: PreservationDetail) -> tuple[str, Facts]:
    if outcome is OC.NOT_APPLICABLE:
        return "No earlier preservation request is linked.", ()
    own, asked, lapsed = detail
    minimum = ctx.figures.preservation_minimum_days
    facts = (("preservation_minimum_days", str(minimum)),)
    if own:
        if outcome is OC.WARN:
            return (f"The request asks preservation for {asked} days; the Convention's minimum "
                    f"is {minimum} days ({_PRES_PERIOD}), which the desk applies."), facts
        return f"Preservation will last at least {minimum} days ({_PRES_PERIOD}).", facts
    if outcome is OC.WARN:
        shown = ", ".join(f"{link.reference} of {link.date}" for link in lapsed)
        return (f"The linked preservation {shown} was made more than {minimum} days before "
                f"this request; check that the data is still preserved ({_PRES_PERIOD})."), facts
    return (f"The linked preservation is within {minimum} days of this follow-up request "
            f"({_PRES_PERIOD})."), facts


# -------------------------------------------------------- 40(13)-(15), 42(2): completeness


def decide_contents(ctx: Context) -> tuple[Outcome, list[Requirement]]:
    request = ctx.request
    # every requirement is checked: the explanation lists all that are missing
    missing = [item for item in requirements(ctx.kind) if not item.present(request)]
    if not missing:
        return OC.PASS, missing
    # what is asked only where possible is noted, never a gap
    return (OC.WARN if all(item.where_possible for item in missing) else OC.MISSING), missing


def explain_contents(ctx: Context, outcome: Outcome,
                     missing: list[Requirement]) -> tuple[str, Facts]:
    if outcome is OC.PASS:
        return (f"The request has every content its kind ({ctx.kind.value}) "
                f"requires."), ()
    parts = [f"{item.field_path} ({item.article}: {item.what})" for item in missing
             if not item.where_possible]
    noted = [f"{item.field_path} ({item.article}: {item.what})" for item in missing
             if item.where_possible]
    sentence = ("The request lacks " + "; ".join(parts) + "." if parts
                else f"The request has every content its kind ({ctx.kind.value}) requires.")
    if noted:
        sentence += (" It does not give, as asked where possible, " + "; ".join(noted) + ".")
    return sentence, tuple((item.field_path, item.article) for item in missing)


#: (the languages accepted, whether the policy (not the requested party's profile) gave them,
#: the language's own outcome, how an oral request stands (None: made in writing))
LanguageDetail = tuple[frozenset[str], bool, Outcome, str | None]
#: 40(14), as it stands on the day decided on: an oral request "confirmed" in writing by then is
#: a written one; an "urgent" one may be oral until confirmed; an "ordinary" one is a missing
#: content (SG-CONTENTS-40-15), unless its confirmation is dated "later" than that day;
#: "other_kind": 40(14) governs assistance requests, not extradition (37) or police
#: cooperation (47)
_ORAL_OUTCOMES: dict[str | None, Outcome] = {
    None: OC.PASS, "confirmed": OC.PASS, "confirmed_late": OC.WARN, "urgent": OC.WARN,
    "ordinary": OC.PASS, "later": OC.MISSING, "other_kind": OC.WARN}


def _oral(ctx: Context) -> str | None:
    request = ctx.request
    if not request.made_orally:
        return None
    confirmed = request.confirmed_in_writing
    if confirmed is not None and confirmed <= ctx.on:
        if (ctx.kind not in _NOT_ASSISTANCE
                and (confirmed - request.date).days > ctx.policy.oral_confirmation_days):
            return "confirmed_late"
        return "confirmed"
    if ctx.kind in _NOT_ASSISTANCE:
        return "other_kind"
    if is_urgent(request):
        ctx.conditions.append(Condition(
            _LANGUAGE, f"Confirm this oral request in writing promptly (within "
                       f"{ctx.policy.oral_confirmation_days} days, as this desk's policy "
                       f"reads it)."))
        return "urgent"
    return "ordinary" if confirmed is None else "later"


def decide_language(ctx: Context) -> tuple[Outcome, LanguageDetail]:
    accepted = ctx.policy.languages
    from_policy = accepted is not None
    if accepted is None:
        accepted = ctx.requested.accepted_language_set
    if not accepted:
        language = OC.WARN
    else:
        language = OC.PASS if ctx.request.language in accepted else OC.MISSING
    oral = _oral(ctx)
    form = _ORAL_OUTCOMES[oral]
    return (form if _SEV[form] > _SEV[language] else language), (
        accepted, from_policy, language, oral)


def explain_language(ctx: Context, outcome: Outcome,
                     detail: LanguageDetail) -> tuple[str, Facts]:
    accepted, from_policy, language_outcome, oral = detail
    source = (f"the policy '{ctx.policy.name}'" if from_policy
              else f"the profile of {ctx.requested.key}")
    language = ctx.request.language
    listed = ", ".join(sorted(accepted))
    facts: Facts = ()
    if language_outcome is OC.WARN:
        sentence = (f"No accepted languages are recorded in {source}, so '{language}' could not "
                    f"be checked ({_LANGUAGE}).")
    elif language_outcome is OC.PASS:
        sentence = f"The request is in '{language}', which {source} accepts ({listed})."
    else:
        sentence = (f"The request is in '{language}', but {source} accepts only {listed}: a "
                    f"translation is needed ({_LANGUAGE}).")
        facts = (("language", language), ("accepted", listed))
    if oral is None:
        return sentence, facts
    return f"{sentence} {_oral_sentence(ctx, oral)}", facts + (("made_orally", "true"),)


def _oral_sentence(ctx: Context, oral: str) -> str:
    """How an oral request stands (`_oral`), in one sentence."""
    request = ctx.request
    confirmed = request.confirmed_in_writing
    if oral == "confirmed":
        return f"It was made orally and confirmed in writing on {confirmed} ({_LANGUAGE})."
    if oral == "confirmed_late":
        assert confirmed is not None
        return (f"It was made orally and confirmed in writing on {confirmed}, "
                f"{(confirmed - request.date).days} days later: more than the "
                f"{ctx.policy.oral_confirmation_days} days the policy '{ctx.policy.name}' takes "
                f"as prompt ({_LANGUAGE}).")
    if oral == "urgent":
        return (f"It was made orally, which an urgent request may be, provided it is confirmed "
                f"in writing promptly ({_LANGUAGE}; listed in the decision's conditions).")
    if oral == "ordinary":
        return (f"It was made orally but is not urgent, so it must be made in writing "
                f"({_LANGUAGE}; a missing content, SG-CONTENTS-40-15).")
    if oral == "later":
        return (f"It was made orally, is not urgent, and was confirmed in writing only on "
                f"{confirmed}, after {ctx.on}: on that day it was not yet a written request "
                f"({_LANGUAGE}).")
    return (f"It was made orally; {_LANGUAGE} speaks of assistance requests, not of "
            f"{ctx.kind.value}, whose form is the one the parties' law and treaties ask for.")


def decide_channel(ctx: Context) -> tuple[Outcome, bool]:
    """The detail: an extradition request sent through the 24/7 network, whose functions (41(3):
    advice, preservation, evidence, locating suspects, emergency data) do not include it."""
    channel = ctx.request.channel
    if ctx.kind is RequestKind.EXTRADITION and channel is Channel.NETWORK_24_7:
        return OC.WARN, True
    # no accepted channel recorded, or not one of them: a warning either way
    return (OC.PASS if channel in ctx.requested.accepted_channels else OC.WARN), False


def explain_channel(ctx: Context, outcome: Outcome, extradition_by_network: bool
                    ) -> tuple[str, Facts]:
    channel = ctx.request.channel
    accepted = ctx.requested.accepted_channels
    key = ctx.requested.key
    if extradition_by_network:
        return (f"An extradition request came through the 24/7 network, whose functions "
                f"({_NETWORK_ASSISTANCE}) do not include extradition; it should travel by the "
                f"channel the two parties use for extradition."), (("channel", channel.value),)
    if outcome is OC.PASS:
        return f"The request came by {channel.value}, which {key} accepts.", ()
    if not accepted:
        return f"No accepted channels are recorded for {key}.", ()
    listed = ", ".join(c.value for c in accepted)
    return (f"The request came by {channel.value}, but {key} accepts {listed}; it should be "
            f"sent again by one of them ({_AUTHORITY})."), (("channel", channel.value),)


# ------------------------------------------------------------------ 2(o), 41: emergency

def decide_emergency(ctx: Context) -> tuple[Outcome, None]:
    # the outcome says it all; the words are quoted from the justification when explained
    request = ctx.request
    if (request.urgency is not Urgency.EMERGENCY
            and ctx.kind is not RequestKind.EMERGENCY_DISCLOSURE):
        return _NOT_APPLICABLE
    if _emergency_described(ctx):
        ctx.emergency = True
        return OC.PASS, None
    if ctx.vocabulary.emergency_risk.matches(ctx.facts.emergency_text()):
        # a risk not described as imminent, or denied: a reviewer confirms it first, and the
        # request is not yet treated as an emergency
        return OC.CONSULT, None
    if ctx.kind is RequestKind.EMERGENCY_DISCLOSURE:
        return OC.MISSING, None
    return OC.WARN, None


def explain_emergency(ctx: Context, outcome: Outcome, detail: None) -> tuple[str, Facts]:
    if outcome is OC.NOT_APPLICABLE:
        return "No emergency is claimed.", ()
    text = ctx.facts.emergency_text()
    risk = ctx.vocabulary.emergency_risk.find(text).get("risk", ())
    soon = ctx.vocabulary.emergency_imminence.find(text).get("imminence", ())
    denied = ctx.vocabulary.emergency_denial.find(text).get("denial", ())
    facts = (("risk_words", ", ".join(risk)), ("imminence_words", ", ".join(soon)),
             ("denial_words", ", ".join(denied)))
    if outcome is OC.PASS:
        return (f"The request describes a risk to life or safety ({_quote(risk)}) that is "
                f"imminent ({_quote(soon)}): an emergency within {_EMERGENCY}; how significant the "
                f"risk is, words cannot weigh, so the reviewer still confirms."), facts
    if outcome is OC.CONSULT and denied:
        return (f"The request names a risk to life or safety ({_quote(risk)}) but also says "
                f"{_quote(denied)}; a reviewer decides whether there is a significant and "
                f"imminent risk ({_EMERGENCY}); until then it is not treated as an "
                "emergency."), facts
    if outcome is OC.CONSULT:
        return (f"The request describes a risk to life or safety ({_quote(risk)}) but nothing "
                f"shows it is imminent; a reviewer confirms the emergency ({_EMERGENCY}); until "
                "then it is not treated as one."), facts
    if outcome is OC.MISSING:
        return ("An emergency disclosure needs a described significant and imminent risk to the "
                f"life or safety of a person ({_EMERGENCY}); none is described, so it must "
                "describe one or go as an ordinary request."), facts
    return ("An emergency is claimed, but no risk to the life or safety of a person is "
            f"described ({_EMERGENCY}); the request is treated as ordinary."), facts


# ------------------------------------------------------- 40(21)(b), 40(21)(c): always consult


def decide_essential_interests(ctx: Context) -> tuple[Outcome, None]:
    return _CONSULT


def explain_essential_interests(ctx: Context, outcome: Outcome,
                                detail: None) -> tuple[str, Facts]:
    if ctx.kind is RequestKind.EXTRADITION:
        return (f"A reviewer must decide the grounds for refusal that the law of "
                f"{ctx.requested.key} and its treaties provide ({_EXTR_LAW}); never decided "
                f"automatically."), ()
    return (f"A reviewer must decide whether execution would prejudice the sovereignty, "
            f"security, ordre public or other essential interests of {ctx.requested.key} "
            f"({_ESSENTIAL}); never decided automatically."), ()


def decide_similar_domestic_case(ctx: Context) -> tuple[Outcome, None]:
    if ctx.kind is RequestKind.EXTRADITION:
        return _NOT_APPLICABLE
    return _CONSULT


def explain_similar_domestic_case(ctx: Context, outcome: Outcome,
                                  detail: None) -> tuple[str, Facts]:
    if outcome is OC.NOT_APPLICABLE:
        return f"For extradition, the requested party's law applies ({_EXTR_LAW}).", ()
    measures = ", ".join(ctx.request.measures_sought) or ctx.kind.value
    return (f"A reviewer must confirm that the law of {ctx.requested.key} would allow "
            f"{measures} in a similar domestic case ({_DOMESTIC}); never decided "
            f"automatically."), ()


def decide_fiscal(ctx: Context) -> tuple[Outcome, tuple[OffenceFacts, ...]]:
    fiscal: tuple[OffenceFacts, ...] = ()
    for item in ctx.facts.offences:
        if _fiscal(item):
            fiscal += (item,)
    return (OC.WARN if fiscal else OC.NOT_APPLICABLE), fiscal


def explain_fiscal(ctx: Context, outcome: Outcome,
                   fiscal: tuple[OffenceFacts, ...]) -> tuple[str, Facts]:
    if outcome is OC.NOT_APPLICABLE:
        return "No offence involves fiscal matters.", ()
    article = _EXTR_FISCAL if ctx.kind is RequestKind.EXTRADITION else _FISCAL
    labels = ", ".join(f"'{item.offence.label}'" for item in fiscal)
    return (f"{labels} involves fiscal matters, which alone are no ground to refuse "
            f"({article})."), ()


# ----------------------------------------------------------------------------- the registry


def _rule(id: str, title: str, articles: tuple[str, ...], facts: tuple[str, ...],
          outcomes: tuple[Outcome, ...], decide: Decide, explain: Explain,
          version: int = 1, since: dt.date | None = ADOPTED) -> Rule:
    return Rule(id=id, version=version, title=title, articles=articles, facts=facts,
                outcomes=outcomes, decide=decide, explain=explain, since=since)


RULES: tuple[Rule, ...] = (
    _rule("SG-FORCE-65", "Convention in force between both parties on the date",
          (_IN_FORCE, _LATER_PARTY), ("standings", "on", "requesting_party", "requested_party"),
          (OC.PASS, OC.REFUSE), decide_in_force, explain_in_force, version=2,
          # on any date: before the Convention was even adopted, it is what says that no
          # Convention basis exists (every other rule is then not in effect)
          since=None),
    _rule("SG-SCOPE-35", "Within the Convention: Convention offence or serious crime",
          (_OFFENCES, _EVIDENCE, _SERIOUS),
          ("kind", "offences[].conduct_description", "offences[].max_penalty_years",
           "offences[].claimed_convention_article", "offences[].claimed_serious_crime",
           "data_requested", "emergency_justification",
           "figure serious_crime_threshold_years"),
          (OC.PASS, OC.WARN, OC.CONSULT, OC.MISSING, OC.REFUSE, OC.NOT_APPLICABLE),
          decide_scope, explain_scope, version=3),
    _rule("SG-DUALCRIM-35", "Dual criminality judged on the conduct",
          (_DUAL, _NO_COERCION, _PRES_NO_DUAL, _PRES_RES, _CONSULTATION),
          ("kind", "offences[].conduct_description", "offences[].max_penalty_years",
           "requested.offence_catalogue", "requested.reservations",
           "policy.dual_criminality_required_for"),
          (OC.PASS, OC.WARN, OC.CONSULT, OC.MISSING, OC.REFUSE, OC.NOT_APPLICABLE),
          decide_dual_criminality, explain_dual_criminality, version=3),
    _rule("SG-EXTRADITION-37", "Extradition: Convention offence, threshold in both States",
          (_EXTRADITE, _LEGAL_BASIS, _EXTR_FISCAL),
          ("offences[]", "requested.offence_catalogue", "requested.reservations",
           "figure extradition_threshold_years"),
          (OC.PASS, OC.CONSULT, OC.MISSING, OC.REFUSE, OC.NOT_APPLICABLE),
          decide_extradition, explain_extradition, version=3),
    _rule("SG-PERSECUTION-40-22", "Persecution grounds and protected rights",
          (_PERSECUTION, "6", _EXTR_PERSEC),
          ("offences[].label", "offences[].conduct_description", "facts_summary", "purpose",
           "proceeding.subject_matter", "subjects[].profile_flags"),
          (OC.PASS, OC.CONSULT), decide_persecution, explain_persecution, version=2),
    _rule("SG-INDICATORS-40-22", "Rights-risk indicators of the requesting party",
          (_PERSECUTION,), ("requesting.indicators", "policy.indicator_thresholds"),
          (OC.PASS, OC.WARN, OC.CONSULT, OC.NOT_APPLICABLE), decide_indicators, explain_indicators),
    _rule("SG-RESEARCH-11", "Security research, authorised testing and protection",
          ("7", "8", "9", "10", "11", _TESTING),
          ("offences[]", "facts_summary", "subjects[].profile_flags"),
          (OC.PASS, OC.CONSULT), decide_research, explain_research),
    _rule("SG-SPECIFICITY-24", "Identified targets, bounded periods, no bulk requests",
          (_SAFEGUARDS, _REVIEW, _PERSONS),
          ("subjects", "data_requested", "measures_sought", "policy.max_data_period_days",
           "policy.max_subjects"),
          (OC.PASS, OC.WARN, OC.CONSULT, OC.NOT_APPLICABLE),
          decide_specificity, explain_specificity, version=2),
    _rule("SG-INTRUSIVE-45-46", "Content and real-time collection only for serious crime",
          (_REAL_TIME, _INTERCEPT, _SAFEGUARDS, _SERIOUS, _EMERGENCY_DATA),
          ("kind", "data_requested[].category", "offences[].max_penalty_years",
           "collection_period", "emergency_justification", "policy.max_collection_days"),
          (OC.WARN, OC.CONSULT, OC.REFUSE, OC.NOT_APPLICABLE), decide_intrusive,
          explain_intrusive, version=3),
    _rule("SG-REALTIME-23-3", "Reservation limiting real-time collection",
          (_RT_RES, _RT_OFFENCES),
          ("kind", "offences[].conduct_description", "requested.reservations"),
          (OC.PASS, OC.CONSULT, OC.REFUSE, OC.NOT_APPLICABLE),
          decide_real_time_reservation, explain_real_time_reservation, version=2),
    _rule("SG-MISUSE-11-3", "Reservation on misuse of devices", (_MISUSE_RES,),
          ("offences[].conduct_description", "requested.reservations", "policy.reservations"),
          (OC.PASS, OC.CONSULT, OC.NOT_APPLICABLE),
          decide_misuse_reservation, explain_misuse_reservation, version=2),
    _rule("SG-DATAPROTECTION-36", "Personal data transfer conditions",
          (_TRANSFER, _DATA_SAFE, _ONWARD, _USE_LIMIT, _CONFIDENTIAL), ("kind", "confidentiality"),
          (OC.PASS,), decide_personal_data, explain_personal_data, version=3),
    _rule("SG-PRESERVATION-42", "Preservation period and follow-up", (_PRES_PERIOD,),
          ("kind", "preservation.duration_days", "linked_requests",
           "figure preservation_minimum_days"),
          (OC.PASS, OC.WARN, OC.NOT_APPLICABLE), decide_preservation, explain_preservation),
    _rule("SG-TRAFFIC-43", "Preserved traffic data: only what identifies provider and path",
          (_PRESERVED_TRAFFIC, _STORED_ACCESS), ("kind", "data_requested[].category"),
          (OC.PASS, OC.CONSULT, OC.MISSING, OC.NOT_APPLICABLE),
          decide_preserved_traffic, explain_preserved_traffic),
    _rule("SG-CONTENTS-40-15", "Required contents of the request's kind",
          (_CONTENTS, _PRES_CONTENTS, _RT_CONTENTS, _INT_CONTENTS, _EMERGENCY_DATA, _EXTRADITE),
          ("every field",),
          (OC.PASS, OC.WARN, OC.MISSING), decide_contents, explain_contents, version=2),
    _rule("SG-LANGUAGE-40-14", "Written form, and language accepted by the requested party",
          (_LANGUAGE,),
          ("language", "requested.accepted_languages", "policy.accepted_languages",
           "made_orally", "confirmed_in_writing", "urgency", "kind", "on",
           "policy.oral_confirmation_days"),
          (OC.PASS, OC.WARN, OC.MISSING), decide_language, explain_language, version=2),
    _rule("SG-CHANNEL-40-13", "Channel accepted by the requested party",
          (_AUTHORITY, _NETWORK, _NETWORK_ASSISTANCE),
          ("channel", "kind", "requested.accepted_channels"), (OC.PASS, OC.WARN),
          decide_channel, explain_channel, version=2),
    _rule("SG-EMERGENCY-2O", "Emergency: imminent risk to life or safety",
          (_EMERGENCY, _EMERGENCY_DATA),
          ("urgency", "kind", "emergency_justification"),
          (OC.PASS, OC.WARN, OC.CONSULT, OC.MISSING, OC.NOT_APPLICABLE),
          decide_emergency, explain_emergency, version=2),
    _rule("SG-FISCAL-40-23", "Fiscal matters are no ground for refusal", (_FISCAL, _EXTR_FISCAL),
          ("offences[].involves_fiscal_matters", "offences[].conduct_description"),
          (OC.WARN, OC.NOT_APPLICABLE), decide_fiscal, explain_fiscal),
    _rule("SG-ESSENTIAL-40-21-B", "Sovereignty, security, ordre public, essential interests",
          (_ESSENTIAL, _EXTR_LAW), ("requested_party",), (OC.CONSULT,),
          decide_essential_interests, explain_essential_interests),
    _rule("SG-DOMESTIC-40-21-C", "Similar domestic case", (_DOMESTIC,),
          ("measures_sought", "requested_party"), (OC.CONSULT, OC.NOT_APPLICABLE),
          decide_similar_domestic_case, explain_similar_domestic_case),
)
