"""Helpers for the service tests: a desk with two organisations and people in every role."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from treatydesk.cooperation.kinds import RequestKind
from treatydesk.services.access import AccessService, bootstrap_first_admin
from treatydesk.services.cases import CaseService
from treatydesk.services.principal import Principal
from treatydesk.services.views import CaseView
from treatydesk.store import desk_repo
from treatydesk.store.db import Database

PASSWORD = "correct horse battery"


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass(frozen=True)
class EngineDecision:
    revision: str
    record: dict[str, Any]

    def as_record(self) -> Mapping[str, Any]:
        return self.record


class RecordingEngine:
    """Stands in for the safeguards engine: returns a record naming what it saw; the outcome
    is the request's `expect` field when it has one (else "pass")."""

    revision = "rules-2025.11-test"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, date]] = []

    def __call__(
        self, kind: RequestKind, request: Mapping[str, Any], *, on: date, subject: str
    ) -> EngineDecision:
        self.calls.append((subject, kind.value, on))
        outcome = str(request.get("expect", "pass"))
        return EngineDecision(self.revision, {
            "outcome": outcome, "subject": subject, "facts": request.get("facts"),
            "counts": {outcome: 1, "not_applicable": 2},
        })


def validate_request(kind: RequestKind, request: Mapping[str, Any]) -> dict[str, Any]:
    """A validator as the request model will be: refuses a request without `facts`."""
    from treatydesk.errors import InvalidInput

    if "facts" not in request:
        raise InvalidInput(
            f"the {kind.value} request is incomplete", items=[]
        )
    return dict(request)


@dataclass
class Desk:
    db: Database
    clock: FakeClock
    access: AccessService
    cases: CaseService
    engine: RecordingEngine
    admin_a: Principal
    officer_a: Principal
    reviewer_a: Principal
    reviewer2_a: Principal
    auditor_a: Principal
    admin_b: Principal
    officer_b: Principal
    reviewer_b: Principal


def make_desk(db: Database) -> Desk:
    clock = FakeClock(datetime(2025, 11, 28, 9, 0, tzinfo=UTC))
    access = AccessService(db, now=clock)
    password = bootstrap_first_admin(db, organisation_name="Desk A", now=clock)
    assert password is not None
    admin_a = access.login("admin", password, "10.0.0.1")
    with db.transaction() as session:
        org_b = desk_repo.create_organisation(session, name="Desk B", at=clock())
    # the second organisation's admin is made directly: no service creates organisations yet
    from treatydesk.services.access import hash_password

    with db.transaction() as session:
        desk_repo.create_user(
            session, org_id=org_b.id, username="admin-b", role="admin",
            password_hash=hash_password(PASSWORD), at=clock(),
        )
    admin_b = access.login("admin-b", PASSWORD, "10.0.0.2")
    people: dict[str, Principal] = {}
    for admin, names in ((admin_a, ("officer-a", "reviewer-a", "reviewer2-a", "auditor-a")),
                         (admin_b, ("officer-b", "reviewer-b"))):
        for name in names:
            role = name.split("-")[0].rstrip("2")
            access.create_user(admin, username=name, role=role, password=PASSWORD)
            people[name] = access.login(name, PASSWORD, "10.0.0.3")
    engine = RecordingEngine()
    cases = CaseService(db, validate_request=validate_request, evaluate=engine, now=clock)
    return Desk(
        db=db, clock=clock, access=access, cases=cases, engine=engine, admin_a=admin_a,
        officer_a=people["officer-a"], reviewer_a=people["reviewer-a"],
        reviewer2_a=people["reviewer2-a"], auditor_a=people["auditor-a"], admin_b=admin_b,
        officer_b=people["officer-b"], reviewer_b=people["reviewer-b"],
    )


def incoming(desk: Desk, kind: RequestKind = RequestKind.STORED_DATA_ACCESS,
             principal: Principal | None = None) -> CaseView:
    return desk.cases.register_incoming(
        principal or desk.officer_a, kind=kind, requesting_party="Freedonia",
        requested_party="Sylvania", title="Stored data of account X",
        request={"facts": "summary of facts"},
    )


def to_review(desk: Desk, case: CaseView) -> CaseView:
    for state in ("registered", "under_review"):
        case = desk.cases.transition(
            desk.officer_a, case.id, to=state, expected_version=case.version
        )
    return case
