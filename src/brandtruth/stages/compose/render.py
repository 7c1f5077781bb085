"""Compose one creative: image, scrim or panel if needed, headline, supporting line, CTA, logo.

Synchronous and CPU-bound (run it in a worker thread). Given the same inputs it produces the
same pixels: no randomness, fixed fonts, fixed iteration orders.

Legibility is measured, not assumed: text colour and any scrim/panel are chosen from the actual
pixels behind each text box, and the contrast recorded in the layout is re-measured on the
final background (text colour against the 1st-percentile pixel, WCAG formula), ≥ 4.5 always.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

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
from brandtruth.stages.compose.geometry import (
    STACK_SHARE,
    Zone,
    fraction_box,
    is_columns,
    safe_box,
    zone_box,
    zones,
)
from brandtruth.stages.compose.text import TextBlock, fit_block, layout_block

MIN_CONTRAST = 4.5
#: Aim a little higher than the floor when choosing scrims, so rounding never lands below it.
TARGET_CONTRAST = 4.9
#: Non-text contrast (WCAG 1.4.11) wanted between the CTA button and what surrounds it.
BUTTON_CONTRAST = 3.0
LOGO_CONTRAST = 3.0
MAX_SCRIM = 0.86
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
    AdFormat.STORY: FormatStyle(96, 44, 4, 42, 30, 3, 38, 28, 92, 320, 34),
    AdFormat.LANDSCAPE: FormatStyle(58, 30, 3, 27, 20, 2, 26, 20, 56, 220, 18),
}


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
            head = layout_block(copy.headline, BOLD, size, width, 1.08)
            if len(head.lines) <= style.headline_lines:
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
                            balance=False,
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


def _region(pixels: npt.NDArray[np.uint8], box: Box) -> npt.NDArray[np.uint8]:
    h, w = pixels.shape[:2]
    return pixels[max(0, box.top) : min(h, box.bottom), max(0, box.left) : min(w, box.right)]


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


def _scrim_mask(size: tuple[int, int], zone: Zone, covered: Box, opacity: float) -> npt.NDArray[np.float32]:
    """Per-pixel overlay opacity: full over `covered`, easing to zero away from the text."""
    w, h = size
    if zone in (Zone.LEFT, Zone.RIGHT):
        length, lo, hi = w, covered.left, covered.right
    else:
        length, lo, hi = h, covered.top, covered.bottom
    fade = round(length * 0.28)
    pos = np.arange(length, dtype=np.float32)
    if zone in (Zone.BOTTOM, Zone.RIGHT):
        t = np.clip((pos - (lo - fade)) / max(1, fade), 0.0, 1.0)
    else:
        t = np.clip(((hi + fade) - pos) / max(1, fade), 0.0, 1.0)
    ramp = (t * t * (3 - 2 * t) * opacity).astype(np.float32)
    return ramp


def _apply_scrim(
    pixels: npt.NDArray[np.uint8], zone: Zone, covered: Box, opacity: float, tone: RGB
) -> npt.NDArray[np.uint8]:
    h, w = pixels.shape[:2]
    ramp = _scrim_mask((w, h), zone, covered, opacity)
    nz = np.nonzero(ramp > 0)[0]
    out = pixels.copy()
    if nz.size == 0:
        return out
    a, b = int(nz[0]), int(nz[-1]) + 1
    tone_arr = np.array(tone, dtype=np.float32)
    if zone in (Zone.LEFT, Zone.RIGHT):
        alpha = ramp[None, a:b, None]
        part = out[:, a:b].astype(np.float32)
        out[:, a:b] = np.clip(part + (tone_arr - part) * alpha + 0.5, 0, 255).astype(np.uint8)
    else:
        alpha = ramp[a:b, None, None]
        part = out[a:b].astype(np.float32)
        out[a:b] = np.clip(part + (tone_arr - part) * alpha + 0.5, 0, 255).astype(np.uint8)
    return out


def _required_opacity(region: npt.NDArray[np.uint8], text: RGB, tone: RGB) -> float:
    """Smallest overlay opacity (of `tone`) giving TARGET_CONTRAST for `text` over `region`.

    Searches on the pixels that limit contrast (the 5 % closest in luminance to the text), which
    is where the 1st percentile of the whole region lives; the final check is on all pixels.
    """
    pix = region.reshape(-1, 3)
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

    if ok(0.0):
        return 0.0
    if not ok(1.0):
        return 1.0
    lo, hi = 0.0, 1.0
    for _ in range(7):
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


def render_creative(job: RenderJob) -> Rendered:
    """Lay out and draw one creative (blocking)."""
    fmt = job.fmt
    size = FORMAT_SIZES[fmt]
    w, h = size
    style = STYLES[fmt]
    safe = safe_box(fmt)
    palette = job.palette
    warnings: list[str] = []

    if job.base is None:
        zone = zones(fmt)[0]
        canvas_img = brand_background(size, palette, job.logo, f"{job.key}-{fmt.value}", zone.value)
        pixels = np.asarray(canvas_img, dtype=np.uint8).copy()
    else:
        if job.base.shape[:2] != (h, w):
            raise ValueError(f"base image is {job.base.shape[1]}x{job.base.shape[0]}, expected {w}x{h}")
        pixels = job.base
        zone = choose_zone(pixels, fmt)

    # Column the text block lives in, and the logo's corner (chip room reserved around it).
    if is_columns(fmt):
        col = zone_box(fmt, zone)
    else:
        col = Box(left=safe.left, top=safe.top, right=safe.right, bottom=safe.bottom)
    logo_img = _logo_fit(job.logo, style.logo_w, style.logo_h) if job.logo is not None else None
    chip_pad = round(style.logo_h * 0.2)
    if logo_img is not None:
        lw, lh = logo_img.size
        logo_area = Box(
            left=col.left, top=safe.top, right=col.left + lw + 2 * chip_pad, bottom=safe.top + lh + 2 * chip_pad
        )
    wordmark = _wordmark_block(palette, style, col.width) if logo_img is None else None
    if wordmark is not None:
        block, pad = wordmark
        logo_area = Box(
            left=col.left,
            top=safe.top,
            right=col.left + block.width + 2 * pad,
            bottom=safe.top + block.ascent + block.descent + 2 * pad,
        )
    elif logo_img is None:
        warnings.append("no logo and no usable brand name; creative carries no brand mark")
        logo_area = Box(left=col.left, top=safe.top, right=col.left, bottom=safe.top)
    clear = max(style.gap, chip_pad * 2)
    text_top_limit = logo_area.bottom + clear
    text_width = col.width - 4  # ink can overhang the advance width by a pixel or two

    avail = safe.bottom - text_top_limit
    stack: _Stack | None = None
    budgets = [min(avail, round(safe.height * STACK_SHARE)), avail] if not is_columns(fmt) else [avail]
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
        warnings.append(f"{fmt.value}: headline shortened to fit ({words} words)")

    # Vertical placement.
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
    text_boxes = [_ink_box(scratch, head)] + ([_ink_box(scratch, body)] if body is not None else [])
    covered = _union([*text_boxes, button], 8, size)

    # Text colour and treatment, from the pixels actually behind the text.
    dark = palette.dark_text()
    treatment: Treatment = "none"
    opacity = 0.0
    text_color = WHITE
    tone = NEAR_BLACK
    panel_box: Box | None = None
    text_region = _union(text_boxes, 4, size)
    region = _region(pixels, text_region)
    sub = region[::2, ::2]
    c_white = measured_contrast(WHITE, sub)
    c_dark = measured_contrast(dark, sub)
    if max(c_white, c_dark) >= TARGET_CONTRAST:
        text_color = WHITE if c_white >= c_dark else dark
    else:
        need_white = _required_opacity(region, WHITE, NEAR_BLACK)
        need_dark = _required_opacity(region, dark, WHITE)
        if need_white <= need_dark + 0.1:
            text_color, tone, opacity = WHITE, NEAR_BLACK, need_white
        else:
            text_color, tone, opacity = dark, WHITE, need_dark
        opacity = min(1.0, opacity + 0.03)
        treatment = "scrim" if opacity <= MAX_SCRIM else "panel"

    final = pixels
    for _attempt in range(6):
        if treatment == "scrim":
            final = _apply_scrim(pixels, zone, covered, opacity, tone)
        elif treatment == "panel":
            pad = round(style.gap * 0.9)
            panel_box = Box(
                left=max(0, covered.left - pad),
                top=max(0, covered.top - pad),
                right=min(w, covered.right + pad),
                bottom=min(h, covered.bottom + pad),
            )
            panel_color = palette.primary
            text_color = WHITE if color_contrast(WHITE, panel_color) >= color_contrast(dark, panel_color) else dark
            panel_img = Image.fromarray(pixels)
            _fill_rounded(panel_img, panel_box, panel_color, round(style.gap * 0.6))
            final = np.asarray(panel_img, dtype=np.uint8).copy()
        measured = [measured_contrast(text_color, _region(final, b)) for b in text_boxes]
        if min(measured) >= MIN_CONTRAST:
            break
        if treatment == "none":
            treatment, opacity = "scrim", 0.45
            tone = NEAR_BLACK if text_color == WHITE else WHITE
        elif treatment == "scrim" and opacity + 0.12 <= MAX_SCRIM:
            opacity += 0.12
        else:
            treatment = "panel"
    else:  # pragma: no cover - the panel always reaches ≥ 4.58 with white or near-black text
        raise AssertionError("no legible treatment found")

    canvas = Image.fromarray(final.copy() if final is pixels else final)
    draw = ImageDraw.Draw(canvas)

    # CTA button: a brand colour that stands out from what surrounds it, label ≥ 4.5.
    surround = _region(np.asarray(canvas), _union([button], 14, size))
    surround_l = float(np.median(luminance_map(surround)))
    fill = next(
        (c for c in palette.button_candidates() if _lum_contrast(luminance(c), surround_l) >= BUTTON_CONTRAST),
        WHITE if _lum_contrast(1.0, surround_l) >= _lum_contrast(luminance(NEAR_BLACK), surround_l) else NEAR_BLACK,
    )
    label_color = _label_color(fill, dark)
    _fill_rounded(canvas, button, fill, round(stack.button_h * 0.22))
    cta_block = stack.cta
    label_x = button.left + (button.width - cta_block.width) // 2
    label_top = button.top + (button.height - (cta_block.ascent + cta_block.descent)) // 2
    cta_placed = _Placed(cta_block, label_x, label_top)
    cta_ink = _ink_box(draw, cta_placed)
    # Centre the ink (not the font's line box) vertically in the button.
    shift = ((button.top + button.bottom) - (cta_ink.top + cta_ink.bottom)) // 2
    cta_placed = _Placed(cta_block, label_x, label_top + shift)
    cta_ink = _ink_box(draw, cta_placed)

    # Logo (or a wordmark), on a chip when it would not stand out from the background.
    logo_box: Box | None = None
    extra_boxes: list[TextBox] = []
    arr = np.asarray(canvas)
    if logo_img is not None:
        lw, lh = logo_img.size
        lbox = Box(
            left=logo_area.left + chip_pad,
            top=logo_area.top + chip_pad,
            right=logo_area.left + chip_pad + lw,
            bottom=logo_area.top + chip_pad + lh,
        )
        tone_logo = _logo_tone(logo_img)
        behind_l = float(np.median(luminance_map(_region(arr, lbox))))
        if tone_logo is not None and _lum_contrast(luminance(tone_logo), behind_l) < LOGO_CONTRAST:
            chips = [WHITE, palette.background, NEAR_BLACK]
            chip = max(chips, key=lambda c: color_contrast(c, tone_logo))
            _fill_rounded(canvas, logo_area, chip, round(chip_pad * 1.2))
            logo_box = logo_area
        else:
            logo_box = lbox
        canvas.paste(logo_img, (lbox.left, lbox.top), logo_img if logo_img.mode == "RGBA" else None)
    elif wordmark is not None:
        extra_boxes.append(_draw_wordmark(canvas, draw, palette, wordmark[0], wordmark[1], logo_area))
        logo_box = logo_area

    before_text = np.asarray(canvas).copy()
    _draw_block(draw, head, text_color)
    if body is not None:
        _draw_block(draw, body, text_color)
    _draw_block(draw, cta_placed, label_color)

    records = [
        TextBox(
            role="headline",
            text=stack.headline.text,
            box=text_boxes[0],
            font_size=stack.headline.size,
            contrast=_measure(text_color, before_text, text_boxes[0]),
            color=to_hex(text_color),
        ),
    ]
    if body is not None and stack.body is not None:
        records.append(
            TextBox(
                role="body",
                text=stack.body.text,
                box=text_boxes[1],
                font_size=stack.body.size,
                contrast=_measure(text_color, before_text, text_boxes[1]),
                color=to_hex(text_color),
            )
        )
    records.append(
        TextBox(
            role="cta",
            text=cta_block.text,
            box=cta_ink,
            font_size=cta_block.size,
            contrast=_measure(label_color, before_text, cta_ink),
            color=to_hex(label_color),
        )
    )
    records.extend(extra_boxes)
    layout = CreativeLayout(
        text_boxes=records,
        logo_box=logo_box,
        cta_box=button,
        safe_zone=safe,
        crop_box=job.crop_box,
        image_id=job.image_id,
        scrim=treatment == "scrim",
        scrim_opacity=round(opacity, 3) if treatment == "scrim" else None,
        panel=treatment == "panel",
        panel_box=panel_box,
        text_zone=zone.value,
        image_source=job.image_source,
    )
    return Rendered(pixels=np.asarray(canvas, dtype=np.uint8), layout=layout, warnings=warnings)


def _measure(color: RGB, pixels: npt.NDArray[np.uint8], box: Box) -> float:
    return round(measured_contrast(color, _region(pixels, box)), 2)


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
    ink = _ink_box(draw, placed)
    contrast = _measure(color, np.asarray(canvas), ink)
    _draw_block(draw, placed, color)
    return TextBox(role="brand", text=block.text, box=ink, font_size=block.size, contrast=contrast, color=to_hex(color))
