"""The brand lock-up: how the brand appears on every creative.

* kind: the full logo when it carries the brand's name (an SVG wordmark whose `<text>` names the
  brand, or a wide horizontal logo); otherwise the mark with the brand name set beside it in the
  brand's headline face; with no usable logo, the name alone on a brand-colour chip.
* treatment, one per brand: a logo with a transparent background sits on a tile in the colour
  (white, the site background or near-black) that contrasts most with the logo's own ink, so it
  reads the same on every picture; an opaque logo brings its own background and gets none.
* size: the lock-up's content is `logo_h` high (at most `logo_w` wide for a full logo), padded
  by a fifth of that: the same rule in every creative of a format.
* corner: the top-left corner of the safe area (of the text column in landscape); where the
  picture's own lettering is there, the right corner, or just above the text block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from brandtruth.imaging.color import NEAR_BLACK, RGB, WHITE, color_contrast
from brandtruth.models.common import Box
from brandtruth.models.creative import TextBox
from brandtruth.stages.compose.brand import Palette
from brandtruth.stages.compose.drawing import Placed, draw_block, fill_rounded, ink_box, text_record
from brandtruth.stages.compose.fonts import clean_text
from brandtruth.stages.compose.legibility import TARGET_CONTRAST, label_color_on
from brandtruth.stages.compose.typeset import TextBlock, fit_block

#: A logo this much wider than tall is a horizontal logo, which carries the name beside its mark.
HORIZONTAL_ASPECT = 2.6


@dataclass(frozen=True)
class LockUp:
    kind: str  # "logo", "mark+name" or "name"
    treatment: str  # "tile" or "none"
    width: int
    height: int
    logo: Image.Image | None  # fitted RGBA
    logo_at: tuple[int, int]  # offset inside the lock-up
    name: TextBlock | None
    name_at: tuple[int, int]
    tile: RGB | None
    name_color: RGB
    radius: int

    def area(self, left: int, top: int) -> Box:
        return Box(left=left, top=top, right=left + self.width, bottom=top + self.height)


def logo_fit(logo: Image.Image, max_w: int, max_h: int) -> Image.Image:
    lw, lh = logo.size
    scale = min(max_w / lw, max_h / lh)
    size = (max(1, round(lw * scale)), max(1, round(lh * scale)))
    return logo.resize(size, Image.Resampling.LANCZOS)


def logo_tone(logo: Image.Image) -> RGB | None:
    """Median colour of the logo's opaque pixels (None if it has none)."""
    arr = np.asarray(logo.convert("RGBA"))
    opaque = arr[arr[..., 3] > 128][:, :3]
    if opaque.shape[0] == 0:
        return None
    med = np.median(opaque, axis=0)
    return (int(med[0]), int(med[1]), int(med[2]))


def _opaque(logo: Image.Image) -> bool:
    alpha = np.asarray(logo.getchannel("A"))
    return bool(alpha.min() >= 250)


def _significant_words(name: str) -> list[str]:
    return [w for w in re.findall(r"\w+", name.lower()) if len(w) >= 3] or re.findall(r"\w+", name.lower())


def is_full_logo(logo: Image.Image, logo_text: str, brand_name: str) -> bool:
    """Whether the logo itself shows the brand's name (so no name is set beside it)."""
    words = _significant_words(brand_name)
    if logo_text:
        said = logo_text.lower()
        return any(w in said for w in words)
    return logo.width / max(1, logo.height) >= HORIZONTAL_ASPECT


def tile_for(logo: Image.Image | None, palette: Palette) -> RGB | None:
    """The brand's one tile colour behind its logo (None: the logo brings its own background)."""
    if logo is None:
        return palette.primary
    if _opaque(logo):
        return None
    mark = logo_tone(logo) or NEAR_BLACK
    return max([WHITE, palette.background, NEAR_BLACK], key=lambda c: color_contrast(c, mark))


def _name_block(name: str, path: Path, size: int, max_width: int, max_height: int) -> TextBlock | None:
    return fit_block(
        name,
        path,
        max_size=size,
        min_size=16,
        max_width=max_width,
        max_height=max_height,
        max_lines=1,
        line_spacing=1.0,
        balance=False,
    )


def _ink_color(background: RGB, palette: Palette) -> RGB:
    """The brand's text colour on the tile when it reads well there, else white or near-black."""
    if color_contrast(palette.text, background) >= TARGET_CONTRAST:
        return palette.text
    return label_color_on(background, palette.dark_text())


def build_lockup(
    logo: Image.Image | None,
    logo_text: str,
    palette: Palette,
    name_face: Path,
    logo_h: int,
    logo_w: int,
    max_width: int,
) -> LockUp | None:
    """The lock-up's geometry (see the module docstring); None when there is neither logo nor name."""
    name, _dropped = clean_text(palette.name)
    tile = tile_for(logo, palette)
    pad = round(logo_h * 0.2)
    if logo is not None and is_full_logo(logo, logo_text, palette.name):
        fitted = logo_fit(logo, min(logo_w, max_width - 2 * pad), logo_h)
        pad = pad if tile is not None else 0
        w, h = fitted.width + 2 * pad, fitted.height + 2 * pad
        return LockUp(
            "logo",
            "tile" if tile else "none",
            w,
            h,
            fitted,
            (pad, pad),
            None,
            (0, 0),
            tile,
            NEAR_BLACK,
            round(pad * 1.2),
        )
    if logo is not None:
        mark = logo_fit(logo, logo_h * 2, logo_h)
        gap = round(logo_h * 0.28)
        room = max_width - mark.width - gap - 2 * pad
        block = _name_block(name, name_face, round(logo_h * 0.5), room, logo_h) if name and room > 40 else None
        if tile is None:
            tile = WHITE if color_contrast(WHITE, palette.primary) >= 3 else palette.background
        if block is None:  # no room for the name: the mark alone
            w, h = mark.width + 2 * pad, mark.height + 2 * pad
            return LockUp("logo", "tile", w, h, mark, (pad, pad), None, (0, 0), tile, NEAR_BLACK, round(pad * 1.2))
        inner_h = max(mark.height, block.ascent + block.descent)
        w = pad + mark.width + gap + block.width + pad
        h = inner_h + 2 * pad
        name_y = pad + (inner_h - (block.ascent + block.descent)) // 2
        return LockUp(
            "mark+name",
            "tile",
            w,
            h,
            mark,
            (pad, pad + (inner_h - mark.height) // 2),
            block,
            (pad + mark.width + gap, name_y),
            tile,
            _ink_color(tile, palette),
            round(pad * 1.2),
        )
    if not name:
        return None
    pad = round(logo_h * 0.18)
    block = _name_block(name, name_face, round(logo_h * 0.42), min(max_width, logo_w * 2) - 2 * pad, logo_h)
    if block is None:
        return None
    chip = palette.primary
    color = label_color_on(chip, palette.dark_text())
    w, h = block.width + 2 * pad, block.ascent + block.descent + 2 * pad
    return LockUp("name", "tile", w, h, None, (0, 0), block, (pad, pad), chip, color, round(pad * 0.9))


def draw_lockup(canvas: Image.Image, draw: ImageDraw.ImageDraw, lockup: LockUp, area: Box) -> list[TextBox]:
    """Tile, logo and name at `area`; returns the brand name's measured text box, if set."""
    if lockup.tile is not None:
        fill_rounded(canvas, area, lockup.tile, lockup.radius)
    if lockup.logo is not None:
        x, y = area.left + lockup.logo_at[0], area.top + lockup.logo_at[1]
        canvas.paste(lockup.logo, (x, y), lockup.logo)
    if lockup.name is None:
        return []
    placed = Placed(lockup.name, area.left + lockup.name_at[0], area.top + lockup.name_at[1])
    record = text_record("brand", placed, ink_box(draw, placed), lockup.name_color, canvas)
    draw_block(draw, placed, lockup.name_color)
    return [record]
