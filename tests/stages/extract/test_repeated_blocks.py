"""Blocks most crawled pages repeat word for word are chrome, not claims: a five-page spice shop,
served on loopback and crawled by the real extractor, whose theme marks neither its newsletter box
nor its footer blurb as such."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandtruth.config import Settings
from brandtruth.models.brand import BrandProfile
from brandtruth.stages.context import StageContext
from brandtruth.stages.extract import extract_brand
from brandtruth.stages.extract.page import parse_page
from brandtruth.stages.extract.repeated import mark_repeated, repeated_texts
from brandtruth.storage import ArtifactStore
from tests.support.site_server import serve_site

pytestmark = pytest.mark.timeout(90)

NAV = (
    '<div class="top"><a href="/">Kessler Spices</a> <a href="/about.html">About us</a> '
    '<a href="/products.html">Products</a> <a href="/pricing.html">Pricing</a> '
    '<a href="/reviews.html">Reviews</a></div>'
)
# Unmarked boxes every page carries: an offer and a count that belong to no page's subject.
CLUB = (
    '<div class="box-3"><h3>Join the spice club</h3>'
    "<p>Get 15% off your first order and weekly recipes from over 20,000 home cooks.</p></div>"
)
# A site-wide announcement bar above every page's content: an offer the brand makes, kept.
BANNER = '<p class="bar">Free returns within 30 days on every order</p>'
BLURB = '<div class="site-info"><p>Since 1987 the most loved spice shop in Hamburg.</p></div>'
# Said on two of the five pages only: content that two pages share, not chrome.
SHARED = "<p>Over 40 single-origin spices, ground the week they ship.</p>"

PAGES = {
    "index.html": (
        "<h1>Spices ground to order in Hamburg</h1>"
        "<p>Fresh spices, ground the week you order them, from farms we visit every year.</p>" + SHARED
    ),
    "about.html": "<h1>Our story</h1><p>Anna Kessler opened the shop with three spices and a hand mill.</p>",
    "products.html": "<h1>Products</h1><p>Smoked paprika, Tellicherry pepper and Ceylon cinnamon.</p>" + SHARED,
    "pricing.html": "<h1>Pricing</h1><p>Free shipping on orders over €30 within Germany.</p>",
    "reviews.html": "<h1>Reviews</h1><p>Rated 4.9 out of 5 by 1,200 customers on Trustpilot.</p>",
}


def _html(title: str, main: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><title>{title} | Kessler Spices</title></head><body>'
        f"{BANNER}{NAV}<main>{main}</main>{CLUB}{BLURB}</body></html>"
    )


def _write_site(root: Path) -> Path:
    root.mkdir()
    for name, main in PAGES.items():
        (root / name).write_text(_html(name.split(".")[0].title(), main), encoding="utf-8")
    return root


async def _extract(tmp_path: Path) -> BrandProfile:
    with serve_site(_write_site(tmp_path / "site")) as site:
        settings = Settings(
            _env_file=None,
            BRANDTRUTH_ALLOWED_HOSTS=site.host_port,
            BRANDTRUTH_DATA_DIR=tmp_path / "data",
            BRANDTRUTH_FETCH_TIMEOUT=5.0,
            BRANDTRUTH_CRAWL_BUDGET=20.0,
        )
        ctx = StageContext(run_id="repeated", settings=settings, store=ArtifactStore(tmp_path / "artifacts"))
        profile = await extract_brand(site.url("/"), ctx)
        assert {p.rsplit("/", 1)[-1] for p in site.hits.snapshot()} >= {"about.html", "products.html"}
        return profile


def _everything_quoted(profile: BrandProfile) -> str:
    parts = [profile.tagline, profile.description, *profile.value_propositions]
    parts += [c.text for c in profile.claims] + [e.quote for c in profile.claims for e in c.evidence]
    parts += [cc.text for cc in profile.social_proof.customer_counts]
    return "\n".join(parts)


async def test_boxes_on_every_page_are_no_claim_source(tmp_path: Path) -> None:
    profile = await _extract(tmp_path)
    said = _everything_quoted(profile)
    assert "20,000 home cooks" not in said
    assert "15% off" not in said
    assert "most loved spice shop" not in said
    # What the pages say about their own subject is still read.
    assert "Free shipping on orders over €30" in said
    assert "Over 40 single-origin spices" in said  # on two pages of five: content
    assert "Free returns within 30 days" in said  # the banner above the content
    assert any(r.value == 4.9 for r in profile.social_proof.ratings)


def test_repeated_blocks_are_marked_on_every_page_but_the_home_pages_own() -> None:
    docs = [parse_page(_html(n, m), f"https://kessler.test/{n}") for n, m in PAGES.items()]
    found = repeated_texts(docs)
    assert "join the spice club" in found
    assert "since 1987 the most loved spice shop in hamburg." in found
    assert not any("single-origin" in t for t in found)
    marked = mark_repeated(docs)
    for doc in marked:
        chrome_texts = {b.text for b in doc.blocks if b.chrome}
        assert "Since 1987 the most loved spice shop in Hamburg." in chrome_texts
        assert not any("single-origin" in t for t in chrome_texts)
        assert not any("Free returns" in t for t in chrome_texts)
    assert all(not b.chrome for d in docs for b in d.blocks if "spice club" in b.text)  # inputs untouched


def test_two_pages_are_too_few_to_call_anything_repeated() -> None:
    docs = [parse_page(_html(n, m), f"https://kessler.test/{n}") for n, m in list(PAGES.items())[:2]]
    assert repeated_texts(docs) == set()
    assert mark_repeated(docs) is docs
