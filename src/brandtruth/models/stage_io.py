"""Inputs of the stage activities: one pydantic model each, so payloads stay typed in history."""

from __future__ import annotations

from pydantic import Field

from brandtruth.models.brand import BrandProfile
from brandtruth.models.common import Model
from brandtruth.models.copy import CopyVariant, Platform
from brandtruth.models.creative import AdFormat, Creative, VariantCreatives, VariantMatches


class ExtractInput(Model):
    run_id: str
    url: str


class CopyInput(Model):
    run_id: str
    profile: BrandProfile
    num_variants: int = Field(ge=1, le=10)
    platforms: list[Platform]
    objective: str = "conversions"
    seed: int = 0


class MatchInput(Model):
    run_id: str
    profile: BrandProfile
    variants: list[CopyVariant] = Field(description="All variants of the run, for diversity")
    variant_id: str
    formats: list[AdFormat]


class ComposeInput(Model):
    run_id: str
    profile: BrandProfile
    variant: CopyVariant
    matches: VariantMatches
    formats: list[AdFormat]


class ScoreInput(Model):
    run_id: str
    profile: BrandProfile
    variant: CopyVariant
    creatives: VariantCreatives


class ContactSheetInput(Model):
    run_id: str
    creatives: list[Creative]
