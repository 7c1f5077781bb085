"""Scoring models: the `heuristic-v1` prior and a calibrated logistic regression.

How a score is built so that the factor contributions reproduce it exactly:

* Every factor has a `quality` q in 0..1 (see `factors.py`) and a `weight` = the score points
  the factor moves between q = 0 and q = 1.
* A `baseline` factor carries the score of a reference ad; each factor contributes
  `weight * (q - q_ref)`. For the prior q_ref = 0.5 and the baseline is 50, so the score is
  100 * sum(w_i * q_i) with the weights renormalised over the factors actually measured (a
  copy-only score uses copy factors only): it can never leave 0..100. For a calibrated model
  q_ref is the mean of the user's ads and the baseline 50 means "your average ad".
* Adjustments are factors too: `policy_cap` (negative) when a policy gate caps the score, and
  `range_limit` when a calibrated score is clamped into 0..100.
* Contributions are rounded to hundredths with the largest-remainder method so that their sum
  equals the (rounded) score exactly: `sum(Decimal(str(c)) for c in contributions) == Decimal(str(score))`.
"""

from __future__ import annotations

import json
import math
import os
import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from brandtruth.config import Settings
from brandtruth.models.score import Factor, ModelInfo, Tier
from brandtruth.stages.score.errors import ScoreModelError
from brandtruth.stages.score.factors import RENAMED, SPEC_BY_NAME, Measurement

#: A policy failure (unsupported/blocked claim, broken safe zone) caps the score here ("weak").
POLICY_CAP = 35.0
#: Half-width of the prior's confidence band: it is an educated guess, not fitted to outcomes.
PRIOR_BAND = 15.0
#: Calibrated scores: one standard deviation of the user's predicted log-odds = this many points.
POINTS_PER_SD = 20.0
ACTIVE_MODEL_FILE = "score-model.json"

PRIOR_INFO = ModelInfo(
    name="heuristic-v1",
    version="1",
    trained_on_user_data=False,
    kind="prior",
    description=(
        "Prior: hand-set weights from ad-creative best practice, not trained on your results. "
        "Run `brandtruth calibrate RESULTS.csv` to fit it to your own click-through data."
    ),
)

#: Score thresholds of the tiers (see docs/scoring.md for what each tier means).
TIER_THRESHOLDS: tuple[tuple[float, Tier], ...] = (
    (85.0, Tier.EXCELLENT),
    (72.0, Tier.STRONG),
    (58.0, Tier.GOOD),
    (42.0, Tier.AVERAGE),
    (28.0, Tier.WEAK),
)
_ORDER = [Tier.POOR, Tier.WEAK, Tier.AVERAGE, Tier.GOOD, Tier.STRONG, Tier.EXCELLENT]
#: Factors whose shortfall a designer sees at a glance. Below `DEFECT_QUALITY` a creative cannot
#: be "excellent"; below `SEVERE_QUALITY` it cannot be better than "good", whatever its copy.
DEFECT_FACTORS = frozenset(
    [
        "legibility",
        "sharpness",
        "cta_prominence",
        "brand_presence",
        "on_brand_color",
        "clutter",
        "safe_zone",
        "text_coverage",
    ]
)
DEFECT_QUALITY = 0.7
SEVERE_QUALITY = 0.3


def tier_cap(factors: list[Factor]) -> Tier:
    """The best tier a creative can reach given its visible defects."""
    cap = Tier.EXCELLENT
    for f in factors:
        if f.name not in DEFECT_FACTORS or f.quality is None:
            continue
        if f.quality < SEVERE_QUALITY:
            return Tier.GOOD
        if f.quality < DEFECT_QUALITY:
            cap = Tier.STRONG
    return cap


def tier_for(score: float, cap: Tier = Tier.EXCELLENT) -> Tier:
    tier = Tier.POOR
    for threshold, t in TIER_THRESHOLDS:
        if score >= threshold:
            tier = t
            break
    return min(tier, cap, key=_ORDER.index)


def lowest_tier(tiers: list[Tier]) -> Tier:
    return min(tiers, key=_ORDER.index, default=Tier.EXCELLENT)


@dataclass(frozen=True)
class RawFactor:
    """A factor before rounding: weight in points per unit of quality, contribution in points."""

    name: str
    value: float
    quality: float | None
    target: str
    weight: float
    contribution: float
    reason: str
    fix: str | None
    group: str | None


@dataclass(frozen=True)
class Scored:
    score: float
    factors: list[Factor]
    confidence_low: float
    confidence_high: float
    predicted_ctr: float | None


def round_exact(parts: list[float], total: float) -> list[float]:
    """Round `parts` to hundredths so they sum to round(total, 2) (largest remainder method)."""
    cents = [p * 100.0 for p in parts]
    floors = [math.floor(c) for c in cents]
    want = round(total * 100.0)
    short = want - sum(floors)
    order = sorted(range(len(parts)), key=lambda i: cents[i] - floors[i], reverse=True)
    if short >= 0:
        for k in range(short):
            floors[order[k % len(order)]] += 1
    else:
        for k in range(-short):
            floors[order[::-1][k % len(order)]] -= 1
    return [float(Decimal(f) / 100) for f in floors]


def finish(
    raw: list[RawFactor], total: float, policy_failures: list[str], band: tuple[float, float]
) -> tuple[float, list[Factor], float, float]:
    """Apply the policy cap, round, and turn raw factors into `Factor` models."""
    if policy_failures and total > POLICY_CAP:
        raw = [
            *raw,
            RawFactor(
                name="policy_cap",
                value=float(len(policy_failures)),
                quality=None,
                target="no policy failures",
                weight=0.0,
                contribution=POLICY_CAP - total,
                reason=f"Capped at {POLICY_CAP:g}: " + "; ".join(policy_failures),
                fix="Fix the policy failures; the cap is lifted when none remain.",
                group="policy",
            ),
        ]
        total = POLICY_CAP
    total = min(100.0, max(0.0, total))
    rounded = round_exact([r.contribution for r in raw], total)
    score = float(sum(Decimal(str(c)) for c in rounded))
    factors = [
        Factor(
            name=r.name,
            value=round(r.value, 4),
            target=r.target,
            weight=round(r.weight, 4),
            contribution=c,
            reason=r.reason,
            fix=r.fix,
            quality=None if r.quality is None else round(r.quality, 4),
            group=r.group,
        )
        for r, c in zip(raw, rounded, strict=True)
    ]
    low = min(score, max(0.0, band[0]))
    high = max(score, min(100.0, band[1]))
    if policy_failures:
        high = min(high, max(score, POLICY_CAP))
    return score, factors, round(low, 2), round(high, 2)


class HeuristicModel:
    """`heuristic-v1`: the prior, weights from `factors.SPECS`."""

    info: ModelInfo = PRIOR_INFO

    def score(self, measurements: list[Measurement], policy_failures: list[str]) -> Scored:
        known = [m for m in measurements if m.name in SPEC_BY_NAME]
        wsum = sum(SPEC_BY_NAME[m.name].prior_weight for m in known) or 1.0
        raw = [
            RawFactor(
                name="baseline",
                value=50.0,
                quality=None,
                target="",
                weight=0.0,
                contribution=50.0,
                reason="Starting point: an average ad under the heuristic-v1 prior.",
                fix=None,
                group="baseline",
            )
        ]
        total = 50.0
        for m in known:
            weight = 100.0 * SPEC_BY_NAME[m.name].prior_weight / wsum
            contribution = weight * (m.quality - 0.5)
            total += contribution
            raw.append(_raw(m, weight, contribution))
        score, factors, low, high = finish(raw, total, policy_failures, (total - PRIOR_BAND, total + PRIOR_BAND))
        return Scored(score, factors, low, high, None)


def _raw(m: Measurement, weight: float, contribution: float, note: str = "") -> RawFactor:
    spec = SPEC_BY_NAME.get(m.name)
    fix = m.fix
    if weight < 0 and fix is not None:
        fix = "Your own results favour less of this; leave it as is."
    return RawFactor(
        name=m.name,
        value=m.value,
        quality=m.quality,
        target=m.target,
        weight=weight,
        contribution=contribution,
        reason=note + m.reason,
        fix=fix,
        group=spec.group.value if spec else None,
    )


class CalibratedModelFile(BaseModel):
    """What `calibrate` writes: a logistic regression of CTR on factor qualities, as plain JSON."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = 1
    name: str = "calibrated-logreg"
    version: str
    created_at: str
    features: list[str] = Field(min_length=1)
    mean: list[float]
    coef: list[float] = Field(description="Log-odds per unit of factor quality")
    intercept: float
    scale: float = Field(description="Score points per unit of log-odds")
    residual_sd_points: float = Field(0.0, ge=0.0)
    bootstrap_coef: list[list[float]] = Field(default_factory=list)
    rows: int
    heldout_auc: float | None = None
    prior_auc: float | None = None
    base_ctr: float


class CalibratedModel:
    """Scores with the user's fitted coefficients; unmodelled factors are shown, weighted 0."""

    def __init__(self, spec: CalibratedModelFile, path: Path | None = None) -> None:
        self.spec = spec
        self.path = path
        auc = f", held-out AUC {spec.heldout_auc:.2f}" if spec.heldout_auc is not None else ""
        self.info = ModelInfo(
            name=spec.name,
            version=spec.version,
            trained_on_user_data=True,
            kind="calibrated",
            description=(
                f"Logistic regression of click-through on {spec.rows} of your ads{auc}. "
                "Score 50 = your average ad; 20 points = one standard deviation of predicted CTR."
            ),
        )
        self._index = {f: i for i, f in enumerate(spec.features)}

    def score(self, measurements: list[Measurement], policy_failures: list[str]) -> Scored:
        s = self.spec
        raw = [
            RawFactor(
                name="baseline",
                value=s.base_ctr,
                quality=None,
                target="",
                weight=0.0,
                contribution=50.0,
                reason=f"Your average ad (predicted CTR {s.base_ctr:.2%}).",
                fix=None,
                group="baseline",
            )
        ]
        total = 50.0
        logit = s.intercept
        deltas = [0.0] * len(s.features)
        for i, _f in enumerate(s.features):
            logit += s.coef[i] * s.mean[i]
        for m in measurements:
            i_opt = self._index.get(m.name)
            if i_opt is None:
                raw.append(_raw(m, 0.0, 0.0, "(not in your calibrated model, shown for guidance) "))
                continue
            delta = m.quality - s.mean[i_opt]
            deltas[i_opt] = delta
            weight = s.scale * s.coef[i_opt]
            contribution = weight * delta
            logit += s.coef[i_opt] * delta
            total += contribution
            raw.append(_raw(m, weight, contribution))
        if total < 0.0 or total > 100.0:
            clamped = min(100.0, max(0.0, total))
            raw.append(
                RawFactor(
                    name="range_limit",
                    value=total,
                    quality=None,
                    target="0-100",
                    weight=0.0,
                    contribution=clamped - total,
                    reason=f"Predicted {total:.1f} lies outside 0-100; clamped.",
                    fix=None,
                    group="adjustment",
                )
            )
            total = clamped
        spread = [s.scale * sum(c * d for c, d in zip(b, deltas, strict=True)) for b in s.bootstrap_coef]
        boot_sd = _sd(spread)
        half = 1.2816 * math.sqrt(boot_sd**2 + s.residual_sd_points**2)
        score, factors, low, high = finish(raw, total, policy_failures, (total - half, total + half))
        return Scored(score, factors, low, high, 1.0 / (1.0 + math.exp(-logit)))


def _sd(xs: list[float]) -> float:
    if len(xs) < 2:
        return 0.0
    mu = sum(xs) / len(xs)
    return math.sqrt(sum((x - mu) ** 2 for x in xs) / (len(xs) - 1))


ScoringModel = HeuristicModel | CalibratedModel

_cache_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[int, int], CalibratedModel]] = {}


def active_model_path(settings: Settings) -> Path:
    return settings.models_dir / ACTIVE_MODEL_FILE


def read_model_file(path: Path) -> CalibratedModelFile:
    try:
        spec = CalibratedModelFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise ScoreModelError(
            f"the calibrated score model {path} cannot be read ({exc}); re-run `brandtruth calibrate` "
            "or delete the file to score with the heuristic-v1 prior"
        ) from exc
    n = len(spec.features)
    if len(spec.mean) != n or len(spec.coef) != n or any(len(b) != n for b in spec.bootstrap_coef):
        raise ScoreModelError(f"the calibrated score model {path} is inconsistent (feature count mismatch)")
    spec.features = [RENAMED.get(f, f) for f in spec.features]
    unknown = [f for f in spec.features if f not in SPEC_BY_NAME]
    if unknown:
        raise ScoreModelError(f"the calibrated score model {path} uses unknown factors: {unknown}")
    return spec


def load_active_model(settings: Settings) -> ScoringModel:
    """The calibrated model saved by `calibrate`, or the `heuristic-v1` prior when there is none.

    Blocking file I/O (call via `asyncio.to_thread` from async code). The parsed model is cached
    per file and reloaded when the file's mtime or size changes, so a new calibration is picked
    up by running workers without a restart.
    """
    path = active_model_path(settings)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return HeuristicModel()
    except OSError as exc:
        raise ScoreModelError(f"cannot stat the calibrated score model {path}: {exc}") from exc
    key = (st.st_mtime_ns, st.st_size)
    with _cache_lock:
        hit = _cache.get(path)
        if hit is not None and hit[0] == key:
            return hit[1]
    model = CalibratedModel(read_model_file(path), path)
    with _cache_lock:
        _cache[path] = (key, model)
    return model
