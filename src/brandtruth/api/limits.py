"""Limits on what clients may cost the server: body size, slow requests, open connections."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import h11
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

MAX_BODY_BYTES = 64 * 1024
#: Routes whose schema admits larger bodies, with their own limit. check-copy takes up to 1,000
#: lines of 2,000 characters plus a pasted profile: 4 MiB holds that in ASCII, so only a body its
#: schema refuses anyway (or one of mostly multi-byte text) meets the limit first.
ROUTE_BODY_LIMITS: dict[str, int] = {
    "/workflow/score": 25 * 1024 * 1024,
    "/workflow/check-copy": 4 * 1024 * 1024,
}


class BodySizeLimit:
    """ASGI middleware: checks Content-Length up front and counts streamed bodies too."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = ROUTE_BODY_LIMITS.get(scope.get("path", ""), self.max_bytes)
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


# -- slow clients ---------------------------------------------------------------------------
# uvicorn times out idle keep-alive connections but not a request that trickles in: a client
# sending a byte every few seconds (headers or body) held its connection for as long as it liked.
# `GuardedH11Protocol` gives every request a deadline to arrive in full; `limit_concurrency`
# answers 503 beyond a number of open connections. `server_options()` is what `brandtruth api`
# and the tests run with.

REQUEST_READ_TIMEOUT_SECONDS = 10.0  # headers + body (bodies are at most MAX_BODY_BYTES)
KEEP_ALIVE_SECONDS = 5.0
LIMIT_CONCURRENCY = 1000
MAX_HEADER_BYTES = 16 * 1024

_TIMEOUT_RESPONSE = b"HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol plus a deadline for reading each request (headers and body).

    The deadline starts when the connection opens or the next request's first byte arrives,
    and ends once the request has been read in full; the response (an SSE stream may last hours)
    is not limited by it. A request still incomplete at the deadline gets 408 and is closed.
    """

    read_timeout = REQUEST_READ_TIMEOUT_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._read_deadline is None and self.conn.their_state in (h11.IDLE, h11.SEND_BODY):
            self._arm()  # the first byte of the next request on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            self._disarm()  # read in full (or the connection is done): the response is not timed

    def _arm(self) -> None:
        self._disarm()
        self._read_deadline = self.loop.call_later(self.read_timeout, self._read_timed_out)

    def _disarm(self) -> None:
        if self._read_deadline is not None:
            self._read_deadline.cancel()
            self._read_deadline = None

    def _read_timed_out(self) -> None:
        self._read_deadline = None
        if self.transport.is_closing() or self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            return
        idle_between_requests = self.conn.their_state is h11.IDLE and self.timeout_keep_alive_task is not None
        if idle_between_requests:
            return  # uvicorn's keep-alive timer owns this connection
        if self.conn.our_state in (h11.IDLE, h11.SEND_RESPONSE) and (
            self.cycle is None or not self.cycle.response_started
        ):
            self.transport.write(_TIMEOUT_RESPONSE)
        self.transport.close()


def guarded_protocol(read_timeout: float) -> type[GuardedH11Protocol]:
    """The protocol class with another read deadline (tests use short ones)."""
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {"read_timeout": read_timeout})


def server_options(
    *, read_timeout: float = REQUEST_READ_TIMEOUT_SECONDS, limit_concurrency: int = LIMIT_CONCURRENCY
) -> dict[str, Any]:
    """uvicorn settings that bound slow and numerous clients."""
    return {
        "http": guarded_protocol(read_timeout) if read_timeout != REQUEST_READ_TIMEOUT_SECONDS else GuardedH11Protocol,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "limit_concurrency": limit_concurrency,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
    }
