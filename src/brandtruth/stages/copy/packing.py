"""Fitting drafted copy to a platform: packing bodies, choosing headlines that fit."""

from __future__ import annotations

import re

from brandtruth.claims.headline_rules import opens_with, phrase_ends_after, words
from brandtruth.platforms import char_width, display_width
from brandtruth.stages.copy.assertions import normalize_text
from brandtruth.stages.copy.fragments import (
    _cap,
    _content,
)
from brandtruth.stages.copy.headlines import HeadlineJudge
from brandtruth.stages.copy.phrasing import (
    ends_complete,
    shorter_phrases,
)
from brandtruth.stages.copy.platforms import fit_text


def _join(parts: list[str]) -> str:
    text = ""
    for s in parts:
        if not s:
            continue
        text = s if not text else (f"{text}{s}" if char_width(text[-1]) == 2 else f"{text} {s}")
    return text


def _fit_sentence(sentence: str, limit: int, verbatim: bool) -> str:
    """The sentence if it fits; else its longest complete leading clause (at least four words)
    as a sentence; else "" — a body never ends mid-phrase."""
    s = " ".join(sentence.split())
    if display_width(s) <= limit:
        return s
    if " " not in s:
        # Unspaced (CJK) text: cut at a character boundary, preferring its own punctuation.
        cut = fit_text(s, limit - 1)
        return cut + "。" if len(cut) >= 8 else ""
    if s.startswith(("“", "„", '"')):
        return ""
    # Whole clauses only: a trailing "for the first year" is part of what the sentence says.
    for short in shorter_phrases(s.rstrip(".!?"), True):
        if len(short.split()) >= 4 and display_width(short) + 1 <= limit:
            return short + "."
    return ""


def _same_start(text: str, required: list[str]) -> bool:
    return bool(required) and normalize_text(text).startswith(normalize_text(required[0])[:20])


def _complete(phrase: str, brand: str) -> bool:
    """A complete phrase, or one that ends on the brand's own name ("Meet Studio 54")."""
    return ends_complete(phrase) or (bool(brand) and phrase.rstrip(" ?!.").endswith(brand))


def _pack(required: list[str], optional: list[str], cta_line: str, limit: int, verbatim: bool) -> str:
    """Required sentences (shortened at a clause if they must be), one supporting sentence and
    the closing CTA line, in that reading order, as far as they fit.

    When not everything fits, the closing line first loses its domain ("Start free trial at
    example.com." → "Start free trial."), then the supporting sentence gives way to it, then
    the closing line goes: the button says it anyway.
    """
    req = [" ".join(r.split()) for r in required if r.strip()]
    if not req:
        return ""
    if display_width(_join(req)) > limit:
        if len(req) > 1:
            return ""
        one = _fit_sentence(req[0], limit, verbatim)
        if not one:
            return ""
        req = [one]
    said = normalize_text(_join(req))
    # A supporting sentence must add something: not one mostly made of words already said.
    said_words = _content(said)
    extras = [
        e
        for x in optional
        if (e := " ".join(x.split()))
        and normalize_text(e).rstrip(".!?") not in said
        and len(_content(e) & said_words) * 2 <= len(_content(e))
    ]
    # The closing line is left out when the body already says it ("Subscribe and save 15%.").
    lines: list[str] = []
    if cta_line and not _content(cta_line) <= _content(said):
        lines = [cta_line]
        short = re.sub(r" at [\w.-]+\.[a-z]{2,}(?=[.!]$)", "", cta_line)
        if short != cta_line:
            lines.append(short)
    # One supporting sentence: an ad makes one point well.
    for tail in [*([x] for x in lines), []]:
        for e in extras:
            if display_width(_join([*req, e, *tail])) <= limit:
                return _join([*req, e, *tail])
    for tail in [[x] for x in lines]:
        if display_width(_join([*req, *tail])) <= limit:
            return _join([*req, *tail])
    return _join(req)


_LEAD_WORD = re.compile(r"[\w'’%$€£]+", re.UNICODE)


def _after_words(text: str, count: int) -> str:
    """`text` from its `count`+1-th word on, without the punctuation that joined them."""
    found = list(_LEAD_WORD.finditer(text))
    if len(found) < count:
        return ""
    rest = text[found[count - 1].end() :].lstrip(" ,;:–—-.!?")
    return _cap(rest) if rest[:1].isalpha() or rest[:1].isdigit() else rest


_QUOTES = ("“", "„", '"', "«", "‘", "「")


def _unbranded(text: str, brand: str) -> str:
    """`text` without a leading "Brand: " label (the writer's way of naming the brand)."""
    if brand and text.startswith(f"{brand}:"):
        return text[len(brand) + 1 :].lstrip()
    return text


def repeats_headline(line: str, headline: str, brand: str) -> bool:
    """Whether `line` opens with the headline's words, a "Brand: " label in front or not (a
    quoted testimonial is the proof itself, with who said it, not a repeat)."""
    text = _unbranded(line, brand)
    return not text.startswith(_QUOTES) and opens_with(text, _unbranded(headline, brand))


#: A body that goes on from its headline says at least this many words before the sentence ends:
#: "Power your home" over "With sunshine." reads as one sentence broken in two.
MIN_TAIL_WORDS = 3
_FIRST_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+")


def leaves_stub(headline: str, lead: str, brand: str = "") -> bool:
    """Whether `headline` opens `lead` and stops inside a sentence with fewer than
    `MIN_TAIL_WORDS` words of it left over (the whole sentence, or a fuller body, reads better)."""
    text = _unbranded(lead, brand).strip()
    head = words(_unbranded(headline, brand))
    found = list(_LEAD_WORD.finditer(text))
    if not head or len(found) <= len(head) or words(text)[: len(head)] != head:
        return False
    rest = text[found[len(head) - 1].end() :]
    if re.match(r"\s*[.!?。！？]", rest):
        return False  # the headline is a whole sentence: the next one is no stub of it
    tail = words(_FIRST_SENTENCE.split(rest.strip(), maxsplit=1)[0])
    return 0 < len(tail) < MIN_TAIL_WORDS


def pack_under_headline(
    headline: str,
    required: list[str],
    optional: list[str],
    cta_line: str,
    limit: int,
    verbatim: bool,
    brand: str = "",
) -> str:
    """The body to run under `headline`, which never opens with the headline's words.

    Drafts head an ad with a short form of their lead sentence, and the body leads with that
    sentence: read together, "Free shipping" over "Free shipping on orders over €50. …" says
    the same thing twice. When the headline ends a phrase of that sentence, the body goes on
    from it ("On orders over €50. …"; after a whole-sentence headline, the next sentence), unless
    fewer than `MIN_TAIL_WORDS` words of the sentence are left ("With sunshine.").
    Otherwise the body drops its lead sentence, whose point the headline makes, and says the
    draft's other sentences, else its first supporting sentence, else only the call to action.
    "" when nothing at all is left to say under it.
    """
    body = _pack(required, optional, cta_line, limit, verbatim)
    if not body or not repeats_headline(body, headline, brand):
        return body
    lead = _unbranded(body, brand)
    count = len(words(_unbranded(headline, brand)))
    cta_words = _content(cta_line)
    if phrase_ends_after(lead, count) and not leaves_stub(headline, lead, brand):
        rest = _after_words(lead, count)
        if _content(rest) - cta_words:
            return rest
    others = [r for r in required[1:] if not repeats_headline(r, headline, brand)]
    extras = [o for o in optional if not repeats_headline(o, headline, brand)]
    if others:
        return _pack(others, extras, cta_line, limit, verbatim)
    if extras:
        return _pack(extras[:1], extras[1:], cta_line, limit, verbatim)
    return cta_line


def headline_options(
    candidates: list[str],
    limit: int,
    soft: int | None,
    brand: str,
    verbatim: bool,
    pinned: int = 0,
    judge: HeadlineJudge | None = None,
) -> list[list[str]]:
    """Headlines to try, in groups, best first: the draft's first `pinned` candidates that fit
    (an offer's own terms head it even a little over the soft width), then complete ones within
    the soft limit in the draft's order, then those within the hard limit; unspaced (CJK) text
    may be cut at a character boundary. Without a `judge` the bare brand name comes last; with
    one, every candidate it turns down (section titles, UI labels, names) is left out."""
    lead = {c.rstrip(" .") for c in candidates[:pinned]}
    whole: list[str] = []
    for c in candidates:
        h = c.rstrip(" .") if not c.endswith("?") else c
        if h and display_width(h) <= limit and _complete(h, brand) and h not in whole:
            whole.append(h)
    if not whole or verbatim:
        for c in candidates:
            if " " not in c and display_width(c) > limit:
                cut = fit_text(c, limit)
                if len(cut) >= 8 and cut not in whole:
                    whole.append(cut)
    if judge is not None:
        whole = [h for h in whole if judge.allows(h if h.startswith(brand) else _cap(h))]
    bare = normalize_text(brand)
    last = [h for h in whole if normalize_text(h) == bare]
    whole = [h for h in whole if normalize_text(h) != bare]
    pinned_heads = [h for h in whole if h in lead]
    rest = [h for h in whole if h not in lead]
    if soft is None:
        return [pinned_heads, rest, last]

    def by_width(hs: list[str]) -> list[list[str]]:
        return [[h for h in hs if display_width(h) <= soft], [h for h in hs if display_width(h) > soft]]

    return [*by_width(pinned_heads), *by_width(rest), last]
