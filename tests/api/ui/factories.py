"""Runs built in memory (with real PNG files in an artifact store) for the export and page tests.

The pipeline's own stages are exercised end to end by the browser tests; these builders give the
export tests exact, known copy and scores to compare a manifest against.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from PIL import Image

from brandtruth.models.brand import BrandProfile, Claim, ClaimKind, Evidence, Risk
from brandtruth.models.common import ArtifactRef, Box
from brandtruth.models.copy import Angle, ClaimUse, CopyVariant, Platform
from brandtruth.models.creative import AdFormat, Creative, CreativeLayout
from brandtruth.models.pipeline import (
    ApprovalDecision,
    PipelineRequest,
    PipelineResult,
    ProgressEvent,
    Stage,
    VariantResult,
)
from brandtruth.models.score import CreativeScore, Factor, ModelInfo, Tier, VariantScore
from brandtruth.storage import ArtifactStore

MODEL = ModelInfo(name="heuristic-v1", version="1")


def png(width: int, height: int, color: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "PNG")
    return buf.getvalue()


def _creative(store: ArtifactStore, run_id: str, variant_id: str, fmt: AdFormat, shade: int) -> Creative:
    w, h = fmt.size
    # Small files keep the tests fast; the declared size is what the manifest reports.
    ref = store.put(f"{run_id}/creatives/{variant_id}-{fmt.value}.png", png(w // 20, h // 20, (shade, 90, 140)))
    return Creative(
        variant_id=variant_id,
        format=fmt,
        width=w,
        height=h,
        artifact=ref,
        layout=CreativeLayout(safe_zone=Box(left=0, top=0, right=w, bottom=h)),
    )


def _score(
    variant_id: str, formats: list[AdFormat], base: float, heatmaps: dict[AdFormat, ArtifactRef] | None = None
) -> VariantScore:
    factor = Factor(name="text_contrast", value=5.1, target="≥ 4.5:1", weight=10, contribution=5, reason="ok")
    per = [
        CreativeScore(
            variant_id=variant_id,
            format=fmt,
            score=base + i,
            tier=Tier.GOOD,
            confidence_low=base - 10,
            confidence_high=base + 10,
            model=MODEL,
            factors=[factor],
            heatmap=(heatmaps or {}).get(fmt),
        )
        for i, fmt in enumerate(formats)
    ]
    return VariantScore(variant_id=variant_id, score=base + 1, tier=Tier.GOOD, creatives=per, model=MODEL)


def build_run(
    store: ArtifactStore,
    *,
    run_id: str = "pipeline-00aa11bb22cc",
    url: str = "https://brand.example/",
    stage: Stage = Stage.AWAITING_APPROVAL,
    approved: list[str] | None = None,
    texts: dict[str, dict[str, str]] | None = None,
    formats: tuple[AdFormat, ...] = (AdFormat.SQUARE, AdFormat.STORY),
    heatmaps: bool = False,
    brand_name: str = "Clear & Bright",
) -> PipelineResult:
    """Three variants (v1 meta, v2 linkedin, v3 google_rsa), each with a PNG per format.

    Times are a minute ago, so a run awaiting approval is still within its approval window.
    """
    t0 = datetime.now(UTC) - timedelta(minutes=1)
    platforms = [Platform.META, Platform.LINKEDIN, Platform.GOOGLE_RSA]
    claim = Claim(
        id="c1",
        text="Trusted by 12,000 teams",
        kind=ClaimKind.STATISTIC,
        risk=Risk.MEDIUM,
        evidence=[Evidence(url=url, quote="Trusted by 12,000 teams worldwide.", section="Hero")],
    )
    profile = BrandProfile(url=url, brand_name=brand_name, tagline="Reports you trust", claims=[claim])
    variants: list[VariantResult] = []
    for i, platform in enumerate(platforms, start=1):
        vid = f"v{i}"
        t = (texts or {}).get(vid, {})
        variant = CopyVariant(
            id=vid,
            platform=platform,
            angle=Angle.SOCIAL_PROOF,
            headline=t.get("headline", f"Headline {vid}"),
            primary_text=t.get("primary_text", f"Trusted by 12,000 teams. Primary {vid}."),
            description=t.get("description", f"Description {vid}"),
            cta=t.get("cta", "Learn More"),
            headlines=[f"H{n} {vid}" for n in range(3)] if platform is Platform.GOOGLE_RSA else [],
            descriptions=[f"D{n} {vid}" for n in range(2)] if platform is Platform.GOOGLE_RSA else [],
            path1="reports" if platform is Platform.GOOGLE_RSA else "",
            claims_used=[ClaimUse(claim_id="c1", span="Trusted by 12,000 teams")],
        )
        creatives = [_creative(store, run_id, vid, fmt, 40 * i) for fmt in formats]
        heat = (
            {f: store.put(f"{run_id}/heatmaps/{vid}-{f.value}.png", png(20, 20, (250, 60, 30))) for f in formats}
            if heatmaps
            else None
        )
        variants.append(
            VariantResult(variant=variant, creatives=creatives, score=_score(vid, list(formats), 60.0 + 5 * i, heat))
        )
    events = [
        ProgressEvent(workflow_id=run_id, seq=n + 1, stage=s, progress_percent=10 * n, message=s.value, at=t0)
        for n, s in enumerate(
            [Stage.PENDING, Stage.EXTRACTING, Stage.GENERATING, Stage.MATCHING, Stage.COMPOSING, Stage.SCORING]
        )
    ]
    events.append(
        ProgressEvent(
            workflow_id=run_id,
            seq=len(events) + 1,
            stage=Stage.AWAITING_APPROVAL,
            progress_percent=95,
            message="ready",
            at=t0 + timedelta(seconds=5),
        )
    )
    result = PipelineResult(
        workflow_id=run_id,
        stage=stage,
        mode="fallback",
        request=PipelineRequest(url=url, num_variants=1, platforms=platforms, formats=list(formats)),
        brand_profile=profile,
        variants=variants,
        started_at=t0,
        events=events,
    )
    if approved is not None:
        ids = [v.variant.id for v in variants]
        result.decision = ApprovalDecision(
            approved_ids=[i for i in ids if i in approved],
            rejected_ids=[i for i in ids if i not in approved],
            comment="ship it",
            decided_at=t0 + timedelta(seconds=30),
            via="fallback",
        )
    return result
