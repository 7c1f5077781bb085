"""Validating downloaded images with Pillow, rasterising SVG with resvg, and logo pixel colours.

Everything here is CPU-bound and synchronous: callers run it through `asyncio.to_thread`.

Safety rules for bytes that come from someone else's server:
* the pixel count is read from the header and checked *before* decoding (`MAX_PIXELS`), and
  Pillow's DecompressionBombWarning is turned into an error — a 100 kB PNG claiming 50 000 × 50 000
  pixels is refused without allocating gigabytes;
* only real raster formats Pillow recognises (JPEG, PNG, GIF, WebP, BMP, ICO, TIFF, AVIF) or SVG
  are accepted, whatever the Content-Type said;
* SVG: documents with DTD entities (entity-expansion bombs), scripts, event handlers or external
  references (`href`/`url()` to anything but `#fragment` or `data:`) are refused, so resvg never
  reads files or URLs; the render size is capped from the declared size/viewBox;
* EXIF orientation is applied, animations are reduced to their first frame, and the result is
  re-encoded (PNG if it has transparency, JPEG otherwise), so later stages get plain pixels.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

MAX_PIXELS = 40_000_000
MAX_RENDER_SIDE = 2048
_RASTER_FORMATS = frozenset({"JPEG", "PNG", "GIF", "WEBP", "BMP", "ICO", "TIFF", "AVIF", "MPO"})
_SVG_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?<svg[\s>]", re.DOTALL | re.IGNORECASE
)
_SVG_ROOT = re.compile(r"<svg\b([^>]*)>", re.IGNORECASE | re.DOTALL)
_EXTERNAL_HREF = re.compile(r"""\s(?:xlink:)?href\s*=\s*(["'])(?!#|data:)[^"']*\1""", re.IGNORECASE)
_ACTIVE_SVG = re.compile(r"<script|<foreignObject|\son[a-z]+\s*=|@import|url\(\s*['\"]?(?!#|data:)", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(["'])(.*?)\2""", re.DOTALL)


class ImageRejected(ValueError):
    """The bytes are not an image we will use; the message says why."""


@dataclass(frozen=True)
class ValidatedImage:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int
    source_format: str


def is_svg(data: bytes, content_type: str = "") -> bool:
    return content_type.startswith("image/svg") or bool(_SVG_START.match(data[:4096]))


def _length(value: str | None) -> float | None:
    if not value:
        return None
    match = re.match(r"\s*([\d.]+)\s*(px)?\s*$", value)
    if not match:
        return None
    try:
        return float(match.group(1))
    except ValueError:
        return None


def svg_size(svg: str) -> tuple[float, float] | None:
    """Intrinsic size of an SVG from its root width/height or viewBox, if stated."""
    root = _SVG_ROOT.search(svg)
    if root is None:
        return None
    attrs = {m.group(1).lower(): m.group(3) for m in _ATTR.finditer(root.group(1))}
    width, height = _length(attrs.get("width")), _length(attrs.get("height"))
    if width and height:
        return width, height
    box = attrs.get("viewbox")
    if box:
        parts = re.split(r"[\s,]+", box.strip())
        if len(parts) == 4:
            try:
                w, h = float(parts[2]), float(parts[3])
            except ValueError:
                return None
            if w > 0 and h > 0:
                return w, h
    return None


def rasterise_svg(
    data: bytes, *, max_side: int = 1024, min_side: int = 256, font_files: list[str] | None = None
) -> bytes:
    """SVG bytes → PNG bytes, sized to fit `max_side` (upscaled to at least `min_side` for tiny icons).

    `<text>` is drawn only with the given font files (system fonts are never read, so every
    worker draws the same pixels); without any, resvg leaves text out.
    """
    import resvg_py

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImageRejected("SVG is not valid UTF-8") from exc
    if "<!ENTITY" in text.upper():
        raise ImageRejected("SVG declares DTD entities (possible entity-expansion bomb)")
    if _ACTIVE_SVG.search(text) or _EXTERNAL_HREF.search(text):
        # resvg would ignore scripts and could be told to skip references, but an SVG that tries to
        # run code or reach other URLs/files is not a brand asset we want to pass on.
        raise ImageRejected("SVG contains scripts, event handlers or external references")
    size = svg_size(text)
    if size is None:
        width, height = max_side, None
    else:
        w, h = size
        scale = min(max_side / w, max_side / h)
        if max(w, h) * scale < min_side:
            scale = min_side / max(w, h)
        if max(w, h) < min_side or max(w, h) > max_side:
            w, h = w * scale, h * scale
        width, height = max(1, round(min(w, MAX_RENDER_SIDE))), max(1, round(min(h, MAX_RENDER_SIDE)))
    try:
        if font_files:
            png = resvg_py.svg_to_bytes(
                svg_string=text,
                width=width,
                height=height,
                skip_system_fonts=True,
                font_files=font_files,
                font_family="Roboto",
                sans_serif_family="Roboto",
                serif_family="Source Serif Pro",
            )
        else:
            png = resvg_py.svg_to_bytes(svg_string=text, width=width, height=height)
    except (ValueError, RuntimeError) as exc:
        raise ImageRejected(f"SVG could not be rendered: {exc}") from exc
    return bytes(png)


def _open_checked(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageRejected(
                    f"image claims {width}×{height} pixels, over the {MAX_PIXELS:,}-pixel limit "
                    "(decompression bomb guard)"
                )
            if image.format not in _RASTER_FORMATS:
                raise ImageRejected(f"unsupported image format {image.format}")
            if image.format == "ICO":
                sizes = sorted(image.info.get("sizes") or [], key=lambda s: s[0] * s[1])
                if sizes:
                    image.size = sizes[-1]  # type: ignore[misc]
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(f"decompression bomb refused: {exc}") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRejected(f"not a readable image: {exc}") from exc
    return image


def validate_image(
    data: bytes, content_type: str = "", *, min_side: int = 64, max_aspect: float = 6.0, svg_max_side: int = 1600
) -> ValidatedImage:
    """Decode, check and re-encode an image. Raises ImageRejected with the reason.

    `min_side` drops tracking pixels and icons; `max_aspect` drops spacers and thin banners.
    """
    source_format = "SVG" if is_svg(data, content_type) else ""
    if source_format:
        data = rasterise_svg(data, max_side=svg_max_side)
    image = _open_checked(data)
    source_format = source_format or (image.format or "")
    if getattr(image, "is_animated", False):
        image.seek(0)
    image = ImageOps.exif_transpose(image) or image
    width, height = image.size
    if min(width, height) < min_side:
        raise ImageRejected(f"too small ({width}×{height}): an icon or tracking pixel")
    if max(width, height) / max(1, min(width, height)) > max_aspect:
        raise ImageRejected(f"extreme aspect ratio ({width}×{height}): a spacer or banner strip")
    return _encode(image, source_format)


def _has_alpha(image: Image.Image) -> bool:
    if image.mode in {"RGBA", "LA"}:
        extrema = image.getchannel("A").getextrema()
        return bool(extrema[0] < 250)  # type: ignore[operator]
    return image.mode == "P" and "transparency" in image.info


def _encode(image: Image.Image, source_format: str) -> ValidatedImage:
    out = io.BytesIO()
    if _has_alpha(image):
        image.convert("RGBA").save(out, format="PNG", optimize=False)
        ctype, ext = "image/png", "png"
    else:
        image.convert("RGB").save(out, format="JPEG", quality=88)
        ctype, ext = "image/jpeg", "jpg"
    return ValidatedImage(out.getvalue(), ctype, ext, image.size[0], image.size[1], source_format)


def logo_png(
    data: bytes, content_type: str = "", *, max_side: int = 512, font_files: list[str] | None = None
) -> tuple[bytes, int, int]:
    """A logo as PNG (transparency kept), at most `max_side` px on its long side."""
    if is_svg(data, content_type):
        data = rasterise_svg(data, max_side=max_side, min_side=256, font_files=font_files)
    image = _open_checked(data)
    if getattr(image, "is_animated", False):
        image.seek(0)
    image = ImageOps.exif_transpose(image) or image
    if min(image.size) < 16:
        raise ImageRejected(f"logo too small ({image.size[0]}×{image.size[1]})")
    image = image.convert("RGBA")
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue(), image.size[0], image.size[1]


def dominant_colors(png: bytes, count: int = 4) -> list[tuple[tuple[int, int, int], float]]:
    """The logo's main colours as (rgb, share of opaque pixels), most common first.

    Pixels are grouped into 8-level-per-channel buckets and each bucket reports the mean of its
    actual pixels, so flat logo colours come out exactly (a median-cut palette would blend them
    with anti-aliased edges). Transparent pixels are ignored; near-white and near-black are kept
    (the caller decides whether they are brand colours or just background/ink).
    """
    with Image.open(io.BytesIO(png)) as opened:
        image = opened.convert("RGBA")
    image.thumbnail((160, 160))
    rgba = np.asarray(image)
    pixels = rgba[rgba[..., 3] >= 200][:, :3].astype(np.int64)
    total = int(pixels.shape[0])
    if not total:
        return []
    buckets = (pixels[:, 0] // 32) * 64 + (pixels[:, 1] // 32) * 8 + pixels[:, 2] // 32
    counts = np.bincount(buckets, minlength=512)
    out: list[tuple[tuple[int, int, int], float]] = []
    for bucket in np.argsort(counts)[::-1][:count]:
        n = int(counts[bucket])
        if n == 0:
            break
        mean = pixels[buckets == bucket].mean(axis=0)
        r, g, b = (round(float(c)) for c in mean)
        out.append(((r, g, b), n / total))
    return out
