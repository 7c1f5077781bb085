"""Typed errors raised by stage code.

Stages never retry on their own: Temporal's retry policy (or the fallback orchestrator's single
attempt) decides. What matters is the split below, which activities turn into retryable or
non-retryable Temporal failures.
"""

from __future__ import annotations


class BrandTruthError(Exception):
    """Base for every error this package raises on purpose."""

    retryable: bool = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInputError(BrandTruthError):
    """The input cannot succeed however often it is retried."""


class InvalidURLError(BadInputError):
    """Not an http(s) URL, or malformed."""


class BlockedAddressError(BadInputError):
    """The SSRF guard refused the host or the address it resolves to."""


class FetchRejectedError(BadInputError):
    """The site answered with a client error, DNS failed, or the connection was refused."""


class UnsupportedContentError(BadInputError):
    """The response is not something the stage can use (not HTML, not an image, too large)."""


class TransientError(BrandTruthError):
    """Worth retrying: timeouts, 5xx, 429, provider overload."""

    retryable = True


class UpstreamUnavailableError(TransientError):
    """The site or a provider timed out or answered 5xx."""


class RateLimitedError(TransientError):
    """A provider asked us to slow down (HTTP 429/529)."""


def non_retryable_error_types() -> list[str]:
    """Names of every loaded `BrandTruthError` class that must not be retried, sorted.

    Derived from the class tree rather than kept by hand, so an error class added in a stage
    (e.g. `stages/copy/errors.py`) is covered as soon as its module is imported; the worker imports
    every stage before it schedules anything.
    """
    found: set[str] = set()
    pending: list[type[BrandTruthError]] = [BrandTruthError]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if not cls.retryable:
            found.add(cls.__name__)
    return sorted(found)
