"""The factor catalogue: what is measured, how it is labelled, and the prior's weights.

A *measurement* is what the copy/visual analysers produce: the raw `value` in natural units
(characters, contrast ratio, edge density, ...) and a `quality` in 0..1 saying how close the
value is to the target (1 = at or beyond target). Models (the `heuristic-v1` prior or a
calibrated logistic regression) only ever look at `quality`, so the prior and a calibrated model
are interchangeable and the calibration CSV is featurised by exactly the same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FactorGroup(StrEnum):
    COPY = "copy"
    VISUAL = "visual"


@dataclass(frozen=True)
class FactorSpec:
    name: str
    group: FactorGroup
    label: str
    prior_weight: float
    """Share of the prior's 0-100 range the factor can move (weights sum to 1 over all factors)."""


@dataclass(frozen=True)
class Measurement:
    """One measured factor before a model weighs it."""

    name: str
    value: float
    quality: float
    target: str
    reason: str
    fix: str | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.quality <= 1.0:
            raise ValueError(f"quality of {self.name} out of range: {self.quality}")


SPECS: tuple[FactorSpec, ...] = (
    # Copy: 36 % of the prior's range.
    FactorSpec("copy_length", FactorGroup.COPY, "Copy length vs visible limit", 0.06),
    FactorSpec("reading_ease", FactorGroup.COPY, "Reading ease", 0.04),
    FactorSpec("cta_strength", FactorGroup.COPY, "CTA strength", 0.06),
    FactorSpec("specificity", FactorGroup.COPY, "Evidence-backed specifics", 0.07),
    FactorSpec("social_proof", FactorGroup.COPY, "Social proof", 0.04),
    FactorSpec("brand_name", FactorGroup.COPY, "Brand name in copy", 0.03),
    FactorSpec("sentiment", FactorGroup.COPY, "Sentiment", 0.03),
    FactorSpec("hook", FactorGroup.COPY, "Hook in the first words", 0.03),
    # Visual: what an art director looks at first carries the most.
    FactorSpec("legibility", FactorGroup.VISUAL, "Legibility of the text", 0.13),
    FactorSpec("sharpness", FactorGroup.VISUAL, "Picture sharpness", 0.11),
    FactorSpec("cta_prominence", FactorGroup.VISUAL, "CTA prominence", 0.08),
    FactorSpec("brand_presence", FactorGroup.VISUAL, "Brand presence", 0.07),
    FactorSpec("on_brand_color", FactorGroup.VISUAL, "On-brand colour", 0.05),
    FactorSpec("text_coverage", FactorGroup.VISUAL, "Text coverage", 0.05),
    FactorSpec("clutter", FactorGroup.VISUAL, "Background clutter", 0.05),
    FactorSpec("safe_zone", FactorGroup.VISUAL, "Safe-zone compliance", 0.03),
    FactorSpec("aspect_fit", FactorGroup.VISUAL, "Aspect fit for the placement", 0.03),
    FactorSpec("colorfulness", FactorGroup.VISUAL, "Colourfulness", 0.02),
    FactorSpec("text_on_salient", FactorGroup.VISUAL, "Text where the eye goes", 0.01),
    FactorSpec("face", FactorGroup.VISUAL, "Human face", 0.01),
)

#: Factors of earlier versions, read from old calibration files under their new names.
RENAMED: dict[str, str] = {
    "text_area": "text_coverage",
    "text_contrast": "legibility",
    "logo_visible": "brand_presence",
}

SPEC_BY_NAME: dict[str, FactorSpec] = {s.name: s for s in SPECS}
FACTOR_NAMES: tuple[str, ...] = tuple(s.name for s in SPECS)

assert abs(sum(s.prior_weight for s in SPECS) - 1.0) < 1e-9, "prior weights must sum to 1"


def clip01(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def ramp(x: float, lo: float, hi: float) -> float:
    """0 at `lo`, 1 at `hi`, linear between (works for hi < lo as a falling ramp)."""
    if hi == lo:
        return 1.0 if x >= hi else 0.0
    return clip01((x - lo) / (hi - lo))
