"""The claim model shared by extraction and copy checking.

Below the stages on purpose: the extract stage classifies the site's sentences with it, and the
copy stage's truth gate (and `brandtruth check-copy`) judges ad lines with it, so "what counts as
a risky claim" and "what a number says" are written once.

- `risk`: risk classes (health/medical, financial returns, guarantees, endorsements, ratings,
  awards, certifications, absolutes, comparatives, superlatives) in en/de/fr/es (+ it/nl/pt cues).
- `numbers`: spelled-out numbers ("forty percent", "nine out of ten", "zehnmal") rewritten as
  digits, with a map back to the original offsets.
- `words`: tokens, closed lists of ad glue words per language, light stemming, language guess.
- `entities`: named-entity candidates (organisations, places, publications) from capitalisation.
"""

from __future__ import annotations


def clear_caches() -> None:
    """Forget memoised scans (benchmarks measure cold runs)."""
    from brandtruth.claims import numbers, risk, words

    numbers.spelled_to_digits.cache_clear()
    numbers._split_compound_cached.cache_clear()
    risk.find_risks.cache_clear()
    risk.cues_of.cache_clear()
    words.stems.cache_clear()
    words.guess_language.cache_clear()
