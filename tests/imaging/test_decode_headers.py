"""Probing a PNG's size reads its header only; EXIF orientation before the pixels is honoured."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageFile

from brandtruth.imaging.decode import decode_image, probe_size
from brandtruth.imaging.png import encode_png


def _png(w: int, h: int, orientation: int | None = None) -> bytes:
    img = Image.new("RGB", (w, h), (200, 30, 30))
    img.paste((20, 20, 220), (0, 0, w // 4, h // 8))  # a marker in the top-left corner
    buf = io.BytesIO()
    if orientation is None:
        img.save(buf, "PNG")
    else:
        exif = Image.Exif()
        exif[0x0112] = orientation
        img.save(buf, "PNG", exif=exif.tobytes())
    return buf.getvalue()


def test_probe_reads_the_header_of_a_png_whose_pixels_are_cut_off() -> None:
    data = _png(640, 360)
    idat = data.index(b"IDAT")
    truncated = data[: idat + 20]  # header intact, pixel data gone
    assert probe_size(truncated) == (640, 360)


def test_png_orientation_rotates_in_probe_and_decode_alike() -> None:
    data = _png(80, 40, orientation=6)  # stored landscape, shown rotated 90° clockwise
    assert probe_size(data) == (40, 80)
    img = decode_image(data)
    assert img.size == (40, 80)
    marker = img.getpixel((img.width - 1, 0))
    assert marker == (20, 20, 220), "the stored top-left corner is now top-right"


def test_probing_a_png_never_decodes_its_pixels(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[str] = []
    original = ImageFile.ImageFile.load

    def counting_load(self: ImageFile.ImageFile) -> object:
        loads.append(str(self.format))
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting_load)
    rng = np.random.default_rng(7)
    data = encode_png(rng.integers(0, 255, (1920, 1080, 3), dtype=np.uint8))
    assert probe_size(data) == (1080, 1920)
    assert probe_size(_png(80, 40, orientation=6)) == (40, 80)
    assert loads == [], "a size probe must not pay for a full decode"
    decode_image(data)
    assert loads == ["PNG"], "decoding loads exactly once"
