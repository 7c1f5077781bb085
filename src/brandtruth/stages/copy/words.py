"""Small word-list helpers shared by the copy stage's modules."""

from __future__ import annotations


def wordset(words: str) -> frozenset[str]:
    """A set of whitespace-separated words, for readable inline word lists."""
    return frozenset(words.split())


# Every word the template writer may add to the site's own wording (its English connective
# phrasings, "Rated … from … reviews", and platform button labels used as asset lines). Anything
# else in template copy is the site's word. Kept small on purpose: the truth gate treats words a
# site never uses as new content, and only these may pass as glue.
GLUE_WORDS = wordset(
    """a about at can contact curious discover do find for get go hello have help how in into is
    know learn look looking met meet more much need now of offers on out rated reviews say see simpler
    started take thinking to today us way week what yourself from goes handle with your why customers"""
)
