"""Refuse oversized request bodies before they are read: a pure ASGI middleware.

A declared Content-Length above the limit is answered 413 at once, without reading the body.
A body without a length (chunked) is counted as it streams; the read that crosses the limit
ends the body for the handler, and the same 413 replaces whatever it would have answered.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from treatydesk.web.errors import API_PREFIX, error_body


class BodySizeLimit:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = None
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                declared = value
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.max_body_bytes:
                await self._refuse(scope, send)
                return
        limit = self.max_body_bytes
        seen = 0
        exceeded = False
        started = False

        async def counted_receive() -> Message:
            nonlocal seen, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # the handler sees a disconnect and stops reading; the 413 is sent below
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # whatever the handler answers to the cut-off body is replaced
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counted_receive, guarded_send)
        if exceeded and not started:
            await self._refuse(scope, send)

    def _message(self) -> str:
        return f"the request body is larger than the {self.max_body_bytes} byte limit"

    async def _refuse(self, scope: Scope, send: Send) -> None:
        path: str = scope.get("path", "")
        if path.startswith(API_PREFIX):
            body = json.dumps(error_body(self._message())).encode()
            media = b"application/json"
        else:
            body = (f"<!doctype html><title>Error 413</title><h1>Error 413</h1>"
                    f"<p>{self._message()}</p>").encode()
            media = b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", media), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
