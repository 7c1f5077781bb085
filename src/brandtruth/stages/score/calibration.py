"""Calibrate the score on the user's own ad results (`brandtruth calibrate RESULTS.csv`).

CSV format (UTF-8, optional BOM; comma, semicolon or tab separated; one row per ad that ran;
header names are case-insensitive, spaces and hyphens count as underscores):

==================  =========  ============================================================
column              required   meaning
==================  =========  ============================================================
creative            yes        image path (absolute, relative to the CSV's folder, or an
                               artifact path under the data dir) or just an id. Aliases:
                               ``image``, ``image_path``, ``creative_id``, ``creative_path``.
headline            yes        the ad's headline
primary_text        yes        the body text. Aliases: ``primary text``, ``body``, ``text``.
platform            yes        meta, google_rsa, linkedin or tiktok (also: facebook,
                               instagram, google, google_ads)
format              yes        square, portrait, story or landscape; may be empty for
                               text-only ads
impressions         yes        integer ≥ 1 (thousands separators allowed)
clicks              yes        integer, 0 ≤ clicks ≤ impressions
cta                 no         button / call-to-action text (enables the CTA factor)
description         no         link description
brand               no         brand name (enables the brand-name factor)
==================  =========  ============================================================

What it does: every row is featurised by exactly the code that scores pipeline creatives (the
copy factors; the image-only visual factors when the image file is found: clutter, colourfulness,
face; aspect fit from the format). Factors needing the composed layout (text boxes, contrast,
logo, safe zone) cannot be measured on past ads and stay out of the fitted model; scores still
show them, weighted 0. A logistic regression of click-through on the factor qualities is fitted
(rows expanded to clicks / non-clicks, weighted, with sample weights scaled to one unit per
average ad so that L2 regularisation reflects the number of *ads*, the real sample size when
CTR varies between ads). 25 % of the ads are held out to report AUC (impression level), Brier
score and reliability bins, next to the `heuristic-v1` prior's AUC on the same rows; the saved
model is then refitted on all rows, with bootstrap resamples for the confidence band.

Calibration cannot make scores worse: features are chosen and missing values imputed on the
training split only, and the fitted model becomes active only when its held-out AUC beats the
prior's; otherwise it is saved as a versioned candidate, the current model stays active, and the
report says so (`brandtruth calibrate --require-better` then exits non-zero). The model is written
atomically (temp file + rename) to `models_dir/score-model.json` (plus a versioned copy); any
problem with the CSV raises `CalibrationDataError` before anything is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from brandtruth.config import Settings
from brandtruth.models.copy import Platform
from brandtruth.models.creative import FORMAT_SIZES, AdFormat
from brandtruth.stages.score.copy_factors import CopyText, measure_copy
from brandtruth.stages.score.errors import CalibrationDataError, ScoreInputError
from brandtruth.stages.score.factors import FACTOR_NAMES, Measurement
from brandtruth.stages.score.image_score import AdCopy, BrandContext, measure_image, open_image
from brandtruth.stages.score.model import (
    POINTS_PER_SD,
    CalibratedModelFile,
    HeuristicModel,
    active_model_path,
    load_active_model,
)
from brandtruth.stages.score.visual import measure_aspect

__all__ = ["CalibrationReport", "ReliabilityBin", "calibrate", "load_active_model"]

MIN_ROWS = 40
HELDOUT_FRACTION = 0.25
BOOTSTRAPS = 30
RELIABILITY_BINS = 5
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp")

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "creative": ("creative", "image", "image_path", "creative_id", "creative_path", "creative_image"),
    "headline": ("headline",),
    "primary_text": ("primary_text", "body", "text"),
    "platform": ("platform",),
    "format": ("format",),
    "impressions": ("impressions",),
    "clicks": ("clicks",),
    "cta": ("cta", "call_to_action"),
    "description": ("description",),
    "brand": ("brand", "brand_name"),
}
REQUIRED = ("creative", "headline", "primary_text", "platform", "format", "impressions", "clicks")
PLATFORM_ALIASES: dict[str, Platform] = {
    **{p.value: p for p in Platform},
    "facebook": Platform.META,
    "instagram": Platform.META,
    "google": Platform.GOOGLE_RSA,
    "google_ads": Platform.GOOGLE_RSA,
    "rsa": Platform.GOOGLE_RSA,
}


class ReliabilityBin(BaseModel):
    """Held-out ads grouped by predicted CTR: a calibrated model has predicted ≈ observed."""

    model_config = ConfigDict(extra="forbid")

    ads: int
    impressions: int
    mean_predicted_ctr: float
    observed_ctr: float


class CalibrationReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rows_used: int
    train_rows: int
    heldout_rows: int
    images_found: int
    features: list[str] = Field(description="Factors in the fitted model")
    heldout_auc: float = Field(description="Impression-level ROC AUC on held-out ads")
    prior_auc: float = Field(description="The heuristic-v1 prior's AUC on the same held-out ads")
    brier: float = Field(description="Impression-level Brier score on held-out ads")
    brier_baseline: float = Field(description="Brier score of always predicting the training CTR")
    log_loss: float
    reliability: list[ReliabilityBin]
    base_ctr: float = Field(description="Predicted CTR of your average ad")
    coefficients: dict[str, float] = Field(description="Log-odds per unit of factor quality (0..1)")
    model_name: str
    model_version: str
    model_path: str
    activated: bool = Field(description="Whether the fitted model is now the active one (it beat the prior)")
    warnings: list[str] = Field(default_factory=list)

    def summary(self) -> str:
        """Human-readable lines for the CLI."""
        lines = [
            f"Calibrated {self.model_name} {self.model_version} on {self.rows_used} ads "
            f"({self.train_rows} train / {self.heldout_rows} held out; {self.images_found} with images).",
            f"Held-out AUC {self.heldout_auc:.3f} vs heuristic-v1 prior {self.prior_auc:.3f}.",
            f"Brier {self.brier:.6f} (constant-CTR baseline {self.brier_baseline:.6f}); log loss {self.log_loss:.5f}.",
            "Reliability (predicted vs observed CTR): "
            + ", ".join(f"{b.mean_predicted_ctr:.2%}→{b.observed_ctr:.2%}" for b in self.reliability),
            "Factor effects (log-odds from worst to best): "
            + ", ".join(f"{k} {v:+.2f}" for k, v in sorted(self.coefficients.items(), key=lambda kv: -abs(kv[1]))),
            f"Active model: {self.model_name} {self.model_version} ({self.model_path})"
            if self.activated
            else "Kept the current model active: the fitted one did not beat the prior. "
            f"Candidate saved to {self.model_path}",
        ]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


@dataclass(frozen=True)
class _Row:
    line: int
    measurements: list[Measurement]
    impressions: int
    clicks: int
    has_image: bool


def _norm_header(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _describe_required() -> str:
    parts = []
    for c in REQUIRED:
        aliases = [a for a in COLUMN_ALIASES[c] if a != c]
        parts.append(f"{c} (or {'/'.join(aliases)})" if aliases else c)
    return ", ".join(parts)


def _read_csv(path: Path) -> tuple[dict[str, str], list[tuple[int, dict[str, str]]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise CalibrationDataError(f"results file not found: {path}") from exc
    except UnicodeDecodeError as exc:
        raise CalibrationDataError(f"{path} is not UTF-8 text (save the sheet as CSV UTF-8): {exc}") from exc
    except OSError as exc:
        raise CalibrationDataError(f"cannot read {path}: {exc}") from exc
    if not text.strip():
        raise CalibrationDataError(f"{path} is empty; expected a header row and one row per ad")
    try:
        dialect: Any = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader)
    found = {_norm_header(h): i for i, h in enumerate(header) if h.strip()}
    columns: dict[str, str] = {}
    for canonical, aliases in COLUMN_ALIASES.items():
        hit = next((a for a in aliases if a in found), None)
        if hit is not None:
            columns[canonical] = hit
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise CalibrationDataError(
            f"{path} is missing required column(s): {', '.join(missing)}. Found: {', '.join(header)}. "
            f"Required: {_describe_required()}."
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for lineno, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        row = {
            canonical: (cells[found[col]].strip() if found[col] < len(cells) else "")
            for canonical, col in columns.items()
        }
        rows.append((lineno, row))
    return columns, rows


def _int(value: str) -> int | None:
    v = value.replace(",", "").replace("_", "").replace(" ", "")
    try:
        f = float(v)
    except ValueError:
        return None
    if not math.isfinite(f) or f != int(f):
        return None
    return int(f)


class _ImageCache:
    """Decodes each referenced image once and keeps only its image-level measurements."""

    def __init__(self, csv_dir: Path, settings: Settings) -> None:
        self.csv_dir = csv_dir
        self.artifacts = settings.artifacts_dir
        self.cache: dict[Path, tuple[list[Measurement], tuple[int, int]] | None] = {}

    def resolve(self, ref: str) -> Path | None:
        if not ref:
            return None
        p = Path(ref)
        candidates = [p] if p.is_absolute() else [self.csv_dir / p, self.artifacts / p]
        return next((c for c in candidates if c.is_file()), None)

    def measure(self, path: Path, platform: Platform) -> tuple[list[Measurement], tuple[int, int]] | None:
        key = path.resolve()
        if key not in self.cache:
            try:
                image = open_image(key)
            except ScoreInputError:
                self.cache[key] = None
            else:
                # Past ads have no layout record: text, CTA and logo are found on the pixels, as
                # when a marketer scores a file. No copy here: the row's copy is measured apart.
                an, _scene, visual, _v = measure_image(
                    image, layout=None, fmt=None, copy=AdCopy(platform=platform), brand=BrandContext()
                )
                visual = [m for m in visual if m.name != "aspect_fit"]
                self.cache[key] = (visual, (an.width, an.height))
        return self.cache[key]


def _featurise(path: Path, settings: Settings) -> tuple[list[_Row], list[str]]:
    columns, raw_rows = _read_csv(path)
    images = _ImageCache(path.parent, settings)
    errors: list[str] = []
    rows: list[_Row] = []
    missing_images = 0
    unreadable_images = 0
    for line, r in raw_rows:
        problems: list[str] = []
        impressions = _int(r["impressions"])
        clicks = _int(r["clicks"])
        if impressions is None:
            problems.append(f"impressions {r['impressions']!r} is not a whole number")
        elif impressions <= 0:
            problems.append(f"impressions is {impressions}; every ad needs at least one impression")
        if clicks is None:
            problems.append(f"clicks {r['clicks']!r} is not a whole number")
        elif clicks < 0:
            problems.append(f"clicks is negative ({clicks})")
        elif impressions is not None and clicks > impressions > 0:
            problems.append(f"clicks ({clicks}) exceed impressions ({impressions})")
        platform = PLATFORM_ALIASES.get(_norm_header(r["platform"]))
        if platform is None:
            problems.append(f"unknown platform {r['platform']!r} (use one of {', '.join(p.value for p in Platform)})")
        fmt: AdFormat | None = None
        if r["format"]:
            try:
                fmt = AdFormat(_norm_header(r["format"]))
            except ValueError:
                problems.append(f"unknown format {r['format']!r} (use one of {', '.join(f.value for f in AdFormat)})")
        if not r["headline"] and not r["primary_text"]:
            problems.append("headline and primary text are both empty")
        if problems:
            errors.append(f"row {line}: " + "; ".join(problems))
            continue
        assert platform is not None and impressions is not None and clicks is not None
        copy = CopyText(
            platform=platform,
            headline=r["headline"],
            primary_text=r["primary_text"],
            description=r.get("description", ""),
            cta=r["cta"] if "cta" in columns else None,
            brand_name=r.get("brand") or None,
        )
        ms = measure_copy(copy, None)
        image_path = images.resolve(r["creative"])
        measured = images.measure(image_path, platform) if image_path is not None else None
        if image_path is None and r["creative"].lower().endswith(IMAGE_EXTENSIONS):
            missing_images += 1
        elif image_path is not None and measured is None:
            unreadable_images += 1
        if measured is not None:
            ms += measured[0]
        if fmt is not None:
            w, h = measured[1] if measured is not None else FORMAT_SIZES[fmt]
            ms.append(measure_aspect(platform, fmt, w, h))
        rows.append(_Row(line, ms, impressions, clicks, measured is not None))
    if errors:
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise CalibrationDataError(f"{path} has {len(errors)} bad row(s){more}:\n" + "\n".join(errors[:10]))
    if len(rows) < MIN_ROWS:
        raise CalibrationDataError(
            f"{path} has {len(rows)} ad(s) with results; calibration needs at least {MIN_ROWS} "
            "to fit and check a model. Add more past ads (all platforms/formats can be mixed)."
        )
    warnings: list[str] = []
    if missing_images:
        warnings.append(f"{missing_images} row(s) name an image file that was not found; used their copy only")
    if unreadable_images:
        warnings.append(f"{unreadable_images} row(s) name an image that could not be decoded; used their copy only")
    return rows, warnings


def _qualities(rows: Sequence[_Row]) -> dict[str, list[float | None]]:
    table: dict[str, list[float | None]] = {name: [] for name in FACTOR_NAMES}
    for row in rows:
        got = {m.name: m.quality for m in row.measurements}
        for name in FACTOR_NAMES:
            table[name].append(got.get(name))
    return table


def _select(rows: Sequence[_Row]) -> tuple[list[str], list[float]]:
    """Features worth fitting and the means that fill their gaps, from `rows` alone.

    Called on the training split only, so neither the choice of features nor the imputed values
    have seen the held-out ads (no leakage into the held-out AUC).
    """
    features: list[str] = []
    means: list[float] = []
    min_measured = max(10, len(rows) // 5)
    for name, values in _qualities(rows).items():
        present = [v for v in values if v is not None]
        if len(present) < min_measured:
            continue
        mean = float(np.mean(present))
        col = [mean if v is None else v for v in values]
        if float(np.std(col)) < 1e-6:
            continue  # constant in this data set: nothing to learn
        features.append(name)
        means.append(mean)
    if not features:
        raise CalibrationDataError(
            "every factor has the same value in all rows, so there is nothing to learn; the ads must differ"
        )
    return features, means


def _matrix(rows: Sequence[_Row], features: list[str], fill: list[float]) -> npt.NDArray[np.float64]:
    """Factor-quality matrix (ads x features); unmeasured cells get `fill` (training means)."""
    table = _qualities(rows)
    cols = [[fill[j] if v is None else v for v in table[name]] for j, name in enumerate(features)]
    return np.array(cols, dtype=np.float64).T


@dataclass(frozen=True)
class _Fit:
    coef: npt.NDArray[np.float64]
    intercept: float

    def logit(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        out: npt.NDArray[np.float64] = x @ self.coef + self.intercept
        return out

    def predict(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-self.logit(x)))
        return out


def _expand(
    clicks: npt.NDArray[np.float64], impressions: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Binomial rows -> (labels, weights) for the stacked [positives; negatives] layout."""
    y = np.concatenate([np.ones(len(clicks)), np.zeros(len(clicks))])
    w = np.concatenate([clicks, impressions - clicks])
    return y, w


def _fit(x: npt.NDArray[np.float64], clicks: npt.NDArray[np.float64], impr: npt.NDArray[np.float64]) -> _Fit:
    from sklearn.linear_model import LogisticRegression

    mu = x.mean(axis=0)
    sd = x.std(axis=0)
    sd[sd < 1e-9] = 1.0
    z = (x - mu) / sd
    y, w = _expand(clicks, impr)
    w = w / float(impr.mean())
    keep = w > 0
    lr = LogisticRegression(C=1.0, max_iter=1000)
    lr.fit(np.vstack([z, z])[keep], y[keep], sample_weight=w[keep])
    beta = np.asarray(lr.coef_[0], np.float64) / sd
    intercept = float(lr.intercept_[0]) - float(beta @ mu)
    return _Fit(beta, intercept)


def _auc(score: npt.NDArray[np.float64], clicks: npt.NDArray[np.float64], impr: npt.NDArray[np.float64]) -> float:
    from sklearn.metrics import roc_auc_score

    y, w = _expand(clicks, impr)
    return float(roc_auc_score(y, np.concatenate([score, score]), sample_weight=w))


def _reliability(
    p: npt.NDArray[np.float64], clicks: npt.NDArray[np.float64], impr: npt.NDArray[np.float64]
) -> list[ReliabilityBin]:
    order = np.argsort(p)
    bins: list[ReliabilityBin] = []
    for idx in np.array_split(order, min(RELIABILITY_BINS, len(order))):
        if len(idx) == 0:
            continue
        n = float(impr[idx].sum())
        bins.append(
            ReliabilityBin(
                ads=len(idx),
                impressions=int(n),
                mean_predicted_ctr=round(float((p[idx] * impr[idx]).sum() / n), 6),
                observed_ctr=round(float(clicks[idx].sum() / n), 6),
            )
        )
    return bins


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def calibrate(csv_path: Path, settings: Settings, *, seed: int = 0) -> CalibrationReport:
    """Fit the score to the user's click-through results and make it the active model.

    Blocking (file I/O, image decoding, model fitting): meant for the CLI or a worker thread.
    Raises `CalibrationDataError` for an unusable CSV without touching the existing model.
    """
    rows, warnings = _featurise(csv_path, settings)
    clicks = np.array([r.clicks for r in rows], np.float64)
    impr = np.array([r.impressions for r in rows], np.float64)
    if clicks.sum() == 0:
        raise CalibrationDataError(f"{csv_path} has no clicks at all; nothing to learn click-through from")
    if clicks.sum() == impr.sum():
        raise CalibrationDataError(f"{csv_path}: every impression was clicked; the numbers look swapped or wrong")

    rng = np.random.default_rng(seed)
    order = rng.permutation(len(rows))
    n_test = max(10, round(len(rows) * HELDOUT_FRACTION))
    test, train = order[:n_test], order[n_test:]
    if clicks[test].sum() == 0 or clicks[train].sum() == 0:
        raise CalibrationDataError(
            f"{csv_path} has too few clicks to both fit and check a model (a split of the ads got none); "
            "add ads with more delivery"
        )

    train_rows = [rows[i] for i in train]
    features, fill = _select(train_rows)
    x_train = _matrix(train_rows, features, fill)
    x_test = _matrix([rows[i] for i in test], features, fill)
    held = _fit(x_train, clicks[train], impr[train])
    p_test = held.predict(x_test)
    prior = HeuristicModel()
    prior_scores = np.array([prior.score(rows[i].measurements, []).score for i in test], np.float64)
    y_test, w_test = _expand(clicks[test], impr[test])
    p_stack = np.concatenate([p_test, p_test])
    brier = float(np.sum(w_test * (p_stack - y_test) ** 2) / w_test.sum())
    train_ctr = float(clicks[train].sum() / impr[train].sum())
    brier_base = float(np.sum(w_test * (train_ctr - y_test) ** 2) / w_test.sum())
    eps = 1e-12
    log_loss = float(
        -np.sum(w_test * (y_test * np.log(p_stack + eps) + (1 - y_test) * np.log(1 - p_stack + eps))) / w_test.sum()
    )
    heldout_auc = _auc(p_test, clicks[test], impr[test])
    prior_auc = _auc(prior_scores, clicks[test], impr[test])
    better = heldout_auc > prior_auc
    if not better:
        warnings.append(
            f"the fitted model's held-out AUC ({heldout_auc:.3f}) does not beat the heuristic-v1 prior's "
            f"({prior_auc:.3f}), so it was NOT made active; more ads, or ads that differ more, would help"
        )

    # The shipped model is refitted on every ad, with the features chosen on the training split.
    table = _qualities(rows)
    all_fill = [
        float(np.mean([v for v in table[n] if v is not None] or [f])) for n, f in zip(features, fill, strict=True)
    ]
    x = _matrix(rows, features, all_fill)
    final = _fit(x, clicks, impr)
    mean = x.mean(axis=0)
    lin = (x - mean) @ final.coef
    scale = POINTS_PER_SD / max(float(lin.std()), 0.05)
    obs = np.log((clicks + 0.5) / (impr - clicks + 0.5))
    noise = 1.0 / (clicks + 0.5) + 1.0 / (impr - clicks + 0.5)
    resid = obs[test] - held.logit(x_test)
    resid_var = max(0.0, float(resid.var()) - float(noise[test].mean()))
    boots: list[list[float]] = []
    for _ in range(BOOTSTRAPS):
        pick = rng.integers(0, len(rows), len(rows))
        if clicks[pick].sum() == 0:
            continue
        boots.append([float(c) for c in _fit(x[pick], clicks[pick], impr[pick]).coef])

    digest = hashlib.sha256(csv_path.read_bytes()).hexdigest()[:8]
    now = datetime.now(UTC)
    version = f"{now:%Y%m%d%H%M%S}-{digest}"
    base_logit = final.intercept + float(final.coef @ mean)
    spec = CalibratedModelFile(
        version=version,
        created_at=now.isoformat(),
        features=features,
        mean=[float(m) for m in mean],
        coef=[float(c) for c in final.coef],
        intercept=final.intercept,
        scale=scale,
        residual_sd_points=math.sqrt(resid_var) * scale,
        bootstrap_coef=boots,
        rows=len(rows),
        heldout_auc=heldout_auc,
        prior_auc=prior_auc,
        base_ctr=1.0 / (1.0 + math.exp(-base_logit)),
    )
    data = json.dumps(spec.model_dump(mode="json"), indent=2).encode()
    active = active_model_path(settings)
    candidate = active.with_name(f"score-model-{version}.json")
    _write_atomic(candidate, data)
    if better:
        _write_atomic(active, data)
    return CalibrationReport(
        rows_used=len(rows),
        train_rows=len(train),
        heldout_rows=len(test),
        images_found=sum(r.has_image for r in rows),
        features=features,
        heldout_auc=round(heldout_auc, 4),
        prior_auc=round(prior_auc, 4),
        brier=brier,
        brier_baseline=brier_base,
        log_loss=log_loss,
        reliability=_reliability(p_test, clicks[test], impr[test]),
        base_ctr=spec.base_ctr,
        coefficients={f: round(float(c), 4) for f, c in zip(features, final.coef, strict=True)},
        model_name=spec.name,
        model_version=version,
        model_path=str(active if better else candidate),
        activated=better,
        warnings=warnings,
    )
