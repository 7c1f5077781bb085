"""Pictures that carry their own text (social cards, banners) rank below clean pictures."""

from __future__ import annotations

import asyncio

import pytest
from PIL import Image, ImageDraw

from brandtruth.models.creative import AdFormat, ImageMatch, VariantMatches
from brandtruth.models.stage_io import MatchInput
from brandtruth.stages.compose.fonts import BOLD, REGULAR, font
from brandtruth.stages.match import match_images

from .conftest import RUN_ID, Kit, encode, scene, variant

pytestmark = pytest.mark.timeout(120)


def with_card_text(img: Image.Image) -> Image.Image:
    """The same picture turned into a social card: a two-line headline and a tagline on it."""
    out = img.copy()
    draw = ImageDraw.Draw(out)
    w, h = out.size
    big = font(BOLD, round(h * 0.09))
    draw.text((round(w * 0.06), round(h * 0.12)), "Reporting your whole", font=big, fill=(255, 255, 255))
    draw.text((round(w * 0.06), round(h * 0.24)), "team can trust.", font=big, fill=(255, 255, 255))
    small = font(REGULAR, round(h * 0.045))
    draw.text((round(w * 0.06), round(h * 0.82)), "Trusted by 12,000 finance teams", font=small, fill=(255, 230, 140))
    return out


async def match_one(kit: Kit, profile, formats: list[AdFormat]) -> VariantMatches:
    return await match_images(
        MatchInput(
            run_id=RUN_ID,
            profile=profile,
            variants=[variant("v1", "Reports your whole team can trust")],
            variant_id="v1",
            formats=formats,
        ),
        kit.ctx,
    )


def by_candidate(vm: VariantMatches, fmt: AdFormat) -> dict[str, ImageMatch]:
    return {m.candidate.id: m for m in vm.matches if m.format == fmt}


async def test_card_with_its_own_headline_ranks_below_the_clean_photo(kit: Kit) -> None:
    clean = scene(1600, 1000, 21, subject_at=(0.7, 0.5))
    alt = "Finance team reviewing reports"
    # Same words around both; the card is even the sharper file (the clean one is smaller and
    # has to be upscaled), so only its baked-in text can put it second.
    card_asset = kit.asset(encode(with_card_text(clean), "JPEG", quality=92), alt=alt, section="hero")
    small = clean.resize((900, 562), Image.Resampling.LANCZOS)
    clean_asset = kit.asset(encode(small, "JPEG", quality=92), alt=alt, section="hero")
    profile = kit.profile([card_asset, clean_asset])
    vm = await match_one(kit, profile, list(AdFormat))
    assert card_asset.artifact is not None and clean_asset.artifact is not None
    card_id, clean_id = f"site-{card_asset.artifact.sha256[:12]}", f"site-{clean_asset.artifact.sha256[:12]}"
    for fmt in AdFormat:
        ranked = [m.candidate.id for m in vm.matches if m.format == fmt]
        assert ranked[0] == clean_id, (fmt, ranked)
        scores = by_candidate(vm, fmt)
        card, photo = scores[card_id], scores[clean_id]
        assert card.score.relevance == photo.score.relevance
        assert card.score.total < photo.score.total
        assert card.score.baked_text is not None and card.score.baked_text >= 0.8
        assert photo.score.baked_text is not None and photo.score.baked_text < 0.05
        assert any("text" in n for n in card.score.notes), card.score.notes
    # The regions travel with the candidate, in full-size pixels, for compose to keep clear of.
    regions = next(m.candidate.text_regions for m in vm.matches if m.candidate.id == card_id)
    assert regions and all(0 <= r.left < r.right <= 1600 and 0 <= r.top < r.bottom <= 1000 for r in regions)
    # Both headline lines (drawn at y 120 and 240, 90 px type) are covered.
    assert any(r.top <= 130 and r.bottom >= 200 for r in regions), regions
    assert any(r.top <= 250 and r.bottom >= 320 for r in regions), regions


async def test_a_social_card_loses_even_to_the_brand_background(kit: Kit) -> None:
    card = with_card_text(scene(1200, 630, 22, subject_at=(0.8, 0.5)))
    profile = kit.profile([kit.asset(encode(card, "JPEG", quality=92), alt="Reports your whole team can trust")])
    vm = await match_one(kit, profile, [AdFormat.SQUARE, AdFormat.STORY])
    for fmt in (AdFormat.SQUARE, AdFormat.STORY):
        assert next(m.candidate.id for m in vm.matches if m.format == fmt) == "generated-brand"


def lettered(lines_at: list[int]) -> Image.Image:
    img = Image.new("RGB", (1400, 1400), (30, 60, 110))
    draw = ImageDraw.Draw(img)
    f = font(BOLD, 64)
    for y in lines_at:
        draw.text((90, y), "Big baked headline here", font=f, fill=(250, 250, 250))
    return img


async def test_text_room_counts_baked_text_in_the_zone(kit: Kit) -> None:
    """Our copy goes where the picture has no text of its own; text in both zones leaves no room."""
    bottom_only = kit.asset(encode(lettered([900, 1000, 1100])), alt="picture")
    both = kit.asset(encode(lettered([300, 400, 900, 1000, 1100])), alt="picture")
    clean = kit.asset(encode(lettered([])), alt="picture")
    vm = await match_one(kit, kit.profile([bottom_only, both, clean]), [AdFormat.SQUARE])
    scores = {m.candidate.id: m for m in vm.matches}
    pick = {a.url: scores.get(f"site-{a.artifact.sha256[:12]}") for a in (bottom_only, both, clean) if a.artifact}
    assert all(m is not None for m in pick.values()), "every picture should be among the kept matches"
    m_bottom, m_both, m_clean = (pick[a.url] for a in (bottom_only, both, clean))
    assert m_bottom is not None and m_both is not None and m_clean is not None
    assert m_bottom.text_zone == "top"
    assert m_both.score.text_room < m_clean.score.text_room - 0.3, (m_both.score, m_clean.score)


async def test_parallel_variants_agree_with_text_penalties(kit: Kit) -> None:
    clean = [scene(1400, 1000, 40 + i) for i in range(3)]
    assets = [kit.asset(encode(with_card_text(clean[0]), "JPEG"), alt="team reports")]
    assets += [kit.asset(encode(img, "JPEG"), alt="team reports") for img in clean]
    profile = kit.profile(assets)
    variants = [variant(f"v{i}", "Reports for the whole team") for i in (1, 2, 3)]
    results = await asyncio.gather(
        *(
            match_images(
                MatchInput(run_id=RUN_ID, profile=profile, variants=variants, variant_id=v.id, formats=[]), kit.ctx
            )
            for v in variants
        )
    )
    card_id = f"site-{assets[0].artifact.sha256[:12]}" if assets[0].artifact else ""
    chosen = {next(m.candidate.id for m in vm.matches if m.format is AdFormat.SQUARE) for vm in results}
    # Three clean pictures for three variants: the card is nobody's first choice.
    assert len(chosen) == 3 and card_id not in chosen
