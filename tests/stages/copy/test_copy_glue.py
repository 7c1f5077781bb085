"""Template copy reuses the site's words: the only words it adds are the few glue words listed in
`words.GLUE_WORDS` (so a content-coverage truth gate passes it), and none on non-English pages."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from brandtruth.models.brand import BrandProfile
from brandtruth.models.copy import Platform
from brandtruth.models.stage_io import CopyInput
from brandtruth.stages.copy.stage import template_run
from brandtruth.stages.copy.words import GLUE_WORDS
from tests.support.copy_structures import STRUCTURE_SITES, extract_site

pytestmark = pytest.mark.timeout(180)
WORD = re.compile(r"[^\W\d_]+")


@pytest.fixture(scope="module")
async def profiles() -> AsyncIterator[dict[str, BrandProfile]]:
    yield {name: await extract_site(name) for name in STRUCTURE_SITES}


def site_words(p: BrandProfile) -> set[str]:
    sp = p.social_proof
    parts = [p.brand_name, p.tagline, p.description, p.url, p.primary_action]
    parts += [*p.value_propositions, *p.site_ctas, *p.key_terms]
    parts += [c.text for c in p.claims] + [e.quote for c in p.claims for e in c.evidence]
    parts += [t.quote for t in sp.testimonials] + [e.quote for t in sp.testimonials for e in t.evidence]
    parts += [x or "" for t in sp.testimonials for x in (t.author, t.role, t.company)]
    parts += [e.quote for r in sp.ratings for e in r.evidence] + [r.platform or "" for r in sp.ratings]
    parts += [c.text for c in sp.customer_counts] + [e.quote for c in sp.customer_counts for e in c.evidence]
    return {w.lower() for t in parts for w in WORD.findall(t)}


def test_glue_is_a_short_list() -> None:
    assert len(GLUE_WORDS) <= 80


@pytest.mark.parametrize("name", STRUCTURE_SITES)
async def test_template_adds_only_glue_words(profiles: dict[str, BrandProfile], name: str) -> None:
    profile = profiles[name]
    own = site_words(profile)
    for seed in (0, 1):
        inp = CopyInput(run_id="g", profile=profile, num_variants=6, platforms=list(Platform), seed=seed)
        for v in template_run(inp, False).variants:
            for text in (v.headline, v.primary_text, v.description, *v.headlines, *v.descriptions):
                added = {w.lower() for w in WORD.findall(text)} - own
                assert added <= GLUE_WORDS, (text, added - GLUE_WORDS)
                if profile.language != "en":
                    assert not added, (text, added)
