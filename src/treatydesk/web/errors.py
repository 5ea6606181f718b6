"""The one error shape of the HTTP API and the error page of the HTML views.

Every API error, whatever raised it, answers `{"ok": false, "error": "...", "errors": [{"location":
..., "message": ...}]}`; HTML routes render the same message in a page. Unexpected exceptions are
logged with their traceback server-side and answered with a generic message, so internals (paths,
SQL, settings) never reach the client.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from treatydesk.errors import ErrorItem, TreatyDeskError
from treatydesk.web.templating import render

logger = logging.getLogger("treatydesk.web")

#: paths under this prefix answer JSON; everything else is a page for people
API_PREFIX = "/api/"


def error_body(message: str, items: Sequence[ErrorItem] = ()) -> dict[str, Any]:
    return {"ok": False, "error": message, "errors": [item.as_dict() for item in items]}


def _respond(
    request: Request, status: int, message: str, items: Sequence[ErrorItem] = ()
) -> Response:
    if request.url.path.startswith(API_PREFIX) or request.url.path in ("/openapi.json",):
        return JSONResponse(error_body(message, items), status_code=status)
    return render(
        request, "error.html", {"status": status, "message": message, "items": list(items)},
        status_code=status,
    )


def _location(loc: Sequence[Any]) -> str:
    # ("query", "limit") -> "query.limit"; list indices as [n]
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


async def _treatydesk_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, TreatyDeskError)
    if error.http_status >= 500:
        logger.error("%s on %s %s: %s", error.code, request.method, request.url.path, error)
    return _respond(request, error.http_status, error.message, error.items)


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    items = [
        ErrorItem(_location(detail.get("loc", ())), str(detail.get("msg", "invalid value")))
        for detail in error.errors()
    ]
    noun = "problem" if len(items) == 1 else "problems"
    return _respond(request, 422, f"invalid request: {len(items)} {noun}", items)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    status = error.status_code
    if isinstance(error.detail, str) and error.detail:
        message = error.detail
    else:
        message = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "error"
    if status == 404 and message == "Not Found":
        message = f"no page at {request.url.path}"
    response = _respond(request, status, message)
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    return response


async def _unexpected_error(request: Request, error: Exception) -> Response:
    # The traceback goes to the server log only; the client learns nothing about internals.
    logger.exception("unexpected error on %s %s", request.method, request.url.path,
                     exc_info=error)
    return _respond(request, 500, "internal error: the desk could not complete this request")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TreatyDeskError, _treatydesk_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
