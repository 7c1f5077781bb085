"""Which of a variant's words go on the picture (the copy writer owns the words themselves).

A feed ad's on-image headline is read in a second: at most `MAX_HEADLINE_WORDS` words. The
variant's headline is used when it fits; otherwise the first of its other short lines (RSA
headlines, description, first sentence of the primary text) that does. A candidate is never a
cut-down tagline or site sentence (missing words read as a mistake: "Roasted Tuesday") nor a bare
section heading of the site ("Our story", "Features"), and the supporting line never repeats the
headline. Length, cut tagline and repetition are judged by `brandtruth.claims.headline_rules`,
the rules the copy stage's headline judge applies, so compose keeps every headline copy allowed.
A rating on the canvas keeps its source: "Rated 4.8/5" becomes "Rated 4.8/5 on G2" when the
profile knows the platform, and is left off the canvas when nothing says where it comes from.
"""

from __future__ import annotations

import re

from brandtruth.claims.headline_rules import (
    MAX_HEADLINE_WORDS,
    SourceSentences,
    is_cut_tagline,
    repeats,
    site_sentences,
)
from brandtruth.claims.headline_rules import words as _words
from brandtruth.models.brand import BrandProfile
from brandtruth.models.copy import CopyVariant

__all__ = ["MAX_HEADLINE_WORDS", "canvas_bodies", "canvas_headline", "is_cut_tagline", "repeats"]

#: ...and at most this many characters (seven long German compounds are not a glance).
MAX_HEADLINE_CHARS = 60
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_RATING = re.compile(r"\b(\d(?:[.,]\d)?)\s*(?:/\s*5|out of 5|stars?|★)", re.IGNORECASE)
_SOURCE = re.compile(r"\b(on|from|at|via|auf|sur|en|bei)\s+\S", re.IGNORECASE)


def _headings(profile: BrandProfile) -> set[str]:
    found = {" ".join(_words(e.section)) for c in profile.claims for e in c.evidence if e.section}
    found |= {" ".join(_words(img.heading)) for img in profile.assets.images if img.heading}
    return {h for h in found if h}


def with_rating_source(text: str, profile: BrandProfile) -> str | None:
    """`text` with its rating's platform named; None when a rating in it has no known source."""
    match = _RATING.search(text)
    if match is None or _SOURCE.search(text[match.end() : match.end() + 30]):
        return text
    platforms = [r.platform for r in profile.social_proof.ratings if r.platform]
    if not platforms:
        return None
    end = match.end()
    return f"{text[:end]} on {platforms[0]}{text[end:]}"


def _usable_headline(text: str, profile: BrandProfile, headings: set[str], sources: SourceSentences) -> bool:
    words = _words(text)
    if not words or len(text.split()) > MAX_HEADLINE_WORDS or len(text) > MAX_HEADLINE_CHARS:
        return False  # words counted as a reader does: "4.8/5" is one
    if profile.tagline and is_cut_tagline(text, profile.tagline):
        return False
    brand = profile.brand_name
    if sources.cut_of(text[len(brand) + 1 :].strip() if brand and text.startswith(f"{brand}:") else text):
        return False  # a cut piece of any other site sentence, as the copy judge reads it
    return " ".join(words) not in headings or len(words) >= 4


def canvas_headline(variant: CopyVariant, profile: BrandProfile | None) -> tuple[str, str | None]:
    """The headline to set on the picture, and a note when it is not the variant's own headline."""
    if profile is None:
        return variant.headline, None
    headings = _headings(profile)
    sources = SourceSentences(site_sentences(profile))
    first = _SENTENCE.split(variant.primary_text.strip(), maxsplit=1)[0] if variant.primary_text else ""
    candidates = [variant.headline, *variant.headlines, variant.description, first]
    for text in candidates:
        text = text.strip()
        if not text:
            continue
        sourced = with_rating_source(text, profile)
        if sourced is not None and _usable_headline(sourced, profile, headings, sources):
            if text == variant.headline and sourced == text:
                return text, None
            return sourced, f"on-image headline {sourced!r} (the variant's headline is too long or unfit for a picture)"
    return variant.headline, None


def canvas_bodies(candidates: list[str], headline: str, profile: BrandProfile | None) -> list[str]:
    """Supporting lines that do not repeat the headline, ratings with their source."""
    out: list[str] = []
    for text in candidates:
        if repeats(headline, text):
            continue
        sourced = with_rating_source(text, profile) if profile is not None else text
        if sourced is not None and sourced not in out:
            out.append(sourced)
    return out
