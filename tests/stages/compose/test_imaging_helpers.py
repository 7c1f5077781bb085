"""The shared imaging helpers (brandtruth.imaging) and text fitting that compose relies on."""

from __future__ import annotations

import io
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from brandtruth.errors import UnsupportedContentError
from brandtruth.imaging.analysis import ImageAnalysis, crop_for_aspect
from brandtruth.imaging.color import (
    NEAR_BLACK,
    WHITE,
    color_contrast,
    estimate_text_contrast,
    measured_contrast,
    parse_hex,
)
from brandtruth.imaging.decode import decode_image, probe_size
from brandtruth.imaging.png import encode_png
from brandtruth.stages.compose.fonts import BOLD, clean_text, font
from brandtruth.stages.compose.typeset import fit_block

from .conftest import encode


@pytest.mark.parametrize("shape", [(1, 1, 3), (7, 5, 4), (64, 33, 3), (1080, 1080, 3)])
def test_png_round_trips_and_is_deterministic(shape: tuple[int, int, int]) -> None:
    pixels = np.random.default_rng(sum(shape)).integers(0, 256, shape, dtype=np.uint8)
    data = encode_png(pixels)
    assert data == encode_png(pixels.copy())
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        assert np.array_equal(np.asarray(img), pixels)
    # The zlib stream is a single valid one (checksum included), not just something Pillow tolerates.
    idat = data[data.index(b"IDAT") + 4 : data.index(b"IEND") - 8]
    raw = zlib.decompress(idat)
    assert len(raw) == shape[0] * (shape[1] * shape[2] + 1)


def test_wcag_contrast_reference_values() -> None:
    assert color_contrast(WHITE, (0, 0, 0)) == pytest.approx(21.0)
    assert color_contrast(WHITE, WHITE) == pytest.approx(1.0)
    # WebAIM reference: #767676 on white is 4.54:1.
    assert color_contrast(parse_hex("#767676"), WHITE) == pytest.approx(4.54, abs=0.01)
    with pytest.raises(ValueError):
        parse_hex("#12345")


def test_measured_contrast_reports_the_worst_percentile() -> None:
    bg = np.full((100, 100, 3), 255, dtype=np.uint8)
    bg[:5] = 119  # 5 % of the pixels are mid-grey: the 1st percentile sees them
    assert measured_contrast(NEAR_BLACK, bg) < 7.0
    mask = np.ones((100, 100), dtype=bool)
    mask[:5] = False
    assert measured_contrast(NEAR_BLACK, bg, mask=mask) > 18.0


def test_estimate_text_contrast_without_knowing_colours() -> None:
    img = Image.new("RGB", (600, 120), (250, 250, 250))
    ImageDraw.Draw(img).text((10, 10), "Readable", font=font(BOLD, 80), fill=(20, 20, 20))
    assert estimate_text_contrast(np.asarray(img)) > 12
    faint = Image.new("RGB", (600, 120), (250, 250, 250))
    ImageDraw.Draw(faint).text((10, 10), "Faint", font=font(BOLD, 80), fill=(215, 215, 215))
    assert estimate_text_contrast(np.asarray(faint)) < 1.5


def test_decode_normalises_modes_and_orientation() -> None:
    base = Image.new("RGB", (300, 200), (200, 30, 30))
    cmyk = decode_image(encode(base.convert("CMYK"), "JPEG"))
    assert cmyk.mode == "RGB" and cmyk.size == (300, 200)
    pal = base.quantize(8)
    pal.info["transparency"] = 0
    assert decode_image(encode(pal, "PNG", transparency=0)).mode in ("RGB", "RGBA")
    la = Image.new("LA", (50, 40), (128, 100))
    assert decode_image(encode(la)).mode == "RGBA"
    opaque_rgba = Image.new("RGBA", (50, 40), (1, 2, 3, 255))
    assert decode_image(encode(opaque_rgba)).mode == "RGB"
    sixteen = Image.fromarray(np.full((20, 30), 65535, dtype=np.uint16))
    out = decode_image(encode(sixteen))
    assert out.mode == "RGB" and np.asarray(out).min() == 255
    exif = Image.Exif()
    exif[0x0112] = 8
    rotated = encode(base, "JPEG", exif=exif.tobytes())
    assert probe_size(rotated) == (200, 300)
    assert decode_image(rotated).size == (200, 300)
    assert decode_image(rotated, min_size=(50, 50)).size[1] >= 50


def test_decode_refuses_bombs_and_garbage() -> None:
    huge = Image.new("1", (12_000, 9_000))
    with pytest.raises(UnsupportedContentError):
        decode_image(encode(huge))
    with pytest.raises(UnsupportedContentError):
        decode_image(b"GIF89a\x00\x00")
    with pytest.raises(UnsupportedContentError):
        probe_size(b"")


def test_crop_keeps_faces_in_frame() -> None:
    h, w = 100, 300
    sal = np.zeros((h, w), dtype=np.float32)
    sal[40:60, 20:40] = 1.0  # a busy patch on the left
    analysis = ImageAnalysis(
        width=3000,
        height=1000,
        scale=0.1,
        rgb=np.zeros((h, w, 3), np.uint8),
        saliency=sal,
        edges=np.zeros((h, w), np.float32),
        faces=[(250, 30, 280, 60)],
    )
    (left, _top, right, _bottom), _kept = crop_for_aspect(analysis, 1.0)
    assert right - left == 1000
    assert left <= 2500 and right >= 2800  # the face (x 2500-2800 at full size) is kept


def test_clean_text_drops_what_the_font_cannot_draw() -> None:
    text, dropped = clean_text("  Café\u200b  au lait 🚀\x07 — 50%\u00a0off  ")
    assert text == "Café au lait — 50% off"
    assert dropped


words = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,.!?'&", min_size=1, max_size=40
)


@settings(max_examples=40, deadline=None)
@given(st.lists(words, min_size=1, max_size=14), st.integers(min_value=120, max_value=950))
def test_fitted_text_never_overflows(parts: list[str], width: int) -> None:
    text = " ".join(parts)
    block = fit_block(
        text, BOLD, max_size=84, min_size=20, max_width=width, max_height=2000, max_lines=40, line_spacing=1.1
    )
    assert block is not None
    f = font(BOLD, block.size)
    assert all(f.getlength(line) <= width for line in block.lines)
    # Nothing lost: the words come back once hyphenated breaks are undone.
    assert "".join(block.lines).replace(" ", "").replace("-", "") == text.replace(" ", "").replace("-", "")
