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
    quote: str = Field("", description="The evidence quote (verbatim from the site) that supports the span")
    url: str = Field("", description="The page the evidence quote was found on")


class ProofUse(Model):
    """Social proof from the profile (not a claim) that the copy repeats, with its evidence."""

    kind: str = Field(description="testimonial, rating, customer_count or customer_logo")
    index: int = Field(ge=0, description="Position in the profile's social_proof list of that kind")
    span: str = Field(description="The words of the copy that rest on this item")
    quote: str = ""
    url: str = ""


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
    proof_used: list[ProofUse] = Field(
        default_factory=list, description="Social proof the copy repeats (ratings, testimonials, counts)"
    )
    generator: str = "template"
    warnings: list[str] = Field(default_factory=list)


class DroppedVariant(Model):
    platform: Platform
    angle: Angle
    reason: str


class HeadlineRejection(Model):
    """A headline candidate the writer turned down, and why ("a UI label or control", …)."""

    headline: str
    reason: str


class CopyResult(Model):
    variants: list[CopyVariant]
    dropped: list[DroppedVariant] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    headline_rejections: list[HeadlineRejection] = Field(
        default_factory=list,
        description="Site wording considered for a headline and rejected (section titles, UI labels, names), "
        "with the reason; at most 40",
    )
