"""Helpers for match tests: a temp artifact store and synthetic images of every awkward kind."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

import brandtruth.stages.match.candidates as candidates
import brandtruth.stages.match.stage as match_stage
from brandtruth.config import Settings
from brandtruth.models.brand import BrandAssets, BrandColor, BrandProfile, ImageAsset
from brandtruth.models.copy import Angle, CopyVariant, Platform
from brandtruth.stages.context import StageContext
from brandtruth.storage import ArtifactStore

RUN_ID = "pipeline-match"


def scene(width: int, height: int, seed: int, subject_at: tuple[float, float] = (0.5, 0.5)) -> Image.Image:
    """A calm gradient with one strong subject (a detailed disc) at `subject_at` (fractions)."""
    rng = np.random.default_rng(seed)
    ys = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    c0 = rng.integers(90, 220, 3).astype(np.float32)
    c1 = rng.integers(40, 160, 3).astype(np.float32)
    arr = np.broadcast_to(c0 * (1 - ys) + c1 * ys, (height, width, 3)).astype(np.uint8)
    img = Image.fromarray(np.ascontiguousarray(arr), "RGB")
    draw = ImageDraw.Draw(img)
    cx, cy = round(subject_at[0] * width), round(subject_at[1] * height)
    r = min(width, height) // 6
    for i in range(12, 0, -1):
        rr = r * i // 12
        tone = (255, 255, 255) if i % 2 else (10, 10, 10)
        draw.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), fill=tone)
    return img.filter(ImageFilter.GaussianBlur(0.8))


def encode(img: Image.Image, fmt: str = "PNG", **kwargs: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kwargs)
    return buf.getvalue()


def variant(vid: str, headline: str, primary: str = "", angle: Angle = Angle.BENEFIT) -> CopyVariant:
    return CopyVariant(
        id=vid, platform=Platform.META, angle=angle, headline=headline, primary_text=primary, cta="Learn more"
    )


class Kit:
    def __init__(self, root: Path) -> None:
        self.store = ArtifactStore(root)
        self.ctx = StageContext(run_id=RUN_ID, settings=Settings(), store=self.store)
        self._n = 0

    def asset(
        self,
        data: bytes,
        alt: str = "",
        heading: str = "",
        context: str = "",
        section: str = "feature",
        name: str | None = None,
    ) -> ImageAsset:
        self._n += 1
        file = name or f"img{self._n}.bin"
        ref = self.store.put(f"{RUN_ID}/images/{file}", data, "application/octet-stream")
        return ImageAsset(
            url=f"https://brand.test/img/{file}",
            alt=alt,
            heading=heading,
            context=context,
            section=section,
            artifact=ref,
        )

    def profile(self, images: list[ImageAsset]) -> BrandProfile:
        return BrandProfile(
            url="https://brand.test",
            brand_name="Acme",
            assets=BrandAssets(colors=[BrandColor(role="primary", hex="#1d4ed8")], images=images),
        )


def fresh_worker() -> None:
    """Forget what this process has analysed, as a new worker process (another machine) would."""
    candidates.forget_analyses()
    match_stage.forget_fits()


@pytest.fixture(autouse=True)
def _fresh_worker() -> None:
    fresh_worker()


@pytest.fixture
def kit(tmp_path: Path) -> Kit:
    return Kit(tmp_path / "artifacts")
