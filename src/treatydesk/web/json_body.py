"""JSON request bodies are read by the CLI's strict decoder (`decode_json`), not FastAPI's.

FastAPI's parser lets the last of two equal keys win and accepts NaN and Infinity; a request the
CLI refuses must not be accepted by the API. StrictJsonRoute gives its handler a request whose
`json()` is `decode_json`, so every body route of a router made with
`APIRouter(route_class=StrictJsonRoute)` is covered; FastAPI still decides when a body is JSON
(its content type) and validates the result against the route's model, and the OpenAPI document
is unchanged. A refused body answers the decoder's own error (422 naming `body:LINE:COLUMN`,
or 413 above its size limit, which is below BodySizeLimit's but above any body the API can
accept) in the API's one error shape.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute

from treatydesk.cooperation.request import decode_json
from treatydesk.errors import TreatyDeskError

#: how the decoder's messages name the body, as FastAPI's validation errors do (`body.title`)
SOURCE = "body"


class _BodyRefused(HTTPException):
    """Carries the decoder's error out of FastAPI's body reading, which turns any exception
    but an HTTPException into a bare 400 "There was an error parsing the body"."""

    def __init__(self, error: TreatyDeskError) -> None:
        super().__init__(status_code=error.http_status, detail=error.message)
        self.error = error


class _StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_strict_json"):
            try:
                self._strict_json = decode_json(await self.body(), source=SOURCE)
            except TreatyDeskError as error:
                raise _BodyRefused(error) from error
        return self._strict_json


class StrictJsonRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            try:
                return await handler(_StrictJsonRequest(request.scope, request.receive))
            except _BodyRefused as refused:
                raise refused.error from None

        return strict_handler
