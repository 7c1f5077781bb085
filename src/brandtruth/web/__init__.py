"""Safe network access for every stage: the SSRF guard and the polite, capped fetcher.

`Fetcher` (in `fetcher.py`) is the entry point; `SSRFGuard` (in `guard.py`) decides which
addresses may be reached and is enforced inside the fetcher's transport (`transport.py`).
"""

from brandtruth.web.fetcher import (
    MAX_IMAGE_BYTES,
    MAX_PAGE_BYTES,
    MAX_REDIRECTS,
    USER_AGENT,
    FetchedPage,
    Fetcher,
    FetchResult,
)
from brandtruth.web.guard import SSRFGuard, classify, parse_ip_literal, parse_ipv4_spelling

__all__ = [
    "MAX_IMAGE_BYTES",
    "MAX_PAGE_BYTES",
    "MAX_REDIRECTS",
    "USER_AGENT",
    "FetchResult",
    "FetchedPage",
    "Fetcher",
    "SSRFGuard",
    "classify",
    "parse_ip_literal",
    "parse_ipv4_spelling",
]
