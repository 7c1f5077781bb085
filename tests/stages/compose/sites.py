"""Fixture brand sites for the compose tests whose binary parts are made here, not committed.

The HTML, CSS and SVG live in `tests/fixtures/sites/<name>/`; `build_site` copies a site to a
temporary directory and writes what it needs beside them: web fonts made from the bundled OFL
fonts with fontTools (renamed to the site's own family, subset to Latin; one rewritten to carry a
proprietary licence, one that is not a font at all), a logo mark and photos (one carrying its
own lettering, as a sale banner photo would).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

from brandtruth.imaging.typefaces import bundled

from .conftest import encode, photo

SITES = Path(__file__).resolve().parents[2] / "fixtures" / "sites"
PROPRIETARY = (
    "Copyright 2024 Northwind Type Foundry. All rights reserved. Licensed to Northwind Atelier for use "
    "on northwind-atelier.example only; any other use requires a commercial licence."
)
_LATIN = [*range(0x20, 0x7F), 0xA0, 0xA9, 0xE9, 0x2013, 0x2014, 0x2019, 0x201C, 0x201D, 0x2022]


def make_font(source: Path, family: str, flavor: str | None, licence: str | None = None) -> bytes:
    """A copy of `source` renamed to `family` (name IDs 1, 4, 6, 16), subset to Latin, saved as
    woff2 / woff / plain sfnt; with `licence`, name IDs 13 and 14 say that instead of the OFL."""
    font = TTFont(str(source))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.layout_features = ["*"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=_LATIN)
    sub.subset(font)
    name = font["name"]
    style = name.getDebugName(2) or "Regular"
    for record in list(name.names):
        if record.nameID in (16, 17, 13, 14, 3):
            name.removeNames(nameID=record.nameID)
    name.setName(family, 1, 3, 1, 0x409)
    name.setName(f"{family} {style}", 4, 3, 1, 0x409)
    name.setName(f"{family.replace(' ', '')}-{style.replace(' ', '')}", 6, 3, 1, 0x409)
    name.setName(f"{family} {style} (test fixture)", 3, 3, 1, 0x409)
    if licence is None:
        name.setName("This Font Software is licensed under the SIL Open Font License, Version 1.1.", 13, 3, 1, 0x409)
        name.setName("https://openfontlicense.org", 14, 3, 1, 0x409)
    else:
        name.setName(licence, 13, 3, 1, 0x409)
        name.setName("https://northwind-type.example/eula", 14, 3, 1, 0x409)
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def mark_png(color: tuple[int, int, int] = (43, 108, 176)) -> bytes:
    """A square brand mark with no lettering (so the brand name must be set beside it)."""
    img = Image.new("RGBA", (192, 192), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((8, 8, 184, 184), fill=(*color, 255))
    draw.polygon([(60, 140), (96, 48), (132, 140)], fill=(245, 241, 234, 255))
    return encode(img)


def photo_with_lettering(width: int, height: int, seed: int) -> Image.Image:
    """A photo carrying its own big lettering in its upper left quarter (a sale banner)."""
    img = photo(width, height, seed)
    draw = ImageDraw.Draw(img)
    bold = ImageFont.truetype(str(bundled()["Roboto"].bold), round(height * 0.09))
    draw.text((round(width * 0.06), round(height * 0.08)), "SUMMER SALE", font=bold, fill=(255, 240, 60))
    draw.text((round(width * 0.06), round(height * 0.19)), "20% OFF", font=bold, fill=(255, 255, 255))
    return img


def build_site(name: str, dest: Path) -> Path:
    """Copy fixture site `name` to `dest` and write its generated fonts and pictures."""
    root = dest / name
    shutil.copytree(SITES / name, root)
    (root / "assets" / "img").mkdir(parents=True, exist_ok=True)
    fonts = root / "fonts"
    fonts.mkdir(exist_ok=True)
    serif, sans = bundled()["Source Serif Pro"], bundled()["Source Sans Pro"]
    if name == "serif_bakery":
        (fonts / "marlowe-display-bold.woff2").write_bytes(make_font(serif.bold, "Marlowe Display", "woff2"))
        (fonts / "marlowe-text-regular.woff").write_bytes(make_font(serif.regular, "Marlowe Text", "woff"))
        (fonts / "marlowe-text-semibold.ttf").write_bytes(make_font(serif.medium, "Marlowe Text", None))
        (root / "assets" / "img" / "hero.jpg").write_bytes(encode(photo(1600, 1067, 5), "JPEG", quality=90))
    elif name == "atelier_fonts":
        grotesk = "Northwind Grotesk"
        (fonts / "northwind-grotesk-bold.woff2").write_bytes(make_font(sans.bold, grotesk, "woff2", PROPRIETARY))
        (fonts / "northwind-grotesk-regular.woff2").write_bytes(make_font(sans.regular, grotesk, "woff2", PROPRIETARY))
        (fonts / "northwind-text.woff2").write_bytes(b"<!DOCTYPE html><html><body>Not found</body></html>")
        (root / "assets" / "mark.png").write_bytes(mark_png())
        (root / "assets" / "img" / "hero.jpg").write_bytes(encode(photo(1400, 1400, 8), "JPEG", quality=90))
    elif name == "kayak_hero":
        hero = photo_with_lettering(1600, 1000, 13)
        (root / "assets" / "img" / "hero.jpg").write_bytes(encode(hero, "JPEG", quality=90))
    return root
