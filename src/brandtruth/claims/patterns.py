"""Word-list patterns: the one way the claim classes and the copy stage's cue lists are compiled."""

from __future__ import annotations

import re


def any_word(*alternatives: str) -> re.Pattern[str]:
    """Case-insensitive pattern for any alternative as a whole word (`\\b(?:a|b|c)\\b`).

    Each argument is a `|`-separated run of alternatives, each a small regex ("awards?", "as seen (?:in|on)");
    one argument per language or theme keeps a long list readable.
    """
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)
