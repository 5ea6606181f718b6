"""The desk's HTTP API under /api/v1: cases, the safeguards check, request templates, audit
and administration. Every operation takes an API token (ApiPrincipal) and calls one service;
role, scope and organisation are checked there. Another organisation's case answers exactly
like a case that does not exist (the repository filters by organisation)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response, StreamingResponse

from treatydesk.cooperation.contents import is_complete, missing_contents, requirements
from treatydesk.cooperation.kinds import RequestKind
from treatydesk.cooperation.request import request_json_schema, validate_request_data
from treatydesk.cooperation.template import request_template
from treatydesk.services import audit as audit_service
from treatydesk.services.desk_support import (
    StatusSource,
    create_case,
    require_audit_verifier,
)
from treatydesk.services.views import (
    AuditEntryView,
    CaseView,
    ConsultationView,
    DecisionView,
    NewToken,
    Page,
    ReviewView,
    TokenView,
    UserView,
)
from treatydesk.web.auth import ApiPrincipal, DeskDep, client_address
from treatydesk.web.json_body import StrictJsonRoute
from treatydesk.web.models import (
    CaseCreate,
    CasePage,
    CasePublic,
    CaseTransition,
    CaseUpdate,
    CheckOptions,
    ConsultationCreate,
    DecisionCreate,
    DocumentPublic,
    DocumentUpload,
    ReviewCreate,
    RoleChange,
    TokenCreate,
    TokenLogin,
    UserCreate,
)
from treatydesk.web.params import Offset, RowId

api = APIRouter(prefix="/api/v1", route_class=StrictJsonRoute)

# Where a handler runs. The routes on one case (read, create, edit, move, review, decide,
# check) are `async def` and call their service directly on the event loop: each is a few
# short, bounded queries and at most one engine run, and handing that to a worker thread (what
# FastAPI does with a plain `def`) cost more CPU than the work itself when measured on the
# 2-vCPU machine (the wake-ups cross CPUs; bench/bench_http.py). Routes whose work grows with
# the data or is slow on purpose (lists, audit verify and export, password sign-in, document
# uploads) stay plain `def`, in the thread pool, so that they never hold up the loop.

CaseId = RowId
UserId = RowId


def case_response(view: CaseView, status_code: int = 200) -> Response:
    """A case as JSON, returned as a Response so that FastAPI does not validate and convert
    the model a second time on the desk's busiest routes; `response_model` on each route
    still documents the shape (and schemathesis checks answers against it)."""
    return Response(CasePublic.from_view(view).model_dump_json(), status_code=status_code,
                    media_type="application/json")


# -------------------------------------------------------------------------------- cases


@api.get("/cases", tags=["cases"], response_model=CasePage)
def list_cases(
    principal: ApiPrincipal, the_desk: DeskDep,
    state: Annotated[str | None, Query(max_length=32)] = None,
    kind: Annotated[str | None, Query(max_length=64)] = None,
    direction: Annotated[Literal["outgoing", "incoming"] | None, Query()] = None,
    due: Annotated[Literal["overdue", "due_soon"] | None, Query(
        description="overdue: deadline passed; due_soon: within the clock policy's window")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> CasePage:
    page = the_desk.cases(principal).list_cases(
        principal, state=state, kind=kind, direction=direction, due=due, limit=limit,
        offset=offset)
    return CasePage(items=[CasePublic.from_view(c) for c in page.items], total=page.total,
                    limit=page.limit, offset=page.offset)


@api.post("/cases", tags=["cases"], status_code=201, response_model=CasePublic)
async def create(principal: ApiPrincipal, the_desk: DeskDep, body: CaseCreate) -> Response:
    view = create_case(
        the_desk.cases(principal), principal, direction=body.direction, title=body.title,
        request=body.request, urgent=body.urgent, received_at=body.received_at,
        requesting_deadline=body.requesting_deadline)
    return case_response(view, status_code=201)


@api.get("/cases/{case_id}", tags=["cases"], response_model=CasePublic)
async def get_case(principal: ApiPrincipal, the_desk: DeskDep, case_id: CaseId) -> Response:
    return case_response(the_desk.cases(principal).get_case(principal, case_id))


@api.put("/cases/{case_id}/request", tags=["cases"], response_model=CasePublic)
async def edit(
    principal: ApiPrincipal, the_desk: DeskDep, case_id: CaseId, body: CaseUpdate
) -> Response:
    view = the_desk.cases(principal).edit_request(
        principal, case_id, expected_version=body.version, request=body.request,
        title=body.title)
    return case_response(view)


@api.post("/cases/{case_id}/transition", tags=["cases"], response_model=CasePublic)
async def transition(
    principal: ApiPrincipal, the_desk: DeskDep, case_id: CaseId, body: CaseTransition
) -> Response:
    view = the_desk.cases(principal).transition(
        principal, case_id, to=body.to, expected_version=body.version)
    return case_response(view)


@api.get("/cases/{case_id}/reviews", tags=["decisions"], response_model=list[ReviewView])
async def reviews(principal: ApiPrincipal, the_desk: DeskDep, case_id: CaseId) -> list[ReviewView]:
    return the_desk.cases(principal).list_reviews(principal, case_id)


@api.post("/cases/{case_id}/reviews", tags=["decisions"], status_code=201,
          response_model=ReviewView)
async def review(
    principal: ApiPrincipal, the_desk: DeskDep, case_id: CaseId, body: ReviewCreate
) -> ReviewView:
    return the_desk.cases(principal).record_review(
        principal, case_id, expected_version=body.version, approve=body.approve, note=body.note)


@api.post("/cases/{case_id}/consultations", tags=["decisions"], status_code=201,
          response_model=ConsultationView)
async def consultation(
    principal: ApiPrincipal, the_desk: DeskDep, case_id: CaseId, body: ConsultationCreate
) -> ConsultationView:
    return the_desk.cases(principal).record_consultation(
        principal, case_id, held_at=body.held_at, summary=body.summary)


@api.get("/cases/{case_id}/decisions", tags=["decisions"], response_model=list[DecisionView])
async def decisions(
    principal: ApiPrincipal, the_desk: DeskDep, case_id: CaseId
) -> list[DecisionView]:
    return the_desk.cases(principal).list_decisions(principal, case_id=case_id)


@api.post("/cases/{case_id}/decisions", tags=["decisions"], status_code=201,
          response_model=DecisionView)
async def decide(
    principal: ApiPrincipal, the_desk: DeskDep, case_id: CaseId, body: DecisionCreate
) -> DecisionView:
    return the_desk.cases(principal).decide(
        principal, case_id, expected_version=body.version, decision=body.decision,
        reasons=body.reasons, conditions=body.conditions)


@api.get("/cases/{case_id}/check", tags=["safeguards"])
async def check_case(
    principal: ApiPrincipal, the_desk: DeskDep, case_id: CaseId,
    on: Annotated[date | None, Query()] = None,
    status: Annotated[StatusSource, Query()] = StatusSource.RECORD,
) -> dict[str, Any]:
    """The safeguards findings for the case's current request, each citing its article."""
    _, decision = the_desk.checks.check_case(
        principal, the_desk.cases(principal), case_id, on=on or date.today(), source=status)
    return decision.as_record()


@api.post("/check", tags=["safeguards"])
async def check(principal: ApiPrincipal, the_desk: DeskDep, body: CheckOptions) -> dict[str, Any]:
    """Check a request JSON without storing anything."""
    decision = the_desk.checks.check_request(
        principal, body.request, on=body.on or date.today(), source=body.status)
    return decision.as_record()


# ------------------------------------------------------------------- request documents


@api.get("/requests/schema", tags=["requests"])
def schema(principal: ApiPrincipal) -> dict[str, Any]:
    del principal  # any signed-in caller; the schema is the same for everyone
    return request_json_schema()


@api.get("/requests/template/{kind}", tags=["requests"])
def template(principal: ApiPrincipal, kind: RequestKind) -> dict[str, Any]:
    del principal
    return {"kind": kind.value, "template": request_template(kind), "requirements": [
        {"field_path": r.field_path, "article": r.article, "what": r.what,
         "where_possible": r.where_possible, "only_when": r.only_when or None}
        for r in requirements(kind)]}


@api.post("/requests/missing", tags=["requests"])
def missing(principal: ApiPrincipal, request: dict[str, Any]) -> dict[str, Any]:
    """What the request lacks for its kind, each item with its article."""
    del principal
    model = validate_request_data(request)
    missing = missing_contents(model)
    return {"kind": model.kind.value, "complete": is_complete(missing),
            "missing": [item.as_dict() for item in missing]}


# -------------------------------------------------------------------------------- audit


@api.get("/audit/entries", tags=["audit"], response_model=Page[AuditEntryView])
def audit_entries(
    principal: ApiPrincipal, the_desk: DeskDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
    offset: Offset = 0,
) -> Page[AuditEntryView]:
    return audit_service.list_audit(the_desk.db, principal, limit=limit, offset=offset)


@api.get("/audit/verify", tags=["audit"])
def audit_verify(principal: ApiPrincipal, the_desk: DeskDep) -> dict[str, Any]:
    require_audit_verifier(principal, the_desk.db)
    result = audit_service.verify_chain(the_desk.db)
    return {"verified": result.ok, "count": result.count, "first_bad_seq": result.first_bad_seq,
            "reason": result.reason.value if result.reason else None,
            "explanation": result.explanation}


@api.get("/audit/export", tags=["audit"])
def audit_export(principal: ApiPrincipal, the_desk: DeskDep) -> StreamingResponse:
    """The caller's organisation's entries as JSON Lines (auditors). The whole chain, which
    mixes organisations, is exported by the operator with `treatydesk audit export`."""
    first = audit_service.list_audit(the_desk.db, principal, limit=200, offset=0)

    def lines() -> Iterator[str]:
        page = first
        while page.items:
            for entry in page.items:
                yield entry.model_dump_json() + "\n"
            page = audit_service.list_audit(
                the_desk.db, principal, limit=200, offset=page.offset + len(page.items))

    return StreamingResponse(lines(), media_type="application/x-ndjson", headers={
        "Content-Disposition": 'attachment; filename="audit-organisation.jsonl"'})


# -------------------------------------------------------------------------------- admin


@api.get("/admin/users", tags=["admin"], response_model=list[UserView])
def users(principal: ApiPrincipal, the_desk: DeskDep) -> list[UserView]:
    return the_desk.access.list_users(principal)


@api.post("/admin/users", tags=["admin"], status_code=201, response_model=UserView)
def add_user(principal: ApiPrincipal, the_desk: DeskDep, body: UserCreate) -> UserView:
    return the_desk.access.create_user(
        principal, username=body.username, role=body.role, password=body.password)


@api.post("/admin/users/{user_id}/deactivate", tags=["admin"], response_model=UserView)
def deactivate(principal: ApiPrincipal, the_desk: DeskDep, user_id: UserId) -> UserView:
    return the_desk.access.deactivate_user(principal, user_id)


@api.post("/admin/users/{user_id}/role", tags=["admin"], response_model=UserView)
def change_role(
    principal: ApiPrincipal, the_desk: DeskDep, user_id: UserId, body: RoleChange
) -> UserView:
    return the_desk.access.change_role(principal, user_id, body.role)


@api.post("/auth/token", tags=["tokens"], status_code=201, response_model=NewToken)
def sign_in_for_token(request: Request, the_desk: DeskDep, body: TokenLogin) -> NewToken:
    """Sign in with a password (rate limited: 429 after repeated failures) and get a new API
    token for your account, shown once. The only API route that takes a password."""
    principal = the_desk.access.login(body.username, body.password, client_address(request))
    return the_desk.access.create_token(
        principal, name=body.name, scopes=body.scopes, expires_at=body.expires_at)


@api.get("/tokens", tags=["tokens"], response_model=list[TokenView])
def tokens(principal: ApiPrincipal, the_desk: DeskDep) -> list[TokenView]:
    return the_desk.access.list_tokens(principal)


@api.post("/tokens", tags=["tokens"], status_code=201, response_model=NewToken)
def create_token(principal: ApiPrincipal, the_desk: DeskDep, body: TokenCreate) -> NewToken:
    """Refused for token callers by the service: tokens are created after signing in."""
    return the_desk.access.create_token(
        principal, name=body.name, scopes=body.scopes, expires_at=body.expires_at)


@api.post("/tokens/{token_id}/revoke", tags=["tokens"], response_model=TokenView)
def revoke_token(principal: ApiPrincipal, the_desk: DeskDep, token_id: RowId) -> TokenView:
    return the_desk.access.revoke_token(principal, token_id)


@api.get("/admin/profiles", tags=["admin"], response_model=list[DocumentPublic])
def profiles(principal: ApiPrincipal, the_desk: DeskDep) -> list[DocumentPublic]:
    return [DocumentPublic(**d.public()) for d in the_desk.documents.list_profiles(principal)]


@api.post("/admin/profiles", tags=["admin"], status_code=201, response_model=DocumentPublic)
def upload_profile(
    principal: ApiPrincipal, the_desk: DeskDep, body: DocumentUpload
) -> DocumentPublic:
    stored = the_desk.documents.upload_profile(principal, filename=body.filename, text=body.yaml)
    return DocumentPublic(**stored.public())


@api.get("/admin/profiles/{key}", tags=["admin"])
def profile(
    principal: ApiPrincipal, the_desk: DeskDep,
    key: Annotated[str, Path(min_length=1, max_length=64)],
) -> dict[str, Any]:
    stored = the_desk.documents.get_profile(principal, key)
    return {**stored.public(), "yaml": stored.source_yaml}


@api.put("/admin/policy", tags=["admin"], response_model=DocumentPublic)
def upload_policy(
    principal: ApiPrincipal, the_desk: DeskDep, body: DocumentUpload
) -> DocumentPublic:
    stored = the_desk.documents.upload_policy(principal, filename=body.filename, text=body.yaml)
    return DocumentPublic(**stored.public())
