"""Compose stage: pixel-level checks on the PNGs it writes."""

from __future__ import annotations

import numpy as np
import pytest

from brandtruth.models.common import Box
from brandtruth.models.creative import FORMAT_SIZES, AdFormat, VariantCreatives
from brandtruth.models.stage_io import ComposeInput, ContactSheetInput, MatchInput
from brandtruth.stages.compose import compose_contact_sheet, compose_creatives
from brandtruth.stages.match import match_images

from .conftest import RUN_ID, Kit, encode, logo_image, photo, remeasure_contrast, variant

pytestmark = pytest.mark.timeout(120)


def inside(inner: Box, outer: Box) -> bool:
    return (
        inner.left >= outer.left
        and inner.top >= outer.top
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
    )


async def compose_for(kit: Kit, profile, variants, vid: str = "v1", formats=None) -> VariantCreatives:
    fmts = formats if formats is not None else list(AdFormat)
    v = next(x for x in variants if x.id == vid)
    matches = await match_images(
        MatchInput(run_id=RUN_ID, profile=profile, variants=variants, variant_id=vid, formats=fmts), kit.ctx
    )
    return await compose_creatives(
        ComposeInput(run_id=RUN_ID, profile=profile, variant=v, matches=matches, formats=fmts), kit.ctx
    )


def check_creative_pixels(kit: Kit, result: VariantCreatives, logo_rgb: tuple[int, int, int] | None) -> None:
    for creative in result.creatives:
        w, h = FORMAT_SIZES[creative.format]
        pixels = kit.read_rgb(creative.artifact)
        assert pixels.shape == (h, w, 3), creative.format
        assert (creative.width, creative.height) == (w, h)
        layout = creative.layout
        canvas = Box(left=0, top=0, right=w, bottom=h)
        assert inside(layout.safe_zone, canvas)
        roles = [t.role for t in layout.text_boxes]
        assert roles.count("headline") == 1 and roles.count("cta") == 1
        for tb in layout.text_boxes:
            assert tb.box.width > 0 and tb.box.height > 0
            assert inside(tb.box, layout.safe_zone), (creative.format, tb.role, tb.box, layout.safe_zone)
            assert tb.contrast >= 4.5, (creative.format, tb.role, tb.contrast)
            assert tb.color is not None
            measured = remeasure_contrast(pixels, tb.box, tb.color)
            assert measured >= 4.5, (creative.format, tb.role, measured)
        assert layout.cta_box is not None and inside(layout.cta_box, layout.safe_zone)
        assert layout.logo_box is not None and inside(layout.logo_box, layout.safe_zone)
        # No two elements overlap (a wordmark's text sits inside its own logo chip).
        named = [(t.role, t.box) for t in layout.text_boxes] + [("logo", layout.logo_box)]
        for i, (ra, a) in enumerate(named):
            for rb, b in named[i + 1 :]:
                if {ra, rb} == {"brand", "logo"}:
                    continue
                overlap = a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom
                assert not overlap, (creative.format, ra, rb)
        if logo_rgb is not None:
            lb = layout.logo_box
            region = pixels[lb.top : lb.bottom, lb.left : lb.right].astype(int)
            hits = (np.abs(region - np.array(logo_rgb)).sum(axis=2) < 40).mean()
            assert hits > 0.2, (creative.format, hits)


async def test_all_formats_from_site_images(kit: Kit) -> None:
    images = [
        kit.image_asset(
            encode(photo(1600, 1200, seed), "JPEG", quality=90), alt=alt, section="hero" if seed == 1 else "feature"
        )
        for seed, alt in [(1, "delivery van on a route"), (2, "team planning routes"), (3, "phone alert")]
    ]
    profile = kit.profile(images=images, logo=logo_image())
    variants = [variant("v1"), variant("v2", headline="Alerts before customers call")]
    result = await compose_for(kit, profile, variants)
    assert [c.format for c in result.creatives] == list(AdFormat)
    check_creative_pixels(kit, result, (192, 38, 211))
    for c in result.creatives:
        assert c.layout.image_id is not None and c.layout.image_id.startswith("site-")
        assert c.artifact.path == f"{RUN_ID}/creatives/v1-{c.format.value}.png"


async def test_image_less_profile_gets_every_format(kit: Kit) -> None:
    profile = kit.profile(images=[], logo=logo_image())
    result = await compose_for(kit, profile, [variant("v1")])
    assert [c.format for c in result.creatives] == list(AdFormat)
    check_creative_pixels(kit, result, (192, 38, 211))
    assert all(c.layout.image_source == "generated" for c in result.creatives)


async def test_deterministic_bytes(kit: Kit) -> None:
    images = [kit.image_asset(encode(photo(1400, 1000, 5), "JPEG"), alt="route map")]
    profile = kit.profile(images=images, logo=logo_image())
    variants = [variant("v1")]
    first = await compose_for(kit, profile, variants)
    first_bytes = [kit.store.read(c.artifact) for c in first.creatives]
    second = await compose_for(kit, profile, variants)
    assert [kit.store.read(c.artifact) for c in second.creatives] == first_bytes
    assert [c.artifact.sha256 for c in first.creatives] == [c.artifact.sha256 for c in second.creatives]


async def test_contact_sheet(kit: Kit) -> None:
    profile = kit.profile(images=[], logo=logo_image())
    variants = [variant("v1"), variant("v2", headline="Second idea")]
    creatives = []
    for v in variants:
        creatives.extend((await compose_for(kit, profile, variants, v.id)).creatives)
    ref = await compose_contact_sheet(ContactSheetInput(run_id=RUN_ID, creatives=creatives), kit.ctx)
    assert ref.path == f"{RUN_ID}/contact-sheet.png"
    sheet = kit.read_rgb(ref)
    assert sheet.shape[0] > 2 * 360 and sheet.shape[1] > 4 * 200
