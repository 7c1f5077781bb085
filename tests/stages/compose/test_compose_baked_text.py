"""Our text never lands on text the picture already carries (social cards, lettered vans).

The baked-in text is drawn in pure magenta, a colour compose (and the blue test logo) never uses, so the check on the
finished PNG is independent of the detector: no magenta-ish pixel may show near any of our text
boxes, the CTA button or the logo; where a panel covers the baked text, none shows at all.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image, ImageDraw

from brandtruth.formats import Zone
from brandtruth.imaging.text_regions import detect_text
from brandtruth.models.common import Box
from brandtruth.models.creative import AdFormat, ImageSource
from brandtruth.models.stage_io import ComposeInput, MatchInput
from brandtruth.stages.compose import compose_creatives
from brandtruth.stages.compose.brand import Palette
from brandtruth.stages.compose.fonts import BOLD, REGULAR, font
from brandtruth.stages.compose.render import CopyText, RenderJob, render_creative
from brandtruth.stages.match import match_images

from .conftest import RUN_ID, Kit, encode, logo_image, photo, variant
from .test_compose_creatives import check_creative_pixels

pytestmark = pytest.mark.timeout(180)
MAGENTA = (255, 0, 255)


def magenta_mask(pixels: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Magenta, also under a scrim: red and blue well above green and close to each other."""
    p = pixels.astype(np.int32)
    r, g, b = p[..., 0], p[..., 1], p[..., 2]
    mask: npt.NDArray[np.bool_] = (r - g > 45) & (b - g > 45) & (np.abs(r - b) < 40)
    return mask


def card(w: int = 1200, h: int = 630) -> Image.Image:
    """A social card: dark gradient, a two-line headline low on the left, a tagline, a wordmark."""
    xs = np.linspace(0, 1, w, dtype=np.float32)[None, :, None]
    arr = np.broadcast_to(np.array([18, 28, 60], np.float32) * (1 - xs) + np.array([40, 30, 90]) * xs, (h, w, 3))
    img = Image.fromarray(np.ascontiguousarray(arr).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    draw.text((round(w * 0.07), round(h * 0.08)), "Clearbeam", font=font(BOLD, round(h * 0.05)), fill=MAGENTA)
    big = font(BOLD, round(h * 0.085))
    draw.text((round(w * 0.07), round(h * 0.5)), "Reporting your whole", font=big, fill=MAGENTA)
    draw.text((round(w * 0.07), round(h * 0.62)), "team can trust.", font=big, fill=MAGENTA)
    small = font(REGULAR, round(h * 0.04))
    draw.text((round(w * 0.07), round(h * 0.8)), "Trusted by 12,000 finance and ops teams", font=small, fill=MAGENTA)
    return img


def grow(box: Box, by: int, w: int, h: int) -> Box:
    return Box(
        left=max(0, box.left - by),
        top=max(0, box.top - by),
        right=min(w, box.right + by),
        bottom=min(h, box.bottom + by),
    )


def assert_clear(pixels: npt.NDArray[np.uint8], boxes: list[tuple[str, Box]], where: str) -> None:
    h, w = pixels.shape[:2]
    magenta = magenta_mask(pixels)
    for role, box in boxes:
        g = grow(box, 6, w, h)
        hits = int(magenta[g.top : g.bottom, g.left : g.right].sum())
        assert hits == 0, (where, role, box, hits)


async def test_text_stays_off_a_social_cards_own_text(kit: Kit) -> None:
    """Even when a card is all a site has (matching would rather use the brand background, so the
    card is forced here), every format keeps our text, button and logo off the card's text."""
    card_asset = kit.image_asset(encode(card(), "PNG"), alt="Clearbeam reporting")
    profile = kit.profile(images=[card_asset], logo=logo_image("#1d4ed8"))
    variants = [variant("v1", headline="Live reports for finance teams")]
    fmts = list(AdFormat)
    matches = await match_images(
        MatchInput(run_id=RUN_ID, profile=profile, variants=variants, variant_id="v1", formats=fmts), kit.ctx
    )
    card_only = matches.model_copy(
        update={"matches": [m for m in matches.matches if m.candidate.source is ImageSource.SITE]}
    )
    assert {m.format for m in card_only.matches} == set(fmts)
    assert all(m.candidate.text_regions for m in card_only.matches)
    result = await compose_creatives(
        ComposeInput(run_id=RUN_ID, profile=profile, variant=variants[0], matches=card_only, formats=fmts), kit.ctx
    )
    check_creative_pixels(kit, result, None)
    for c in result.creatives:
        assert c.layout.image_source == "site", c.format
        pixels = kit.read_rgb(c.artifact)
        layout = c.layout
        assert layout.cta_box is not None and layout.logo_box is not None
        ours = [(t.role, t.box) for t in layout.text_boxes] + [("cta", layout.cta_box), ("logo", layout.logo_box)]
        assert_clear(pixels, ours, c.format.value)
        for region in layout.avoided_text:  # what stays visible of the card's text is recorded...
            for role, box in ours:  # ...and is clear of ours
                apart = box.right <= region.left or region.right <= box.left
                apart = apart or box.bottom <= region.top or region.bottom <= box.top
                assert apart, (c.format, role, box, region)


def test_render_moves_or_covers_text_over_baked_text() -> None:
    """Directly at the render level: baked text across the bottom half of a square picture."""
    img = Image.new("RGB", (1080, 1080), (30, 50, 90))
    draw = ImageDraw.Draw(img)
    f = font(BOLD, 70)
    for i, line in enumerate(["Their own headline", "sits right where", "ours would go"]):
        draw.text((70, 640 + i * 100), line, font=f, fill=MAGENTA)
    base = np.asarray(img, dtype=np.uint8)
    regions = tuple((r.left / 1080, r.top / 1080, r.right / 1080, r.bottom / 1080) for r in detect_text(base))
    assert regions
    palette = Palette("Acme", (15, 118, 110), (8, 60, 56), (245, 158, 11), (255, 255, 255), (15, 23, 42))
    copy = CopyText("Plan delivery routes in minutes", ("Route planning for busy teams",), "Start free trial")
    for zone_from_match in (None, "bottom"):
        job = RenderJob(
            fmt=AdFormat.SQUARE,
            base=base,
            palette=palette,
            logo=logo_image("#1d4ed8"),
            copy=copy,
            key="v1",
            zone=Zone(zone_from_match) if zone_from_match else None,
            text_regions=regions,
            source_crop=(0.0, 0.0, 1.0, 1.0),
        )
        out = render_creative(job)
        layout = out.layout
        assert layout.cta_box is not None and layout.logo_box is not None
        ours = [(t.role, t.box) for t in layout.text_boxes] + [("cta", layout.cta_box)]
        assert_clear(out.pixels, ours, f"zone {zone_from_match}")
        assert layout.text_zone == "top"  # the free zone, even when the match suggested the other


def test_render_panel_covers_baked_text_it_cannot_avoid() -> None:
    """Text in both zones of a full-frame photo (nothing to move aside): our text goes on a panel
    that hides the baked lines it touches, each one whole."""
    img = photo(1080, 1080, 8, busy=True).point(lambda v: v // 3)  # dark, busy, no plain border
    draw = ImageDraw.Draw(img)
    f = font(BOLD, 60)
    for y in range(120, 1000, 90):
        draw.text((70, y), "Words everywhere on this", font=f, fill=MAGENTA)
    base = np.asarray(img, dtype=np.uint8)
    regions = tuple((r.left / 1080, r.top / 1080, r.right / 1080, r.bottom / 1080) for r in detect_text(base))
    palette = Palette("Acme", (15, 118, 110), (8, 60, 56), (245, 158, 11), (255, 255, 255), (15, 23, 42))
    job = RenderJob(
        fmt=AdFormat.SQUARE,
        base=base,
        palette=palette,
        logo=logo_image("#1d4ed8"),
        copy=CopyText("Plan delivery routes in minutes", (), "Start free trial"),
        key="v1",
        text_regions=regions,
        source_crop=(0.0, 0.0, 1.0, 1.0),
    )
    out = render_creative(job)
    layout = out.layout
    assert layout.panel and layout.panel_box is not None
    assert layout.cta_box is not None
    ours = [(t.role, t.box) for t in layout.text_boxes] + [("cta", layout.cta_box)]
    assert_clear(out.pixels, ours, "panel")
    # No half-covered line peeks out along the panel's edges: what still shows of the baked
    # text keeps clear of the panel (a cut line would touch it).
    pb = grow(layout.panel_box, 3, 1080, 1080)
    magenta = magenta_mask(out.pixels).astype(np.uint8)
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(cv2.dilate(magenta, np.ones((9, 25), np.uint8)))
    for x, y, w, h, _area in stats[1:n]:
        touches = x < pb.right and pb.left < x + w and y < pb.bottom and pb.top < y + h
        assert not touches, ((x, y, w, h), layout.panel_box)
