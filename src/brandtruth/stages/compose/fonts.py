"""Bundled fonts (Roboto, Apache-2.0, from the `font-roboto` package) and safe text preparation.

Never a system font: output must look the same on every worker. Text comes from websites and
LLMs, so it is untrusted: it is normalised, stripped of control/format characters, and of any
character Roboto cannot draw (which would otherwise render as empty boxes), and it is only ever
passed to Pillow as a string to draw.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import font_roboto
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path(font_roboto.font_directory)
BOLD = FONT_DIR / "Roboto-Bold.ttf"
MEDIUM = FONT_DIR / "Roboto-Medium.ttf"
REGULAR = FONT_DIR / "Roboto-Regular.ttf"

_local = threading.local()
_MISSING_PROBE = "\U000f0000"  # a private-use code point no text font maps


def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A cached font object per thread (FreeType faces are not shared across threads)."""
    cache: dict[tuple[Path, int], ImageFont.FreeTypeFont] | None = getattr(_local, "fonts", None)
    if cache is None:
        cache = {}
        _local.fonts = cache
    key = (path, size)
    f = cache.get(key)
    if f is None:
        f = ImageFont.truetype(str(path), size)
        cache[key] = f
    return f


def _glyph_image(ch: str) -> tuple[float, bytes]:
    f = ImageFont.truetype(str(REGULAR), 32)
    img = Image.new("L", (64, 64), 0)
    ImageDraw.Draw(img).text((8, 8), ch, font=f, fill=255)
    return f.getlength(ch), np.asarray(img).tobytes()


@lru_cache(maxsize=1)
def _missing_glyph() -> tuple[float, bytes]:
    return _glyph_image(_MISSING_PROBE)


@lru_cache(maxsize=4096)
def has_glyph(ch: str) -> bool:
    """Whether Roboto draws `ch` (a missing glyph renders exactly like the private-use probe)."""
    if ch == " ":
        return True
    return _glyph_image(ch) != _missing_glyph()


_DASHES = {"\u2010": "-", "\u2011": "-", "\u00ad": ""}


def clean_text(text: str) -> tuple[str, bool]:
    """NFC-normalised, single-spaced text with only drawable characters.

    Returns (clean, dropped) where `dropped` says characters were removed, so the caller can warn.
    """
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    dropped = False
    for ch in text:
        ch = _DASHES.get(ch, ch)
        if not ch:
            continue
        cat = unicodedata.category(ch)
        if ch.isspace() or cat in ("Zs", "Zl", "Zp"):
            out.append(" ")
            continue
        if cat[0] == "C" or (cat in ("Mn", "Me") and not has_glyph(ch)):
            dropped = dropped or cat not in ("Cc", "Cf")
            continue
        if not has_glyph(ch):
            dropped = True
            out.append(" ")
            continue
        out.append(ch)
    return " ".join("".join(out).split()), dropped
