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


class ModelInfo(Model):
    name: str
    version: str
    trained_on_user_data: bool = False


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


class VariantScore(Model):
    variant_id: str
    score: float = Field(ge=0.0, le=100.0)
    tier: Tier
    creatives: list[CreativeScore] = Field(default_factory=list)
    top_fixes: list[str] = Field(default_factory=list)
