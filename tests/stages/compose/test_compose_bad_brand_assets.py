"""A logo or web font that cannot be used is a warning and a fallback, never a failed run."""

from __future__ import annotations

import pytest

from brandtruth.imaging.typefaces import bundled, covers
from brandtruth.models.brand import LogoAsset, Typography, WebFont
from brandtruth.models.creative import AdFormat
from brandtruth.stages.compose.faces import resolve_faces

from .conftest import Kit, encode, photo, variant
from .sites import make_font
from .test_compose_creatives import compose_for

pytestmark = pytest.mark.timeout(180)


def _typography(kit: Kit, data: bytes, family: str = "Brand Serif") -> Typography:
    ref = kit.put(data, "brand-serif.ttf", "font/ttf")
    font = WebFont(
        family=family,
        url="https://b.test/f.ttf",
        weight=700,
        font_class="serif",
        licence="OFL",
        usable=True,
        artifact=ref,
    )
    return Typography(
        heading_family=family, heading_class="serif", body_family=family, body_class="serif", web_fonts=[font]
    )


async def test_unreadable_logo_and_font_fall_back_with_warnings(kit: Kit) -> None:
    profile = kit.profile(images=[kit.image_asset(encode(photo(1400, 1400, 3), "JPEG"))])
    bad_logo = kit.put(b"<html>this is not an image</html>", "logo.png")
    profile.assets.logo = LogoAsset(url="https://b.test/logo.png", artifact=bad_logo)
    profile.assets.typography = _typography(kit, b"\x00\x01\x00\x00" + b"garbage" * 50)
    result = await compose_for(kit, profile, [variant("v1")], formats=[AdFormat.SQUARE, AdFormat.LANDSCAPE])
    assert len(result.creatives) == 2
    assert any("logo unusable" in w for w in result.warnings), result.warnings
    assert any("web font Brand Serif unreadable" in w for w in result.warnings), result.warnings
    for creative in result.creatives:
        layout = creative.layout
        assert layout.logo_kind == "name"  # the brand name stands in for the logo
        brand = next(t for t in layout.text_boxes if t.role == "brand")
        assert brand.text == "Routewise" and brand.contrast >= 4.5
        head = next(t for t in layout.text_boxes if t.role == "headline")
        assert head.font_family == "Source Serif Pro"  # the bundled family of the site font's class


def test_an_open_site_font_is_used_and_a_missing_glyph_falls_back(kit: Kit) -> None:
    data = make_font(bundled()["Source Sans Pro"].bold, "Brand Sans", None)  # OFL, Latin only
    profile = kit.profile()
    profile.assets.typography = _typography(kit, data, family="Brand Sans")
    warnings: list[str] = []
    faces = resolve_faces(profile, kit.store, warnings)
    assert warnings == [] and faces.heading.source == "site"
    assert faces.for_text("heading", "Fresh bread daily").path == faces.heading.path
    assert faces.heading.family == "Brand Sans"
    # The site font has no Cyrillic: that text falls back to a bundled face that draws it.
    stand_in = faces.for_text("heading", "Свежий хлеб")
    assert stand_in.source == "bundled" and covers(stand_in.path, "Свежий хлеб")
