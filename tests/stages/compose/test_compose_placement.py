"""Subject placement: a product under the text is moved clear of it; full-frame photos are not."""

from __future__ import annotations

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


def product_share(pixels: np.ndarray, box) -> float:  # type: ignore[no-untyped-def]
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
    img = photo(1500, 1500, 77, busy=True)
    assert len(cut_sides(np.asarray(img))) >= 3
    profile = kit.profile(images=[kit.image_asset(encode(img, "JPEG"))], logo=logo_image())
    result = await compose_for(kit, profile, [variant("v1")], formats=[AdFormat.SQUARE, AdFormat.LANDSCAPE])
    for c in result.creatives:
        assert c.layout.image_box is None
        assert c.layout.scrim or c.layout.panel
