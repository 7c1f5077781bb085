"""Copy a marketer would run from pages built like real ones (see tests/support/copy_structures.py):
no control, menu or form label in any field, headlines that sell, the site's casing kept, and the
CTA button in the page's language."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from brandtruth.models.brand import BrandProfile
from brandtruth.models.copy import CopyResult, Platform
from brandtruth.models.stage_io import CopyInput
from brandtruth.platforms import cta_button, cta_label, spec_for
from brandtruth.stages.copy import headlines
from brandtruth.stages.copy.assertions import normalize_text
from brandtruth.stages.copy.platforms import map_cta
from brandtruth.stages.copy.stage import template_run
from tests.support.copy_quality import texts_of
from tests.support.copy_structures import (
    STRUCTURE_SITES,
    expected_copy,
    extract_site,
    lowered_proper_nouns,
    says,
)

pytestmark = pytest.mark.timeout(180)
ALL = list(Platform)
ENGLISH_GLUE = ("Meet ", "Discover ", "Why ", "Curious", "Learn more", "Today", "Inside ", "Take a look", " at ")
REASONS = {
    headlines.BRAND_ALONE,
    headlines.BRAND_GLUE,
    headlines.PERSON,
    headlines.UI_LABEL,
    headlines.COMMENT_PROMPT,
    headlines.SECTION_TITLE,
    headlines.CUT_TAGLINE,
    headlines.CUT_SENTENCE,
    headlines.TOO_LONG,
    headlines.UNSOURCED_RATING,
    headlines.EMPTY,
}


@pytest.fixture(scope="module")
async def profiles() -> AsyncIterator[dict[str, BrandProfile]]:
    yield {name: await extract_site(name) for name in STRUCTURE_SITES}


def runs(profile: BrandProfile) -> list[CopyResult]:
    return [
        template_run(CopyInput(run_id="s", profile=profile, num_variants=6, platforms=ALL, seed=seed), False)
        for seed in (0, 1)
    ]


def headline_lines(result: CopyResult, profile: BrandProfile) -> list[str]:
    """Every line that heads an ad: the headline, and RSA asset headlines other than the brand
    line and action lines (assets Google expects, not quotes from the page)."""
    out = []
    actions = {normalize_text(a) for a in [*profile.site_ctas, profile.primary_action]}
    for v in result.variants:
        out.append(v.headline)
        for h in v.headlines[1:]:
            key = normalize_text(h)
            if key != normalize_text(profile.brand_name) and key not in actions and not h.endswith(" Today"):
                out.append(h)
    return out


@pytest.mark.parametrize("name", STRUCTURE_SITES)
async def test_no_copy_field_holds_chrome(profiles: dict[str, BrandProfile], name: str) -> None:
    profile, expected = profiles[name], expected_copy(name)
    for result in runs(profile):
        assert result.variants
        for v in result.variants:
            for text in texts_of(v):
                for label in expected["chrome_labels"]:
                    assert not says(text, label), (v.platform, text, label)


@pytest.mark.parametrize("name", STRUCTURE_SITES)
async def test_headlines_sell(profiles: dict[str, BrandProfile], name: str) -> None:
    profile, expected = profiles[name], expected_copy(name)
    brand = normalize_text(profile.brand_name)
    for result in runs(profile):
        for line in headline_lines(result, profile):
            key = normalize_text(line).rstrip(".!?")
            assert key != brand, line
            assert not any(key == normalize_text(t) for t in expected["section_titles"]), line
            assert not any(key == normalize_text(p) or key == f"meet {normalize_text(p)}" for p in expected["people"])
            assert len(line.split()) >= 2, line
        # Every rejection is recorded with one of the stated reasons.
        assert all(r.reason in REASONS and r.headline for r in result.headline_rejections)


@pytest.mark.parametrize("name", STRUCTURE_SITES)
async def test_casing_of_names_is_kept(profiles: dict[str, BrandProfile], name: str) -> None:
    profile, expected = profiles[name], expected_copy(name)
    for result in runs(profile):
        for v in result.variants:
            for text in texts_of(v):
                assert not lowered_proper_nouns(text, expected["proper_nouns"]), text


@pytest.mark.parametrize("name", STRUCTURE_SITES)
async def test_ctas_and_glue_in_the_pages_language(profiles: dict[str, BrandProfile], name: str) -> None:
    profile, expected = profiles[name], expected_copy(name)
    language = expected["language"]
    main_button = map_cta(expected["primary_action"], Platform.META)
    for result in runs(profile):
        for v in result.variants:
            button = cta_button(v.cta)
            assert button in spec_for(v.platform).ctas, v.cta
            assert v.cta == cta_label(button, language), (v.cta, language)
            if language != "en":
                assert v.cta != button, f"English button {v.cta!r} on a {language} page"
                for text in texts_of(v):
                    assert not any(g in text for g in ENGLISH_GLUE), text
        # The page's main action is what the Meta button does.
        meta = [cta_button(v.cta) for v in result.variants if v.platform is Platform.META]
        assert meta and meta[0] == main_button, (meta, main_button)
