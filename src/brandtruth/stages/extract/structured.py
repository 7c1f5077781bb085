"""Structured data a site publishes about itself: JSON-LD, OpenGraph and microdata (via extruct).

Structured data is the brand's own machine-readable statement of its name, logo, slogan and ratings,
so it outranks heuristics on visible text. It is not visible text, though, so it never serves as
evidence quote by itself: ratings found here look for their number in the page text for evidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import extruct

from brandtruth.stages.extract.page import normalise_ws

ORG_TYPES = frozenset(
    {
        "organization",
        "corporation",
        "brand",
        "localbusiness",
        "onlinestore",
        "store",
        "website",
        "professionalservice",
        "homeandconstructionbusiness",
        "restaurant",
        "foodestablishment",
        "medicalbusiness",
        "healthandbeautybusiness",
        "automotivebusiness",
        "legalservice",
        "financialservice",
        "educationalorganization",
        "sportsactivitylocation",
        "lodgingbusiness",
    }
)


@dataclass
class StructuredData:
    """Flattened structured data of one page."""

    items: list[dict[str, Any]] = field(default_factory=list)
    """Every JSON-LD and microdata object (incl. nested ones and @graph members), document order."""
    opengraph: dict[str, str] = field(default_factory=dict)
    types: list[str] = field(default_factory=list)
    """Lower-cased schema.org types seen (without namespace), for the industry guess."""

    def of_type(self, *types: str) -> Iterator[dict[str, Any]]:
        wanted = {t.lower() for t in types}
        for item in self.items:
            if wanted & set(item_types(item)):
                yield item


def item_types(item: dict[str, Any]) -> list[str]:
    raw = item.get("@type") or item.get("type") or []
    values = raw if isinstance(raw, list) else [raw]
    out = []
    for v in values:
        if isinstance(v, str):
            out.append(v.rsplit("/", 1)[-1].lower())
    return out


def _walk(value: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 12:
        return
    if isinstance(value, dict):
        out.append(value)
        for key, child in value.items():
            if key in {"@context"}:
                continue
            _walk(child, out, depth + 1)
    elif isinstance(value, list):
        for child in value[:200]:
            _walk(child, out, depth + 1)


def _uniform_microdata(item: Any) -> Any:
    """extruct's microdata shape ({"type", "properties"}) → JSON-LD-like dicts."""
    if isinstance(item, dict) and "properties" in item:
        merged: dict[str, Any] = {"@type": item.get("type")}
        for key, value in (item.get("properties") or {}).items():
            merged[key] = _uniform_microdata(value)
        return merged
    if isinstance(item, list):
        return [_uniform_microdata(v) for v in item]
    return item


def extract_structured(html: str, url: str) -> StructuredData:
    """Run extruct for the syntaxes the page actually uses (skipping the others saves time)."""
    syntaxes = []
    if "application/ld+json" in html:
        syntaxes.append("json-ld")
    if "og:" in html:
        syntaxes.append("opengraph")
    if "itemscope" in html:
        syntaxes.append("microdata")
    data = StructuredData()
    if not syntaxes:
        return data
    try:
        raw = extruct.extract(html, base_url=url, syntaxes=syntaxes, errors="ignore")
    except Exception:  # extruct raises on some malformed documents; structured data is optional
        return data
    items: list[dict[str, Any]] = []
    for block in raw.get("json-ld") or []:
        _walk(block, items)
    for block in raw.get("microdata") or []:
        _walk(_uniform_microdata(block), items)
    data.items = items
    for og in raw.get("opengraph") or []:
        for key, value in og.get("properties") or []:
            if isinstance(key, str) and isinstance(value, str):
                data.opengraph.setdefault(key.lower(), normalise_ws(value))
    seen: dict[str, None] = {}
    for item in items:
        for t in item_types(item):
            seen[t] = None
    data.types = list(seen)
    return data


def text_of(value: Any) -> str:
    """A JSON-LD value as plain text (first of a list; `name` of an object)."""
    if isinstance(value, list):
        return text_of(value[0]) if value else ""
    if isinstance(value, dict):
        return text_of(value.get("name") or value.get("@value") or "")
    if isinstance(value, str | int | float):
        return normalise_ws(str(value))
    return ""


def url_of(value: Any, base: str) -> str:
    """A JSON-LD image/logo value (string, ImageObject or list) as an absolute URL."""
    if isinstance(value, list):
        return url_of(value[0], base) if value else ""
    if isinstance(value, dict):
        return url_of(value.get("url") or value.get("contentUrl") or value.get("@id") or "", base)
    if isinstance(value, str) and value.strip():
        return urljoin(base, value.strip())
    return ""


def number_of(value: Any) -> float | None:
    text = text_of(value).replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def organization(data: StructuredData) -> dict[str, Any] | None:
    """The object describing the brand itself: an Organization-like type with a name."""
    for item in data.items:
        types = set(item_types(item))
        if types & ORG_TYPES and types != {"website"} and text_of(item.get("name")):
            return item
    for item in data.of_type("website"):
        if text_of(item.get("name")):
            return item
    return None
