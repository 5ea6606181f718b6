"""The desk's pages: the case list with deadline badges, the request form guided by the
kind's contents, the case page with its safeguards findings and decision forms, and the
Convention's article pages. Every desk page needs a session (PageSession) and every form its
CSRF token (FormSession); the services check role and organisation."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from treatydesk.convention import convention
from treatydesk.cooperation.contents import missing_contents
from treatydesk.cooperation.kinds import RequestKind
from treatydesk.cooperation.lifecycle import CaseState, DecisionKind, is_intrusive
from treatydesk.cooperation.request import validate_request_data
from treatydesk.errors import ErrorItem, InvalidInput, NotFound
from treatydesk.safeguards.findings import PRECEDENCE
from treatydesk.services.desk_support import StatusSource, WebSession, create_case
from treatydesk.web.auth import DeskDep, FormSession, PageSession
from treatydesk.web.models import CasePublic
from treatydesk.web.params import MAX_ID, Offset, RowId
from treatydesk.web.request_form import form_fields, parse_form
from treatydesk.web.templating import render

pages = APIRouter(tags=["desk pages"], include_in_schema=False)

CaseId = RowId
PAGE_SIZE = 25


def _page(request: Request, session: WebSession, name: str, context: dict[str, Any],
          status_code: int = 200) -> HTMLResponse:
    return render(request, name, {"me": session.principal, "csrf_token": session.csrf_token,
                                  **context}, status_code=status_code)


def _see(case_id: int, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/cases/{case_id}{anchor}", status_code=303)


@pages.get("/cases", response_class=HTMLResponse)
def case_list(
    request: Request, session: PageSession, the_desk: DeskDep,
    state: Annotated[str | None, Query(max_length=32)] = None,
    kind: Annotated[str | None, Query(max_length=64)] = None,
    direction: Annotated[str | None, Query(max_length=16)] = None,
    due: Annotated[str | None, Query(max_length=16)] = None,
    offset: Offset = 0,
) -> HTMLResponse:
    principal = session.principal
    # an empty select in a GET form sends "", which means "any"
    page = the_desk.cases(principal).list_cases(
        principal, state=state or None, kind=kind or None, direction=direction or None,
        due=due or None, limit=PAGE_SIZE, offset=offset)
    return _page(request, session, "cases.html", {
        "page": page, "cases": [CasePublic.from_view(c) for c in page.items],
        "filters": {"state": state or "", "kind": kind or "", "direction": direction or "",
                    "due": due or ""},
        "states": [s.value for s in CaseState], "kinds": [k.value for k in RequestKind],
    })


def _kind(value: str) -> RequestKind:
    try:
        return RequestKind(value)
    except ValueError:
        raise InvalidInput(f"unknown request kind {value!r}",
                           items=[ErrorItem("kind", "choose a kind from the list")]) from None


def _form_page(
    request: Request, session: WebSession, *, kind: RequestKind, values: dict[str, Any],
    direction: str, title: str, case: CasePublic | None = None,
    errors: list[ErrorItem] | None = None, missing: list[dict[str, str | bool]] | None = None,
    checked: bool = False, status_code: int = 200,
) -> HTMLResponse:
    return _page(request, session, "request_form.html", {
        "kind": kind.value, "kinds": [k.value for k in RequestKind], "direction": direction,
        "title": title, "fields": form_fields(kind, values), "case": case,
        "errors": errors or [], "missing": missing, "checked": checked,
    }, status_code=status_code)


@pages.get("/cases/new", response_class=HTMLResponse)
def new_case(
    request: Request, session: PageSession,
    kind: Annotated[str, Query(max_length=64)] = RequestKind.MUTUAL_LEGAL_ASSISTANCE.value,
    direction: Annotated[str, Query(pattern="^(outgoing|incoming)$")] = "outgoing",
) -> HTMLResponse:
    return _form_page(request, session, kind=_kind(kind), values={}, direction=direction,
                      title="")


def _check_form(data: dict[str, Any], problems: list[ErrorItem]) -> tuple[
        list[ErrorItem], list[dict[str, str | bool]] | None]:
    """Errors of the model (with their field paths) or, if it is valid, what is missing."""
    if problems:
        return problems, None
    try:
        model = validate_request_data(data)
    except InvalidInput as invalid:
        return invalid.items or [ErrorItem("request", invalid.message)], None
    return [], [item.as_dict() for item in missing_contents(model)]


async def _form_data(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


@pages.post("/cases/new", response_class=HTMLResponse)
async def submit_case(request: Request, session: FormSession, the_desk: DeskDep) -> Response:
    form = await _form_data(request)
    kind = _kind(form.get("kind", ""))
    direction = form.get("direction", "outgoing")
    title = form.get("title", "").strip()
    data, problems = parse_form(kind, form)
    errors, missing = _check_form(data, problems)
    if not title:
        errors.append(ErrorItem("title", "give the case a title (1 to 300 characters)"))
    if form.get("action") != "save" or errors:
        # "Check" or a form that cannot be saved: shown again, nothing written
        return _form_page(request, session, kind=kind, values=data, direction=direction,
                          title=title, errors=errors, missing=missing, checked=True,
                          status_code=422 if errors else 200)
    case = create_case(the_desk.cases(session.principal), session.principal,
                       direction=direction, title=title, request=data,
                       urgent=form.get("urgent") == "on")
    return _see(case.id)


@pages.get("/cases/{case_id}/edit", response_class=HTMLResponse)
def edit_case(request: Request, session: PageSession, the_desk: DeskDep,
              case_id: CaseId) -> HTMLResponse:
    case = CasePublic.from_view(the_desk.cases(session.principal).get_case(
        session.principal, case_id))
    return _form_page(request, session, kind=RequestKind(case.kind), values=case.request,
                      direction=case.direction, title=case.title, case=case)


@pages.post("/cases/{case_id}/edit", response_class=HTMLResponse)
async def save_edit(request: Request, session: FormSession, the_desk: DeskDep,
                    case_id: CaseId) -> Response:
    cases = the_desk.cases(session.principal)
    case = CasePublic.from_view(cases.get_case(session.principal, case_id))
    form = await _form_data(request)
    kind = RequestKind(case.kind)
    title = form.get("title", "").strip()
    data, problems = parse_form(kind, form)
    errors, missing = _check_form(data, problems)
    version = form.get("version", "")
    if not version.isdigit():
        errors.append(ErrorItem("version", "the form lost its version; reload the case"))
    if form.get("action") != "save" or errors:
        return _form_page(request, session, kind=kind, values=data, direction=case.direction,
                          title=title, case=case, errors=errors, missing=missing,
                          checked=True, status_code=422 if errors else 200)
    cases.edit_request(session.principal, case_id, expected_version=int(version),
                       request=data, title=title or None)
    return _see(case_id)


@pages.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request, session: PageSession, the_desk: DeskDep, case_id: CaseId,
    status: Annotated[StatusSource, Query()] = StatusSource.RECORD,
    on: Annotated[date | None, Query()] = None,
) -> HTMLResponse:
    principal = session.principal
    cases = the_desk.cases(principal)
    case = CasePublic.from_view(cases.get_case(principal, case_id))
    check_problem: InvalidInput | NotFound | None = None
    record: dict[str, Any] | None = None
    try:
        _, decision = the_desk.checks.check_case(principal, cases, case_id,
                                                 on=on or date.today(), source=status)
        record = decision.as_record()
    except (InvalidInput, NotFound) as problem:
        # the case is shown anyway; the page says what the check still needs
        check_problem = problem
    groups = []
    if record is not None:
        for outcome in PRECEDENCE:
            found = [f for f in record["findings"] if f["outcome"] == outcome.value]
            if found:
                groups.append((outcome.value, found))
    reviews = cases.list_reviews(principal, case_id)
    current = [r for r in reviews if r.request_version == case.request_version]
    required = record["reviewers_required"] if record else (
        2 if is_intrusive(RequestKind(case.kind)) else 1)
    model = validate_request_data(case.request, source=f"case {case_id}")
    return _page(request, session, "case.html", {
        "case": case, "record": record, "groups": groups, "check_problem": check_problem,
        "status": status.value, "reviews": reviews,
        "approvals": sorted({r.reviewer_id for r in current if r.approve}),
        "reviewers_required": required,
        "decisions": cases.list_decisions(principal, case_id=case_id),
        "missing": [m.as_dict() for m in missing_contents(model)],
        "decision_kinds": [d.value for d in DecisionKind],
        "fields": form_fields(RequestKind(case.kind), case.request),
    })


@pages.post("/cases/{case_id}/transition")
def case_transition(
    session: FormSession, the_desk: DeskDep, case_id: CaseId,
    to: Annotated[str, Form(max_length=32)], version: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    the_desk.cases(session.principal).transition(session.principal, case_id, to=to,
                                                 expected_version=version)
    return _see(case_id)


@pages.post("/cases/{case_id}/review")
def case_review(
    session: FormSession, the_desk: DeskDep, case_id: CaseId,
    version: Annotated[int, Form(ge=1, le=MAX_ID)],
    approve: Annotated[str, Form(pattern="^(yes|no)$")],
    note: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    the_desk.cases(session.principal).record_review(
        session.principal, case_id, expected_version=version, approve=approve == "yes",
        note=note)
    return _see(case_id, "#reviews")


@pages.post("/cases/{case_id}/consultation")
def case_consultation(
    session: FormSession, the_desk: DeskDep, case_id: CaseId,
    summary: Annotated[str, Form(max_length=10_000)],
    held_at: Annotated[datetime | None, Form()] = None,
) -> Response:
    moment = held_at or datetime.now(UTC)
    if moment.tzinfo is None:
        # a datetime-local input has no zone; the desk's forms are in UTC (said on the form)
        moment = moment.replace(tzinfo=UTC)
    the_desk.cases(session.principal).record_consultation(
        session.principal, case_id, held_at=moment, summary=summary)
    return _see(case_id, "#decide")


@pages.post("/cases/{case_id}/decision")
def case_decision(
    session: FormSession, the_desk: DeskDep, case_id: CaseId,
    version: Annotated[int, Form(ge=1, le=MAX_ID)], decision: Annotated[str, Form(max_length=32)],
    reasons: Annotated[str, Form(max_length=20_000)] = "",
    conditions: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    the_desk.cases(session.principal).decide(
        session.principal, case_id, expected_version=version, decision=decision,
        reasons=reasons.splitlines(), conditions=conditions.splitlines())
    return _see(case_id, "#decisions")


# -------------------------------------------------------- the Convention (public, read-only)


@pages.get("/convention/article/{number}", response_class=HTMLResponse)
def article_page(request: Request, number: Annotated[int, Path(ge=1, le=1000)]) -> HTMLResponse:
    """Public like the status pages: our summary of a published treaty, nothing of a desk."""
    return render(request, "article.html", {"article": convention().article(number)})
