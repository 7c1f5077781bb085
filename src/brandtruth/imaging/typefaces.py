"""Typefaces both extract (SVG logos with their text) and compose (ad copy) draw with.

Bundled families come from PyPI packages with open licences, never from system font paths, so
output is the same on every worker: Roboto (Apache-2.0, the default sans), Source Sans Pro and
Source Serif Pro (OFL) and Fjalla One (OFL, a condensed display face).

A site's own web font is read with fontTools (woff2 needs `brotli`), converted to plain sfnt
bytes, classified (sans / serif / display from its OS/2 PANOSE and width class) and checked for
a licence that allows setting ad copy in it: the name table's licence description (ID 13) or
licence URL (ID 14) must name the SIL Open Font License, the Apache License or the Ubuntu Font
Licence. Anything else ("All rights reserved", a foundry EULA, nothing at all) is not used.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from struct import error as struct_error
from typing import Literal

import font_fjallaone
import font_roboto
import font_source_sans_pro
import font_source_serif_pro
from fontTools.ttLib import TTFont, TTLibError

FontClass = Literal["sans", "serif", "display"]
#: Web font files larger than this are not downloaded or parsed (a CJK family can be 10+ MB).
MAX_FONT_BYTES = 3_000_000
_OPEN_LICENCES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("OFL", re.compile(r"open font licen[cs]e|\bOFL\b|scripts\.sil\.org/OFL|openfontlicense\.org", re.I)),
    ("Apache", re.compile(r"apache licen[cs]e|apache\.org/licenses", re.I)),
    ("UFL", re.compile(r"ubuntu font licen[cs]e|font\.ubuntu\.com/(ufl|licence)", re.I)),
)


@dataclass(frozen=True)
class Family:
    """One family's files by weight role: regular for body, medium for buttons, bold for headlines."""

    name: str
    font_class: FontClass
    regular: Path
    medium: Path
    bold: Path
    licence: str


def _dir(module: object) -> Path:
    return Path(str(module.font_directory))  # type: ignore[attr-defined]


@cache
def bundled() -> dict[str, Family]:
    """The bundled families by name."""
    roboto = _dir(font_roboto)
    sans = _dir(font_source_sans_pro)
    serif = _dir(font_source_serif_pro)
    fjalla = _dir(font_fjallaone) / "FjallaOne-Regular.ttf"
    families = [
        Family(
            "Roboto",
            "sans",
            roboto / "Roboto-Regular.ttf",
            roboto / "Roboto-Medium.ttf",
            roboto / "Roboto-Bold.ttf",
            "Apache",
        ),
        Family(
            "Source Sans Pro",
            "sans",
            sans / "SourceSansPro-Regular.ttf",
            sans / "SourceSansPro-Semibold.ttf",
            sans / "SourceSansPro-Bold.ttf",
            "OFL",
        ),
        Family(
            "Source Serif Pro",
            "serif",
            serif / "SourceSerifPro-Regular.ttf",
            serif / "SourceSerifPro-Semibold.ttf",
            serif / "SourceSerifPro-Bold.ttf",
            "OFL",
        ),
        Family("Fjalla One", "display", fjalla, fjalla, fjalla, "OFL"),
    ]
    return {f.name: f for f in families}


#: The bundled family standing in for a site font of each class.
FALLBACK: dict[FontClass, str] = {"sans": "Roboto", "serif": "Source Serif Pro", "display": "Fjalla One"}


def fallback(font_class: str) -> Family:
    name = FALLBACK.get(font_class, "Roboto")  # type: ignore[call-overload]
    return bundled()[name]


def bundled_files() -> list[str]:
    """Every bundled font file (for resvg, which renders SVG `<text>` only with fonts it is given)."""
    seen: list[str] = []
    for fam in bundled().values():
        for path in (fam.regular, fam.medium, fam.bold):
            if str(path) not in seen:
                seen.append(str(path))
    return seen


class FontRejected(ValueError):
    """Bytes that are not a usable font; the message says why."""


@dataclass(frozen=True)
class ParsedFont:
    sfnt: bytes  # plain TrueType/OpenType, whatever the web format was
    extension: str  # "ttf" or "otf"
    family: str
    weight: int
    font_class: FontClass
    licence: str  # OFL, Apache, UFL or "other"

    @property
    def usable(self) -> bool:
        return self.licence in {"OFL", "Apache", "UFL"}


def _name(font: TTFont, name_id: int) -> str:
    if "name" not in font:
        return ""
    table = font["name"]
    record = table.getDebugName(name_id)
    return str(record or "")


def licence_of(font: TTFont) -> str:
    """OFL, Apache or UFL when the name table's licence fields (IDs 13, 14) say so, else 'other'."""
    text = f"{_name(font, 13)} {_name(font, 14)}"
    for label, pattern in _OPEN_LICENCES:
        if pattern.search(text):
            return label
    return "other"


def class_of(font: TTFont, family_hint: FontClass = "sans") -> FontClass:
    """sans / serif / display from OS/2 (PANOSE family and serif style, width class)."""
    if "OS/2" not in font:
        return family_hint
    os2 = font["OS/2"]
    if getattr(os2, "usWidthClass", 5) <= 3:
        return "display"
    panose = getattr(os2, "panose", None)
    if panose is None:
        return family_hint
    family_type = int(panose.bFamilyType)
    serif_style = int(panose.bSerifStyle)
    if family_type in (3, 4):  # script, decorative
        return "display"
    if family_type == 2 and serif_style >= 11:
        return "sans"
    if family_type == 2 and 2 <= serif_style <= 10:
        return "serif"
    return family_hint


def parse_font(data: bytes, family_hint: FontClass = "sans") -> ParsedFont:
    """Read woff2/woff/ttf/otf bytes into plain sfnt bytes with family, weight, class and licence."""
    if len(data) > MAX_FONT_BYTES:
        raise FontRejected(f"font is {len(data):,} bytes, over the {MAX_FONT_BYTES:,}-byte limit")
    if data[:4] not in (b"wOF2", b"wOFF", b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise FontRejected("not a font file (woff2, woff, ttf or otf)")
    try:
        font = TTFont(io.BytesIO(data), lazy=False)
        for table in ("cmap", "name", "head", "hmtx"):
            if table not in font:
                raise FontRejected(f"font has no {table} table")
        if "glyf" not in font and "CFF " not in font:
            raise FontRejected("font has no outlines (glyf/CFF)")
        if "fvar" in font:
            raise FontRejected("variable fonts are not used (Pillow cannot pick a weight reliably)")
        font.flavor = None
        out = io.BytesIO()
        font.save(out)
    except FontRejected:
        raise
    except (TTLibError, AssertionError, KeyError, ValueError, struct_error, EOFError, OSError) as exc:
        raise FontRejected(f"font could not be read: {str(exc)[:120]}") from exc
    family = _name(font, 16) or _name(font, 1)
    weight = int(getattr(font["OS/2"], "usWeightClass", 400)) if "OS/2" in font else 400
    return ParsedFont(
        sfnt=out.getvalue(),
        extension="otf" if "CFF " in font else "ttf",
        family=family[:80],
        weight=weight,
        font_class=class_of(font, family_hint),
        licence=licence_of(font),
    )


def covers(path: Path, text: str) -> bool:
    """Whether the font at `path` maps every non-space character of `text`."""
    cmap = _cmap(str(path))
    return all(ord(ch) in cmap for ch in text if not ch.isspace())


@cache
def _cmap(path: str) -> frozenset[int]:
    try:
        font = TTFont(path, lazy=True, fontNumber=0)
        return frozenset(font.getBestCmap() or {})
    except (TTLibError, OSError, KeyError, AssertionError):
        return frozenset()
