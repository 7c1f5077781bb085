"""Builders for score-stage tests: a brand profile, copy variants, and real composed PNGs.

Creatives are drawn with Pillow into a temporary `ArtifactStore`, with a layout whose text-box
contrast is *measured* from the drawn pixels (like the compose stage does), so visual factors
are computed on genuine images rather than on canned numbers.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import font_roboto
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from brandtruth.config import Settings
from brandtruth.models.brand import (
    BrandAssets,
    BrandProfile,
    Claim,
    ClaimKind,
    CustomerCount,
    Evidence,
    PageInfo,
    Risk,
    SocialProof,
)
from brandtruth.models.common import Box
from brandtruth.models.copy import Angle, ClaimUse, CopyVariant, Platform
from brandtruth.models.creative import AdFormat, Creative, CreativeLayout, TextBox, VariantCreatives
from brandtruth.models.stage_io import ScoreInput
from brandtruth.stages.context import StageContext
from brandtruth.storage.artifacts import ArtifactStore

RUN_ID = "pipeline-test01"
RGB = tuple[int, int, int]


def _lin(c: int) -> float:
    v = c / 255.0
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def luminance(rgb: RGB) -> float:
    r, g, b = (_lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def measured_contrast(text: RGB, region: np.ndarray[Any, Any]) -> float:
    """WCAG contrast of `text` against the 1st-percentile-worst background pixel (compose's rule)."""
    lut = np.array([_lin(i) for i in range(256)])
    lum = lut[region[..., 0]] * 0.2126 + lut[region[..., 1]] * 0.7152 + lut[region[..., 2]] * 0.0722
    lt = luminance(text)
    ratios = np.where(lum > lt, (lum + 0.05) / (lt + 0.05), (lt + 0.05) / (lum + 0.05))
    return float(np.percentile(ratios, 1.0))


def make_profile(**overrides: Any) -> BrandProfile:
    ev = Evidence(url="https://acme.test/", quote="Acme cuts cloud bills by 40% in 30 days.", section="Hero")
    data: dict[str, Any] = {
        "url": "https://acme.test/",
        "brand_name": "Acme Cloud",
        "tagline": "Cloud costs, under control",
        "key_terms": ["cloud bill", "cloud costs"],
        "pages": [
            PageInfo(url="https://acme.test/", title="Acme", fetched_at=datetime(2024, 1, 1, tzinfo=UTC), status=200)
        ],
        "claims": [
            Claim(
                id="c1",
                text="Cuts cloud bills by 40% in 30 days",
                kind=ClaimKind.STATISTIC,
                risk=Risk.LOW,
                evidence=[ev],
            ),
            Claim(
                id="c2",
                text="Trusted by 2,000 teams",
                kind=ClaimKind.TESTIMONIAL,
                risk=Risk.LOW,
                evidence=[Evidence(url="https://acme.test/customers", quote="Trusted by 2,000 teams worldwide.")],
            ),
            Claim(
                id="c9",
                text="The #1 cloud platform in the world",
                kind=ClaimKind.SUPERLATIVE,
                risk=Risk.BLOCKED,
                risk_reason="unverifiable superlative",
                evidence=[Evidence(url="https://acme.test/", quote="The #1 cloud platform in the world")],
            ),
        ],
        "social_proof": SocialProof(
            customer_counts=[CustomerCount(text="2,000 teams", value=2000, evidence=[])],
        ),
        "assets": BrandAssets(),
    }
    data.update(overrides)
    return BrandProfile(**data)


def make_variant(**overrides: Any) -> CopyVariant:
    data: dict[str, Any] = {
        "id": "v1",
        "platform": Platform.META,
        "angle": Angle.BENEFIT,
        "headline": "Cut your cloud bill by 40%",
        "primary_text": "Acme Cloud finds idle servers and shuts them down. Trusted by 2,000 teams.",
        "cta": "Start free trial",
        "claims_used": [
            ClaimUse(claim_id="c1", span="cut your cloud bill by 40%"),
            ClaimUse(claim_id="c2", span="Trusted by 2,000 teams"),
        ],
    }
    data.update(overrides)
    return CopyVariant(**data)


def _background(size: tuple[int, int], kind: str, seed: int) -> Image.Image:
    w, h = size
    rng = np.random.default_rng(seed)
    if kind == "flat":
        return Image.new("RGB", size, (40, 90, 160))
    if kind == "busy":
        arr = rng.integers(0, 256, (h // 8, w // 8, 3), dtype=np.uint8)
        return Image.fromarray(arr).resize(size, Image.Resampling.NEAREST)
    if kind == "face":
        return _drawn_face(size)
    # "photo": a smooth sky-to-ground gradient with a few soft shapes.
    yy = np.linspace(0, 1, h)[:, None, None]
    top, bottom = np.array([120, 170, 230]), np.array([60, 110, 60])
    gradient = (top * (1 - yy) + bottom * yy) * np.ones((1, w, 1))
    img = Image.fromarray(gradient.astype(np.uint8))
    d = ImageDraw.Draw(img)
    for _ in range(6):
        cx, cy, r = int(rng.integers(0, w)), int(rng.integers(0, h // 2)), int(rng.integers(40, 160))
        col = tuple(int(c) for c in rng.integers(80, 255, 3))
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=col)
    return img


def _drawn_face(size: tuple[int, int]) -> Image.Image:
    """A plain drawn face (skin oval, eyes, brows, nose, mouth, hair) that the Haar cascade finds."""
    w, h = size
    img = Image.new("RGB", size, (160, 120, 90))
    d = ImageDraw.Draw(img)
    cx, cy, fw = w // 2, round(h * 0.4), round(min(w, h) * 0.37)
    fh = round(fw * 1.3)

    def oval(x: int, y: int, rx: int, ry: int, fill: RGB) -> None:
        d.ellipse([x - rx, y - ry, x + rx, y + ry], fill=fill)

    oval(cx, cy, fw // 2, fh // 2, (220, 180, 150))
    for dx in (-fw // 5, fw // 5):
        oval(cx + dx, cy - fh // 8, fw // 10, fw // 22, (50, 40, 40))
        oval(cx + dx, cy - fh // 8 - fw // 9, fw // 8, fw // 40, (40, 30, 30))
    oval(cx, cy + fh // 12, fw // 18, fw // 9, (235, 200, 170))
    oval(cx, cy + fh // 4, fw // 6, fw // 22, (120, 60, 60))
    d.pieslice(
        [cx - fw // 2, cy - fh // 2 - fh // 15, cx + fw // 2, cy - fh // 2 + fh // 3], 180, 360, fill=(40, 30, 20)
    )
    return img.filter(ImageFilter.GaussianBlur(3))


@dataclass
class CreativeSpec:
    fmt: AdFormat = AdFormat.SQUARE
    background: str = "photo"
    text_color: RGB = (255, 255, 255)
    panel: RGB | None = (15, 15, 15)
    headline: str = "Cut your cloud bill by 40%"
    cta: str = "Start free trial"
    logo: bool = True
    shift_headline: tuple[int, int] = (0, 0)
    """Move the headline box by (dx, dy) px, e.g. out of the safe zone."""
    size: tuple[int, int] | None = None
    seed: int = 1


def render_creative(store: ArtifactStore, variant_id: str, spec: CreativeSpec) -> Creative:
    """Draw a creative like the compose stage would and store it; the layout matches the pixels."""
    w, h = spec.size or spec.fmt.size
    img = _background((w, h), spec.background, spec.seed)
    draw = ImageDraw.Draw(img)
    margin_x = round(w * 0.06)
    top_ui, bottom_ui = (round(h * 0.14), round(h * 0.20)) if spec.fmt is AdFormat.STORY else (round(h * 0.05),) * 2
    safe = Box(left=margin_x, top=top_ui, right=w - margin_x, bottom=h - bottom_ui)

    font_size = max(32, round(w * 0.06))
    font = ImageFont.truetype(font_roboto.RobotoBold, font_size)
    tl = draw.textbbox((0, 0), spec.headline, font=font)
    tw, th = tl[2] - tl[0], tl[3] - tl[1]
    hx = safe.left + 20 + spec.shift_headline[0]
    hy = safe.bottom - th - 200 + spec.shift_headline[1]
    hbox = Box(left=hx - 20, top=hy - 20, right=hx + tw + 20, bottom=hy + th + 20)
    if spec.panel is not None:
        draw.rectangle([hbox.left, hbox.top, hbox.right - 1, hbox.bottom - 1], fill=spec.panel)
    behind = np.asarray(img)[max(0, hbox.top) : hbox.bottom, max(0, hbox.left) : hbox.right].copy()
    draw.text((hx - tl[0], hy - tl[1]), spec.headline, font=font, fill=spec.text_color)
    text_boxes = [
        TextBox(
            role="headline",
            text=spec.headline,
            box=hbox,
            font_size=font_size,
            contrast=measured_contrast(spec.text_color, behind),
        )
    ]

    cfont = ImageFont.truetype(font_roboto.RobotoMedium, round(font_size * 0.6))
    cl = draw.textbbox((0, 0), spec.cta, font=cfont)
    cw, ch = cl[2] - cl[0], cl[3] - cl[1]
    cbox = Box(left=safe.left + 20, top=safe.bottom - ch - 80, right=safe.left + cw + 80, bottom=safe.bottom - 20)
    draw.rectangle([cbox.left, cbox.top, cbox.right - 1, cbox.bottom - 1], fill=(255, 200, 0))
    draw.text((cbox.left + 30 - cl[0], cbox.top + 30 - cl[1]), spec.cta, font=cfont, fill=(20, 20, 20))
    text_boxes.append(TextBox(role="cta", text=spec.cta, box=cbox, font_size=round(font_size * 0.6), contrast=12.0))

    logo_box = None
    if spec.logo:
        logo_box = Box(left=safe.left + 10, top=safe.top + 10, right=safe.left + 190, bottom=safe.top + 80)
        draw.rectangle([logo_box.left, logo_box.top, logo_box.right - 1, logo_box.bottom - 1], fill=(255, 255, 255))
        draw.text((logo_box.left + 12, logo_box.top + 12), "ACME", font=font, fill=(200, 30, 30))

    buf = io.BytesIO()
    img.save(buf, "PNG")
    ref = store.put(f"{RUN_ID}/creatives/{variant_id}-{spec.fmt.value}.png", buf.getvalue(), "image/png")
    layout = CreativeLayout(text_boxes=text_boxes, logo_box=logo_box, cta_box=cbox, safe_zone=safe)
    return Creative(variant_id=variant_id, format=spec.fmt, width=w, height=h, artifact=ref, layout=layout)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(BRANDTRUTH_DATA_DIR=tmp_path / "data")


@pytest.fixture
def store(settings: Settings) -> ArtifactStore:
    settings.artifacts_dir.mkdir(parents=True, exist_ok=True)
    return ArtifactStore(settings.artifacts_dir)


@dataclass
class Recorder:
    beats: list[tuple[object, ...]]

    def __call__(self, *details: object) -> None:
        self.beats.append(details)


@pytest.fixture
def heartbeats() -> Recorder:
    return Recorder([])


@pytest.fixture
def ctx(settings: Settings, store: ArtifactStore, heartbeats: Recorder) -> StageContext:
    return StageContext(run_id=RUN_ID, settings=settings, store=store, heartbeat=heartbeats)


MakeInput = Callable[..., ScoreInput]


@pytest.fixture
def make_input(store: ArtifactStore) -> MakeInput:
    """`make_input(variant=..., profile=..., specs=[CreativeSpec(...), ...])` -> ScoreInput."""

    def build(
        variant: CopyVariant | None = None,
        profile: BrandProfile | None = None,
        specs: list[CreativeSpec] | None = None,
    ) -> ScoreInput:
        v = variant or make_variant()
        creatives = [render_creative(store, v.id, s) for s in (specs if specs is not None else [CreativeSpec()])]
        return ScoreInput(
            run_id=RUN_ID,
            profile=profile or make_profile(),
            variant=v,
            creatives=VariantCreatives(variant_id=v.id, creatives=creatives),
        )

    return build
