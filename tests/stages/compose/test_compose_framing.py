"""A picture framed on the brand field (landscape split, or a story/square that would need more
than 1.5x) is cropped so its own lettering shows whole or not at all, never cut through."""

from __future__ import annotations

import numpy as np
import pytest

from brandtruth.formats import Zone
from brandtruth.imaging.text_regions import detect_text
from brandtruth.models.common import Box
from brandtruth.models.creative import AdFormat
from brandtruth.stages.compose.frame import MAX_SCALE, frame_picture

from .sites import photo_with_lettering

pytestmark = pytest.mark.timeout(120)

FIELD = (228, 87, 46)
W, H = 1600, 1000


def on_canvas(region: tuple[float, float, float, float], whole: Box) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = region
    return (
        whole.left + x0 * whole.width,
        whole.top + y0 * whole.height,
        whole.left + x1 * whole.width,
        whole.top + y1 * whole.height,
    )


def is_cut(region: tuple[float, float, float, float], shown: Box) -> bool:
    """Partly visible in the picture's frame: neither whole inside it nor wholly outside."""
    x0, y0, x1, y1 = region
    apart = x1 <= shown.left or shown.right <= x0 or y1 <= shown.top or shown.bottom <= y0
    whole = x0 >= shown.left and y0 >= shown.top and x1 <= shown.right and y1 <= shown.bottom
    return not apart and not whole


@pytest.fixture(scope="module")
def lettered() -> tuple[np.ndarray, tuple[tuple[float, float, float, float], ...]]:
    """The kayak_hero fixture site's hero photo ("SUMMER SALE / 20% OFF" in its upper left) and
    the lettering the text-region detector finds in it."""
    pixels = np.asarray(photo_with_lettering(W, H, 13), dtype=np.uint8)
    regions = tuple((r.left / W, r.top / H, r.right / W, r.bottom / H) for r in detect_text(pixels))
    assert regions, "the detector finds the photo's lettering"
    return pixels, regions


@pytest.mark.parametrize(
    ("fmt", "zone"),
    [
        (AdFormat.LANDSCAPE, Zone.LEFT),
        (AdFormat.LANDSCAPE, Zone.RIGHT),
        (AdFormat.STORY, Zone.BOTTOM),
        (AdFormat.STORY, Zone.TOP),
    ],
)
@pytest.mark.parametrize("focus", [(0.5, 0.5), (0.3, 0.5), (0.7, 0.4)])
def test_frame_keeps_the_pictures_lettering_whole_or_out(
    lettered: tuple[np.ndarray, tuple[tuple[float, float, float, float], ...]],
    fmt: AdFormat,
    zone: Zone,
    focus: tuple[float, float],
) -> None:
    pixels, regions = lettered
    plain = frame_picture(pixels, (W, H), focus, fmt, zone, FIELD)
    framed = frame_picture(pixels, (W, H), focus, fmt, zone, FIELD, regions)
    assert framed.scale == plain.scale <= MAX_SCALE
    assert framed.box == plain.box  # the same picture area is covered, only the crop moves
    cut = [r for r in regions if is_cut(on_canvas(r, framed.whole), framed.box)]
    assert not cut, (fmt, zone, focus, framed.whole, framed.box)
    # The crop stays as close to the chosen focus as the lettering allows: it moves no further
    # than to the near side of the lettering.
    moved = abs(framed.whole.left - plain.whole.left) + abs(framed.whole.top - plain.whole.top)
    assert moved <= max(framed.whole.width, framed.whole.height) * 0.5


def test_centre_crop_would_cut_the_lettering(
    lettered: tuple[np.ndarray, tuple[tuple[float, float, float, float], ...]],
) -> None:
    """The case above is a real one: cropped around its centre, the landscape split and the story
    cut through "SUMMER SALE", and the frame then shows it whole or leaves it out."""
    pixels, regions = lettered
    for fmt, zone in ((AdFormat.LANDSCAPE, Zone.LEFT), (AdFormat.STORY, Zone.BOTTOM)):
        plain = frame_picture(pixels, (W, H), (0.5, 0.5), fmt, zone, FIELD)
        assert any(is_cut(on_canvas(r, plain.whole), plain.box) for r in regions), fmt
        framed = frame_picture(pixels, (W, H), (0.5, 0.5), fmt, zone, FIELD, regions)
        assert not any(is_cut(on_canvas(r, framed.whole), framed.box) for r in regions), fmt
        # The pixels say the same: the picture in the frame is the source's, moved, not stretched.
        shown = framed.pixels[framed.box.top : framed.box.bottom, framed.box.left : framed.box.right]
        assert shown.shape[:2] == (framed.box.height, framed.box.width)


def test_no_lettering_keeps_the_focus_crop(
    lettered: tuple[np.ndarray, tuple[tuple[float, float, float, float], ...]],
) -> None:
    pixels, _regions = lettered
    a = frame_picture(pixels, (W, H), (0.5, 0.5), AdFormat.LANDSCAPE, Zone.LEFT, FIELD)
    b = frame_picture(pixels, (W, H), (0.5, 0.5), AdFormat.LANDSCAPE, Zone.LEFT, FIELD, ())
    assert a.whole == b.whole and np.array_equal(a.pixels, b.pixels)
