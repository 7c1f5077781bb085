"""Compose on hostile inputs: backgrounds that fight the text, awkward images, awkward copy."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from PIL import Image, ImageDraw

from brandtruth.formats import safe_box
from brandtruth.models.common import Box
from brandtruth.models.creative import (
    AdFormat,
    ImageCandidate,
    ImageMatch,
    ImageSource,
    MatchBreakdown,
    VariantMatches,
)
from brandtruth.models.stage_io import ComposeInput
from brandtruth.stages.compose import compose_creatives

from .conftest import RUN_ID, Kit, encode, logo_image, photo, variant
from .test_compose_creatives import check_creative_pixels, compose_for

pytestmark = pytest.mark.timeout(180)
MAGENTA = (192, 38, 211)


def overlaps(a: Box, b: Box) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def checkerboard(size: int = 1200, cell: int = 6) -> Image.Image:
    yy, xx = np.indices((size, size))
    board = (((yy // cell) + (xx // cell)) % 2 * 255).astype(np.uint8)
    return Image.fromarray(np.stack([board] * 3, axis=-1), "RGB")


def stripes(size: int = 1200) -> Image.Image:
    img = Image.new("RGB", (size, size), (250, 250, 250))
    draw = ImageDraw.Draw(img)
    for x in range(0, size, 24):
        draw.rectangle((x, 0, x + 9, size), fill=(15, 15, 15))
    return img


@pytest.mark.parametrize(
    ("name", "image"),
    [
        ("white", Image.new("RGB", (1200, 1200), (255, 255, 255))),
        ("black", Image.new("RGB", (1200, 1200), (0, 0, 0))),
        ("mid-grey", Image.new("RGB", (1200, 1200), (119, 119, 119))),
        ("checkerboard", checkerboard()),
        ("stripes", stripes()),
        ("busy photo", photo(1400, 1400, 21, busy=True)),
    ],
)
async def test_text_stays_legible_on_any_background(kit: Kit, name: str, image: Image.Image) -> None:
    profile = kit.profile(images=[kit.image_asset(encode(image), alt=name)], logo=logo_image())
    result = await compose_for(kit, profile, [variant("v1")])
    check_creative_pixels(kit, result, MAGENTA)
    for c in result.creatives:
        assert c.layout.image_source == "site"
        if name in ("white", "black"):
            # Flat backgrounds need no help: the scrim/panel is added only when needed.
            assert not c.layout.scrim and not c.layout.panel, c.format
        if name in ("checkerboard", "stripes"):
            # Busy pictures get a scrim or panel, or (split layouts) the text sits beside them.
            split = (c.layout.layout_template or "").endswith("framed") and c.layout.image_box is not None
            assert c.layout.scrim or c.layout.panel or split, c.format
            if split and not (c.layout.scrim or c.layout.panel) and c.layout.image_box is not None:
                assert not any(overlaps(t.box, c.layout.image_box) for t in c.layout.text_boxes), c.format


async def test_dark_logo_on_dark_image_gets_a_chip(kit: Kit) -> None:
    dark = Image.new("RGB", (1200, 1200), (20, 20, 28))
    profile = kit.profile(images=[kit.image_asset(encode(dark))], logo=logo_image("#101018"))
    result = await compose_for(kit, profile, [variant("v1")], formats=[AdFormat.SQUARE])
    [c] = result.creatives
    pixels = kit.read_rgb(c.artifact)
    lb = c.layout.logo_box
    assert lb is not None
    region = pixels[lb.top : lb.bottom, lb.left : lb.right].astype(int)
    logo_px = (np.abs(region - np.array([16, 16, 24])).sum(axis=2) < 30).mean()
    light_px = (region.mean(axis=2) > 200).mean()
    assert logo_px > 0.15 and light_px > 0.15, (logo_px, light_px)


async def test_no_logo_draws_a_legible_wordmark(kit: Kit) -> None:
    profile = kit.profile(images=[], logo=None, name="Northwind & Co")
    result = await compose_for(kit, profile, [variant("v1")])
    check_creative_pixels(kit, result, None)
    for c in result.creatives:
        brand = [t for t in c.layout.text_boxes if t.role == "brand"]
        assert len(brand) == 1 and brand[0].text == "Northwind & Co"
        assert c.layout.logo_box is not None
    assert any("wordmark" in w for w in result.warnings)


@pytest.mark.parametrize(
    "headline",
    [
        "Supercalifragilisticexpialidociousnessextraordinaire deliveries",
        "The fastest, friendliest, most reliable route planning software for every delivery team on earth, "
        "from corner bakeries to national freight carriers with thousands of vans",
        "Save 10 hours a week 🚚✨ with routes that plan themselves",
        "x",
    ],
)
async def test_awkward_copy_fits_inside_the_safe_zone(kit: Kit, headline: str) -> None:
    profile = kit.profile(images=[], logo=logo_image())
    v = variant("v1", headline=headline, description="", primary="A" * 400, cta="Get started today for free")
    result = await compose_for(kit, profile, [v])
    check_creative_pixels(kit, result, MAGENTA)
    for c in result.creatives:
        drawn = next(t for t in c.layout.text_boxes if t.role == "headline").text
        assert "🚚" not in drawn
    if "🚚" in headline:
        assert any("cannot draw" in w for w in result.warnings)


async def test_awkward_source_images_compose(kit: Kit) -> None:
    base = photo(1300, 1000, 31)
    transparent = Image.new("RGBA", (1100, 1100), (0, 0, 0, 0))
    transparent.paste(photo(700, 700, 32), (200, 200))
    sixteen = Image.fromarray((np.linspace(0, 65535, 1000 * 1200).reshape(1000, 1200)).astype(np.uint16))
    cases = {
        "cmyk": encode(base.convert("CMYK"), "JPEG"),
        "palette": encode(base.quantize(32), "GIF"),
        "transparent": encode(transparent),
        "sixteen": encode(sixteen),
        "huge": encode(photo(6000, 4000, 33), "JPEG", quality=60),
        "small": encode(photo(400, 300, 34), "JPEG"),
    }
    for name, data in cases.items():
        profile = kit.profile(images=[kit.image_asset(data, alt=name)], logo=logo_image())
        result = await compose_for(kit, profile, [variant("v1")])
        assert len(result.creatives) == 4, name
        check_creative_pixels(kit, result, MAGENTA)


async def test_corrupt_chosen_image_falls_back(kit: Kit) -> None:
    bad_ref = kit.put(b"\xff\xd8\xff\xe0 definitely not a jpeg", "broken.jpg", "image/jpeg")
    profile = kit.profile(images=[], logo=logo_image())
    cand = ImageCandidate(id="site-broken", source=ImageSource.SITE, artifact=bad_ref, width=1200, height=1200)
    score = MatchBreakdown(relevance=1, fit=1, text_room=1, diversity=1, total=1)
    matches = VariantMatches(
        variant_id="v1",
        matches=[
            ImageMatch(
                variant_id="v1",
                format=AdFormat.SQUARE,
                candidate=cand,
                score=score,
                crop=Box(left=0, top=0, right=1200, bottom=1200),
            ),
        ],
    )
    result = await compose_creatives(
        ComposeInput(
            run_id=RUN_ID,
            profile=profile,
            variant=variant("v1"),
            matches=matches,
            formats=[AdFormat.SQUARE, AdFormat.STORY],
        ),
        kit.ctx,
    )
    assert [c.format for c in result.creatives] == [AdFormat.SQUARE, AdFormat.STORY]
    assert all(c.layout.image_source == "generated" for c in result.creatives)
    assert any("site-broken" in w for w in result.warnings)
    check_creative_pixels(kit, result, MAGENTA)


async def test_variants_use_different_images(kit: Kit) -> None:
    images = [kit.image_asset(encode(photo(1500, 1200, 40 + i), "JPEG"), alt="delivery van") for i in range(3)]
    profile = kit.profile(images=images, logo=logo_image())
    variants = [variant("v1"), variant("v2", headline="Routes in minutes"), variant("v3", headline="Happy drivers")]
    used: dict[AdFormat, set[str | None]] = {f: set() for f in AdFormat}
    for v in variants:
        result = await compose_for(kit, profile, variants, v.id)
        for c in result.creatives:
            used[c.format].add(c.layout.image_id)
    for fmt, ids in used.items():
        assert len(ids) == 3, (fmt, ids)


async def test_png_has_no_metadata_chunks(kit: Kit) -> None:
    profile = kit.profile(images=[], logo=logo_image())
    result = await compose_for(kit, profile, [variant("v1")], formats=[AdFormat.LANDSCAPE])
    data = kit.store.read(result.creatives[0].artifact)
    pos, kinds = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kinds.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    assert kinds == [b"IHDR", b"IDAT", b"IEND"]


def test_story_safe_zone_is_the_platform_guidance() -> None:
    # Nothing in the top 14 %, bottom 35 % or outer 6 % of a 1080x1920 story.
    assert safe_box(AdFormat.STORY) == Box(left=65, top=269, right=1015, bottom=1248)
    for fmt in AdFormat:
        w, h = fmt.size
        sb = safe_box(fmt)
        assert 0 < sb.left < sb.right < w and 0 < sb.top < sb.bottom < h
