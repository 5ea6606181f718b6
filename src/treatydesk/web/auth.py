"""Who is calling: bearer tokens for the API, a session cookie (with its CSRF token) for the
pages. Handlers take one of these dependencies; the checks of role and organisation happen in
the services each handler calls.

Public and read-only, without these: the status pages and /api/v1/status (the depositary
record), the Convention's article pages, /login, /static, and the OpenAPI docs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from treatydesk.errors import AuthenticationRequired, PermissionDenied
from treatydesk.services.desk_support import Desk, WebSession, csrf_matches
from treatydesk.services.principal import Principal

SESSION_COOKIE = "td_session"
#: double-submit cookie for the sign-in form, which has no session yet
LOGIN_CSRF_COOKIE = "td_login_csrf"
CSRF_FIELD = "csrf_token"

_bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer td_...`")


async def desk(request: Request) -> Desk:
    # async: a plain attribute read, not worth a hop to the thread pool that sync
    # dependencies take
    found: Desk = request.app.state.desk
    return found


DeskDep = Annotated[Desk, Depends(desk)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def api_principal(
    request: Request,
    the_desk: DeskDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    # on the event loop: one indexed query (a write only on a token's first use in a window);
    # see the note on handlers in web/api_desk.py
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthenticationRequired("send an API token: Authorization: Bearer td_...")
    return the_desk.access.authenticate_token(credentials.credentials, client_address(request))


ApiPrincipal = Annotated[Principal, Depends(api_principal)]


def page_session(request: Request, the_desk: DeskDep) -> WebSession:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise AuthenticationRequired("sign in to continue")
    return the_desk.sessions.resolve(cookie)


PageSession = Annotated[WebSession, Depends(page_session)]


async def form_session(request: Request, session: PageSession) -> WebSession:
    """The session of a state-changing form, after checking its synchronizer token."""
    form = await request.form()
    given = form.get(CSRF_FIELD)
    if not isinstance(given, str) or not csrf_matches(session.csrf_token, given):
        raise PermissionDenied(
            "the form's security token (csrf_token) is missing or wrong; reload the page and "
            "submit it again")
    return session


FormSession = Annotated[WebSession, Depends(form_session)]

__all__ = ["ApiPrincipal", "DeskDep", "FormSession", "PageSession", "client_address"]
