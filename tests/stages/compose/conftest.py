"""Helpers for compose tests: synthetic photos, logos, profiles and variants built in-process.

Images are generated with Pillow (seeded, deterministic) and stored in a temporary artifact
store, so tests need no network and no committed binaries.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image, ImageDraw, ImageFilter

from brandtruth.config import Settings
from brandtruth.imaging.color import luminance_map, parse_hex
from brandtruth.models.brand import BrandAssets, BrandColor, BrandProfile, ImageAsset, LogoAsset
from brandtruth.models.common import ArtifactRef, Box
from brandtruth.models.copy import Angle, CopyVariant, Platform
from brandtruth.stages.context import StageContext
from brandtruth.storage import ArtifactStore

RUN_ID = "pipeline-test"


def photo(width: int, height: int, seed: int, *, busy: bool = False) -> Image.Image:
    """A photo-like scene: sky gradient, ground, a few blurred shapes and sensor noise."""
    rng = np.random.default_rng(seed)
    ys = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    top = rng.integers(60, 200, 3).astype(np.float32)
    bottom = rng.integers(20, 160, 3).astype(np.float32)
    arr = top[None, None, :] * (1 - ys[..., None]) + bottom[None, None, :] * ys[..., None]
    arr = np.broadcast_to(arr, (height, width, 3)).copy()
    img = Image.fromarray(arr.astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    for _ in range(60 if busy else 8):
        cx, cy = int(rng.integers(0, width)), int(rng.integers(0, height))
        r = int(rng.integers(max(4, min(width, height) // 30), max(8, min(width, height) // 5)))
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
    img = img.filter(ImageFilter.GaussianBlur(1 if busy else 2))
    noise = rng.normal(0, 3, (height, width, 3))
    return Image.fromarray(np.clip(np.asarray(img, dtype=np.float64) + noise, 0, 255).astype(np.uint8), "RGB")


def logo_image(color: str = "#c026d3", size: tuple[int, int] = (360, 120)) -> Image.Image:
    """A transparent PNG logo: a rounded mark and a bar, in one distinctive colour."""
    w, h = size
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    rgb = parse_hex(color)
    draw.rounded_rectangle((0, 0, h - 1, h - 1), radius=h // 4, fill=(*rgb, 255))
    draw.rectangle((h + h // 4, h // 3, w - 1, 2 * h // 3), fill=(*rgb, 255))
    return img


def encode(img: Image.Image, fmt: str = "PNG", **kwargs: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kwargs)
    return buf.getvalue()


def variant(
    vid: str,
    headline: str = "Plan delivery routes in minutes",
    primary: str = "Routewise plans every route for you. Save hours every week.",
    cta: str = "Start free trial",
    description: str = "Route planning for busy teams",
    angle: Angle = Angle.BENEFIT,
) -> CopyVariant:
    return CopyVariant(
        id=vid,
        platform=Platform.META,
        angle=angle,
        headline=headline,
        primary_text=primary,
        description=description,
        cta=cta,
    )


class Kit:
    """A temp artifact store plus builders for profiles that reference stored images."""

    def __init__(self, root: Path) -> None:
        self.store = ArtifactStore(root)
        self.ctx = StageContext(run_id=RUN_ID, settings=Settings(), store=self.store)
        self._n = 0

    def put(self, data: bytes, name: str | None = None, ctype: str = "image/png") -> ArtifactRef:
        self._n += 1
        return self.store.put(f"{RUN_ID}/images/{name or f'img{self._n}.bin'}", data, ctype)

    def image_asset(self, data: bytes, alt: str = "", heading: str = "", section: str = "feature") -> ImageAsset:
        ref = self.put(data)
        return ImageAsset(
            url=f"https://brand.test/img/{ref.path.rsplit('/', 1)[-1]}",
            alt=alt,
            heading=heading,
            section=section,
            artifact=ref,
        )

    def profile(
        self,
        images: list[ImageAsset] | None = None,
        logo: Image.Image | None = None,
        colors: dict[str, str] | None = None,
        name: str = "Routewise",
    ) -> BrandProfile:
        logo_asset = None
        if logo is not None:
            ref = self.put(encode(logo), "logo.png")
            logo_asset = LogoAsset(
                url="https://brand.test/logo.png", artifact=ref, width=logo.width, height=logo.height
            )
        palette = colors if colors is not None else {"primary": "#0f766e", "accent": "#f59e0b", "text": "#0f172a"}
        return BrandProfile(
            url="https://brand.test",
            brand_name=name,
            assets=BrandAssets(
                logo=logo_asset,
                colors=[BrandColor(role=r, hex=h) for r, h in palette.items()],
                images=images or [],
            ),
        )

    def read_rgb(self, ref: ArtifactRef) -> npt.NDArray[np.uint8]:
        with Image.open(io.BytesIO(self.store.read(ref))) as img:
            assert img.format == "PNG"
            return np.asarray(img.convert("RGB"), dtype=np.uint8)


@pytest.fixture
def kit(tmp_path: Path) -> Kit:
    return Kit(tmp_path / "artifacts")


def remeasure_contrast(pixels: npt.NDArray[np.uint8], box: Box, text_hex: str | None) -> float:
    """Contrast of the text colour against the background pixels of a finished creative's box.

    Independent of the compose code: glyph pixels are found as pixels close to the text colour,
    grown by 3 px to cover antialiased edges, and left out; the rest of the box is background.
    Reports the 1st percentile, like the stage does.
    """
    import cv2

    assert text_hex is not None, "a drawn text box records its colour"
    region = pixels[box.top : box.bottom, box.left : box.right].astype(np.int32)
    assert region.size, "empty text box"
    text = np.array(parse_hex(text_hex), dtype=np.int32)
    close = np.abs(region - text).sum(axis=2) < 150
    # Antialiased edges blend text and background: grow the glyph mask over them.
    grown = cv2.dilate(close.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    background = region[~grown].astype(np.uint8)
    assert background.shape[0] > 0.05 * close.size, "box is nearly all glyph: not a text box"
    lum = luminance_map(background)
    lt = float(luminance_map(text.astype(np.uint8)[None, :])[0])
    ratios = np.where(lum > lt, (lum + 0.05) / (lt + 0.05), (lt + 0.05) / (lum + 0.05))
    return float(np.percentile(ratios, 1.0))


ImageFactory = Callable[..., Image.Image]
