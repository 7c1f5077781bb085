"""Pipeline request, progress events, approval decision and the run's result."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from brandtruth.models.brand import BrandProfile
from brandtruth.models.common import ArtifactRef, Model
from brandtruth.models.copy import CopyVariant, Platform
from brandtruth.models.creative import AdFormat, Creative, ImageMatch
from brandtruth.models.score import VariantScore


class Stage(StrEnum):
    PENDING = "pending"
    EXTRACTING = "extracting"
    GENERATING = "generating"
    MATCHING = "matching"
    COMPOSING = "composing"
    SCORING = "scoring"
    AWAITING_APPROVAL = "awaiting_approval"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STAGES


TERMINAL_STAGES = frozenset({Stage.COMPLETED, Stage.FAILED, Stage.CANCELLED, Stage.EXPIRED})

# Progress shown when a stage starts; the per-variant stages advance within their band.
STAGE_PERCENT: dict[Stage, int] = {
    Stage.PENDING: 0,
    Stage.EXTRACTING: 5,
    Stage.GENERATING: 30,
    Stage.MATCHING: 45,
    Stage.COMPOSING: 60,
    Stage.SCORING: 80,
    Stage.AWAITING_APPROVAL: 95,
    Stage.COMPLETED: 100,
    Stage.FAILED: 100,
    Stage.CANCELLED: 100,
    Stage.EXPIRED: 100,
}


class PipelineRequest(Model):
    """What a user asks for; validated at the API edge and again by the workflow input."""

    url: str = Field(
        min_length=1,
        max_length=2048,
        json_schema_extra={"format": "uri"},
        description="The brand's http(s) URL; addresses the SSRF guard refuses are answered with 422",
    )
    num_variants: int = Field(3, ge=1, le=10)
    platforms: list[Platform] = Field(default_factory=lambda: [Platform.META], min_length=1)
    formats: list[AdFormat] = Field(default_factory=lambda: list(AdFormat), min_length=1)
    objective: str = Field("conversions", max_length=200)
    approval_timeout_hours: float = Field(168.0, gt=0, le=24 * 90)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError on a malformed port
        except ValueError as exc:
            raise ValueError(f"not a valid URL: {exc}") from None
        if "://" not in value and "." in value.split("/")[0] and not any(ch.isspace() for ch in value):
            # a bare domain ("example.com", "example.com:8080/shop"): say what to type
            raise ValueError(f"add the scheme: did you mean https://{value}?")
        if parts.scheme.lower() not in ("http", "https"):
            raise ValueError("only http:// and https:// URLs can be read")
        if not parts.hostname:
            raise ValueError("the URL has no host name")
        if any(ch.isspace() for ch in value):
            raise ValueError("the URL contains whitespace")
        return value

    @field_validator("platforms", "formats")
    @classmethod
    def _dedupe(cls, value: list[StrEnum]) -> list[StrEnum]:
        return list(dict.fromkeys(value))


class ProgressEvent(Model):
    workflow_id: str
    seq: int = Field(ge=1)
    stage: Stage
    progress_percent: int = Field(ge=0, le=100)
    message: str
    error: str | None = None
    at: datetime


class ApprovalRequest(Model):
    variant_ids: list[str] = Field(max_length=200)
    comment: str | None = Field(None, max_length=2000)


class ApprovalDecision(Model):
    approved_ids: list[str]
    rejected_ids: list[str]
    comment: str | None = None
    decided_at: datetime
    via: str = Field("update", description="update, signal or fallback")


class VariantResult(Model):
    variant: CopyVariant
    matches: list[ImageMatch] = Field(default_factory=list)
    creatives: list[Creative] = Field(default_factory=list)
    score: VariantScore | None = None
    warnings: list[str] = Field(default_factory=list)


class PipelineResult(Model):
    """Whatever is known about a run; partial while it runs, complete once it ends."""

    workflow_id: str
    stage: Stage
    mode: str = Field("temporal", description="temporal or fallback")
    request: PipelineRequest
    brand_profile: BrandProfile | None = None
    variants: list[VariantResult] = Field(default_factory=list)
    copy_warnings: list[str] = Field(default_factory=list)
    contact_sheet: ArtifactRef | None = None
    decision: ApprovalDecision | None = None
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_seconds: float | None = None
    events: list[ProgressEvent] = Field(default_factory=list, description="Stage timeline, oldest first")
    detail: Literal["full", "summary"] = Field(
        "full",
        description="'summary' when heavy parts (profile, image matches, per-creative score factors) are "
        "left out; the full result needs a running worker",
    )

    @property
    def variant_ids(self) -> list[str]:
        return [v.variant.id for v in self.variants]

    def summarized(self) -> PipelineResult:
        """A copy small enough for workflow history (the run's return value and failure details).

        History payloads should stay well under 100 KB; the full result, which grows with the
        number of variants, stays available through the workflow's `snapshot` query.
        """
        return self.model_copy(
            update={
                "detail": "summary",
                "brand_profile": None,
                "variants": [
                    vr.model_copy(
                        update={
                            "matches": [],
                            "score": vr.score.model_copy(update={"creatives": []}) if vr.score else None,
                        }
                    )
                    for vr in self.variants
                ],
            }
        )
