"""Copy variants per ad platform, each claim traced back to profile evidence."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from brandtruth.models.common import Model


class Platform(StrEnum):
    META = "meta"
    GOOGLE_RSA = "google_rsa"
    LINKEDIN = "linkedin"
    TIKTOK = "tiktok"


class Angle(StrEnum):
    BENEFIT = "benefit"
    SOCIAL_PROOF = "social_proof"
    PROBLEM_SOLUTION = "problem_solution"
    FEATURE = "feature"
    OFFER = "offer"
    CURIOSITY = "curiosity"


class ClaimUse(Model):
    claim_id: str
    span: str = Field(description="The words of the copy that rest on this claim")


class CopyVariant(Model):
    id: str = Field(pattern=r"^v[0-9]+$")
    platform: Platform
    angle: Angle
    headline: str
    primary_text: str
    description: str = ""
    cta: str
    headlines: list[str] = Field(default_factory=list, description="Google RSA asset headlines")
    descriptions: list[str] = Field(default_factory=list, description="Google RSA asset descriptions")
    path1: str = ""
    path2: str = ""
    claims_used: list[ClaimUse] = Field(default_factory=list)
    generator: str = "template"
    warnings: list[str] = Field(default_factory=list)


class DroppedVariant(Model):
    platform: Platform
    angle: Angle
    reason: str


class CopyResult(Model):
    variants: list[CopyVariant]
    dropped: list[DroppedVariant] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
