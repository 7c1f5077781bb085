"""Explainable performance predictions."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from brandtruth.models.common import ArtifactRef, Model
from brandtruth.models.creative import AdFormat


class Tier(StrEnum):
    POOR = "poor"
    WEAK = "weak"
    AVERAGE = "average"
    GOOD = "good"
    STRONG = "strong"
    EXCELLENT = "excellent"


class Factor(Model):
    name: str
    value: float
    target: str
    weight: float
    contribution: float
    reason: str
    fix: str | None = None
    quality: float | None = Field(
        None, ge=0.0, le=1.0, description="Normalised 0..1 (1 = at target); None for baseline/adjustments"
    )
    group: str | None = Field(None, description="copy, visual, baseline, policy or adjustment")


class ModelInfo(Model):
    name: str
    version: str
    trained_on_user_data: bool = False
    kind: str = Field("prior", description="'prior' (heuristic, not fitted to outcomes) or 'calibrated'")
    description: str = ""


class CreativeScore(Model):
    variant_id: str
    format: AdFormat | None = Field(None, description="None for the copy-only score")
    score: float = Field(ge=0.0, le=100.0)
    tier: Tier
    confidence_low: float
    confidence_high: float
    model: ModelInfo
    factors: list[Factor]
    policy_failures: list[str] = Field(default_factory=list)
    heatmap: ArtifactRef | None = None
    predicted_ctr: float | None = Field(None, description="Calibrated models only: predicted click-through")


class VariantScore(Model):
    variant_id: str
    score: float = Field(ge=0.0, le=100.0)
    tier: Tier
    creatives: list[CreativeScore] = Field(default_factory=list)
    top_fixes: list[str] = Field(default_factory=list)
    confidence_low: float | None = None
    confidence_high: float | None = None
    model: ModelInfo | None = None
    policy_failures: list[str] = Field(default_factory=list)


class FoundElement(Model):
    """Something the scorer located on an image: a text block, the CTA button or the logo."""

    role: str = Field(description="headline, body, cta, text (role unknown), cta_button or logo")
    left: int
    top: int
    right: int
    bottom: int


class ImageScore(Model):
    """The score of one creative file, with or without a layout record (CLI, API, web UI)."""

    score: float = Field(ge=0.0, le=100.0)
    tier: Tier
    band: tuple[float, float] = Field(description="Confidence band (low, high) in score points")
    model: ModelInfo
    factors: list[Factor]
    policy_failures: list[str] = Field(default_factory=list)
    fixes: list[str] = Field(default_factory=list, description="What to change first, most points first")
    width: int
    height: int
    format: AdFormat | None = Field(None, description="The ad format the image's shape is closest to")
    found_by: str = Field(description="'layout' (the pipeline's layout record) or 'pixels' (found on the image)")
    elements: list[FoundElement] = Field(default_factory=list)
