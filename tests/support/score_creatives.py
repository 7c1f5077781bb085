"""Real creatives for score tests: composed by the compose stage from the fixture sites' own
images, logos and palettes, written out as files a marketer would have (PNG + brand profile JSON),
plus the damaged copies an art director would reject.

The layout record of each creative is kept *only* to know where to damage it; the scorer is run
on the files alone, as `brandtruth score --batch` is.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageFilter

from brandtruth.models.creative import AdFormat, CreativeLayout

SITES_ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "sites"

#: site -> (images with alt text and section, logo path, the ad's copy)
SITES: dict[str, tuple[dict[str, tuple[str, str]], str, dict[str, str]]] = {
    "shop": (
        {
            "assets/img/bag-moonlight.jpg": (
                "Bag of Moonlight Decaf with chamomile on a light studio background",
                "hero",
            ),
            "assets/img/latte-top.jpg": ("Latte with a rosetta pattern in a white cup on a walnut table", "feature"),
        },
        "assets/logo.png",
        {
            "headline": "Sleep-friendly decaf, full flavor",
            "primary_text": "Our Moonlight Decaf keeps the flavor and skips the jitters.",
            "description": "Moonlight Decaf with chamomile notes",
            "cta": "Shop decaf",
        },
    ),
    "local_service": (
        {
            "images/van.jpg": ("Harbor City Plumbing service van parked on a residential street in Tacoma", "hero"),
            "images/bathroom-sink.jpg": ("Bathroom vanity with new copper supply lines and a chrome faucet", "feature"),
        },
        "images/logo.png",
        {
            "headline": "Leaky faucet? Fixed today",
            "primary_text": "Same-day faucet and sink repairs across Tacoma.",
            "description": "Licensed plumbers across Tacoma",
            "cta": "Book a plumber",
        },
    ),
}


@dataclass(frozen=True)
class FixtureCreative:
    site: str
    format: AdFormat
    image: Path
    layout: CreativeLayout
    profile: Path
    copy: dict[str, str]


def compose_fixture_creatives(root: Path) -> list[FixtureCreative]:
    """Compose every fixture site's ad in every format into `root` (profile JSON beside the store)."""
    return asyncio.run(_compose_all(root))


async def _compose_all(root: Path) -> list[FixtureCreative]:
    from brandtruth.models.brand import BrandAssets, BrandColor, BrandProfile, ImageAsset, LogoAsset
    from brandtruth.models.copy import Angle, CopyVariant, Platform
    from brandtruth.models.stage_io import ComposeInput, MatchInput
    from brandtruth.stages.compose import compose_creatives
    from brandtruth.stages.match import match_images
    from tests.stages.compose.conftest import RUN_ID, Kit

    kit = Kit(root)
    out: list[FixtureCreative] = []
    for site, (images, logo, copy) in SITES.items():
        base = SITES_ROOT / site
        expected = json.loads((base / "expected.json").read_text())
        assets = []
        for rel, (alt, section) in images.items():
            ref = kit.put((base / rel).read_bytes(), f"{site}-{Path(rel).name}", "image/jpeg")
            assets.append(ImageAsset(url=f"https://{site}.test/{rel}", alt=alt, section=section, artifact=ref))
        logo_ref = kit.put((base / logo).read_bytes(), f"{site}-logo.png")
        profile = BrandProfile(
            url=f"https://{site}.test/",
            brand_name=expected["brand_name"],
            assets=BrandAssets(
                logo=LogoAsset(url=f"https://{site}.test/{logo}", artifact=logo_ref),
                colors=[BrandColor(role=r, hex=h) for r, h in expected.get("colors", {}).items()],
                images=assets,
            ),
        )
        profile_path = root / f"{site}-profile.json"
        profile_path.write_text(profile.model_dump_json())
        variant = CopyVariant(id="v1", platform=Platform.META, angle=Angle.BENEFIT, **copy)
        fmts = list(AdFormat)
        matches = await match_images(
            MatchInput(run_id=RUN_ID, profile=profile, variants=[variant], variant_id="v1", formats=fmts), kit.ctx
        )
        result = await compose_creatives(
            ComposeInput(run_id=RUN_ID, profile=profile, variant=variant, matches=matches, formats=fmts), kit.ctx
        )
        for c in result.creatives:
            path = root / f"{site}-{c.format.value}.png"
            path.write_bytes(kit.store.read(c.artifact))
            out.append(FixtureCreative(site, c.format, path, c.layout, profile_path, copy))
    return out


# -- damage an art director rejects at a glance -------------------------------------------------


def _ring_median(a: np.ndarray, left: int, top: int, right: int, bottom: int, pad: int) -> np.ndarray:
    h, w = a.shape[:2]
    y0, y1, x0, x1 = max(0, top - pad), min(h, bottom + pad), max(0, left - pad), min(w, right + pad)
    outer = a[y0:y1, x0:x1].reshape(-1, 3)
    inner = np.zeros((y1 - y0, x1 - x0), bool)
    inner[top - y0 : bottom - y0, left - x0 : right - x0] = True
    median: np.ndarray = np.median(outer[~inner.reshape(-1)], axis=0)
    return median


def blurred(img: Image.Image, _layout: CreativeLayout) -> Image.Image:
    return img.filter(ImageFilter.GaussianBlur(6))


def cta_painted_out(img: Image.Image, layout: CreativeLayout) -> Image.Image:
    """The CTA button filled with the colour around it, as if it had never been there."""
    assert layout.cta_box is not None
    b = layout.cta_box
    a = np.asarray(img).copy()
    pad = max(6, round(0.01 * img.width))
    colour = _ring_median(a, b.left - 4, b.top - 4, b.right + 4, b.bottom + 4, pad)
    a[max(0, b.top - 4) : b.bottom + 4, max(0, b.left - 4) : b.right + 4] = colour.astype(np.uint8)
    return Image.fromarray(a)


def headline_under_noise(img: Image.Image, layout: CreativeLayout) -> Image.Image:
    """Strong colour noise over the headline's box (a text block over a busy texture)."""
    b = next(t.box for t in layout.text_boxes if t.role == "headline")
    a = np.asarray(img).astype(np.float32)
    rng = np.random.default_rng(11)
    region = a[b.top : b.bottom, b.left : b.right]
    noise = rng.integers(0, 256, region.shape).astype(np.float32)
    a[b.top : b.bottom, b.left : b.right] = 0.45 * region + 0.55 * noise
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def pixelated(img: Image.Image, _layout: CreativeLayout) -> Image.Image:
    w, h = img.size
    return img.resize((max(1, w // 6), max(1, h // 6)), Image.Resampling.NEAREST).resize(
        (w, h), Image.Resampling.NEAREST
    )


def washed_out(img: Image.Image, _layout: CreativeLayout) -> Image.Image:
    a = np.asarray(img).astype(np.float32)
    return Image.fromarray(np.clip(a * 0.25 + 128.0 * 0.75, 0, 255).astype(np.uint8))


DAMAGES = {
    "blurred": blurred,
    "cta_painted_out": cta_painted_out,
    "headline_under_noise": headline_under_noise,
    "pixelated": pixelated,
    "washed_out": washed_out,
}


def run_batch(
    lines: list[dict[str, object]], workdir: Path, env: dict[str, str], timeout: float = 600
) -> tuple[int, list[dict[str, Any]], str]:
    """`brandtruth score --batch FILE --json` as a user runs it: (exit code, one dict per output line, stderr)."""
    batch = workdir / "batch.jsonl"
    batch.write_text("".join(json.dumps(line) + "\n" for line in lines))
    proc = subprocess.run(
        [sys.executable, "-m", "brandtruth.cli", "score", "--batch", str(batch), "--json"],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    return proc.returncode, [json.loads(x) for x in proc.stdout.splitlines() if x.strip()], proc.stderr
