"""The safeguard rules, as code. Each rule has a stable id, a version, the articles and
paragraphs it rests on, the period it is valid, the facts it reads and the outcomes it can
give. Each rule is two functions over the same Context:

- `decide` (the hot path, run on every evaluation): the outcome only, plus the rule's effects on
  the decision (conditions, emergency, two reviewers); it builds no text;
- `check` (the explanation, run only when a finding's sentence or facts are read): the outcome
  again with ONE sentence built from the facts and the facts read. It has no effects, and a
  finding refuses to show an explanation whose outcome differs from the decided one.

Every figure comes from `treatydesk.convention` (figures.yaml); every article reference is
checked against the Convention when the registry loads (`rule_registry()`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from treatydesk.cooperation.contents import missing_contents, requirements
from treatydesk.cooperation.kinds import INTRUSIVE_KINDS, RequestKind
from treatydesk.cooperation.request import (
    CooperationRequest,
    DataCategory,
    ProfileFlag,
    Urgency,
)
from treatydesk.parties.conduct import ConductTaxonomy
from treatydesk.parties.profile import PartyProfile
from treatydesk.safeguards.facts import OffenceFacts, RequestFacts, years_text
from treatydesk.safeguards.findings import Condition, Outcome
from treatydesk.safeguards.policy import PolicyPack
from treatydesk.safeguards.vocabulary import Vocabulary
from treatydesk.status.model import Standing

#: the Convention was adopted on this day (GA resolution 79/243) [V]; no rule applies earlier
ADOPTED = dt.date(2024, 12, 24)

OC = Outcome


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures the rules use, read once from convention figures.yaml."""

    serious_crime_threshold_years: float
    extradition_threshold_years: float
    preservation_minimum_days: int
    references: Mapping[str, str]


@dataclass(slots=True)
class Context:
    request: CooperationRequest
    on: dt.date
    requested: PartyProfile
    requesting: PartyProfile | None
    standings: Mapping[str, Standing]
    policy: PolicyPack
    facts: RequestFacts
    figures: Figures
    taxonomy: ConductTaxonomy
    vocabulary: Vocabulary
    conditions: list[Condition] = field(default_factory=list)
    emergency: bool = False
    two_reviewers: bool = False


Check = Callable[[Context], tuple[Outcome, str, tuple[tuple[str, str], ...]]]
Decide = Callable[[Context], Outcome]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    version: int
    title: str
    articles: tuple[str, ...]
    facts: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    check: Check
    decide: Decide
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


def _worst(outcomes: Sequence[Outcome]) -> Outcome:
    return max(outcomes, key=lambda o: o.severity) if outcomes else OC.PASS


# ------------------------------------------------------------------------------- 65: in force


def _standing_problem(ctx: Context, key: str) -> str | None:
    standing = ctx.standings.get(key)
    name = _party(ctx, key)
    if standing is None:
        return f"{name} is not on the status record"
    if standing.consent is None:
        if standing.signature is not None:
            return (f"{name} signed on {standing.signature} but has deposited no instrument "
                    f"of consent, so it is not bound")
        return f"{name} has neither signed nor deposited an instrument"
    if standing.in_force_from is None:
        return (f"{name} deposited its instrument on {standing.consent} but the Convention has "
                f"not entered into force for it")
    if ctx.on < standing.in_force_from:
        return f"the Convention is in force for {name} only from {standing.in_force_from}"
    return None


@lru_cache(maxsize=4096)
def _standing_fact(standing: Standing | None) -> str:
    # parties recur across requests: format each standing once
    if standing is None:
        return "absent"
    return (f"signature={standing.signature} consent={standing.consent} "
            f"in_force_from={standing.in_force_from}")


def check_in_force(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    request = ctx.request
    keys = (request.requesting_party, request.requested_party)
    problems = [p for key in keys if (p := _standing_problem(ctx, key)) is not None]
    facts = (
        (f"standing.{keys[0]}", _standing_fact(ctx.standings.get(keys[0]))),
        (f"standing.{keys[1]}", _standing_fact(ctx.standings.get(keys[1]))),
        ("on", ctx.on.isoformat()),
    )
    if problems:
        return OC.REFUSE, (
            f"No Convention basis on {ctx.on}: {'; '.join(problems)}; the request can rest only "
            f"on another treaty or domestic law."), facts
    since = [ctx.standings[key].in_force_from for key in keys]
    return OC.PASS, (
        f"The Convention is in force between {_party(ctx, keys[0])} (since {since[0]}) and "
        f"{_party(ctx, keys[1])} (since {since[1]}) on {ctx.on}."), facts


# ---------------------------------------------------------------------------- 35, 2(h): scope


def _claimed_note(item: OffenceFacts) -> str:
    claimed = item.offence.claimed_convention_article
    if claimed is None or claimed in item.convention_articles:
        return ""
    return (f" (the requester claims Art {claimed}, which the described conduct does not "
            f"show)")


def check_scope(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    threshold = ctx.figures.serious_crime_threshold_years
    offences = ctx.facts.offences
    if not offences:
        if ctx.request.kind is RequestKind.EMERGENCY_DISCLOSURE:
            return OC.NOT_APPLICABLE, (
                "An emergency disclosure rests on the risk to life or safety (41(3)(e)), not on "
                "a described offence."), ()
        return OC.MISSING, (
            "No offence is described, so the Convention's scope cannot be judged."), ()
    outcomes: list[Outcome] = []
    clauses: list[str] = []
    facts: list[tuple[str, str]] = [("serious_crime_threshold_years", f"{threshold:g}")]
    for item in offences:
        label = f"'{item.offence.label}'"
        facts.append((f"offences[{item.position}]",
                      f"categories={sorted(item.categories)} penalty={item.penalty_text}"))
        note = _claimed_note(item)
        if item.convention_articles:
            arts = ", ".join(str(a) for a in item.convention_articles)
            cats = [c for c in item.categories
                    if ctx.taxonomy.categories[c].convention_article is not None
                    and not ctx.taxonomy.categories[c].protected]
            words = [w for c in cats for w in item.categories[c]]
            outcomes.append(OC.WARN if note else OC.PASS)
            clauses.append(f"{label} describes conduct of Art {arts} ({_quote(words)}), a "
                           f"Convention offence{note}")
        elif item.serious:
            outcomes.append(OC.WARN if note else OC.PASS)
            clauses.append(f"{label} carries {item.penalty_text}, at least the serious-crime "
                           f"threshold of {years_text(threshold)}{note}")
        elif item.serious is None:
            outcomes.append(OC.MISSING)
            clauses.append(f"{label} shows no Convention offence and its maximum penalty is not "
                           f"stated, so seriousness cannot be judged")
        elif item.offence.claimed_convention_article is not None:
            outcomes.append(OC.CONSULT)
            clauses.append(f"{label} carries {item.penalty_text}, below the threshold of "
                           f"{years_text(threshold)}, and is in scope only if the claimed Art "
                           f"{item.offence.claimed_convention_article} holds, which the "
                           f"described conduct does not show")
        else:
            outcomes.append(OC.REFUSE)
            clauses.append(f"{label} carries {item.penalty_text}, below the serious-crime "
                           f"threshold of {years_text(threshold)}, and shows no Convention "
                           f"offence: outside the Convention")
    # one offence in scope is enough for the request to be within the Convention (35(1))
    in_scope: list[Outcome] = [o for o in outcomes if o in (OC.PASS, OC.WARN)]
    outcome = _worst(in_scope) if in_scope else _worst(outcomes)
    if in_scope and len(in_scope) < len(outcomes):
        outcome = _worst([outcome, OC.WARN])
    sentence = "; ".join(clauses)
    return outcome, sentence[0].upper() + sentence[1:] + ".", tuple(facts)


# ---------------------------------------------------------------- 35(2), 40(9): dual criminality


def _dual_criminality_reason(ctx: Context) -> tuple[str, str] | None:
    """(why dual criminality is required, article) or None when it is not."""
    kind = ctx.request.kind
    if kind is RequestKind.PRESERVATION:
        reserved = (ctx.requested.reservations.preservation_dual_criminality_42
                    or ctx.policy.reservations.preservation_dual_criminality_42)
        if reserved and not ctx.facts.any_convention_offence:
            return (f"{ctx.requested.key} reserved the right to refuse preservation for "
                    f"non-Convention offences lacking dual criminality", "42(4)")
        return None
    if ctx.policy.needs_dual_criminality(kind):
        return f"the desk's policy '{ctx.policy.name}' requires it for {kind.value}", "35(2)"
    return None


def check_dual_criminality(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    kind = ctx.request.kind
    if kind is RequestKind.EXTRADITION:
        return OC.NOT_APPLICABLE, (
            "For extradition, punishability in both States is judged under 37(1) (rule "
            "SG-EXTRADITION-37)."), ()
    reason = _dual_criminality_reason(ctx)
    if reason is None:
        if kind is RequestKind.PRESERVATION:
            return OC.NOT_APPLICABLE, (
                "Dual criminality is not a condition for preservation (42(3)), and no "
                "reservation under 42(4) applies to this request."), ()
        return OC.NOT_APPLICABLE, (
            f"Neither the Convention nor the desk's policy '{ctx.policy.name}' requires dual "
            f"criminality for {kind.value}."), ()
    why, article = reason
    if not ctx.facts.offences:
        return OC.MISSING, f"Dual criminality is required ({why}) but no offence is described.", ()
    outcomes: list[Outcome] = []
    clauses: list[str] = []
    facts: list[tuple[str, str]] = [("required_because", why)]
    requested = ctx.requested
    for item in ctx.facts.offences:
        label = f"'{item.offence.label}'"
        if not item.categories:
            outcomes.append(OC.CONSULT)
            clauses.append(f"the conduct of {label} could not be placed in a conduct category, "
                           f"so a reviewer must compare it with the law of {requested.key}")
            continue
        matched = [(c, o) for c in item.categories
                   if (o := requested.domestic_offence(c)) is not None]
        facts.append((f"offences[{item.position}].categories", ", ".join(sorted(item.categories))))
        if matched:
            category, offence = matched[0]
            outcomes.append(OC.PASS)
            clauses.append(f"the conduct of {label} ({category.replace('_', ' ')}) is an "
                           f"offence in {requested.key} under {offence.law}")
        else:
            outcomes.append(OC.REFUSE)
            names = ", ".join(c.replace("_", " ") for c in item.categories)
            clauses.append(f"the conduct of {label} ({names}) is not an offence in "
                           f"{requested.key}'s catalogue, whatever its label")
    outcome = _worst(outcomes)
    sentence = (f"Dual criminality is required ({article}) because {why}: "
                + "; ".join(clauses) + ".")
    if outcome is OC.REFUSE:
        sentence += (" Assistance without coercive action may still be given (40(9)), e.g. "
                     + "; ".join(ctx.vocabulary.non_coercive_assistance) + ".")
    return outcome, sentence, tuple(facts)


# ------------------------------------------------------------------------- 37: extradition


def check_extradition(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    if ctx.request.kind is not RequestKind.EXTRADITION:
        return OC.NOT_APPLICABLE, "The request is not for extradition.", ()
    threshold = ctx.figures.extradition_threshold_years
    requested = ctx.requested
    outcomes: list[Outcome] = []
    clauses: list[str] = []
    facts: list[tuple[str, str]] = [("extradition_threshold_years", f"{threshold:g}")]
    if not ctx.facts.offences:
        return OC.MISSING, "No offence is described for the extradition (37(1)).", ()
    for item in ctx.facts.offences:
        label = f"'{item.offence.label}'"
        offence = item.offence
        if not item.convention_articles and offence.claimed_convention_article is None:
            outcomes.append(OC.REFUSE)
            clauses.append(f"{label} shows no Convention offence, and 37(1) covers only those")
            continue
        if not offence.max_penalty_life and offence.max_penalty_years is None:
            outcomes.append(OC.MISSING)
            clauses.append(f"{label} states no maximum penalty in {ctx.request.requesting_party}")
            continue
        if not offence.max_penalty_life and (offence.max_penalty_years or 0) < threshold:
            outcomes.append(OC.REFUSE)
            clauses.append(f"{label} carries {item.penalty_text} in "
                           f"{ctx.request.requesting_party}, below {years_text(threshold)}")
            continue
        domestic = [(c, o) for c in item.categories
                    if (o := requested.domestic_offence(c)) is not None]
        if not domestic:
            outcomes.append(OC.REFUSE if item.categories else OC.CONSULT)
            clauses.append(f"the conduct of {label} is not found punishable in {requested.key}"
                           if item.categories else
                           f"the conduct of {label} could not be placed in a conduct category")
            continue
        best = max(domestic, key=lambda pair: (pair[1].life, pair[1].max_penalty_years or 0))
        if not best[1].at_least(threshold):
            outcomes.append(OC.REFUSE)
            shown = "life" if best[1].life else years_text(best[1].max_penalty_years or 0)
            clauses.append(f"the conduct of {label} is punishable in {requested.key} by at most "
                           f"{shown}, below {years_text(threshold)}")
            continue
        outcomes.append(OC.PASS)
        clauses.append(f"{label} is punishable in both States by at least "
                       f"{years_text(threshold)}")
    if not requested.reservations.extradition_convention_legal_basis_37:
        outcomes.append(OC.CONSULT)
        clauses.append(f"{requested.key} does not take the Convention as the legal basis for "
                       f"extradition (37(6)), so another treaty or its law must provide one")
    if any(o.offence.involves_fiscal_matters or "tax_evasion" in o.categories
           for o in ctx.facts.offences):
        clauses.append("fiscal matters involved are no ground for refusal on their own (37(16))")
    return _worst(outcomes), "Extradition: " + "; ".join(clauses) + ".", tuple(facts)


# ------------------------------------------------------------- 40(22), 6: persecution grounds


def check_persecution(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    vocab = ctx.vocabulary
    grounds = dict(vocab.persecution.find(ctx.facts.all_text))
    for item in ctx.facts.offences:
        # protected conduct is a flag only when it is all the offence describes: "posted a
        # threat to kill" is a threat, the posting merely its medium
        if len(item.protected) < len(item.categories):
            continue
        for category in item.protected:
            grounds.setdefault(f"protected conduct: {category.replace('_', ' ')}",
                               item.categories[category])
    flagged: list[str] = []
    for subject in ctx.request.subjects:
        for flag in subject.profile_flags:
            if flag is ProfileFlag.SECURITY_RESEARCHER:
                continue  # a research matter (rule SG-RESEARCH-11)
            ground = vocab.flag_grounds.get(flag)
            flagged.append(f"{subject.identifier_value} is flagged {flag.value}"
                           + (f" ({ground.replace('_', ' ')})" if ground else ""))
    basis = "37(15)" if ctx.request.kind is RequestKind.EXTRADITION else "40(22)"
    facts = tuple((f"ground.{g}", ", ".join(w)) for g, w in grounds.items()) + tuple(
        ("subject_flag", text) for text in flagged)
    if grounds or flagged:
        parts = [f"{g.replace('_', ' ')} ({_quote(w)})" for g, w in grounds.items()]
        parts.extend(flagged)
        return OC.CONSULT, (
            f"A reviewer must judge whether the request aims at punishing a person on a ground "
            f"of {basis} or suppressing a right of Art 6: the request touches "
            + "; ".join(parts) + "."), facts
    return OC.PASS, (
        f"No words tied to the grounds of {basis} or the rights of Art 6 were found in the "
        f"offences, facts or purpose, and no person is flagged; the reviewer still confirms."), ()


def check_indicators(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    thresholds = ctx.policy.indicator_thresholds
    if not thresholds:
        return OC.NOT_APPLICABLE, (
            f"The policy '{ctx.policy.name}' sets no rights-risk indicator thresholds."), ()
    key = ctx.request.requesting_party
    if ctx.requesting is None:
        return OC.WARN, (
            f"No profile of the requesting party {key} was given, so the policy's indicator "
            f"thresholds could not be checked."), ()
    triggered: list[str] = []
    absent: list[str] = []
    facts: list[tuple[str, str]] = []
    for threshold in thresholds:
        value = ctx.requesting.indicator(threshold.indicator)
        if value is None:
            absent.append(threshold.indicator)
            continue
        facts.append((f"indicator.{threshold.indicator}",
                      f"{value.value:g} ({value.source}, {value.date})"))
        if threshold.triggered(value.value):
            triggered.append(f"{threshold.indicator} is {value.value:g} "
                             f"{threshold.comparison} {threshold.value:g} ({value.source}, "
                             f"{value.date})")
    if triggered:
        return OC.CONSULT, (
            f"The operator-supplied indicators for {key} meet the policy's review thresholds: "
            + "; ".join(triggered) + "; a reviewer weighs them under 40(22)."), tuple(facts)
    if absent:
        return OC.WARN, (
            f"No value of {', '.join(absent)} is recorded for {key}, so those thresholds could "
            f"not be checked."), tuple(facts)
    return OC.PASS, (
        f"The operator-supplied indicators for {key} are within the policy's thresholds."
    ), tuple(facts)


# ---------------------------------------------------------------- 7(1), 11(2): security research


def check_research(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    words = ctx.vocabulary.research.find(ctx.facts.all_text).get("security_research", ())
    flagged = [s.identifier_value for s in ctx.request.subjects
               if ProfileFlag.SECURITY_RESEARCHER in s.profile_flags]
    if words or flagged:
        parts = []
        if words:
            parts.append(f"the text mentions {_quote(words)}")
        if flagged:
            parts.append(f"{', '.join(flagged)} is flagged as a security researcher")
        return OC.CONSULT, (
            "The facts may describe security research: " + " and ".join(parts) + "; Arts 7-10 "
            "cover only conduct without right and 11(2) excludes authorised testing or "
            "protection, so a reviewer must decide."), (("research_words", ", ".join(words)),)
    return OC.PASS, (
        "No sign of security research, authorised testing or disclosure in the facts."), ()


# ------------------------------------------------------------ 24, 40(15)(e): specificity


_DATA_KINDS = frozenset(set(RequestKind) - {RequestKind.EXTRADITION,
                                              RequestKind.LAW_ENFORCEMENT_COOPERATION})


def check_specificity(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    request = ctx.request
    if request.kind not in _DATA_KINDS or (
            request.kind is RequestKind.MUTUAL_LEGAL_ASSISTANCE and not request.data_requested):
        return OC.NOT_APPLICABLE, f"This {request.kind.value} request seeks no data.", ()
    policy = ctx.policy
    outcomes: list[Outcome] = []
    clauses: list[str] = []
    bulk = ctx.vocabulary.bulk.find(ctx.facts.scope_text()).get("bulk", ())
    wildcards = [s.identifier_value for s in request.subjects
                 if "*" in s.identifier_value or "%" in s.identifier_value]
    if bulk or wildcards:
        outcomes.append(OC.CONSULT)
        shown = list(bulk) + wildcards
        clauses.append(f"the request reads as bulk or open scope ({_quote(shown)})")
    if not request.subjects:
        outcomes.append(OC.CONSULT)
        clauses.append("no person, account or item is identified")
    elif len(request.subjects) > policy.max_subjects:
        outcomes.append(OC.CONSULT)
        clauses.append(f"{len(request.subjects)} persons or accounts exceed the policy's "
                       f"{policy.max_subjects}")
    for index, item in enumerate(request.data_requested):
        where = f"data_requested[{index}] ({item.category.value})"
        if item.from_date is None or item.to_date is None:
            # real-time collection and interception are bounded by their collection period
            if request.collection_period is None:
                outcomes.append(OC.CONSULT if item.category is DataCategory.CONTENT
                                else OC.WARN)
                clauses.append(f"{where} has an open-ended period")
        elif (span := (item.to_date - item.from_date).days + 1) > policy.max_data_period_days:
            outcomes.append(OC.WARN)
            clauses.append(f"{where} spans {span} days, more than the policy's "
                           f"{policy.max_data_period_days}")
        if not (item.justification and item.justification.strip()):
            outcomes.append(OC.WARN)
            clauses.append(f"{where} is not justified by the purpose")
    if not clauses:
        return OC.PASS, (
            f"The request identifies {len(request.subjects)} person(s) or account(s) and every "
            f"data category has a bounded, justified period."), (
            ("subjects", str(len(request.subjects))),
            ("data_items", str(len(request.data_requested))))
    return _worst(outcomes), "Specificity and proportionality: " + "; ".join(clauses) + ".", (
        ("subjects", str(len(request.subjects))), ("bulk_words", ", ".join(bulk)))


def check_intrusive(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    request = ctx.request
    content = any(item.category is DataCategory.CONTENT for item in request.data_requested)
    if request.kind not in INTRUSIVE_KINDS and not content:
        return OC.NOT_APPLICABLE, "No content data or real-time collection is sought.", ()
    what = ("interception of content data (46)" if request.kind is RequestKind.CONTENT_INTERCEPTION
            else "real-time collection of traffic data (45)"
            if request.kind is RequestKind.REAL_TIME_TRAFFIC_COLLECTION
            else "content data")
    threshold = ctx.figures.serious_crime_threshold_years
    if not ctx.facts.any_serious:
        return OC.REFUSE, (
            f"The request seeks {what}, which this desk grants only for serious crime, but no "
            f"offence carries at least {years_text(threshold)} (2(h))."), (
            ("serious_crime_threshold_years", f"{threshold:g}"),)
    extra = ""
    period = request.collection_period
    if period is not None:
        days = (period.end - period.start).days + 1
        if days > ctx.policy.max_collection_days:
            extra = (f"; the collection period of {days} days exceeds the policy's "
                     f"{ctx.policy.max_collection_days}")
    return OC.WARN, (
        f"The request seeks {what} for a serious crime; two reviewers must decide{extra}."), (
        ("serious_crime_threshold_years", f"{threshold:g}"),)


def check_real_time_reservation(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    limited = ctx.requested.reservations.real_time_collection_offences_23_3
    if ctx.request.kind is not RequestKind.REAL_TIME_TRAFFIC_COLLECTION or limited is None:
        return OC.NOT_APPLICABLE, (
            "No reservation under 23(3) limits this request."), ()
    allowed = set(limited)
    found = {c for item in ctx.facts.offences for c in item.categories}
    if found & allowed:
        return OC.PASS, (
            f"{ctx.requested.key} limits real-time collection to certain offences (23(3)); "
            f"this conduct ({', '.join(sorted(found & allowed))}) is among them."), ()
    return OC.REFUSE, (
        f"{ctx.requested.key} reserved real-time collection to "
        f"{', '.join(c.replace('_', ' ') for c in sorted(allowed))} (23(3)); the described "
        f"conduct is none of these."), (("conduct", ", ".join(sorted(found))),)


def check_misuse_reservation(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    reserved = (ctx.requested.reservations.misuse_of_devices_11_3
                or ctx.policy.reservations.misuse_of_devices_11_3)
    devices = [item for item in ctx.facts.offences if "misuse_of_devices" in item.categories]
    if not reserved or not devices:
        return OC.NOT_APPLICABLE, "No reservation under 11(3) concerns this request.", ()
    only_devices = [item for item in devices
                    if set(item.convention_articles) == {11}
                    and "misuse_of_credentials" not in item.categories]
    if not only_devices:
        return OC.PASS, (
            f"{ctx.requested.key} reserved 11(3), but the conduct also involves credentials or "
            f"another Convention offence."), ()
    labels = ", ".join(f"'{item.offence.label}'" for item in only_devices)
    return OC.CONSULT, (
        f"{ctx.requested.key} reserved the right not to apply 11(1) (11(3)); {labels} rests on "
        f"device misuse other than passwords or credentials, so a reviewer decides whether "
        f"assistance is possible."), ()


# ------------------------------------------------------------------- 36: personal data


def check_personal_data(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    request = ctx.request
    if request.kind is RequestKind.EXTRADITION:
        return OC.NOT_APPLICABLE, "Extradition transfers a person, not data.", ()
    return OC.PASS, (
        "Any personal data produced goes with the transfer conditions of 36(1)-(3) and the use "
        "limitation of 40(19), listed in the decision's conditions."), ()


def check_preservation(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    request = ctx.request
    minimum = ctx.figures.preservation_minimum_days
    facts = (("preservation_minimum_days", str(minimum)),)
    if request.kind is RequestKind.PRESERVATION:
        asked = request.preservation.duration_days if request.preservation else None
        if asked is not None and asked < minimum:
            return OC.WARN, (
                f"The request asks preservation for {asked} days; the Convention's minimum is "
                f"{minimum} days (42(7)), which the desk applies."), facts
        return OC.PASS, f"Preservation will last at least {minimum} days (42(7)).", facts
    earlier = [link for link in request.linked_requests
               if link.kind is RequestKind.PRESERVATION and link.date is not None]
    if not earlier:
        return OC.NOT_APPLICABLE, "No earlier preservation request is linked.", ()
    lapsed = [link for link in earlier
              if link.date is not None and (request.date - link.date).days > minimum]
    if lapsed:
        shown = ", ".join(f"{link.reference} of {link.date}" for link in lapsed)
        return OC.WARN, (
            f"The linked preservation {shown} was made more than {minimum} days before this "
            f"request; check that the data is still preserved (42(7))."), facts
    return OC.PASS, (
        f"The linked preservation is within {minimum} days of this follow-up request "
        f"(42(7))."), facts


# -------------------------------------------------------- 40(13)-(15), 42(2): completeness


def check_contents(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    missing = missing_contents(ctx.request)
    if not missing:
        return OC.PASS, (
            f"The request has every content its kind ({ctx.request.kind.value}) requires."), ()
    parts = [f"{item.field_path} ({item.article}: {item.what})" for item in missing]
    return OC.MISSING, "The request lacks " + "; ".join(parts) + ".", tuple(
        (item.field_path, item.article) for item in missing)


def check_language(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    accepted = ctx.policy.languages
    source = f"the policy '{ctx.policy.name}'"
    if accepted is None:
        accepted = frozenset(ctx.requested.accepted_languages)
        source = f"the profile of {ctx.requested.key}"
    language = ctx.request.language
    if not accepted:
        return OC.WARN, (
            f"No accepted languages are recorded in {source}, so '{language}' could not be "
            f"checked (40(14))."), ()
    listed = ", ".join(sorted(accepted))
    if language in accepted:
        return OC.PASS, f"The request is in '{language}', which {source} accepts ({listed}).", ()
    return OC.MISSING, (
        f"The request is in '{language}', but {source} accepts only {listed}: a translation is "
        f"needed (40(14))."), (("language", language), ("accepted", listed))


def check_channel(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    channel = ctx.request.channel
    accepted = ctx.requested.accepted_channels
    if not accepted:
        return OC.WARN, f"No accepted channels are recorded for {ctx.requested.key}.", ()
    listed = ", ".join(c.value for c in accepted)
    if channel in accepted:
        return OC.PASS, (
            f"The request came by {channel.value}, which {ctx.requested.key} accepts."), ()
    return OC.WARN, (
        f"The request came by {channel.value}, but {ctx.requested.key} accepts {listed}; it "
        f"should be sent again by one of them (40(13))."), (("channel", channel.value),)


# ------------------------------------------------------------------ 2(o), 41: emergency


def check_emergency(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    request = ctx.request
    claimed = request.urgency is Urgency.EMERGENCY
    if not claimed and request.kind is not RequestKind.EMERGENCY_DISCLOSURE:
        return OC.NOT_APPLICABLE, "No emergency is claimed.", ()
    text = ctx.facts.emergency_text()
    risk = ctx.vocabulary.emergency_risk.find(text).get("risk", ())
    soon = ctx.vocabulary.emergency_imminence.find(text).get("imminence", ())
    facts = (("risk_words", ", ".join(risk)), ("imminence_words", ", ".join(soon)))
    if risk and soon:
        return OC.PASS, (
            f"The request describes a risk to life or safety ({_quote(risk)}) that is imminent "
            f"({_quote(soon)}): an emergency within 2(o)."), facts
    if risk:
        return OC.CONSULT, (
            f"The request describes a risk to life or safety ({_quote(risk)}) but nothing shows "
            f"it is imminent; a reviewer confirms the emergency (2(o))."), facts
    if request.kind is RequestKind.EMERGENCY_DISCLOSURE:
        return OC.MISSING, (
            "An emergency disclosure needs a described significant and imminent risk to the "
            "life or safety of a person (2(o)); none is described, so it must describe one or "
            "go as an ordinary request."), facts
    return OC.WARN, (
        "An emergency is claimed, but no risk to the life or safety of a person is described "
        "(2(o)); the request is treated as ordinary."), facts


# ------------------------------------------------------- 40(21)(b), 40(21)(c): always consult


def check_essential_interests(ctx: Context) -> tuple[Outcome, str,
                                                      tuple[tuple[str, str], ...]]:
    if ctx.request.kind is RequestKind.EXTRADITION:
        return OC.CONSULT, (
            f"A reviewer must decide the grounds for refusal that the law of "
            f"{ctx.requested.key} and its treaties provide (37(8)); never decided "
            f"automatically."), ()
    return OC.CONSULT, (
        f"A reviewer must decide whether execution would prejudice the sovereignty, security, "
        f"ordre public or other essential interests of {ctx.requested.key} (40(21)(b)); never "
        f"decided automatically."), ()


def check_similar_domestic_case(ctx: Context) -> tuple[Outcome, str,
                                                        tuple[tuple[str, str], ...]]:
    if ctx.request.kind is RequestKind.EXTRADITION:
        return OC.NOT_APPLICABLE, "For extradition, the requested party's law applies (37(8)).", ()
    measures = ", ".join(ctx.request.measures_sought) or ctx.request.kind.value
    return OC.CONSULT, (
        f"A reviewer must confirm that the law of {ctx.requested.key} would allow {measures} in "
        f"a similar domestic case (40(21)(c)); never decided automatically."), ()


def check_fiscal(ctx: Context) -> tuple[Outcome, str, tuple[tuple[str, str], ...]]:
    fiscal = [item for item in ctx.facts.offences
              if item.offence.involves_fiscal_matters or "tax_evasion" in item.categories]
    if not fiscal:
        return OC.NOT_APPLICABLE, "No offence involves fiscal matters.", ()
    article = "37(16)" if ctx.request.kind is RequestKind.EXTRADITION else "40(23)"
    labels = ", ".join(f"'{item.offence.label}'" for item in fiscal)
    return OC.WARN, (
        f"{labels} involves fiscal matters, which alone are no ground to refuse ({article})."), ()


# ------------------------------------------------------------ the hot path: outcomes only
#
# One `decide_*` per rule: the same outcome as its `check_*` above, without building any text.
# Cheap tests come first, and a rule stops as soon as its outcome can no longer change.

_SEV = {outcome: outcome.severity for outcome in Outcome}


def _bound(standing: Standing | None, on: dt.date) -> bool:
    return (standing is not None and standing.consent is not None
            and standing.in_force_from is not None and on >= standing.in_force_from)


def decide_in_force(ctx: Context) -> Outcome:
    request = ctx.request
    standings = ctx.standings
    if (_bound(standings.get(request.requesting_party), ctx.on)
            and _bound(standings.get(request.requested_party), ctx.on)):
        return OC.PASS
    return OC.REFUSE


def decide_scope(ctx: Context) -> Outcome:
    offences = ctx.facts.offences
    if not offences:
        if ctx.request.kind is RequestKind.EMERGENCY_DISCLOSURE:
            return OC.NOT_APPLICABLE
        return OC.MISSING
    in_scope: Outcome | None = None
    out_of_scope: Outcome | None = None
    for item in offences:
        claimed = item.offence.claimed_convention_article
        if item.convention_articles or item.serious:
            outcome = (OC.WARN if claimed is not None
                       and claimed not in item.convention_articles else OC.PASS)
            if in_scope is None or _SEV[outcome] > _SEV[in_scope]:
                in_scope = outcome
            continue
        if item.serious is None:
            outcome = OC.MISSING
        elif claimed is not None:
            outcome = OC.CONSULT
        else:
            outcome = OC.REFUSE
        if out_of_scope is None or _SEV[outcome] > _SEV[out_of_scope]:
            out_of_scope = outcome
    # one offence in scope is enough for the request to be within the Convention (35(1)); any
    # other offence turns a pass into a warning
    if in_scope is None:
        assert out_of_scope is not None
        return out_of_scope
    return OC.WARN if out_of_scope is not None else in_scope


def _dual_criminality_required(ctx: Context) -> bool:
    kind = ctx.request.kind
    if kind is RequestKind.PRESERVATION:
        return ((ctx.requested.reservations.preservation_dual_criminality_42
                 or ctx.policy.reservations.preservation_dual_criminality_42)
                and not ctx.facts.any_convention_offence)
    return ctx.policy.needs_dual_criminality(kind)


def decide_dual_criminality(ctx: Context) -> Outcome:
    if ctx.request.kind is RequestKind.EXTRADITION or not _dual_criminality_required(ctx):
        return OC.NOT_APPLICABLE
    offences = ctx.facts.offences
    if not offences:
        return OC.MISSING
    worst = OC.PASS
    catalogue = ctx.requested.domestic_offence
    for item in offences:
        if not item.categories:
            outcome = OC.CONSULT
        elif any(catalogue(c) is not None for c in item.categories):
            continue  # pass
        else:
            return OC.REFUSE  # the most severe outcome this rule gives
        if _SEV[outcome] > _SEV[worst]:
            worst = outcome
    return worst


def decide_extradition(ctx: Context) -> Outcome:
    if ctx.request.kind is not RequestKind.EXTRADITION:
        return OC.NOT_APPLICABLE
    offences = ctx.facts.offences
    if not offences:
        return OC.MISSING
    threshold = ctx.figures.extradition_threshold_years
    requested = ctx.requested
    worst = OC.PASS
    for item in offences:
        offence = item.offence
        if not item.convention_articles and offence.claimed_convention_article is None:
            return OC.REFUSE
        if not offence.max_penalty_life and offence.max_penalty_years is None:
            outcome = OC.MISSING
        elif not offence.max_penalty_life and (offence.max_penalty_years or 0) < threshold:
            return OC.REFUSE
        else:
            domestic = [o for c in item.categories
                        if (o := requested.domestic_offence(c)) is not None]
            if not domestic:
                if item.categories:
                    return OC.REFUSE
                outcome = OC.CONSULT
            elif not max(domestic, key=lambda o: (o.life, o.max_penalty_years or 0)).at_least(
                    threshold):
                return OC.REFUSE
            else:
                continue  # pass
        if _SEV[outcome] > _SEV[worst]:
            worst = outcome
    if (not requested.reservations.extradition_convention_legal_basis_37
            and _SEV[OC.CONSULT] > _SEV[worst]):
        worst = OC.CONSULT
    return worst


def decide_persecution(ctx: Context) -> Outcome:
    for subject in ctx.request.subjects:
        for flag in subject.profile_flags:
            if flag is not ProfileFlag.SECURITY_RESEARCHER:
                return OC.CONSULT
    for item in ctx.facts.offences:
        # protected conduct counts only when it is all the offence describes
        if item.protected and len(item.protected) >= len(item.categories):
            return OC.CONSULT
    if ctx.vocabulary.persecution.matches(ctx.facts.all_text):
        return OC.CONSULT
    return OC.PASS


def decide_indicators(ctx: Context) -> Outcome:
    thresholds = ctx.policy.indicator_thresholds
    if not thresholds:
        return OC.NOT_APPLICABLE
    requesting = ctx.requesting
    if requesting is None:
        return OC.WARN
    absent = False
    for threshold in thresholds:
        value = requesting.indicator(threshold.indicator)
        if value is None:
            absent = True
        elif threshold.triggered(value.value):
            return OC.CONSULT
    return OC.WARN if absent else OC.PASS


def decide_research(ctx: Context) -> Outcome:
    for subject in ctx.request.subjects:
        if ProfileFlag.SECURITY_RESEARCHER in subject.profile_flags:
            return OC.CONSULT
    if ctx.vocabulary.research.matches(ctx.facts.all_text):
        return OC.CONSULT
    return OC.PASS


def decide_specificity(ctx: Context) -> Outcome:
    request = ctx.request
    kind = request.kind
    if kind not in _DATA_KINDS or (
            kind is RequestKind.MUTUAL_LEGAL_ASSISTANCE and not request.data_requested):
        return OC.NOT_APPLICABLE
    policy = ctx.policy
    subjects = request.subjects
    # consult is the most severe outcome here: the cheap tests first, the text scan last
    if not subjects or len(subjects) > policy.max_subjects:
        return OC.CONSULT
    for subject in subjects:
        if "*" in subject.identifier_value or "%" in subject.identifier_value:
            return OC.CONSULT
    warn = False
    for item in request.data_requested:
        if item.from_date is None or item.to_date is None:
            if request.collection_period is None:
                if item.category is DataCategory.CONTENT:
                    return OC.CONSULT
                warn = True
        elif (item.to_date - item.from_date).days + 1 > policy.max_data_period_days:
            warn = True
        if not (item.justification and item.justification.strip()):
            warn = True
    if ctx.vocabulary.bulk.matches(ctx.facts.scope_text()):
        return OC.CONSULT
    return OC.WARN if warn else OC.PASS


def decide_intrusive(ctx: Context) -> Outcome:
    request = ctx.request
    if request.kind not in INTRUSIVE_KINDS and not any(
            item.category is DataCategory.CONTENT for item in request.data_requested):
        return OC.NOT_APPLICABLE
    ctx.two_reviewers = True
    return OC.WARN if ctx.facts.any_serious else OC.REFUSE


def decide_real_time_reservation(ctx: Context) -> Outcome:
    limited = ctx.requested.reservations.real_time_collection_offences_23_3
    if ctx.request.kind is not RequestKind.REAL_TIME_TRAFFIC_COLLECTION or limited is None:
        return OC.NOT_APPLICABLE
    for item in ctx.facts.offences:
        for category in item.categories:
            if category in limited:
                return OC.PASS
    return OC.REFUSE


def decide_misuse_reservation(ctx: Context) -> Outcome:
    if not (ctx.requested.reservations.misuse_of_devices_11_3
            or ctx.policy.reservations.misuse_of_devices_11_3):
        return OC.NOT_APPLICABLE
    devices = [item for item in ctx.facts.offences if "misuse_of_devices" in item.categories]
    if not devices:
        return OC.NOT_APPLICABLE
    for item in devices:
        if (set(item.convention_articles) == {11}
                and "misuse_of_credentials" not in item.categories):
            return OC.CONSULT
    return OC.PASS


@lru_cache(maxsize=4096)
def _transfer_conditions(requested: str, requesting: str,
                         confidential: bool) -> tuple[Condition, ...]:
    # party pairs recur across requests: build each pair's conditions once
    conditions: tuple[Condition, ...] = (
        Condition("36(1)", f"Transfer only as the law of {requested} allows; no transfer where "
                           f"its data-protection law forbids it."),
        Condition("36(2)", f"{requesting} applies effective and appropriate safeguards to the "
                           f"personal data it receives."),
        Condition("36(3)", f"No onward transfer to a third country or international "
                           f"organization without the prior written authorization of "
                           f"{requested}."),
        Condition("40(19)", f"Use only for the proceeding described; other use needs the prior "
                            f"consent of {requested}."),
    )
    if confidential:
        conditions += (Condition(
            "40(20)", f"Keep the request confidential, or tell {requesting} that this is not "
                      f"possible."),)
    return conditions


def decide_personal_data(ctx: Context) -> Outcome:
    request = ctx.request
    if request.kind is RequestKind.EXTRADITION:
        return OC.NOT_APPLICABLE
    ctx.conditions.extend(_transfer_conditions(
        request.requested_party, request.requesting_party, request.confidentiality))
    return OC.PASS


@lru_cache(maxsize=16)
def _preservation_condition(minimum: int) -> Condition:
    return Condition("42(7)", f"Preserve for at least {minimum} days, and keep preserving while "
                              f"the follow-up request is decided.")


def decide_preservation(ctx: Context) -> Outcome:
    request = ctx.request
    minimum = ctx.figures.preservation_minimum_days
    if request.kind is RequestKind.PRESERVATION:
        ctx.conditions.append(_preservation_condition(minimum))
        asked = request.preservation.duration_days if request.preservation else None
        return OC.WARN if asked is not None and asked < minimum else OC.PASS
    earlier = False
    for link in request.linked_requests:
        if link.kind is RequestKind.PRESERVATION and link.date is not None:
            if (request.date - link.date).days > minimum:
                return OC.WARN
            earlier = True
    return OC.PASS if earlier else OC.NOT_APPLICABLE


def decide_contents(ctx: Context) -> Outcome:
    request = ctx.request
    for item in requirements(request.kind):
        if not item.present(request):
            return OC.MISSING
    return OC.PASS


def decide_language(ctx: Context) -> Outcome:
    accepted = ctx.policy.languages
    if accepted is None:
        accepted = ctx.requested.accepted_language_set
    if not accepted:
        return OC.WARN
    return OC.PASS if ctx.request.language in accepted else OC.MISSING


def decide_channel(ctx: Context) -> Outcome:
    # no accepted channel recorded, or not one of them: a warning either way
    return OC.PASS if ctx.request.channel in ctx.requested.accepted_channels else OC.WARN


def decide_emergency(ctx: Context) -> Outcome:
    request = ctx.request
    if (request.urgency is not Urgency.EMERGENCY
            and request.kind is not RequestKind.EMERGENCY_DISCLOSURE):
        return OC.NOT_APPLICABLE
    text = ctx.facts.emergency_text()
    if ctx.vocabulary.emergency_risk.matches(text):
        ctx.emergency = True
        return OC.PASS if ctx.vocabulary.emergency_imminence.matches(text) else OC.CONSULT
    if request.kind is RequestKind.EMERGENCY_DISCLOSURE:
        return OC.MISSING
    return OC.WARN


def decide_fiscal(ctx: Context) -> Outcome:
    for item in ctx.facts.offences:
        if item.offence.involves_fiscal_matters or "tax_evasion" in item.categories:
            return OC.WARN
    return OC.NOT_APPLICABLE


def decide_essential_interests(ctx: Context) -> Outcome:
    return OC.CONSULT


def decide_similar_domestic_case(ctx: Context) -> Outcome:
    if ctx.request.kind is RequestKind.EXTRADITION:
        return OC.NOT_APPLICABLE
    return OC.CONSULT


_DECIDE: dict[Check, Decide] = {
    check_in_force: decide_in_force,
    check_scope: decide_scope,
    check_dual_criminality: decide_dual_criminality,
    check_extradition: decide_extradition,
    check_persecution: decide_persecution,
    check_indicators: decide_indicators,
    check_research: decide_research,
    check_specificity: decide_specificity,
    check_intrusive: decide_intrusive,
    check_real_time_reservation: decide_real_time_reservation,
    check_misuse_reservation: decide_misuse_reservation,
    check_personal_data: decide_personal_data,
    check_preservation: decide_preservation,
    check_contents: decide_contents,
    check_language: decide_language,
    check_channel: decide_channel,
    check_emergency: decide_emergency,
    check_fiscal: decide_fiscal,
    check_essential_interests: decide_essential_interests,
    check_similar_domestic_case: decide_similar_domestic_case,
}


# ----------------------------------------------------------------------------- the registry


def _rule(id: str, title: str, articles: tuple[str, ...], facts: tuple[str, ...],
          outcomes: tuple[Outcome, ...], check: Check, version: int = 1) -> Rule:
    decide = _DECIDE[check]
    return Rule(id=id, version=version, title=title, articles=articles, facts=facts,
                outcomes=outcomes, check=check, decide=decide)


RULES: tuple[Rule, ...] = (
    _rule("SG-FORCE-65", "Convention in force between both parties on the date",
          ("65(1)", "65(2)"), ("standings", "on", "requesting_party", "requested_party"),
          (OC.PASS, OC.REFUSE), check_in_force),
    _rule("SG-SCOPE-35", "Within the Convention: Convention offence or serious crime",
          ("35(1)(a)", "35(1)(c)", "2(h)"),
          ("offences[].conduct_description", "offences[].max_penalty_years",
           "offences[].claimed_convention_article", "figure serious_crime_threshold_years"),
          (OC.PASS, OC.WARN, OC.CONSULT, OC.MISSING, OC.REFUSE, OC.NOT_APPLICABLE), check_scope),
    _rule("SG-DUALCRIM-35", "Dual criminality judged on the conduct",
          ("35(2)", "40(9)", "42(3)", "42(4)"),
          ("kind", "offences[].conduct_description", "requested.offence_catalogue",
           "requested.reservations", "policy.dual_criminality_required_for"),
          (OC.PASS, OC.CONSULT, OC.MISSING, OC.REFUSE, OC.NOT_APPLICABLE), check_dual_criminality),
    _rule("SG-EXTRADITION-37", "Extradition: Convention offence, threshold in both States",
          ("37(1)", "37(6)", "37(16)"),
          ("offences[]", "requested.offence_catalogue", "requested.reservations",
           "figure extradition_threshold_years"),
          (OC.PASS, OC.CONSULT, OC.MISSING, OC.REFUSE, OC.NOT_APPLICABLE), check_extradition),
    _rule("SG-PERSECUTION-40-22", "Persecution grounds and protected rights",
          ("40(22)", "6", "37(15)"),
          ("offences[].label", "offences[].conduct_description", "facts_summary", "purpose",
           "proceeding.subject_matter", "subjects[].profile_flags"),
          (OC.PASS, OC.CONSULT), check_persecution),
    _rule("SG-INDICATORS-40-22", "Rights-risk indicators of the requesting party",
          ("40(22)",), ("requesting.indicators", "policy.indicator_thresholds"),
          (OC.PASS, OC.WARN, OC.CONSULT, OC.NOT_APPLICABLE), check_indicators),
    _rule("SG-RESEARCH-11", "Security research, authorised testing and protection",
          ("7(1)", "11(2)"), ("offences[]", "facts_summary", "subjects[].profile_flags"),
          (OC.PASS, OC.CONSULT), check_research),
    _rule("SG-SPECIFICITY-24", "Identified targets, bounded periods, no bulk requests",
          ("24(1)", "24(2)", "40(15)(e)"),
          ("subjects", "data_requested", "measures_sought", "policy.max_data_period_days",
           "policy.max_subjects"),
          (OC.PASS, OC.WARN, OC.CONSULT, OC.NOT_APPLICABLE), check_specificity),
    _rule("SG-INTRUSIVE-45-46", "Content and real-time collection only for serious crime",
          ("45(1)", "46(1)", "24(1)", "2(h)"),
          ("kind", "data_requested[].category", "offences[].max_penalty_years",
           "collection_period", "policy.max_collection_days"),
          (OC.WARN, OC.REFUSE, OC.NOT_APPLICABLE), check_intrusive),
    _rule("SG-REALTIME-23-3", "Reservation limiting real-time collection",
          ("23(3)",), ("kind", "offences[].conduct_description", "requested.reservations"),
          (OC.PASS, OC.REFUSE, OC.NOT_APPLICABLE), check_real_time_reservation),
    _rule("SG-MISUSE-11-3", "Reservation on misuse of devices", ("11(3)",),
          ("offences[].conduct_description", "requested.reservations", "policy.reservations"),
          (OC.PASS, OC.CONSULT, OC.NOT_APPLICABLE), check_misuse_reservation),
    _rule("SG-DATAPROTECTION-36", "Personal data transfer conditions",
          ("36(1)", "36(2)", "36(3)", "40(19)", "40(20)"), ("kind", "confidentiality"),
          (OC.PASS, OC.NOT_APPLICABLE), check_personal_data),
    _rule("SG-PRESERVATION-42", "Preservation period and follow-up", ("42(7)",),
          ("kind", "preservation.duration_days", "linked_requests",
           "figure preservation_minimum_days"),
          (OC.PASS, OC.WARN, OC.NOT_APPLICABLE), check_preservation),
    _rule("SG-CONTENTS-40-15", "Required contents of the request's kind",
          ("40(15)", "42(2)", "45(3)", "46(2)", "41(3)(e)", "37(1)"), ("every field",),
          (OC.PASS, OC.MISSING), check_contents),
    _rule("SG-LANGUAGE-40-14", "Language accepted by the requested party", ("40(14)",),
          ("language", "requested.accepted_languages", "policy.accepted_languages"),
          (OC.PASS, OC.WARN, OC.MISSING), check_language),
    _rule("SG-CHANNEL-40-13", "Channel accepted by the requested party", ("40(13)", "41(1)"),
          ("channel", "requested.accepted_channels"), (OC.PASS, OC.WARN), check_channel),
    _rule("SG-EMERGENCY-2O", "Emergency: imminent risk to life or safety", ("2(o)", "41(3)(e)"),
          ("urgency", "kind", "emergency_justification"),
          (OC.PASS, OC.WARN, OC.CONSULT, OC.MISSING, OC.NOT_APPLICABLE), check_emergency),
    _rule("SG-FISCAL-40-23", "Fiscal matters are no ground for refusal", ("40(23)", "37(16)"),
          ("offences[].involves_fiscal_matters", "offences[].conduct_description"),
          (OC.WARN, OC.NOT_APPLICABLE), check_fiscal),
    _rule("SG-ESSENTIAL-40-21-B", "Sovereignty, security, ordre public, essential interests",
          ("40(21)(b)", "37(8)"), ("requested_party",), (OC.CONSULT,), check_essential_interests),
    _rule("SG-DOMESTIC-40-21-C", "Similar domestic case", ("40(21)(c)",),
          ("measures_sought", "requested_party"), (OC.CONSULT, OC.NOT_APPLICABLE),
          check_similar_domestic_case),
)
