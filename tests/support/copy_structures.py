"""Fixture sites modelled on real page structures (blog post, product page, local business,
course landing page in en/es/de/fr) and what their profiles and copy must (not) contain.

Each site under tests/fixtures/sites/<name>/ carries `expected_copy.json`: the page's language,
brand and main action, the labels of its chrome (consent banner, menus, search, comment and
newsletter forms, share widgets, footer links …), its section titles, the people it names and
proper nouns whose casing copy must keep.
"""

from __future__ import annotations

import json
import re
from typing import Any

from brandtruth.models.brand import BrandProfile
from tests.support.pages import extract_served_site
from tests.support.site_server import SITES_DIR

STRUCTURE_SITES = ["blog_en", "shop_es", "local_de", "course_fr"]


def expected_copy(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SITES_DIR / name / "expected_copy.json").read_text("utf-8"))
    return data


async def extract_site(name: str) -> BrandProfile:
    """The real extractor on the site served on loopback."""
    return await extract_served_site(name, "structures")


def says(text: str, phrase: str) -> bool:
    """Does `text` contain `phrase` as whole words (case-insensitive)?"""
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text, re.IGNORECASE) is not None


def lowered_proper_nouns(text: str, nouns: list[str]) -> list[str]:
    """Proper nouns of `nouns` that `text` writes in another casing ("excel", "power bi")."""
    out = []
    for noun in nouns:
        for m in re.finditer(r"(?<!\w)" + re.escape(noun) + r"(?!\w)", text, re.IGNORECASE):
            if m.group(0) != noun:
                out.append(m.group(0))
    return out
