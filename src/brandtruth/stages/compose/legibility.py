"""Legibility of text over pictures: how much fine detail lies under a text block, the scrim
or panel that makes it readable, and the check on the final pixels that it really is.

Legibility is measured, not assumed: text colour and any scrim/panel are chosen from the actual
pixels behind each text box, and the contrast recorded in the layout is re-measured on the
final background (text colour against the 1st-percentile pixel, WCAG formula), ≥ 4.5 always."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from brandtruth.formats import (
    Zone,
)
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


def scrim_ramp(size: tuple[int, int], zone: Zone, covered: Box, opacity: float) -> npt.NDArray[np.uint8]:
    """Overlay opacity (0-255) along the axis across the text: full over `covered`, easing to
    zero away from the text (smoothstep over 28 % of the canvas)."""
    w, h = size
    horizontal = zone in (Zone.LEFT, Zone.RIGHT)
    length, lo, hi = (w, covered.left, covered.right) if horizontal else (h, covered.top, covered.bottom)
    fade = round(length * 0.28)
    pos = np.arange(length, dtype=np.float32)
    if zone in (Zone.BOTTOM, Zone.RIGHT):
        t = np.clip((pos - (lo - fade)) / max(1, fade), 0.0, 1.0)
    else:
        t = np.clip(((hi + fade) - pos) / max(1, fade), 0.0, 1.0)
    ramp: npt.NDArray[np.uint8] = np.round(t * t * (3 - 2 * t) * opacity * 255).astype(np.uint8)
    return ramp


def apply_scrim(canvas: Image.Image, zone: Zone, covered: Box, opacity: float, tone: RGB) -> Image.Image:
    """Blend `tone` over the canvas along the ramp; only the band the ramp touches is processed."""
    w, h = canvas.size
    ramp = scrim_ramp(canvas.size, zone, covered, opacity)
    nz = np.flatnonzero(ramp)
    out = canvas.copy()
    if nz.size == 0:
        return out
    a, b = int(nz[0]), int(nz[-1]) + 1
    horizontal = zone in (Zone.LEFT, Zone.RIGHT)
    band = (a, 0, b, h) if horizontal else (0, a, w, b)
    part = ramp[a:b]
    mask_arr = np.broadcast_to(part[None, :], (h, b - a)) if horizontal else np.broadcast_to(part[:, None], (b - a, w))
    mask = Image.fromarray(np.ascontiguousarray(mask_arr), "L")
    region = out.crop(band)
    out.paste(Image.composite(Image.new("RGB", region.size, tone), region, mask), band[:2])
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


def choose_treatment(region: npt.NDArray[np.uint8], dark: RGB) -> Treatment:
    """Text colour plus the lightest treatment that makes the text both legible and calm.

    Light images get dark text (over a white scrim if needed), dark and mid images white text
    (over a dark scrim); whichever pairing needs less scrim wins when one is clearly cheaper.
    """
    detail = fine_detail(region)
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


def settle_treatment(
    base: Image.Image,
    treat: Treatment,
    zone: Zone,
    covered: Box,
    panel_area: Box,
    panel_color: RGB,
    dark: RGB,
    text_boxes: list[Box],
    panel_radius: int,
) -> tuple[Image.Image, Treatment, Box | None, list[float]]:
    """Apply `treat`, then verify on the real pixels of every text box; strengthen until it holds.

    Returns the treated canvas, the treatment that held, the panel box (if a panel) and the
    contrast measured in each text box.
    """
    canvas = base
    for _attempt in range(8):
        panel_box: Box | None = None
        if treat.kind == "scrim":
            canvas = apply_scrim(base, zone, covered, treat.opacity, treat.tone)
        elif treat.kind == "panel":
            panel_box = panel_area
            treat.text_color = label_color_on(panel_color, dark)
            canvas = base.copy()
            fill_rounded(canvas, panel_box, panel_color, panel_radius)
        else:
            canvas = base.copy()
        measured = [measured_contrast(treat.text_color, pixels_in(canvas, b)) for b in text_boxes]
        if min(measured) >= MIN_CONTRAST:
            return canvas, treat, panel_box, measured
        if treat.kind == "none":
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
