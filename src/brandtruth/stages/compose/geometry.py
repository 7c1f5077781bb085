"""Box arithmetic on the canvas: unions, overlaps, the panel grown over baked-in text, the
area left for the picture, and baked-in text regions mapped from source fractions to pixels."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from PIL import Image

from brandtruth.formats import (
    Zone,
    safe_box,
)
from brandtruth.models.common import Box
from brandtruth.models.creative import FORMAT_SIZES, AdFormat
from brandtruth.stages.compose.placement import Subject

#: Margin (px) around baked-in text that our text, button and logo keep clear of.
TEXT_CLEARANCE = 10


def union(boxes: list[Box], pad: int, size: tuple[int, int]) -> Box:
    w, h = size
    return Box(
        left=max(0, min(b.left for b in boxes) - pad),
        top=max(0, min(b.top for b in boxes) - pad),
        right=min(w, max(b.right for b in boxes) + pad),
        bottom=min(h, max(b.bottom for b in boxes) + pad),
    )


def hits(box: Box, regions: list[Box], margin: int = TEXT_CLEARANCE) -> bool:
    """Whether `box`, grown by `margin`, touches any of `regions`."""
    return any(
        box.left - margin < r.right
        and r.left < box.right + margin
        and box.top - margin < r.bottom
        and r.top < box.bottom + margin
        for r in regions
    )


def inside(inner: Box, outer: Box) -> bool:
    return (
        inner.left >= outer.left
        and inner.top >= outer.top
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
    )


def pad_box(box: Box, pad: int, size: tuple[int, int]) -> Box:
    w, h = size
    return Box(
        left=max(0, box.left - pad),
        top=max(0, box.top - pad),
        right=min(w, box.right + pad),
        bottom=min(h, box.bottom + pad),
    )


def grow_panel(covered: Box, pad: int, regions: list[Box], size: tuple[int, int], logo: Box | None = None) -> Box:
    """The panel behind our text: `covered` plus `pad`, grown until every baked-in text region it
    touches lies inside it (so no half-covered words peek out). If that growth reaches the logo,
    the panel takes the logo in as well rather than ending under half of it."""
    w, h = size
    box = Box(
        left=max(0, covered.left - pad),
        top=max(0, covered.top - pad),
        right=min(w, covered.right + pad),
        bottom=min(h, covered.bottom + pad),
    )
    grown = True
    while grown:
        grown = False
        attach = [(r, TEXT_CLEARANCE) for r in regions]
        if logo is not None and logo.width > 0 and box != pad_box(covered, pad, size):
            attach.append((logo, pad))
        for r, m in attach:
            if hits(box, [r], m if r is logo else 0) and not inside(pad_box(r, m, size), box):
                box = Box(
                    left=max(0, min(box.left, r.left - m)),
                    top=max(0, min(box.top, r.top - m)),
                    right=min(w, max(box.right, r.right + m)),
                    bottom=min(h, max(box.bottom, r.bottom + m)),
                )
                grown = True
    return box


def free_area(fmt: AdFormat, zone: Zone, covered: Box, gap: int, logo: Box) -> Box:
    """The canvas area the text block and logo leave for the picture's subject (story: within
    its safe band)."""
    w, h = FORMAT_SIZES[fmt]
    if zone is Zone.BOTTOM:
        free = Box(left=0, top=logo.bottom + gap // 2, right=w, bottom=covered.top - gap)
    elif zone is Zone.TOP:
        free = Box(left=0, top=covered.bottom + gap, right=w, bottom=h)
    elif zone is Zone.LEFT:
        free = Box(left=covered.right + gap, top=0, right=w, bottom=h)
    else:
        free = Box(left=0, top=0, right=covered.left - gap, bottom=h)
    if fmt is AdFormat.STORY:
        safe = safe_box(fmt)
        free = Box(left=free.left, top=max(free.top, safe.top), right=free.right, bottom=min(free.bottom, safe.bottom))
    return free


def regions_on_canvas(
    regions: tuple[tuple[float, float, float, float], ...],
    crop: tuple[float, float, float, float] | None,
    size: tuple[int, int],
    placed: Box | None = None,
) -> list[Box]:
    """Baked-in text regions (fractions of the source) in canvas pixels, clipped to the canvas.

    The source is shown either cropped to `crop` (fractions) and stretched over the canvas, or
    whole at `placed` (canvas pixels, an inset picture).
    """
    w, h = size
    out: list[Box] = []
    for fx0, fy0, fx1, fy1 in regions:
        if placed is not None:
            bx, by, bw, bh = placed.left, placed.top, placed.width, placed.height
            x0, y0, x1, y1 = bx + fx0 * bw, by + fy0 * bh, bx + fx1 * bw, by + fy1 * bh
        else:
            cx0, cy0, cx1, cy1 = crop or (0.0, 0.0, 1.0, 1.0)
            sx, sy = w / max(1e-9, cx1 - cx0), h / max(1e-9, cy1 - cy0)
            x0, y0, x1, y1 = (fx0 - cx0) * sx, (fy0 - cy0) * sy, (fx1 - cx0) * sx, (fy1 - cy0) * sy
        box = Box(
            left=max(0, math.floor(x0)),
            top=max(0, math.floor(y0)),
            right=min(w, math.ceil(x1)),
            bottom=min(h, math.ceil(y1)),
        )
        if box.width > 2 and box.height > 2:
            out.append(box)
    return out


def cuts_text(
    regions: tuple[tuple[float, float, float, float], ...], crop: tuple[float, float, float, float] | None
) -> bool:
    """Whether the crop shows part, but not all, of some baked-in text region."""
    if crop is None or not regions:
        return False
    cx0, cy0, cx1, cy1 = crop
    for fx0, fy0, fx1, fy1 in regions:
        visible = fx0 < cx1 and cx0 < fx1 and fy0 < cy1 and cy0 < fy1
        whole = fx0 >= cx0 and fy0 >= cy0 and fx1 <= cx1 and fy1 <= cy1
        if visible and not whole:
            return True
    return False


def cuts_subject(subject: Subject | None, crop: tuple[float, float, float, float] | None) -> bool:
    """Whether the crop cuts a reliably located subject (one on a plain background) by more than
    a sliver (8 % of its height or width)."""
    if subject is None or not subject.plain or crop is None:
        return False
    sx0, sy0, sx1, sy1 = subject.box
    cx0, cy0, cx1, cy1 = crop
    mx, my = 0.08 * (sx1 - sx0), 0.08 * (sy1 - sy0)
    return sx0 < cx0 - mx or sy0 < cy0 - my or sx1 > cx1 + mx or sy1 > cy1 + my


def pixels_in(canvas: Image.Image, box: Box) -> npt.NDArray[np.uint8]:
    return np.asarray(canvas.crop((box.left, box.top, box.right, box.bottom)), dtype=np.uint8)


def clip_box(box: Box, frame: Box) -> Box | None:
    """`box` cut to `frame`, or None when little of it (≤ 2 px either way) is left."""
    left, top = max(box.left, frame.left), max(box.top, frame.top)
    right, bottom = min(box.right, frame.right), min(box.bottom, frame.bottom)
    if right - left <= 2 or bottom - top <= 2:
        return None
    return Box(left=left, top=top, right=right, bottom=bottom)
