"""Compose one creative: image, scrim or panel if needed, headline, supporting line, CTA, logo.

Synchronous and CPU-bound (run it in a worker thread). Given the same inputs it produces the
same pixels: no randomness, fixed fonts, fixed iteration orders.

Legibility is measured, not assumed: text colour and any scrim/panel are chosen from the actual
pixels behind each text box, and the contrast recorded in the layout is re-measured on the
final background (text colour against the 1st-percentile pixel, WCAG formula), ≥ 4.5 always.

Text baked into the picture (a social card's headline, a van's lettering) is never drawn over:
the layout moves to the other text zone when that one is free of it, and otherwise sets our
text on a solid panel that covers the baked text it would touch. The CTA button has one fill
per brand (`Palette.cta_fill`), whatever the format; where the picture around it is too close
in tone, it gets a thin contrasting outline instead of a different colour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from brandtruth.formats import (
    STACK_SHARE,
    STORY_STACK_SHARE,
    Zone,
    fraction_box,
    is_columns,
    safe_box,
    zone_box,
    zones,
)
from brandtruth.imaging.analysis import clutter, edge_map, saliency_map, small_copy
from brandtruth.imaging.color import (
    NEAR_BLACK,
    RGB,
    WHITE,
    color_contrast,
    luminance,
    luminance_map,
    measured_contrast,
    to_hex,
)
from brandtruth.imaging.png import encode_png
from brandtruth.models.common import Box
from brandtruth.models.creative import FORMAT_SIZES, AdFormat, CreativeLayout, TextBox
from brandtruth.stages.compose.background import brand_background
from brandtruth.stages.compose.brand import Palette
from brandtruth.stages.compose.fonts import BOLD, MEDIUM, REGULAR, clean_text, font
from brandtruth.stages.compose.placement import MIN_SUBJECT, Subject, find_subject, inset_subject
from brandtruth.stages.compose.typeset import TextBlock, fit_block, layout_block, widest_word

MIN_CONTRAST = 4.5
#: Aim a little higher than the floor when choosing scrims, so rounding never lands below it.
TARGET_CONTRAST = 4.9
#: Contrast wanted between the CTA button and what surrounds it. Lower than WCAG's 3:1 for UI
#: components on purpose: a brand-orange button on brand-teal (2.8:1) is plainly visible, and a
#: stricter bar made the button colour flip between formats of the same ad.
BUTTON_CONTRAST = 2.2
#: Margin (px) around baked-in text that our text, button and logo keep clear of.
TEXT_CLEARANCE = 10
LOGO_CONTRAST = 3.0
MAX_SCRIM = 0.86
#: Below this much fine detail (see `_detail`) text may sit on the bare image if contrast allows.
CALM_DETAIL = 2.5
#: Above this much detail a scrim cannot calm the image enough: use a solid panel.
PANEL_DETAIL = 10.0
_SUPERSAMPLE = 3


@dataclass(frozen=True)
class FormatStyle:
    """Type scale and spacing per format (pixels at the format's native size)."""

    headline_max: int
    headline_min: int
    headline_lines: int
    body_max: int
    body_min: int
    body_lines: int
    cta_max: int
    cta_min: int
    logo_h: int
    logo_w: int
    gap: int


STYLES: dict[AdFormat, FormatStyle] = {
    AdFormat.SQUARE: FormatStyle(84, 40, 3, 38, 28, 2, 34, 26, 80, 300, 28),
    AdFormat.PORTRAIT: FormatStyle(88, 42, 4, 40, 28, 3, 36, 26, 84, 300, 30),
    # A story is seen full-screen on a phone: the same width as a square, with a safe zone about
    # as tall as it is wide. Type is set large enough to fill it, the headline clearly dominant.
    AdFormat.STORY: FormatStyle(148, 64, 4, 54, 38, 3, 50, 38, 124, 420, 46),
    AdFormat.LANDSCAPE: FormatStyle(58, 30, 3, 27, 20, 2, 26, 20, 56, 220, 18),
}
#: Story scales tried, in order, when the large one leaves no room beside the text for the subject.
STORY_MEDIUM = FormatStyle(120, 52, 4, 48, 34, 3, 44, 32, 108, 370, 40)
STORY_COMPACT = FormatStyle(96, 44, 4, 42, 30, 3, 38, 28, 92, 320, 34)
#: An inset subject beside story type larger than the compact scale must keep this share of the width.
LARGE_TYPE_MIN_SUBJECT = 0.42


@dataclass(frozen=True)
class CopyText:
    """Cleaned copy: the headline, supporting lines to try in order, the CTA label."""

    headline: str
    bodies: tuple[str, ...]
    cta: str


@dataclass
class RenderJob:
    fmt: AdFormat
    base: npt.NDArray[np.uint8] | None  # canvas-sized RGB, or None for the brand background
    palette: Palette
    logo: Image.Image | None  # RGBA
    copy: CopyText
    key: str
    image_id: str | None = None
    image_source: str | None = None
    crop_box: Box | None = None
    zone: Zone | None = None  # from the match; chosen from the pixels when absent
    attribution: str | None = None
    #: The whole decoded image (uncropped), for zooming out when the subject is under the text.
    source: npt.NDArray[np.uint8] | None = None
    source_subject: Subject | None = None  # find_subject(source), computed once per image
    #: Text baked into the source image, as (left, top, right, bottom) fractions of the source.
    text_regions: tuple[tuple[float, float, float, float], ...] = ()
    #: The part of the source `base` shows, as fractions (None: all of it).
    source_crop: tuple[float, float, float, float] | None = None


@dataclass
class Rendered:
    pixels: npt.NDArray[np.uint8]
    layout: CreativeLayout
    warnings: list[str] = field(default_factory=list)

    def png(self) -> bytes:
        return encode_png(self.pixels)


@dataclass
class _Placed:
    block: TextBlock
    x: int
    y: int  # top of the block (ascender line of the first line)

    def baselines(self) -> list[int]:
        return [self.y + self.block.ascent + i * self.block.line_height for i in range(len(self.block.lines))]


@dataclass
class _Stack:
    headline: TextBlock
    body: TextBlock | None
    cta: TextBlock
    button_w: int
    button_h: int
    gap_body: int
    gap_cta: int

    @property
    def height(self) -> int:
        h = self.headline.height + self.gap_cta + self.button_h
        if self.body is not None:
            h += self.gap_body + self.body.height
        return h


# --------------------------------------------------------------------------------------------
# Layout


def choose_zone(pixels: npt.NDArray[np.uint8], fmt: AdFormat) -> Zone:
    """The calmer of the format's two text zones (bottom wins ties for stacks, left for columns)."""
    small = small_copy(Image.fromarray(pixels), 160)
    sal = saliency_map(small)
    edges = edge_map(small)
    sh, sw = small.shape[:2]
    best: Zone | None = None
    best_c = 2.0
    for zone in zones(fmt):
        fx0, fy0, fx1, fy1 = fraction_box(fmt, zone_box(fmt, zone))
        x0, y0 = int(fx0 * sw), int(fy0 * sh)
        x1, y1 = max(x0 + 1, int(fx1 * sw)), max(y0 + 1, int(fy1 * sh))
        c = clutter(small[y0:y1, x0:x1], sal[y0:y1, x0:x1], edges[y0:y1, x0:x1])
        if c < best_c - 0.03:  # prefer the first (conventional) zone unless clearly calmer
            best, best_c = zone, c
    assert best is not None
    return best


def _cta_block(label: str, style: FormatStyle, max_width: int) -> tuple[TextBlock, int, int] | None:
    for size in range(style.cta_max, style.cta_min - 1, -2):
        block = layout_block(label, MEDIUM, size, 10_000, 1.0, balance=False)
        pad_x = round(size * 1.15)
        if block.width + 2 * pad_x <= max_width:
            return block, block.width + 2 * pad_x, round(size * 2.3)
    small = fit_block(
        label,
        MEDIUM,
        max_size=style.cta_min,
        min_size=16,
        max_width=max_width - 2 * style.cta_min,
        max_height=style.cta_min * 3,
        max_lines=1,
        line_spacing=1.0,
        balance=False,
    )
    if small is None:
        return None
    pad_x = round(small.size * 1.15)
    return small, small.width + 2 * pad_x, round(small.size * 2.3)


def _fit_stack(copy: CopyText, style: FormatStyle, width: int, budget: int) -> tuple[_Stack | None, list[str]]:
    warnings: list[str] = []
    cta = _cta_block(copy.cta, style, width)
    if cta is None:
        return None, ["CTA label does not fit on one line"]
    cta_block, bw, bh = cta
    gap_body = round(style.gap * 0.6)
    gap_cta = style.gap
    # Keep the supporting line only while the headline stays reasonably large.
    threshold = style.headline_min + (style.headline_max - style.headline_min) * 0.35
    for with_body in (True, False):
        if with_body and not copy.bodies:
            continue
        size = style.headline_max
        while size >= style.headline_min:
            if with_body and size < threshold:
                break
            if widest_word(copy.headline, BOLD, size) > width:  # a smaller size beats a broken word
                size -= 4 if size > style.headline_min + 4 else 2
                continue
            head = layout_block(copy.headline, BOLD, size, width, 1.08, balance=False)
            # Balancing keeps the line count, so the height is known already: skip sizes whose
            # headline and button alone overflow, or leave no room for a body line (saves most of
            # the fitting work at large story sizes; the outcome is the same).
            fits = head.height + gap_cta + bh <= budget
            if with_body:
                fits = fits and budget - (head.height + gap_cta + bh) - gap_body >= style.body_min
            if len(head.lines) <= style.headline_lines and fits:
                head = layout_block(copy.headline, BOLD, size, width, 1.08)
                stack = _Stack(head, None, cta_block, bw, bh, gap_body, gap_cta)
                if with_body:
                    body_size = min(style.body_max, max(style.body_min, round(size * 0.46)))
                    room = budget - stack.height - gap_body
                    for text in copy.bodies:
                        body = fit_block(
                            text,
                            REGULAR,
                            max_size=body_size,
                            min_size=style.body_min,
                            max_width=width,
                            max_height=room,
                            max_lines=style.body_lines,
                            line_spacing=1.28,
                        )
                        if body is not None:
                            stack.body = body
                            break
                    if stack.body is not None and stack.height <= budget:
                        return stack, warnings
                elif stack.height <= budget:
                    return stack, warnings
            size -= 4 if size > style.headline_min + 4 else 2
    # Long headline: go below the style's minimum (down to a legible floor), any number of lines.
    for size in range(style.headline_min, 21, -2):
        head = layout_block(copy.headline, BOLD, size, width, 1.08)
        stack = _Stack(head, None, cta_block, bw, bh, gap_body, gap_cta)
        if stack.height <= budget:
            warnings.append(f"headline set below the usual size ({size}px) to fit")
            return stack, warnings
    return None, ["headline does not fit"]


def _ellipsize(text: str, words: int) -> str:
    parts = text.split()
    return " ".join(parts[:words]).rstrip(",;:.-") + "…"


# --------------------------------------------------------------------------------------------
# Drawing helpers


def _rounded(size: tuple[int, int], radius: int) -> Image.Image:
    """An antialiased rounded-rectangle mask ('L'), drawn supersampled then reduced."""
    w, h = size
    big = Image.new("L", (w * _SUPERSAMPLE, h * _SUPERSAMPLE), 0)
    ImageDraw.Draw(big).rounded_rectangle(
        (0, 0, w * _SUPERSAMPLE - 1, h * _SUPERSAMPLE - 1), radius=radius * _SUPERSAMPLE, fill=255
    )
    return big.reduce(_SUPERSAMPLE)


def _fill_rounded(canvas: Image.Image, box: Box, color: RGB, radius: int) -> None:
    mask = _rounded((box.width, box.height), radius)
    canvas.paste(Image.new("RGB", (box.width, box.height), color), (box.left, box.top), mask)


def _ink_box(draw: ImageDraw.ImageDraw, placed: _Placed) -> Box:
    f = font(placed.block.path, placed.block.size)
    boxes = [
        draw.textbbox((placed.x, base), line, font=f, anchor="ls")
        for line, base in zip(placed.block.lines, placed.baselines(), strict=True)
    ]
    return Box(
        left=int(min(b[0] for b in boxes)),
        top=int(min(b[1] for b in boxes)),
        right=int(max(b[2] for b in boxes)),
        bottom=int(max(b[3] for b in boxes)),
    )


def _draw_block(draw: ImageDraw.ImageDraw, placed: _Placed, color: RGB) -> None:
    f = font(placed.block.path, placed.block.size)
    for line, base in zip(placed.block.lines, placed.baselines(), strict=True):
        draw.text((placed.x, base), line, font=f, fill=color, anchor="ls")


def _union(boxes: list[Box], pad: int, size: tuple[int, int]) -> Box:
    w, h = size
    return Box(
        left=max(0, min(b.left for b in boxes) - pad),
        top=max(0, min(b.top for b in boxes) - pad),
        right=min(w, max(b.right for b in boxes) + pad),
        bottom=min(h, max(b.bottom for b in boxes) + pad),
    )


# --------------------------------------------------------------------------------------------
# Legibility treatments

Treatment = Literal["none", "scrim", "panel"]


def _scrim_ramp(size: tuple[int, int], zone: Zone, covered: Box, opacity: float) -> npt.NDArray[np.uint8]:
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


def _apply_scrim(canvas: Image.Image, zone: Zone, covered: Box, opacity: float, tone: RGB) -> Image.Image:
    """Blend `tone` over the canvas along the ramp; only the band the ramp touches is processed."""
    w, h = canvas.size
    ramp = _scrim_ramp(canvas.size, zone, covered, opacity)
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


def _detail(region: npt.NDArray[np.uint8]) -> float:
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


def _required_opacity(region: npt.NDArray[np.uint8], text: RGB, tone: RGB, floor: float = 0.0) -> float:
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


# --------------------------------------------------------------------------------------------
# The creative


def _logo_fit(logo: Image.Image, max_w: int, max_h: int) -> Image.Image:
    lw, lh = logo.size
    scale = min(max_w / lw, max_h / lh)
    size = (max(1, round(lw * scale)), max(1, round(lh * scale)))
    return logo.resize(size, Image.Resampling.LANCZOS)


def _logo_tone(logo: Image.Image) -> RGB | None:
    """Median colour of the logo's opaque pixels (None if it has none)."""
    arr = np.asarray(logo.convert("RGBA"))
    opaque = arr[arr[..., 3] > 128][:, :3]
    if opaque.shape[0] == 0:
        return None
    med = np.median(opaque, axis=0)
    return (int(med[0]), int(med[1]), int(med[2]))


@dataclass
class _Plan:
    zone: Zone
    stack: _Stack
    head: _Placed
    body: _Placed | None
    button: Box
    logo_img: Image.Image | None
    logo_area: Box
    chip_pad: int
    wordmark: tuple[TextBlock, int] | None
    text_boxes: list[Box]
    warnings: list[str]
    style: FormatStyle


def _logo_side(base: Image.Image, area: Box, col: Box, regions: list[Box]) -> Box:
    """Move the logo to the column's right corner when the left corner is clearly busier, or has
    baked-in text the right one has not."""
    right = Box(left=col.right - area.width, top=area.top, right=col.right, bottom=area.bottom)
    if area.width <= 0 or right.left <= area.right:
        return area
    left_hit, right_hit = _hits(area, regions), _hits(right, regions)
    if left_hit != right_hit:
        return right if left_hit else area
    left_detail = _detail(_crop(base, area))
    right_detail = _detail(_crop(base, right))
    return right if right_detail + 1.5 < left_detail else area


def _styles(fmt: AdFormat) -> list[FormatStyle]:
    """Type scales to try for a format, largest first."""
    return [STYLES[fmt], STORY_MEDIUM, STORY_COMPACT] if fmt is AdFormat.STORY else [STYLES[fmt]]


def _plan(
    job: RenderJob, zone: Zone, base: Image.Image, regions: list[Box] | None = None, style: FormatStyle | None = None
) -> _Plan:
    """Where everything goes: logo corner, text column, stacked headline/body/CTA."""
    fmt = job.fmt
    style = style or STYLES[fmt]
    safe = safe_box(fmt)
    warnings: list[str] = []
    col = zone_box(fmt, zone) if is_columns(fmt) else safe
    logo_img = _logo_fit(job.logo, style.logo_w, style.logo_h) if job.logo is not None else None
    chip_pad = round(style.logo_h * 0.2)
    wordmark = _wordmark_block(job.palette, style, col.width) if logo_img is None else None
    if logo_img is not None:
        lw, lh = logo_img.size
        logo_area = Box(
            left=col.left, top=safe.top, right=col.left + lw + 2 * chip_pad, bottom=safe.top + lh + 2 * chip_pad
        )
    elif wordmark is not None:
        block, pad = wordmark
        logo_area = Box(
            left=col.left,
            top=safe.top,
            right=col.left + block.width + 2 * pad,
            bottom=safe.top + block.ascent + block.descent + 2 * pad,
        )
    else:
        warnings.append("no logo and no usable brand name; creative carries no brand mark")
        logo_area = Box(left=col.left, top=safe.top, right=col.left, bottom=safe.top)
    if job.base is not None and not is_columns(fmt):
        logo_area = _logo_side(base, logo_area, col, regions or [])
    clear = max(style.gap, chip_pad * 2)
    text_top_limit = logo_area.bottom + clear
    text_width = col.width - 4  # ink can overhang the advance width by a pixel or two
    avail = safe.bottom - text_top_limit

    stack: _Stack | None = None
    share = STORY_STACK_SHARE if style is STYLES[AdFormat.STORY] else STACK_SHARE
    budgets = [avail] if is_columns(fmt) else [min(avail, round(safe.height * share)), avail]
    for budget in budgets:
        stack, fit_warnings = _fit_stack(job.copy, style, text_width, budget)
        if stack is not None:
            warnings.extend(fit_warnings)
            break
    if stack is None:
        # Pathologically long headline: shorten at a word boundary, and say so.
        words = len(job.copy.headline.split())
        while stack is None and words > 1:
            words -= 1
            short = CopyText(_ellipsize(job.copy.headline, words), (), job.copy.cta)
            stack, _ = _fit_stack(short, style, text_width, avail)
        if stack is None:
            raise ValueError("creative text cannot be laid out in the safe zone")
        warnings.append(f"headline shortened to {words} words to fit")

    if is_columns(fmt):
        top = text_top_limit + max(0, (safe.bottom - text_top_limit - stack.height) // 2)
    elif zone is Zone.TOP:
        top = text_top_limit
    else:
        top = safe.bottom - stack.height
    x = col.left + 1
    head = _Placed(stack.headline, x, top)
    y = top + stack.headline.height
    body: _Placed | None = None
    if stack.body is not None:
        y += stack.gap_body
        body = _Placed(stack.body, x, y)
        y += stack.body.height
    y += stack.gap_cta
    button = Box(left=col.left, top=y, right=col.left + stack.button_w, bottom=y + stack.button_h)
    scratch = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    text_boxes = [_ink_box(scratch, head)]
    if body is not None:
        text_boxes.append(_ink_box(scratch, body))
    return _Plan(zone, stack, head, body, button, logo_img, logo_area, chip_pad, wordmark, text_boxes, warnings, style)


@dataclass
class _Treatment:
    kind: Treatment
    text_color: RGB
    opacity: float = 0.0
    tone: RGB = NEAR_BLACK


def _choose_treatment(region: npt.NDArray[np.uint8], dark: RGB) -> _Treatment:
    """Text colour plus the lightest treatment that makes the text both legible and calm.

    Light images get dark text (over a white scrim if needed), dark and mid images white text
    (over a dark scrim); whichever pairing needs less scrim wins when one is clearly cheaper.
    """
    detail = _detail(region)
    if detail >= PANEL_DETAIL:
        return _Treatment("panel", WHITE)
    floor = 0.0 if detail < CALM_DETAIL else min(0.8, 0.35 + (detail - CALM_DETAIL) * 0.07)
    light = float(luminance_map(region[::4, ::4]).mean()) > 0.42
    pairs = [(dark, WHITE), (WHITE, NEAR_BLACK)] if light else [(WHITE, NEAR_BLACK), (dark, WHITE)]
    costs = [_required_opacity(region, text, tone, floor) for text, tone in pairs]
    pick = 1 if costs[1] + 0.15 < costs[0] else 0
    text, tone = pairs[pick]
    opacity = costs[pick]
    if opacity <= 0.0:
        return _Treatment("none", text)
    opacity = min(1.0, opacity + 0.03)
    if opacity > MAX_SCRIM:
        return _Treatment("panel", WHITE)
    return _Treatment("scrim", text, opacity, tone)


def render_creative(job: RenderJob) -> Rendered:
    """Lay out and draw one creative (blocking)."""
    fmt = job.fmt
    size = FORMAT_SIZES[fmt]
    w, h = size
    palette = job.palette
    dark = palette.dark_text()

    if job.base is None:
        zone = job.zone or zones(fmt)[0]
        base = brand_background(size, palette, f"{job.key}-{fmt.value}", zone.value)
    else:
        if job.base.shape[:2] != (h, w):
            raise ValueError(f"base image is {job.base.shape[1]}x{job.base.shape[0]}, expected {w}x{h}")
        zone = job.zone or choose_zone(job.base, fmt)
        base = Image.fromarray(job.base, "RGB")
    regions = _regions_on_canvas(job.text_regions, job.source_crop, size) if job.base is not None else []
    plan = _plan(job, zone, base, regions)
    if regions and _hits(_plan_area(plan, size), regions):
        # Baked-in text where ours would go: use the other zone if that one is clear of it.
        for other in zones(fmt):
            if other is not zone:
                alt = _plan(job, other, base, regions)
                if not _hits(_plan_area(alt, size), regions):
                    zone, plan = other, alt
                    break
    warnings = list(plan.warnings)
    text_boxes = plan.text_boxes
    covered = _union([*text_boxes, plan.button], 8, size)
    image_box: Box | None = None
    if job.base is not None:
        # If the text would cover the subject, inset the picture; if the subject will not fit
        # beside the text in this zone, try the other zone before settling for a scrim.
        # A story's large type may leave too little room beside it for the subject: then the
        # compact type scale is tried before settling for text over the subject.
        picture_subject = job.source_subject
        # The crop's own subject is only needed when the picture may be moved (found lazily).
        base_subject = None if job.source is not None and picture_subject is not None else find_subject(job.base)
        # A crop through the picture's own lettering ("HOUSE BL" at the canvas edge) or through a
        # product on a studio background reads as a mistake: zoom out to show the picture whole
        # beside our text when it can be moved.
        cut_text = _cuts_text(job.text_regions, job.source_crop) or _cuts_subject(picture_subject, job.source_crop)
        # Only a subject on a plain background is ever moved (see `inset_subject`): for any other
        # picture the layouts below cannot change the outcome, so skip laying them out.
        known = picture_subject if job.source is not None else base_subject
        settled = known is not None and not known.plain
        for cand_style in _styles(fmt):
            if settled:
                break
            for candidate_zone in [zone, *[z for z in zones(fmt) if z is not zone]]:
                same = candidate_zone is zone and cand_style is plan.style
                cand_plan = plan if same else _plan(job, candidate_zone, base, regions, cand_style)
                cand_covered = _union([*cand_plan.text_boxes, cand_plan.button], 8, size)
                free = _free_area(fmt, candidate_zone, cand_covered, cand_style.gap, cand_plan.logo_area)
                # Large type only where the picture beside it still gets a good size.
                least = MIN_SUBJECT if cand_style is _styles(fmt)[-1] else LARGE_TYPE_MIN_SUBJECT
                if base_subject is None:
                    base_subject = find_subject(job.base)
                result = inset_subject(
                    job.base, cand_covered, free, job.source, base_subject, picture_subject, least, cut_text
                )
                if result.inset is not None:
                    zone = candidate_zone
                    base = Image.fromarray(result.inset.pixels, "RGB")
                    image_box = result.inset.image_box
                    placed = result.inset.placed or image_box
                    regions = _regions_on_canvas(job.text_regions, None, size, placed)
                    # The logo corner may change on the new backdrop.
                    plan = _plan(job, zone, base, regions, cand_style)
                    covered = _union([*plan.text_boxes, plan.button], 8, size)
                    settled = True
                    break
                if not result.needed:
                    settled = True
                    break
        text_boxes = plan.text_boxes
        warnings = list(plan.warnings)
    style = plan.style
    region = _crop(base, _union(text_boxes, 4, size))
    treat = _choose_treatment(region, dark)
    # Our text must not touch baked-in text: cover what it would touch with a solid panel.
    pad = round(style.gap * 0.9)
    panel_area = _panel_area(covered, pad, regions, size, plan.logo_area)
    if _hits(covered, regions):
        treat = _Treatment("panel", WHITE)
        warnings.append("picture has its own text where ours goes; set ours on a panel covering it")

    # Apply, then verify on the real pixels of every text box; strengthen until it holds.
    panel_box: Box | None = None
    canvas = base
    for _attempt in range(8):
        panel_box = None
        if treat.kind == "scrim":
            canvas = _apply_scrim(base, zone, covered, treat.opacity, treat.tone)
        elif treat.kind == "panel":
            panel_box = panel_area
            panel_color = palette.primary
            treat.text_color = _label_color(panel_color, dark)
            canvas = base.copy()
            _fill_rounded(canvas, panel_box, panel_color, round(style.gap * 0.6))
        else:
            canvas = base.copy()
        measured = [measured_contrast(treat.text_color, _crop(canvas, b)) for b in text_boxes]
        if min(measured) >= MIN_CONTRAST:
            break
        if treat.kind == "none":
            tone = NEAR_BLACK if luminance(treat.text_color) > 0.5 else WHITE
            treat = _Treatment("scrim", treat.text_color, 0.45, tone)
        elif treat.kind == "scrim" and treat.opacity + 0.1 <= MAX_SCRIM:
            treat.opacity += 0.1
        else:
            treat = _Treatment("panel", WHITE)
    else:  # pragma: no cover - a flat panel always reaches ≥ 4.58 with white or near-black text
        raise AssertionError("no legible treatment found")
    if canvas is base and job.base is not None:
        canvas = base.copy()
    draw = ImageDraw.Draw(canvas)

    # CTA button: the brand's one CTA colour in every format, label ≥ 4.5; outlined where the
    # picture around it is too close in tone for the fill alone to stand out.
    button = plan.button
    surround_l = float(np.median(luminance_map(_crop(canvas, _union([button], 14, size)))))
    fill = palette.cta_fill()
    label_color = _label_color(fill, dark)
    radius = round(plan.stack.button_h * 0.22)
    if _lum_contrast(luminance(fill), surround_l) < BUTTON_CONTRAST:
        ring = (
            WHITE if _lum_contrast(1.0, surround_l) >= _lum_contrast(luminance(NEAR_BLACK), surround_l) else NEAR_BLACK
        )
        t = max(2, round(plan.stack.button_h * 0.05))
        outer = Box(left=button.left - t, top=button.top - t, right=button.right + t, bottom=button.bottom + t)
        _fill_rounded(canvas, outer, ring, radius + t)
    _fill_rounded(canvas, button, fill, radius)
    cta_block = plan.stack.cta
    label_x = button.left + (button.width - cta_block.width) // 2
    label_top = button.top + (button.height - (cta_block.ascent + cta_block.descent)) // 2
    cta_ink = _ink_box(draw, _Placed(cta_block, label_x, label_top))
    # Centre the ink (not the font's line box) vertically in the button.
    shift = ((button.top + button.bottom) - (cta_ink.top + cta_ink.bottom)) // 2
    cta_placed = _Placed(cta_block, label_x, label_top + shift)
    cta_ink = _ink_box(draw, cta_placed)

    # Baked-in text still showing (not under the panel): recorded, and kept clear of the logo.
    visible = [r for r in regions if panel_box is None or not _inside(r, panel_box)]

    # Logo (or a wordmark), on a chip when it would not stand out from the background.
    logo_box: Box | None = None
    extra_boxes: list[TextBox] = []
    if plan.logo_img is not None:
        logo_img, pad, area = plan.logo_img, plan.chip_pad, plan.logo_area
        lbox = Box(
            left=area.left + pad,
            top=area.top + pad,
            right=area.left + pad + logo_img.width,
            bottom=area.top + pad + logo_img.height,
        )
        tone_logo = _logo_tone(logo_img)
        behind_l = float(np.median(luminance_map(_crop(canvas, lbox))))
        over_text = _hits(area, visible)
        if over_text or (tone_logo is not None and _lum_contrast(luminance(tone_logo), behind_l) < LOGO_CONTRAST):
            mark: RGB = tone_logo if tone_logo is not None else NEAR_BLACK
            chip = max([WHITE, palette.background, NEAR_BLACK], key=lambda c: color_contrast(c, mark))
            _fill_rounded(canvas, area, chip, round(pad * 1.2))
            logo_box = area
        else:
            logo_box = lbox
        canvas.paste(logo_img, (lbox.left, lbox.top), logo_img)
    elif plan.wordmark is not None:
        block, pad = plan.wordmark
        extra_boxes.append(_draw_wordmark(canvas, draw, palette, block, pad, plan.logo_area))
        logo_box = plan.logo_area

    # Headline/body contrast was measured on this background above; nothing drawn since overlaps
    # their boxes (CTA and logo have their own areas), so those numbers stand.
    records = [_record("headline", plan.head, text_boxes[0], treat.text_color, canvas, measured[0])]
    if plan.body is not None:
        records.append(_record("body", plan.body, text_boxes[1], treat.text_color, canvas, measured[1]))
    records.append(_record("cta", cta_placed, cta_ink, label_color, canvas))
    records.extend(extra_boxes)
    _draw_block(draw, plan.head, treat.text_color)
    if plan.body is not None:
        _draw_block(draw, plan.body, treat.text_color)
    _draw_block(draw, cta_placed, label_color)

    layout = CreativeLayout(
        text_boxes=records,
        logo_box=logo_box,
        cta_box=button,
        safe_zone=safe_box(fmt),
        crop_box=job.crop_box,
        image_id=job.image_id,
        scrim=treat.kind == "scrim",
        scrim_opacity=round(treat.opacity, 3) if treat.kind == "scrim" else None,
        panel=treat.kind == "panel",
        panel_box=panel_box,
        text_zone=zone.value,
        image_source=job.image_source,
        attribution=job.attribution,
        image_box=image_box,
        cta_color=to_hex(fill),
        avoided_text=visible,
    )
    return Rendered(pixels=np.asarray(canvas, dtype=np.uint8), layout=layout, warnings=warnings)


def _regions_on_canvas(
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


def _cuts_text(
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


def _cuts_subject(subject: Subject | None, crop: tuple[float, float, float, float] | None) -> bool:
    """Whether the crop cuts a reliably located subject (one on a plain background) by more than
    a sliver (8 % of its height or width)."""
    if subject is None or not subject.plain or crop is None:
        return False
    sx0, sy0, sx1, sy1 = subject.box
    cx0, cy0, cx1, cy1 = crop
    mx, my = 0.08 * (sx1 - sx0), 0.08 * (sy1 - sy0)
    return sx0 < cx0 - mx or sy0 < cy0 - my or sx1 > cx1 + mx or sy1 > cy1 + my


def _hits(box: Box, regions: list[Box], margin: int = TEXT_CLEARANCE) -> bool:
    """Whether `box`, grown by `margin`, touches any of `regions`."""
    return any(
        box.left - margin < r.right
        and r.left < box.right + margin
        and box.top - margin < r.bottom
        and r.top < box.bottom + margin
        for r in regions
    )


def _inside(inner: Box, outer: Box) -> bool:
    return (
        inner.left >= outer.left
        and inner.top >= outer.top
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
    )


def _plan_area(plan: _Plan, size: tuple[int, int]) -> Box:
    return _union([*plan.text_boxes, plan.button], 8, size)


def _panel_area(covered: Box, pad: int, regions: list[Box], size: tuple[int, int], logo: Box | None = None) -> Box:
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
        if logo is not None and logo.width > 0 and box != _pad_box(covered, pad, size):
            attach.append((logo, pad))
        for r, m in attach:
            if _hits(box, [r], m if r is logo else 0) and not _inside(_pad_box(r, m, size), box):
                box = Box(
                    left=max(0, min(box.left, r.left - m)),
                    top=max(0, min(box.top, r.top - m)),
                    right=min(w, max(box.right, r.right + m)),
                    bottom=min(h, max(box.bottom, r.bottom + m)),
                )
                grown = True
    return box


def _pad_box(box: Box, pad: int, size: tuple[int, int]) -> Box:
    w, h = size
    return Box(
        left=max(0, box.left - pad),
        top=max(0, box.top - pad),
        right=min(w, box.right + pad),
        bottom=min(h, box.bottom + pad),
    )


def _free_area(fmt: AdFormat, zone: Zone, covered: Box, gap: int, logo: Box) -> Box:
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


def _crop(canvas: Image.Image, box: Box) -> npt.NDArray[np.uint8]:
    return np.asarray(canvas.crop((box.left, box.top, box.right, box.bottom)), dtype=np.uint8)


def _record(
    role: str, placed: _Placed, box: Box, color: RGB, canvas: Image.Image, contrast: float | None = None
) -> TextBox:
    """The layout record of a text block, with contrast measured on the pixels about to be behind it."""
    if contrast is None:
        contrast = measured_contrast(color, _crop(canvas, box))
    return TextBox(
        role=role,
        text=placed.block.text,
        box=box,
        font_size=placed.block.size,
        contrast=math.floor(contrast * 100) / 100,  # rounded down: the record never overstates
        color=to_hex(color),
    )


def _lum_contrast(l1: float, l2: float) -> float:
    hi, lo = max(l1, l2), min(l1, l2)
    return (hi + 0.05) / (lo + 0.05)


def _label_color(fill: RGB, dark: RGB) -> RGB:
    for c in (WHITE, dark, NEAR_BLACK):
        if color_contrast(c, fill) >= TARGET_CONTRAST:
            return c
    return WHITE if color_contrast(WHITE, fill) >= color_contrast(NEAR_BLACK, fill) else NEAR_BLACK


def _wordmark_block(palette: Palette, style: FormatStyle, max_width: int) -> tuple[TextBlock, int] | None:
    """The brand name set to stand in for a missing logo, and its chip padding."""
    name, _dropped = clean_text(palette.name)
    if not name:
        return None
    pad = round(style.logo_h * 0.18)
    block = fit_block(
        name,
        BOLD,
        max_size=round(style.logo_h * 0.42),
        min_size=18,
        max_width=min(max_width, style.logo_w * 2) - 2 * pad,
        max_height=style.logo_h,
        max_lines=1,
        line_spacing=1.0,
        balance=False,
    )
    return (block, pad) if block is not None else None


def _draw_wordmark(
    canvas: Image.Image, draw: ImageDraw.ImageDraw, palette: Palette, block: TextBlock, pad: int, chip: Box
) -> TextBox:
    """The brand name on a brand-coloured chip; returns its measured text box."""
    chip_color = palette.primary
    color = _label_color(chip_color, palette.dark_text())
    _fill_rounded(canvas, chip, chip_color, round(pad * 0.9))
    placed = _Placed(block, chip.left + pad, chip.top + pad)
    record = _record("brand", placed, _ink_box(draw, placed), color, canvas)
    _draw_block(draw, placed, color)
    return record
