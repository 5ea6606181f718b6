"""What each kind of request must contain, from the article it rests on.

One table per kind; each requirement names the field it reads, the article and paragraph asking
for it, and what is needed in plain words. `missing_contents` is what both `request validate`
and the safeguards engine (rule SG-CONTENTS-40-15) report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from treatydesk.convention import ref
from treatydesk.cooperation.kinds import RequestKind
from treatydesk.cooperation.request import CooperationRequest, DataCategory, SubjectRole, Urgency


@dataclass(frozen=True, slots=True)
class MissingItem:
    field_path: str
    article: str
    what: str
    #: asked only where possible (40(15)(e)): its absence is noted, the request stays complete
    where_possible: bool = False

    def as_dict(self) -> dict[str, str | bool]:
        return {"field_path": self.field_path, "article": self.article, "what": self.what,
                "where_possible": self.where_possible}


@dataclass(frozen=True, slots=True)
class Requirement:
    field_path: str
    article: str
    what: str
    present: Callable[[CooperationRequest], bool]
    where_possible: bool = False
    #: asked only of some requests of the kind (in words), e.g. of an oral one
    only_when: str = ""


def _text(value: str | None) -> bool:
    return bool(value and value.strip())


def _authority(request: CooperationRequest) -> bool:
    return request.requesting_authority is not None


def _proceeding(request: CooperationRequest) -> bool:
    return request.proceeding is not None


def _conducting(request: CooperationRequest) -> bool:
    return request.conducting_authority is not None


def _facts(request: CooperationRequest) -> bool:
    return _text(request.facts_summary)


def _facts_unless_service(request: CooperationRequest) -> bool:
    # 40(15)(c) asks no summary of the facts of a request for service of documents
    return request.service_of_documents or _text(request.facts_summary)


def _measures(request: CooperationRequest) -> bool:
    return bool(request.measures_sought)


def _subjects(request: CooperationRequest) -> bool:
    return bool(request.subjects)


def _purpose(request: CooperationRequest) -> bool:
    return _text(request.purpose)


def _offences(request: CooperationRequest) -> bool:
    return bool(request.offences)


def _penalties(request: CooperationRequest) -> bool:
    return all(o.max_penalty_life or o.max_penalty_years is not None for o in request.offences)


def _data(request: CooperationRequest) -> bool:
    return bool(request.data_requested)


def _data_justified(request: CooperationRequest) -> bool:
    return bool(request.data_requested) and all(
        _text(item.justification) for item in request.data_requested)


def _custodian(request: CooperationRequest) -> bool:
    details = request.preservation
    return details is not None and (_text(details.data_custodian) or _text(details.data_location))


def _necessity(request: CooperationRequest) -> bool:
    return request.preservation is not None and _text(request.preservation.necessity)


def _mla_follows(request: CooperationRequest) -> bool:
    return request.preservation is not None and request.preservation.mla_to_follow


def _follows_preservation(request: CooperationRequest) -> bool:
    return any(link.kind is RequestKind.PRESERVATION for link in request.linked_requests)


def _period(request: CooperationRequest) -> bool:
    return request.collection_period is not None


def _period_justified(request: CooperationRequest) -> bool:
    return request.collection_period is not None and _text(
        request.collection_period.justification)


def is_urgent(request: CooperationRequest) -> bool:
    """Urgent as 40(14) reads it: declared urgent or an emergency, or an emergency disclosure."""
    return (request.urgency is not Urgency.ORDINARY
            or request.kind is RequestKind.EMERGENCY_DISCLOSURE)


def _in_writing(request: CooperationRequest) -> bool:
    # 40(14): only an urgent request may be oral, and it is then confirmed in writing (the
    # engine checks the confirmation's date against the day it decides on)
    return (not request.made_orally or request.confirmed_in_writing is not None
            or is_urgent(request))


def _risk(request: CooperationRequest) -> bool:
    return _text(request.emergency_justification)


def _person_sought(request: CooperationRequest) -> bool:
    return any(s.role is SubjectRole.PERSON_SOUGHT for s in request.subjects)


def _warrant(request: CooperationRequest) -> bool:
    return request.extradition is not None and _text(request.extradition.warrant_reference)


def _content_period(request: CooperationRequest) -> bool:
    return all(
        item.from_date is not None and item.to_date is not None
        for item in request.data_requested if item.category is DataCategory.CONTENT)


def _req(path: str, citation: str, what: str, present: Callable[[CooperationRequest], bool],
         where_possible: bool = False, only_when: str = "") -> Requirement:
    """`citation`: an article number or a paragraph's citation id (treatydesk.convention.ref)."""
    return Requirement(path, ref(citation), what, present, where_possible, only_when)


# 40(15)(e) asks for the persons, items or accounts only where possible: their absence is noted,
# never a gap that stops the request (for data measures, SG-SPECIFICITY-24 weighs it)
_IDENTIFIED = _req("subjects", "mla_contents_persons",
                   "identity, location or nationality of the persons, items or accounts concerned",
                   _subjects, where_possible=True)
_WRITTEN = _req("confirmed_in_writing", "mla_form_and_language",
                "the request in writing, or the written confirmation of an oral one (only an "
                "urgent request may be made orally)", _in_writing,
                only_when="made orally and not urgent")
# 40(15)(a)-(f): the contents of any MLA request, which 40(14) asks in writing
_MLA_CORE: tuple[Requirement, ...] = (
    _WRITTEN,
    _req("requesting_authority",
         "mla_contents_authority", "the authority making the request", _authority),
    _req("proceeding", "mla_contents_proceeding",
         "subject matter and nature of the investigation, prosecution or proceeding",
         _proceeding),
    _req("conducting_authority",
         "mla_contents_proceeding", "the authority conducting the case", _conducting),
    _req("facts_summary", "mla_contents_facts",
         "a summary of the relevant facts (not asked for service of documents)",
         _facts_unless_service),
    _req("measures_sought", "mla_contents_assistance", "the assistance sought", _measures),
    _IDENTIFIED,
    _req("purpose",
         "mla_contents_purpose", "the purpose for which the evidence or action is sought",
         _purpose),
    _req("offences", "35", "the offence(s) the case concerns", _offences),
    # no maximum penalty here: 40(15) does not ask for one, and a Convention offence is in scope
    # whatever its penalty; where seriousness decides (2(h)), the scope rule reports it missing
)
_DATA = _req("data_requested", "mla_contents_assistance", "the data sought, by category", _data)

_PRESERVATION: tuple[Requirement, ...] = (
    _WRITTEN,
    _req("requesting_authority",
         "preservation_contents_authority", "the authority seeking preservation", _authority),
    _req("offences", "preservation_contents_offence", "the offence under investigation", _offences),
    _req("facts_summary", "preservation_contents_offence", "a brief summary of the facts", _facts),
    _req("data_requested", "preservation_contents_data", "the stored data to be preserved", _data),
    _req("data_requested[].justification", "preservation_contents_data",
         "how each item of data relates to the offence", _data_justified),
    _req("preservation.data_custodian", "preservation_contents_custodian",
         "the custodian of the data or its location", _custodian),
    _req("preservation.necessity",
         "preservation_contents_necessity", "why preservation is necessary", _necessity),
    _req("preservation.mla_to_follow", "preservation_contents_follow_up",
         "that a request for search, seizure or disclosure will follow", _mla_follows),
)

def _collection(contents: str) -> tuple[Requirement, ...]:
    """Real-time collection (45) and interception (46) ask the same contents; `contents` is the
    citation id of the paragraph listing them, whose subparagraphs are named after it."""
    return (
        _req("data_requested", f"{contents}_data",
             "the data sought and its relation to the offence", _data),
        _req("subjects", f"{contents}_owner",
             "any known owner or user of the data, or location of the system", _subjects),
        _req("data_requested[].justification", f"{contents}_justification",
             "why collection of the data is needed", _data_justified),
        _req("collection_period", f"{contents}_period", "the period of collection", _period),
        _req("collection_period.justification", f"{contents}_period",
             "why collection must last that long", _period_justified),
    )


_TABLES: dict[RequestKind, tuple[Requirement, ...]] = {
    RequestKind.MUTUAL_LEGAL_ASSISTANCE: _MLA_CORE,
    RequestKind.PRESERVATION: _PRESERVATION,
    # 43 discloses what the execution of a preservation request (42) showed: it follows one
    RequestKind.PRESERVED_TRAFFIC_DISCLOSURE: (
        *_MLA_CORE, _DATA,
        _req("linked_requests", "43",
             "the preservation request (42) whose execution showed the other provider",
             _follows_preservation),
    ),
    RequestKind.STORED_DATA_ACCESS: (
        *_MLA_CORE, _DATA,
        _req("data_requested[].from_date", "24",
             "a bounded period for content data", _content_period),
    ),
    RequestKind.SUBSCRIBER_INFORMATION: (*_MLA_CORE, _DATA),
    RequestKind.REAL_TIME_TRAFFIC_COLLECTION: (
        *_MLA_CORE, *_collection("real_time_collection_contents")),
    RequestKind.CONTENT_INTERCEPTION: (*_MLA_CORE, *_collection("interception_contents")),
    RequestKind.EMERGENCY_DISCLOSURE: (
        _req("requesting_authority",
             "network_24_7_emergency_data", "the authority making the request",
             _authority),
        _req("emergency_justification", "emergency_defined",
             "the significant and imminent risk to the life or safety of a person", _risk),
        _req("facts_summary", "network_24_7_emergency_data", "a summary of the facts", _facts),
        _req("data_requested",
             "network_24_7_emergency_data", "the data needed to avert the emergency", _data),
        _IDENTIFIED,
    ),
    RequestKind.EXTRADITION: (
        _req("requesting_authority", "37", "the authority making the request", _authority),
        _req("subjects", "37", "the person sought (a subject with role person_sought)",
             _person_sought),
        _req("offences",
             "extradition_scope", "the offence(s) for which extradition is sought", _offences),
        _req("offences[].max_penalty_years", "extradition_scope",
             "the maximum penalty of each offence in the requesting State", _penalties),
        _req("facts_summary", "37", "a summary of the facts", _facts),
        _req("extradition.warrant_reference", "37",
             "the arrest warrant or judgment the request rests on", _warrant),
    ),
    RequestKind.LAW_ENFORCEMENT_COOPERATION: (
        _req("requesting_authority",
             "law_enforcement_cooperation", "the authority making the request", _authority),
        _req("facts_summary", "law_enforcement_cooperation", "a summary of the facts", _facts),
        _req("purpose", "law_enforcement_cooperation", "the purpose of the cooperation", _purpose),
    ),
}


def _asked_once(table: tuple[Requirement, ...]) -> tuple[Requirement, ...]:
    """A kind's table without the items asked only where possible whose field another item
    requires outright (45 and 46 require the subjects that 40(15)(e) asks where possible)."""
    required = {item.field_path for item in table if not item.where_possible}
    return tuple(item for item in table
                 if not (item.where_possible and item.field_path in required))


_REQUIREMENTS: dict[RequestKind, tuple[Requirement, ...]] = {
    kind: _asked_once(table) for kind, table in _TABLES.items()}


def requirements(kind: RequestKind) -> tuple[Requirement, ...]:
    return _REQUIREMENTS[kind]


def missing_contents(request: CooperationRequest) -> list[MissingItem]:
    """Every content of the request's kind that it lacks, in the article's order; those asked
    only where possible say so (`where_possible`), and only the others make it incomplete.
    (An emergency claimed on another kind is judged by the engine, not here: without a described
    risk the request is treated as ordinary, 2(o).)"""
    return [
        MissingItem(item.field_path, item.article, item.what, item.where_possible)
        for item in _REQUIREMENTS[request.kind] if not item.present(request)
    ]


def is_complete(missing: list[MissingItem]) -> bool:
    """Whether a request lacking `missing` (from `missing_contents`) has every content its kind
    requires: items asked only where possible do not count."""
    return all(item.where_possible for item in missing)


def all_requirements() -> dict[RequestKind, tuple[Requirement, ...]]:
    return dict(_REQUIREMENTS)
