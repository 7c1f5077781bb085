"""Reading and steering runs that live in Temporal.

Reads never block on a missing worker: closed runs are read from history (`result()`), running
ones through a query with a short RPC timeout, and when no worker answers, from the memo the
workflow keeps on every stage change (`describe()` needs no worker).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from datetime import timedelta
from typing import Any

from temporalio.client import (
    Client,
    WorkflowExecutionDescription,
    WorkflowExecutionStatus,
    WorkflowFailureError,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from brandtruth.api.errors import Conflict, Invalid, RunNotFound, Unavailable
from brandtruth.config import Settings
from brandtruth.models.pipeline import (
    ApprovalDecision,
    ApprovalRequest,
    PipelineRequest,
    PipelineResult,
    ProgressEvent,
    Stage,
)
from brandtruth.pipeline.state import PipelineState
from brandtruth.temporal import names

QUERY_TIMEOUT = timedelta(seconds=2)
CANCEL_WAIT_POLLS = 50  # × 0.1 s
UPDATE_WAIT = timedelta(seconds=4)
_CLOSED_STAGE = {
    WorkflowExecutionStatus.CANCELED: Stage.CANCELLED,
    WorkflowExecutionStatus.TERMINATED: Stage.FAILED,
    WorkflowExecutionStatus.TIMED_OUT: Stage.FAILED,
    WorkflowExecutionStatus.FAILED: Stage.FAILED,
}


class TemporalBackend:
    """Runs as Temporal workflows; one client per process."""

    def __init__(self, client: Client, settings: Settings) -> None:
        self.client = client
        self._settings = settings
        self._final: OrderedDict[str, PipelineResult] = OrderedDict()

    def _handle(self, workflow_id: str) -> WorkflowHandle[Any, PipelineResult]:
        return self.client.get_workflow_handle(workflow_id, result_type=PipelineResult)

    async def start(self, workflow_id: str, request: PipelineRequest) -> None:
        await self.client.start_workflow(
            names.WORKFLOW_NAME,
            request,
            id=workflow_id,
            task_queue=self._settings.temporal_task_queue,
            memo={"request": request.model_dump(mode="json")},
            search_attributes=TypedSearchAttributes([SearchAttributePair(names.PIPELINE_STAGE, Stage.PENDING.value)]),
            result_type=PipelineResult,
        )

    async def _describe(self, workflow_id: str) -> WorkflowExecutionDescription:
        try:
            return await self._handle(workflow_id).describe(rpc_timeout=QUERY_TIMEOUT)
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise RunNotFound(f"No pipeline with id {workflow_id!r}.") from None
            raise Unavailable(f"Temporal did not answer: {exc.message}") from None

    async def _query(self, workflow_id: str, query: str, *args: Any, result_type: type[Any]) -> Any:
        """Query a running workflow; None when no worker answers in time."""
        try:
            return await self._handle(workflow_id).query(
                query, *args, result_type=result_type, rpc_timeout=QUERY_TIMEOUT
            )
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise RunNotFound(f"No pipeline with id {workflow_id!r}.") from None
            return None

    def _remember(self, result: PipelineResult) -> PipelineResult:
        self._final[result.workflow_id] = result
        while len(self._final) > 256:
            self._final.popitem(last=False)
        return result

    async def snapshot(self, workflow_id: str) -> PipelineResult:
        """Everything known about the run right now, never waiting for a worker."""
        cached = self._final.get(workflow_id)
        if cached is not None:
            return cached
        desc = await self._describe(workflow_id)
        status = desc.status
        if status == WorkflowExecutionStatus.RUNNING:
            live = await self._query(workflow_id, names.QUERY_SNAPSHOT, result_type=PipelineResult)
            return live if isinstance(live, PipelineResult) else await self._from_memo(workflow_id, desc)
        # Closed: the full result comes from the workflow's query (a worker replays the history);
        # without a worker, the summary kept in history answers instead.
        full = await self._query(workflow_id, names.QUERY_SNAPSHOT, result_type=PipelineResult)
        if isinstance(full, PipelineResult) and full.stage.is_terminal:
            return self._remember(full)
        summary = await self._closed_summary(workflow_id, status)
        return summary if summary is not None else await self._from_memo(workflow_id, desc)

    async def _closed_summary(self, workflow_id: str, status: WorkflowExecutionStatus | None) -> PipelineResult | None:
        handle = self._handle(workflow_id)
        if status == WorkflowExecutionStatus.COMPLETED:
            return await handle.result(rpc_timeout=QUERY_TIMEOUT)
        if status == WorkflowExecutionStatus.FAILED:
            try:
                await handle.result(rpc_timeout=QUERY_TIMEOUT)
            except WorkflowFailureError as exc:
                cause = exc.cause
                if isinstance(cause, ApplicationError) and cause.type == names.PIPELINE_FAILED and cause.details:
                    return PipelineResult.model_validate(cause.details[0])
        return None

    async def _from_memo(self, workflow_id: str, desc: WorkflowExecutionDescription) -> PipelineResult:
        memo = await desc.memo()
        request = PipelineRequest.model_validate(memo["request"])
        result = PipelineResult(
            workflow_id=workflow_id,
            stage=Stage.PENDING,
            mode="temporal",
            request=request,
            started_at=desc.start_time,
        )
        if "progress" in memo:
            result.events = [ProgressEvent.model_validate(memo["progress"])]
            result.stage = result.events[0].stage
            result.error = result.events[0].error
        closed = _CLOSED_STAGE.get(desc.status) if desc.status is not None else None
        if closed is not None and not result.stage.is_terminal:
            state = PipelineState(result)
            note = "Cancelled" if closed is Stage.CANCELLED else f"Run ended: {desc.status.name if desc.status else ''}"
            state.emit(closed, note, desc.close_time or desc.start_time)
        return result

    async def events_since(self, workflow_id: str, seq: int) -> list[ProgressEvent]:
        cached = self._final.get(workflow_id)
        if cached is None:
            events = await self._query(workflow_id, names.QUERY_EVENTS_SINCE, seq, result_type=list[ProgressEvent])
            if events is not None:
                return list(events)
        snap = cached or await self.snapshot(workflow_id)
        return [e for e in snap.events if e.seq > seq]

    async def approve(self, workflow_id: str, request: ApprovalRequest) -> ApprovalDecision | None:
        """The recorded decision, or None when it was queued as a signal (no worker answered)."""
        snap = await self.snapshot(workflow_id)
        if snap.decision is not None:  # the same words as the fallback's (pipeline.state)
            raise Conflict("This run has already been decided.")
        if snap.stage.is_terminal:
            raise Conflict(f"This run is not awaiting approval (stage: {snap.stage.value}).")
        handle = self._handle(workflow_id)
        try:
            decision: ApprovalDecision = await handle.execute_update(
                names.UPDATE_APPROVE, request, result_type=ApprovalDecision, rpc_timeout=UPDATE_WAIT
            )
            return decision
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            if isinstance(cause, ApplicationError) and cause.type == names.APPROVAL_INVALID:
                raise Invalid(cause.message) from None
            message = cause.message if isinstance(cause, ApplicationError) else str(cause)
            raise Conflict(message) from None
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise Conflict("This run has already ended.") from None
            raise Unavailable(f"Temporal did not answer: {exc.message}") from None
        except WorkflowUpdateRPCTimeoutOrCancelledError:
            pass
        # No worker took the update in time: check what we can without one (the memo the workflow
        # wrote when it began awaiting approval), then queue a signal it applies when a worker returns.
        memo = await (await self._describe(workflow_id)).memo()
        stage = memo.get("progress", {}).get("stage")
        if stage != Stage.AWAITING_APPROVAL.value:
            raise Conflict(f"This run is not awaiting approval (stage: {stage or 'pending'}).")
        known = set(memo.get("variant_ids", []))
        unknown = sorted(set(request.variant_ids) - known)
        if unknown:
            raise Invalid(f"Unknown variant ids: {', '.join(unknown)}. This run has: {', '.join(sorted(known))}.")
        await handle.signal(names.SIGNAL_APPROVE, request)
        return None

    async def cancel(self, workflow_id: str) -> None:
        desc = await self._describe(workflow_id)
        if desc.status != WorkflowExecutionStatus.RUNNING:
            snap = await self.snapshot(workflow_id)
            raise Conflict(f"This run has already ended (stage: {snap.stage.value}).")
        handle = self._handle(workflow_id)
        await handle.cancel()
        # Answer once the run has actually stopped (in-flight activities acknowledge within a
        # heartbeat or two), so a read right after the response already says "cancelled".
        for _ in range(CANCEL_WAIT_POLLS):
            if (await handle.describe()).status != WorkflowExecutionStatus.RUNNING:
                break
            await asyncio.sleep(0.1)

    async def recent(self, limit: int = 50) -> list[tuple[str, str, str, Any]]:
        """Recent runs from Temporal's visibility store: (id, url, stage, started)."""
        rows: list[tuple[str, str, str, Any]] = []
        query = f'WorkflowType = "{names.WORKFLOW_NAME}"'
        async for wf in self.client.list_workflows(query, limit=limit):
            stage = wf.typed_search_attributes.get(names.PIPELINE_STAGE) or "pending"
            memo = await wf.memo()
            url = str(memo.get("request", {}).get("url", ""))
            rows.append((wf.id, url, stage, wf.start_time))
        return rows
