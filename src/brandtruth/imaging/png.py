"""A fast, deterministic PNG writer for 8-bit RGB/RGBA arrays.

Pillow's PNG encoder spends most of a creative's time budget on adaptive filtering and deflate
(100-200 ms for a 1080x1080 photo here). Creatives only need a correct, lossless, metadata-free
file, so this writer applies the PNG "Up" filter with numpy and deflates with ISA-L (`isal`) at
level 1: about a quarter of the CPU of zlib's fastest (level 1, RLE) setting on a creative, and
a slightly smaller file. Fixed row bands are deflated independently (and concurrently: the
compressor releases the GIL) and joined with sync flushes, the way pigz does. Output depends only
on the pixels and the ISA-L build: the band split is fixed, never derived from the number of
CPUs, and no timestamps or text chunks are written. Any PNG reader decodes it (it is a single
ordinary zlib stream).
"""

from __future__ import annotations

import struct
import zlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
from isal import isal_zlib

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_BANDS = 4
_LEVEL = 1
_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="png-deflate")


def _chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(payload, zlib.crc32(kind)) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def _deflate_band(data: bytes, last: bool) -> bytes:
    comp = isal_zlib.compressobj(_LEVEL, isal_zlib.DEFLATED, -15, 9)
    out = comp.compress(data)
    return out + comp.flush(isal_zlib.Z_FINISH if last else isal_zlib.Z_SYNC_FLUSH)


def encode_png(pixels: npt.NDArray[np.uint8]) -> bytes:
    """Encode an (H, W, 3) or (H, W, 4) uint8 array as PNG bytes."""
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] not in (3, 4):
        raise ValueError(f"expected (H, W, 3|4) uint8 pixels, got {pixels.shape} {pixels.dtype}")
    h, w, channels = pixels.shape
    rows = np.ascontiguousarray(pixels).reshape(h, w * channels)
    filtered = np.empty((h, w * channels + 1), dtype=np.uint8)
    filtered[:, 0] = 2  # "Up": each byte minus the byte above it
    filtered[0, 0] = 0  # the first row has nothing above it
    filtered[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=filtered[1:, 1:])
    raw = filtered.tobytes()
    row_bytes = filtered.shape[1]
    bands = max(1, min(_BANDS, h))
    cuts = [round(i * h / bands) * row_bytes for i in range(bands + 1)]
    pieces = [raw[cuts[i] : cuts[i + 1]] for i in range(bands)]
    futures = [_pool.submit(_deflate_band, piece, i == bands - 1) for i, piece in enumerate(pieces)]
    body = b"".join(f.result() for f in futures)
    stream = b"\x78\x01" + body + struct.pack(">I", zlib.adler32(raw) & 0xFFFFFFFF)
    color_type = 2 if channels == 3 else 6
    ihdr = struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0)
    return _SIGNATURE + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")
