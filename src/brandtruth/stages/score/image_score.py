"""Score one creative file: a PNG the pipeline composed, or any ad made elsewhere.

`decode_creative` is the guarded door for untrusted files (not an image, SVG, decompression
bombs, tiny or huge images: each a `ScoreInputError` with a message a marketer understands).
`score_image` measures copy and visual factors on the pixels, reading the layout record when
there is one and finding text, CTA and logo on the pixels when there is not.

Synchronous CPU work: async callers use `asyncio.to_thread`.
"""

from __future__ import annotations

import io
import re
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image

from brandtruth.errors import UnsupportedContentError
from brandtruth.imaging.color import RGB, parse_hex
from brandtruth.imaging.decode import decode_image, flatten
from brandtruth.models.brand import BrandProfile
from brandtruth.models.copy import Platform
from brandtruth.models.creative import AdFormat, CreativeLayout
from brandtruth.models.score import FoundElement, ImageScore
from brandtruth.stages.score.copy_factors import CopyText, measure_copy
from brandtruth.stages.score.errors import ScoreInputError
from brandtruth.stages.score.factors import Measurement
from brandtruth.stages.score.model import ScoringModel, tier_cap, tier_for
from brandtruth.stages.score.scene import Scene, scene_from_layout, scene_from_pixels
from brandtruth.stages.score.visual import Analysis, analyse, heatmap_png, measure_visual, nearest_format

U8 = npt.NDArray[np.uint8]

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
#: Ads are at most a few thousand pixels a side; anything above this is refused before decoding.
MAX_SCORE_PIXELS = 40_000_000
#: Below this on the short side there is nothing a viewer (or the scorer) can read.
MIN_SCORE_SIDE = 100
MAX_FILE_BYTES = 40 * 1024 * 1024


def decode_creative(data: bytes, what: str) -> U8:
    """Untrusted bytes -> RGB uint8 pixels (transparency flattened on white), or a clear error."""
    if not data:
        raise ScoreInputError(f"{what} is empty")
    if len(data) > MAX_FILE_BYTES:
        raise ScoreInputError(f"{what} is {len(data) / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB")
    head = data[:512].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        raise ScoreInputError(f"{what} is an SVG; export the ad as PNG or JPEG to score it")
    try:
        w, h = _header_size(data)
    except UnsupportedContentError as exc:
        if "exceeds limit" in exc.message or "bomb" in exc.message:
            raise ScoreInputError(
                f"{what} is too large to decode safely (a decompression bomb or an image far over "
                f"{MAX_SCORE_PIXELS / 1e6:.0f} MP): {exc.message}"
            ) from exc
        raise ScoreInputError(f"{what} is not an image ({exc.message})") from exc
    if w * h > MAX_SCORE_PIXELS:
        raise ScoreInputError(
            f"{what} is {w}x{h} ({w * h / 1e6:.0f} MP); ads are scored up to {MAX_SCORE_PIXELS / 1e6:.0f} MP, "
            "export it at its placement size (e.g. 1080x1080)"
        )
    if min(w, h) < MIN_SCORE_SIDE:
        raise ScoreInputError(f"{what} is only {w}x{h}; an ad needs at least {MIN_SCORE_SIDE} px on its short side")
    try:
        img = decode_image(data)
    except UnsupportedContentError as exc:
        raise ScoreInputError(f"{what} cannot be decoded ({exc.message})") from exc
    return np.asarray(flatten(img, (255, 255, 255)), dtype=np.uint8)


def _header_size(data: bytes) -> tuple[int, int]:
    """Width and height from the file header alone (no pixel decoding, no EXIF: a PNG's EXIF
    may sit after its pixels), with Pillow's decompression-bomb check as an error."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                return img.size
    except Exception as exc:  # Pillow raises many types for unknown or corrupt data
        raise UnsupportedContentError(f"not a readable image: {_ADDRESS.sub('', str(exc))}") from exc


@dataclass(frozen=True)
class AdCopy:
    """What the ad says next to the image (all optional when scoring a file)."""

    headline: str = ""
    primary_text: str = ""
    description: str = ""
    cta: str = ""
    platform: Platform = Platform.META

    @property
    def given(self) -> bool:
        return bool(self.headline.strip() or self.primary_text.strip() or self.description.strip())


@dataclass
class BrandContext:
    """The brand the ad is judged against: palette, name and (decoded) logo, all optional."""

    name: str | None = None
    palette: list[RGB] = field(default_factory=list)
    logo: U8 | None = None
    profile: BrandProfile | None = None

    @classmethod
    def from_profile(cls, profile: BrandProfile, search: list[Path]) -> BrandContext:
        palette: list[RGB] = []
        for c in profile.assets.colors:
            try:
                palette.append(parse_hex(c.hex))
            except ValueError:
                continue
        logo = None
        asset = profile.assets.logo
        if asset is not None and asset.artifact is not None:
            logo = _load_logo(asset.artifact.path, tuple(search))
        return cls(name=profile.brand_name or None, palette=palette, logo=logo, profile=profile)


_logo_lock = threading.Lock()
_logos: dict[Path, U8 | None] = {}


def _load_logo(rel: str, search: tuple[Path, ...]) -> U8 | None:
    """The profile's logo file as RGBA, found under one of `search` (never outside it)."""
    for root in search:
        try:
            path = (root / rel).resolve()
            if not path.is_relative_to(root.resolve()) or not path.is_file():
                continue
        except (OSError, ValueError):
            continue
        with _logo_lock:
            if path in _logos:
                return _logos[path]
        try:
            img = decode_image(path.read_bytes()).convert("RGBA")
            arr: U8 | None = np.asarray(img, dtype=np.uint8)
        except (UnsupportedContentError, OSError):
            arr = None
        with _logo_lock:
            if len(_logos) > 64:
                _logos.clear()
            _logos[path] = arr
        return arr
    return None


@dataclass(frozen=True)
class ImageResult:
    score: ImageScore
    analysis: Analysis
    scene: Scene

    def heatmap(self) -> bytes:
        return heatmap_png(self.analysis, self.scene)


def measure_image(
    image: U8,
    *,
    is_rgb: bool = True,
    layout: CreativeLayout | None,
    fmt: AdFormat | None,
    copy: AdCopy,
    brand: BrandContext,
) -> tuple[Analysis, Scene, list[Measurement], list[str]]:
    """Visual (and, when copy is given, copy) measurements plus policy-grade safe-zone failures."""
    an = analyse(image, is_rgb=is_rgb)
    if layout is not None:
        scene = scene_from_layout(layout, an.full_rgb)
    else:
        scene = scene_from_pixels(
            an.full_rgb,
            an.lab,
            an.scale,
            expects_headline=bool(copy.headline.strip()),
            expects_cta=bool(copy.cta.strip()),
            logo=brand.logo,
            gray_small=an.gray,
            small_rgb=np.ascontiguousarray(an.small[..., ::-1]),
        )
    visual = measure_visual(an, scene, fmt, copy.platform, brand.palette, brand.name)
    measurements = list(visual.measurements)
    if copy.given:
        text = CopyText(
            platform=copy.platform,
            headline=copy.headline,
            primary_text=copy.primary_text,
            description=copy.description,
            cta=copy.cta or None,
            brand_name=brand.name,
        )
        measurements = measure_copy(text, brand.profile) + measurements
    return an, scene, measurements, visual.violations


def _elements(scene: Scene) -> list[FoundElement]:
    out = [
        FoundElement(role=b.role, left=b.box[0], top=b.box[1], right=b.box[2], bottom=b.box[3]) for b in scene.blocks
    ]
    if scene.cta is not None:
        c = scene.cta
        out.append(FoundElement(role="cta_button", left=c[0], top=c[1], right=c[2], bottom=c[3]))
    if scene.logo is not None:
        lg = scene.logo
        out.append(FoundElement(role="logo", left=lg[0], top=lg[1], right=lg[2], bottom=lg[3]))
    return out


def score_image(
    image_rgb: U8,
    model: ScoringModel,
    *,
    copy: AdCopy | None = None,
    brand: BrandContext | None = None,
    layout: CreativeLayout | None = None,
    fmt: AdFormat | None = None,
    policy_failures: list[str] | None = None,
) -> ImageResult:
    """Score decoded RGB pixels (see `decode_creative`)."""
    from brandtruth.stages.score.stage import top_fixes_of

    copy = copy or AdCopy()
    brand = brand or BrandContext()
    an, scene, measurements, violations = measure_image(image_rgb, layout=layout, fmt=fmt, copy=copy, brand=brand)
    failures = list(policy_failures or [])
    where = fmt.value if fmt is not None else "image"
    failures += [f"broken safe zone ({where}): {v}" for v in violations]
    scored = model.score(measurements, failures)
    result = ImageScore(
        score=scored.score,
        tier=tier_for(scored.score, tier_cap(scored.factors)),
        band=(scored.confidence_low, scored.confidence_high),
        model=model.info,
        factors=scored.factors,
        policy_failures=failures,
        fixes=top_fixes_of([scored.factors], failures, None),
        width=an.width,
        height=an.height,
        format=fmt or nearest_format(an.width, an.height),
        found_by=scene.source,
        elements=_elements(scene),
    )
    return ImageResult(result, an, scene)


def open_image(path: Path) -> U8:
    """Read and decode an image file, with the same guarded errors as uploads."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ScoreInputError(f"{path} is larger than {MAX_FILE_BYTES / 1e6:.0f} MB; export the ad smaller")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ScoreInputError(f"{path} does not exist") from exc
    except IsADirectoryError as exc:
        raise ScoreInputError(f"{path} is a directory, not an image") from exc
    except OSError as exc:
        raise ScoreInputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return decode_creative(data, str(path))


__all__ = ["AdCopy", "BrandContext", "ImageResult", "decode_creative", "open_image", "score_image"]
