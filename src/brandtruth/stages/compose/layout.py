"""Planning a creative: type scale per format, fitting headline/body/CTA into a stack, and
where the logo, text block and button go (before any pixel is drawn)."""

from __future__ import annotations

from dataclasses import dataclass

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
from brandtruth.models.common import Box
from brandtruth.models.creative import AdFormat
from brandtruth.stages.compose.drawing import Placed, ink_box
from brandtruth.stages.compose.faces import DEFAULT_FACES, Faces
from brandtruth.stages.compose.geometry import hits, union
from brandtruth.stages.compose.job import CopyText, RenderJob
from brandtruth.stages.compose.lockup import LockUp, build_lockup
from brandtruth.stages.compose.typeset import TextBlock, fit_block, layout_block, widest_word

#: Contrast wanted between the CTA button and what surrounds it. Lower than WCAG's 3:1 for UI
#: components on purpose: a brand-orange button on brand-teal (2.8:1) is plainly visible, and a
#: stricter bar made the button colour flip between formats of the same ad.
BUTTON_CONTRAST = 2.2


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


#: Minimum sizes keep text readable in a phone feed, where a 1080 px creative shows ~360 pt wide
#: (a third): body ≥ 30 px (≈ 10 pt) in feed formats, ≥ 32 px in landscape (shown smaller still),
#: story body ≥ 38 px and CTA label ≥ 44 px (a full-screen story is read at arm's length).
STYLES: dict[AdFormat, FormatStyle] = {
    AdFormat.SQUARE: FormatStyle(84, 44, 3, 38, 30, 2, 36, 30, 80, 300, 28),
    AdFormat.PORTRAIT: FormatStyle(88, 46, 4, 40, 30, 3, 38, 30, 84, 300, 30),
    # A story is seen full-screen on a phone: the same width as a square, with a safe zone about
    # as tall as it is wide. Type is set large enough to fill it, the headline clearly dominant.
    AdFormat.STORY: FormatStyle(148, 64, 4, 54, 40, 3, 52, 44, 124, 420, 46),
    AdFormat.LANDSCAPE: FormatStyle(60, 36, 3, 34, 32, 2, 34, 30, 60, 240, 18),
}


#: Story scales tried, in order, when the large one leaves no room beside the text for the subject.
STORY_MEDIUM = FormatStyle(120, 56, 4, 48, 38, 3, 48, 44, 108, 370, 40)


STORY_COMPACT = FormatStyle(96, 44, 4, 42, 38, 3, 44, 44, 80, 300, 30)


#: An inset subject beside story type larger than the compact scale must keep this share of the width.
LARGE_TYPE_MIN_SUBJECT = 0.42


@dataclass
class Stack:
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


def fit_cta(
    label: str, style: FormatStyle, max_width: int, faces: Faces = DEFAULT_FACES
) -> tuple[TextBlock, int, int] | None:
    path = faces.for_text("cta", label).path
    for size in range(style.cta_max, style.cta_min - 1, -2):
        block = layout_block(label, path, size, 10_000, 1.0, balance=False)
        pad_x = round(size * 1.15)
        if block.width + 2 * pad_x <= max_width:
            return block, block.width + 2 * pad_x, round(size * 2.3)
    small = fit_block(
        label,
        path,
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


def fit_stack(
    copy: CopyText, style: FormatStyle, width: int, budget: int, faces: Faces = DEFAULT_FACES
) -> tuple[Stack | None, list[str]]:
    warnings: list[str] = []
    cta = fit_cta(copy.cta, style, width, faces)
    bold = faces.for_text("heading", copy.headline).path
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
            if widest_word(copy.headline, bold, size) > width:  # a smaller size beats a broken word
                size -= 4 if size > style.headline_min + 4 else 2
                continue
            head = layout_block(copy.headline, bold, size, width, 1.08, balance=False)
            # Balancing keeps the line count, so the height is known already: skip sizes whose
            # headline and button alone overflow, or leave no room for a body line (saves most of
            # the fitting work at large story sizes; the outcome is the same).
            fits = head.height + gap_cta + bh <= budget
            if with_body:
                fits = fits and budget - (head.height + gap_cta + bh) - gap_body >= style.body_min
            if len(head.lines) <= style.headline_lines and fits:
                head = layout_block(copy.headline, bold, size, width, 1.08)
                stack = Stack(head, None, cta_block, bw, bh, gap_body, gap_cta)
                if with_body:
                    body_size = min(style.body_max, max(style.body_min, round(size * 0.46)))
                    room = budget - stack.height - gap_body
                    for text in copy.bodies:
                        body = fit_block(
                            text,
                            faces.for_text("body", text).path,
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
        head = layout_block(copy.headline, bold, size, width, 1.08)
        stack = Stack(head, None, cta_block, bw, bh, gap_body, gap_cta)
        if stack.height <= budget:
            warnings.append(f"headline set below the usual size ({size}px) to fit")
            return stack, warnings
    return None, ["headline does not fit"]


def ellipsize(text: str, words: int) -> str:
    parts = text.split()
    return " ".join(parts[:words]).rstrip(",;:.-") + "…"


@dataclass
class Plan:
    zone: Zone
    stack: Stack
    head: Placed
    body: Placed | None
    button: Box
    lockup: LockUp | None
    logo_area: Box
    text_boxes: list[Box]
    warnings: list[str]
    style: FormatStyle


def logo_side(area: Box, col: Box, regions: list[Box]) -> Box:
    """The lock-up keeps the brand's corner (top left) unless the picture's own text is there and
    not in the right corner: it never covers baked-in text. (Its tile makes a busy corner fine.)"""
    right = Box(left=col.right - area.width, top=area.top, right=col.right, bottom=area.bottom)
    if area.width <= 0 or right.left <= area.right:
        return area
    left_hit, right_hit = hits(area, regions), hits(right, regions)
    return right if left_hit and not right_hit else area


def beside_picture(col: Box, picture: Box, safe: Box) -> Box:
    """The text column of a split layout, kept off the framed picture by the canvas margin: the
    format's column share reaches a few px into a 45 % picture, which put the lock-up and the
    first letters of each line on the picture's edge."""
    gutter = safe.left
    if picture.left <= col.left < picture.right + gutter:  # picture on the left
        return Box(left=picture.right + gutter, top=col.top, right=col.right, bottom=col.bottom)
    if picture.left - gutter < col.right <= picture.right:  # picture on the right
        return Box(left=col.left, top=col.top, right=picture.left - gutter, bottom=col.bottom)
    return col


def styles_for(fmt: AdFormat) -> list[FormatStyle]:
    """Type scales to try for a format, largest first."""
    return [STYLES[fmt], STORY_MEDIUM, STORY_COMPACT] if fmt is AdFormat.STORY else [STYLES[fmt]]


def plan_layout(
    job: RenderJob, zone: Zone, base: Image.Image, regions: list[Box] | None = None, style: FormatStyle | None = None
) -> Plan:
    """Where everything goes: logo corner, text column, stacked headline/body/CTA."""
    fmt = job.fmt
    style = style or STYLES[fmt]
    safe = safe_box(fmt)
    warnings: list[str] = []
    col = zone_box(fmt, zone) if is_columns(fmt) else safe
    if is_columns(fmt) and job.framed_box is not None:
        col = beside_picture(col, job.framed_box, safe)
    name_face = job.faces.for_text("heading", job.palette.name).path
    lockup = build_lockup(job.logo, job.logo_text, job.palette, name_face, style.logo_h, style.logo_w, col.width)
    if lockup is not None:
        logo_area = lockup.area(col.left, safe.top)
    else:
        warnings.append("no logo and no usable brand name; creative carries no brand mark")
        logo_area = Box(left=col.left, top=safe.top, right=col.left, bottom=safe.top)
    if job.base is not None and not is_columns(fmt):
        logo_area = logo_side(logo_area, col, regions or [])
    clear = max(style.gap, round(style.logo_h * 0.4))
    text_top_limit = logo_area.bottom + clear
    text_width = col.width - 4  # ink can overhang the advance width by a pixel or two
    avail = safe.bottom - text_top_limit

    stack: Stack | None = None
    share = STORY_STACK_SHARE if style is STYLES[AdFormat.STORY] else STACK_SHARE
    budgets = [avail] if is_columns(fmt) else [min(avail, round(safe.height * share)), avail]
    for budget in budgets:
        stack, fit_warnings = fit_stack(job.copy, style, text_width, budget, job.faces)
        if stack is not None:
            warnings.extend(fit_warnings)
            break
    if stack is None:
        # Pathologically long headline: shorten at a word boundary, and say so.
        words = len(job.copy.headline.split())
        while stack is None and words > 1:
            words -= 1
            short = CopyText(ellipsize(job.copy.headline, words), (), job.copy.cta)
            stack, _ = fit_stack(short, style, text_width, avail, job.faces)
        if stack is None:
            raise ValueError("creative text cannot be laid out in the safe zone")
        warnings.append(f"headline shortened to {words} words to fit")

    if is_columns(fmt):
        top = text_top_limit + max(0, (safe.bottom - text_top_limit - stack.height) // 2)
    elif zone is Zone.TOP:
        top = text_top_limit
    else:
        top = safe.bottom - stack.height
        if hits(logo_area, regions or []) and logo_area.width > 0:
            # The picture's own lettering fills the top corners: the lock-up heads the text block.
            above = top - clear - logo_area.height
            moved = Box(left=col.left, top=above, right=col.left + logo_area.width, bottom=above + logo_area.height)
            if above >= safe.top and not hits(moved, regions or []):
                logo_area = moved
    x = col.left + 1
    head = Placed(stack.headline, x, top)
    y = top + stack.headline.height
    body: Placed | None = None
    if stack.body is not None:
        y += stack.gap_body
        body = Placed(stack.body, x, y)
        y += stack.body.height
    y += stack.gap_cta
    button = Box(left=col.left, top=y, right=col.left + stack.button_w, bottom=y + stack.button_h)
    scratch = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    text_boxes = [ink_box(scratch, head)]
    if body is not None:
        text_boxes.append(ink_box(scratch, body))
    return Plan(zone, stack, head, body, button, lockup, logo_area, text_boxes, warnings, style)


def plan_area(plan: Plan, size: tuple[int, int]) -> Box:
    return union([*plan.text_boxes, plan.button], 8, size)
