"""The generated brand background: so a site without usable photos still gets finished ads.

A diagonal gradient between the primary colour and a deeper shade and a few soft rings in the
accent colour, placed away from where text goes; the logo itself is added by the layout, like on
any other creative. The variant id picks the gradient direction and ring corner, so different
variants do not look identical. (A faint logo watermark was tried and dropped: a partly cropped
wordmark read as a mistake.)
"""

from __future__ import annotations

import hashlib

import numpy as np
from PIL import Image, ImageDraw

from brandtruth.imaging.color import NEAR_BLACK, WHITE, luminance
from brandtruth.stages.compose.brand import Palette, mix


def _seed(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big")


def brand_background(size: tuple[int, int], palette: Palette, key: str, text_side: str) -> Image.Image:
    """Render the background at exactly `size` (RGB). `text_side` is the zone text will use."""
    w, h = size
    seed = _seed(key)
    c0 = palette.primary
    # Keep the gradient within one legibility class: light brand colours deepen only a little
    # (a yellow must not turn olive), dark and mid ones go clearly deeper.
    lum = luminance(palette.primary)
    if lum > 0.3:
        deep = mix(palette.primary, NEAR_BLACK, 0.16)
    elif lum > 0.03:
        deep = mix(palette.primary, NEAR_BLACK, 0.5)
    else:
        deep = mix(palette.primary, palette.secondary, 0.5)
    angle = [0.35, 0.9, 1.25, 2.2][seed % 4]
    xs = np.arange(w, dtype=np.float32)[None, :]
    ys = np.arange(h, dtype=np.float32)[:, None]
    proj = xs * np.float32(np.cos(angle)) + ys * np.float32(np.sin(angle))
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

    return img
