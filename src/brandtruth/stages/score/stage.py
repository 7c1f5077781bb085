"""The `score` stage: explainable predicted performance per variant and per creative.

For a variant it produces a copy-only score (format None) and one score per composed creative
(copy + visual factors measured on the PNG), each with factors whose contributions sum to the
score, a confidence band, the model that produced it, policy failures, and an attention heatmap
stored at `{run_id}/heatmaps/{variant_id}-{format}.png`. The variant's score is the mean of its
creatives' scores (the copy-only score when it has none); `top_fixes` ranks what to change first
by the points it would add to that mean.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict

from brandtruth.errors import UnsupportedContentError
from brandtruth.models.brand import BrandProfile, Risk
from brandtruth.models.copy import CopyVariant
from brandtruth.models.creative import Creative
from brandtruth.models.score import CreativeScore, Factor, Tier, VariantScore
from brandtruth.models.stage_io import ScoreInput
from brandtruth.stages.context import StageContext
from brandtruth.stages.score.copy_factors import CopyText, measure_copy
from brandtruth.stages.score.errors import ScoreInputError
from brandtruth.stages.score.factors import SPEC_BY_NAME, Measurement
from brandtruth.stages.score.image_score import AdCopy, BrandContext, measure_image
from brandtruth.stages.score.model import ScoringModel, load_active_model, lowest_tier, tier_cap, tier_for
from brandtruth.stages.score.visual import decode_stored_creative, heatmap_png
from brandtruth.storage.artifacts import UnsafeArtifactPath

MAX_TOP_FIXES = 5


def claim_policy_failures(variant: CopyVariant, profile: BrandProfile) -> list[str]:
    """Claims the copy rests on that the profile does not support (unknown or blocked)."""
    out: list[str] = []
    for use in variant.claims_used:
        claim = profile.claim(use.claim_id)
        if claim is None:
            out.append(f"unsupported claim: '{use.span}' cites {use.claim_id}, which is not in the brand profile")
        elif claim.risk is Risk.BLOCKED:
            why = f" ({claim.risk_reason})" if claim.risk_reason else ""
            out.append(f"blocked claim used: '{use.span}' rests on {use.claim_id}{why}")
    return out


def _score(
    model: ScoringModel,
    variant_id: str,
    creative: Creative | None,
    measurements: list[Measurement],
    failures: list[str],
) -> CreativeScore:
    scored = model.score(measurements, failures)
    return CreativeScore(
        variant_id=variant_id,
        format=creative.format if creative else None,
        score=scored.score,
        tier=tier_for(scored.score, tier_cap(scored.factors) if creative else Tier.EXCELLENT),
        confidence_low=scored.confidence_low,
        confidence_high=scored.confidence_high,
        model=model.info,
        factors=scored.factors,
        policy_failures=failures,
        predicted_ctr=scored.predicted_ctr,
    )


def score_creative_sync(
    ctx: StageContext,
    model: ScoringModel,
    variant: CopyVariant,
    creative: Creative,
    copy_measurements: list[Measurement],
    claim_failures: list[str],
    brand: BrandContext | None = None,
) -> CreativeScore:
    """Decode, measure, write the heatmap and score one creative (blocking; run in a thread)."""
    what = f"creative {creative.artifact.path}"
    try:
        data = ctx.store.read(creative.artifact)
    except (FileNotFoundError, UnsupportedContentError, UnsafeArtifactPath) as exc:
        raise ScoreInputError(f"{what} is missing from the artifact store: {exc}") from exc
    pixels, is_rgb = decode_stored_creative(data, what)
    an, scene, visual, violations = measure_image(
        pixels,
        is_rgb=is_rgb,
        layout=creative.layout,
        fmt=creative.format,
        copy=AdCopy(platform=variant.platform),
        brand=brand or BrandContext(),
    )
    failures = claim_failures + [f"broken safe zone ({creative.format.value}): {v}" for v in violations]
    heat_ref = ctx.store.put(
        f"{ctx.run_id}/heatmaps/{variant.id}-{creative.format.value}.png", heatmap_png(an, scene), "image/png"
    )
    result = _score(model, variant.id, creative, copy_measurements + visual, failures)
    return result.model_copy(update={"heatmap": heat_ref})


def _copy_part(variant: CopyVariant, profile: BrandProfile) -> list[Measurement]:
    return measure_copy(CopyText.from_variant(variant, profile.brand_name), profile)


def top_fixes_of(factor_lists: list[list[Factor]], failures: list[str], formats: list[str] | None) -> list[str]:
    """What to change first: policy failures, then fixes ranked by points added to the mean score.

    `formats` names each factor list's format (to say where a fix applies), or is None.
    """
    out = list(dict.fromkeys(f"Policy: {f}" for f in failures))
    gains: dict[str, float] = defaultdict(float)
    where: dict[str, list[str]] = defaultdict(list)
    fix_text: dict[str, str] = {}
    n = max(1, len(factor_lists))
    for i, factors in enumerate(factor_lists):
        for f in factors:
            if f.fix is None or f.quality is None or f.name not in SPEC_BY_NAME:
                continue
            gain = f.weight * (1.0 - f.quality) if f.weight >= 0 else -f.weight * f.quality
            if gain <= 0.0:
                continue
            gains[f.name] += gain / n
            fix_text.setdefault(f.name, f.fix)
            if formats is not None:
                where[f.name].append(formats[i])
    ranked = [name for name in sorted(gains, key=lambda k: gains[k], reverse=True) if gains[name] >= 0.5]
    for name in ranked[:MAX_TOP_FIXES]:
        fmts = where[name]
        scope = f" [{', '.join(fmts)}]" if fmts and len(fmts) < n else ""
        out.append(f"{SPEC_BY_NAME[name].label}: {fix_text[name]} (+{gains[name]:.1f} pts){scope}")
    return out


def top_fixes(scores: list[CreativeScore]) -> list[str]:
    """What to change first across a variant's creatives."""
    failures = [f for s in scores for f in s.policy_failures]
    has_formats = all(s.format is not None for s in scores)
    formats = [s.format.value for s in scores if s.format is not None] if has_formats else None
    return top_fixes_of([s.factors for s in scores], failures, formats)


async def score_variant(inp: ScoreInput, ctx: StageContext) -> VariantScore:
    """Score a variant's copy and each of its composed creatives."""
    variant = inp.variant
    if inp.creatives.variant_id != variant.id:
        raise ScoreInputError(f"creatives belong to {inp.creatives.variant_id}, not to variant {variant.id}")
    for c in inp.creatives.creatives:
        if c.variant_id != variant.id:
            raise ScoreInputError(f"creative {c.artifact.path} belongs to {c.variant_id}, not {variant.id}")

    model = await asyncio.to_thread(load_active_model, ctx.settings)
    brand = await asyncio.to_thread(BrandContext.from_profile, inp.profile, [ctx.settings.artifacts_dir])
    copy_measurements = await asyncio.to_thread(_copy_part, variant, inp.profile)
    claim_failures = claim_policy_failures(variant, inp.profile)
    copy_only = _score(model, variant.id, None, copy_measurements, claim_failures)
    ctx.heartbeat(f"scored copy of {variant.id}")

    per_format: list[CreativeScore] = []
    for creative in inp.creatives.creatives:
        per_format.append(
            await asyncio.to_thread(
                score_creative_sync, ctx, model, variant, creative, copy_measurements, claim_failures, brand
            )
        )
        ctx.heartbeat(f"scored {variant.id} {creative.format.value}")

    basis = per_format or [copy_only]
    score = round(sum(s.score for s in basis) / len(basis), 2)
    return VariantScore(
        variant_id=variant.id,
        score=score,
        tier=tier_for(score, lowest_tier([tier_cap(s.factors) for s in per_format])),
        creatives=[copy_only, *per_format],
        top_fixes=top_fixes(basis),
        confidence_low=round(sum(s.confidence_low for s in basis) / len(basis), 2),
        confidence_high=round(sum(s.confidence_high for s in basis) / len(basis), 2),
        model=model.info,
        policy_failures=list(dict.fromkeys(f for s in basis for f in s.policy_failures)),
    )
