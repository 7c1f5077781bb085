"""The PNG writer's own reader: exact round trips, and None (general decoder) for anything else."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from brandtruth.imaging.png import decode_own_png, encode_png


@pytest.mark.parametrize("shape", [(1, 1, 3), (2, 9, 4), (64, 33, 3), (1350, 1080, 3)])
def test_reads_back_exactly_what_was_written(shape: tuple[int, int, int]) -> None:
    pixels = np.random.default_rng(sum(shape)).integers(0, 256, shape, dtype=np.uint8)
    out = decode_own_png(encode_png(pixels))
    assert out is not None and out.dtype == np.uint8
    assert np.array_equal(out, pixels)


def pillow_png(pixels: np.ndarray, **options: object) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "PNG", **options)
    return buf.getvalue()


def test_other_pngs_and_damage_are_left_to_the_general_decoder() -> None:
    pixels = np.random.default_rng(3).integers(0, 256, (40, 30, 3), dtype=np.uint8)
    ours = encode_png(pixels)
    assert decode_own_png(pillow_png(pixels)) is None  # adaptive filters
    assert decode_own_png(pillow_png(pixels[..., 0])) is None  # greyscale
    flipped = bytearray(ours)
    flipped[60] ^= 0x40  # inside the compressed pixels: the stream's checksum no longer matches
    assert decode_own_png(bytes(flipped)) is None
    assert decode_own_png(ours[:-12]) is None  # no IEND
    extra = struct.pack(">I", 4) + b"tEXt" + b"a\x00bc" + struct.pack(">I", zlib.crc32(b"tEXta\x00bc"))
    assert decode_own_png(ours[:-12] + extra + ours[-12:]) is None  # a chunk it does not expect
    assert decode_own_png(b"GIF89a" + ours[6:]) is None
    huge = bytearray(ours)
    huge[16:24] = struct.pack(">II", 100_000, 100_000)
    assert decode_own_png(bytes(huge)) is None  # never inflates past the pixel cap
