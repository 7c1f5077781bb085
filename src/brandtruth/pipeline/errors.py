"""Why a request about a run cannot be served, independent of how it was asked.

Both backends (Temporal and the in-process fallback) raise these; only the API turns them into
HTTP statuses (`brandtruth.api.errors.to_http`). The workflow raises the approval errors by class
name as `ApplicationError` types, so a client can rebuild the same error on its side.
"""

from __future__ import annotations


class RunError(Exception):
    """A run-level refusal carrying a message meant for the person who asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RunNotFound(RunError):
    """No run with this id in the backend asked."""


class RunConflict(RunError):
    """The run's state does not allow this now (e.g. it has already ended)."""


class ApprovalConflict(RunConflict):
    """Not awaiting approval, or a decision is already recorded or queued."""


class ApprovalInvalid(RunError):
    """The approval names variants the run does not have."""


class BackendUnavailable(RunError):
    """The backend that owns the run cannot answer right now (e.g. Temporal is down)."""


APPROVAL_ERRORS: dict[str, type[RunError]] = {cls.__name__: cls for cls in (ApprovalConflict, ApprovalInvalid)}
