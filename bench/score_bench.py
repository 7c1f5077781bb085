"""Score-stage timings: one creative = copy factors + visual factors + heatmap (target ≤ 100 ms
with a layout record; ≤ 250 ms for a file scored without one, text found on the pixels), and
`brandtruth score --batch` throughput (creatives per second, 100 lines, one process).

The creatives are realistic: a real photograph (scikit-learn's bundled sample photo, offline)
scaled to the format, a dark headline panel, a CTA button and a logo plate, saved as PNG like the
compose stage does. Each timing covers reading the PNG from the artifact store, decoding it,
measuring every factor, encoding and storing the heatmap, and building the `CreativeScore`.
`score_creative_ms_median` (square, the default format) is the number held to the target;
the CPU-time figure is there because wall time on a shared 2-core machine swings with load.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import font_roboto
import numpy as np
from PIL import Image, ImageDraw, ImageFont
from sklearn.datasets import load_sample_image

from brandtruth.config import Settings
from brandtruth.imaging.png import encode_png
from brandtruth.models.brand import BrandProfile, Claim, ClaimKind, Evidence, PageInfo, Risk
from brandtruth.models.common import Box
from brandtruth.models.copy import Angle, ClaimUse, CopyVariant, Platform
from brandtruth.models.creative import AdFormat, Creative, CreativeLayout, TextBox, VariantCreatives
from brandtruth.models.stage_io import ScoreInput
from brandtruth.stages.context import StageContext
from brandtruth.stages.score import load_active_model, score_variant
from brandtruth.stages.score.stage import _copy_part, claim_policy_failures, score_creative_sync
from brandtruth.storage.artifacts import ArtifactStore

RUNS = 15
WARMUP = 2
RUN_ID = "pipeline-bench"


def _profile() -> BrandProfile:
    ev = Evidence(url="https://acme.test/", quote="Acme cuts cloud bills by 40% in 30 days.")
    return BrandProfile(
        url="https://acme.test/",
        brand_name="Acme Cloud",
        pages=[PageInfo(url="https://acme.test/", fetched_at=datetime(2024, 1, 1, tzinfo=UTC), status=200)],
        claims=[Claim(id="c1", text="Cuts cloud bills by 40%", kind=ClaimKind.STATISTIC, risk=Risk.LOW, evidence=[ev])],
    )


def _variant() -> CopyVariant:
    return CopyVariant(
        id="v1",
        platform=Platform.META,
        angle=Angle.BENEFIT,
        headline="Cut your cloud bill by 40%",
        primary_text="Acme Cloud finds idle servers and shuts them down, so you stop paying for nothing.",
        cta="Start free trial",
        claims_used=[ClaimUse(claim_id="c1", span="Cut your cloud bill by 40%")],
    )


def _creative(store: ArtifactStore, fmt: AdFormat) -> Creative:
    w, h = fmt.size
    photo = Image.fromarray(load_sample_image("china.jpg")).resize((w, h), Image.Resampling.LANCZOS)
    draw = ImageDraw.Draw(photo)
    font = ImageFont.truetype(font_roboto.RobotoBold, 64)
    safe = Box(left=60, top=round(h * 0.12), right=w - 60, bottom=h - round(h * 0.16))
    head = Box(left=safe.left, top=safe.bottom - 320, right=safe.right, bottom=safe.bottom - 200)
    draw.rectangle([head.left, head.top, head.right, head.bottom], fill=(12, 12, 12))
    draw.text((head.left + 30, head.top + 25), "Cut your cloud bill by 40%", font=font, fill=(255, 255, 255))
    cta = Box(left=safe.left, top=safe.bottom - 150, right=safe.left + 420, bottom=safe.bottom - 40)
    draw.rectangle([cta.left, cta.top, cta.right, cta.bottom], fill=(255, 200, 0))
    draw.text((cta.left + 30, cta.top + 25), "Start free trial", font=font, fill=(20, 20, 20))
    logo = Box(left=safe.left, top=safe.top, right=safe.left + 200, bottom=safe.top + 80)
    draw.rectangle([logo.left, logo.top, logo.right, logo.bottom], fill=(255, 255, 255))
    draw.text((logo.left + 20, logo.top + 8), "ACME", font=font, fill=(200, 30, 30))
    png = encode_png(np.asarray(photo, dtype=np.uint8))  # the compose stage's own PNG writer
    ref = store.put(f"{RUN_ID}/creatives/v1-{fmt.value}.png", png, "image/png")
    layout = CreativeLayout(
        text_boxes=[
            TextBox(role="headline", text="Cut your cloud bill by 40%", box=head, font_size=64, contrast=18.1),
            TextBox(role="cta", text="Start free trial", box=cta, font_size=64, contrast=12.3),
        ],
        logo_box=logo,
        cta_box=cta,
        safe_zone=safe,
    )
    return Creative(variant_id="v1", format=fmt, width=w, height=h, artifact=ref, layout=layout)


def _median_ms(fn: object, runs: int = RUNS, clock: object = time.perf_counter) -> float:
    """Median wall time (or `clock`, e.g. process CPU time, which shared machines disturb less)."""
    assert callable(fn) and callable(clock)
    for _ in range(WARMUP):
        fn()
    samples: list[float] = []
    for _ in range(runs):
        t0 = clock()
        fn()
        samples.append((clock() - t0) * 1000.0)
    return round(statistics.median(samples), 1)


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(BRANDTRUTH_DATA_DIR=Path(tmp))
        store = ArtifactStore(settings.artifacts_dir)
        ctx = StageContext(run_id=RUN_ID, settings=settings, store=store)
        profile, variant = _profile(), _variant()
        model = load_active_model(settings)
        failures = claim_policy_failures(variant, profile)
        creatives = {fmt: _creative(store, fmt) for fmt in AdFormat}

        def one(fmt: AdFormat) -> None:
            copy = _copy_part(variant, profile)
            score_creative_sync(ctx, model, variant, creatives[fmt], copy, failures)

        out: dict[str, float] = {}
        for fmt in AdFormat:
            out[f"score_creative_{fmt.value}_ms_median"] = _median_ms(lambda fmt=fmt: one(fmt))
        out["score_creative_ms_median"] = out["score_creative_square_ms_median"]
        out["score_creative_square_cpu_ms_median"] = _median_ms(lambda: one(AdFormat.SQUARE), clock=time.process_time)
        out["score_copy_only_ms_median"] = _median_ms(lambda: _copy_part(variant, profile))
        inp = ScoreInput(
            run_id=RUN_ID,
            profile=profile,
            variant=variant,
            creatives=VariantCreatives(variant_id="v1", creatives=list(creatives.values())),
        )
        out["score_variant_4_formats_ms_median"] = _median_ms(lambda: asyncio.run(score_variant(inp, ctx)), runs=5)
        out["score_creative_target_ms"] = 100.0
        out.update(_file_numbers(store, creatives[AdFormat.SQUARE], Path(tmp)))
        return out


def _file_numbers(store: ArtifactStore, creative: Creative, tmp: Path) -> dict[str, float]:
    """No layout record: decode the file, find text/CTA/logo on the pixels, measure, score."""
    import json
    import os
    import subprocess
    import sys

    from brandtruth.stages.score.image_score import AdCopy, BrandContext, decode_creative, score_image
    from brandtruth.stages.score.model import HeuristicModel

    data = store.read(creative.artifact)
    copy = AdCopy(
        headline="Cut your cloud bill by 40%", primary_text="Acme Cloud finds idle servers.", cta="Start free trial"
    )
    brand = BrandContext(name="Acme Cloud", palette=[(255, 200, 0), (12, 12, 12)])
    model = HeuristicModel()

    def one() -> None:
        score_image(decode_creative(data, "bench.png"), model, copy=copy, brand=brand)

    out = {
        "score_file_no_layout_square_ms_median": _median_ms(one),
        "score_file_no_layout_square_cpu_ms_median": _median_ms(one, clock=time.process_time),
        "score_file_no_layout_target_ms": 250.0,
    }
    image = tmp / "bench-square.png"
    image.write_bytes(data)
    batch = tmp / "batch.jsonl"
    line = {"image": str(image), "headline": copy.headline, "primary_text": copy.primary_text, "cta": copy.cta}
    batch.write_text("".join(json.dumps(line) + "\n" for _ in range(100)))
    env = {**os.environ, "BRANDTRUTH_DATA_DIR": str(tmp / "batch-data")}
    cmd = [sys.executable, "-m", "brandtruth.cli", "score", "--batch", str(batch), "--json"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900, check=False)
    elapsed = time.perf_counter() - t0
    scored = sum(1 for x in proc.stdout.splitlines() if x.strip() and "error" not in json.loads(x))
    out["score_batch_100_seconds"] = round(elapsed, 2)
    out["score_batch_creatives_per_second"] = round(scored / elapsed, 2) if elapsed > 0 else 0.0
    out["score_batch_scored"] = float(scored)
    return out


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key:40} {value}")
