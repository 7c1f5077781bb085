"""Find text baked into a picture (social cards, banners, labels, screenshots).

A brand's Open Graph card or hero banner often carries its own headline. Drawing our headline
over it gives two competing, overlapping texts that a marketer rejects at a glance, so matching
penalises such pictures and compose keeps its text off (or covers) what is found here.

Classic and model-free (no downloads), deterministic, ~20-40 ms per picture (done once per run):

1. At three scales (long side 1200, 800 and 400 px, so caption-sized UI text and headline type
   all fall into the same pixel range), a local-mean threshold in both polarities (dark-on-light
   and light-on-dark) gives candidate blobs. A blob is character-shaped when it is 7-26 px tall, not much wider
   than tall, partly filled (rings, bars and strokes, not solid discs or tiles) and drawn with a
   thin stroke (distance-transform width at most ~40 % of its height: letters, not windows,
   bushes or bar charts).
2. Characters of similar height and stroke, vertically overlapping and at most about one
   height apart, are chained into lines; a line needs four or more characters of varied width
   or fill (a row of identical windows or tiles is not a word) standing on one straight,
   possibly tilted baseline (specks along a curved rim are not either).
3. Lines are padded and merged into regions (paragraphs), reported in the caller's pixels with
   their type size, top to bottom; beyond `MAX_REGIONS` the closest ones are merged (never
   dropped), which keeps what travels in workflow payloads small.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

#: Long sides of the working copies; type 7-26 px tall at any of them is found.
LEVELS = (1200, 800, 400)
MIN_CHAR_H = 7
MIN_LINE_CHARS = 4
MAX_CHAR_H = 26
_BLOCK = 25
_OFFSET = 18
MAX_REGIONS = 8
#: Weighted share of the picture covered by text at which `text_score` reaches 1 (social cards
#: measure 0.10-0.16; a van's lettering 0.04; product labels and UI text under 0.01).
FULL_TEXT_SHARE = 0.10


@dataclass(frozen=True)
class TextRegion:
    """A block of text lines: box in the analysed image's pixels and its type size (px)."""

    left: int
    top: int
    right: int
    bottom: int
    line_height: float
    lines: int

    @property
    def area(self) -> int:
        return max(0, self.right - self.left) * max(0, self.bottom - self.top)

    def to_list(self) -> list[float]:
        return [self.left, self.top, self.right, self.bottom, self.line_height, self.lines]

    @classmethod
    def from_list(cls, values: list[float]) -> TextRegion:
        left, top, right, bottom, line_height, lines = values
        return cls(int(left), int(top), int(right), int(bottom), float(line_height), int(lines))


@dataclass(frozen=True)
class _Char:
    x: float
    y: float
    w: float
    h: float
    fill: float
    polarity: int
    stroke: float


def _characters(gray: npt.NDArray[np.uint8], scale: float) -> list[_Char]:
    """Character-shaped blobs of one working copy, in the caller's pixels (divided by `scale`)."""
    out: list[_Char] = []
    for polarity in (0, 1):
        src = gray if polarity == 0 else cv2.bitwise_not(gray)
        bw = cv2.adaptiveThreshold(src, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, _BLOCK, _OFFSET)
        n, labels, stats, _centroids = cv2.connectedComponentsWithStats(bw, connectivity=8)
        if n <= 1:
            continue
        w = stats[1:, cv2.CC_STAT_WIDTH].astype(np.float64)
        h = stats[1:, cv2.CC_STAT_HEIGHT].astype(np.float64)
        area = stats[1:, cv2.CC_STAT_AREA].astype(np.float64)
        fill = area / (w * h)
        ok = (h >= MIN_CHAR_H) & (h <= MAX_CHAR_H) & (w <= 3.0 * h) & (area >= 12) & (fill >= 0.12) & (fill <= 0.9)
        idx = np.flatnonzero(ok) + 1
        if idx.size == 0:
            continue
        for i in idx:
            x0, y0, ww, hh = (int(v) for v in stats[i, :4])
            # Stroke width: twice the deepest point of the blob (distance to its own edge),
            # measured on the blob alone, padded so the box border counts as outside.
            own = cv2.copyMakeBorder(
                (labels[y0 : y0 + hh, x0 : x0 + ww] == i).astype(np.uint8), 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0
            )
            stroke = 2.0 * float(cv2.distanceTransform(own, cv2.DIST_L2, 3).max())
            if stroke > 0.42 * hh:
                continue
            out.append(
                _Char(x0 / scale, y0 / scale, ww / scale, hh / scale, float(fill[i - 1]), polarity, stroke / scale)
            )
    return out


def _lines(chars: list[_Char]) -> list[tuple[float, float, float, float, float]]:
    """Chain characters into lines: (left, top, right, bottom, median character height)."""
    n = len(chars)
    if n < 3:
        return []
    arr = np.array([[c.x, c.y, c.w, c.h, c.polarity, c.stroke] for c in chars], dtype=np.float64)
    xs, ys, ws, hs, pol, st = arr.T
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        gap = xs - (xs[i] + ws[i])
        hi_h, lo_h = np.maximum(hs, hs[i]), np.minimum(hs, hs[i])
        overlap = np.minimum(ys + hs, ys[i] + hs[i]) - np.maximum(ys, ys[i])
        near = (
            (pol == pol[i])
            & (xs > xs[i])
            & (gap <= hi_h)
            & (gap >= -0.3 * np.minimum(ws, ws[i]))
            & (hi_h <= 1.8 * lo_h)
            & (overlap >= 0.5 * lo_h)
            & (np.maximum(st, st[i]) <= 2.2 * np.minimum(st, st[i]) + 1.5)
        )
        for j in np.flatnonzero(near):
            a, b = root(i), root(int(j))
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    lines: list[tuple[float, float, float, float, float]] = []
    for members in groups.values():
        if len(members) < MIN_LINE_CHARS:
            continue
        g = arr[members]
        widths = g[:, 2]
        fills = np.array([chars[k].fill for k in members])
        # Identical blobs in a row (windows, tiles, calendar bars) are not words; capitals of a
        # bold word can be as even in width, but differ in how much of their box they fill.
        if float(widths.std() / widths.mean()) < 0.12 and float(fills.std()) < 0.04:
            continue
        if float(np.median(fills)) > 0.8:
            continue
        # Letters stand on a common, straight baseline (maybe tilted, as on a photographed
        # phone; descenders are the odd ones out); specks and arcs along a curve do not.
        if not _on_baseline(g):
            continue
        left, top = float(g[:, 0].min()), float(g[:, 1].min())
        right, bottom = float((g[:, 0] + g[:, 2]).max()), float((g[:, 1] + g[:, 3]).max())
        height = float(np.median(g[:, 3]))
        if right - left < 1.5 * height:
            continue
        lines.append((left, top, right, bottom, height))
    return lines


def _on_baseline(g: npt.NDArray[np.float64]) -> bool:
    """Whether the bottoms of blobs (rows of x, y, w, h) lie on one straight line, tilted at
    most ~17°, to within ~12 % of their height (robust to a few descenders)."""
    xs = g[:, 0] + g[:, 2] / 2
    bottoms = g[:, 1] + g[:, 3]
    if float(np.ptp(xs)) <= 0:
        return False
    slope, intercept = np.polyfit(xs, bottoms, 1)
    if abs(float(slope)) > 0.3:
        return False
    residual = np.abs(bottoms - (slope * xs + intercept))
    return float(np.median(residual)) <= 0.12 * float(np.median(g[:, 3])) + 0.5


def _merge(lines: list[tuple[float, float, float, float, float]], width: int, height: int) -> list[TextRegion]:
    """Pad lines and merge overlapping ones into regions (paragraphs, or one line found twice)."""
    boxes: list[list[float]] = []
    for left, top, right, bottom, h in lines:
        # Half a character height each side joins the words of a line into one region.
        boxes.append([left - 0.5 * h, top - 0.3 * h, right + 0.5 * h, bottom + 0.3 * h, h, 1.0])
    merged = True
    while merged:
        merged = False
        out: list[list[float]] = []
        for b in sorted(boxes, key=lambda v: (v[1], v[0], v[3], v[2])):
            for m in out:
                if b[0] < m[2] and m[0] < b[2] and b[1] < m[3] and m[1] < b[3]:
                    m[0], m[1], m[2], m[3] = min(m[0], b[0]), min(m[1], b[1]), max(m[2], b[2]), max(m[3], b[3])
                    m[4] = max(m[4], b[4])
                    m[5] += b[5]
                    merged = True
                    break
            else:
                out.append(list(b))
        boxes = out
    regions = [
        TextRegion(
            left=max(0, int(np.floor(b[0]))),
            top=max(0, int(np.floor(b[1]))),
            right=min(width, int(np.ceil(b[2]))),
            bottom=min(height, int(np.ceil(b[3]))),
            line_height=round(b[4], 2),
            lines=int(b[5]),
        )
        for b in boxes
    ]
    # Over the cap, merge the pair whose union adds the least area, so every bit of text stays
    # covered (a dropped region would be text compose does not know to avoid).
    while len(regions) > MAX_REGIONS:
        best: tuple[int, int, int] | None = None
        for i in range(len(regions)):
            for j in range(i + 1, len(regions)):
                extra = _union(regions[i], regions[j]).area - regions[i].area - regions[j].area
                if best is None or extra < best[0]:
                    best = (extra, i, j)
        assert best is not None
        _extra, i, j = best
        joined = _union(regions[i], regions[j])
        regions = [r for k, r in enumerate(regions) if k not in (i, j)] + [joined]
    regions.sort(key=lambda r: (r.top, r.left))
    return regions


def _union(a: TextRegion, b: TextRegion) -> TextRegion:
    return TextRegion(
        left=min(a.left, b.left),
        top=min(a.top, b.top),
        right=max(a.right, b.right),
        bottom=max(a.bottom, b.bottom),
        line_height=max(a.line_height, b.line_height),
        lines=a.lines + b.lines,
    )


def detect_text(rgb: npt.NDArray[np.uint8], levels: tuple[int, ...] = LEVELS) -> list[TextRegion]:
    """Text regions of an (H, W, 3) RGB picture, in its pixels, top to bottom.

    `levels` are the long sides of the working copies, largest first: the default finds caption-
    sized type too; the score stage reads ad type with `(720, 360, 180)` (type ~15-150 px on a
    1080 px canvas: nothing smaller than a phone shows legibly).
    """
    h, w = rgb.shape[:2]
    if min(h, w) < MIN_CHAR_H * 3:
        return []
    gray_full: npt.NDArray[np.uint8] = np.asarray(
        cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY), dtype=np.uint8
    )
    chars: list[_Char] = []
    searched: set[tuple[int, int]] = set()
    gray = gray_full
    for level in levels:  # largest first, so each copy can be made from the previous one
        scale = min(1.0, level / max(h, w))
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        if size in searched:  # the picture is no larger than this level: already searched
            continue
        searched.add(size)
        if size != (gray.shape[1], gray.shape[0]):
            gray = np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
        chars.extend(_characters(gray, size[0] / w))
    # The same word found at two scales gives overlapping lines; merging makes them one region.
    return _merge(_lines(chars), w, h)


def text_score(
    regions: list[TextRegion], width: int, height: int, crop: tuple[int, int, int, int] | None = None
) -> float:
    """How much of the picture (or of its `crop`, left/top/right/bottom) is text, weighted by
    type size: 0 (none) .. 1 (a social card).

    Headline-sized type (line height ≥ ~4 % of the short side) counts fully, caption-sized type
    (a product label, a screenshot's UI) a quarter; `FULL_TEXT_SHARE` of the picture covered by
    weighted text is already "all text" as far as overlaying our own copy goes. A region the crop
    cuts through counts half again: half a sentence reads as a mistake.
    """
    left, top, right, bottom = crop if crop is not None else (0, 0, width, height)
    cw, ch = right - left, bottom - top
    if not regions or cw <= 0 or ch <= 0:
        return 0.0
    short = min(cw, ch)
    weighted = 0.0
    for r in regions:
        vw = min(r.right, right) - max(r.left, left)
        vh = min(r.bottom, bottom) - max(r.top, top)
        if vw <= 0 or vh <= 0:
            continue
        visible = vw * vh
        cut = visible < r.area
        rel = r.line_height / short
        weighted += visible * min(1.0, max(0.25, (rel - 0.012) / 0.03)) * (1.5 if cut else 1.0)
    return float(min(1.0, round(weighted / (cw * ch) / FULL_TEXT_SHARE, 4)))
