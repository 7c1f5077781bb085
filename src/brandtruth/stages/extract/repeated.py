"""Site chrome found across pages: a block that most crawled pages carry word for word.

Structure (`chrome.py`) finds the footer, the menus and the forms that are marked up as such. Many
themes mark nothing: the newsletter box is a plain `<div class="box-3">`, the footer blurb a
`<p>` after `</main>`, the trust bar a row of `<span>`s. What gives them away is that they are
the same on every page, where what a page says about its subject is not. A block whose text
appears identically on most of the crawled pages (at least three) is chrome of the kind
`chrome.REPEATED`, so it is no source of claims, value propositions or the tagline.

Only what follows a page's own content (footer blurbs, newsletter and "related" boxes) and
repeated link rows (menus) are marked. Kept as content: blocks already given another chrome kind
and blocks in `<footer>` (the footer keeps its own treatment: a local business's address lives
there); a site-wide banner above the page's own content (an announcement bar's "Free shipping on
orders over $35" is an offer the brand makes, on every page); and the start page's `<h1>` and
`<main>` content.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from brandtruth.stages.extract import chrome
from brandtruth.stages.extract.page import PageDoc

# "Most pages": at least this share of the crawled pages, and never fewer than MIN_PAGES.
SHARE = 0.6
MIN_PAGES = 3


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def repeated_texts(docs: list[PageDoc]) -> set[str]:
    """Normalised texts of the blocks that appear on most of the pages (each page counted once)."""
    if len(docs) < MIN_PAGES:
        return set()
    pages_with: Counter[str] = Counter()
    for doc in docs:
        pages_with.update({k for b in doc.blocks if (k := _key(b.text))})
    needed = max(MIN_PAGES, SHARE * len(docs))
    return {k for k, n in pages_with.items() if n >= needed}


def _first_own(doc: PageDoc, repeated: set[str]) -> int:
    """Position of the page's first content block that is its own (not repeated elsewhere)."""
    return next((i for i, b in enumerate(doc.blocks) if not b.chrome and _key(b.text) not in repeated), len(doc.blocks))


def mark_repeated(docs: list[PageDoc]) -> list[PageDoc]:
    """The pages with their cross-page repeated blocks marked as chrome (new docs; inputs untouched)."""
    repeated = repeated_texts(docs)
    if not repeated:
        return docs
    out: list[PageDoc] = []
    for page, doc in enumerate(docs):
        first_own = _first_own(doc, repeated)
        blocks = []
        for i, b in enumerate(doc.blocks):
            if b.chrome or b.landmark == "footer" or _key(b.text) not in repeated:
                blocks.append(b)  # content, or chrome already (the footer keeps its own treatment)
            elif i < first_own and not b.in_link:
                blocks.append(b)  # a site-wide banner above the page's own content
            elif page == 0 and (b.tag == "h1" or b.landmark == "main"):
                blocks.append(b)  # the home page's hero
            else:
                blocks.append(replace(b, chrome=chrome.REPEATED))
        out.append(replace(doc, blocks=blocks))
    return out
