"""The mutable state of one run, shared by the Temporal workflow and the fallback orchestrator.

Everything here is deterministic: callers pass the time in (`workflow.now()` inside a workflow),
so the same code is safe to run in the workflow sandbox and in the API process.
"""

from __future__ import annotations

from datetime import datetime

from brandtruth.models.pipeline import (
    STAGE_PERCENT,
    ApprovalDecision,
    ApprovalRequest,
    PipelineRequest,
    PipelineResult,
    ProgressEvent,
    Stage,
)
from brandtruth.pipeline.errors import ApprovalConflict, ApprovalInvalid

# Older events are dropped beyond this many; readers that fall this far behind resume from the
# oldest kept event. A run emits ~5 + 3 per variant events, so this is never reached in practice.
MAX_EVENTS = 500


class PipelineState:
    """Partial result plus the append-only progress log of one run."""

    def __init__(self, result: PipelineResult) -> None:
        self.result = result
        self._seq = result.events[-1].seq if result.events else 0

    @classmethod
    def new(cls, workflow_id: str, request: PipelineRequest, mode: str, at: datetime) -> PipelineState:
        state = cls(
            PipelineResult(workflow_id=workflow_id, stage=Stage.PENDING, mode=mode, request=request, started_at=at)
        )
        state.emit(Stage.PENDING, "Queued", at)
        return state

    @property
    def stage(self) -> Stage:
        return self.result.stage

    @property
    def last_event(self) -> ProgressEvent:
        return self.result.events[-1]

    def emit(
        self,
        stage: Stage,
        message: str,
        at: datetime,
        *,
        percent: int | None = None,
        error: str | None = None,
    ) -> ProgressEvent:
        """Record a transition (or progress within a stage) and return the event."""
        self._seq += 1
        self.result.stage = stage
        if error is not None:
            self.result.error = error
        event = ProgressEvent(
            workflow_id=self.result.workflow_id,
            seq=self._seq,
            stage=stage,
            progress_percent=STAGE_PERCENT[stage] if percent is None else percent,
            message=message,
            error=error,
            at=at,
        )
        events = self.result.events
        events.append(event)
        if len(events) > MAX_EVENTS:
            del events[: len(events) - MAX_EVENTS]
        if stage.is_terminal:
            self.result.finished_at = at
            if self.result.started_at is not None:
                self.result.duration_seconds = round((at - self.result.started_at).total_seconds(), 3)
        return event

    def events_since(self, seq: int) -> list[ProgressEvent]:
        return [e for e in self.result.events if e.seq > seq]

    def check_approval(self, request: ApprovalRequest) -> None:
        """Raise ApprovalConflict or ApprovalInvalid unless `request` can be applied right now."""
        if self.result.decision is not None:
            raise ApprovalConflict("This run has already been decided.")
        if self.stage is not Stage.AWAITING_APPROVAL:
            raise ApprovalConflict(f"This run is not awaiting approval (stage: {self.stage.value}).")
        check_variant_ids(request, self.result.variant_ids)

    def decide(self, request: ApprovalRequest, at: datetime, via: str) -> ApprovalDecision:
        """Apply a checked approval: everything not approved is rejected."""
        self.check_approval(request)
        approved = [v for v in self.result.variant_ids if v in set(request.variant_ids)]
        rejected = [v for v in self.result.variant_ids if v not in set(request.variant_ids)]
        decision = ApprovalDecision(
            approved_ids=approved, rejected_ids=rejected, comment=request.comment, decided_at=at, via=via
        )
        self.result.decision = decision
        return decision


def check_variant_ids(request: ApprovalRequest, known_ids: list[str]) -> None:
    """Raise ApprovalInvalid if `request` names a variant the run does not have."""
    known = set(known_ids)
    unknown = sorted(set(request.variant_ids) - known)
    if unknown:
        raise ApprovalInvalid(f"Unknown variant ids: {', '.join(unknown)}. This run has: {', '.join(sorted(known))}.")
