"""Optional stock imagery from Pexels and Unsplash, used only when their API keys are set.

Stock photos widen the pool when a site has few usable images. They are fetched through the
project's SSRF guard (API calls through a guarded transport, image downloads through `Fetcher`
with its size caps and content checks), validated like site images, stored in the artifact store
under a deterministic name, and carry the photographer attribution the providers require.

Every per-variant match activity runs the same queries (derived from all variants of the run)
and reuses files an earlier activity already stored, so they all see the same pool. A provider
that fails (bad key, rate limit, outage) costs a warning, never the run: stock is optional.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import Any

import httpx

from brandtruth.config import Settings
from brandtruth.errors import BrandTruthError, UnsupportedContentError
from brandtruth.models.brand import ImageAsset
from brandtruth.models.copy import CopyVariant
from brandtruth.stages.match.relevance import tokenize
from brandtruth.storage import ArtifactStore
from brandtruth.web.fetcher import Fetcher
from brandtruth.web.guard import SSRFGuard
from brandtruth.web.transport import GuardedTransport

MAX_JSON_BYTES = 2 * 1024 * 1024
PER_QUERY = 3
MAX_QUERIES = 4
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class StockEndpoints:
    """Search endpoints; tests point them at a loopback server that speaks the same API."""

    pexels: str = "https://api.pexels.com/v1/search"
    unsplash: str = "https://api.unsplash.com/search/photos"


DEFAULT_ENDPOINTS = StockEndpoints()


@dataclass(frozen=True)
class StockPhoto:
    provider: str
    id: str
    page_url: str
    image_url: str
    width: int
    height: int
    alt: str
    attribution: str
    query: str


def queries_for(variants: list[CopyVariant]) -> list[str]:
    """One short keyword query per variant (its headline's first content words), deduplicated."""
    out: list[str] = []
    for v in variants:
        words = [w for w in re.findall(r"[^\W\d_]{3,}", v.headline) if tokenize(w)]
        query = " ".join(words[:3]).lower()
        if query and query not in out:
            out.append(query)
    return out[:MAX_QUERIES]


async def _get_json(client: httpx.AsyncClient, url: str, params: dict[str, str], headers: dict[str, str]) -> Any:
    async with client.stream("GET", url, params=params, headers=headers) as resp:
        if resp.status_code != 200:
            raise UnsupportedContentError(f"HTTP {resp.status_code}")
        body = bytearray()
        async for chunk in resp.aiter_bytes():
            body.extend(chunk)
            if len(body) > MAX_JSON_BYTES:
                raise UnsupportedContentError("search response too large")
    return json.loads(bytes(body))


def _text(value: object, limit: int = 300) -> str:
    return " ".join(str(value).split())[:limit] if isinstance(value, str) else ""


def parse_pexels(data: Any, query: str) -> list[StockPhoto]:
    photos: list[StockPhoto] = []
    for item in data.get("photos", []) if isinstance(data, dict) else []:
        try:
            pid = str(item["id"])
            src = item["src"]
            image_url = src.get("large2x") or src.get("large") or src["original"]
            if not _ID.match(pid) or not isinstance(image_url, str):
                continue
            name = _text(item.get("photographer"), 80) or "unknown"
            photos.append(
                StockPhoto(
                    provider="pexels",
                    id=pid,
                    page_url=_text(item.get("url"), 500),
                    image_url=image_url,
                    width=int(item["width"]),
                    height=int(item["height"]),
                    alt=_text(item.get("alt")),
                    attribution=f"Photo by {name} on Pexels",
                    query=query,
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return photos


def parse_unsplash(data: Any, query: str) -> list[StockPhoto]:
    photos: list[StockPhoto] = []
    for item in data.get("results", []) if isinstance(data, dict) else []:
        try:
            pid = str(item["id"])
            image_url = item["urls"].get("regular") or item["urls"]["full"]
            if not _ID.match(pid) or not isinstance(image_url, str):
                continue
            user = item.get("user") or {}
            name = _text(user.get("name"), 80) or "unknown"
            alt = _text(item.get("alt_description")) or _text(item.get("description"))
            photos.append(
                StockPhoto(
                    provider="unsplash",
                    id=pid,
                    page_url=_text((item.get("links") or {}).get("html"), 500),
                    image_url=image_url,
                    width=int(item["width"]),
                    height=int(item["height"]),
                    alt=alt,
                    attribution=f"Photo by {name} on Unsplash",
                    query=query,
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return photos


async def search(
    settings: Settings, queries: list[str], warnings: list[str], endpoints: StockEndpoints = DEFAULT_ENDPOINTS
) -> list[StockPhoto]:
    """Search every configured provider for every query; failures become warnings."""
    if not queries or not (settings.pexels_api_key or settings.unsplash_access_key):
        return []
    guard = SSRFGuard(settings.allowed_hosts)
    timeout = httpx.Timeout(settings.fetch_timeout_seconds, connect=min(settings.fetch_timeout_seconds, 5.0))
    found: list[StockPhoto] = []
    async with httpx.AsyncClient(transport=GuardedTransport(guard), timeout=timeout, trust_env=False) as client:

        async def one(provider: str, query: str) -> list[StockPhoto]:
            try:
                if provider == "pexels":
                    guard.check_url(endpoints.pexels)
                    data = await _get_json(
                        client,
                        endpoints.pexels,
                        {"query": query, "per_page": str(PER_QUERY)},
                        {"Authorization": settings.pexels_api_key or ""},
                    )
                    return parse_pexels(data, query)
                guard.check_url(endpoints.unsplash)
                data = await _get_json(
                    client,
                    endpoints.unsplash,
                    {"query": query, "per_page": str(PER_QUERY)},
                    {"Authorization": f"Client-ID {settings.unsplash_access_key}", "Accept-Version": "v1"},
                )
                return parse_unsplash(data, query)
            except (BrandTruthError, httpx.HTTPError, ValueError) as exc:
                warnings.append(f"stock search on {provider} for {query!r} failed: {str(exc)[:160]}")
                return []

        jobs = [
            (p, q)
            for q in queries
            for p in ("pexels", "unsplash")
            if (p == "pexels" and settings.pexels_api_key) or (p == "unsplash" and settings.unsplash_access_key)
        ]
        results = await asyncio.gather(*(one(p, q) for p, q in jobs))
    seen: set[tuple[str, str]] = set()
    for batch in results:
        for photo in batch:
            if (photo.provider, photo.id) not in seen:
                seen.add((photo.provider, photo.id))
                found.append(photo)
    return found


async def download(
    settings: Settings, store: ArtifactStore, run_id: str, photos: list[StockPhoto], warnings: list[str]
) -> list[tuple[StockPhoto, ImageAsset]]:
    """Store each photo once per run (reusing a copy another activity stored) as an ImageAsset."""
    out: list[tuple[StockPhoto, ImageAsset]] = []
    if not photos:
        return out
    async with Fetcher(settings, respect_robots=False) as fetcher:
        for photo in photos:
            rel = f"{run_id}/stock/{photo.provider}-{photo.id}.img"
            try:
                if await asyncio.to_thread(store.exists, rel):
                    data = await asyncio.to_thread(store.read, rel)
                else:
                    result = await fetcher.fetch_image(photo.image_url)
                    data = result.body
                ref = await asyncio.to_thread(store.put, rel, data, "application/octet-stream")
            except BrandTruthError as exc:
                warnings.append(f"stock photo {photo.provider}-{photo.id} not downloaded: {exc.message[:160]}")
                continue
            asset = ImageAsset(
                url=photo.page_url or photo.image_url,
                alt=photo.alt,
                context=photo.query,
                section="stock",
                artifact=ref,
            )
            out.append((photo, asset))
    return out
