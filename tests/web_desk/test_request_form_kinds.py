"""The request form offers each kind the fields it uses, and never drops a value a case holds."""

from __future__ import annotations

from treatydesk.cooperation.kinds import RequestKind
from treatydesk.web.request_form import form_fields, parse_form


def _names(kind: RequestKind, values: dict[str, object]) -> set[str]:
    return {field.name for field in form_fields(kind, values)}


def test_fields_of_other_kinds_are_left_out_when_empty() -> None:
    names = _names(RequestKind.SUBSCRIBER_INFORMATION, {})
    assert not {"preservation", "collection_period", "extradition",
                "service_of_documents"} & names
    assert "service_of_documents" in _names(RequestKind.MUTUAL_LEGAL_ASSISTANCE, {})
    assert "preservation" in _names(RequestKind.PRESERVATION, {})


def test_a_value_held_in_another_kinds_field_is_shown_and_read_back() -> None:
    held = {"preservation": {"necessity": "Logs expire."}}
    assert "preservation" in _names(RequestKind.SUBSCRIBER_INFORMATION, held)
    data, problems = parse_form(RequestKind.SUBSCRIBER_INFORMATION,
                                {"preservation.necessity": "Logs expire."})
    assert problems == []
    assert data["preservation"] == {"necessity": "Logs expire."}
