"""The site's own look read from CSS: primary button, font families and classes, @font-face files,
and a web font's licence read from its name table."""

from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont

from brandtruth.imaging.typefaces import FontRejected, bundled, parse_font
from brandtruth.stages.extract.assets import absolutise_urls, svg_words
from brandtruth.stages.extract.colors import parse_css
from brandtruth.stages.extract.fonts import faces_to_fetch
from brandtruth.stages.extract.styles import PILL, button_style, font_class, radius_px, typography

CSS = """
:root { --brand: #2b6cb0; --radius: 0.5rem; }
.btn { padding: 12px; border-radius: var(--radius); background-color: #e2e8f0; color: #111; }
.btn-primary { background-color: var(--brand); color: #ffffff; }
.btn-primary:hover { background-color: #1e4e8c; }
.btn-outline { background: transparent; color: var(--brand); }
.hero .btn-primary { background-color: #ff00ff; }
body { font-family: "Inter", -apple-system, sans-serif; }
h1, h2 { font-family: 'Playfair Display', Georgia, serif; }
@font-face { font-family: "Playfair Display"; src: url(/f/pf-400.woff2) format("woff2"); font-weight: 400; }
@font-face { font-family: "Playfair Display"; src: local("PF"), url(/f/pf-700.ttf) format("truetype"),
  url(/f/pf-700.woff2) format("woff2"); font-weight: 700; }
@font-face { font-family: "Playfair Display"; src: url(/f/pf-700i.woff2); font-weight: 700; font-style: italic; }
@font-face { font-family: "Inter"; src: url(data:font/woff2;base64,AAAA) format("woff2"); }
"""


def test_the_primary_button_is_the_clearest_filled_rule() -> None:
    button = button_style(parse_css([CSS]))
    assert button is not None
    assert (button.fill, button.text, button.selector) == ("#2b6cb0", "#ffffff", ".btn-primary")
    assert button.radius_px == 8.0  # from the base .btn, 0.5rem


def test_no_filled_button_is_no_style() -> None:
    assert button_style(parse_css([".btn { background: transparent; color: #333 }"])) is None


@pytest.mark.parametrize(
    ("value", "px"), [("6px", 6.0), ("0.25rem", 4.0), ("999px", PILL), ("50%", PILL), ("0", 0.0), ("auto", None)]
)
def test_radius_in_css_px(value: str, px: float | None) -> None:
    assert radius_px(value) == px


def test_families_and_classes() -> None:
    (head, head_class), (body, body_class) = typography(parse_css([CSS]))
    assert (head, head_class, body, body_class) == ("Playfair Display", "serif", "Inter", "sans")
    assert font_class('"Oswald", Impact, sans-serif') == "display"
    assert font_class("Merriweather") == "serif" and font_class("'Source Sans 3'") == "sans"


def test_faces_to_fetch_prefer_woff2_and_the_wanted_weights() -> None:
    css = parse_css([CSS])
    faces = faces_to_fetch(css, "https://b.example/", ["Playfair Display", "Inter"])
    urls = [f.url for f in faces]
    assert urls[0] == "https://b.example/f/pf-700.woff2"  # headline weight first, woff2 over ttf
    assert "https://b.example/f/pf-400.woff2" in urls
    assert all("700i" not in u and not u.startswith("data:") for u in urls)


def test_stylesheet_urls_are_made_absolute() -> None:
    css = '@font-face { src: url("../fonts/a.woff2") } .x { background: url(data:image/png;base64,AA) }'
    fixed = absolutise_urls(css, "https://b.example/assets/site.css")
    assert 'url("https://b.example/fonts/a.woff2")' in fixed and "url(data:image/png;base64,AA)" in fixed


def _renamed(licence: str | None) -> bytes:
    font = TTFont(str(bundled()["Source Sans Pro"].regular))
    if licence is not None:
        font["name"].removeNames(nameID=13)
        font["name"].removeNames(nameID=14)
        if licence:
            font["name"].setName(licence, 13, 3, 1, 0x409)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def test_a_fonts_licence_decides_whether_ads_may_use_it() -> None:
    ofl = parse_font(_renamed(None))
    assert (ofl.licence, ofl.usable, ofl.font_class, ofl.weight) == ("OFL", True, "sans", 400)
    assert ofl.sfnt[:4] == b"\x00\x01\x00\x00"  # woff2 converted to plain TrueType
    assert not parse_font(_renamed("Copyright Acme Type. All rights reserved.")).usable
    assert not parse_font(_renamed("")).usable  # no licence at all: not used
    apache = parse_font(_renamed("Licensed under the Apache License, Version 2.0"))
    assert apache.licence == "Apache" and apache.usable


def test_not_a_font_is_rejected() -> None:
    with pytest.raises(FontRejected):
        parse_font(b"<!DOCTYPE html><p>404</p>")
    with pytest.raises(FontRejected):
        parse_font(b"wOF2" + b"\x00" * 200)
    with pytest.raises(FontRejected):
        parse_font(b"\x00\x01\x00\x00" + b"\x00" * 4_000_000)


def test_svg_words_are_the_wordmark() -> None:
    svg = b'<svg><text x="1" font-family="X">Marlowe &amp; <tspan>Finch</tspan></text></svg>'
    assert svg_words(svg) == "Marlowe & Finch"
