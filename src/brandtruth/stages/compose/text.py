"""Fitting text into a box: wrap, balance, and auto-size without ever overflowing.

A block either fits entirely (every line within the width, all lines within the height and the
line limit) or the caller gets None and decides what to drop. Words wider than the box are broken
with a hyphen rather than allowed to run off the edge.
"""

from __future__ import annotations

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


def wrap(text: str, f: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Greedy word wrap; every returned line measures at most `max_width` (if any char fits)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if f.getlength(word) > max_width:
            if current:
                lines.append(current)
                current = ""
            pieces = _break_word(word, f, max_width)
            lines.extend(pieces[:-1])
            current = pieces[-1]
            continue
        trial = f"{current} {word}" if current else word
        if f.getlength(trial) <= max_width:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def balanced_wrap(text: str, f: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Wrap into as few lines as greedy wrapping needs, but with lines of similar length.

    Narrows the width while the line count stays the same, which avoids a lone last word.
    """
    lines = wrap(text, f, max_width)
    if len(lines) <= 1:
        return lines
    lo, hi = max_width * 0.5, max_width
    best = lines
    for _ in range(8):
        mid = (lo + hi) / 2
        trial = wrap(text, f, mid)
        if len(trial) == len(lines) and all(f.getlength(line) <= mid for line in trial):
            best, hi = trial, mid
        else:
            lo = mid
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
