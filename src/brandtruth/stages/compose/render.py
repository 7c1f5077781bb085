"""Compose one creative in three named steps: plan → backdrop → draw.

* plan: where the logo, text block and CTA go for the format (`layout.plan_layout`), moved to
  the other text zone when the picture's own text is where ours would go;
* backdrop: the picture (or the generated brand background), inset beside the text when the
  text would cover its subject, then the lightest legibility treatment that works
  (`legibility.settle_treatment`);
* draw: CTA button, logo or wordmark, text, and the layout record.

Synchronous and CPU-bound (run it in a worker thread). Given the same inputs it produces the
same pixels: no randomness, fixed fonts, fixed iteration orders.

Text baked into the picture (a social card's headline, a van's lettering) is never drawn over:
the layout moves to the other text zone when that one is free of it, and otherwise sets our
text on a solid panel that covers the baked text it would touch. The CTA button has one fill
per brand (`Palette.cta_fill`), whatever the format; where the picture around it is too close
in tone, it gets a thin contrasting outline instead of a different colour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from brandtruth.formats import Zone, is_columns, safe_box, zones
from brandtruth.imaging.color import NEAR_BLACK, RGB, WHITE, color_contrast, luminance, luminance_map, to_hex
from brandtruth.models.common import Box
from brandtruth.models.creative import FORMAT_SIZES, AdFormat, CreativeLayout, TextBox
from brandtruth.stages.compose.background import brand_background
from brandtruth.stages.compose.brand import Palette
from brandtruth.stages.compose.drawing import (
    Placed,
    draw_block,
    fill_rounded,
    ink_box,
    text_record,
)
from brandtruth.stages.compose.geometry import (
    clip_box,
    cuts_subject,
    cuts_text,
    free_area,
    grow_panel,
    hits,
    inside,
    pixels_in,
    regions_on_canvas,
    union,
)
from brandtruth.stages.compose.job import CopyText, Rendered, RenderJob
from brandtruth.stages.compose.layout import (
    BUTTON_CONTRAST,
    LARGE_TYPE_MIN_SUBJECT,
    Plan,
    choose_zone,
    plan_area,
    plan_layout,
    styles_for,
)
from brandtruth.stages.compose.legibility import (
    TARGET_CONTRAST,
    Treatment,
    choose_treatment,
    fine_detail,
    label_color_on,
    lum_contrast,
    scrim_shape,
    settle_treatment,
)
from brandtruth.stages.compose.lockup import draw_lockup
from brandtruth.stages.compose.placement import MIN_SUBJECT, find_subject, inset_subject

__all__ = ["CopyText", "RenderJob", "Rendered", "choose_zone", "render_creative"]


@dataclass
class _Scene:
    """The settled plan on its backdrop: what the draw step works from."""

    zone: Zone
    base: Image.Image
    plan: Plan
    regions: list[Box]  # baked-in text, canvas pixels
    covered: Box  # text block and button, padded
    image_box: Box | None
    inset_scale: float | None = None  # canvas px per source px of an inset picture


def render_creative(job: RenderJob) -> Rendered:
    """Lay out and draw one creative (blocking)."""
    return _draw(job, _scene_for(job))


def render_unless_enlarged(job: RenderJob, max_scale: float) -> Rendered | None:
    """`render_creative`, or None before drawing anything when the picture would end up enlarged
    more than `max_scale` (the caller frames it instead, so that drawing would be thrown away)."""
    scene = _scene_for(job)
    scale = _picture_scale(job, scene)
    if scale is not None and scale > max_scale + 1e-6:
        return None
    return _draw(job, scene)


def _scene_for(job: RenderJob) -> _Scene:
    scene = _plan_scene(job)
    if job.base is not None and job.framed_box is None:
        scene = _inset_for_subject(job, scene)
    return scene


def _plan_scene(job: RenderJob) -> _Scene:
    """Backdrop and first plan, in the zone clear of the picture's own text when one is."""
    fmt = job.fmt
    size = FORMAT_SIZES[fmt]
    w, h = size
    if job.base is None:
        zone = job.zone or zones(fmt)[0]
        base = brand_background(size, job.palette, f"{job.key}-{fmt.value}", zone.value)
    else:
        if job.base.shape[:2] != (h, w):
            raise ValueError(f"base image is {job.base.shape[1]}x{job.base.shape[0]}, expected {w}x{h}")
        zone = job.zone or choose_zone(job.base, fmt)
        base = Image.fromarray(job.base, "RGB")
    if job.framed_box is not None and job.framed_whole is not None:
        # Only what shows inside the picture's frame counts.
        frame = job.framed_box
        regions = [
            clipped
            for r in regions_on_canvas(job.text_regions, None, size, job.framed_whole)
            if (clipped := clip_box(r, frame)) is not None
        ]
    elif job.base is not None:
        regions = regions_on_canvas(job.text_regions, job.source_crop, size)
    else:
        regions = []
    plan = plan_layout(job, zone, base, regions)
    if regions and hits(plan_area(plan, size), regions):
        # Baked-in text where ours would go: use the other zone if that one is clear of it.
        for other in zones(fmt):
            if other is not zone:
                alt = plan_layout(job, other, base, regions)
                if not hits(plan_area(alt, size), regions):
                    zone, plan = other, alt
                    break
    covered = union([*plan.text_boxes, plan.button], 8, size)
    return _Scene(zone, base, plan, regions, covered, None)


def _inset_for_subject(job: RenderJob, scene: _Scene) -> _Scene:
    """If the text would cover the subject, inset the picture beside it.

    If the subject will not fit beside the text in this zone, the other zone is tried before
    settling for a scrim; a story's large type may leave too little room beside it for the
    subject, so the smaller type scales are tried before settling for text over the subject.
    """
    assert job.base is not None
    fmt = job.fmt
    size = FORMAT_SIZES[fmt]
    zone, plan = scene.zone, scene.plan
    picture_subject = job.source_subject
    # The crop's own subject is only needed when the picture may be moved (found lazily).
    base_subject = None if job.source is not None and picture_subject is not None else find_subject(job.base)
    # A crop through the picture's own lettering ("HOUSE BL" at the canvas edge) or through a
    # product on a studio background reads as a mistake: zoom out to show the picture whole
    # beside our text when it can be moved.
    cut_text = cuts_text(job.text_regions, job.source_crop) or cuts_subject(picture_subject, job.source_crop)
    # Only a subject on a plain background is ever moved (see `inset_subject`): for any other
    # picture the layouts below cannot change the outcome, so skip laying them out.
    known = picture_subject if job.source is not None else base_subject
    if known is not None and not known.plain:
        return scene
    for cand_style in styles_for(fmt):
        for candidate_zone in [zone, *[z for z in zones(fmt) if z is not zone]]:
            same = candidate_zone is zone and cand_style is plan.style
            cand_plan = plan if same else plan_layout(job, candidate_zone, scene.base, scene.regions, cand_style)
            cand_covered = union([*cand_plan.text_boxes, cand_plan.button], 8, size)
            free = free_area(fmt, candidate_zone, cand_covered, cand_style.gap, cand_plan.logo_area)
            # Large type only where the picture beside it still gets a good size.
            least = MIN_SUBJECT if cand_style is styles_for(fmt)[-1] else LARGE_TYPE_MIN_SUBJECT
            if base_subject is None:
                base_subject = find_subject(job.base)
            result = inset_subject(
                job.base, cand_covered, free, job.source, base_subject, picture_subject, least, cut_text
            )
            if result.inset is not None:
                base = Image.fromarray(result.inset.pixels, "RGB")
                image_box = result.inset.image_box
                placed = result.inset.placed or image_box
                regions = regions_on_canvas(job.text_regions, None, size, placed)
                # The logo corner may change on the new backdrop.
                new_plan = plan_layout(job, candidate_zone, base, regions, cand_style)
                covered = union([*new_plan.text_boxes, new_plan.button], 8, size)
                scale = placed.width / job.source_size[0] if job.source_size else None
                return _Scene(candidate_zone, base, new_plan, regions, covered, image_box, scale)
            if not result.needed:
                return scene
    return scene


def _draw(job: RenderJob, scene: _Scene) -> Rendered:
    """Legibility treatment, button, logo, text and the layout record."""
    fmt = job.fmt
    size = FORMAT_SIZES[fmt]
    palette = job.palette
    dark = palette.dark_text()
    plan, zone, base, regions, covered = scene.plan, scene.zone, scene.base, scene.regions, scene.covered
    text_boxes = plan.text_boxes
    warnings = list(plan.warnings)
    style = plan.style
    under_text = pixels_in(base, union(text_boxes, 4, size))
    busyness = fine_detail(under_text)
    treat = choose_treatment(under_text, dark, busyness)
    # Our text must not touch baked-in text: cover what it would touch with a solid panel.
    pad = round(style.gap * 0.9)
    panel_area = grow_panel(covered, pad, regions, size, plan.logo_area)
    if hits(covered, regions):
        treat = Treatment("panel", WHITE)
        warnings.append("picture has its own text where ours goes; set ours on a panel covering it")
    radius = round(style.gap * 0.6)
    if job.framed_box is not None:
        # On a framed picture a panel is the brand field itself, grown over the picture's edge.
        panel_area, radius = _field_panel(panel_area, job.framed_box, size, fmt), 0
    scrim = scrim_shape(covered, size, style.gap, job.framed_box)
    settled = settle_treatment(base, treat, scrim, panel_area, palette.field(), dark, text_boxes, radius)
    canvas, treat, panel_box, measured = settled.canvas, settled.treatment, settled.panel_box, settled.contrast
    if canvas is base and job.base is not None:
        canvas = base.copy()
    draw = ImageDraw.Draw(canvas)

    fill, label_color, cta_placed, cta_ink, radius = _draw_button(canvas, draw, plan, palette, dark)
    # Baked-in text still showing (not under the panel): recorded, and kept clear of the logo.
    visible = [r for r in regions if panel_box is None or not inside(r, panel_box)]
    logo_box, extra_boxes = _draw_logo(canvas, draw, plan)

    # Headline/body contrast was measured on this background above; nothing drawn since overlaps
    # their boxes (CTA and logo have their own areas), so those numbers stand.
    records = [text_record("headline", plan.head, text_boxes[0], treat.text_color, canvas, measured[0])]
    if plan.body is not None:
        records.append(text_record("body", plan.body, text_boxes[1], treat.text_color, canvas, measured[1]))
    records.append(text_record("cta", cta_placed, cta_ink, label_color, canvas))
    records.extend(extra_boxes)
    draw_block(draw, plan.head, treat.text_color)
    if plan.body is not None:
        draw_block(draw, plan.body, treat.text_color)
    draw_block(draw, cta_placed, label_color)

    layout = CreativeLayout(
        text_boxes=records,
        logo_box=logo_box,
        cta_box=plan.button,
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
        image_box=scene.image_box or job.framed_box,
        cta_color=to_hex(fill),
        avoided_text=visible,
        cta_text_color=to_hex(label_color),
        cta_radius=radius,
        logo_kind=plan.lockup.kind if plan.lockup is not None else None,
        logo_treatment=plan.lockup.treatment if plan.lockup is not None else None,
        layout_template=_template(fmt, zone, scene, job),
        picture_scale=_picture_scale(job, scene),
        text_treatment=_treatment_name(treat, scene, job, text_boxes),
        scrim_box=settled.scrim_box,
        text_busyness=round(busyness, 2) if job.base is not None else None,
    )
    return Rendered(pixels=np.asarray(canvas, dtype=np.uint8), layout=layout, warnings=warnings)


def _field_panel(area: Box, picture: Box, size: tuple[int, int], fmt: AdFormat) -> Box:
    """The panel as a full-width (full-height in columns) band joining the brand field."""
    w, h = size
    if is_columns(fmt):
        if picture.left > 0:  # picture on the right: the field is on the left
            return Box(left=0, top=0, right=max(area.right, picture.left), bottom=h)
        return Box(left=min(area.left, picture.right), top=0, right=w, bottom=h)
    if picture.top > 0:  # picture below: the field is above
        return Box(left=0, top=0, right=w, bottom=max(area.bottom, picture.top))
    return Box(left=0, top=min(area.top, picture.bottom), right=w, bottom=h)


def _treatment_name(treat: Treatment, scene: _Scene, job: RenderJob, text_boxes: list[Box]) -> str:
    """direct / scrim / panel, or split when the text sits untreated on the field beside a
    framed or inset picture."""
    if treat.kind != "none":
        return treat.kind
    picture = scene.image_box or job.framed_box
    if picture is not None and not any(hits(b, [picture], 0) for b in text_boxes):
        return "split"
    return "direct"


def _template(fmt: AdFormat, zone: Zone, scene: _Scene, job: RenderJob) -> str:
    name = f"column-{zone.value}" if is_columns(fmt) else f"stack-{zone.value}"
    if job.framed_box is not None:
        return f"{name}-framed"
    if scene.image_box is not None:
        return f"{name}-inset"
    return name if job.base is not None else f"{name}-brand-field"


def _picture_scale(job: RenderJob, scene: _Scene) -> float | None:
    """Canvas px per source px: the crop's stretch, or the inset's when the picture moved."""
    if job.base is None:
        return None
    if scene.inset_scale is not None:
        return round(scene.inset_scale, 3)
    return round(job.picture_scale, 3) if job.picture_scale is not None else None


def _draw_button(
    canvas: Image.Image, draw: ImageDraw.ImageDraw, plan: Plan, palette: Palette, dark: RGB
) -> tuple[RGB, RGB, Placed, Box, int]:
    """The brand's one button style in every format (the site's own fill, label colour and corner
    radius when its CSS names them), label ≥ 4.5; outlined where the picture around it is too
    close in tone for the fill alone to stand out. Returns fill, label colour, the placed label,
    its ink box and the corner radius."""
    size = canvas.size
    button = plan.button
    fill = palette.cta_fill()
    surround_l = float(np.median(luminance_map(pixels_in(canvas, union([button], 14, size)))))
    site_label = palette.button_text
    if site_label is not None and color_contrast(site_label, fill) >= TARGET_CONTRAST:
        label_color = site_label
    else:
        label_color = label_color_on(fill, dark)
    radius = round(plan.stack.button_h * palette.button_radius)
    if lum_contrast(luminance(fill), surround_l) < BUTTON_CONTRAST:
        ring = WHITE if lum_contrast(1.0, surround_l) >= lum_contrast(luminance(NEAR_BLACK), surround_l) else NEAR_BLACK
        t = max(2, round(plan.stack.button_h * 0.05))
        outer = Box(left=button.left - t, top=button.top - t, right=button.right + t, bottom=button.bottom + t)
        fill_rounded(canvas, outer, ring, radius + t)
    fill_rounded(canvas, button, fill, radius)
    cta_block = plan.stack.cta
    label_x = button.left + (button.width - cta_block.width) // 2
    label_top = button.top + (button.height - (cta_block.ascent + cta_block.descent)) // 2
    cta_ink = ink_box(draw, Placed(cta_block, label_x, label_top))
    # Centre the ink (not the font's line box) vertically in the button.
    shift = ((button.top + button.bottom) - (cta_ink.top + cta_ink.bottom)) // 2
    cta_placed = Placed(cta_block, label_x, label_top + shift)
    return fill, label_color, cta_placed, ink_box(draw, cta_placed), radius


def _draw_logo(canvas: Image.Image, draw: ImageDraw.ImageDraw, plan: Plan) -> tuple[Box | None, list[TextBox]]:
    """The brand lock-up in its corner (see `lockup`)."""
    if plan.lockup is None:
        return None, []
    return plan.logo_area, draw_lockup(canvas, draw, plan.lockup, plan.logo_area)
