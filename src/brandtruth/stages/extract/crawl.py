"""Which pages to read besides the start page, and reading them.

A brand's facts are spread over a handful of pages (about, features, pricing, customers, reviews,
FAQ). The crawl reads the start page plus up to `Settings.max_pages` same-site pages linked from it,
chosen by link text or path, best matches first. Pages robots.txt disallows are skipped with a
warning; pages that fail (4xx/5xx/timeouts/non-HTML) are skipped with a warning too — only the start
page is required.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

from brandtruth.errors import BrandTruthError, UnsupportedContentError
from brandtruth.stages.extract.page import Link, same_site
from brandtruth.web.fetcher import FetchedPage, Fetcher

# Topic → words that reveal it in link text or URL path. Order = priority when slots are scarce.
# English first; common German, French, Spanish and Dutch words too, since brands are everywhere.
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "about",
        (
            "about",
            "about us",
            "our story",
            "story",
            "who we are",
            "company",
            "mission",
            "team",
            "über uns",
            "ueber-uns",
            "ueber",
            "uber",
            "wir",
            "geschichte",
            "à propos",
            "a-propos",
            "qui sommes",
            "nosotros",
            "sobre",
            "over ons",
        ),
    ),
    (
        "features",
        (
            "features",
            "feature",
            "how it works",
            "platform",
            "solutions",
            "services",
            "service",
            "leistungen",
            "fonctionnalités",
            "servicios",
            "diensten",
        ),
    ),
    (
        "product",
        (
            "product",
            "products",
            "shop",
            "collection",
            "store",
            "menu",
            "sortiment",
            "produkte",
            "angebot",
            "produits",
            "boutique",
            "productos",
            "tienda",
            "producten",
            "winkel",
        ),
    ),
    ("pricing", ("pricing", "prices", "plans", "plan", "cost", "rates", "preise", "tarifs", "prix", "precios")),
    (
        "customers",
        (
            "customers",
            "customer stories",
            "case studies",
            "case-studies",
            "clients",
            "success",
            "kunden",
            "références",
            "clientes",
            "klanten",
        ),
    ),
    ("testimonials", ("testimonials", "testimonial", "love", "wall of love", "témoignages", "testimonios")),
    ("reviews", ("reviews", "review", "ratings", "bewertungen", "avis", "opiniones", "reseñas", "beoordelingen")),
    ("faq", ("faq", "faqs", "questions", "help", "fragen", "preguntas", "vragen")),
)
_SKIP_PATH = re.compile(
    r"(login|log-in|signin|sign-in|signup|sign-up|register|cart|checkout|account|privacy|terms|legal|cookie|"
    r"careers|jobs|blog/|/tag/|/category/|/author/|/wp-admin|/feed)",
    re.IGNORECASE,
)
_NON_HTML_EXT = re.compile(
    r"\.(pdf|zip|gz|tgz|rar|7z|png|jpe?g|gif|webp|avif|svg|ico|mp4|mov|webm|mp3|wav|css|js|json|xml|txt|"
    r"docx?|xlsx?|pptx?|csv|dmg|exe|woff2?|ttf)$",
    re.IGNORECASE,
)


@dataclass
class CrawlResult:
    pages: list[FetchedPage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def canonical(url: str) -> str:
    """URL without fragment, with an empty path as "/" (for de-duplication)."""
    clean, _ = urldefrag(url)
    parts = urlsplit(clean)
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}{query}"


def topic_of(link: Link) -> tuple[int, str] | None:
    """(priority, topic) if the link's text or path looks like a page worth reading."""
    text = link.text.lower()
    path = urlsplit(link.url).path.lower()
    segments = [s for s in re.split(r"[/._-]+", path) if s]
    for priority, (topic, words) in enumerate(TOPICS):
        for word in words:
            if " " in word:
                if word in text:
                    return priority, topic
            elif word in text.split() or word in segments or text == word:
                return priority, topic
    return None


def choose_links(start_url: str, links: list[Link], limit: int) -> list[str]:
    """Up to `limit` same-site, de-duplicated, HTML-looking links, one per topic first.

    Navigation and header links are preferred over body links (they name the site's sections);
    within a topic the first link in document order wins.
    """
    if limit <= 0:
        return []
    start = canonical(start_url)
    seen: set[str] = {start}
    candidates: list[tuple[int, int, int, str, str]] = []
    for order, link in enumerate(links):
        if not same_site(start_url, link.url):
            continue
        url = canonical(link.url)
        path = urlsplit(url).path
        if url in seen or _NON_HTML_EXT.search(path) or _SKIP_PATH.search(path) or "nofollow" in link.rel:
            continue
        found = topic_of(link)
        if found is None:
            continue
        seen.add(url)
        in_nav = 0 if link.landmark in {"nav", "header"} else 1
        candidates.append((found[0], in_nav, order, found[1], url))
    candidates.sort()
    chosen: list[str] = []
    topics_taken: set[str] = set()
    for _prio, _nav, _order, topic, url in candidates:  # one page per topic first
        if topic not in topics_taken and len(chosen) < limit:
            chosen.append(url)
            topics_taken.add(topic)
    for _prio, _nav, _order, _topic, url in candidates:  # then fill the remaining slots
        if len(chosen) >= limit:
            break
        if url not in chosen:
            chosen.append(url)
    return chosen


async def robots_disallowed(fetcher: Fetcher, start_url: str, links: list[Link], chosen: list[str]) -> list[str]:
    """Same-site links robots.txt disallows (not fetched); reported so the user knows what was left out."""
    seen = {canonical(u) for u in chosen} | {canonical(start_url)}
    out: list[str] = []
    for link in links:
        if not same_site(start_url, link.url):
            continue
        url = canonical(link.url)
        if url in seen:
            continue
        seen.add(url)
        if not await fetcher.allowed_by_robots(url):
            out.append(url)
        if len(seen) > 60:
            break
    return out


async def fetch_pages(fetcher: Fetcher, urls: list[str], *, concurrency: int = 3) -> CrawlResult:
    """Fetch secondary pages concurrently; failures become warnings, never exceptions."""
    result = CrawlResult()
    semaphore = asyncio.Semaphore(concurrency)

    async def one(url: str) -> FetchedPage | None:
        async with semaphore:
            if not await fetcher.allowed_by_robots(url):
                result.warnings.append(f"robots.txt disallows {url}; skipped it")
                result.skipped.append(url)
                return None
            try:
                return await fetcher.fetch_page(url)
            except UnsupportedContentError as exc:
                result.skipped.append(url)
                result.warnings.append(f"skipped {url}: {exc.message}")
            except BrandTruthError as exc:
                result.skipped.append(url)
                result.warnings.append(f"could not read {url}: {exc.message}")
            return None

    pages = await asyncio.gather(*(one(u) for u in urls))
    seen = set()
    for page in pages:
        if page is None:
            continue
        key = canonical(page.url)
        if key in seen:  # two links that redirect to the same page
            continue
        seen.add(key)
        result.pages.append(page)
    return result
