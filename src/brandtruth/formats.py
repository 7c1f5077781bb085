"""Placement geometry per ad format: safe zones and the areas text may occupy.

Safe zones are where text, logo and CTA must stay so platform UI (profile bar, caption, reply
field, buttons) and edge cropping never cover them. Story follows Meta's 9:16 guidance (nothing
in the top 14 %, bottom 35 %, outer 6 % each side); the feed formats keep a 6 % margin (portrait
a little more at the bottom, where Reels-style overlays sit) and landscape 5 % / 8 %.

The match stage imports this module too, so "room for text" is measured in the same areas the
compose stage will actually write into.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from brandtruth.models.common import Box
from brandtruth.models.creative import FORMAT_SIZES, AdFormat


class Zone(StrEnum):
    """Where the text block goes: stacked formats use top/bottom, landscape left/right."""

    TOP = "top"
    BOTTOM = "bottom"
    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True)
class Insets:
    left: float
    top: float
    right: float
    bottom: float


SAFE_INSETS: dict[AdFormat, Insets] = {
    AdFormat.SQUARE: Insets(0.06, 0.06, 0.06, 0.06),
    AdFormat.PORTRAIT: Insets(0.06, 0.06, 0.06, 0.10),
    AdFormat.STORY: Insets(0.06, 0.14, 0.06, 0.35),
    AdFormat.LANDSCAPE: Insets(0.05, 0.08, 0.05, 0.08),
}

#: Share of the safe zone's width given to the text column in landscape.
COLUMN_SHARE = 0.56
#: Share of the safe zone's height a stacked text block may use (measured from its anchor edge).
STACK_SHARE = 0.62
#: The same for stories, whose safe zone is about square: the text block may take more of it.
STORY_STACK_SHARE = 0.74


def canvas_size(fmt: AdFormat) -> tuple[int, int]:
    return FORMAT_SIZES[fmt]


def safe_box(fmt: AdFormat) -> Box:
    """The safe zone in canvas pixels (left/top rounded in, right/bottom rounded in)."""
    w, h = FORMAT_SIZES[fmt]
    ins = SAFE_INSETS[fmt]
    return Box(
        left=math.ceil(w * ins.left),
        top=math.ceil(h * ins.top),
        right=math.floor(w * (1 - ins.right)),
        bottom=math.floor(h * (1 - ins.bottom)),
    )


def is_columns(fmt: AdFormat) -> bool:
    """Landscape puts text in a column beside the subject; the others stack it above/below."""
    w, h = FORMAT_SIZES[fmt]
    return w / h > 1.4


def zones(fmt: AdFormat) -> tuple[Zone, Zone]:
    return (Zone.LEFT, Zone.RIGHT) if is_columns(fmt) else (Zone.BOTTOM, Zone.TOP)


def zone_box(fmt: AdFormat, zone: Zone) -> Box:
    """The part of the canvas a text block in `zone` would cover (used to judge clutter)."""
    safe = safe_box(fmt)
    if zone in (Zone.LEFT, Zone.RIGHT):
        col = round(safe.width * COLUMN_SHARE)
        if zone is Zone.LEFT:
            return Box(left=safe.left, top=safe.top, right=safe.left + col, bottom=safe.bottom)
        return Box(left=safe.right - col, top=safe.top, right=safe.right, bottom=safe.bottom)
    span = round(safe.height * 0.45)
    if zone is Zone.BOTTOM:
        return Box(left=safe.left, top=safe.bottom - span, right=safe.right, bottom=safe.bottom)
    top = safe.top + round(safe.height * 0.12)
    return Box(left=safe.left, top=top, right=safe.right, bottom=top + span)


def fraction_box(fmt: AdFormat, box: Box) -> tuple[float, float, float, float]:
    """`box` as fractions of the canvas (to map zones onto analysis-scale crops)."""
    w, h = FORMAT_SIZES[fmt]
    return (box.left / w, box.top / h, box.right / w, box.bottom / h)
