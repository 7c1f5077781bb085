"""Errors the routes raise, each mapping to one HTTP status with a JSON body."""

from __future__ import annotations


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
