"""Properties of the scoring arithmetic and of individual factor measurements."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from brandtruth.models.copy import Platform
from brandtruth.stages.score.copy_factors import (
    CopyText,
    cta_strength,
    measure_hook,
    measure_length,
    measure_specificity,
)
from brandtruth.stages.score.factors import FACTOR_NAMES, Measurement
from brandtruth.stages.score.model import (
    POLICY_CAP,
    CalibratedModel,
    CalibratedModelFile,
    HeuristicModel,
    round_exact,
    tier_for,
)

from .conftest import make_profile

qualities = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
measurement_sets = st.dictionaries(st.sampled_from(FACTOR_NAMES), qualities, min_size=1).map(
    lambda d: [Measurement(name, q * 10, q, "t", "r", None if q == 1 else "fix") for name, q in d.items()]
)
failures = st.lists(st.text(min_size=1, max_size=20), max_size=2)


def _exact(factors_contrib: list[float], score: float) -> bool:
    return sum(Decimal(str(c)) for c in factors_contrib) == Decimal(str(score))


@settings(max_examples=200, deadline=None)
@given(measurement_sets, failures)
def test_prior_contributions_sum_exactly_and_stay_in_range(ms: list[Measurement], fails: list[str]) -> None:
    scored = HeuristicModel().score(ms, fails)
    assert 0.0 <= scored.score <= 100.0
    assert _exact([f.contribution for f in scored.factors], scored.score)
    assert scored.confidence_low <= scored.score <= scored.confidence_high
    if fails:
        assert scored.score <= POLICY_CAP


@settings(max_examples=200, deadline=None)
@given(measurement_sets, st.sampled_from(FACTOR_NAMES), qualities, qualities)
def test_raising_any_quality_never_lowers_prior_score(ms: list[Measurement], name: str, q1: float, q2: float) -> None:
    lo, hi = sorted((q1, q2))
    base = [m for m in ms if m.name != name]
    low = HeuristicModel().score([*base, Measurement(name, lo, lo, "t", "r")], []).score
    high = HeuristicModel().score([*base, Measurement(name, hi, hi, "t", "r")], []).score
    assert high >= low


@settings(max_examples=100, deadline=None)
@given(
    measurement_sets,
    st.lists(st.floats(min_value=-8, max_value=8, allow_nan=False), min_size=3, max_size=3),
    failures,
)
def test_calibrated_contributions_sum_exactly_even_when_clamped(
    ms: list[Measurement], coef: list[float], fails: list[str]
) -> None:
    spec = CalibratedModelFile(
        version="t",
        created_at="2024-01-01T00:00:00+00:00",
        features=["sentiment", "legibility", "clutter"],
        mean=[0.5, 0.5, 0.5],
        coef=coef,
        intercept=-4.0,
        scale=60.0,
        residual_sd_points=3.0,
        bootstrap_coef=[[c * 0.9 for c in coef], [c * 1.1 for c in coef]],
        rows=100,
        base_ctr=0.018,
    )
    scored = CalibratedModel(spec).score(ms, fails)
    assert 0.0 <= scored.score <= 100.0
    assert _exact([f.contribution for f in scored.factors], scored.score)
    assert scored.predicted_ctr is not None and 0 < scored.predicted_ctr < 1
    modelled = {"sentiment", "legibility", "clutter"}
    for f in scored.factors:
        if f.group in {"copy", "visual"} and f.name not in modelled:
            assert f.weight == 0 and f.contribution == 0


@given(st.lists(st.floats(min_value=-50, max_value=50, allow_nan=False), min_size=1, max_size=30))
def test_round_exact_hits_the_rounded_total(parts: list[float]) -> None:
    total = sum(parts)
    rounded = round_exact(parts, total)
    assert sum(Decimal(str(r)) for r in rounded) == Decimal(round(total * 100)) / 100
    assert all(abs(r - p) < 0.02 + 1e-9 for r, p in zip(rounded, parts, strict=True))


def test_length_uses_the_visible_limit_and_display_width() -> None:
    fits = measure_length(CopyText(platform=Platform.META, headline="Cut your cloud bill by 40%", primary_text="ok"))
    assert fits.quality == 1.0
    # 37 columns: accepted by Meta (40) but cut on mobile feed (27 visible).
    cut = measure_length(
        CopyText(platform=Platform.META, headline="Finance and ops teams at fast-growing", primary_text="ok")
    )
    assert cut.quality < 1.0 and "headline 37/27" in cut.reason
    # Full-width characters count double.
    cjk = measure_length(
        CopyText(platform=Platform.GOOGLE_RSA, headline="雲のコストを四割削減する方法をご紹介", primary_text="x")
    )
    assert cjk.value > 1.0
    rsa = measure_length(
        CopyText(platform=Platform.GOOGLE_RSA, headline="Short", primary_text="x", headlines=("y" * 31,))
    )
    assert "headlines 31/30" in rsa.reason


def test_cta_strength_orders_generic_below_specific() -> None:
    assert cta_strength("Learn more")[0] < cta_strength("Get started")[0] < cta_strength("Start free trial")[0]
    assert cta_strength("")[0] == 0.0
    assert cta_strength("Start your completely free fourteen day trial today")[0] < 1.0


def test_hosts_and_ips_are_not_specifics() -> None:
    copy = CopyText(
        platform=Platform.META, headline="Start free trial at 127.0.0.1 or acme3.example.com", primary_text=""
    )
    m = measure_specificity(copy, make_profile())
    assert m.value == 0 and "127" not in m.reason


def test_hook_rewards_reader_focus() -> None:
    weak = measure_hook(CopyText(platform=Platform.META, headline="We are a platform company", primary_text=""), None)
    strong = measure_hook(
        CopyText(platform=Platform.META, headline="Cut your bill by 40% today", primary_text=""), None
    )
    assert weak.quality < strong.quality == 1.0


def test_tiers_cover_the_range() -> None:
    assert [tier_for(s).value for s in (0, 30, 45, 60, 75, 90)] == [
        "poor",
        "weak",
        "average",
        "good",
        "strong",
        "excellent",
    ]


def test_a_visible_defect_caps_the_tier() -> None:
    from brandtruth.models.score import Factor, Tier
    from brandtruth.stages.score.model import tier_cap

    def factor(name: str, quality: float) -> Factor:
        return Factor(
            name=name, value=0, target="", weight=10, contribution=0, reason="", quality=quality, group="visual"
        )

    clean = [factor("legibility", 1.0), factor("sharpness", 0.95), factor("face", 0.0)]  # no face is no defect
    assert tier_for(95, tier_cap(clean)) is Tier.EXCELLENT
    assert tier_for(95, tier_cap([*clean, factor("on_brand_color", 0.5)])) is Tier.STRONG
    assert tier_for(95, tier_cap([*clean, factor("sharpness", 0.1)])) is Tier.GOOD
    assert tier_for(40, tier_cap([*clean, factor("sharpness", 0.1)])) is Tier.WEAK  # a cap never raises a tier
