"""What every run backend offers the API: the Temporal backend and the in-process fallback alike."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from pydantic import BaseModel

from brandtruth.models.pipeline import (
    ApprovalDecision,
    ApprovalRequest,
    PipelineRequest,
    PipelineResult,
    ProgressEvent,
)

Mode = Literal["temporal", "fallback"]


class RunRow(BaseModel):
    """One line of the run list."""

    workflow_id: str
    url: str
    stage: str
    started_at: datetime | None = None
    mode: Mode


class RunBackend(Protocol):
    """Operations on runs. Refusals are `brandtruth.pipeline.errors.RunError` subclasses."""

    async def start(self, workflow_id: str, request: PipelineRequest) -> None: ...

    async def snapshot(self, workflow_id: str) -> PipelineResult:
        """Everything known about the run now, never waiting for it to progress (RunNotFound if unknown)."""
        ...

    async def events_since(self, workflow_id: str, seq: int) -> list[ProgressEvent]: ...

    async def approve(self, workflow_id: str, request: ApprovalRequest) -> ApprovalDecision | None:
        """The recorded decision, or None when it was queued to apply later (the run is not live now)."""
        ...

    async def cancel(self, workflow_id: str) -> bool:
        """Ask the run to stop; True once it has closed, False while the cancellation is still pending."""
        ...

    async def recent(self, limit: int = 50) -> list[RunRow]: ...
