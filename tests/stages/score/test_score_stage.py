"""The score stage end to end on real PNGs: structure, exact sums, monotonicity, policy gates."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image

from brandtruth.models.copy import ClaimUse
from brandtruth.models.creative import AdFormat, VariantCreatives
from brandtruth.models.score import CreativeScore, Tier, VariantScore
from brandtruth.stages.context import StageContext
from brandtruth.stages.score import ScoreInputError, score_variant
from brandtruth.stages.score.model import POLICY_CAP
from brandtruth.storage.artifacts import ArtifactStore

from .conftest import CreativeSpec, MakeInput, Recorder, make_profile, make_variant


def _factor(score: CreativeScore, name: str) -> float:
    f = next(f for f in score.factors if f.name == name)
    assert f.quality is not None
    return f.quality


def _assert_sums(score: CreativeScore) -> None:
    total = sum(Decimal(str(f.contribution)) for f in score.factors)
    assert total == Decimal(str(score.score)), (score.format, total, score.score)
    assert score.confidence_low <= score.score <= score.confidence_high


async def test_scores_copy_and_every_creative(
    make_input: MakeInput, ctx: StageContext, store: ArtifactStore, heartbeats: Recorder
) -> None:
    inp = make_input(specs=[CreativeSpec(fmt=f) for f in AdFormat])
    result = await score_variant(inp, ctx)

    assert isinstance(result, VariantScore)
    assert [c.format for c in result.creatives] == [None, *AdFormat]
    copy_only, *per_format = result.creatives
    assert copy_only.heatmap is None
    assert {f.group for f in copy_only.factors} == {"baseline", "copy"}
    assert result.score == round(sum(c.score for c in per_format) / len(per_format), 2)
    assert result.model is not None and result.model.name == "heuristic-v1"
    assert result.model.kind == "prior" and not result.model.trained_on_user_data
    for c in result.creatives:
        _assert_sums(c)
        assert c.model.name == "heuristic-v1"
        assert c.tier in set(Tier)
    for c, creative in zip(per_format, inp.creatives.creatives, strict=True):
        names = {f.name for f in c.factors}
        assert {
            "legibility",
            "clutter",
            "colorfulness",
            "face",
            "text_on_salient",
            "brand_presence",
            "sharpness",
        } <= names
        assert {"safe_zone", "aspect_fit", "text_coverage", "cta_prominence", "copy_length", "cta_strength"} <= names
        assert c.heatmap is not None
        assert c.heatmap.path == f"{ctx.run_id}/heatmaps/v1-{creative.format.value}.png"
        with Image.open(io.BytesIO(store.read(c.heatmap))) as heat:
            assert heat.size == (creative.width, creative.height)
    # One heartbeat per creative plus the copy score.
    assert len(heartbeats.beats) >= len(per_format) + 1
    assert result.policy_failures == []


async def test_contributions_sum_exactly_under_policy_cap(make_input: MakeInput, ctx: StageContext) -> None:
    variant = make_variant(
        claims_used=[*make_variant().claims_used, ClaimUse(claim_id="c404", span="Acme Cloud")],
    )
    result = await score_variant(make_input(variant=variant, specs=[CreativeSpec(fmt=AdFormat.STORY)]), ctx)
    for c in result.creatives:
        _assert_sums(c)
        assert c.score <= POLICY_CAP
        cap = next(f for f in c.factors if f.name == "policy_cap")
        assert cap.contribution < 0
        assert any("c404" in p for p in c.policy_failures)
    assert result.top_fixes[0].startswith("Policy: unsupported claim")


@pytest.mark.parametrize("claim_id", ["c404", "c9"])
async def test_adding_unsupported_or_blocked_claim_never_raises_score(
    make_input: MakeInput, ctx: StageContext, claim_id: str
) -> None:
    base = make_variant()
    before = await score_variant(make_input(variant=base), ctx)
    worse = base.model_copy(
        update={"claims_used": [*base.claims_used, ClaimUse(claim_id=claim_id, span="The #1 cloud platform")]}
    )
    after = await score_variant(make_input(variant=worse), ctx)
    assert after.score <= before.score
    for b, a in zip(before.creatives, after.creatives, strict=True):
        assert a.score <= b.score
        assert a.policy_failures and not b.policy_failures
    kind = "blocked" if claim_id == "c9" else "unsupported"
    assert any(kind in p for p in after.policy_failures)


async def test_raising_contrast_never_lowers_contrast_factor(make_input: MakeInput, ctx: StageContext) -> None:
    # Headline drawn straight on the photo (no panel), text going from mid-grey to white.
    greys = [120, 150, 180, 210, 240, 255]
    specs = [CreativeSpec(panel=None, text_color=(g, g, g), seed=3) for g in greys]
    measured: list[tuple[float, float]] = []
    for spec in specs:
        inp = make_input(specs=[spec])
        result = await score_variant(inp, ctx)
        contrast = min(t.contrast for t in inp.creatives.creatives[0].layout.text_boxes)
        measured.append((contrast, _factor(result.creatives[1], "legibility")))
    measured.sort()
    qualities = [q for _, q in measured]
    assert qualities == sorted(qualities)
    assert qualities[0] < qualities[-1], measured


async def test_broken_safe_zone_is_a_policy_failure(make_input: MakeInput, ctx: StageContext) -> None:
    good = await score_variant(make_input(specs=[CreativeSpec(fmt=AdFormat.STORY)]), ctx)
    broken_inp = make_input(specs=[CreativeSpec(fmt=AdFormat.STORY, shift_headline=(0, 330))])
    broken = await score_variant(broken_inp, ctx)
    story = broken.creatives[1]
    assert _factor(story, "safe_zone") == 0.0
    assert any("broken safe zone (story)" in p and "headline" in p for p in story.policy_failures)
    assert story.score <= POLICY_CAP < good.creatives[1].score
    # The copy itself is fine: the copy-only score carries no failure.
    assert broken.creatives[0].policy_failures == []
    _assert_sums(story)


async def test_weak_copy_gets_ranked_fixes(make_input: MakeInput, ctx: StageContext) -> None:
    weak = make_variant(
        headline="We are a company that provides comprehensive infrastructure optimisation capabilities",
        primary_text=(
            "Organisations utilising heterogeneous multi-cloud infrastructures frequently experience "
            "considerable inefficiencies attributable to underutilised provisioned computational resources."
        ),
        cta="Learn more",
        claims_used=[],
    )
    strong_result = await score_variant(make_input(), ctx)
    weak_result = await score_variant(make_input(variant=weak), ctx)
    assert weak_result.score < strong_result.score
    assert weak_result.creatives[0].tier in {Tier.POOR, Tier.WEAK, Tier.AVERAGE}
    joined = " ".join(weak_result.top_fixes)
    assert "CTA strength" in joined and "Copy length" in joined
    gains = [float(f.rsplit("(+", 1)[1].split(" pts")[0]) for f in weak_result.top_fixes]
    assert gains == sorted(gains, reverse=True)


async def test_unbacked_number_lowers_specificity(make_input: MakeInput, ctx: StageContext) -> None:
    backed = await score_variant(make_input(specs=[]), ctx)
    unbacked_variant = make_variant(headline="Cut your cloud bill by 75%")
    unbacked = await score_variant(make_input(variant=unbacked_variant, specs=[]), ctx)
    assert _factor(unbacked.creatives[0], "specificity") < _factor(backed.creatives[0], "specificity")
    spec = next(f for f in unbacked.creatives[0].factors if f.name == "specificity")
    assert "75%" in spec.reason and spec.fix is not None
    # No creatives: the variant score is the copy-only score.
    assert backed.score == backed.creatives[0].score and len(backed.creatives) == 1


async def test_mismatched_variant_rejected(make_input: MakeInput, ctx: StageContext) -> None:
    inp = make_input()
    bad = inp.model_copy(update={"creatives": VariantCreatives(variant_id="v2", creatives=inp.creatives.creatives)})
    with pytest.raises(ScoreInputError, match="v2"):
        await score_variant(bad, ctx)


async def test_missing_creative_file_rejected(make_input: MakeInput, ctx: StageContext, store: ArtifactStore) -> None:
    inp = make_input()
    store.path_of(inp.creatives.creatives[0].artifact).unlink()
    with pytest.raises(ScoreInputError, match="missing"):
        await score_variant(inp, ctx)


async def test_profile_brand_mentions(make_input: MakeInput, ctx: StageContext) -> None:
    no_brand = make_variant(primary_text="Finds idle servers and shuts them down. Trusted by 2,000 teams.")
    result = await score_variant(make_input(variant=no_brand, profile=make_profile(), specs=[]), ctx)
    brand = next(f for f in result.creatives[0].factors if f.name == "brand_name")
    assert brand.quality == 0.0 and brand.fix is not None and "Acme Cloud" in brand.fix


async def test_face_detected_on_the_creative(make_input: MakeInput, ctx: StageContext) -> None:
    with_face = await score_variant(make_input(specs=[CreativeSpec(background="face", logo=False)]), ctx)
    without = await score_variant(make_input(specs=[CreativeSpec(background="flat", logo=False)]), ctx)
    assert _factor(with_face.creatives[1], "face") == 1.0
    assert _factor(without.creatives[1], "face") < 1.0


async def test_busy_background_scores_more_clutter(make_input: MakeInput, ctx: StageContext) -> None:
    calm = await score_variant(make_input(specs=[CreativeSpec(background="flat")]), ctx)
    busy = await score_variant(make_input(specs=[CreativeSpec(background="busy")]), ctx)
    calm_c = next(f for f in calm.creatives[1].factors if f.name == "clutter")
    busy_c = next(f for f in busy.creatives[1].factors if f.name == "clutter")
    assert busy_c.value > calm_c.value and busy_c.quality is not None and busy_c.quality < 0.5
    assert busy.creatives[1].score < calm.creatives[1].score
    assert any("Background clutter" in fix for fix in busy.top_fixes)


async def test_heatmap_marks_where_attention_goes(
    make_input: MakeInput, ctx: StageContext, store: ArtifactStore
) -> None:
    inp = make_input(specs=[CreativeSpec(fmt=AdFormat.LANDSCAPE)])
    result = await score_variant(inp, ctx)
    ref = result.creatives[1].heatmap
    assert ref is not None and ref.content_type == "image/png"
    with Image.open(io.BytesIO(store.read(ref))) as heat:
        assert heat.mode == "P" and heat.size == AdFormat.LANDSCAPE.size
        low, high = heat.getextrema()  # one band: (min, max)
    assert isinstance(low, int | float) and isinstance(high, int | float)
    assert low < high  # not a flat map
