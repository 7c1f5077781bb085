"""Legibility of text over pictures: how much fine detail lies under a text block, the scrim
or panel that makes it readable, and the check on the final pixels that it really is.

Legibility is measured, not assumed: text colour and any scrim/panel are chosen from the actual
pixels behind each text box, and the contrast recorded in the layout is re-measured on the
final background (text colour against the 1st-percentile pixel, WCAG formula), ≥ 4.5 always.
A scrim is sized to the text block (`scrim_shape`), so the picture around it stays as it was."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from brandtruth.imaging.color import (
    NEAR_BLACK,
    RGB,
    WHITE,
    color_contrast,
    luminance,
    luminance_map,
    measured_contrast,
)
from brandtruth.models.common import Box
from brandtruth.stages.compose.drawing import fill_rounded
from brandtruth.stages.compose.geometry import pixels_in

MIN_CONTRAST = 4.5


#: Aim a little higher than the floor when choosing scrims, so rounding never lands below it.
TARGET_CONTRAST = 4.9


MAX_SCRIM = 0.86


#: Below this much fine detail (see `fine_detail`) text may sit on the bare image if contrast allows.
CALM_DETAIL = 2.5


#: Above this much detail a scrim cannot calm the image enough: use a solid panel.
PANEL_DETAIL = 10.0


TreatmentKind = Literal["none", "scrim", "panel"]


@dataclass(frozen=True)
class ScrimShape:
    """A scrim sized to the text block: full strength over `core` (the block plus a margin),
    easing to nothing over `fade` px, so it ends at `box`. A side closer to the canvas edge than
    the fade runs on to that edge (no thin untreated sliver of picture beside it)."""

    core: Box
    box: Box
    fade: int


def scrim_shape(covered: Box, size: tuple[int, int], gap: int, picture: Box | None = None) -> ScrimShape:
    """The scrim around `covered` (text block and button, padded): a margin of about a type gap
    at full strength, then a soft edge of about two gaps, never the whole canvas width.

    On a picture framed on a flat brand field, only the picture is calmed (`picture`): a scrim
    spilling onto the field would show as a tinted box on it.
    """
    w, h = size
    margin = max(6, round(gap * 0.8))
    fade = max(12, round(gap * 2.2))
    left, top = covered.left - margin, covered.top - margin
    right, bottom = covered.right + margin, covered.bottom + margin
    left = 0 if left <= fade else left
    top = 0 if top <= fade else top
    right = w if w - right <= fade else right
    bottom = h if h - bottom <= fade else bottom
    core = Box(left=max(0, left), top=max(0, top), right=min(w, right), bottom=min(h, bottom))
    box = Box(
        left=max(0, core.left - fade),
        top=max(0, core.top - fade),
        right=min(w, core.right + fade),
        bottom=min(h, core.bottom + fade),
    )
    if picture is not None:
        box = Box(
            left=max(box.left, picture.left),
            top=max(box.top, picture.top),
            right=max(max(box.left, picture.left), min(box.right, picture.right)),
            bottom=max(max(box.top, picture.top), min(box.bottom, picture.bottom)),
        )
    return ScrimShape(core=core, box=box, fade=fade)


def scrim_alpha(shape: ScrimShape, opacity: float) -> npt.NDArray[np.uint8]:
    """Overlay opacity (0-255) over `shape.box`: full over the core, then a smoothstep falloff
    with the distance from the core (round corners), zero at the box's edge."""
    core, box = shape.core, shape.box
    xs = np.arange(box.left, box.right, dtype=np.float32)
    ys = np.arange(box.top, box.bottom, dtype=np.float32)
    dx = np.maximum(np.maximum(core.left - xs, xs - (core.right - 1)), 0.0)
    dy = np.maximum(np.maximum(core.top - ys, ys - (core.bottom - 1)), 0.0)
    d = np.sqrt(dx[None, :] ** 2 + dy[:, None] ** 2)
    t = np.clip(1.0 - d / np.float32(shape.fade), 0.0, 1.0)
    alpha: npt.NDArray[np.uint8] = np.round(t * t * (3 - 2 * t) * (opacity * 255)).astype(np.uint8)
    return alpha


def apply_scrim(canvas: Image.Image, shape: ScrimShape, opacity: float, tone: RGB) -> Image.Image:
    """Blend `tone` over the canvas inside the scrim's box only; every pixel outside it is left
    as it was (the picture shows untouched around the text block)."""
    out = canvas.copy()
    box = shape.box
    if box.width <= 0 or box.height <= 0:
        return out
    mask = Image.fromarray(scrim_alpha(shape, opacity), "L")
    region = out.crop((box.left, box.top, box.right, box.bottom))
    out.paste(Image.composite(Image.new("RGB", region.size, tone), region, mask), (box.left, box.top))
    return out


def fine_detail(region: npt.NDArray[np.uint8]) -> float:
    """Fine detail behind the text: mean absolute high-pass of luminance at half resolution.

    Calm skies and bokeh score below ~3, product shots on plain backgrounds 3-6, screenshots and
    busy scenes 6-12+. Contrast alone does not make text readable over busy detail, so this sets
    a minimum scrim strength (and, when very high, calls for a solid panel).
    """
    half = region[::2, ::2]
    if half.shape[0] < 4 or half.shape[1] < 4:
        return 0.0
    gray = cv2.cvtColor(np.ascontiguousarray(half), cv2.COLOR_RGB2GRAY).astype(np.float32)
    return float(np.abs(gray - cv2.GaussianBlur(gray, (0, 0), 3)).mean())


def required_opacity(region: npt.NDArray[np.uint8], text: RGB, tone: RGB, floor: float = 0.0) -> float:
    """Smallest overlay opacity (of `tone`) giving TARGET_CONTRAST for `text` over `region`.

    Searches on the pixels that limit contrast (the 5 % closest in luminance to the text), which
    is where the 1st percentile of the whole region lives; the final check is on all pixels.
    """
    pix = region[::2, ::2].reshape(-1, 3)
    if pix.shape[0] == 0:
        return 0.0
    lum = luminance_map(pix)
    lt = luminance(text)
    cutoff = np.percentile(lum, 95.0 if lt > 0.5 else 5.0)
    worst = pix[lum >= cutoff] if lt > 0.5 else pix[lum <= cutoff]
    worst = worst.reshape(-1, 1, 3).astype(np.float32)
    tone_arr = np.array(tone, dtype=np.float32)

    def ok(a: float) -> bool:
        blended = np.clip(worst + (tone_arr - worst) * a + 0.5, 0, 255).astype(np.uint8)
        return measured_contrast(text, blended, percentile=20.0) >= TARGET_CONTRAST

    if ok(floor):
        return floor
    if not ok(1.0):
        return 1.0
    lo, hi = floor, 1.0
    for _ in range(6):
        mid = (lo + hi) / 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


@dataclass
class Treatment:
    kind: TreatmentKind
    text_color: RGB
    opacity: float = 0.0
    tone: RGB = NEAR_BLACK


def choose_treatment(region: npt.NDArray[np.uint8], dark: RGB, detail: float | None = None) -> Treatment:
    """Text colour plus the lightest treatment that makes the text both legible and calm.

    Light images get dark text (over a white scrim if needed), dark and mid images white text
    (over a dark scrim); whichever pairing needs less scrim wins when one is clearly cheaper.
    `detail` is `fine_detail(region)` when the caller has it already.
    """
    detail = fine_detail(region) if detail is None else detail
    if detail >= PANEL_DETAIL:
        return Treatment("panel", WHITE)
    floor = 0.0 if detail < CALM_DETAIL else min(0.8, 0.35 + (detail - CALM_DETAIL) * 0.07)
    light = float(luminance_map(region[::4, ::4]).mean()) > 0.42
    pairs = [(dark, WHITE), (WHITE, NEAR_BLACK)] if light else [(WHITE, NEAR_BLACK), (dark, WHITE)]
    costs = [required_opacity(region, text, tone, floor) for text, tone in pairs]
    pick = 1 if costs[1] + 0.15 < costs[0] else 0
    text, tone = pairs[pick]
    opacity = costs[pick]
    if opacity <= 0.0:
        return Treatment("none", text)
    opacity = min(1.0, opacity + 0.03)
    if opacity > MAX_SCRIM:
        return Treatment("panel", WHITE)
    return Treatment("scrim", text, opacity, tone)


@dataclass
class Settled:
    """The treated canvas and what was done to it."""

    canvas: Image.Image
    treatment: Treatment
    panel_box: Box | None
    scrim_box: Box | None
    contrast: list[float]  # measured in each text box


def settle_treatment(
    base: Image.Image,
    treat: Treatment,
    scrim: ScrimShape,
    panel_area: Box,
    panel_color: RGB,
    dark: RGB,
    text_boxes: list[Box],
    panel_radius: int,
) -> Settled:
    """Apply `treat`, then verify on the real pixels of every text box; strengthen until it holds."""
    canvas = base
    can_scrim = scrim.box.width > 0 and scrim.box.height > 0  # not when the text is all on a field
    for _attempt in range(8):
        panel_box: Box | None = None
        if treat.kind == "scrim" and not can_scrim:
            treat = Treatment("none", treat.text_color)
        if treat.kind == "scrim":
            canvas = apply_scrim(base, scrim, treat.opacity, treat.tone)
        elif treat.kind == "panel":
            panel_box = panel_area
            treat.text_color = label_color_on(panel_color, dark)
            canvas = base.copy()
            fill_rounded(canvas, panel_box, panel_color, panel_radius)
        else:
            canvas = base.copy()
        measured = [measured_contrast(treat.text_color, pixels_in(canvas, b)) for b in text_boxes]
        if min(measured) >= MIN_CONTRAST:
            scrim_box = scrim.box if treat.kind == "scrim" else None
            return Settled(canvas, treat, panel_box, scrim_box, measured)
        if treat.kind == "none" and can_scrim:
            tone = NEAR_BLACK if luminance(treat.text_color) > 0.5 else WHITE
            treat = Treatment("scrim", treat.text_color, 0.45, tone)
        elif treat.kind == "scrim" and treat.opacity + 0.1 <= MAX_SCRIM:
            treat.opacity += 0.1
        else:
            treat = Treatment("panel", WHITE)
    # A flat panel always reaches ≥ 4.58 with white or near-black text.
    raise AssertionError("no legible treatment found")  # pragma: no cover


def lum_contrast(l1: float, l2: float) -> float:
    hi, lo = max(l1, l2), min(l1, l2)
    return (hi + 0.05) / (lo + 0.05)


def label_color_on(fill: RGB, dark: RGB) -> RGB:
    for c in (WHITE, dark, NEAR_BLACK):
        if color_contrast(c, fill) >= TARGET_CONTRAST:
            return c
    return WHITE if color_contrast(WHITE, fill) >= color_contrast(NEAR_BLACK, fill) else NEAR_BLACK
