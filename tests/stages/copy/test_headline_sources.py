"""No headline is a cut piece of the site's text: every fixture site (several languages, real page
structures) is served on loopback, extracted, and every variant's headlines on all four platforms
are read against every sentence the site says (tagline, description, claims and their quotes,
testimonials). A headline may be a leading phrase that reads on its own, never a sentence with
words cut from its middle or stopped mid-phrase; nor may it take all of its body's lead sentence
but a stub ("Power your home" over "With sunshine.")."""

from __future__ import annotations

import random
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from brandtruth.claims.headline_rules import SourceSentences, site_sentences, words
from brandtruth.models.brand import BrandProfile
from brandtruth.models.copy import Angle, CopyResult, Platform
from brandtruth.models.stage_io import CopyInput
from brandtruth.platforms import spec_for
from brandtruth.stages.context import StageContext
from brandtruth.stages.copy import headlines
from brandtruth.stages.copy.fragments import Draft
from brandtruth.stages.copy.grounding import SupportIndex
from brandtruth.stages.copy.pools import build_pools
from brandtruth.stages.copy.stage import template_run
from brandtruth.stages.copy.template import _variants_from_draft
from brandtruth.stages.copy.writer import _Writer
from brandtruth.stages.extract import extract_brand
from brandtruth.storage import ArtifactStore
from tests.support.copy_builders import rich_profile
from tests.support.settings import settings_from
from tests.support.site_server import sample_site_dir, serve_site

pytestmark = pytest.mark.timeout(300)

SITES = [
    "sample_site",
    "saas",
    "shop",
    "shop_es",
    "local_service",
    "local_de",
    "course_fr",
    "blog_en",
    "serif_bakery",
    "kayak_hero",
    "atelier_fonts",
    "hostile",
    "latin1",
    "og_only",
]


async def _extract(name: str, tmp: Path) -> BrandProfile:
    root = sample_site_dir() if name == "sample_site" else name
    with serve_site(root) as site:
        settings = settings_from(
            {
                "BRANDTRUTH_ALLOWED_HOSTS": site.host_port,
                "BRANDTRUTH_DATA_DIR": tmp,
                "BRANDTRUTH_FETCH_TIMEOUT": 5.0,
                "BRANDTRUTH_CRAWL_BUDGET": 30.0,
            }
        )
        ctx = StageContext(run_id="heads", settings=settings, store=ArtifactStore(tmp / "artifacts"))
        return await extract_brand(site.url("/"), ctx)


@pytest.fixture(scope="module")
async def profiles(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, BrandProfile]]:
    yield {name: await _extract(name, tmp_path_factory.mktemp(f"heads-{name}")) for name in SITES}


def _runs(profile: BrandProfile) -> list[CopyResult]:
    return [
        template_run(CopyInput(run_id="h", profile=profile, num_variants=10, platforms=list(Platform), seed=s), False)
        for s in (0, 1)
    ]


def _asset_lines(profile: BrandProfile) -> set[str]:
    """Google Ads asset lines that are not headlines quoted from a sentence: the brand, the
    site's own action wording, the domain."""
    return {" ".join(words(t)) for t in [profile.brand_name, *profile.site_ctas, profile.primary_action] if t}


@pytest.mark.parametrize("name", SITES)
async def test_no_headline_is_a_cut_of_any_site_sentence(profiles: dict[str, BrandProfile], name: str) -> None:
    profile = profiles[name]
    sources = SourceSentences(site_sentences(profile))
    brand, skip = profile.brand_name, _asset_lines(profile)
    cuts: list[tuple[str, str, str]] = []
    for result in _runs(profile):
        for v in result.variants:
            for h in [v.headline, *v.headlines]:
                text = h[len(brand) + 1 :].strip() if brand and h.startswith(f"{brand}:") else h
                if " ".join(words(text)) in skip or re.fullmatch(r"[\w.-]+\.[a-z]{2,}", text):
                    continue
                if (sentence := sources.cut_of(text)) is not None:
                    cuts.append((v.platform.value, h, sentence))
    assert not cuts, cuts


async def test_a_cut_headline_is_recorded_and_the_next_candidate_used(profiles: dict[str, BrandProfile]) -> None:
    # The shop's description opens "Small-batch specialty coffee, roasted to order in Duluth":
    # its short form "…, roasted" was a TikTok headline over a body of only "Shop coffee.".
    for result in _runs(profiles["shop"]):
        assert all(not v.headline.endswith(", roasted") for v in result.variants)
        assert {v.platform for v in result.variants} == set(Platform)
        assert any(
            r.headline == "Small-batch specialty coffee, roasted" and r.reason == headlines.CUT_SENTENCE
            for r in result.headline_rejections
        )


@pytest.mark.parametrize("name", SITES)
async def test_no_body_opens_with_a_stub_of_its_headline_sentence(profiles: dict[str, BrandProfile], name: str) -> None:
    profile = profiles[name]
    whole = {tuple(words(s)) for s in site_sentences(profile)}
    stubs: list[tuple[str, str]] = []
    for result in _runs(profile):
        for v in result.variants:
            first = re.split(r"(?<=[.!?])\s+", v.primary_text.strip(), maxsplit=1)[0]
            tail = words(first)
            if 0 < len(tail) < 3 and tuple(words(v.headline) + tail) in whole:
                stubs.append((v.headline, v.primary_text))
    assert not stubs, stubs


def test_the_whole_sentence_heads_the_ad_before_a_shortening_that_leaves_a_stub() -> None:
    """ "Power your home" over "With sunshine." (or over the call to action alone) is tried only
    after the whole sentence, even when the shorter one comes first among the candidates."""
    profile = rich_profile()
    writer = _Writer(build_pools(profile, SupportIndex(profile, False)), Platform.META, random.Random(0))
    heads = ["Power your home", "Power your home with sunshine"]
    draft = Draft(
        Angle.BENEFIT, "k", heads, ["Power your home with sunshine."], cta=("Learn More", "Get a free site survey.")
    )
    made = [v for v, _ in _variants_from_draft(draft, writer, spec_for(Platform.META), 0)]
    assert [(v.headline, v.primary_text) for v in made] == [
        ("Power your home with sunshine", "Get a free site survey."),
        ("Power your home", "Get a free site survey."),
    ]
