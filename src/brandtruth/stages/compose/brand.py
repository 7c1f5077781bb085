"""Brand palette resolution: the colours compose works with, with sensible fallbacks."""

from __future__ import annotations

from dataclasses import dataclass

from brandtruth.imaging.color import NEAR_BLACK, RGB, WHITE, color_contrast, luminance, parse_hex
from brandtruth.models.brand import BrandProfile

DEFAULT_PRIMARY: RGB = (31, 41, 55)
DEFAULT_ACCENT: RGB = (37, 99, 235)


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

    def button_candidates(self) -> list[RGB]:
        """CTA fills in order of preference: brand colours first, then white / near-black."""
        out: list[RGB] = []
        for c in (self.primary, self.accent, self.secondary, WHITE, NEAR_BLACK):
            if all(color_contrast(c, o) > 1.05 for o in out):
                out.append(c)
        return out
