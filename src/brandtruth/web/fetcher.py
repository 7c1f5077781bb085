"""Fetching web pages and images safely and politely: the one HTTP client stages use.

Usage::

    async with Fetcher(settings) as fetcher:
        page = await fetcher.fetch_page("https://brand.example/")      # FetchedPage (decoded HTML)
        logo = await fetcher.fetch_image("https://brand.example/logo.svg")  # FetchResult (bytes)
        css = await fetcher.fetch_text("https://brand.example/site.css", accept=("text/css",))

What it guarantees:

* Every connection (first request, each redirect hop, images, robots.txt) passes the SSRF guard
  (`brandtruth.web.guard`), enforced in the transport so nothing can bypass it.
* Redirects are followed by hand, at most `MAX_REDIRECTS`, each hop re-checked (scheme, guard).
* Size caps are enforced while streaming: a `Content-Length` above the cap is refused before any
  body is read, and a body that grows past the cap (after decompression) is cut off and refused.
  Pages: `MAX_PAGE_BYTES` (5 MB); images: `MAX_IMAGE_BYTES` (10 MB).
* Time: connect/read timeouts from `Settings.fetch_timeout_seconds`, a wall-clock cap per request,
  and a total budget per Fetcher (`Settings.crawl_budget_seconds`) shared by all its requests.
* robots.txt (Protego) is read once per origin; disallowed URLs raise `FetchRejectedError` (callers
  that crawl check `allowed_by_robots` first and record a warning instead).
* gzip/deflate/brotli decoding; HTML decoded by header charset, then `<meta>`, then detection.

Errors (all from `brandtruth.errors`):

* non-retryable (`BadInputError`): `InvalidURLError` (bad URL/scheme), `BlockedAddressError`
  (guard), `FetchRejectedError` (DNS failure, connection refused, TLS failure, HTTP 4xx except 429,
  too many redirects, robots.txt disallow), `UnsupportedContentError` (wrong content type, too big);
* retryable (`TransientError`): `UpstreamUnavailableError` (timeouts, 5xx, dropped connection,
  budget used up), `RateLimitedError` (HTTP 429).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Self
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from protego import Protego

from brandtruth import __version__
from brandtruth.config import Settings
from brandtruth.errors import (
    BrandTruthError,
    FetchRejectedError,
    InvalidURLError,
    RateLimitedError,
    TransientError,
    UnsupportedContentError,
    UpstreamUnavailableError,
)
from brandtruth.web.charset import decode_html
from brandtruth.web.guard import SSRFGuard
from brandtruth.web.transport import GuardedTransport

USER_AGENT = f"BrandTruthBot/{__version__} (+https://brandtruth.example/bot)"
ROBOTS_AGENT = "BrandTruthBot"
MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_TEXT_BYTES = 2 * 1024 * 1024
MAX_ROBOTS_BYTES = 512 * 1024
MAX_REDIRECTS = 5

HTML_TYPES = ("text/html", "application/xhtml+xml")
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_SNIFFABLE = ("", "application/octet-stream", "binary/octet-stream")


@dataclass(frozen=True)
class FetchResult:
    """A complete response body that passed every check."""

    url: str
    """Final URL, after redirects."""
    requested_url: str
    status: int
    content_type: str
    """Media type, lower-cased, without parameters ("" if the server sent none)."""
    headers: Mapping[str, str]
    body: bytes
    fetched_at: datetime
    redirects: tuple[str, ...] = ()


@dataclass(frozen=True)
class FetchedPage:
    """An HTML page, decoded to text."""

    url: str
    requested_url: str
    status: int
    content_type: str
    html: str
    charset: str
    charset_source: str
    """bom, header, meta, detected or default."""
    fetched_at: datetime
    redirects: tuple[str, ...] = ()
    size: int = 0
    content_language: str = ""
    """The Content-Language response header, as sent ("" when absent): one language signal."""


@dataclass
class _RobotsEntry:
    parser: Protego | None
    unreadable: str | None = None


@dataclass
class FetchStats:
    """Requests sent and body bytes accepted by one Fetcher (for logs and tests)."""

    requests: int = 0
    bytes: int = 0


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class Fetcher:
    """An async HTTP client bound to one run: guard, caps, timeouts, budget and robots cache.

    Use as an async context manager (it owns an `httpx.AsyncClient`). Not meant to be shared
    between runs: the time budget starts when the Fetcher is created.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        guard: SSRFGuard | None = None,
        user_agent: str = USER_AGENT,
        budget_seconds: float | None = None,
        respect_robots: bool = True,
        network_backend: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.settings = settings
        self.guard = guard or SSRFGuard(settings.allowed_hosts)
        self.user_agent = user_agent
        self.respect_robots = respect_robots
        self.budget_seconds = budget_seconds if budget_seconds is not None else settings.crawl_budget_seconds
        self._deadline = time.monotonic() + self.budget_seconds
        self._robots: dict[str, _RobotsEntry] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self.stats = FetchStats()
        timeout = settings.fetch_timeout_seconds
        self._client = httpx.AsyncClient(
            transport=GuardedTransport(self.guard, network_backend=network_backend),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": user_agent},
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    # ----------------------------------------------------------------------------------------
    # Public API

    def remaining_budget(self) -> float:
        """Seconds left in this Fetcher's total time budget."""
        return self._deadline - time.monotonic()

    async def fetch_page(self, url: str, *, max_bytes: int = MAX_PAGE_BYTES) -> FetchedPage:
        """GET an HTML page (robots.txt permitting) and decode it.

        Raises UnsupportedContentError if the response is not HTML (a missing Content-Type is
        accepted when the body starts like HTML).
        """
        result = await self.fetch(
            url,
            max_bytes=max_bytes,
            accept=HTML_TYPES,
            accept_header="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            what="page",
        )
        if result.content_type not in HTML_TYPES and not _looks_like_html(result.body):
            raise UnsupportedContentError(
                f"{result.url} is not an HTML page (Content-Type {result.content_type or 'missing'})"
            )
        raw_type = result.headers.get("content-type")
        if len(result.body) > 262_144:
            html, charset, source = await asyncio.to_thread(decode_html, result.body, raw_type)
        else:
            html, charset, source = decode_html(result.body, raw_type)
        return FetchedPage(
            url=result.url,
            requested_url=result.requested_url,
            status=result.status,
            content_type=result.content_type or "text/html",
            html=html,
            charset=charset,
            charset_source=source,
            fetched_at=result.fetched_at,
            redirects=result.redirects,
            size=len(result.body),
            content_language=result.headers.get("content-language", "")[:100],
        )

    async def fetch_image(self, url: str, *, max_bytes: int = MAX_IMAGE_BYTES) -> FetchResult:
        """GET an image. Accepts `image/*`; an untyped or octet-stream body is returned too, for the
        caller to validate by decoding it (Pillow). Any other declared type is refused."""
        return await self.fetch(
            url,
            max_bytes=max_bytes,
            accept=("image/",),
            allow_untyped=True,
            accept_header="image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8",
            what="image",
        )

    async def fetch_text(
        self, url: str, *, accept: tuple[str, ...], max_bytes: int = MAX_TEXT_BYTES
    ) -> tuple[FetchResult, str]:
        """GET a small text resource such as a stylesheet; returns the result and its decoded text."""
        result = await self.fetch(url, max_bytes=max_bytes, accept=accept, allow_untyped=True, what="resource")
        text, _, _ = decode_html(result.body, result.headers.get("content-type"))
        return result, text

    async def allowed_by_robots(self, url: str) -> bool:
        """Whether robots.txt of the URL's origin lets BrandTruthBot fetch it.

        A missing robots.txt (4xx) allows everything; an unreadable one (5xx, timeout) also allows
        (`robots_unreadable` tells crawlers to stay on the start page in that case).
        """
        if not self.respect_robots:
            return True
        entry = await self._robots_for(url)
        if entry.parser is None:
            return True
        return bool(entry.parser.can_fetch(url, ROBOTS_AGENT))

    async def robots_unreadable(self, url: str) -> str | None:
        """Why robots.txt of this origin could not be read (e.g. "HTTP 503"), or None."""
        if not self.respect_robots:
            return None
        return (await self._robots_for(url)).unreadable

    async def fetch(
        self,
        url: str,
        *,
        max_bytes: int,
        accept: tuple[str, ...],
        allow_untyped: bool = False,
        accept_header: str = "*/*",
        what: str = "resource",
        check_robots: bool = True,
    ) -> FetchResult:
        """GET `url` following at most MAX_REDIRECTS guarded redirects, with size and type checks.

        `accept` holds media types, prefixes ending in "/" (e.g. "image/") or "*/*". With
        `allow_untyped`, a missing or octet-stream Content-Type is let through for sniffing.
        """
        self.guard.check_url(url)
        if check_robots and self.respect_robots and not await self.allowed_by_robots(url):
            raise FetchRejectedError(f"robots.txt of {origin_of(url)} disallows fetching {url}")
        remaining = self.remaining_budget()
        if remaining <= 0:
            raise UpstreamUnavailableError(
                f"the fetch time budget of {self.budget_seconds:g}s is used up; not fetching {url}"
            )
        per_request = min(remaining, self.settings.fetch_timeout_seconds * 2)
        try:
            async with asyncio.timeout(per_request):
                return await self._fetch(url, max_bytes, accept, allow_untyped, accept_header, what)
        except TimeoutError as exc:
            raise UpstreamUnavailableError(f"timed out after {per_request:.1f}s fetching {url}") from exc

    # ----------------------------------------------------------------------------------------
    # Internals

    async def _fetch(
        self,
        url: str,
        max_bytes: int,
        accept: tuple[str, ...],
        allow_untyped: bool,
        accept_header: str,
        what: str,
    ) -> FetchResult:
        current = url
        redirects: list[str] = []
        for _hop in range(MAX_REDIRECTS + 1):
            self.guard.check_url(current)
            try:
                request = self._client.build_request("GET", current, headers={"Accept": accept_header})
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
                raise InvalidURLError(f"cannot fetch {current[:200]!r}: {exc}") from exc
            response = await self._send(request, current)
            try:
                self.stats.requests += 1
                location = response.headers.get("location")
                if response.status_code in _REDIRECT_CODES and location:
                    current = urljoin(str(response.url), location.strip())
                    redirects.append(current)
                    continue
                _raise_for_status(response.status_code, current, what)
                ctype = media_type(response.headers.get("content-type"))
                if not _accepted(ctype, accept, allow_untyped):
                    raise UnsupportedContentError(
                        f"{current} is {ctype or 'of unknown type'}, not the expected {what} ({', '.join(accept)})"
                    )
                declared = response.headers.get("content-length")
                if declared is not None and declared.strip().isdigit() and int(declared) > max_bytes:
                    raise UnsupportedContentError(
                        f"{current} declares {int(declared):,} bytes, more than the "
                        f"{max_bytes:,}-byte limit for {_a(what)}"
                    )
                body = bytearray()
                try:
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise UnsupportedContentError(
                                f"{current} is larger than the {max_bytes:,}-byte limit for {_a(what)}"
                            )
                except httpx.TimeoutException as exc:
                    raise UpstreamUnavailableError(f"timed out reading {current}") from exc
                except httpx.DecodingError as exc:
                    raise UnsupportedContentError(f"{current} sent a body that cannot be decoded: {exc}") from exc
                except httpx.TransportError as exc:
                    raise UpstreamUnavailableError(f"the connection dropped while reading {current}: {exc}") from exc
                self.stats.bytes += len(body)
                return FetchResult(
                    url=str(response.url),
                    requested_url=url,
                    status=response.status_code,
                    content_type=ctype,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    body=bytes(body),
                    fetched_at=datetime.now(UTC),
                    redirects=tuple(redirects),
                )
            finally:
                await response.aclose()
        raise FetchRejectedError(f"{url} redirects more than {MAX_REDIRECTS} times (last hop: {current})")

    async def _send(self, request: httpx.Request, url: str) -> httpx.Response:
        try:
            return await self._client.send(request, stream=True)
        except BrandTruthError:
            raise
        except httpx.TimeoutException as exc:
            raise UpstreamUnavailableError(f"timed out connecting to or waiting for {url}") from exc
        except httpx.ConnectError as exc:
            host = request.url.host
            port = request.url.port or (443 if request.url.scheme == "https" else 80)
            raise FetchRejectedError(f"could not connect to {host}:{port} for {url}: {_reason(exc)}") from exc
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise UpstreamUnavailableError(f"the connection to {request.url.host} failed for {url}: {exc}") from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, httpx.LocalProtocolError) as exc:
            raise InvalidURLError(f"cannot fetch {url[:200]!r}: {exc}") from exc
        except httpx.TransportError as exc:
            raise UpstreamUnavailableError(f"network error fetching {url}: {exc}") from exc

    def _lock_for(self, origin: str) -> asyncio.Lock:
        lock = self._robots_locks.get(origin)
        if lock is None:
            lock = self._robots_locks[origin] = asyncio.Lock()
        return lock

    async def _robots_for(self, url: str) -> _RobotsEntry:
        origin = origin_of(url)
        cached = self._robots.get(origin)
        if cached is not None:
            return cached
        async with self._lock_for(origin):
            cached = self._robots.get(origin)
            if cached is not None:
                return cached
            entry = await self._load_robots(origin)
            self._robots[origin] = entry
            return entry

    async def _load_robots(self, origin: str) -> _RobotsEntry:
        robots_url = f"{origin}/robots.txt"
        try:
            result = await self.fetch(
                robots_url,
                max_bytes=MAX_ROBOTS_BYTES,
                accept=("text/", "application/octet-stream"),
                allow_untyped=True,
                what="robots.txt",
                check_robots=False,
            )
        except (FetchRejectedError, UnsupportedContentError):
            # 4xx, or not a text file: RFC 9309 says there are no restrictions.
            return _RobotsEntry(parser=None)
        except TransientError as exc:
            return _RobotsEntry(parser=None, unreadable=exc.message)
        text = result.body.decode("utf-8", errors="replace")
        try:
            return _RobotsEntry(parser=Protego.parse(text))
        except Exception:  # a malformed robots.txt restricts nothing
            return _RobotsEntry(parser=None)


def _accepted(ctype: str, accept: tuple[str, ...], allow_untyped: bool) -> bool:
    if "*/*" in accept:
        return True
    if allow_untyped and ctype in _SNIFFABLE:
        return True
    if not ctype and any(a in HTML_TYPES for a in accept):
        return True  # fetch_page sniffs the body
    return any(ctype.startswith(a) if a.endswith("/") else ctype == a for a in accept)


def _raise_for_status(status: int, url: str, what: str) -> None:
    if 200 <= status < 300:
        return
    reason = httpx.codes.get_reason_phrase(status) or "error"
    if status == 429:
        raise RateLimitedError(f"{url} answered HTTP 429 Too Many Requests")
    if status >= 500:
        raise UpstreamUnavailableError(f"{url} answered HTTP {status} {reason}; the server may recover")
    raise FetchRejectedError(f"{url} answered HTTP {status} {reason} for the {what}")


def _reason(exc: httpx.ConnectError) -> str:
    text = str(exc)
    lowered = text.lower()
    if "refused" in lowered or "errno 111" in lowered:
        return "connection refused"
    if "certificate" in lowered or "ssl" in lowered:
        return f"TLS failure ({text})"
    return text or "connection failed"


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head
