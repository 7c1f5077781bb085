"""Content coverage: which words of an ad line the site's evidence never uses.

The vocabulary is every word of the profile's own text (claims and their evidence, tagline,
description, value propositions, key terms, social proof, the site's buttons, section headings),
kept as Snowball stems in every supported language. A line's word is covered when one of its
stems is in the vocabulary; glue words (see `words`) are free. Named entities are stricter: a
run of two or more capitalised words ("Copper Pot Bistro") must occur as a phrase in the
evidence, so known words cannot be recombined into an organisation the site never named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from brandtruth.claims.words import fold, guess_language, is_glue, stem_langs, stems, word_parts, word_spans

_QUESTION = re.compile(r"[^.!?;:—–|·•]*\?")


@dataclass(frozen=True)
class Gap:
    """A word (or capitalised phrase) of a line that the evidence does not contain."""

    start: int
    end: int
    text: str
    kind: str  # "content" | "entity"


def _loose(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())


class Vocabulary:
    """The stems and phrases of a profile's evidence, for coverage checks."""

    def __init__(self, texts: Iterable[str]) -> None:
        joined = [t for t in texts if t and t.strip()]
        self.lang = guess_language(" ".join(joined[:200]))
        # English and the site's language: a line in either is compared stem by stem.
        self.langs = stem_langs(self.lang)
        self.stems: set[str] = set()
        for t in joined:
            for _, _, w in word_spans(t):
                for part in word_parts(w):
                    self.stems |= stems(part, self.langs)
        self.phrases = " | ".join(f" {_loose(t)} " for t in joined)

    def covers(self, word: str) -> bool:
        parts = word_parts(word)
        return all(is_glue(p) or len(p) < 2 or bool(stems(p, self.langs) & self.stems) for p in parts)

    def has_phrase(self, phrase: str) -> bool:
        loose = _loose(phrase)
        return bool(loose) and f" {loose} " in self.phrases

    def gaps(self, text: str, skip: Iterable[tuple[int, int]] = ()) -> list[Gap]:
        """Uncovered words of `text` (offsets into `text`), and unknown capitalised phrases."""
        skipped = list(skip)
        out: list[Gap] = []
        spans = word_spans(text)
        # A question asserts nothing ("Looking for a simpler way to handle payroll?"); its numbers
        # and risk cues are still checked elsewhere, its words are not.
        skipped += [(m.start(), m.end()) for m in _QUESTION.finditer(text)]
        for start, end, w in spans:
            if any(s <= start and end <= e for s, e in skipped):
                continue
            if self.covers(w):
                continue
            kind = "entity" if w[:1].isupper() and not _sentence_start(text, start) else "content"
            out.append(Gap(start, end, w, kind))
        if guess_language(text) != "de" and not _title_case(spans):
            out += [g for g in _capitalised_runs(text, spans, skipped) if not self.has_phrase(g.text)]
        return out


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \"'“‘«(")
    return not before or before[-1] in ".!?:;—–|·•\n"


def _title_case(spans: list[tuple[int, int, str]]) -> bool:
    """ "Get Started Today", "Book Meetings in Seconds": every word of four letters or more is
    capitalised, so capitals name nothing ("Loved by Copper Grocers and friends" is not)."""
    long_words = [w for _, _, w in spans if len(w) >= 4]
    return len(long_words) >= 2 and all(w[:1].isupper() for w in long_words)


def _capitalised_runs(text: str, spans: list[tuple[int, int, str]], skipped: list[tuple[int, int]]) -> list[Gap]:
    """Runs of ≥ 2 capitalised words (joined by nothing but spaces or "&"), sentence starts dropped."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for start, end, w in spans:
        gap = text[current[-1][1] : start] if current else ""
        capital = w[:1].isupper() and not any(s <= start and end <= e for s, e in skipped)
        if capital and (not current or gap.strip() in {"", "&"}):
            current.append((start, end, w))
            continue
        if len(current) >= 2:
            runs.append(current)
        current = [(start, end, w)] if capital else []
    if len(current) >= 2:
        runs.append(current)
    out: list[Gap] = []
    for run in runs:
        if _sentence_start(text, run[0][0]) and not run[0][2].isupper():
            run = run[1:]
        while run and is_glue(run[0][2]):
            run = run[1:]
        while run and is_glue(run[-1][2]):
            run = run[:-1]
        if len(run) >= 2:
            start, end = run[0][0], run[-1][1]
            out.append(Gap(start, end, text[start:end], "entity"))
    return out
