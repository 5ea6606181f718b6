"""Administration and audit pages: users, API tokens (each shown once, when created), party
profiles and the desk's policy pack, and the audit trail. Services check every role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from treatydesk.errors import ErrorItem, InvalidInput
from treatydesk.services import audit as audit_service
from treatydesk.services.desk_support import MAX_DOCUMENT_BYTES, require_audit_verifier
from treatydesk.services.principal import Role, Scope, role_scopes
from treatydesk.web.auth import DeskDep, FormSession, PageSession
from treatydesk.web.pages_desk import _page
from treatydesk.web.params import Offset, RowId

pages = APIRouter(tags=["admin pages"], include_in_schema=False)

Id = RowId
AUDIT_PAGE = 50


@pages.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, session: PageSession, the_desk: DeskDep) -> HTMLResponse:
    users = the_desk.access.list_users(session.principal)
    return _page(request, session, "admin_users.html", {
        "users": users, "roles": [r.value for r in Role], "password": None})


@pages.post("/admin/users", response_class=HTMLResponse)
def create_user(
    request: Request, session: FormSession, the_desk: DeskDep,
    username: Annotated[str, Form(max_length=64)], role: Annotated[str, Form(max_length=16)],
    password: Annotated[str, Form(max_length=1024)],
) -> Response:
    the_desk.access.create_user(session.principal, username=username, role=role,
                                password=password)
    return RedirectResponse("/admin/users", status_code=303)


@pages.post("/admin/users/{user_id}/deactivate")
def deactivate_user(session: FormSession, the_desk: DeskDep, user_id: Id) -> Response:
    the_desk.access.deactivate_user(session.principal, user_id)
    return RedirectResponse("/admin/users", status_code=303)


@pages.post("/admin/users/{user_id}/role")
def change_role(session: FormSession, the_desk: DeskDep, user_id: Id,
                role: Annotated[str, Form(max_length=16)]) -> Response:
    the_desk.access.change_role(session.principal, user_id, role)
    return RedirectResponse("/admin/users", status_code=303)


@pages.get("/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, session: PageSession, the_desk: DeskDep) -> HTMLResponse:
    return _page(request, session, "tokens.html", {
        "tokens": the_desk.access.list_tokens(session.principal), "new_token": None,
        "scopes": sorted(s.value for s in role_scopes(session.principal.role)),
        "all_scopes": [s.value for s in Scope]})


@pages.post("/tokens", response_class=HTMLResponse)
async def create_token(request: Request, session: FormSession, the_desk: DeskDep) -> Response:
    form = await request.form()
    name = form.get("name")
    scopes = [s for s in form.getlist("scopes") if isinstance(s, str)]
    created = the_desk.access.create_token(
        session.principal, name=name if isinstance(name, str) else "", scopes=scopes)
    # the only time the token is shown: this response, never stored, never logged
    response = _page(request, session, "tokens.html", {
        "tokens": the_desk.access.list_tokens(session.principal), "new_token": created,
        "scopes": sorted(s.value for s in role_scopes(session.principal.role)),
        "all_scopes": [s.value for s in Scope]}, status_code=201)
    response.headers["Cache-Control"] = "no-store"
    return response


@pages.post("/tokens/{token_id}/revoke")
def revoke_token(session: FormSession, the_desk: DeskDep, token_id: Id) -> Response:
    the_desk.access.revoke_token(session.principal, token_id)
    return RedirectResponse("/tokens", status_code=303)


@pages.get("/admin/profiles", response_class=HTMLResponse)
def profiles_page(request: Request, session: PageSession, the_desk: DeskDep) -> HTMLResponse:
    return _page(request, session, "admin_profiles.html", {
        "profiles": the_desk.documents.list_profiles(session.principal),
        "policy": the_desk.documents.get_policy(session.principal)})


async def _upload_text(upload: UploadFile) -> str:
    raw = await upload.read(MAX_DOCUMENT_BYTES + 1)
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise InvalidInput("the file is too large",
                           items=[ErrorItem("file", f"at most {MAX_DOCUMENT_BYTES} bytes")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("the file is not UTF-8 text",
                           items=[ErrorItem("file", "save it as UTF-8 YAML")]) from None


@pages.post("/admin/profiles")
async def upload_profile(session: FormSession, the_desk: DeskDep, file: UploadFile) -> Response:
    text = await _upload_text(file)
    stored = the_desk.documents.upload_profile(session.principal,
                                               filename=file.filename or "", text=text)
    return RedirectResponse(f"/admin/profiles/{stored.key}", status_code=303)


@pages.post("/admin/policy")
async def upload_policy(session: FormSession, the_desk: DeskDep, file: UploadFile) -> Response:
    text = await _upload_text(file)
    the_desk.documents.upload_policy(session.principal, filename=file.filename or "",
                                     text=text)
    return RedirectResponse("/admin/profiles", status_code=303)


@pages.get("/admin/profiles/{key}", response_class=HTMLResponse)
def profile_page(request: Request, session: PageSession, the_desk: DeskDep,
                 key: Annotated[str, Path(min_length=1, max_length=64)]) -> HTMLResponse:
    return _page(request, session, "admin_profile.html", {
        "profile": the_desk.documents.get_profile(session.principal, key)})


@pages.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, session: PageSession, the_desk: DeskDep,
               offset: Offset = 0) -> HTMLResponse:
    page = audit_service.list_audit(the_desk.db, session.principal, limit=AUDIT_PAGE,
                                    offset=offset)
    require_audit_verifier(session.principal, the_desk.db)
    return _page(request, session, "audit.html", {
        "page": page, "verification": audit_service.verify_chain(the_desk.db)})
