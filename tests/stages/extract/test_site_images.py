"""Image validation: bombs, orientation, icons, SVG safety, format normalisation."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from brandtruth.stages.extract.site_images import (
    ImageRejected,
    dominant_colors,
    logo_png,
    rasterise_svg,
    svg_size,
    validate_image,
)


def _png(width: int, height: int, mode: str = "RGB", color: object = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), color).save(out, format="PNG")  # type: ignore[arg-type]
    return out.getvalue()


def _bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width×height (the IDAT holds one compressed row only)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


@pytest.mark.parametrize("size", [(20_000, 20_000), (10_000, 5_000)])
def test_decompression_bomb_is_refused_before_decoding(size: tuple[int, int]) -> None:
    with pytest.raises(ImageRejected, match="bomb"):
        validate_image(_bomb_png(*size), "image/png")


def test_exif_orientation_is_applied() -> None:
    img = Image.new("RGB", (300, 100), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    valid = validate_image(out.getvalue(), "image/jpeg")
    assert (valid.width, valid.height) == (100, 300)
    assert valid.content_type == "image/jpeg"


def test_icons_and_pixels_are_dropped() -> None:
    with pytest.raises(ImageRejected, match="too small"):
        validate_image(_png(1, 1), "image/png")
    with pytest.raises(ImageRejected, match="too small"):
        validate_image(_png(32, 32), "image/png")
    with pytest.raises(ImageRejected, match="aspect"):
        validate_image(_png(2000, 80), "image/png")


def test_not_an_image() -> None:
    with pytest.raises(ImageRejected, match="not a readable image"):
        validate_image(b"<html>hello</html>", "image/jpeg")


@pytest.mark.parametrize(("mode", "expected"), [("CMYK", "RGB"), ("P", "RGB"), ("RGBA", "RGBA"), ("L", "RGB")])
def test_modes_are_normalised(mode: str, expected: str) -> None:
    color: object = (0, 0, 0, 0) if mode == "RGBA" else 0 if mode in {"P", "L"} else (10, 20, 30, 40)
    out = io.BytesIO()
    Image.new(mode, (200, 200), color).save(out, format="TIFF" if mode == "CMYK" else "PNG")  # type: ignore[arg-type]
    valid = validate_image(out.getvalue())
    with Image.open(io.BytesIO(valid.data)) as img:
        assert img.mode == expected


SAFE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    b'<rect width="40" height="20" fill="#0e7c66"/></svg>'
)


def test_svg_is_rasterised_to_a_usable_size() -> None:
    assert svg_size(SAFE_SVG.decode()) == (40.0, 20.0)
    png, width, height = logo_png(SAFE_SVG, "image/svg+xml")
    assert (width, height) == (512, 256)  # vectors are rendered at the full logo size
    colors = dominant_colors(png)
    assert colors[0][0] == (14, 124, 102) and colors[0][1] > 0.95


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("http://169.254.169.254/")</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<image xlink:href="http://169.254.169.254/x.png"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    ],
)
def test_dangerous_svg_is_refused(svg: bytes) -> None:
    with pytest.raises(ImageRejected):
        rasterise_svg(svg)


def test_huge_declared_svg_is_rendered_small() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="50000"><rect width="10" height="10"/></svg>'
    png = rasterise_svg(svg, max_side=800)
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (800, 400)
