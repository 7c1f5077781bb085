"""Brand palette resolution: the colours compose works with, with sensible fallbacks, and the
site's own button (fill, label colour, corner radius) when its CSS names one."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from brandtruth.imaging.color import NEAR_BLACK, RGB, WHITE, color_contrast, luminance, parse_hex_or_none
from brandtruth.models.brand import BrandProfile

DEFAULT_PRIMARY: RGB = (31, 41, 55)
DEFAULT_ACCENT: RGB = (37, 99, 235)
#: Contrast the CTA colour needs against the primary colour (panels, generated backgrounds)...
CTA_CONTRAST = 2.2
#: ...or, for colours of similar lightness, the CIELAB distance that makes them plainly different.
CTA_DISTANCE = 45.0
#: Corner radius of the CTA as a share of its height when the site states none.
DEFAULT_RADIUS = 0.22
#: A typical site button's height in CSS px (14 px padding around a 16 px line): converts the
#: site's border-radius into a share of the height, so the ad's larger button keeps its shape.
SITE_BUTTON_HEIGHT = 46.0


def color_distance(a: RGB, b: RGB) -> float:
    """CIE76 colour difference (Euclidean distance in CIELAB) of two sRGB colours."""
    lab = cv2.cvtColor(np.array([[a, b]], dtype=np.float32) / 255.0, cv2.COLOR_RGB2Lab)[0]
    return float(np.linalg.norm(lab[0] - lab[1]))


def _role(profile: BrandProfile, role: str) -> RGB | None:
    return parse_hex_or_none(profile.assets.color(role))


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
    #: The site's primary button, when its CSS names one: fill, label colour, corner radius as a
    #: share of the button's height (0.5: a pill).
    button_fill: RGB | None = None
    button_text: RGB | None = None
    button_radius: float = DEFAULT_RADIUS

    @classmethod
    def from_profile(cls, profile: BrandProfile) -> Palette:
        primary = _role(profile, "primary") or _role(profile, "accent") or DEFAULT_PRIMARY
        accent = _role(profile, "accent") or _role(profile, "secondary") or DEFAULT_ACCENT
        secondary = _role(profile, "secondary") or mix(primary, NEAR_BLACK, 0.45)
        background = _role(profile, "background") or WHITE
        text = _role(profile, "text") or NEAR_BLACK
        button = profile.assets.button
        fill = parse_hex_or_none(button.fill) if button is not None else None
        label = parse_hex_or_none(button.text) if button is not None and button.text else None
        radius = DEFAULT_RADIUS
        if button is not None and button.radius_px is not None:
            radius = min(0.5, button.radius_px / SITE_BUTTON_HEIGHT)
        return cls(
            name=profile.brand_name,
            primary=primary,
            secondary=secondary,
            accent=accent,
            background=background,
            text=text,
            button_fill=fill,
            button_text=label,
            button_radius=radius,
        )

    def dark_text(self) -> RGB:
        """The brand's text colour if it is dark enough to read on light backgrounds."""
        return self.text if luminance(self.text) < 0.05 else NEAR_BLACK

    def field(self) -> RGB:
        """The colour of panels and of the field framed pictures sit on: the primary colour, unless
        the CTA button is drawn in (nearly) that colour too, where the button would vanish; then
        the site's light background when the button stands out on it, else a deep shade."""
        fill = self.cta_fill()
        if color_contrast(fill, self.primary) >= CTA_CONTRAST or color_distance(fill, self.primary) >= CTA_DISTANCE:
            return self.primary
        if luminance(self.background) > 0.6 and color_contrast(fill, self.background) >= CTA_CONTRAST:
            return self.background
        return mix(self.primary, NEAR_BLACK, 0.6)

    def cta_fill(self) -> RGB:
        """The brand's CTA button colour, the same in every format and variant.

        The site's own primary button fill when its CSS names one (a designer copies the site's
        button); otherwise derived from the palette:

        Panels and the generated background are drawn in the primary colour, so the button takes
        the first brand colour (accent, then secondary) that stands out from the primary, by
        lightness (contrast ≥ 2.2, the compose stage's bar for buttons) or plainly by hue (CIELAB
        distance ≥ 45: rust on green); white or near-black otherwise. Ads
        of one campaign then share one recognisable action colour instead of one per picture.
        """
        if self.button_fill is not None:
            return self.button_fill
        for c in (self.accent, self.secondary):
            if color_contrast(c, self.primary) >= CTA_CONTRAST or color_distance(c, self.primary) >= CTA_DISTANCE:
                return c
        return WHITE if color_contrast(WHITE, self.primary) >= color_contrast(NEAR_BLACK, self.primary) else NEAR_BLACK
