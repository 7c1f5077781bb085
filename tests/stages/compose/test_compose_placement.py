"""Subject placement: a product under the text is moved clear of it; full-frame photos are not."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from brandtruth.models.creative import AdFormat
from brandtruth.stages.compose.placement import cut_sides

from .conftest import Kit, encode, logo_image, photo, variant
from .test_compose_creatives import check_creative_pixels, compose_for

pytestmark = pytest.mark.timeout(120)
PRODUCT = (30, 80, 200)


def studio_shot(size: int = 1000) -> Image.Image:
    """A tall blue product centred on a light sweep (vertical gradient), with a soft shadow."""
    ys = np.linspace(240, 210, size, dtype=np.float32)[:, None, None]
    bg = np.broadcast_to(np.concatenate([ys, ys - 4, ys - 10], axis=2), (size, size, 3)).astype(np.uint8)
    img = Image.fromarray(np.ascontiguousarray(bg), "RGB")
    shadow = Image.new("L", img.size, 0)
    ImageDraw.Draw(shadow).ellipse((330, 860, 670, 920), fill=90)
    img.paste((120, 110, 100), (0, 0), shadow.filter(ImageFilter.GaussianBlur(12)))
    ImageDraw.Draw(img).rounded_rectangle((360, 200, 640, 880), radius=30, fill=PRODUCT)
    return img


def product_share(pixels: np.ndarray, box) -> float:
    region = pixels[box.top : box.bottom, box.left : box.right].astype(int)
    return float((np.abs(region - np.array(PRODUCT)).sum(axis=2) < 60).mean())


async def test_product_is_moved_clear_of_the_text(kit: Kit) -> None:
    assert cut_sides(np.asarray(studio_shot())) == set()
    profile = kit.profile(
        images=[kit.image_asset(encode(studio_shot(), "JPEG", quality=92), alt="product")], logo=logo_image()
    )
    result = await compose_for(kit, profile, [variant("v1")])
    check_creative_pixels(kit, result, (192, 38, 211))
    for c in result.creatives:
        pixels = kit.read_rgb(c.artifact)
        assert c.layout.image_box is not None, c.format
        whole = product_share(pixels, c.layout.safe_zone)
        assert whole > 0.03, (c.format, whole)  # the product is on the canvas...
        for tb in c.layout.text_boxes:
            assert product_share(pixels, tb.box) < 0.01, (c.format, tb.role)  # ...but not under text
        assert not c.layout.scrim and not c.layout.panel  # calm backdrop: no scrim needed


async def test_full_frame_photo_stays_full_bleed(kit: Kit) -> None:
    """A busy full-frame photo fills a square (text on a scrim or panel); landscape splits it
    beside a text column on the brand field, never enlarged more than 1.5×."""
    img = photo(1500, 1500, 77, busy=True)
    assert len(cut_sides(np.asarray(img))) >= 3
    profile = kit.profile(images=[kit.image_asset(encode(img, "JPEG"))], logo=logo_image())
    result = await compose_for(kit, profile, [variant("v1")], formats=[AdFormat.SQUARE, AdFormat.LANDSCAPE])
    for c in result.creatives:
        assert c.layout.picture_scale is not None and c.layout.picture_scale <= 1.5
        if c.format is AdFormat.LANDSCAPE:
            assert c.layout.layout_template in {"column-left-framed", "column-right-framed"}
            assert c.layout.image_box is not None
            assert 0.4 <= c.layout.image_box.width / c.width <= 0.5
        else:
            assert c.layout.image_box is None
            assert c.layout.scrim or c.layout.panel


def studio_shot_with_props(size: int = 1000) -> Image.Image:
    """The studio shot with beans touching its bottom edge and a stem entering from the left."""
    img = studio_shot(size)
    draw = ImageDraw.Draw(img)
    for x in range(120, 880, 95):
        draw.ellipse((x, size - 18, x + 30, size + 12), fill=(60, 35, 20))
    draw.rectangle((0, 420, 40, 428), fill=(40, 90, 40))
    return img


async def test_extended_backdrop_has_no_streaks_or_blobs(kit: Kit) -> None:
    """Outside the inset picture the backdrop is calm: props touching the photo's edges are not
    smeared across the canvas (they used to be, as long faded streaks)."""
    img = studio_shot_with_props()
    profile = kit.profile(images=[kit.image_asset(encode(img, "PNG"), alt="product")], logo=logo_image())
    result = await compose_for(kit, profile, [variant("v1")], formats=[AdFormat.STORY, AdFormat.SQUARE])
    checked = 0
    for c in result.creatives:
        box = c.layout.image_box
        if box is None:
            continue
        pixels = kit.read_rgb(c.artifact).astype(np.int32)
        h, w = pixels.shape[:2]
        outside = np.ones((h, w), dtype=bool)
        pad = 64  # right beside the picture the fill follows its edge
        outside[max(0, box.top - pad) : box.bottom + pad, max(0, box.left - pad) : box.right + pad] = False
        for tb in c.layout.text_boxes:  # our own text, button and logo are not backdrop
            outside[max(0, tb.box.top - 40) : tb.box.bottom + 40, max(0, tb.box.left - 40) : tb.box.right + 40] = False
        for b in (c.layout.cta_box, c.layout.logo_box):
            if b is not None:
                outside[max(0, b.top - 20) : b.bottom + 20, max(0, b.left - 20) : b.right + 20] = False
        backdrop = pixels[outside]
        assert backdrop.shape[0] > 0.1 * h * w, c.format
        median = np.median(backdrop, axis=0)
        worst = float(np.abs(backdrop - median).sum(axis=1).max())
        assert worst < 45, (c.format, worst)
        checked += 1
    assert checked >= 1


GRID = (150, 155, 165)


def chart_on_white(size: int = 1000) -> Image.Image:
    """A bar chart on white whose grid lines run out to the picture's left and right edges."""
    img = Image.new("RGB", (size, size), (248, 248, 246))
    draw = ImageDraw.Draw(img)
    for y in range(120, size - 60, 110):
        draw.rectangle((0, y, size, y + 3), fill=GRID)
    for i, height in enumerate([300, 450, 380, 600, 520]):
        x = 280 + i * 95
        draw.rectangle((x, 880 - height, x + 60, 880), fill=(40, 90, 200))
    return img


async def test_inset_picture_has_crisp_edges(kit: Kit) -> None:
    """The inset picture shows to its last pixel exactly as fitted: the chart's grid lines keep
    their full tone at the picture's sides (a feathered edge used to fade them into the backdrop)."""
    img = chart_on_white()
    source = np.asarray(img)
    profile = kit.profile(images=[kit.image_asset(encode(img, "PNG"), alt="chart")], logo=logo_image())
    result = await compose_for(kit, profile, [variant("v1")], formats=[AdFormat.SQUARE, AdFormat.STORY])
    checked = 0
    for c in result.creatives:
        box, scale = c.layout.image_box, c.layout.picture_scale
        assert box is not None and scale is not None and (c.layout.layout_template or "").endswith("-inset"), c.format
        assert box.left > 0 and box.right < c.width, (c.format, box)  # both sides inside the canvas
        pixels = kit.read_rgb(c.artifact).astype(np.int32)
        # The fitted picture: the source scaled to the placed size (whole on the canvas vertically
        # or cut by the canvas edge, in which case it is the part that shows).
        nw = box.width
        nh = round(source.shape[0] * nw / source.shape[1])
        interp = cv2.INTER_AREA if nw < source.shape[1] else cv2.INTER_CUBIC
        fitted = cv2.resize(source, (nw, nh), interpolation=interp).astype(np.int32)
        top_in_fitted = 0 if box.top > 0 else nh - box.height
        fitted = fitted[top_in_fitted : top_in_fitted + box.height]
        shown = pixels[box.top : box.bottom, box.left : box.right]
        covered = np.zeros(shown.shape[:2], dtype=bool)  # our text, button and logo drawn on top
        for b in [tb.box for tb in c.layout.text_boxes] + [c.layout.cta_box, c.layout.logo_box]:
            if b is not None:
                covered[
                    max(0, b.top - 12 - box.top) : max(0, b.bottom + 12 - box.top),
                    max(0, b.left - 12 - box.left) : max(0, b.right + 12 - box.left),
                ] = True
        grid_rows = np.abs(fitted[:, 0] - np.array(GRID)).sum(axis=1) < 40
        assert grid_rows.sum() >= 4, c.format
        for col in (0, 1, box.width - 2, box.width - 1):  # the picture's side columns
            keep = ~covered[:, col]
            diff = np.abs(shown[keep, col] - fitted[keep, col]).sum(axis=1)
            assert diff.max() <= 6, (c.format, col, int(diff.max()))
            lines = shown[keep & grid_rows, col]
            assert np.abs(lines - np.array(GRID)).sum(axis=1).max() < 45, (c.format, col)  # not faded
        checked += 1
    assert checked == 2


async def test_inset_picture_meets_its_backdrop_without_a_seam(kit: Kit) -> None:
    """Across each crisp edge of an inset studio shot the backdrop carries on in the picture's own
    tone: the picture does not show as a lighter or darker box (the wide blurred fill alone
    differs from the sweep's light top and darker floor by up to ~10 levels)."""
    profile = kit.profile(images=[kit.image_asset(encode(studio_shot(), "PNG"), alt="product")], logo=logo_image())
    result = await compose_for(kit, profile, [variant("v1")], formats=[AdFormat.SQUARE, AdFormat.STORY])
    for c in result.creatives:
        box = c.layout.image_box
        assert box is not None, c.format
        px = kit.read_rgb(c.artifact).astype(np.int32)
        sides = {
            "top": (px[box.top, box.left : box.right], px[box.top - 2, box.left : box.right]),
            "bottom": (px[box.bottom - 1, box.left : box.right], px[box.bottom + 1, box.left : box.right]),
            "left": (px[box.top : box.bottom, box.left], px[box.top : box.bottom, box.left - 2]),
            "right": (px[box.top : box.bottom, box.right - 1], px[box.top : box.bottom, box.right + 1]),
        }
        for side, (inner, outer) in sides.items():  # the median ignores our text drawn across an edge
            step = float(np.median(np.abs(inner - outer).sum(axis=1)))
            assert step <= 6, (c.format, side, step)
