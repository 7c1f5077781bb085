"""Request and response bodies of the `/workflow` routes (documented in the OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from brandtruth.models.pipeline import ApprovalDecision, Stage
from brandtruth.pipeline.backend import RunRow


class StartResponse(BaseModel):
    workflow_id: str = Field(examples=["pipeline-3f9c2a1b7d4e"])
    status: Literal["started"] = "started"
    mode: Literal["temporal", "fallback"]


class HealthResponse(BaseModel):
    temporal_available: bool
    status: Literal["healthy", "degraded"]
    message: str | None = None
    temporal_host: str
    task_queue: str
    workers: int | None = Field(
        default=None, description="Workers polling the task queue (null while Temporal is unreachable)"
    )


class ProgressResponse(BaseModel):
    workflow_id: str
    stage: Stage
    progress_percent: int
    message: str
    error: str | None = None
    seq: int
    at: datetime
    mode: Literal["temporal", "fallback"]


class ApproveResponse(BaseModel):
    workflow_id: str
    status: Literal["approved", "rejected", "queued"] = Field(
        description="approved (at least one variant), rejected (an empty list rejects them all) or queued"
    )
    approved_ids: list[str] = Field(default_factory=list)
    rejected_ids: list[str] = Field(default_factory=list)
    decision: ApprovalDecision | None = None
    message: str | None = None


class CancelResponse(BaseModel):
    workflow_id: str
    status: Literal["cancelled", "cancelling"] = Field(
        description='"cancelled" (200) once the run has closed; "cancelling" (202) while it is still closing'
    )


RunSummary = RunRow


class ErrorResponse(BaseModel):
    error: str
    detail: str
