"""The kinds of cooperation request, each with the article(s) it rests on."""

from __future__ import annotations

from enum import StrEnum
from operator import attrgetter
from typing import TYPE_CHECKING

from treatydesk.convention import ref


class RequestEnum(StrEnum):
    """Base of the request's enumerations. pydantic's JSON serializer reads `value` of every
    enumerated field of every request (the engine hashes that JSON into each decision id), and
    Enum's `value` is a descriptor written in Python; this one reads the member's stored value
    in C. Hidden from the type checker, which would take it for a member."""

    if not TYPE_CHECKING:
        value = property(attrgetter("_value_"))


class RequestKind(RequestEnum):
    MUTUAL_LEGAL_ASSISTANCE = "mutual_legal_assistance"  # Art 40
    PRESERVATION = "preservation"  # Art 42: expedited preservation of stored data
    PRESERVED_TRAFFIC_DISCLOSURE = "preserved_traffic_disclosure"  # Art 43
    STORED_DATA_ACCESS = "stored_data_access"  # Art 44
    REAL_TIME_TRAFFIC_COLLECTION = "real_time_traffic_collection"  # Art 45
    CONTENT_INTERCEPTION = "content_interception"  # Art 46
    SUBSCRIBER_INFORMATION = "subscriber_information"  # Arts 27, 44
    EMERGENCY_DISCLOSURE = "emergency_disclosure"  # Arts 41, 2(o)
    EXTRADITION = "extradition"  # Art 37
    LAW_ENFORCEMENT_COOPERATION = "law_enforcement_cooperation"  # Art 47


#: the articles each kind rests on (article numbers, paragraphs where the kind is narrower)
KIND_ARTICLES: dict[RequestKind, tuple[str, ...]] = {
    RequestKind.MUTUAL_LEGAL_ASSISTANCE: ("40",),
    RequestKind.PRESERVATION: ("42",),
    RequestKind.PRESERVED_TRAFFIC_DISCLOSURE: ("43",),
    RequestKind.STORED_DATA_ACCESS: ("44",),
    RequestKind.REAL_TIME_TRAFFIC_COLLECTION: ("45",),
    RequestKind.CONTENT_INTERCEPTION: ("46",),
    RequestKind.SUBSCRIBER_INFORMATION: ("27", "44"),
    RequestKind.EMERGENCY_DISCLOSURE: ("41", ref("emergency_defined")),
    RequestKind.EXTRADITION: ("37",),
    RequestKind.LAW_ENFORCEMENT_COOPERATION: ("47",),
}

#: kinds whose very object is evidence in electronic form (Arts 41-46, 27): the only
#: cooperation 35(1)(c) extends to a serious crime that is not a Convention offence
ELECTRONIC_EVIDENCE_KINDS: frozenset[RequestKind] = frozenset({
    RequestKind.PRESERVATION, RequestKind.PRESERVED_TRAFFIC_DISCLOSURE,
    RequestKind.STORED_DATA_ACCESS, RequestKind.REAL_TIME_TRAFFIC_COLLECTION,
    RequestKind.CONTENT_INTERCEPTION, RequestKind.SUBSCRIBER_INFORMATION,
    RequestKind.EMERGENCY_DISCLOSURE,
})

#: measures the Convention treats as the most intrusive (Arts 45, 46): two reviewers always
INTRUSIVE_KINDS: frozenset[RequestKind] = frozenset(
    {RequestKind.REAL_TIME_TRAFFIC_COLLECTION, RequestKind.CONTENT_INTERCEPTION}
)
