"""The default (template) generator through the public stage entry point."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brandtruth.models.brand import BrandProfile
from brandtruth.models.copy import CopyResult, Platform
from brandtruth.platforms import display_width, spec_for
from brandtruth.stages.context import StageContext
from brandtruth.stages.copy import generate_copy
from brandtruth.stages.copy.checks import validate_variant
from brandtruth.stages.copy.grounding import SupportIndex
from brandtruth.stages.copy.platforms import fit_text
from tests.support.copy_builders import bare_profile, copy_input, make_ctx, rich_profile

ALL = [Platform.META, Platform.GOOGLE_RSA, Platform.LINKEDIN, Platform.TIKTOK]


def texts(result: CopyResult) -> list[str]:
    out: list[str] = []
    for v in result.variants:
        out += [v.headline, v.primary_text, v.description, *v.headlines, *v.descriptions, v.path1, v.path2]
    return out


def assert_valid(result: CopyResult, profile: BrandProfile, allow_high: bool = False) -> None:
    index = SupportIndex(profile, allow_high)
    ids = [v.id for v in result.variants]
    assert ids == [f"v{i}" for i in range(1, len(ids) + 1)]
    pairs = [(v.angle, v.headline.lower()) for v in result.variants]
    assert len(set(pairs)) == len(pairs), "two variants share angle and headline"
    bodies = [(v.platform, v.primary_text) for v in result.variants]
    assert len(set(bodies)) == len(bodies), "duplicate variant text on one platform"
    for v in result.variants:
        check = validate_variant(v, spec_for(v.platform), index)
        assert check.ok, (v.id, check.issues)
        for use in v.claims_used:
            assert any(use.span in t for t in texts(CopyResult(variants=[v])))
            # Every cited claim exists and may be used (the score stage relies on this), and the
            # citation carries the verbatim evidence it rests on.
            claim = profile.claim(use.claim_id)
            assert claim is not None and claim not in index.forbidden
            assert any(e.quote.startswith(use.quote.rstrip("…")) for e in claim.evidence) and use.url
        for proof in v.proof_used:
            assert any(proof.span in t for t in texts(CopyResult(variants=[v])))


async def test_meta_variants_are_grounded_and_within_limits(profile: BrandProfile, ctx: StageContext) -> None:
    result = await generate_copy(copy_input(profile, n=6), ctx)
    assert len(result.variants) == 6
    assert_valid(result, profile)
    assert len({v.angle for v in result.variants}) == 6, "six slots should use six angles"
    for v in result.variants:
        assert display_width(v.headline) <= 40
        assert display_width(v.primary_text) <= 125
        assert display_width(v.description) <= 30
        assert v.cta in spec_for(Platform.META).ctas
        assert v.generator == "template"
    joined = " ".join(texts(result))
    assert "40%" not in joined  # the value proposition with an unsupported number
    assert "double" not in joined.lower()  # blocked claim
    assert "#1" not in joined  # high-risk claim, not allowed by default
    assert "cheap" not in joined.lower()
    # The claims the copy rests on are recorded with their spans.
    used = {u.claim_id for v in result.variants for u in v.claims_used}
    assert {"c1", "c2"} <= used
    proof = {(p.kind, p.index) for v in result.variants for p in v.proof_used}
    assert proof <= {("rating", 0), ("testimonial", 0), ("customer_count", 0)}


async def test_all_platforms_ids_unique_across_run(profile: BrandProfile, ctx: StageContext) -> None:
    result = await generate_copy(copy_input(profile, n=10, platforms=ALL), ctx)
    assert_valid(result, profile)
    assert [v.platform for v in result.variants] == [p for p in ALL for _ in range(10)]
    for v in result.variants:
        spec = spec_for(v.platform)
        if v.platform is Platform.GOOGLE_RSA:
            assert 3 <= len(v.headlines) <= 15 and 2 <= len(v.descriptions) <= 4
            assert all(display_width(h) <= 30 for h in v.headlines)
            assert len({h.lower() for h in v.headlines}) == len(v.headlines)
            assert all(display_width(d) <= 90 for d in v.descriptions)
            assert display_width(v.path1) <= 15 and display_width(v.path2) <= 15
        if v.platform is Platform.TIKTOK:
            assert 12 <= display_width(v.primary_text) <= 100
            assert "#" not in v.primary_text
        if v.platform is Platform.LINKEDIN:
            assert display_width(v.primary_text) <= 150 and display_width(v.headline) <= 70
        assert v.cta in spec.ctas


async def test_same_seed_same_output_other_seed_other_phrasing(profile: BrandProfile, tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path)
    a = await generate_copy(copy_input(profile, n=8, seed=7), ctx)
    b = await generate_copy(copy_input(profile, n=8, seed=7), ctx)
    assert a == b
    others = [await generate_copy(copy_input(profile, n=8, seed=s), ctx) for s in (1, 2, 3)]
    assert any(o.variants != a.variants for o in others)


async def test_site_ctas_map_to_platform_buttons(profile: BrandProfile, ctx: StageContext) -> None:
    result = await generate_copy(copy_input(profile, n=6, platforms=[Platform.META, Platform.LINKEDIN]), ctx)
    meta = {v.cta for v in result.variants if v.platform is Platform.META}
    linkedin = {v.cta for v in result.variants if v.platform is Platform.LINKEDIN}
    assert meta <= {"Get Started", "Book Now"} and meta
    assert linkedin <= {"Sign Up", "Request Demo"} and linkedin
    assert not any("Log in" in v.primary_text for v in result.variants)


async def test_high_risk_claims_only_with_setting_and_flagged(tmp_path: Path) -> None:
    profile = rich_profile()
    ctx = make_ctx(tmp_path, BRANDTRUTH_ALLOW_HIGH_RISK_CLAIMS=True)
    result = await generate_copy(copy_input(profile, n=10, platforms=ALL), ctx)
    assert_valid(result, profile, allow_high=True)
    flagged = [v for v in result.variants if any(u.claim_id == "c3" for u in v.claims_used)]
    assert flagged, "the allowed high-risk claim should be used somewhere"
    for v in flagged:
        assert any("high-risk claim c3" in w for w in v.warnings)


async def test_empty_profile_gives_honest_generic_variants(empty_profile: BrandProfile, ctx: StageContext) -> None:
    result = await generate_copy(copy_input(empty_profile, n=3), ctx)
    assert result.variants
    assert_valid(result, empty_profile)
    assert any("no usable claims or value propositions" in w for w in result.warnings)
    for v in result.variants:
        assert "Quiet Brand" in v.headline + v.primary_text
        assert not re.search(r"\d", v.headline + v.primary_text)
        assert v.cta == "Contact Us"


async def test_more_variants_than_content_gives_fewer_with_warning(ctx: StageContext) -> None:
    profile = bare_profile()
    result = await generate_copy(copy_input(profile, n=10), ctx)
    assert 1 <= len(result.variants) < 10
    assert_valid(result, profile)
    assert any("distinct variant" in w for w in result.warnings)


async def test_cjk_copy_is_measured_by_display_width(ctx: StageContext) -> None:
    profile = BrandProfile(
        url="https://www.sakura-tea.test/",
        brand_name="さくら茶房",
        tagline="京都の老舗茶屋が選んだ、香り高い抹茶と季節の和菓子をご自宅までお届けします",
        value_propositions=[
            "毎朝丁寧に石臼で挽いた抹茶を使用し、香りと色を大切にした一杯をお楽しみいただけます",
            "季節ごとに変わる和菓子の詰め合わせ",
        ],
        site_ctas=["Shop now"],
    )
    result = await generate_copy(copy_input(profile, n=4, platforms=[Platform.META, Platform.TIKTOK]), ctx)
    assert result.variants
    assert_valid(result, profile)
    for v in result.variants:
        spec = spec_for(v.platform)
        assert display_width(v.headline) <= spec.headline_max
        assert display_width(v.primary_text) <= spec.primary_max
        # Only the site's own (Japanese) sentences: no English connective phrasing mixed in.
        assert not re.search(r"\b(Why|That's|Curious|Meet|Discover|Inside)\b", v.headline + v.primary_text)
        assert not v.headline.endswith(("、", "，")) and " 。" not in v.primary_text


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Book meetings in seconds, not emails", 30, "Book meetings in seconds"),
        ("Fresh bread, baked daily (since dawn)", 31, "Fresh bread, baked daily"),
        ("Short enough", 40, "Short enough"),
        ("A tool for the team and the boss", 22, "A tool for the team"),
    ],
)
def test_fit_text_cuts_at_words_without_dangling_bits(text: str, limit: int, expected: str) -> None:
    out = fit_text(text, limit)
    assert out == expected
    assert display_width(out) <= limit


def test_fit_text_cjk_without_spaces() -> None:
    text = "京都の老舗茶屋が選んだ、香り高い抹茶と季節の和菓子"
    out = fit_text(text, 30)
    assert display_width(out) <= 30 and out and text.startswith(out)
    assert display_width("抹茶") == 4
