"""Colour maths for legibility: WCAG 2.x relative luminance and contrast ratios.

Contrast of text over a photo is not a single number, so `measured_contrast` compares the text
colour with every pixel behind the text and reports a low percentile: the ratio that (by default)
99 % of the background pixels meet. The compose stage uses it to decide whether a scrim or panel
is needed, and the score stage can re-measure finished creatives with `estimate_text_contrast`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

RGB = tuple[int, int, int]

WHITE: RGB = (255, 255, 255)
NEAR_BLACK: RGB = (17, 17, 17)

#: Percentile of per-pixel contrast reported as "the" contrast of text over an uneven background.
CONTRAST_PERCENTILE = 1.0

_channel = np.arange(256, dtype=np.float64) / 255.0
_LINEAR: npt.NDArray[np.float64] = np.where(_channel <= 0.04045, _channel / 12.92, ((_channel + 0.055) / 1.055) ** 2.4)
_LUM_R: npt.NDArray[np.float32] = (_LINEAR * 0.2126).astype(np.float32)
_LUM_G: npt.NDArray[np.float32] = (_LINEAR * 0.7152).astype(np.float32)
_LUM_B: npt.NDArray[np.float32] = (_LINEAR * 0.0722).astype(np.float32)


def parse_hex(value: str) -> RGB:
    """'#1a2b3c' (or '1a2b3c', or '#abc') -> (26, 43, 60). Raises ValueError on anything else."""
    h = value.strip().lstrip("#")
    if len(h) == 3:
        h = "".join(ch * 2 for ch in h)
    if len(h) != 6:
        raise ValueError(f"not a hex colour: {value!r}")
    return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


def parse_hex_or_none(value: str | None) -> RGB | None:
    """`parse_hex` for colours read from a site or a layout record, where a missing or bad value is normal."""
    if not value:
        return None
    try:
        return parse_hex(value)
    except ValueError:
        return None


def to_hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance of one sRGB colour, 0 (black) .. 1 (white)."""
    r, g, b = (float(_LINEAR[c]) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def luminance_map(pixels: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """Relative luminance of every pixel of an (..., 3) uint8 RGB array."""
    out: npt.NDArray[np.float32] = _LUM_R[pixels[..., 0]]
    out += _LUM_G[pixels[..., 1]]
    out += _LUM_B[pixels[..., 2]]
    return out


def contrast_ratio(l1: float, l2: float) -> float:
    """WCAG contrast ratio of two relative luminances (order does not matter), 1 .. 21."""
    hi, lo = (l1, l2) if l1 >= l2 else (l2, l1)
    return (hi + 0.05) / (lo + 0.05)


def color_contrast(a: RGB, b: RGB) -> float:
    return contrast_ratio(luminance(a), luminance(b))


def measured_contrast(
    text: RGB,
    background: npt.NDArray[np.uint8],
    percentile: float = CONTRAST_PERCENTILE,
    mask: npt.NDArray[np.bool_] | None = None,
) -> float:
    """Contrast of `text` against the pixels of `background` (H, W, 3), at a low percentile.

    `mask` (H, W) selects which pixels count as background (e.g. to leave out glyph pixels when
    re-measuring a finished image). Returns 21.0 for an empty selection, which callers treat as
    "nothing behind the text to compare with" only when they created that situation themselves.
    """
    lum = luminance_map(background)
    if mask is not None:
        lum = lum[mask]
    if lum.size == 0:
        return 21.0
    lt = luminance(text)
    flat = lum.ravel()
    ratios = np.where(flat > lt, (flat + 0.05) / (lt + 0.05), (lt + 0.05) / (flat + 0.05))
    return float(np.percentile(ratios, percentile))


def best_text_color(background: npt.NDArray[np.uint8], candidates: list[RGB]) -> tuple[RGB, float]:
    """The candidate colour with the highest measured contrast over `background` (first wins ties)."""
    best = candidates[0]
    best_c = -1.0
    for cand in candidates:
        c = measured_contrast(cand, background)
        if c > best_c + 1e-9:
            best, best_c = cand, c
    return best, best_c


def estimate_text_contrast(region: npt.NDArray[np.uint8]) -> float:
    """Estimate text/background contrast in a finished image region without knowing the colours.

    Splits the region's luminance into two classes with Otsu's threshold; the smaller class is
    taken as the text. Returns the contrast between the text's median luminance and the
    background's worst (percentile) luminance. Meant for scoring creatives after the fact.
    """
    lum = luminance_map(region).ravel()
    if lum.size < 4:
        return 1.0
    best_t, best_var = 0.5, -1.0
    hist, edges = np.histogram(lum, bins=64, range=(0.0, 1.0))
    total = hist.sum()
    centers = (edges[:-1] + edges[1:]) / 2
    cum_w = np.cumsum(hist)
    cum_m = np.cumsum(hist * centers)
    for i in range(63):
        w0 = cum_w[i]
        w1 = total - w0
        if w0 == 0 or w1 == 0:
            continue
        m0 = cum_m[i] / w0
        m1 = (cum_m[-1] - cum_m[i]) / w1
        var = w0 * w1 * (m0 - m1) ** 2
        if var > best_var:
            best_var, best_t = float(var), float(edges[i + 1])
    low = lum[lum < best_t]
    high = lum[lum >= best_t]
    if low.size == 0 or high.size == 0:
        return 1.0
    text_is_low = low.size < high.size
    text_lum = float(np.median(low if text_is_low else high))
    bg = high if text_is_low else low
    bg_worst = float(np.percentile(bg, 1.0 if text_is_low else 99.0))
    return contrast_ratio(text_lum, bg_worst)
