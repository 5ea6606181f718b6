"""The facts of one request that several rules read, computed once per evaluation.

Normalising and scanning text is the expensive part of an evaluation; doing it here once (and
not in each rule) keeps one evaluation well under a millisecond.
"""

from __future__ import annotations

from typing import Final

from treatydesk.cooperation.request import CooperationRequest, Offence
from treatydesk.parties.conduct import ConductTaxonomy
from treatydesk.parties.vocabulary import TextScan, normalise


class OffenceFacts:
    """What one offence of the request shows. Plain classes here and below, not named tuples:
    a named tuple's constructor runs as interpreted code on every evaluation."""

    def __init__(self, position: int, offence: Offence, categories: dict[str, tuple[str, ...]],
                 convention_articles: tuple[int, ...], serious: bool | None,
                 protected: tuple[str, ...]) -> None:
        #: the offence's position in request.offences
        self.position: Final = position
        self.offence: Final = offence
        #: conduct category id -> words that matched in the conduct description (label
        #: ignored)
        self.categories: Final = categories
        #: Convention offence articles (7-17) the described conduct shows, excluding protected
        #: conduct (an exercise of an Art 6 right is never a Convention offence on its face)
        self.convention_articles: Final = convention_articles
        #: at least the serious-crime threshold (2(h)) or life
        self.serious: Final = serious
        self.protected: Final = protected

    @property
    def penalty_text(self) -> str:
        if self.offence.max_penalty_life:
            return "life imprisonment"
        if self.offence.max_penalty_years is None:
            return "an unstated maximum penalty"
        return f"a maximum of {_years(self.offence.max_penalty_years)}"


def _years(value: float) -> str:
    shown = f"{value:g}"
    return f"{shown} year" if shown == "1" else f"{shown} years"


def years_text(value: float) -> str:
    return _years(value)


class RequestFacts:
    def __init__(self, request: CooperationRequest, offences: tuple[OffenceFacts, ...],
                 all_text: str, any_serious: bool, any_convention_offence: bool,
                 in_text: frozenset[str]) -> None:
        self.request: Final = request
        self.offences: Final = offences
        #: every descriptive text of the request, normalised and joined (for vocabulary scans)
        self.all_text: Final = all_text
        self.any_serious: Final = any_serious
        self.any_convention_offence: Final = any_convention_offence
        #: the vocabularies of the engine's text scan that occur in all_text
        self.in_text: Final = in_text

    def scope_text(self) -> str:
        """Measures, data descriptions and identifiers, normalised and joined (for the
        bulk-scope scan; built only by the rule that reads it)."""
        request = self.request
        parts: list[str | None] = list(request.measures_sought)
        parts.extend(item.description for item in request.data_requested)
        parts.extend(subject.identifier_value for subject in request.subjects)
        return _join(parts)

    def emergency_text(self) -> str:
        return _join([self.request.emergency_justification])


def _join(parts: list[str | None]) -> str:
    return normalise(" | ".join([part for part in parts if part]))


def gather(request: CooperationRequest, taxonomy: ConductTaxonomy, threshold_years: float,
           text_scan: TextScan) -> RequestFacts:
    offence_article = taxonomy.offence_article
    protected_ids = taxonomy.protected_ids
    classify = taxonomy.matcher.find
    offences: list[OffenceFacts] = []
    any_serious = any_convention_offence = False
    # the emergency's justification is a fact the requester gives like the others: a
    # persecution ground or research it describes must not escape the scans
    texts: list[str | None] = [request.facts_summary, request.purpose, request.procedure_wishes,
                               request.emergency_justification]
    proceeding = request.proceeding
    if proceeding is not None:
        texts.append(proceeding.subject_matter)
    for index, offence in enumerate(request.offences):
        conduct = offence.conduct_description
        found = classify(normalise(conduct))
        if found:
            articles = tuple(sorted({article for cid in found
                                     if (article := offence_article[cid]) is not None}))
            protected = tuple([cid for cid in found if cid in protected_ids])
            any_convention_offence = any_convention_offence or bool(articles)
        else:
            articles = protected = ()
        years = offence.max_penalty_years
        if offence.max_penalty_life:
            serious: bool | None = True
        elif years is None:
            serious = None
        else:
            serious = years >= threshold_years
        any_serious = any_serious or bool(serious)
        offences.append(OffenceFacts(index, offence, found, articles, serious, protected))
        texts += (offence.label, conduct, offence.legal_provision)
    all_text = _join(texts)
    return RequestFacts(request, tuple(offences), all_text, any_serious, any_convention_offence,
                        text_scan.occurring(all_text))
