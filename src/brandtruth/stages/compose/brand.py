"""The brand on the canvas: palette resolution with sensible fallbacks, the logo fitted and
toned, and the brand name set as a wordmark when there is no logo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image, ImageDraw

from brandtruth.imaging.color import NEAR_BLACK, RGB, WHITE, color_contrast, luminance, parse_hex
from brandtruth.models.brand import BrandProfile
from brandtruth.models.common import Box
from brandtruth.models.creative import TextBox
from brandtruth.stages.compose.drawing import Placed, draw_block, fill_rounded, ink_box, text_record
from brandtruth.stages.compose.fonts import BOLD, clean_text
from brandtruth.stages.compose.legibility import label_color_on
from brandtruth.stages.compose.typeset import TextBlock, fit_block

if TYPE_CHECKING:
    from brandtruth.stages.compose.layout import FormatStyle

DEFAULT_PRIMARY: RGB = (31, 41, 55)
DEFAULT_ACCENT: RGB = (37, 99, 235)
#: Contrast the CTA colour needs against the primary colour (panels, generated backgrounds)...
CTA_CONTRAST = 2.2
#: ...or, for colours of similar lightness, the CIELAB distance that makes them plainly different.
CTA_DISTANCE = 45.0


def color_distance(a: RGB, b: RGB) -> float:
    """CIE76 colour difference (Euclidean distance in CIELAB) of two sRGB colours."""
    lab = cv2.cvtColor(np.array([[a, b]], dtype=np.float32) / 255.0, cv2.COLOR_RGB2Lab)[0]
    return float(np.linalg.norm(lab[0] - lab[1]))


def _role(profile: BrandProfile, role: str) -> RGB | None:
    value = profile.assets.color(role)
    if not value:
        return None
    try:
        return parse_hex(value)
    except ValueError:
        return None


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Linear blend in sRGB: t=0 gives a, t=1 gives b."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


@dataclass(frozen=True)
class Palette:
    """Resolved brand colours. `secondary`/`accent` fall back to shades of `primary`."""

    name: str
    primary: RGB
    secondary: RGB
    accent: RGB
    background: RGB
    text: RGB

    @classmethod
    def from_profile(cls, profile: BrandProfile) -> Palette:
        primary = _role(profile, "primary") or _role(profile, "accent") or DEFAULT_PRIMARY
        accent = _role(profile, "accent") or _role(profile, "secondary") or DEFAULT_ACCENT
        secondary = _role(profile, "secondary") or mix(primary, NEAR_BLACK, 0.45)
        background = _role(profile, "background") or WHITE
        text = _role(profile, "text") or NEAR_BLACK
        return cls(
            name=profile.brand_name,
            primary=primary,
            secondary=secondary,
            accent=accent,
            background=background,
            text=text,
        )

    def dark_text(self) -> RGB:
        """The brand's text colour if it is dark enough to read on light backgrounds."""
        return self.text if luminance(self.text) < 0.05 else NEAR_BLACK

    def cta_fill(self) -> RGB:
        """The brand's CTA button colour, the same in every format and variant.

        Panels and the generated background are drawn in the primary colour, so the button takes
        the first brand colour (accent, then secondary) that stands out from the primary, by
        lightness (contrast ≥ 2.2, the compose stage's bar for buttons) or plainly by hue (CIELAB
        distance ≥ 45: rust on green); white or near-black otherwise. Ads
        of one campaign then share one recognisable action colour instead of one per picture.
        """
        for c in (self.accent, self.secondary):
            if color_contrast(c, self.primary) >= CTA_CONTRAST or color_distance(c, self.primary) >= CTA_DISTANCE:
                return c
        return WHITE if color_contrast(WHITE, self.primary) >= color_contrast(NEAR_BLACK, self.primary) else NEAR_BLACK


LOGO_CONTRAST = 3.0


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


def wordmark_block(palette: Palette, style: FormatStyle, max_width: int) -> tuple[TextBlock, int] | None:
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


def draw_wordmark(
    canvas: Image.Image, draw: ImageDraw.ImageDraw, palette: Palette, block: TextBlock, pad: int, chip: Box
) -> TextBox:
    """The brand name on a brand-coloured chip; returns its measured text box."""
    chip_color = palette.primary
    color = label_color_on(chip_color, palette.dark_text())
    fill_rounded(canvas, chip, chip_color, round(pad * 0.9))
    placed = Placed(block, chip.left + pad, chip.top + pad)
    record = text_record("brand", placed, ink_box(draw, placed), color, canvas)
    draw_block(draw, placed, color)
    return record
