"""The brand's name: the organisation's, never a file name or the title of an article.

Precedence (first available wins; confidence in brackets): JSON-LD Organization/WebSite name
(0.95) › og:site_name (0.9) › application-name (0.8) › the title segment shared by all pages (0.7) ›
the header logo's accessible name (the home link's label or its logo's alt text) (0.65) › the
start page title's brand segment (0.5) › the domain name (0.3).

A candidate that reads like a file name ("audiense_logotype_black", "logo-header.png") is
skipped. A one-segment title is a brand only on the home page: on any other page it is the page's
own title ("awk driven IoT"), so the domain is used instead. When the name had to come from the
title or the domain, a warning says which organisation signals were missing.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from brandtruth.models.brand import FieldSource
from brandtruth.stages.extract.page import PageDoc
from brandtruth.stages.extract.structured import StructuredData, organization, text_of

_TITLE_SPLIT = re.compile(r"\s+[|\-–—·•:]\s+|\s*[|·•]\s*")
# Titles app shells and templates ship with; they name nothing.
_PLACEHOLDER = re.compile(
    r"^(loading|loading\.\.\.|react app|vite app|vue app|next\.js app|untitled|document|home|homepage|index|"
    r"welcome|app|new page|my site|website)[\W]*$",
    re.IGNORECASE,
)
_FILE_LIKE = re.compile(r"_|\.(?:png|jpe?g|svg|webp|gif|avif)\b|^\S*-(?:logo|logotype|icon|header)\S*$", re.I)
_LOGO_WORDS = re.compile(r"\b(?:logo(?:type)?|wordmark|home ?page|home|startseite|inicio|accueil)\b", re.I)
MISSING_ORG_SIGNALS = "no Organization/WebSite structured data, og:site_name or named header logo was found"


def _source(sources: dict[str, FieldSource], source: str, confidence: float) -> None:
    sources["brand_name"] = FieldSource(source=source, confidence=confidence)


def title_parts(title: str) -> list[str]:
    return [p.strip() for p in _TITLE_SPLIT.split(title) if p.strip() and not _PLACEHOLDER.match(p.strip())]


def domain_name(url: str) -> str:
    """ "acme-coffee.com" → "Acme Coffee"; "" for IP addresses and single-label hosts (no name there)."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if not host or "." not in host or host.replace(".", "").isdigit() or ":" in host:
        return ""
    return host.split(".")[0].replace("-", " ").title()


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def usable_name(text: str) -> str:
    """`text` as a brand name, or "" when it reads like a file name or a sentence."""
    name = " ".join(text.split()).strip(" -–|·:")
    if not name or _FILE_LIKE.search(name):
        return ""
    name = _LOGO_WORDS.sub("", name).strip(" -–|·:")
    if not name or len(name.split()) > 5 or name[-1:] in ".!?":
        return ""
    return name[:120]


def _is_home(url: str) -> bool:
    return urlsplit(url).path.rstrip("/") in ("", "/index.html", "/index.php")


def header_logo_name(doc: PageDoc) -> str:
    """The accessible name of the header's logo: the home link's text or label, or the logo's alt."""
    host = urlsplit(doc.url).hostname
    for link in doc.links:
        if link.landmark in ("header", "nav", "") and urlsplit(link.url).hostname == host and _is_home(link.url):
            cue = f"{link.hints} {' '.join(link.classes)}"
            if ("logo" in cue or "brand" in cue) and (name := usable_name(link.text)):
                return name
    for image in doc.images:
        cue = f"{image.hints} {image.src}".lower()
        in_home_link = bool(image.in_link_href) and _is_home(image.in_link_href)
        logo_like = ("logo" in cue or in_home_link) and image.landmark in ("header", "nav", "")
        if logo_like and (name := usable_name(image.alt)):
            return name
    return ""


def _title_brand(doc: PageDoc) -> str:
    """The brand segment of the title: the segment that matches the domain, else the shortest
    trailing one; a one-segment title only on the home page."""
    parts = title_parts(doc.title)
    if not parts:
        return ""
    domain = _letters(domain_name(doc.url))
    for part in parts:
        if domain and _letters(part) and (_letters(part) in domain or domain in _letters(part)):
            return usable_name(part)
    if len(parts) == 1:
        return usable_name(parts[0]) if _is_home(doc.url) and len(parts[0].split()) <= 4 else ""
    short = [p for p in parts if len(p.split()) <= 4]
    return usable_name(short[-1] if short else "")


def choose_brand_name(
    docs: list[PageDoc],
    structured: list[StructuredData],
    sources: dict[str, FieldSource],
    warnings: list[str] | None = None,
) -> str:
    start = docs[0]
    org = organization(structured[0]) if structured else None
    if org is not None and (name := text_of(org.get("name"))[:120]):
        _source(sources, "json-ld", 0.95)
        return name
    site_name = structured[0].opengraph.get("og:site_name") if structured else None
    app_name = start.meta.get("application-name") or start.meta.get("apple-mobile-web-app-title") or ""
    for value, label, conf in (
        (site_name or start.meta.get("og:site_name", ""), "og:site_name", 0.9),
        (app_name, "meta application-name", 0.8),
    ):
        if name := usable_name(value):
            _source(sources, label, conf)
            return name
    titled = [title_parts(d.title) for d in docs if d.title]
    if len(titled) >= 2:
        common = Counter(p for parts in titled for p in set(parts))
        shared = [p for p, n in common.most_common() if n == len(titled) and len(p.split()) <= 5]
        if shared and (name := usable_name(shared[0])):
            _source(sources, "title (shared by every page)", 0.7)
            return name
    if name := header_logo_name(start):
        _source(sources, "header logo's accessible name", 0.65)
        return name
    note = warnings.append if warnings is not None else (lambda _: None)
    if name := _title_brand(start):
        _source(sources, "title", 0.5)
        note(f"brand name {name!r} taken from the page title: {MISSING_ORG_SIGNALS}")
        return name
    name = domain_name(start.url)
    if name:
        _source(sources, "domain", 0.3)
        note(f"brand name {name!r} taken from the domain: {MISSING_ORG_SIGNALS}")
    else:
        note(f"no brand name found: {MISSING_ORG_SIGNALS}, and the address has no domain name")
    return name
