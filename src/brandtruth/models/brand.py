"""The brand profile: what the site says about the brand, each claim with verbatim evidence."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from brandtruth.models.common import ArtifactRef, Model


class ClaimKind(StrEnum):
    STATISTIC = "statistic"
    SUPERLATIVE = "superlative"
    GUARANTEE = "guarantee"
    AWARD = "award"
    COMPARISON = "comparison"
    TESTIMONIAL = "testimonial"
    CERTIFICATION = "certification"
    PRICING = "pricing"
    FEATURE = "feature"
    # Where, when and since when: an address, opening hours, a phone number, a founding year.
    FACT = "fact"


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    BLOCKED = "blocked"


class Evidence(Model):
    """A verbatim (whitespace-normalised) quote from a fetched page."""

    url: str
    quote: str
    section: str = Field("", description="Nearest heading or landmark the quote sits under")


class Claim(Model):
    id: str = Field(description="Stable within a profile, e.g. 'c1'")
    text: str
    kind: ClaimKind
    risk: Risk
    risk_reason: str = ""
    evidence: list[Evidence] = Field(min_length=1)


class Testimonial(Model):
    quote: str
    author: str | None = None
    role: str | None = None
    company: str | None = None
    location: str | None = Field(
        default=None,
        description="Where the reviewer is from ('Minneapolis', 'Austin, TX') when the attribution names a place "
        "rather than an employer; `company` is then None.",
    )
    evidence: list[Evidence] = Field(default_factory=list)


class Rating(Model):
    value: float
    scale: float = 5.0
    count: int | None = None
    source: str = Field(default="", description="How the rating was extracted: 'json-ld' or 'text'.")
    platform: str | None = Field(
        default=None,
        description="Where the rating comes from when the page or its structured data names it "
        "('G2', 'Google', 'Trustpilot', 'Capterra', 'Yelp', 'Amazon', …); None when it does not.",
    )
    evidence: list[Evidence] = Field(default_factory=list)


class CustomerCount(Model):
    text: str
    value: int | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class CustomerLogo(Model):
    name: str
    url: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class SocialProof(Model):
    testimonials: list[Testimonial] = Field(default_factory=list)
    ratings: list[Rating] = Field(default_factory=list)
    customer_counts: list[CustomerCount] = Field(default_factory=list)
    customer_logos: list[CustomerLogo] = Field(default_factory=list)


class Tone(Model):
    reading_ease: float | None = None
    avg_sentence_length: float | None = None
    second_person_rate: float | None = None
    exclamation_rate: float | None = None
    sentiment: float | None = Field(None, description="VADER compound score, -1..1")
    summary: str = ""


class Industry(Model):
    name: str
    matched_terms: list[str] = Field(default_factory=list)


class BrandColor(Model):
    role: str = Field(description="primary, secondary, accent, background or text")
    hex: str = Field(pattern=r"^#[0-9a-f]{6}$")
    source: str = ""


class LogoAsset(Model):
    url: str
    source: str = Field("", description="json-ld, header-img, header-svg, apple-touch-icon, favicon, og")
    artifact: ArtifactRef | None = Field(None, description="Rasterised PNG in the artifact store")
    width: int | None = None
    height: int | None = None
    text: str = Field("", description="Words the logo spells out (an SVG's <text>), rendered with fonts")


class ImageAsset(Model):
    url: str
    alt: str = ""
    width: int | None = None
    height: int | None = None
    heading: str = ""
    context: str = Field("", description="Caption and nearby text, for matching")
    section: str = Field("other", description="hero, feature, testimonial or other")
    page_url: str = ""
    artifact: ArtifactRef | None = Field(None, description="Validated copy in the artifact store")


class ButtonStyle(Model):
    """The site's primary button as its CSS draws it (what the ads' CTA copies)."""

    fill: str = Field(pattern=r"^#[0-9a-f]{6}$")
    text: str | None = Field(None, pattern=r"^#[0-9a-f]{6}$")
    radius_px: float | None = Field(None, ge=0.0, description="border-radius in CSS px; 9999 for a pill")
    selector: str = Field("", description="The CSS rule it was read from")


class WebFont(Model):
    """An @font-face file the site serves, checked for a licence that allows use in ads."""

    family: str
    url: str
    weight: int = 400
    italic: bool = False
    font_class: str = Field("sans", description="sans, serif or display (condensed/decorative)")
    licence: str = Field("", description="OFL, Apache, UFL, or 'other' (name table IDs 13/14)")
    usable: bool = Field(False, description="Licence allows setting ad copy in it")
    artifact: ArtifactRef | None = Field(None, description="The font as TrueType/OpenType (sfnt) bytes")


class Typography(Model):
    """Headline and body families from the site's CSS, with their class for fallbacks."""

    heading_family: str = ""
    heading_class: str = Field("sans", description="sans, serif or display")
    body_family: str = ""
    body_class: str = Field("sans", description="sans, serif or display")
    web_fonts: list[WebFont] = Field(default_factory=list)


class BrandAssets(Model):
    logo: LogoAsset | None = None
    colors: list[BrandColor] = Field(default_factory=list)
    fonts: list[str] = Field(default_factory=list)
    images: list[ImageAsset] = Field(default_factory=list)
    button: ButtonStyle | None = Field(None, description="The site's primary button, when its CSS names one")
    typography: Typography | None = None

    def color(self, role: str) -> str | None:
        for c in self.colors:
            if c.role == role:
                return c.hex
        return None


class PageInfo(Model):
    url: str
    title: str = ""
    fetched_at: datetime
    status: int


class FieldSource(Model):
    source: str
    confidence: float = Field(ge=0.0, le=1.0)


class BrandProfile(Model):
    url: str
    brand_name: str
    tagline: str = ""
    description: str = ""
    industry: Industry | None = None
    target_audience: str = ""
    value_propositions: list[str] = Field(default_factory=list)
    key_terms: list[str] = Field(default_factory=list)
    site_ctas: list[str] = Field(default_factory=list)
    primary_action: str = Field(
        "",
        description="The page's main action as the site words it (the hero's button, or the submit button of a "
        "sign-up form in the content); '' when the start page has none outside site chrome",
    )
    language: str = Field(
        "",
        description="ISO 639-1 code of the language the site is written in (from <html lang>, Content-Language "
        "and the text itself); '' when unknown",
    )
    pages: list[PageInfo] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    social_proof: SocialProof = Field(default_factory=SocialProof)
    tone: Tone = Field(default_factory=Tone)
    assets: BrandAssets = Field(default_factory=BrandAssets)
    avoided_terms: list[str] = Field(default_factory=list)
    sources: dict[str, FieldSource] = Field(default_factory=dict)
    confidence: float = Field(0.0, ge=0.0, le=1.0)
    warnings: list[str] = Field(default_factory=list)

    def claim(self, claim_id: str) -> Claim | None:
        return next((c for c in self.claims if c.id == claim_id), None)
