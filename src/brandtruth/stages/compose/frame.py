"""Pictures on a brand field: never enlarged past `MAX_SCALE`, and the layouts made per format.

A picture that would have to be stretched more than 1.5× to cover the canvas (a small site
image, a wide photo in a story) is not blown up into mush: it is shown at most 1.5× its own size
in a picture area, on a field in the brand's primary colour, with a hard edge (no feathering).

Picture areas per format, opposite the text:
* story: the upper 60 % of the canvas (the text block sits lower, over the field);
* square / portrait: the upper 58 % / 60 % when text goes below (the lower part when above);
* landscape: a split, the picture on 45 % of the width beside a 55 % text column.
Landscape always uses the split (its text column needs a calm field at ≥ 32 px body text).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from brandtruth.formats import Zone, is_columns
from brandtruth.imaging.color import RGB
from brandtruth.models.common import Box
from brandtruth.models.creative import FORMAT_SIZES, AdFormat

MAX_SCALE = 1.5
PICTURE_SHARE: dict[AdFormat, float] = {
    AdFormat.STORY: 0.60,
    AdFormat.SQUARE: 0.58,
    AdFormat.PORTRAIT: 0.60,
    AdFormat.LANDSCAPE: 0.45,
}


@dataclass(frozen=True)
class Framed:
    pixels: npt.NDArray[np.uint8]  # the canvas: field plus picture
    box: Box  # where the picture shows
    whole: Box  # where the whole source would lie at this scale (to map its text regions)
    scale: float  # canvas px per source px


def picture_area(fmt: AdFormat, zone: Zone) -> Box:
    w, h = FORMAT_SIZES[fmt]
    share = PICTURE_SHARE[fmt]
    if is_columns(fmt):
        pw = round(w * share)
        return (
            Box(left=w - pw, top=0, right=w, bottom=h) if zone is Zone.LEFT else Box(left=0, top=0, right=pw, bottom=h)
        )
    ph = round(h * share)
    return (
        Box(left=0, top=0, right=w, bottom=ph) if zone is not Zone.TOP else Box(left=0, top=h - ph, right=w, bottom=h)
    )


def needs_frame(fmt: AdFormat, cover_scale: float) -> bool:
    """Whether a format shows its picture framed: always for landscape, else when covering the
    canvas would enlarge the picture more than `MAX_SCALE`."""
    return is_columns(fmt) or cover_scale > MAX_SCALE


def frame_picture(
    pixels: npt.NDArray[np.uint8],
    full_size: tuple[int, int],
    focus: tuple[float, float],
    fmt: AdFormat,
    zone: Zone,
    field: RGB,
    text_regions: tuple[tuple[float, float, float, float], ...] = (),
) -> Framed:
    """The source (decoded `pixels` of a `full_size` image) in its picture area on a `field`.

    It covers the area when that needs at most `MAX_SCALE`, cropped around `focus` (fractions of
    the source) but so that no region of `text_regions` (the picture's own lettering, fractions
    of the source) is cut: each shows whole or not at all where the crop allows; otherwise the
    picture is shown whole at `MAX_SCALE`, centred in the area.
    """
    w, h = FORMAT_SIZES[fmt]
    area = picture_area(fmt, zone)
    fw, fh = full_size
    scale = min(MAX_SCALE, max(area.width / fw, area.height / fh))
    sw, sh = max(1, round(fw * scale)), max(1, round(fh * scale))

    # Where the scaled source's top-left goes: centred on the focus, clamped to cover the area
    # where it is large enough (never cutting through the picture's own lettering), centred in
    # the area where it is not.
    x_spans = [(r[0], r[2]) for r in text_regions]
    y_spans = [(r[1], r[3]) for r in text_regions]
    x0 = _place(sw, area.left, area.width, focus[0], x_spans)
    y0 = _place(sh, area.top, area.height, focus[1], y_spans)
    whole = Box(left=x0, top=y0, right=x0 + sw, bottom=y0 + sh)
    box = Box(
        left=max(area.left, x0),
        top=max(area.top, y0),
        right=min(area.right, x0 + sw),
        bottom=min(area.bottom, y0 + sh),
    )
    canvas = np.empty((h, w, 3), dtype=np.uint8)
    canvas[:, :] = np.array(field, dtype=np.uint8)
    dh, dw = pixels.shape[:2]
    # The visible part, in decoded-pixel coordinates, resized once to its canvas size.
    sx, sy = dw / sw, dh / sh
    left, top = (box.left - x0) * sx, (box.top - y0) * sy
    right, bottom = (box.right - x0) * sx, (box.bottom - y0) * sy
    part = pixels[
        math.floor(top) : max(math.floor(top) + 1, math.ceil(bottom)),
        math.floor(left) : max(math.floor(left) + 1, math.ceil(right)),
    ]
    factor = part.shape[1] / max(1, box.width)
    interp = cv2.INTER_AREA if factor > 1.6 else cv2.INTER_LINEAR if factor >= 1.0 else cv2.INTER_CUBIC
    resized = cv2.resize(np.ascontiguousarray(part), (box.width, box.height), interpolation=interp)
    canvas[box.top : box.bottom, box.left : box.right] = np.clip(resized, 0, 255).astype(np.uint8, copy=False)
    return Framed(pixels=canvas, box=box, whole=whole, scale=scale)


def _cut_count(offset: int, size: int, lo: int, length: int, spans: list[tuple[float, float]]) -> int:
    """How many text spans (fractions along one axis) the window [lo, lo + length) cuts when the
    scaled picture starts at `offset` (a span showing ≤ 1 px, or all but ≤ 1 px, is not cut)."""
    win0, win1 = lo - offset, lo + length - offset  # the window in scaled-picture px
    cut = 0
    for a, b in spans:
        ra, rb = a * size, b * size
        shown = min(rb, win1) - max(ra, win0)
        if shown > 1.0 and shown < (rb - ra) - 1.0:
            cut += 1
    return cut


def _place(size: int, lo: int, length: int, centre: float, spans: list[tuple[float, float]]) -> int:
    """Offset of a scaled picture of `size` px in the area [lo, lo + length) along one axis.

    Smaller than the area: centred. Larger: as close as possible to centring `centre` (a
    fraction) while covering the area, among the offsets that cut the fewest text spans. Only
    span edges can change what is cut, so the candidates are those edges and the ideal offset.
    """
    if size <= length:
        return lo + (length - size) // 2
    least, most = lo + length - size, lo
    ideal = min(most, max(least, round(lo + length / 2 - centre * size)))
    if not spans:
        return ideal
    candidates = {ideal}
    clear = max(2, round(length * 0.02))
    for a, b in spans:
        for edge in (a * size, b * size):
            # The window's start or end just beyond this edge, so lettering kept whole is clear of it.
            for pos in (lo - edge + clear, lo - edge - clear, lo + length - edge + clear, lo + length - edge - clear):
                candidates.add(min(most, max(least, round(pos))))
    return min(candidates, key=lambda o: (_cut_count(o, size, lo, length, spans), abs(o - ideal), o))
