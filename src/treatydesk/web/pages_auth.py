"""Sign in and sign out. The sign-in form has no session yet, so it is protected against
cross-site submission with a double-submit cookie; every later form uses the session's token.

After signing in, a person goes to the safe `next` page they came from, or else to the first
page their role can use (landing_path), never to a page that would only refuse them."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from treatydesk.errors import AuthenticationRequired, PermissionDenied, RateLimited
from treatydesk.services.desk_support import SESSION_LIFETIME, csrf_matches
from treatydesk.services.principal import ROLE_PERMISSIONS, Permission, Role
from treatydesk.web.auth import (
    CSRF_FIELD,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    DeskDep,
    FormSession,
    client_address,
)
from treatydesk.web.templating import render

pages = APIRouter(tags=["sign-in pages"], include_in_schema=False)


#: where a role lands after signing in: the first of these pages whose permission it has
LANDINGS: tuple[tuple[Permission, str], ...] = (
    (Permission.CASE_READ, "/cases"),
    (Permission.AUDIT_READ, "/audit"),
    (Permission.PEOPLE_ADMIN, "/admin/users"),
)
#: every role may manage its own API tokens
FALLBACK_LANDING = "/tokens"


def landing_path(role: Role) -> str:
    """The first page a role can use: officers and reviewers the request list, auditors the
    audit trail, administrators the users of their organisation."""
    permissions = ROLE_PERMISSIONS[role]
    return next((path for needed, path in LANDINGS if needed in permissions), FALLBACK_LANDING)


def _safe_next(target: str | None) -> str | None:
    # only a path on this site: an absolute or scheme-relative URL would be an open redirect
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _login_form(
    request: Request, *, next_path: str | None, message: str = "", status_code: int = 200,
    username: str = "",
) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", {
        "csrf_token": token, "next": next_path or "", "message": message, "username": username,
    }, status_code=status_code)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.app.state.cookie_secure, path="/login")
    return response


@pages.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    return _login_form(request, next_path=_safe_next(next))


@pages.post("/login")
def login(
    request: Request, the_desk: DeskDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    next_path = _safe_next(next)
    if not csrf_matches(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf_token or None) \
            or not csrf_token:
        raise PermissionDenied("the sign-in form's security token is missing or wrong; reload "
                               "the sign-in page and try again")
    try:
        created = the_desk.sessions.sign_in(username, password, client_address(request))
    except (AuthenticationRequired, RateLimited) as refused:
        # the form is shown again with the service's words (the same for any wrong login)
        return _login_form(request, next_path=next_path, message=refused.message,
                           status_code=refused.http_status, username=username[:64])
    landing = next_path or landing_path(created.session.principal.role)
    response = RedirectResponse(landing, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, created.cookie, httponly=True, samesite="lax",
        secure=request.app.state.cookie_secure, max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/")
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@pages.post("/logout")
def logout(request: Request, the_desk: DeskDep, session: FormSession) -> Response:
    del session  # checked (signed in, CSRF token) before the session is ended
    the_desk.sessions.sign_out(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
