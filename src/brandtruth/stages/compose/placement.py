"""Keeping the subject out from under the text: inset placement on a matching backdrop.

When the crop cannot keep the subject clear of the text area (a product bag in the middle of a
square photo, a tall bottle in a wide landscape ad), overlaying text on it hides the product and
makes the text fight the picture. Designers then shrink the picture and move it into the free
part of the canvas. This module does that: it finds the subject (saliency), scales the image so
the subject fits the area the text leaves free, and fills the rest with a backdrop that matches
the photo: its own border colour for studio shots on a plain background, or a heavily blurred
copy of the photo otherwise (the "blurred fill" social platforms use). Text then sits on a calm
backdrop instead of on the product. The picture keeps a crisp edge (nothing of it fades); the
backdrop meets that edge in the picture's own tone instead, so no box shows around it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from brandtruth.imaging.analysis import saliency_map
from brandtruth.models.common import Box

#: The picture is inset when this share of the subject lies under the text block...
OVERLAP_LIMIT = 0.18
#: ...or when the subject covers this share of the text block...
COVERAGE_LIMIT = 0.3
#: ...or when the text block covers this share of the subject's bounding box.
BOX_OVERLAP_LIMIT = 0.1
#: The inset subject must keep at least this share of the canvas's short side; smaller than
#: that, a scrim over the full-bleed image reads better.
MIN_SUBJECT = 0.34
#: A "subject" spanning more than this share of the picture is no subject at all.
NO_SUBJECT_AREA = 0.8
#: Upscaling limit for the inset picture (beyond it, small source images turn soft).
MAX_UPSCALE = 1.6
#: Beside the inset picture the backdrop takes its edge colour (a blur of this sigma, in 1/8-scale
#: analysis px) and turns into the wide blurred fill over this share of the canvas's short side.
_NEAR_SIGMA = 2.0
_SEAM_BLEND = 0.22


@dataclass(frozen=True)
class Inset:
    pixels: npt.NDArray[np.uint8]
    image_box: Box  # the part of the canvas the picture covers
    scale: float
    placed: Box | None = None  # the whole scaled picture's box (may extend past the canvas)


@dataclass(frozen=True)
class InsetResult:
    """`needed`: the text would cover the subject; `inset`: the re-placed picture, if it fits."""

    needed: bool
    inset: Inset | None = None


def _plain_background(rgb: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.float32], float] | None:
    """(colour, spread) of a plain studio background, judged on the outer 3 % of each side.

    Three of the four sides must be plain (a product's shadow or props often touch the fourth).
    """
    h, w = rgb.shape[:2]
    t = max(2, round(min(w, h) * 0.03))
    sides = [rgb[:t].reshape(-1, 3), rgb[-t:].reshape(-1, 3), rgb[:, :t].reshape(-1, 3), rgb[:, -t:].reshape(-1, 3)]
    # Robust spread (scaled median absolute deviation): a few props along a side do not count.
    spreads = [
        float((1.4826 * np.median(np.abs(side - np.median(side, axis=0)), axis=0)).max())
        for side in (sd.astype(np.float32) for sd in sides)
    ]
    plain = [side for side, sp in zip(sides, spreads, strict=True) if sp <= 20.0]
    if len(plain) < 3:
        return None
    colour = np.median(np.concatenate(plain).astype(np.float32), axis=0).astype(np.float32)
    return colour, max(sp for sp in spreads if sp <= 20.0)


def cut_sides(rgb: npt.NDArray[np.uint8]) -> set[str]:
    """Sides of the picture where its frame cuts through content rather than background.

    A side counts as background when its outer band is uniform (robust spread) and matches the
    colour of the other sides; a few props (scattered beans, a shadow) do not change either.
    """
    return _cut_sides_small(_small(rgb))


def _cut_sides_small(small: npt.NDArray[np.uint8]) -> set[str]:
    h, w = small.shape[:2]
    t = max(2, round(min(w, h) * 0.03))
    bands = {
        "top": small[:t].reshape(-1, 3),
        "bottom": small[-t:].reshape(-1, 3),
        "left": small[:, :t].reshape(-1, 3),
        "right": small[:, -t:].reshape(-1, 3),
    }
    stats: dict[str, tuple[npt.NDArray[np.float32], float]] = {}
    for name, band in bands.items():
        b = band.astype(np.float32)
        med = np.median(b, axis=0)
        stats[name] = (med, float((1.4826 * np.median(np.abs(b - med), axis=0)).max()))
    consensus = np.median(np.stack([m for m, _ in stats.values()]), axis=0)
    cut: set[str] = set()
    for name, (med, spread) in stats.items():
        if spread > 20.0 or float(np.sqrt(((med - consensus) ** 2).sum())) > 40.0:
            cut.add(name)
    return cut


def _background_model(rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """Smooth estimate of a studio background: per row, the left and right border colours,
    blended across the width (follows the vertical and horizontal gradients of sweeps)."""
    h, w = rgb.shape[:2]
    t = max(2, round(min(w, h) * 0.03))
    left = np.median(rgb[:, :t].astype(np.float32), axis=1)
    right = np.median(rgb[:, -t:].astype(np.float32), axis=1)
    k = max(3, (h // 10) | 1)
    left = cv2.medianBlur(np.ascontiguousarray(left[:, None, :]).astype(np.uint8), k)[:, 0, :].astype(np.float32)
    right = cv2.medianBlur(np.ascontiguousarray(right[:, None, :]).astype(np.uint8), k)[:, 0, :].astype(np.float32)
    xs = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :, None]
    model: npt.NDArray[np.float32] = left[:, None, :] * (1 - xs) + right[:, None, :] * xs
    return model


def subject_weight(rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """Where the subject is, at analysis scale (0..1 per pixel); see `_subject_weight`."""
    return _subject_weight(rgb)[0]


def _subject_weight(rgb: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.float32], bool]:
    """Where the subject is, at analysis scale (0..1 per pixel).

    On a plain (studio) background the subject is what differs from the (smoothly varying)
    background, which catches a whole product, not just its most detailed part; otherwise it
    is spectral-residual saliency above its noise floor.
    """
    if _plain_background(rgb) is not None:
        dist = np.sqrt(((rgb.astype(np.float32) - _background_model(rgb)) ** 2).sum(axis=2))
        fg: npt.NDArray[np.float32] = (dist > 36.0).astype(np.float32)
        if float(fg.mean()) > 0.01:
            return fg, True
    sal = saliency_map(rgb)
    return np.asarray(np.where(sal > 0.3, sal, 0.0), dtype=np.float32), False


def _span_box(weight: npt.NDArray[np.float32]) -> tuple[float, float, float, float]:
    """Fractional box holding the central 96 % of `weight` along each axis."""
    total = float(weight.sum(dtype=np.float64))
    sh, sw = weight.shape
    if total <= 0:
        return (0.25, 0.25, 0.75, 0.75)

    def span(profile: npt.NDArray[np.float64], n: int) -> tuple[float, float]:
        cum = np.cumsum(profile) / total
        lo = int(np.searchsorted(cum, 0.02))
        hi = int(np.searchsorted(cum, 0.98)) + 1
        return lo / n, min(n, hi) / n

    x0, x1 = span(weight.sum(axis=0, dtype=np.float64), sw)
    y0, y1 = span(weight.sum(axis=1, dtype=np.float64), sh)
    return (x0, y0, x1, y1)


def _small(rgb: npt.NDArray[np.uint8], side: int = 160) -> npt.NDArray[np.uint8]:
    h, w = rgb.shape[:2]
    scale = min(1.0, side / max(w, h))
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    if size == (w, h):
        return rgb
    return np.asarray(cv2.resize(rgb, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


@dataclass(frozen=True)
class Subject:
    """Where a picture's subject is: fractional box, weight map (analysis scale), cut sides."""

    box: tuple[float, float, float, float]
    weight: npt.NDArray[np.float32]
    cut: frozenset[str]
    #: Found against a plain background (reliable); otherwise from saliency (a guess).
    plain: bool = False


def find_subject(rgb: npt.NDArray[np.uint8]) -> Subject:
    """Subject box/weight and the sides where the frame cuts content (one small analysis)."""
    small = _small(rgb)
    weight, plain = _subject_weight(small)
    return Subject(box=_span_box(weight), weight=weight, cut=frozenset(_cut_sides_small(small)), plain=plain)


def subject_box(rgb: npt.NDArray[np.uint8]) -> tuple[tuple[float, float, float, float], npt.NDArray[np.float32]]:
    """Fractional box holding the central 96 % of the subject weight, and the weight map."""
    subject = find_subject(rgb)
    return subject.box, subject.weight


def overlap_share(weight: npt.NDArray[np.float32], area: tuple[float, float, float, float]) -> tuple[float, float]:
    """(share of the subject inside `area`, share of `area` covered by subject), `area` fractional.

    The first catches text over most of a small subject, the second text laid across part of a
    large one (a headline over the bottom of a tall product).
    """
    total = float(weight.sum(dtype=np.float64))
    if total <= 0:
        return 0.0, 0.0
    sh, sw = weight.shape
    x0, y0 = int(area[0] * sw), int(area[1] * sh)
    x1, y1 = max(x0 + 1, int(area[2] * sw)), max(y0 + 1, int(area[3] * sh))
    inside = weight[y0:y1, x0:x1]
    # Coverage is relative to how dense the subject is in its own box (saliency is sparse).
    (bx0, by0, bx1, by1) = _span_box(weight)
    core = weight[
        int(by0 * sh) : max(int(by0 * sh) + 1, int(by1 * sh)), int(bx0 * sw) : max(int(bx0 * sw) + 1, int(bx1 * sw))
    ]
    density = float(core.mean()) if core.size else 0.0
    coverage = min(1.0, float(inside.mean()) / density) if density > 0 else 0.0
    return float(inside.sum(dtype=np.float64)) / total, coverage


def _backdrop(scaled: npt.NDArray[np.uint8], box: Box, size: tuple[int, int]) -> npt.NDArray[np.uint8]:
    """Canvas-sized backdrop continuing the placed picture's own background outward.

    Only the picture's background pixels (close to its smooth studio-background model) feed it,
    averaged with a wide Gaussian (normalised convolution at 1/8 scale, so cheap) and easing into
    their median colour far from the picture. Replicating the edge pixels instead (as before)
    smeared anything touching the edge, a bean, a shadow, a dotted map, into long faded streaks
    and blobs across the canvas.
    """
    w, h = size
    k = 8
    sw, sh = max(1, w // k), max(1, h // k)
    pw, ph = max(1, box.width // k), max(1, box.height // k)
    small = np.asarray(cv2.resize(scaled, (pw, ph), interpolation=cv2.INTER_AREA), dtype=np.uint8)
    dist = np.sqrt(((small.astype(np.float32) - _background_model(small)) ** 2).sum(axis=2))
    background = dist <= 30.0
    if not background.any():
        background = np.ones(small.shape[:2], dtype=bool)
    fallback = np.median(small[background].astype(np.float32), axis=0)
    acc = np.zeros((sh, sw, 3), dtype=np.float32)
    wt = np.zeros((sh, sw), dtype=np.float32)
    left, top = box.left // k, box.top // k
    x0, y0 = max(0, -left), max(0, -top)
    x1, y1 = min(pw, sw - left), min(ph, sh - top)
    if x1 > x0 and y1 > y0:
        mask = background[y0:y1, x0:x1].astype(np.float32)
        cx, cy = left + x0, top + y0
        acc[cy : cy + (y1 - y0), cx : cx + (x1 - x0)] = small[y0:y1, x0:x1].astype(np.float32) * mask[..., None]
        wt[cy : cy + (y1 - y0), cx : cx + (x1 - x0)] = mask
    eps = 0.02
    filled = _normalised_blur(acc, wt, 0.12 * max(sw, sh), eps, fallback)
    if x1 > x0 and y1 > y0:
        filled = _meet_edges(filled, acc, wt, (cx, cy, cx + (x1 - x0), cy + (y1 - y0)), _SEAM_BLEND * min(w, h) / k)
    out = np.clip(filled + 0.5, 0, 255).astype(np.uint8)
    return np.asarray(cv2.resize(out, (w, h), interpolation=cv2.INTER_LINEAR), dtype=np.uint8)


def _normalised_blur(
    acc: npt.NDArray[np.float32],
    wt: npt.NDArray[np.float32],
    sigma: float,
    eps: float,
    fallback: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """Gaussian average of the masked background pixels, easing into `fallback` far from any."""
    a = np.asarray(cv2.GaussianBlur(acc, (0, 0), sigma), dtype=np.float32)
    m = np.asarray(cv2.GaussianBlur(wt, (0, 0), sigma), dtype=np.float32)
    out: npt.NDArray[np.float32] = (a + eps * fallback[None, None, :]) / (m[..., None] + eps)
    return out


def _meet_edges(
    filled: npt.NDArray[np.float32],
    acc: npt.NDArray[np.float32],
    wt: npt.NDArray[np.float32],
    shown: tuple[int, int, int, int],
    ramp: float,
) -> npt.NDArray[np.float32]:
    """`filled` eased, toward the picture, into the picture's own edge colour.

    The wide blur averages a whole sweep (light at the top, darker at the floor), so beside the
    picture it differs from the picture's edge by up to ~10 levels: the crisp edge would show as
    a faint box. Right beside the picture the backdrop takes the local background colour at the
    nearest edge point (a narrow blur of background pixels only, so props and lines do not
    streak), and turns into the wide fill over `ramp` (analysis px) with a smoothstep.
    """
    sh, sw = filled.shape[:2]
    x0, y0, x1, y1 = shown
    near = _normalised_blur(acc, wt, _NEAR_SIGMA, 1e-6, filled[y0, x0])
    rows = np.clip(np.arange(sh), y0, y1 - 1)
    cols = np.clip(np.arange(sw), x0, x1 - 1)
    edge = near[np.ix_(rows, cols)]
    xs = np.arange(sw, dtype=np.float32) + 0.5
    ys = np.arange(sh, dtype=np.float32) + 0.5
    dx = np.maximum(np.maximum(x0 - xs, xs - x1), 0.0)
    dy = np.maximum(np.maximum(y0 - ys, ys - y1), 0.0)
    a = np.clip(1.0 - np.sqrt(dy[:, None] ** 2 + dx[None, :] ** 2) / ramp, 0.0, 1.0)[..., None]
    a = a * a * (3.0 - 2.0 * a)
    out: npt.NDArray[np.float32] = edge * a + filled * (1.0 - a)
    return out


def _place(ideal: float, lo: float, hi: float, slack: int) -> int:
    """Offset along one axis: `ideal`, clamped to [lo, hi] (subject inside the free area), then
    nudged toward covering the canvas ([min(0, slack), max(0, slack)]) where that range allows."""
    pos = min(max(ideal, lo), hi) if lo <= hi else ideal
    cover_lo, cover_hi = min(0, slack), max(0, slack)
    lo2, hi2 = max(lo, cover_lo), min(hi, cover_hi)
    if lo2 <= hi2:
        pos = min(max(pos, lo2), hi2)
    return round(pos)


def inset_subject(
    base: npt.NDArray[np.uint8],
    text_area: Box,
    free: Box,
    picture: npt.NDArray[np.uint8] | None = None,
    base_subject: Subject | None = None,
    picture_subject: Subject | None = None,
    min_subject: float = MIN_SUBJECT,
    force: bool = False,
) -> InsetResult:
    """Shrink and move the picture so its subject sits in `free`, if it is under `text_area`.

    `base` is the canvas-sized crop the creative would otherwise use; `picture` the whole
    decoded image (defaults to `base`). Zooming out of the whole image rather than the crop
    brings back what the crop had cut (the top of a tall product in a wide ad). Callers trying
    several layouts pass the `find_subject` results in, to analyse each image once.

    `force` asks for the zoomed-out placement even when the subject is clear of the text (the
    crop cuts through the picture's own lettering, say). `needed` is False when the subject is
    already clear of the text (and nothing is forced); `inset` is None when it
    is needed but the subject would end up smaller than `min_subject` of the canvas's short side,
    or the picture's frame would show a cut through content inside the canvas.
    """
    h, w = base.shape[:2]
    bs = base_subject or find_subject(base)
    (bx0, by0, bx1, by1), weight = bs.box, bs.weight
    if (bx1 - bx0) * (by1 - by0) > NO_SUBJECT_AREA and not force:
        # Detail everywhere (a texture, a crowd, a screenshot): no subject to move clear.
        return InsetResult(needed=False)
    area = (text_area.left / w, text_area.top / h, text_area.right / w, text_area.bottom / h)
    share, coverage = overlap_share(weight, area)
    ix = max(0.0, min(bx1, area[2]) - max(bx0, area[0]))
    iy = max(0.0, min(by1, area[3]) - max(by0, area[1]))
    box_share = ix * iy / max(1e-6, (bx1 - bx0) * (by1 - by0))
    if share < OVERLAP_LIMIT and coverage < COVERAGE_LIMIT and box_share < BOX_OVERLAP_LIMIT and not force:
        return InsetResult(needed=False)
    if free.width <= 0 or free.height <= 0:
        return InsetResult(needed=True)
    pic = base if picture is None else picture
    ps = picture_subject or (bs if picture is None else find_subject(pic))
    if not ps.plain:
        # Only a subject separated from a plain background is located reliably enough to move;
        # in a scene, saliency may pick the sun instead of the house.
        return InsetResult(needed=True)
    ph, pw = pic.shape[:2]
    sx0, sy0, sx1, sy1 = ps.box
    subj_w, subj_h = max(1.0, (sx1 - sx0) * pw), max(1.0, (sy1 - sy0) * ph)
    scale = min(MAX_UPSCALE, 0.94 * free.width / subj_w, 0.94 * free.height / subj_h)
    if max(subj_w, subj_h) * scale < min_subject * min(w, h):
        return InsetResult(needed=True)
    nw, nh = max(1, round(pw * scale)), max(1, round(ph * scale))
    # Put the subject's centre on the free area's centre; within what keeps the subject inside
    # the free area, prefer positions that keep the picture on the canvas (less backdrop).
    sx0p, sx1p, sy0p, sy1p = sx0 * nw, sx1 * nw, sy0 * nh, sy1 * nh
    ox = _place((free.left + free.right) / 2 - (sx0p + sx1p) / 2, free.left - sx0p, free.right - sx1p, w - nw)
    oy = _place((free.top + free.bottom) / 2 - (sy0p + sy1p) / 2, free.top - sy0p, free.bottom - sy1p, h - nh)
    box = Box(left=ox, top=oy, right=ox + nw, bottom=oy + nh)
    # Content the photo's frame cuts (a screenshot running off the bottom) would show that cut
    # in the middle of the canvas: a cut side must stay at (or beyond) the canvas edge.
    cut = ps.cut
    if (
        ("left" in cut and box.left > 0)
        or ("right" in cut and box.right < w)
        or ("top" in cut and box.top > 0)
        or ("bottom" in cut and box.bottom < h)
    ):
        return InsetResult(needed=True)
    interp = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_CUBIC
    scaled = np.asarray(cv2.resize(pic, (nw, nh), interpolation=interp), dtype=np.uint8)
    # Intersection of the placed picture with the canvas.
    left, top = max(0, box.left), max(0, box.top)
    right, bottom = min(w, box.right), min(h, box.bottom)
    if right <= left or bottom <= top:
        return InsetResult(needed=True)
    # A crisp edge, no fade: the picture shows exactly as fitted over its blurred fill (the way
    # social platforms show a photo over its own blurred copy). A fade dissolved whatever ran to
    # the picture's sides, chart lines or props, into ghosts.
    pixels = _backdrop(scaled, box, (w, h))
    pixels[top:bottom, left:right] = scaled[top - oy : bottom - oy, left - ox : right - ox]
    placed = Box(left=left, top=top, right=right, bottom=bottom)
    inset = Inset(pixels=pixels, image_box=placed, scale=round(scale, 3), placed=box)
    return InsetResult(needed=True, inset=inset)
