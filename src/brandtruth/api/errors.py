"""Errors the routes raise, each mapping to one HTTP status with a JSON body."""

from __future__ import annotations

from brandtruth.pipeline.errors import ApprovalInvalid, BackendUnavailable, RunConflict, RunError
from brandtruth.pipeline.errors import RunNotFound as RunNotFound_


class ApiError(Exception):
    status_code = 500
    code = "internal_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RunNotFound(ApiError):
    status_code = 404
    code = "not_found"


class Conflict(ApiError):
    status_code = 409
    code = "conflict"


class Invalid(ApiError):
    status_code = 422
    code = "invalid"


class Unavailable(ApiError):
    """The backend that owns this run cannot answer right now (e.g. Temporal down)."""

    status_code = 503
    code = "unavailable"


_HTTP_OF: tuple[tuple[type[RunError], type[ApiError]], ...] = (
    (RunNotFound_, RunNotFound),
    (RunConflict, Conflict),
    (ApprovalInvalid, Invalid),
    (BackendUnavailable, Unavailable),
)


def to_http(exc: RunError) -> ApiError:
    """The one place a backend's refusal becomes an HTTP status."""
    for kind, api_error in _HTTP_OF:
        if isinstance(exc, kind):
            return api_error(exc.message)
    return ApiError(exc.message)
