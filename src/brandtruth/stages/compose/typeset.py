"""Fitting text into a box: wrap, balance, and auto-size without ever overflowing.

A block either fits entirely (every line within the width, all lines within the height and the
line limit) or the caller gets None and decides what to drop. Words wider than the box are broken
with a hyphen rather than allowed to run off the edge.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

from brandtruth.stages.compose.fonts import font


@dataclass(frozen=True)
class TextBlock:
    """Wrapped lines at one size. Lines are drawn with a baseline anchor, `line_height` apart."""

    lines: tuple[str, ...]
    path: Path
    size: int
    line_height: int
    ascent: int
    descent: int
    width: int

    @property
    def height(self) -> int:
        return self.ascent + self.descent + (len(self.lines) - 1) * self.line_height

    @property
    def text(self) -> str:
        return " ".join(self.lines)


_REF_SIZE = 200
_local = threading.local()


def _ref_width(path: str, word: str) -> float:
    """Advance width of `word` at the reference size, cached per thread and font file."""
    cache: dict[tuple[str, str], float] | None = getattr(_local, "widths", None)
    if cache is None or len(cache) > 20_000:
        cache = {}
        _local.widths = cache
    key = (path, word)
    width = cache.get(key)
    if width is None:
        width = font(Path(path), _REF_SIZE).getlength(word)
        cache[key] = width
    return width


class _Widths:
    """Estimated advance widths of words at one size, scaled from one reference measurement.

    Shaping with Raqm (for kerning) costs ~0.2 ms per measurement, and fitting text tries many
    sizes and widths; widths scale with the size to within a pixel or two, so estimates drive
    the search and `wrap` measures the resulting lines exactly before anything is trusted.
    """

    def __init__(self, f: ImageFont.FreeTypeFont) -> None:
        self.font = f
        self._path = str(f.path)
        self._scale = f.size / _REF_SIZE * 1.004  # a hair pessimistic: fewer exact-check misses
        self.space = self.word(" ")

    def word(self, word: str) -> float:
        return _ref_width(self._path, word) * self._scale


def widest_word(text: str, path: Path, size: int) -> float:
    """Estimated advance width of the widest word of `text` at `size` (cached measurements).

    Lets callers prefer a smaller size to a word broken across lines ("Spreadsh-eets").
    """
    widest = max((_ref_width(str(path), w) for w in text.split()), default=0.0)
    return widest * size / _REF_SIZE * 1.004


def _break_word(word: str, f: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Split a word that is wider than the box into hyphenated pieces that each fit."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        trial = current + ch
        if current and f.getlength(trial + "-") > max_width:
            pieces.append(current + "-")
            current = ch
        else:
            current = trial
    if current:
        pieces.append(current)
    return pieces


def _greedy(words: list[str], widths: _Widths, max_width: float) -> list[str]:
    """Greedy wrap from cached word widths (kerning across spaces is nil in Roboto)."""
    lines: list[str] = []
    current: list[str] = []
    current_w = 0.0
    for word in words:
        ww = widths.word(word)
        if ww > max_width:
            if current:
                lines.append(" ".join(current))
            pieces = _break_word(word, widths.font, max_width)
            lines.extend(pieces[:-1])
            current, current_w = [pieces[-1]], widths.word(pieces[-1])
            continue
        trial_w = current_w + widths.space + ww if current else ww
        if trial_w <= max_width:
            current.append(word)
            current_w = trial_w
        else:
            lines.append(" ".join(current))
            current, current_w = [word], ww
    if current:
        lines.append(" ".join(current))
    return lines


def wrap(text: str, f: ImageFont.FreeTypeFont, max_width: float, widths: _Widths | None = None) -> list[str]:
    """Greedy word wrap; every returned line measures at most `max_width` (if any char fits).

    Line widths are estimated from word widths, then each line is measured exactly; in the rare
    case the estimate was optimistic the line's last word moves down.
    """
    widths = widths or _Widths(f)
    lines = _greedy(text.split(), widths, max_width)
    out: list[str] = []
    queue = list(lines)
    while queue:
        line = queue.pop(0)
        words = line.split(" ")
        while len(words) > 1 and f.getlength(" ".join(words)) > max_width:
            carry = words.pop()
            if queue:
                queue[0] = f"{carry} {queue[0]}"
            else:
                queue.append(carry)
        out.append(" ".join(words))
    return out


def balanced_wrap(text: str, f: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Wrap into as few lines as greedy wrapping needs, but with lines of similar length.

    Narrows the width while the line count stays the same, which avoids a lone last word.
    """
    widths = _Widths(f)
    lines = wrap(text, f, max_width, widths)
    if len(lines) <= 1:
        return lines
    # Never narrower than the widest word: that would break a word that fits ("Spreadsh-eets").
    widest = max((widths.word(w) for w in text.split()), default=0.0)
    lo, hi = max(max_width * 0.5, min(widest, max_width)), max_width
    best = lines
    for _ in range(8):
        mid = (lo + hi) / 2
        trial = _greedy(text.split(), widths, mid)
        if len(trial) == len(lines):
            best, hi = trial, mid
        else:
            lo = mid
    # Exact check of the balanced lines (once); fall back to the exact greedy wrap if any is off.
    if best is not lines and any(f.getlength(line) > max_width for line in best):
        return lines
    return best


def fit_block(
    text: str,
    path: Path,
    *,
    max_size: int,
    min_size: int,
    max_width: int,
    max_height: int,
    max_lines: int,
    line_spacing: float,
    balance: bool = True,
    step: int = 2,
) -> TextBlock | None:
    """The largest size in [min_size, max_size] at which `text` fits the box, or None."""
    if not text.strip():
        return None
    size = max_size
    while size >= min_size:
        block = layout_block(text, path, size, max_width, line_spacing, balance=False)
        if len(block.lines) <= max_lines and block.height <= max_height and block.width <= max_width:
            # Balancing keeps the line count and only narrows lines, so the block still fits.
            return layout_block(text, path, size, max_width, line_spacing, balance) if balance else block
        size -= step
    return None


def layout_block(
    text: str, path: Path, size: int, max_width: int, line_spacing: float, balance: bool = True
) -> TextBlock:
    f = font(path, size)
    lines = balanced_wrap(text, f, max_width) if balance else wrap(text, f, max_width)
    ascent, descent = f.getmetrics()
    width = max((round(f.getlength(line) + 0.5) for line in lines), default=0)
    return TextBlock(
        lines=tuple(lines),
        path=path,
        size=size,
        line_height=round(size * line_spacing),
        ascent=ascent,
        descent=descent,
        width=width,
    )
