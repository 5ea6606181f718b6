"""The model of one cooperation request under the Convention.

Every field names the article (and paragraph where known) that asks for it, in its description
and in `json_schema_extra["article"]`, so the published JSON Schema, the `request template`
help and the completeness check all speak the same language. The model only checks shape; what
the Convention requires of each kind is in `cooperation.contents`, and whether the request may
be executed is the safeguards engine's job.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from itertools import accumulate
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from treatydesk.convention import ref
from treatydesk.cooperation.kinds import KIND_ARTICLES, RequestEnum, RequestKind
from treatydesk.errors import (
    OBJECT_EXPECTED_TYPES,
    ErrorItem,
    InvalidInput,
    PayloadTooLarge,
    value_kind,
)

#: largest request document accepted (bytes); attachments travel separately, only metadata here
MAX_REQUEST_BYTES = 1_000_000
#: deepest JSON nesting accepted before parsing (the model itself is 4 levels deep)
MAX_JSON_DEPTH = 32
#: keys a filled `request template` may still carry; they are help for humans, not content
TEMPLATE_KEYS = frozenset({"_help"})

_SHORT = 300
_LONG = 20_000
_MANY = 200


def cite(description: str, citation: str, **extra: Any) -> Any:
    """A pydantic Field whose description ends with the article it rests on; `citation` is an
    article number or a paragraph's citation id (treatydesk.convention.ref)."""
    article = ref(citation)
    schema_extra: dict[str, Any] = {"article": article}
    return Field(description=f"{description} (Art {article})", json_schema_extra=schema_extra,
                 **extra)


#: ISO 3166-1 alpha-3 (upper case; user-assigned XAA..XZZ allowed for examples) or a lower-case
#: slug for participants without one (e.g. "european-union")
PartyKey = Annotated[str, Field(pattern=r"^(?:[A-Z]{3}|[a-z][a-z0-9-]{1,62})$")]
#: no control characters: shown on a terminal or in a log, they can forge lines or drive the
#: terminal (ESC, CR); passages of text may keep tabs and line breaks
_ONE_LINE = r"^[^\x00-\x1f\x7f-\x9f]*$"
_PASSAGE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
_CONTROL_PATTERNS = {_ONE_LINE: "", _PASSAGE: " other than tabs and line breaks"}
Line = Annotated[str, Field(pattern=_ONE_LINE)]
Passage = Annotated[str, Field(pattern=_PASSAGE)]
ShortText = Annotated[str, Field(min_length=1, max_length=_SHORT, pattern=_ONE_LINE)]
LongText = Annotated[str, Field(min_length=1, max_length=_LONG, pattern=_PASSAGE)]
# Numbers and flags are taken as written: no true as 1 year, no "yes" (YAML's true) as a
# number, no NaN
Years = Annotated[float, Strict(), Field(allow_inf_nan=False)]
Flag = Annotated[bool, Strict()]
Whole = Annotated[int, Strict()]
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    # pydantic alone would read 0 or "20270301" as a Unix time
    if isinstance(value, str) and _ISO_DATE.fullmatch(value) or isinstance(value, dt.date):
        return value
    raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")


#: a calendar date written YYYY-MM-DD
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Channel(RequestEnum):
    """How the request travels (40(13) central authority, 41 the 24/7 network, 40(13) diplomatic
    channels in urgent cases or where a State requires them, Interpol where a State accepts)."""

    CENTRAL_AUTHORITY = "central_authority"
    NETWORK_24_7 = "network_24_7"
    DIPLOMATIC = "diplomatic"
    INTERPOL = "interpol"
    DIRECT = "direct"


class Urgency(RequestEnum):
    ORDINARY = "ordinary"
    URGENT = "urgent"
    #: an emergency in the sense of 2(o): a significant and imminent risk to life or safety
    EMERGENCY = "emergency"


class ProceedingStage(RequestEnum):
    INVESTIGATION = "investigation"
    PROSECUTION = "prosecution"
    JUDICIAL_PROCEEDING = "judicial_proceeding"


class IdentifierType(RequestEnum):
    EMAIL = "email"
    PHONE = "phone"
    USERNAME = "username"
    ACCOUNT_ID = "account_id"
    IP_ADDRESS = "ip_address"
    DOMAIN = "domain"
    URL = "url"
    DEVICE_ID = "device_id"
    WALLET = "wallet"
    BANK_ACCOUNT = "bank_account"
    PERSON_NAME = "person_name"
    OTHER = "other"


class SubjectRole(RequestEnum):
    SUSPECT = "suspect"
    VICTIM = "victim"
    WITNESS = "witness"
    ACCOUNT_HOLDER = "account_holder"
    PERSON_SOUGHT = "person_sought"  # extradition (37)
    ITEM = "item"
    OTHER = "other"


class ProfileFlag(RequestEnum):
    """What the requester or the desk knows about a person that calls for 6 and 40(22) review."""

    JOURNALIST = "journalist"
    HUMAN_RIGHTS_DEFENDER = "human_rights_defender"
    ACTIVIST = "activist"
    POLITICAL_OPPOSITION = "political_opposition"
    RELIGIOUS_FIGURE = "religious_figure"
    LAWYER = "lawyer"
    SECURITY_RESEARCHER = "security_researcher"
    MINORITY_MEMBER = "minority_member"
    LGBTI = "lgbti"
    TRADE_UNIONIST = "trade_unionist"


class DataCategory(RequestEnum):
    """Categories of electronic data, as defined in 2(c), 2(d) and 2(f)."""

    SUBSCRIBER = "subscriber"  # 2(f)
    TRAFFIC = "traffic"  # 2(c)
    CONTENT = "content"  # 2(d)
    OTHER = "other"


class Authority(_Model):
    name: ShortText = cite("Name of the authority", "mla_contents_authority")
    country: PartyKey | None = cite("Party the authority belongs to",
                                    "mla_contents_authority", default=None)
    contact: Line | None = cite("How to reach the authority (office, e-mail, phone)",
                                "mla_contents_authority",
                               default=None, max_length=_SHORT)


class Proceeding(_Model):
    stage: ProceedingStage = cite(
        "Whether an investigation, a prosecution or judicial proceedings",
        "mla_contents_proceeding")
    subject_matter: LongText = cite(
        "Subject matter and nature of the investigation, prosecution or proceeding",
        "mla_contents_proceeding")
    case_reference: Line | None = cite("The conducting authority's file number",
                                       "mla_contents_proceeding",
                                      default=None, max_length=_SHORT)


class Offence(_Model):
    label: ShortText = cite("Name of the offence in the requesting State's law",
                            "dual_criminality_conduct")
    conduct_description: LongText = cite(
        "What the person is said to have done, in plain words; dual criminality is judged on this "
        "conduct, not on the label", "dual_criminality_conduct")
    legal_provision: ShortText = cite("Provision of the requesting State's law",
                                      "mla_contents_proceeding")
    max_penalty_years: Years | None = cite(
        "Maximum deprivation of liberty for the offence in the requesting State, in years "
        "(a serious crime is punishable by at least the threshold of the definition)",
        "serious_crime_defined", default=None, ge=0, le=200)
    max_penalty_life: Flag = cite("Punishable by life imprisonment (a more serious penalty)",
                                  "serious_crime_defined", default=False)
    claimed_convention_article: Whole | None = cite(
        "Convention offence (Arts 7-17) the requester says the conduct amounts to",
        "cooperation_convention_offences",
        default=None, ge=7, le=17)
    claimed_serious_crime: Flag = cite(
        "The requester says the offence is a serious crime",
        "cooperation_serious_crime_evidence", default=False)
    involves_fiscal_matters: Flag = cite(
        "The offence also involves fiscal matters (no ground to refuse on that alone)",
        "mla_fiscal",
        default=False)


class Subject(_Model):
    identifier_type: IdentifierType = cite("Kind of identifier", "mla_contents_persons")
    identifier_value: ShortText = cite("The identifier itself (account, address, number)",
                                       "mla_contents_persons")
    role: SubjectRole = cite("Role of the person, account or item in the case",
                             "mla_contents_persons")
    nationality: PartyKey | None = cite("Nationality where known",
                                        "mla_contents_persons", default=None)
    location: Line | None = cite("Location where known", "mla_contents_persons", default=None,
                                max_length=_SHORT)
    profile_flags: list[ProfileFlag] = cite(
        "What is known about the person that calls for human-rights review", "mla_persecution",
        default_factory=list, max_length=len(ProfileFlag))


class DataRequest(_Model):
    category: DataCategory = cite("Category of data (subscriber, traffic, content)",
                                  "traffic_data_defined")
    description: Passage | None = cite("The data sought, precisely",
                                       "mla_contents_assistance", default=None,
                                   max_length=_LONG)
    from_date: IsoDate | None = cite("First day of the period the data covers", "24",
                                     default=None)
    to_date: IsoDate | None = cite("Last day of the period the data covers", "24", default=None)
    justification: Passage | None = cite(
        "Why this data is needed and how it relates to the offence",
        "preservation_contents_data", default=None,
        max_length=_LONG)

    @model_validator(mode="after")
    def _period_in_order(self) -> DataRequest:
        if self.from_date and self.to_date and self.from_date > self.to_date:
            raise ValueError("from_date is after to_date")
        return self


class PreservationDetails(_Model):
    data_custodian: Line | None = cite(
        "Service provider or other custodian holding the data",
        "preservation_contents_custodian", default=None,
        max_length=_SHORT)
    data_location: Line | None = cite("Where the data is held, if known",
                                      "preservation_contents_custodian", default=None,
                                     max_length=_SHORT)
    necessity: Passage | None = cite("Why the data must be preserved quickly",
                                     "preservation_contents_necessity",
                                 default=None, max_length=_LONG)
    mla_to_follow: Flag = cite(
        "The requester intends to follow up with a request for search, seizure or disclosure",
        "preservation_contents_follow_up", default=False)
    duration_days: Whole | None = cite(
        "Preservation period asked (the Convention's minimum is in convention figures)",
        "preservation_period",
        default=None, ge=1, le=3650)


class CollectionPeriod(_Model):
    start: IsoDate = cite("First day of collection", "real_time_collection_contents_period")
    end: IsoDate = cite("Last day of collection", "real_time_collection_contents_period")
    justification: Passage | None = cite("Why collection must last this long",
                                         "real_time_collection_contents_period",
                                     default=None, max_length=_LONG)

    @model_validator(mode="after")
    def _period_in_order(self) -> CollectionPeriod:
        if self.start > self.end:
            raise ValueError("start is after end")
        return self


class ExtraditionDetails(_Model):
    warrant_reference: Line | None = cite("Arrest warrant or judgment the request rests on", "37",
                                         default=None, max_length=_SHORT)
    person_location: Line | None = cite("Where the person sought is believed to be", "37",
                                       default=None, max_length=_SHORT)
    sentence_remaining_years: Years | None = cite(
        "For a convicted person, the part of the sentence still to be served", "37",
        default=None, ge=0, le=200)


class LinkedRequest(_Model):
    reference: ShortText = cite("Reference of the earlier request", "42")
    kind: RequestKind = cite("Kind of the earlier request (e.g. a preservation before MLA)", "42")
    date: IsoDate | None = cite("Date of the earlier request", "42", default=None)


class Attachment(_Model):
    name: ShortText = cite("File name", "mla_form_and_language")
    media_type: str = cite("Media type, e.g. application/pdf", "mla_form_and_language",
                           pattern=r"^[a-z]+/[A-Za-z0-9.+-]+$", max_length=100)
    sha256: str = cite("SHA-256 of the file, hex",
                       "mla_form_and_language", pattern=r"^[0-9a-f]{64}$")
    size: Whole = cite("Size in bytes", "mla_form_and_language", ge=0)


class CooperationRequest(_Model):
    """One request from a requesting State Party to a requested State Party."""

    reference: ShortText = cite("The requesting authority's reference for this request",
                                "mla_contents_authority")
    kind: RequestKind = cite("Kind of cooperation asked", "cooperation_purposes")
    requesting_party: PartyKey = cite("State Party making the request", "mla_widest_assistance")
    requested_party: PartyKey = cite("State Party asked to assist", "mla_widest_assistance")
    requesting_authority: Authority | None = cite("Authority making the request",
                                                  "mla_contents_authority",
                                                  default=None)
    conducting_authority: Authority | None = cite(
        "Authority conducting the investigation, prosecution or proceeding",
        "mla_contents_proceeding",
        default=None)
    proceeding: Proceeding | None = cite("The investigation, prosecution or proceeding",
                                         "mla_contents_proceeding", default=None)
    channel: Channel = cite("Channel the request travels by", "mla_central_authority")
    language: str = cite("Language of the request (ISO 639 code)", "mla_form_and_language",
                         pattern=r"^[a-z]{2,3}$")
    date: IsoDate = cite("Date of the request", "mla_form_and_language")
    made_orally: Flag = cite("The request was made orally, which only an urgent request may be",
                             "mla_form_and_language", default=False)
    confirmed_in_writing: IsoDate | None = cite(
        "Date an oral request was confirmed in writing", "mla_form_and_language", default=None)
    urgency: Urgency = cite("Ordinary, urgent, or an emergency (a risk to life or safety)",
                            "emergency_defined",
                            default=Urgency.ORDINARY)
    emergency_justification: Passage | None = cite(
        "The significant and imminent risk to the life or safety of a person", "emergency_defined",
        default=None, max_length=_LONG)
    deadline: IsoDate | None = cite("Date by which execution is asked, with reasons in facts",
                                    "mla_execution_deadline", default=None)
    offences: list[Offence] = cite("Offences as the requesting State describes them",
                                   "cooperation_purposes",
                                   default_factory=list, max_length=50)
    facts_summary: Passage | None = cite("Summary of the relevant facts",
                                         "mla_contents_facts", default=None,
                                     max_length=_LONG)
    subjects: list[Subject] = cite("Persons, accounts and items concerned (where possible)",
                                   "mla_contents_persons",
                                   default_factory=list, max_length=_MANY)
    data_requested: list[DataRequest] = cite("Data sought, by category and period",
                                             "mla_contents_assistance",
                                             default_factory=list, max_length=_MANY)
    measures_sought: list[ShortText] = cite("The assistance sought", "mla_contents_assistance",
                                            default_factory=list, max_length=50)
    service_of_documents: Flag = cite(
        "The assistance sought is only the service of judicial documents, for which no summary "
        "of the facts is asked (general mutual legal assistance only; no data sought)",
        "mla_contents_facts", default=False)
    procedure_wishes: Passage | None = cite("Any particular procedure the requester wishes",
                                        "mla_contents_assistance", default=None, max_length=_LONG)
    purpose: Passage | None = cite("Purpose for which the evidence or action is sought",
                                   "mla_contents_purpose", default=None, max_length=_LONG)
    confidentiality: Flag = cite("The requester asks that the request be kept confidential",
                                 "mla_confidentiality", default=False)
    non_notification: Flag = cite("The user is not to be notified",
                                  "preservation_contents", default=False)
    linked_requests: list[LinkedRequest] = cite("Earlier requests this one follows", "42",
                                                default_factory=list, max_length=50)
    preservation: PreservationDetails | None = cite("Details of a preservation request", "42",
                                                    default=None)
    collection_period: CollectionPeriod | None = cite(
        "Period of real-time collection or interception",
        "real_time_collection_contents_period", default=None)
    extradition: ExtraditionDetails | None = cite("Details of an extradition request", "37",
                                                  default=None)
    attachments: list[Attachment] = cite("Attached documents (metadata only)",
                                         "mla_form_and_language",
                                         default_factory=list, max_length=50)

    # These read fields declared before the one they check (pydantic validates in order), so
    # that an error is reported at that field; a field that failed is absent from info.data.
    @field_validator("confirmed_in_writing")
    @classmethod
    def _confirms_an_oral_request(cls, value: dt.date | None,
                                  info: ValidationInfo) -> dt.date | None:
        if value is None:
            return value
        if info.data.get("made_orally") is False:
            raise ValueError("only an oral request is confirmed in writing, and made_orally is "
                             "false")
        date = info.data.get("date")
        if date is not None and value < date:
            raise ValueError(f"the written confirmation ({value}) is dated before the request "
                             f"({date})")
        return value

    @field_validator("service_of_documents")
    @classmethod
    def _only_documents_served(cls, value: bool, info: ValidationInfo) -> bool:
        if not value:
            return value
        # serving documents is general mutual legal assistance (40) and seeks no data; a
        # request that seeks any must give the summary of facts 40(15)(c) waives for it
        kind = info.data.get("kind")
        if kind is not None and kind is not RequestKind.MUTUAL_LEGAL_ASSISTANCE:
            raise ValueError(f"a request for service of documents is of kind "
                             f"{RequestKind.MUTUAL_LEGAL_ASSISTANCE.value}, not {kind.value}")
        if info.data.get("data_requested"):
            raise ValueError("a request for service of documents seeks no data, but "
                             "data_requested lists some")
        return value

    @field_validator("collection_period")
    @classmethod
    def _no_collection_for_service(cls, value: CollectionPeriod | None,
                                   info: ValidationInfo) -> CollectionPeriod | None:
        if value is not None and info.data.get("service_of_documents"):
            raise ValueError("a request for service of documents (service_of_documents) "
                             "collects no data")
        return value

    @model_validator(mode="after")
    def _distinct_parties(self) -> CooperationRequest:
        if self.requesting_party == self.requested_party:
            raise ValueError("requesting_party and requested_party are the same")
        return self

    @property
    def articles(self) -> tuple[str, ...]:
        return KIND_ARTICLES[self.kind]


#: fields that only some kinds use: templates and forms offer them to those kinds only
KIND_FIELDS: dict[str, frozenset[RequestKind]] = {
    "preservation": frozenset({RequestKind.PRESERVATION}),
    "collection_period": frozenset(
        {RequestKind.REAL_TIME_TRAFFIC_COLLECTION, RequestKind.CONTENT_INTERCEPTION}),
    "extradition": frozenset({RequestKind.EXTRADITION}),
    "service_of_documents": frozenset({RequestKind.MUTUAL_LEGAL_ASSISTANCE}),
}


# ----------------------------------------------------------------------------- error paths


def json_path(loc: tuple[int | str, ...]) -> str:
    """`("offences", 0, "max_penalty_years")` -> `offences[0].max_penalty_years`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(root)"


def _error_items(error: ValidationError) -> list[ErrorItem]:
    items: list[ErrorItem] = []
    for detail in error.errors(include_url=False):
        # model-level validators report at the object; keep their words
        loc = tuple(part for part in detail["loc"] if isinstance(part, int | str))
        kind = detail["type"]
        if kind == "extra_forbidden":
            message = "unknown field (not part of the request model)"
        elif kind == "missing":
            message = "required field is missing"
        elif kind in OBJECT_EXPECTED_TYPES:
            message = f"expected an object (fields and values), got {value_kind(detail['input'])}"
        elif kind == "string_pattern_mismatch" and (
                detail.get("ctx", {}).get("pattern") in _CONTROL_PATTERNS):
            allowed = _CONTROL_PATTERNS[detail["ctx"]["pattern"]]
            message = f"contains a control character{allowed}, which is not allowed"
        else:
            message = str(detail["msg"]).removeprefix("Value error, ")
        items.append(ErrorItem(json_path(loc), message))
    return items


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of already-parsed JSON, stopping early past `limit` (iterative)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    deepest = 0
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        if isinstance(node, dict):
            stack.extend((child, level + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, level + 1) for child in node)
    return deepest


#: a JSON string (possibly unterminated, up to the end), read in C: unrolled so that the
#: regex engine runs through plain characters in one loop
_JSON_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"?', re.DOTALL)
#: bytes.translate deletion table: every byte but the four brackets
_NOT_BRACKETS = bytes(code for code in range(256) if chr(code) not in "[]{}")
#: a bracket's step in depth, indexed by its byte
_DEPTH_STEP = [1 if chr(code) in "[{" else -1 for code in range(256)]


def _max_bracket_depth(text: str) -> int:
    """Upper bound of JSON nesting before parsing: `json.loads` recurses once per level, so a
    hostile `[[[[...` document must be refused before it reaches the parser. Brackets inside
    strings do not count. Every step runs in C (a Python loop over the characters took tens
    of milliseconds for a large body): the strings are cut out (without any backslash, every
    second piece between quotes is a string), the brackets kept, their depths summed."""
    if "\\" in text:
        outside = _JSON_STRING.sub("", text)
    else:
        outside = "".join(text.split('"')[::2])
    brackets = outside.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets), initial=0))


def decode_json(raw: bytes | str, *, source: str) -> Any:
    """Parses a JSON document strictly, naming `source` in every error."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_REQUEST_BYTES:
            raise PayloadTooLarge(
                f"{source}: request is larger than the {MAX_REQUEST_BYTES} byte limit")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidInput(
                f"{source}: not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset "
                f"{error.start})") from error
    else:
        text = raw
        if len(text) > MAX_REQUEST_BYTES:
            raise PayloadTooLarge(
                f"{source}: request is larger than the {MAX_REQUEST_BYTES} byte limit")
    text = text.removeprefix("\ufeff")
    if _max_bracket_depth(text) > MAX_JSON_DEPTH:
        raise InvalidInput(f"{source}: JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant,
                          parse_int=_bounded_int, parse_float=_finite_float)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"{source}:{error.lineno}:{error.colno}: not valid JSON ({error.msg})") from error
    except _JsonValueError as error:
        raise InvalidInput(f"{source}:{_position(text, error.token)}: {error}") from error


#: most digits a number in a request may have (no field needs more; Python refuses to read
#: integers of thousands of digits at all)
_MAX_DIGITS = 30


class _JsonValueError(ValueError):
    """Well-formed JSON that no request may hold; `token` is the text to point at."""

    def __init__(self, message: str, token: str) -> None:
        super().__init__(message)
        self.token = token


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # the last of two equal keys would silently win: a reader of the file sees the first
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _JsonValueError(
                f"duplicate key {key!r} in one object; each field may appear once",
                json.dumps(key, ensure_ascii=False))
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise _JsonValueError(f"{name} is not a number JSON allows", name)


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise _JsonValueError(f"a number of {len(text.lstrip('-'))} digits; at most "
                              f"{_MAX_DIGITS} are accepted", text)
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _JsonValueError(f"{text[:40]} is too large a number", text)
    return value


def _position(text: str, token: str) -> str:
    """line:column of the last occurrence of `token` (a duplicate key is its second use; other
    tokens occur once in the usual case), for the message."""
    at = text.rfind(token)
    if at < 0:
        return "?"
    line = text.count("\n", 0, at) + 1
    return f"{line}:{at - (text.rfind(chr(10), 0, at) + 1) + 1}"


def validate_request_data(data: Any, *, source: str = "request") -> CooperationRequest:
    """Validates already-parsed JSON as a request; every problem is listed with its JSON path.
    A filled `request template` is accepted: its `_help` map is ignored."""
    if not isinstance(data, dict):
        shown = value_kind(data)
        raise InvalidInput(
            f"{source}: a request must be a JSON object, got {shown}",
            items=[ErrorItem("(root)", f"expected an object, got {shown}")])
    if _depth(data, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise InvalidInput(f"{source}: JSON nested deeper than {MAX_JSON_DEPTH} levels")
    content = {key: value for key, value in data.items() if key not in TEMPLATE_KEYS}
    try:
        return CooperationRequest.model_validate(content)
    except ValidationError as error:
        items = _error_items(error)
        noun = "problem" if len(items) == 1 else "problems"
        raise InvalidInput(f"{source}: {len(items)} {noun} in the request", items=items) from error


def parse_request(raw: bytes | str, *, source: str = "request") -> CooperationRequest:
    """Reads a request from JSON text or bytes (any input: never a traceback, always an
    InvalidInput or PayloadTooLarge naming the problem)."""
    return validate_request_data(decode_json(raw, source=source), source=source)


def request_json_schema() -> dict[str, Any]:
    """The JSON Schema of a request, as published in docs/request.schema.json."""
    schema = CooperationRequest.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://treatydesk.invalid/schema/request.schema.json"
    schema["title"] = "TreatyDesk cooperation request (UN Convention against Cybercrime)"
    return schema
