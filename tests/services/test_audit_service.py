"""Auditors read their own organisation's trail; every operation left its entry."""

from __future__ import annotations

import pytest
from desk_setup import Desk, incoming

from treatydesk.errors import InvalidInput, PermissionDenied
from treatydesk.services.audit import list_audit, verify_chain


def test_auditor_sees_only_their_organisation(desk: Desk) -> None:
    incoming(desk)
    incoming(desk, principal=desk.officer_b)
    page = list_audit(desk.db, desk.auditor_a, limit=200)
    assert page.total == len(page.items) > 0
    assert {entry.org_id for entry in page.items} == {desk.auditor_a.org_id}
    actions = {entry.action for entry in page.items}
    assert {"create", "login", "user_create", "organisation_create"} <= actions
    newest_first = [entry.seq for entry in page.items]
    assert newest_first == sorted(newest_first, reverse=True)
    assert verify_chain(desk.db).ok


def test_audit_reading_needs_the_auditor_role(desk: Desk) -> None:
    with pytest.raises(PermissionDenied, match="officer role cannot do audit.read"):
        list_audit(desk.db, desk.officer_a)
    with pytest.raises(InvalidInput):
        list_audit(desk.db, desk.auditor_a, offset=-1)
