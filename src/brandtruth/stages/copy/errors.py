"""Errors of the LLM copy generators, mapped onto the project's retryable/non-retryable split.

The SDK clients are built with `max_retries=0`: Temporal's retry policy is the only retry
layer, so a 429/529 or a timeout surfaces at once as a `TransientError` subclass, and a request
the provider rejects (bad key, unknown model, invalid request) as a `BadInputError` subclass,
which no retry can fix.
"""

from __future__ import annotations

from brandtruth.errors import BadInputError, RateLimitedError, TransientError, UpstreamUnavailableError


class LLMRequestRejectedError(BadInputError):
    """The provider refused the request (401/403 bad key, 400/404/422 bad model or request).

    Non-retryable: it subclasses `BadInputError`, and `retryable` is False.
    """


def map_status_error(provider: str, status: int, detail: str) -> Exception:
    """The project error for an HTTP error status from an LLM provider."""
    detail = " ".join(detail.split())[:300]
    if status in (429, 529):
        return RateLimitedError(f"{provider} is rate limiting or overloaded (HTTP {status}): {detail}")
    if status in (408, 409) or status >= 500:
        return UpstreamUnavailableError(f"{provider} is unavailable (HTTP {status}): {detail}")
    if status in (401, 403):
        return LLMRequestRejectedError(
            f"{provider} rejected the API key (HTTP {status}); check the configured key: {detail}"
        )
    return LLMRequestRejectedError(f"{provider} rejected the request (HTTP {status}): {detail}")


def timeout_error(provider: str, seconds: float) -> TransientError:
    return UpstreamUnavailableError(f"{provider} did not answer within {seconds:g} s")


def connection_error(provider: str, detail: str) -> TransientError:
    return UpstreamUnavailableError(f"could not reach {provider}: {detail}")
