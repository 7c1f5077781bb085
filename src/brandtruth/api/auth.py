"""Optional auth for `/workflow` (enabled by BRANDTRUTH_API_KEY): a bearer key, or a browser session.

Scripts send `Authorization: Bearer <key>`. A browser signs in once (`POST /workflow/session` with
the key) and gets an HttpOnly, SameSite=Strict cookie holding an expiry and an HMAC of it made with
the key, so images, the event stream and downloads are authorised without the key (or any token)
ever appearing in a URL, the access log or the browser history. Changing the key ends every session.
The key itself in a query string is refused, so it cannot leak that way by habit either.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Request, Response, status
from pydantic import BaseModel, Field

from brandtruth.api.schemas import ErrorResponse

SESSION_COOKIE = "brandtruth_session"
SESSION_SECONDS = 12 * 3600
SESSION_PATH = "/workflow"
URL_SECRET_PARAMS = ("access_token", "api_key", "apikey", "key", "token")
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


def _sign(key: str, expires: int) -> str:
    return hmac.new(key.encode(), f"brandtruth-session|{expires}".encode(), hashlib.sha256).hexdigest()


def session_value(key: str, now: float | None = None) -> str:
    """A cookie value that proves the holder knew `key`, valid for SESSION_SECONDS."""
    expires = int((time.time() if now is None else now) + SESSION_SECONDS)
    return f"{expires}.{_sign(key, expires)}"


def session_is_valid(key: str, value: str, now: float | None = None) -> bool:
    expires_text, _, signature = value.partition(".")
    if not expires_text.isdigit() or not signature:
        return False
    expires = int(expires_text)
    if expires < (time.time() if now is None else now):
        return False
    return hmac.compare_digest(signature.encode(), _sign(key, expires).encode())


def _same_origin(request: Request) -> bool:
    """A cookie-authorised change must come from this origin's own pages (CSRF, also from other ports)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not sent by a browser's cross-origin request
    hosts = [request.headers.get("host", ""), request.headers.get("x-forwarded-host", "")]  # behind a proxy
    return any(origin in (f"http://{h}", f"https://{h}") for h in hosts if h)


async def require_api_key(request: Request) -> None:
    """401 unless the request carries the key as a bearer token or a valid session cookie."""
    expected: str | None = request.app.state.settings.api_key
    if not expected:
        return
    if any(name in request.query_params for name in URL_SECRET_PARAMS):
        raise _unauthorized(
            "Never put the API key in a URL (it ends up in logs and browser history): send "
            "'Authorization: Bearer <BRANDTRUTH_API_KEY>', or sign in with POST /workflow/session."
        )
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        if hmac.compare_digest(header[7:].strip().encode(), expected.encode()):
            return
        raise _unauthorized("Wrong API key.")
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and session_is_valid(expected, cookie):
        if request.method not in _SAFE_METHODS and not _same_origin(request):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Cross-origin request refused.")
        return
    raise _unauthorized(
        "Your session has expired: sign in again."
        if cookie
        else "Missing API key: send 'Authorization: Bearer <BRANDTRUTH_API_KEY>'."
    )


class SessionRequest(BaseModel):
    key: str = Field(min_length=1, max_length=1000, description="The server's BRANDTRUTH_API_KEY")


session_router = APIRouter(prefix="/workflow", tags=["session"])


@session_router.post(
    "/session",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={
        401: {"model": ErrorResponse, "description": "Wrong key"},
        403: {"model": ErrorResponse, "description": "Cross-origin sign-in refused"},
        422: {"model": ErrorResponse, "description": "Invalid input"},
    },
)
async def sign_in(request: Request, body: Annotated[SessionRequest, Body()]) -> Response:
    """Exchange the API key for an HttpOnly session cookie (what the web UI does once per browser)."""
    expected: str | None = request.app.state.settings.api_key
    if not _same_origin(request):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Cross-origin sign-in refused.")
    response = Response(status_code=status.HTTP_204_NO_CONTENT, headers={"Cache-Control": "no-store"})
    if not expected:
        return response  # nothing to sign in to
    if not hmac.compare_digest(body.key.strip().encode(), expected.encode()):
        raise _unauthorized("That key was not accepted.")
    response.set_cookie(
        SESSION_COOKIE,
        session_value(expected),
        max_age=SESSION_SECONDS,
        path=SESSION_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@session_router.delete("/session", status_code=status.HTTP_204_NO_CONTENT)
async def sign_out() -> Response:
    """Forget this browser's session."""
    response = Response(status_code=status.HTTP_204_NO_CONTENT, headers={"Cache-Control": "no-store"})
    response.delete_cookie(SESSION_COOKIE, path=SESSION_PATH, httponly=True, samesite="strict")
    return response


_SECRET_IN_QUERY = re.compile(r"([?&](?:" + "|".join(URL_SECRET_PARAMS) + r")=)[^&\s\"]*", re.IGNORECASE)


class RedactSecretsInUrls(logging.Filter):
    """Replace the values of key-like query parameters in access-log lines with `***`."""

    def filter(self, record: logging.LogRecord) -> bool:
        args: Any = record.args
        if isinstance(args, tuple):
            record.args = tuple(_SECRET_IN_QUERY.sub(r"\1***", a) if isinstance(a, str) else a for a in args)
        elif isinstance(record.msg, str):
            record.msg = _SECRET_IN_QUERY.sub(r"\1***", record.msg)
        return True


def redact_access_log(logger_name: str = "uvicorn.access") -> None:
    """Install the redacting filter once on the access logger."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, RedactSecretsInUrls) for f in logger.filters):
        logger.addFilter(RedactSecretsInUrls())
