"""A fast, deterministic PNG writer for 8-bit RGB/RGBA arrays.

Pillow's PNG encoder spends most of a creative's time budget on adaptive filtering and deflate
(100-200 ms for a 1080x1080 photo here). Creatives only need a correct, lossless, metadata-free
file, so this writer applies the PNG "Up" filter with numpy and deflates with ISA-L (`isal`) at
level 1: about a quarter of the CPU of zlib's fastest (level 1, RLE) setting on a creative, and
a slightly smaller file. Fixed row bands are deflated independently (and concurrently: the
compressor releases the GIL) and joined with sync flushes, the way pigz does. On one machine the
output depends only on the pixels: the band split is fixed, never derived from the number of
CPUs, and no timestamps or text chunks are written (ISA-L may pick another SIMD code path, and so
other but equally valid bytes, on another CPU; the pixels never differ). Any PNG reader decodes
it (it is a single ordinary zlib stream).
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


def decode_own_png(data: bytes, max_pixels: int = 80_000_000) -> npt.NDArray[np.uint8] | None:
    """Pixels of a PNG that `encode_png` wrote, as (H, W, 3|4) RGB(A); None for any other PNG.

    Score and the contact sheet read back every creative compose wrote. Knowing the layout (one
    IDAT, "Up" filter on every row but the first), inflating with ISA-L and undoing the filter
    row by row takes ~8 ms for a 1080x1920 creative where a general decoder takes ~13 ms. Anything
    else (other filters, interlacing, palettes, several chunks, a bad checksum) returns None and
    the caller uses a general decoder, which also reports damage properly.
    """
    if not data.startswith(_SIGNATURE) or len(data) < 57 or data[8:16] != b"\x00\x00\x00\x0dIHDR":
        return None
    w, h, depth, color_type, _comp, _filter, interlace = struct.unpack(">IIBBBBB", data[16:29])
    if depth != 8 or color_type not in (2, 6) or interlace != 0 or not 0 < w * h <= max_pixels:
        return None
    channels = 3 if color_type == 2 else 4
    at = 33  # after the IHDR chunk
    (length,) = struct.unpack(">I", data[at : at + 4])
    end = at + 12 + length
    if data[at + 4 : at + 8] != b"IDAT" or data[end : end + 12] != _chunk(b"IEND", b""):
        return None
    try:
        raw = isal_zlib.decompress(data[at + 8 : at + 8 + length])  # checks the stream's adler32
    except Exception:  # isal_zlib.error (IsalError), untyped in its stubs: damaged data
        return None
    row_bytes = w * channels + 1
    if len(raw) != h * row_bytes:
        return None
    filtered = np.frombuffer(raw, dtype=np.uint8).reshape(h, row_bytes)
    if filtered[0, 0] != 0 or (h > 1 and not bool((filtered[1:, 0] == 2).all())):
        return None
    out = np.empty((h, w * channels), dtype=np.uint8)
    out[0] = filtered[0, 1:]
    body = filtered[:, 1:]
    for y in range(1, h):  # "Up": each byte plus the byte above it, modulo 256
        np.add(out[y - 1], body[y], out=out[y])
    return out.reshape(h, w, channels)
