"""The extractor reads pages built like real ones — consent banners, mega-menus, search boxes,
comment and newsletter forms, share widgets, footer link farms — as a marketer would: the brand
from the organisation, the page's language, its main action, and nothing from the chrome."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from brandtruth.models.brand import BrandProfile
from tests.support.copy_structures import STRUCTURE_SITES, expected_copy, extract_site, says

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
async def profiles() -> AsyncIterator[dict[str, BrandProfile]]:
    yield {name: await extract_site(name) for name in STRUCTURE_SITES}


@pytest.mark.parametrize("name", STRUCTURE_SITES)
async def test_brand_language_and_main_action(profiles: dict[str, BrandProfile], name: str) -> None:
    profile, expected = profiles[name], expected_copy(name)
    assert profile.brand_name == expected["brand_name"]
    assert "_" not in profile.brand_name and "logo" not in profile.brand_name.lower()
    assert profile.language == expected["language"]
    assert profile.primary_action == expected["primary_action"]
    assert profile.site_ctas[0] == expected["primary_action"]


@pytest.mark.parametrize("name", STRUCTURE_SITES)
async def test_nothing_is_read_from_site_chrome(profiles: dict[str, BrandProfile], name: str) -> None:
    profile, expected = profiles[name], expected_copy(name)
    fields = {
        "site_ctas": profile.site_ctas,
        "value_propositions": profile.value_propositions,
        "claims": [c.text for c in profile.claims],
        "testimonials": [t.quote for t in profile.social_proof.testimonials],
        "tagline": [profile.tagline],
    }
    for field, texts in fields.items():
        for text in texts:
            for label in expected["chrome_labels"]:
                assert not says(text, label), (field, text, label)
    for title in expected["section_titles"]:
        assert title not in profile.value_propositions
