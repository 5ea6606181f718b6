"""The request model: shape errors with JSON paths, required contents per kind, schema, template."""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treatydesk.cooperation.contents import all_requirements, is_complete, missing_contents
from treatydesk.cooperation.kinds import RequestEnum, RequestKind
from treatydesk.cooperation.request import (
    CooperationRequest,
    _max_bracket_depth,
    parse_request,
    request_json_schema,
    validate_request_data,
)
from treatydesk.cooperation.template import request_template
from treatydesk.errors import InvalidInput, PayloadTooLarge

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "examples" / "requests" / "mla_fraud.json"


def base() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BASE.read_text())
    return data


def problems(data: Any) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        validate_request_data(data)
    return {item.location: item.message for item in caught.value.items}


def test_example_is_valid_and_complete() -> None:
    request = validate_request_data(base())
    assert request.kind is RequestKind.SUBSCRIBER_INFORMATION
    assert missing_contents(request) == []


def test_every_error_has_its_json_path() -> None:
    data = base()
    data["offences"][0]["max_penalty_years"] = "eight"
    data["subjects"][0]["role"] = "villain"
    data["surprise"] = 1
    found = problems(data)
    assert "offences[0].max_penalty_years" in found
    assert "subjects[0].role" in found
    assert found["surprise"].startswith("unknown field")


def test_period_backwards_and_same_parties_are_errors() -> None:
    data = base()
    data["data_requested"][0]["from_date"] = "2027-03-01"
    found = problems(data)
    assert found["data_requested[0]"] == "from_date is after to_date"
    data = base()
    data["requested_party"] = "XAA"
    assert any("same" in m for m in problems(data).values())


@pytest.mark.parametrize("raw, words", [
    (b"null", "got null"), (b"3", "got a number"), (b"[]", "got a list"),
    (b'"x"', "got a string"), (b'{"requesting_authority": [1]}', "expected an object"),
    (b"{", "not valid JSON"), (b"\xff\xfe{}", "not valid UTF-8"), (b"", "not valid JSON"),
    (b"[" * 5000 + b"]" * 5000, "nested deeper"),
    (b'{"a":' * 100 + b"1" + b"}" * 100, "nested deeper"),
])
def test_any_json_value_is_a_clear_error(raw: bytes, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_request(raw, source="in.json")
    assert words in str(caught.value)
    assert "in.json" in str(caught.value)


def test_huge_input_is_refused() -> None:
    with pytest.raises(PayloadTooLarge):
        parse_request(b" " * 2_000_000, source="big.json")


def test_missing_contents_cite_their_article() -> None:
    data = base()
    for key in ("purpose", "facts_summary", "requesting_authority"):
        del data[key]
    missing = {item.field_path: item.article for item in missing_contents(
        validate_request_data(data))}
    assert missing == {"requesting_authority": "40(15)(a)", "facts_summary": "40(15)(c)",
                       "purpose": "40(15)(f)"}


def test_service_of_documents_needs_no_summary_of_facts_40_15_c() -> None:
    data = base()
    data["kind"] = "mutual_legal_assistance"
    data["data_requested"] = []
    del data["facts_summary"]
    assert "facts_summary" in {m.field_path for m in missing_contents(validate_request_data(data))}
    data["service_of_documents"] = True
    assert "facts_summary" not in {
        m.field_path for m in missing_contents(validate_request_data(data))}


def test_service_of_documents_only_on_general_assistance_and_only_a_flag() -> None:
    data = base()  # subscriber_information: a data measure
    data["service_of_documents"] = True
    found = problems(data)
    assert found == {"service_of_documents": "a request for service of documents is of kind "
                                             "mutual_legal_assistance, not "
                                             "subscriber_information"}
    data["kind"] = "mutual_legal_assistance"
    assert problems(data) == {"service_of_documents": "a request for service of documents seeks "
                                                      "no data, but data_requested lists some"}
    data["data_requested"] = []
    data["collection_period"] = {"start": "2027-03-01", "end": "2027-03-02"}
    assert problems(data) == {"collection_period": "a request for service of documents "
                                                   "(service_of_documents) collects no data"}
    del data["collection_period"]
    assert validate_request_data(data).service_of_documents is True
    for bad in ("yes", 1, None):
        data["service_of_documents"] = bad
        assert "service_of_documents" in problems(data)


def test_written_confirmation_only_of_an_oral_request_and_not_before_it() -> None:
    data = base()
    data["confirmed_in_writing"] = "2027-03-02"
    assert problems(data) == {"confirmed_in_writing": "only an oral request is confirmed in "
                                                      "writing, and made_orally is false"}
    data["made_orally"] = True
    data["confirmed_in_writing"] = "2027-02-28"
    assert problems(data) == {"confirmed_in_writing": "the written confirmation (2027-02-28) is "
                                                      "dated before the request (2027-03-01)"}
    data["confirmed_in_writing"] = "20270302"
    assert "confirmed_in_writing" in problems(data)
    data["confirmed_in_writing"] = "2027-03-01"
    data["made_orally"] = 1
    assert "made_orally" in problems(data)


def test_service_of_documents_is_offered_to_general_assistance_only() -> None:
    offered = {kind for kind in RequestKind if "service_of_documents" in request_template(kind)}
    assert offered == {RequestKind.MUTUAL_LEGAL_ASSISTANCE}


def test_a_field_is_asked_once_per_kind() -> None:
    for kind, table in all_requirements().items():
        required = {item.field_path for item in table if not item.where_possible}
        possible = {item.field_path for item in table if item.where_possible}
        assert not required & possible, kind
    real_time = all_requirements()[RequestKind.REAL_TIME_TRAFFIC_COLLECTION]
    assert [item.where_possible for item in real_time if item.field_path == "subjects"] == [
        False]


def test_an_ordinary_oral_request_lacks_its_written_form_40_14() -> None:
    data = base()
    data["made_orally"] = True
    missing = missing_contents(validate_request_data(data))
    assert [(m.field_path, m.article) for m in missing] == [("confirmed_in_writing", "40(14)")]
    assert not is_complete(missing)
    data["urgency"] = "urgent"
    assert missing_contents(validate_request_data(data)) == []
    data["urgency"] = "ordinary"
    data["confirmed_in_writing"] = "2027-03-02"
    assert missing_contents(validate_request_data(data)) == []


def test_a_check_on_an_earlier_field_is_skipped_when_that_field_is_bad() -> None:
    # the field that failed is reported; the check that reads it does not add a second error
    data = base()
    data["made_orally"] = "yes"
    data["confirmed_in_writing"] = "2027-03-02"
    assert set(problems(data)) == {"made_orally"}
    data = base()
    data["kind"] = "no_such_kind"
    data["service_of_documents"] = True
    data["data_requested"] = []
    assert set(problems(data)) == {"kind"}


def test_persons_are_asked_only_where_possible_40_15_e() -> None:
    data = base()
    data["subjects"] = []
    missing = missing_contents(validate_request_data(data))
    assert [(m.field_path, m.article, m.where_possible) for m in missing] == [
        ("subjects", "40(15)(e)", True)]
    assert is_complete(missing)
    del data["purpose"]
    assert not is_complete(missing_contents(validate_request_data(data)))


def test_preservation_contents_follow_article_42() -> None:
    data = base()
    data["kind"] = "preservation"
    missing = {item.field_path for item in missing_contents(validate_request_data(data))}
    assert {"preservation.data_custodian", "preservation.necessity",
            "preservation.mla_to_follow"} <= missing
    assert all(item.article.startswith("42(2)")
               for item in missing_contents(validate_request_data(data)))


def test_every_kind_has_requirements() -> None:
    assert set(all_requirements()) == set(RequestKind)


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "docs" / "request.schema.json").read_text())
    assert committed == request_json_schema(), (
        "docs/request.schema.json is stale: regenerate with "
        "python -c 'from treatydesk.cooperation.request import request_json_schema as s; "
        "import json; print(json.dumps(s(), indent=2))' > docs/request.schema.json")


def test_every_field_cites_an_article() -> None:
    def walk(schema: dict[str, Any], where: str) -> None:
        for name, prop in schema.get("properties", {}).items():
            assert "article" in prop, f"{where}.{name} has no article"

    schema = request_json_schema()
    walk(schema, "request")
    for name, definition in schema.get("$defs", {}).items():
        if "properties" in definition:
            walk(definition, name)


@pytest.mark.parametrize("kind", list(RequestKind))
def test_template_fills_into_a_valid_request(kind: RequestKind) -> None:
    template = request_template(kind)
    assert template["kind"] == kind.value
    assert "_help" in template and all("Art " in text for text in template["_help"].values())
    # an unfilled template is invalid and says where
    with pytest.raises(InvalidInput):
        validate_request_data(template)
    filled = copy.deepcopy(template)
    example = base()
    for key in list(filled):
        if key in example and key != "kind":
            filled[key] = example[key]
    for key in ("linked_requests", "attachments"):
        filled[key] = []
    for key in ("preservation", "collection_period", "extradition"):
        if key in filled:
            filled[key] = None
    request = validate_request_data(filled)
    assert isinstance(request, CooperationRequest) and request.kind is kind


def test_every_cited_article_is_known_to_the_convention() -> None:
    from treatydesk.convention import convention

    treaty = convention()
    schema = request_json_schema()
    cited: set[str] = set()
    for definition in [schema, *schema.get("$defs", {}).values()]:
        for prop in definition.get("properties", {}).values():
            cited.add(prop["article"])
    for requirements in all_requirements().values():
        cited.update(item.article for item in requirements)
    for reference in cited:
        assert treaty.check_reference(reference)


def test_request_enumerations_read_their_value_as_an_enum_does() -> None:
    # RequestEnum replaces Enum's `value` descriptor with a C-level one (see kinds.py): every
    # member must still give its own value, and a request must serialise to those values
    for enum in RequestEnum.__subclasses__():
        for member in enum:
            assert member.value == member._value_ == str(member)
            assert enum(member._value_) is member
            assert pickle.loads(pickle.dumps(member)) is member
    data = json.loads(BASE.read_text())
    data["subjects"] = [{"identifier_type": "email", "identifier_value": "a@x.invalid",
                         "role": "suspect", "profile_flags": ["journalist"]}]
    dumped = json.loads(CooperationRequest.model_validate(data).model_dump_json())
    assert (dumped["kind"], dumped["channel"]) == (data["kind"], "central_authority")
    assert dumped["subjects"][0]["profile_flags"] == ["journalist"]
    assert dumped["subjects"][0]["identifier_type"] == "email"


def _reference_bracket_depth(text: str) -> int:
    """The plain character loop `_max_bracket_depth` must agree with (it was the code)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


@given(st.text(alphabet='[]{}"\\a\n,:', max_size=60))
@settings(max_examples=2000)
def test_bracket_depth_skips_strings_like_a_character_loop(text: str) -> None:
    assert _max_bracket_depth(text) == _reference_bracket_depth(text)


def test_bracket_depth_of_a_large_body() -> None:
    body = '{"a": [' + ", ".join(['{"k": "x[y{z\\\\\\"]", "n": [1, 2]}'] * 10_000) + "]}"
    assert _max_bracket_depth(body) == _reference_bracket_depth(body) == 4
