"""Refuse oversized request bodies with 413 before they are read into memory."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 64 * 1024
#: Routes that take uploads, with their own (larger) limit.
UPLOAD_LIMITS: dict[str, int] = {"/workflow/score": 25 * 1024 * 1024}


class BodySizeLimit:
    """ASGI middleware: checks Content-Length up front and counts streamed bodies too."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = UPLOAD_LIMITS.get(scope.get("path", ""), self.max_bytes)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._reject(send, limit)
            return
        seen = 0
        rejected = False

        async def guarded_receive() -> Message:
            # A chunked body has no Content-Length: count it, answer 413 as soon as it is too
            # large, and tell the app the client went away so it stops reading.
            nonlocal seen, rejected
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    rejected = True
                    await self._reject(send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not rejected:
                await send(message)

        await self.app(scope, guarded_receive, guarded_send)

    async def _reject(self, send: Send, limit: int) -> None:
        body = json.dumps(
            {"error": "payload_too_large", "detail": f"Request body is larger than {limit} bytes."}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
