"""Match stage: ranking, crops, diversity across variants, and awkward inputs."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from PIL import Image

from brandtruth.errors import BadInputError
from brandtruth.models.creative import AdFormat, ImageSource, VariantMatches
from brandtruth.models.stage_io import MatchInput
from brandtruth.stages.match import match_images

from .conftest import RUN_ID, Kit, encode, scene, variant

pytestmark = pytest.mark.timeout(120)


def first(vm: VariantMatches, fmt: AdFormat) -> str:
    return next(m.candidate.id for m in vm.matches if m.format == fmt)


async def run_all(kit: Kit, profile, variants, formats=None) -> list[VariantMatches]:
    return list(
        await asyncio.gather(
            *(
                match_images(
                    MatchInput(
                        run_id=RUN_ID,
                        profile=profile,
                        variants=variants,
                        variant_id=v.id,
                        formats=formats or list(AdFormat),
                    ),
                    kit.ctx,
                )
                for v in variants
            )
        )
    )


async def test_relevant_image_ranks_first_and_variants_differ(kit: Kit) -> None:
    images = [
        kit.asset(encode(scene(1600, 1200, 1), "JPEG"), alt="Mountain bike on a forest trail", name="bike-trail.jpg"),
        kit.asset(encode(scene(1600, 1200, 2), "JPEG"), alt="Espresso coffee cup on a cafe table", name="coffee.jpg"),
        kit.asset(encode(scene(1600, 1200, 3), "JPEG"), alt="Running shoes for marathon runners", name="shoes.jpg"),
    ]
    profile = kit.profile(images)
    variants = [
        variant("v1", "Ride every trail", "A mountain bike built for forest trails"),
        variant("v2", "Your morning espresso", "Fresh coffee from our cafe"),
        variant("v3", "Run your first marathon", "Shoes made for runners"),
    ]
    results = await run_all(kit, profile, variants)
    ids = {c.id: c for c in [m.candidate for vm in results for m in vm.matches]}
    by_alt = {c.alt.split()[0]: cid for cid, c in ids.items()}
    assert first(results[0], AdFormat.SQUARE) == by_alt["Mountain"]
    assert first(results[1], AdFormat.SQUARE) == by_alt["Espresso"]
    assert first(results[2], AdFormat.SQUARE) == by_alt["Running"]
    for vm in results:
        for fmt in AdFormat:
            ranked = [m for m in vm.matches if m.format == fmt]
            assert 1 <= len(ranked) <= 4
            top = ranked[0]
            assert 0.0 <= top.score.total <= 1.0
            if top.candidate.source is ImageSource.SITE:
                assert top.crop is not None
                w, h = fmt.size
                assert abs(top.crop.width / top.crop.height - w / h) < 0.01
                assert top.crop.left >= 0 and top.crop.right <= top.candidate.width
                assert top.crop.top >= 0 and top.crop.bottom <= top.candidate.height


async def test_identical_copy_still_spreads_over_images(kit: Kit) -> None:
    images = [kit.asset(encode(scene(1400, 1400, s), "JPEG"), alt="product photo") for s in range(3)]
    profile = kit.profile(images)
    variants = [variant(f"v{i}", "Same headline", "Same text") for i in (1, 2, 3)]
    results = await run_all(kit, profile, variants)
    for fmt in AdFormat:
        chosen = [first(vm, fmt) for vm in results]
        assert len(set(chosen)) == 3, (fmt, chosen)


async def test_more_variants_than_images_reuses_then_falls_back(kit: Kit) -> None:
    images = [kit.asset(encode(scene(1400, 1400, 7), "JPEG"), alt="product")]
    profile = kit.profile(images)
    variants = [variant(f"v{i}", "Headline", "Text") for i in (1, 2)]
    results = await run_all(kit, profile, variants, [AdFormat.SQUARE])
    assert images[0].artifact is not None
    site_id = f"site-{images[0].artifact.sha256[:12]}"
    chosen = [first(vm, AdFormat.SQUARE) for vm in results]
    assert chosen[0] == site_id and set(chosen) <= {site_id, "generated-brand"}
    # Every format list ends in (or contains) the brand background as a last resort.
    for vm in results:
        assert any(m.candidate.id == "generated-brand" for m in vm.matches)


async def test_crop_follows_the_subject(kit: Kit) -> None:
    img = scene(2400, 1000, 4, subject_at=(0.82, 0.5))
    profile = kit.profile([kit.asset(encode(img, "JPEG"), alt="subject")])
    [vm] = await run_all(kit, profile, [variant("v1", "Anything")], [AdFormat.STORY])
    crop = vm.matches[0].crop
    assert crop is not None
    assert crop.left <= 0.82 * 2400 <= crop.right, crop


async def test_awkward_images_are_handled(kit: Kit) -> None:
    rgba = Image.new("RGBA", (900, 900), (0, 0, 0, 0))
    rgba.paste(scene(600, 600, 9), (150, 150))
    cmyk = scene(1000, 800, 10).convert("CMYK")
    palette = scene(1000, 800, 11).quantize(64)
    sixteen = Image.fromarray((np.linspace(0, 65535, 1000 * 800).reshape(800, 1000)).astype(np.uint16))
    good = [
        kit.asset(encode(rgba), alt="transparent"),
        kit.asset(encode(cmyk, "JPEG"), alt="cmyk"),
        kit.asset(encode(palette, "GIF"), alt="palette"),
        kit.asset(encode(sixteen), alt="sixteen bit"),
        kit.asset(encode(scene(5000, 4000, 12), "JPEG", quality=70), alt="huge"),
    ]
    bad = [
        kit.asset(b"\x89PNG\r\n\x1a\nnot really a png", alt="corrupt"),
        kit.asset(encode(scene(1200, 900, 13), "JPEG")[:2000], alt="truncated"),
        kit.asset(encode(scene(64, 64, 14)), alt="tiny"),
    ]
    profile = kit.profile(good + bad)
    [vm] = await run_all(kit, profile, [variant("v1", "Anything")])
    used = {m.candidate.alt for m in vm.matches}
    assert not used & {"corrupt", "truncated", "tiny"}
    assert len(vm.warnings) == 3, vm.warnings
    pool_alts = {m.candidate.alt for m in vm.matches if m.candidate.source is ImageSource.SITE}
    assert pool_alts, "usable awkward images should remain candidates"
    huge = [m for m in vm.matches if m.candidate.alt == "huge"]
    assert all(m.candidate.width == 5000 and m.candidate.height == 4000 for m in huge)


async def test_exif_rotated_photo_reports_upright_size(kit: Kit) -> None:
    img = scene(1200, 800, 15)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    profile = kit.profile([kit.asset(encode(img, "JPEG", exif=exif.tobytes()), alt="rotated")])
    [vm] = await run_all(kit, profile, [variant("v1", "Anything")], [AdFormat.SQUARE])
    cand = next(m.candidate for m in vm.matches if m.candidate.source is ImageSource.SITE)
    assert (cand.width, cand.height) == (800, 1200)


async def test_no_images_gives_generated_background(kit: Kit) -> None:
    [vm] = await run_all(kit, kit.profile([]), [variant("v1", "Anything")])
    for fmt in AdFormat:
        assert first(vm, fmt) == "generated-brand"


async def test_unknown_variant_is_bad_input(kit: Kit) -> None:
    with pytest.raises(BadInputError):
        await match_images(
            MatchInput(
                run_id=RUN_ID, profile=kit.profile([]), variants=[variant("v1", "x")], variant_id="v9", formats=[]
            ),
            kit.ctx,
        )


async def test_deterministic_and_small_enough_for_workflow_history(kit: Kit) -> None:
    long_text = "Hand-roasted coffee beans from family farms " * 40
    images = [
        kit.asset(encode(scene(900 + 40 * i, 900, 30 + i), "JPEG"), alt=long_text, heading=long_text, context=long_text)
        for i in range(12)
    ]
    profile = kit.profile(images)
    variants = [variant(f"v{i}", f"Coffee idea {i}", long_text) for i in range(1, 6)]
    results = await run_all(kit, profile, variants)
    again = await run_all(kit, profile, variants)
    assert [vm.model_dump() for vm in results] == [vm.model_dump() for vm in again]
    for vm in results:
        assert len(vm.model_dump_json()) < 30_000
    # Five variants, twelve images: every format spreads the variants over five images.
    for fmt in AdFormat:
        assert len({first(vm, fmt) for vm in results}) == 5
