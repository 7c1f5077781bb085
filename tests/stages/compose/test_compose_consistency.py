"""What makes a set of creatives look like one campaign: one CTA colour, stories set as large as
their safe zone allows."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from brandtruth.imaging.color import parse_hex
from brandtruth.models.common import Box
from brandtruth.models.creative import FORMAT_SIZES, AdFormat, Creative
from brandtruth.stages.compose.brand import Palette
from brandtruth.stages.compose.render import CopyText, RenderJob, render_creative

from .conftest import Kit, encode, logo_image, photo, variant
from .test_compose_creatives import check_creative_pixels, compose_for

pytestmark = pytest.mark.timeout(180)

PALETTE = Palette("Routewise", (15, 118, 110), (8, 60, 56), (245, 158, 11), (255, 255, 255), (15, 23, 42))
COPY = CopyText("Plan delivery routes in minutes", ("Route planning for busy teams",), "Start free trial")


def flat(fmt: AdFormat, rgb: tuple[int, int, int], seed: int) -> npt.NDArray[np.uint8]:
    """A calm, slightly noisy canvas-sized picture of one colour."""
    w, h = FORMAT_SIZES[fmt]
    rng = np.random.default_rng(seed)
    arr = np.array(rgb, np.float32)[None, None, :] + rng.normal(0, 2, (h, w, 3))
    return np.clip(arr, 0, 255).astype(np.uint8)


def button_fill(pixels: npt.NDArray[np.uint8], button: Box) -> tuple[int, int, int]:
    """The button's own colour: the most common pixel in its left end (before the label starts)."""
    cy = (button.top + button.bottom) // 2
    strip = pixels[cy - 4 : cy + 4, button.left + 10 : button.left + 22].reshape(-1, 3)
    values, counts = np.unique(strip, axis=0, return_counts=True)
    r, g, b = (int(v) for v in values[int(np.argmax(counts))])
    return (r, g, b)


def test_cta_colour_is_the_same_in_every_format_whatever_the_picture() -> None:
    """Formats of one variant over pictures of very different tone: one button colour."""
    tones = {
        AdFormat.SQUARE: (16, 120, 108),  # the brand's own teal: a teal button would vanish here
        AdFormat.PORTRAIT: (250, 250, 248),  # near white
        AdFormat.STORY: (18, 18, 22),  # near black
        AdFormat.LANDSCAPE: (240, 160, 20),  # the accent's own orange
    }
    seen = {}
    recorded = set()
    for i, (fmt, tone) in enumerate(tones.items()):
        out = render_creative(
            RenderJob(fmt=fmt, base=flat(fmt, tone, i), palette=PALETTE, logo=logo_image(), copy=COPY, key="v1")
        )
        assert out.layout.cta_box is not None
        seen[fmt] = button_fill(out.pixels, out.layout.cta_box)
        recorded.add(out.layout.model_dump().get("cta_color"))
    first = next(iter(seen.values()))
    for fill in seen.values():
        assert max(abs(a - b) for a, b in zip(fill, first, strict=True)) <= 2, seen
    assert len(recorded) == 1 and None not in recorded, recorded
    hex_ = recorded.pop()
    assert hex_ is not None and max(abs(a - b) for a, b in zip(parse_hex(hex_), first, strict=True)) <= 2


def test_button_stays_visible_where_the_picture_matches_its_colour() -> None:
    """Over a picture of the CTA colour itself the fill does not change; an outline sets it off."""
    fmt = AdFormat.SQUARE
    out = render_creative(
        RenderJob(fmt=fmt, base=flat(fmt, (245, 158, 11), 3), palette=PALETTE, logo=logo_image(), copy=COPY, key="v1")
    )
    button = out.layout.cta_box
    assert button is not None and out.layout.cta_color == "#f59e0b"
    cy = (button.top + button.bottom) // 2
    ring = out.pixels[cy, button.left - 3 : button.left].astype(int)
    lum = ring.mean(axis=1)
    assert (np.abs(lum - np.array([245, 158, 11]).mean()) > 60).any(), ring


async def test_cta_colour_is_shared_by_every_variant_and_format(kit: Kit) -> None:
    # One picture in the brand's own teal (a teal button would vanish on it), one nearly black.
    teal = Image.blend(photo(1600, 1200, 3), Image.new("RGB", (1600, 1200), (15, 118, 110)), 0.85)
    dark = photo(1600, 1200, 4).point(lambda v: v // 5)
    images = [kit.image_asset(encode(img, "JPEG"), alt=alt) for img, alt in [(teal, "teal"), (dark, "dark")]]
    profile = kit.profile(images=images, logo=logo_image())
    variants = [variant("v1"), variant("v2", headline="Alerts before customers call")]
    creatives: list[Creative] = []
    for v in variants:
        result = await compose_for(kit, profile, variants, v.id)
        check_creative_pixels(kit, result, (192, 38, 211))
        creatives.extend(result.creatives)
    assert {c.layout.image_id for c in creatives if c.format is AdFormat.SQUARE} != {None}
    fills = []
    for c in creatives:
        assert c.layout.cta_box is not None
        fills.append(button_fill(kit.read_rgb(c.artifact), c.layout.cta_box))
    for c, fill in zip(creatives, fills, strict=True):
        assert max(abs(a - b) for a, b in zip(fill, fills[0], strict=True)) <= 2, (c.variant_id, c.format, fills)
    assert len({c.layout.model_dump().get("cta_color") for c in creatives}) == 1


def test_cta_colour_stands_out_from_the_brand_colour_panels_use() -> None:
    from brandtruth.imaging.color import color_contrast
    from brandtruth.stages.compose.brand import color_distance

    for primary, accent, secondary in [
        ((15, 118, 110), (245, 158, 11), (8, 60, 56)),  # teal + amber: amber
        ((63, 107, 79), (180, 83, 42), (180, 83, 42)),  # green + rust of the same lightness: rust
        ((30, 30, 30), (40, 40, 40), (50, 50, 50)),  # greys only: white
    ]:
        p = Palette("B", primary, secondary, accent, (255, 255, 255), (17, 17, 17))
        fill = p.cta_fill()
        assert color_contrast(fill, primary) >= 2.2 or color_distance(fill, primary) >= 45, (primary, fill)
    assert Palette("B", (63, 107, 79), (180, 83, 42), (180, 83, 42), (255,) * 3, (17,) * 3).cta_fill() == (180, 83, 42)


async def test_story_type_fills_its_safe_zone(kit: Kit) -> None:
    """A full-bleed story sets the headline large (the safe zone is as wide as a square's), and it
    stays the dominant element."""
    profile = kit.profile(
        images=[kit.image_asset(encode(photo(1500, 1500, 11), "JPEG"), alt="route planning")], logo=logo_image()
    )
    result = await compose_for(kit, profile, [variant("v1")], formats=[AdFormat.STORY, AdFormat.SQUARE])
    check_creative_pixels(kit, result, (192, 38, 211))
    story = next(c for c in result.creatives if c.format is AdFormat.STORY)
    square = next(c for c in result.creatives if c.format is AdFormat.SQUARE)
    w, _h = FORMAT_SIZES[AdFormat.STORY]
    sizes = {t.role: t.font_size for t in story.layout.text_boxes}
    assert sizes["headline"] >= 0.12 * w, sizes
    assert sizes["headline"] >= 1.3 * {t.role: t.font_size for t in square.layout.text_boxes}["headline"]
    assert all(sizes["headline"] >= 2 * s for role, s in sizes.items() if role != "headline"), sizes
    # The text block (headline to button) uses a good share of the safe zone's height.
    safe = story.layout.safe_zone
    assert story.layout.cta_box is not None
    top = min(t.box.top for t in story.layout.text_boxes)
    assert story.layout.cta_box.bottom - top >= 0.4 * safe.height, (top, story.layout.cta_box, safe)


def test_story_scale_gives_way_to_an_inset_product() -> None:
    """Where the subject must be moved clear of the text, large story type would leave it no room:
    a smaller scale is used so the product keeps a good size."""
    from .test_compose_placement import studio_shot

    shot = np.asarray(studio_shot().resize((1080, 1080)), dtype=np.uint8)
    base = np.asarray(Image.fromarray(shot).crop((0, 0, 1080, 1080)).resize((1080, 1920)), dtype=np.uint8)
    out = render_creative(
        RenderJob(
            fmt=AdFormat.STORY,
            base=base,
            palette=PALETTE,
            logo=logo_image(),
            copy=COPY,
            key="v1",
            source=shot,
        )
    )
    box = out.layout.image_box
    assert box is not None
    assert max(box.width, box.height) >= 0.34 * 1080
