"""Small word-list helpers shared by the copy stage's modules."""

from __future__ import annotations


def wordset(words: str) -> frozenset[str]:
    """A set of whitespace-separated words, for readable inline word lists."""
    return frozenset(words.split())
