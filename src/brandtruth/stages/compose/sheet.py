"""The run's contact sheet: every variant (rows) in every format (columns) on one PNG.

For a reviewer, this is the at-a-glance view: are the variants distinct, is every size finished,
does anything look off. Thumbnails share one height so the formats' proportions stay visible.

Each creative is decoded once and shrunk by an integer box reduction before the final Lanczos
step (`reducing_gap`): a thumbnail a third of the creative's height costs a third of a full-size
Lanczos resample and differs from it by well under one grey level on average.
"""

from __future__ import annotations

import re

import numpy as np
from PIL import Image, ImageDraw

from brandtruth.errors import UnsupportedContentError
from brandtruth.imaging.decode import decode_image
from brandtruth.imaging.png import decode_own_png, encode_png
from brandtruth.models.creative import FORMAT_SIZES, AdFormat, Creative
from brandtruth.stages.compose.fonts import BOLD, REGULAR, clean_text, font

THUMB_H = 360
GUTTER = 28
LABEL_W = 120
HEADER_H = 110
BG = (243, 244, 246)
INK = (17, 24, 39)
MUTED = (75, 85, 99)


def _variant_order(variant_id: str) -> tuple[int, str]:
    m = re.fullmatch(r"v(\d+)", variant_id)
    return (int(m.group(1)) if m else 1_000_000, variant_id)


def thumb_width(fmt: AdFormat) -> int:
    w, h = FORMAT_SIZES[fmt]
    return round(THUMB_H * w / h)


#: Box-reduce by an integer factor down to at most this multiple of the thumbnail size, then Lanczos.
REDUCING_GAP = 1.0


def _thumbnail(data: bytes, size: tuple[int, int]) -> Image.Image | None:
    own = decode_own_png(data)  # the creatives compose wrote: a faster reader for that layout
    if own is not None:
        img = Image.fromarray(own, "RGB" if own.shape[2] == 3 else "RGBA")
    else:
        try:
            img = decode_image(data)
        except UnsupportedContentError:
            return None
    rgb = img if img.mode == "RGB" else img.convert("RGB")
    return rgb.resize(size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)


def render_contact_sheet(title: str, creatives: list[Creative], images: dict[str, bytes | None]) -> bytes:
    """Lay out thumbnails (bytes keyed by artifact path; None = unreadable) and encode the PNG."""
    variants = sorted({c.variant_id for c in creatives}, key=_variant_order)
    formats = [f for f in AdFormat if any(c.format == f for c in creatives)]
    by_key = {(c.variant_id, c.format): c for c in creatives}
    col_x: dict[AdFormat, int] = {}
    x = LABEL_W + GUTTER
    for fmt in formats:
        col_x[fmt] = x
        x += thumb_width(fmt) + GUTTER
    width = max(x, 640)
    height = HEADER_H + max(1, len(variants)) * (THUMB_H + GUTTER) + GUTTER
    sheet = Image.new("RGB", (width, height), BG)
    draw = ImageDraw.Draw(sheet)
    safe_title, _ = clean_text(title)
    draw.text((GUTTER, 24), safe_title[:90] or "Creatives", font=font(BOLD, 34), fill=INK)
    for fmt in formats:
        w, h = FORMAT_SIZES[fmt]
        draw.text((col_x[fmt], 72), f"{fmt.value}  {w}×{h}", font=font(REGULAR, 22), fill=MUTED)
    for row, vid in enumerate(variants):
        y = HEADER_H + row * (THUMB_H + GUTTER)
        draw.text((GUTTER, y + THUMB_H // 2), vid, font=font(BOLD, 30), fill=INK, anchor="lm")
        for fmt in formats:
            tw = thumb_width(fmt)
            cell = (col_x[fmt], y, col_x[fmt] + tw, y + THUMB_H)
            creative = by_key.get((vid, fmt))
            data = images.get(creative.artifact.path) if creative is not None else None
            thumb = _thumbnail(data, (tw, THUMB_H)) if data is not None else None
            if thumb is None:
                draw.rectangle(cell, outline=MUTED, width=2)
                label = "missing" if creative is None else "unreadable"
                draw.text(
                    ((cell[0] + cell[2]) // 2, y + THUMB_H // 2), label, font=font(REGULAR, 22), fill=MUTED, anchor="mm"
                )
                continue
            sheet.paste(thumb, (cell[0], cell[1]))
            draw.rectangle((cell[0] - 1, cell[1] - 1, cell[2], cell[3]), outline=(209, 213, 219), width=1)
    return encode_png(np.asarray(sheet, dtype=np.uint8))
