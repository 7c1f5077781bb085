"""The generated brand background: so a site without usable photos still gets finished ads.

A diagonal gradient between the primary colour and a deeper shade, a few soft rings in the
accent colour, and the logo as a large, faint watermark away from where text goes. The variant
id picks the gradient direction and ring corner, so different variants do not look identical.
"""

from __future__ import annotations

import hashlib

import numpy as np
from PIL import Image, ImageDraw

from brandtruth.imaging.color import NEAR_BLACK, RGB, WHITE, luminance
from brandtruth.stages.compose.brand import Palette, mix


def _seed(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big")


def brand_background(
    size: tuple[int, int], palette: Palette, logo: Image.Image | None, key: str, text_side: str
) -> Image.Image:
    """Render the background at exactly `size` (RGB). `text_side` is the zone text will use."""
    w, h = size
    seed = _seed(key)
    c0 = palette.primary
    deep = (
        mix(palette.primary, NEAR_BLACK, 0.55)
        if luminance(palette.primary) > 0.08
        else mix(palette.primary, palette.secondary, 0.6)
    )
    angle = [0.35, 0.9, 1.25, 2.2][seed % 4]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    proj = xs * np.cos(angle) + ys * np.sin(angle)
    t = (proj - proj.min()) / max(1.0, float(proj.max() - proj.min()))
    t = t * t * (3 - 2 * t)  # smoothstep: softer ends
    a = np.array(c0, dtype=np.float32)
    b = np.array(deep, dtype=np.float32)
    rgb = a[None, None, :] * (1 - t[..., None]) + b[None, None, :] * t[..., None]
    img = Image.fromarray(np.clip(rgb + 0.5, 0, 255).astype(np.uint8), "RGB")

    # Rings in the accent colour, centred on a corner away from the text.
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    ring_color = palette.accent if abs(luminance(palette.accent) - luminance(c0)) > 0.08 else WHITE
    if text_side in ("bottom", "left"):
        cx, cy = (w, 0) if seed & 16 else (w, round(h * 0.35))
    else:
        cx, cy = (w, h) if seed & 16 else (0, h)
    if text_side == "right":
        cx = 0
    step = round(min(w, h) * 0.09)
    for i in range(1, 9):
        r = step * i
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(*ring_color, 34), width=max(2, step // 9))
    img.paste(overlay, (0, 0), overlay)

    if logo is not None:
        _watermark(img, logo, text_side)
    return img


def _watermark(img: Image.Image, logo: Image.Image, text_side: str) -> None:
    """A large, faint single-colour silhouette of the logo, partly off-canvas."""
    w, h = img.size
    target = round(min(w, h) * 0.62)
    lw, lh = logo.size
    scale = target / max(lw, lh)
    mark = logo.convert("RGBA").resize((max(1, round(lw * scale)), max(1, round(lh * scale))), Image.Resampling.LANCZOS)
    alpha = np.asarray(mark.getchannel("A"), dtype=np.float32)
    if float(alpha.max()) == 0.0:
        return
    base_lum = luminance(img.getpixel((w // 2, h // 2)))  # type: ignore[arg-type]
    tone: RGB = WHITE if base_lum < 0.4 else NEAR_BLACK
    mask = Image.fromarray((alpha * 0.09).astype(np.uint8), "L")
    solid = Image.new("RGB", mark.size, tone)
    mw, mh = mark.size
    if text_side == "left":
        pos = (w - round(mw * 0.8), (h - mh) // 2)
    elif text_side == "right":
        pos = (-round(mw * 0.2), (h - mh) // 2)
    elif text_side == "top":
        pos = (w - round(mw * 0.75), h - round(mh * 0.9))
    else:
        pos = (w - round(mw * 0.75), round(h * 0.08))
    img.paste(solid, pos, mask)
