"""Turn untrusted image bytes into a predictable Pillow image.

Site images arrive in every shape: CMYK JPEGs, palette GIFs with a transparent index, 16-bit
PNGs, EXIF-rotated phone photos, and the occasional decompression bomb. Everything downstream
wants plain 8-bit RGB (or RGBA for logos), upright, of bounded size; this module is the one place
that knows how to get there, and it raises `UnsupportedContentError` (non-retryable) otherwise.
"""

from __future__ import annotations

import io
import re
import warnings

import numpy as np
from PIL import Image, ImageOps

from brandtruth.errors import UnsupportedContentError
from brandtruth.imaging.color import RGB

#: Refuse to decode anything larger than this many pixels (a 8000 x 8000 photo is 64 MP).
MAX_PIXELS = 80_000_000

_SWAPS_AXES = {5, 6, 7, 8}
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _reason(exc: BaseException) -> str:
    """Pillow's message without object addresses ('<_io.BytesIO object at 0x7f…>'), so the same
    bad file gives the same warning in every run and every activity."""
    return _ADDRESS.sub("", str(exc))


def _orientation(img: Image.Image) -> int:
    """EXIF orientation from the file's header.

    For a PNG, Pillow's `getexif()` decodes every pixel to look for an eXIf chunk after the image
    data; only the chunk before it (where the PNG spec puts it, and where browsers honour it) is
    read here, so probing a PNG's size costs no decode and probe and decode always agree.
    """
    try:
        if img.format == "PNG":
            raw = img.info.get("exif")
            if not isinstance(raw, bytes | bytearray):
                return 1
            exif = Image.Exif()
            exif.load(bytes(raw))
        else:
            exif = img.getexif()
        value = exif.get(0x0112, 1)
    except Exception:  # broken EXIF blocks are common and harmless
        return 1
    return int(value) if isinstance(value, int) else 1


def probe_size(data: bytes) -> tuple[int, int]:
    """Upright (EXIF-oriented) size of an image from its header, without decoding the pixels."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            w, h = img.size
            if _orientation(img) in _SWAPS_AXES:
                w, h = h, w
    except Exception as exc:
        raise UnsupportedContentError(f"not a readable image: {_reason(exc)}") from exc
    return w, h


def _to_8bit(img: Image.Image) -> Image.Image:
    """Bring 16-bit/32-bit integer and float greyscale modes down to 'L'."""
    arr = np.asarray(img, dtype=np.float64)
    lo, hi = float(arr.min()), float(arr.max())
    if img.mode.startswith("I;16") or (img.mode == "I" and hi > 255):
        scaled = arr / 257.0 if hi > 255 else arr
    elif img.mode == "F" and hi <= 1.0 and lo >= 0.0:
        scaled = arr * 255.0
    else:
        scaled = arr
    return Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8), "L")


def decode_image(data: bytes, *, min_size: tuple[int, int] | None = None) -> Image.Image:
    """Decode `data` to an upright 'RGB' or 'RGBA' image (RGBA only if it has real transparency).

    `min_size` lets JPEG decoding use DCT scaling (draft mode) to skip resolution that would be
    thrown away: the result is never smaller than `min_size` in either dimension (unless the
    source is), which keeps big photos cheap to decode.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img: Image.Image = Image.open(io.BytesIO(data))
            w, h = img.size
            if w <= 0 or h <= 0 or w * h > MAX_PIXELS:
                raise UnsupportedContentError(f"image too large to decode safely ({w}x{h})")
            orientation = _orientation(img)
            if min_size is not None and img.format == "JPEG":
                want_w, want_h = min_size
                if orientation in _SWAPS_AXES:
                    want_w, want_h = want_h, want_w
                img.draft(img.mode if img.mode in ("RGB", "L") else None, (want_w, want_h))
            img.load()
    except UnsupportedContentError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UnsupportedContentError(f"image rejected as a decompression bomb: {_reason(exc)}") from exc
    except Exception as exc:  # Pillow raises many types for truncated/corrupt data
        raise UnsupportedContentError(f"not a decodable image: {_reason(exc)}") from exc

    if getattr(img, "n_frames", 1) > 1:
        img.seek(0)
    if orientation != 1:
        img = ImageOps.exif_transpose(img) or img
    return normalize_mode(img)


def normalize_mode(img: Image.Image) -> Image.Image:
    """Convert any Pillow mode to 'RGB', or 'RGBA' when some pixel is not fully opaque."""
    mode = img.mode
    if mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        img = _to_8bit(img)
        mode = "L"
    if mode == "P" or mode == "PA" or mode in ("LA", "La", "RGBa", "RGBA"):
        img = img.convert("RGBA")
    elif mode == "CMYK":
        img = img.convert("RGB")
    elif mode != "RGB":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    if img.mode == "RGBA":
        alpha = img.getchannel("A")
        lo, _hi = alpha.getextrema()
        if lo == 255:
            img = img.convert("RGB")
    return img


def flatten(img: Image.Image, background: RGB) -> Image.Image:
    """Composite a possibly transparent image over a solid colour, returning 'RGB'."""
    if img.mode != "RGBA":
        return img if img.mode == "RGB" else img.convert("RGB")
    base = Image.new("RGB", img.size, background)
    base.paste(img, mask=img.getchannel("A"))
    return base
