"""Compose benchmark: per-creative render time and a 3 variants x 4 formats run.

`run()` returns milliseconds:
- `compose_square_median_ms`: one 1080x1080 creative from an already-decoded photo (crop and
  resize, layout, legibility treatment, drawing, PNG encoding), median of several runs. Target ≤ 80.
- `compose_<format>_ms`: the same per format.
- `compose_<format>_cpu_ms`: CPU time (all threads of the process, so the PNG deflate workers
  count) per creative, median: steadier than wall time on a shared machine, where other jobs
  stretch the wall clock but not the CPU a creative needs.
- `compose_encode_square_ms`: PNG encoding alone, for context.
- `bare_<format>_ms`: a bare Pillow composer on the same photo (fit, headline/body/button text,
  PNG at Pillow's defaults), and `compose_vs_bare_<format>` (wall) / `..._cpu`: compose's time over
  the bare one's (target ≤ 1.0).
- `compose_3x4_wall_ms`: three `compose_creatives` calls in parallel (one per variant, as the
  workflow runs them), four formats each, from images in a temporary artifact store to PNGs in it.
"""

from __future__ import annotations

import asyncio
import functools
import io
import statistics
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

from brandtruth.config import Settings
from brandtruth.imaging.png import encode_png
from brandtruth.imaging.typefaces import bundled
from brandtruth.models.brand import BrandAssets, BrandColor, BrandProfile, ImageAsset, LogoAsset
from brandtruth.models.copy import Angle, CopyVariant, Platform
from brandtruth.models.creative import AdFormat
from brandtruth.models.stage_io import ComposeInput, MatchInput
from brandtruth.stages.compose import compose_creatives
from brandtruth.stages.compose.brand import Palette
from brandtruth.stages.compose.faces import DEFAULT_FACES
from brandtruth.stages.compose.placement import find_subject
from brandtruth.stages.compose.render import CopyText, choose_zone, render_creative
from brandtruth.stages.compose.stage import _base_for, _BrandKit, _job_for, _Source
from brandtruth.stages.context import StageContext
from brandtruth.stages.match import match_images
from brandtruth.storage import ArtifactStore

REPEATS = 9


def _photo(width: int, height: int, seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    ys = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    arr = np.broadcast_to(
        np.array([70, 120, 190], np.float32) * (1 - ys) + np.array([40, 60, 50], np.float32) * ys, (height, width, 3)
    )
    img = Image.fromarray(np.ascontiguousarray(arr).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    for _ in range(30):
        cx, cy, r = int(rng.integers(0, width)), int(rng.integers(0, height)), int(rng.integers(20, 220))
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
    img = img.filter(ImageFilter.GaussianBlur(2))
    noise = rng.normal(0, 3, (height, width, 3))
    return Image.fromarray(np.clip(np.asarray(img, np.float64) + noise, 0, 255).astype(np.uint8), "RGB")


def _logo() -> Image.Image:
    img = Image.new("RGBA", (360, 120), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, 119, 119), radius=28, fill=(15, 118, 110, 255))
    d.rectangle((150, 40, 359, 80), fill=(15, 23, 42, 255))
    return img


def _variants() -> list[CopyVariant]:
    heads = [
        "Plan delivery routes in minutes, not hours",
        "Delay alerts before customers call",
        "Loved by 2,000 dispatch teams",
    ]
    return [
        CopyVariant(
            id=f"v{i + 1}",
            platform=Platform.META,
            angle=Angle.BENEFIT,
            headline=h,
            primary_text="Routewise plans every route for you. Save 10 hours a week.",
            description="Route planning for busy dispatch teams",
            cta="Start free trial",
        )
        for i, h in enumerate(heads)
    ]


def _bare_fonts() -> tuple[ImageFont.FreeTypeFont, ImageFont.FreeTypeFont, ImageFont.FreeTypeFont]:
    roboto = bundled()["Roboto"]
    return (
        ImageFont.truetype(str(roboto.bold), 72),
        ImageFont.truetype(str(roboto.regular), 34),
        ImageFont.truetype(str(roboto.medium), 36),
    )


def _bare(
    photo: Image.Image,
    fmt: AdFormat,
    copy: CopyText,
    fonts: tuple[ImageFont.FreeTypeFont, ImageFont.FreeTypeFont, ImageFont.FreeTypeFont],
) -> bytes:
    """A bare Pillow composer at its defaults: fit the photo, wrap and draw the text, a button, PNG."""
    w, h = fmt.size
    head_font, body_font, cta_font = fonts
    img = ImageOps.fit(photo, (w, h))
    draw = ImageDraw.Draw(img)
    x, y = round(w * 0.06), float(round(h * 0.55))
    draw.multiline_text((x, y), textwrap.fill(copy.headline, 24), font=head_font, fill="white")
    y += draw.multiline_textbbox((x, y), textwrap.fill(copy.headline, 24), font=head_font)[3] - y + 20
    draw.text((x, y), copy.bodies[0], font=body_font, fill="white")
    y += 70
    draw.rounded_rectangle((x, y, x + 360, y + 84), radius=16, fill=(245, 158, 11))
    draw.text((x + 40, y + 22), copy.cta, font=cta_font, fill="black")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _ms(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall ms, process CPU ms) of one call."""
    t, c = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000


def run() -> dict[str, float]:
    palette = Palette(
        name="Routewise",
        primary=(15, 118, 110),
        secondary=(8, 60, 56),
        accent=(245, 158, 11),
        background=(255, 255, 255),
        text=(15, 23, 42),
    )
    copy = CopyText(
        headline="Plan delivery routes in minutes, not hours",
        bodies=("Route planning for busy dispatch teams",),
        cta="Start free trial",
    )
    photo = _photo(1600, 1200, 1)
    pixels = np.asarray(photo, dtype=np.uint8)
    # As in the pipeline: decoded once per image, subject found once per image.
    source = _Source(pixels=pixels, full_size=photo.size, subject=find_subject(pixels))
    logo = _logo()
    results: dict[str, float] = {}

    # In the pipeline the match stage hands compose the crop and the text zone; do the same here.
    zones = {fmt: choose_zone(_base_for(source, None, fmt), fmt) for fmt in AdFormat}

    brand = _BrandKit(palette, logo, "", DEFAULT_FACES, copy)

    def one(fmt: AdFormat) -> None:
        # As the stage builds it: cropped to cover, or framed when covering would enlarge > 1.5×.
        job = _job_for(fmt, None, source, brand, "v1", frame=False)
        job = replace(job, zone=job.zone or zones[fmt], image_id="bench", image_source="site")
        render_creative(job).png()

    for fmt in AdFormat:
        one(fmt)  # warm font and cascade caches
        timed = [_timed(functools.partial(one, fmt)) for _ in range(REPEATS)]
        results[f"compose_{fmt.value}_ms"] = round(statistics.median(t for t, _c in timed), 1)
        results[f"compose_{fmt.value}_cpu_ms"] = round(statistics.median(c for _t, c in timed), 1)
    results["compose_square_median_ms"] = results["compose_square_ms"]
    fonts = _bare_fonts()
    for fmt in AdFormat:
        _bare(photo, fmt, copy, fonts)
        bare_runs = [_timed(functools.partial(_bare, photo, fmt, copy, fonts)) for _ in range(REPEATS)]
        bare = statistics.median(t for t, _c in bare_runs)
        bare_cpu = statistics.median(c for _t, c in bare_runs)
        results[f"bare_{fmt.value}_ms"] = round(bare, 1)
        results[f"bare_{fmt.value}_cpu_ms"] = round(bare_cpu, 1)
        results[f"compose_vs_bare_{fmt.value}"] = round(results[f"compose_{fmt.value}_ms"] / max(bare, 1e-3), 2)
        cpu_ratio = results[f"compose_{fmt.value}_cpu_ms"] / max(bare_cpu, 1e-3)
        results[f"compose_vs_bare_{fmt.value}_cpu"] = round(cpu_ratio, 2)
    pixels = np.asarray(_photo(1080, 1080, 2), dtype=np.uint8)
    results["compose_encode_square_ms"] = round(
        statistics.median(_ms(lambda: encode_png(pixels)) for _ in range(REPEATS)), 1
    )

    with tempfile.TemporaryDirectory() as tmp:
        store = ArtifactStore(Path(tmp))
        ctx = StageContext(run_id="pipeline-bench", settings=Settings(), store=store)
        images = []
        for i in range(4):
            buf = io.BytesIO()
            _photo(1800, 1200, 10 + i).save(buf, "JPEG", quality=88)
            ref = store.put(f"pipeline-bench/images/img{i}.jpg", buf.getvalue(), "image/jpeg")
            images.append(ImageAsset(url=f"https://b.test/img{i}.jpg", alt=f"photo {i}", artifact=ref))
        buf = io.BytesIO()
        _logo().save(buf, "PNG")
        logo_ref = store.put("pipeline-bench/logo.png", buf.getvalue(), "image/png")
        profile = BrandProfile(
            url="https://b.test",
            brand_name="Routewise",
            assets=BrandAssets(
                logo=LogoAsset(url="https://b.test/logo.png", artifact=logo_ref),
                colors=[BrandColor(role="primary", hex="#0f766e")],
                images=images,
            ),
        )
        variants = _variants()
        formats = list(AdFormat)

        async def pipeline() -> float:
            matches = await asyncio.gather(
                *(
                    match_images(
                        MatchInput(
                            run_id="pipeline-bench",
                            profile=profile,
                            variants=variants,
                            variant_id=v.id,
                            formats=formats,
                        ),
                        ctx,
                    )
                    for v in variants
                )
            )
            t = time.perf_counter()
            await asyncio.gather(
                *(
                    compose_creatives(
                        ComposeInput(run_id="pipeline-bench", profile=profile, variant=v, matches=m, formats=formats),
                        ctx,
                    )
                    for v, m in zip(variants, matches, strict=True)
                )
            )
            return (time.perf_counter() - t) * 1000

        asyncio.run(pipeline())  # warm-up
        results["compose_3x4_wall_ms"] = round(statistics.median(asyncio.run(pipeline()) for _ in range(3)), 1)
    return results


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
