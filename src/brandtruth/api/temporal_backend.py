"""Runs that live in Temporal, read without ever blocking on a worker.

Finished runs are answered from a small cache or from the workflow result in history; running
ones through a query with a short RPC timeout, and when no worker answers, from the memo the
workflow keeps on every stage change (`describe()` needs no worker).

A monitor keeps two facts fresh in the background: whether the server answers, and how many
workers poll the task queue. While the server is known to be down every call fails at once with
`BackendUnavailable` instead of waiting out the client's own retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable
from datetime import timedelta
from typing import TypeVar

from temporalio.api.enums.v1 import EventType
from temporalio.client import (
    Client,
    WorkflowExecutionDescription,
    WorkflowExecutionStatus,
    WorkflowFailureError,
    WorkflowHandle,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from brandtruth.config import Settings
from brandtruth.models.pipeline import (
    ApprovalDecision,
    ApprovalRequest,
    PipelineRequest,
    PipelineResult,
    ProgressEvent,
    Stage,
)
from brandtruth.pipeline.backend import RunRow
from brandtruth.pipeline.errors import (
    APPROVAL_ERRORS,
    ApprovalConflict,
    BackendUnavailable,
    RunConflict,
    RunNotFound,
)
from brandtruth.pipeline.state import PipelineState, check_variant_ids
from brandtruth.temporal import names
from brandtruth.temporal.client import describe_queue, pipeline_handle
from brandtruth.temporal.workflows import AdPipelineWorkflow

log = logging.getLogger("brandtruth.api")

T = TypeVar("T")
PipelineHandle = WorkflowHandle[AdPipelineWorkflow, PipelineResult]

QUERY_TIMEOUT = timedelta(seconds=2)
CANCEL_WAIT_SECONDS = 5.0
UPDATE_WAIT = timedelta(seconds=4)
MONITOR_EVERY_SECONDS = 0.5
MONITOR_TIMEOUT_SECONDS = 1.0
_CLOSED_STAGE = {
    WorkflowExecutionStatus.CANCELED: Stage.CANCELLED,
    WorkflowExecutionStatus.TERMINATED: Stage.FAILED,
    WorkflowExecutionStatus.TIMED_OUT: Stage.FAILED,
    WorkflowExecutionStatus.FAILED: Stage.FAILED,
}


class TemporalBackend:
    """Runs as Temporal workflows; one client per process. Implements `RunBackend`."""

    def __init__(self, client: Client, settings: Settings) -> None:
        self.client = client
        self._settings = settings
        self._final: OrderedDict[str, PipelineResult] = OrderedDict()
        self._approving: dict[str, asyncio.Lock] = {}
        self._reachable = True
        self._went_down = asyncio.Event()  # set while the server is known to be down
        self.workers: int | None = None  # None until the monitor has asked
        self.backlog_age = 0.0  # seconds the oldest task on the queue has waited for a worker
        self._monitor: asyncio.Task[None] | None = None
        self._slow_checks = 0
        self._refused = False

    # -- liveness -------------------------------------------------------------------------

    @property
    def reachable(self) -> bool:
        return self._reachable

    @reachable.setter
    def reachable(self, up: bool) -> None:
        self._reachable = up
        if up:
            self._went_down.clear()
        else:
            self._went_down.set()

    async def refresh(self) -> None:
        """Ask the server whether it answers and how many workers poll the task queue.

        A refused connection marks the server down at once; a slow answer only on the second
        check in a row, so a busy moment does not turn every request into a 503.
        """
        up = await self._answers()
        if not up:
            self._slow_checks += 1
            up = self._slow_checks < 2 and self._refused is False
        else:
            self._slow_checks = 0
        workers, backlog = self.workers, self.backlog_age
        if up and self._slow_checks == 0:
            try:
                queue = await asyncio.wait_for(
                    describe_queue(self.client, self._settings.temporal_task_queue, timeout=MONITOR_TIMEOUT_SECONDS),
                    2 * MONITOR_TIMEOUT_SECONDS,
                )
                workers, backlog = queue.workers, queue.backlog_age_seconds
            except (RPCError, TimeoutError) as exc:
                log.debug("Describing the task queue failed: %s", exc)
        if up != self.reachable:
            log.warning("Temporal at %s is %s", self._settings.temporal_host, "back" if up else "unreachable")
        self.reachable, self.workers, self.backlog_age = up, workers, backlog

    async def _answers(self) -> bool:
        self._refused = False
        try:
            return await asyncio.wait_for(
                self.client.service_client.check_health(timeout=timedelta(seconds=MONITOR_TIMEOUT_SECONDS)),
                MONITOR_TIMEOUT_SECONDS,
            )
        except RPCError as exc:
            self._refused = exc.status == RPCStatusCode.UNAVAILABLE
            return False
        except (TimeoutError, OSError, RuntimeError):
            return False

    def start_monitor(self) -> None:
        async def loop() -> None:
            while True:
                await self.refresh()
                await asyncio.sleep(MONITOR_EVERY_SECONDS)

        self._monitor = asyncio.create_task(loop(), name="temporal-monitor")

    async def stop_monitor(self) -> None:
        if self._monitor is not None:
            self._monitor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._monitor

    async def _rpc(self, workflow_id: str, call: Awaitable[T]) -> T:
        """Await one server call: fail fast while the server is known down, and notice when it goes.

        Only a refused connection marks the server down here: a timeout may be a query no worker
        answered, or a busy moment, and the monitor judges those.
        """
        if not self.reachable:
            if asyncio.iscoroutine(call):
                call.close()
            raise BackendUnavailable("Temporal is unreachable right now; try again shortly.")
        try:
            return await self._unless_down(call)
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise RunNotFound(f"No pipeline with id {workflow_id!r}.") from None
            if exc.status == RPCStatusCode.UNAVAILABLE and self._monitor is not None:
                self.reachable = False  # the monitor says when it is back
            raise BackendUnavailable(f"Temporal did not answer: {exc.message}") from None

    async def _unless_down(self, call: Awaitable[T]) -> T:
        """`call`'s result, or BackendUnavailable as soon as the monitor sees the server go down.

        The client retries a refused connection for ~10 s by itself; a request already waiting
        when the server dies is answered when the monitor notices (about a second), not then.
        """
        task = asyncio.ensure_future(call)
        down = asyncio.ensure_future(self._went_down.wait())
        try:
            await asyncio.wait({task, down}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:  # the request itself was cancelled (client gone): take the call along
            task.cancel()
            raise
        finally:
            down.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, RPCError):
                await task
            raise BackendUnavailable("Temporal became unreachable while answering; try again shortly.")
        return task.result()

    # -- RunBackend -------------------------------------------------------------------------

    def _handle(self, workflow_id: str) -> PipelineHandle:
        return pipeline_handle(self.client, workflow_id)

    async def start(self, workflow_id: str, request: PipelineRequest) -> None:
        await self._rpc(
            workflow_id,
            self.client.start_workflow(
                AdPipelineWorkflow.run,
                request,
                id=workflow_id,
                task_queue=self._settings.temporal_task_queue,
                memo={"request": request.model_dump(mode="json")},
                search_attributes=TypedSearchAttributes(
                    [SearchAttributePair(names.PIPELINE_STAGE, Stage.PENDING.value)]
                ),
            ),
        )

    async def _describe(self, workflow_id: str) -> WorkflowExecutionDescription:
        return await self._rpc(workflow_id, self._handle(workflow_id).describe(rpc_timeout=QUERY_TIMEOUT))

    async def _live_snapshot(self, workflow_id: str) -> PipelineResult | None:
        """The workflow's own state, or None when no worker answers in time."""
        try:
            query = self._handle(workflow_id).query(AdPipelineWorkflow.snapshot, rpc_timeout=QUERY_TIMEOUT)
            return await self._rpc(workflow_id, query)
        except (BackendUnavailable, WorkflowQueryFailedError):
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
            live = await self._live_snapshot(workflow_id)
            return live if live is not None else await self._from_memo(workflow_id, desc)
        # Closed: the full result comes from the workflow's query (a worker replays the history);
        # without a worker, the summary kept in history answers instead.
        full = await self._live_snapshot(workflow_id)
        if full is not None and full.stage.is_terminal:
            return self._remember(full)
        summary = await self._closed_summary(workflow_id, status)
        return summary if summary is not None else await self._from_memo(workflow_id, desc)

    async def _closed_summary(self, workflow_id: str, status: WorkflowExecutionStatus | None) -> PipelineResult | None:
        handle = self._handle(workflow_id)
        if status == WorkflowExecutionStatus.COMPLETED:
            return await self._rpc(workflow_id, handle.result(rpc_timeout=QUERY_TIMEOUT))
        if status == WorkflowExecutionStatus.FAILED:
            try:
                await self._rpc(workflow_id, handle.result(rpc_timeout=QUERY_TIMEOUT))
            except WorkflowFailureError as exc:
                cause = exc.cause
                if isinstance(cause, ApplicationError) and cause.type == names.PIPELINE_FAILED and cause.details:
                    return PipelineResult.model_validate(cause.details[0])
        return None

    async def _from_memo(self, workflow_id: str, desc: WorkflowExecutionDescription) -> PipelineResult:
        """What the memo says; a run no worker has picked up yet is "Queued", as the workflow starts."""
        memo = await desc.memo()
        request = PipelineRequest.model_validate(memo["request"])
        if "progress" in memo:
            event = ProgressEvent.model_validate(memo["progress"])
            result = PipelineResult(
                workflow_id=workflow_id,
                stage=event.stage,
                mode="temporal",
                request=request,
                started_at=desc.start_time,
                events=[event],
                error=event.error,
            )
            state = PipelineState(result)
        else:
            state = PipelineState.new(workflow_id, request, "temporal", desc.start_time)
        closed = _CLOSED_STAGE.get(desc.status) if desc.status is not None else None
        if closed is not None and not state.stage.is_terminal:
            note = "Cancelled" if closed is Stage.CANCELLED else f"Run ended: {desc.status.name if desc.status else ''}"
            state.emit(closed, note, desc.close_time or desc.start_time)
        return state.result

    async def events_since(self, workflow_id: str, seq: int) -> list[ProgressEvent]:
        cached = self._final.get(workflow_id)
        if cached is None:
            try:
                query = self._handle(workflow_id).query(AdPipelineWorkflow.events_since, seq, rpc_timeout=QUERY_TIMEOUT)
                return list(await self._rpc(workflow_id, query))
            except WorkflowQueryFailedError:
                pass
            except BackendUnavailable:
                if not self.reachable:
                    raise
        snap = cached or await self.snapshot(workflow_id)
        events = [e for e in snap.events if e.seq > seq]
        if events and events[0].seq != seq + 1:
            # Read without a worker, a run's memo holds only its latest event: hand out nothing rather
            # than a gap, so a stream delivers every event once when a worker answers again.
            return []
        return events

    async def approve(self, workflow_id: str, request: ApprovalRequest) -> ApprovalDecision | None:
        """The recorded decision, or None when it was queued as a signal (no worker answered).

        One approval per run at a time in this process, so two requests can never both queue a
        decision while the workflow is not running.
        """
        lock = self._approving.setdefault(workflow_id, asyncio.Lock())
        try:
            async with lock:
                return await self._approve(workflow_id, request)
        finally:
            if not lock.locked():
                self._approving.pop(workflow_id, None)

    async def _approve(self, workflow_id: str, request: ApprovalRequest) -> ApprovalDecision | None:
        snap = await self.snapshot(workflow_id)
        if snap.decision is not None:  # the same words as the fallback's (pipeline.state)
            raise ApprovalConflict("This run has already been decided.")
        if snap.stage.is_terminal:
            raise ApprovalConflict(f"This run is not awaiting approval (stage: {snap.stage.value}).")
        if self.workers == 0 and snap.stage is not Stage.AWAITING_APPROVAL:
            # No worker can move the run on meanwhile, so its memo's stage stands: answer now
            # rather than after waiting out an update nobody will take.
            raise ApprovalConflict(f"This run is not awaiting approval (stage: {snap.stage.value}).")
        handle = self._handle(workflow_id)
        if await self._rpc(workflow_id, self._decision_queued(handle)):
            raise ApprovalConflict("A decision for this run is already queued; it applies when a worker returns.")
        try:
            update = handle.execute_update(AdPipelineWorkflow.approve, request, rpc_timeout=UPDATE_WAIT)
            return await self._rpc(workflow_id, update)
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            if isinstance(cause, ApplicationError) and cause.type in APPROVAL_ERRORS:
                raise APPROVAL_ERRORS[cause.type](cause.message) from None
            raise ApprovalConflict(cause.message if isinstance(cause, ApplicationError) else str(cause)) from None
        except RunNotFound:
            raise ApprovalConflict("This run has already ended.") from None
        except WorkflowUpdateRPCTimeoutOrCancelledError:
            pass
        # No worker takes the update: check what we can without one (the memo the workflow wrote
        # when it began awaiting approval, and the history), then queue a signal it applies when
        # a worker returns.
        memo = await (await self._describe(workflow_id)).memo()
        stage = memo.get("progress", {}).get("stage")
        if stage != Stage.AWAITING_APPROVAL.value:
            raise ApprovalConflict(f"This run is not awaiting approval (stage: {stage or 'pending'}).")
        check_variant_ids(request, list(memo.get("variant_ids", [])))
        # By name: the handler takes the raw payload (it decodes and reports bad ones itself).
        await self._rpc(workflow_id, handle.signal(names.SIGNAL_APPROVE, request))
        return None

    async def _decision_queued(self, handle: PipelineHandle) -> bool:
        """Whether an approval signal waits in history that the workflow has not processed yet."""
        queued = False
        events = handle.fetch_history_events(rpc_timeout=QUERY_TIMEOUT)
        async for event in events:
            if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
                queued = False
            elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
                name = event.workflow_execution_signaled_event_attributes.signal_name
                queued = queued or name == names.SIGNAL_APPROVE
        return queued

    async def cancel(self, workflow_id: str) -> bool:
        """Request cancellation; True once the run has closed, False while it is still closing."""
        desc = await self._describe(workflow_id)
        if desc.status != WorkflowExecutionStatus.RUNNING:
            snap = await self.snapshot(workflow_id)
            raise RunConflict(f"This run has already ended (stage: {snap.stage.value}).")
        handle = self._handle(workflow_id)
        await self._rpc(workflow_id, handle.cancel(rpc_timeout=QUERY_TIMEOUT))
        if self.workers == 0:
            return False  # nothing will act on it until a worker returns
        # In-flight activities acknowledge within a heartbeat or two: wait briefly so a read
        # right after the response usually already says "cancelled".
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CANCEL_WAIT_SECONDS
        while loop.time() < deadline:
            await asyncio.sleep(0.1)
            if (await self._describe(workflow_id)).status != WorkflowExecutionStatus.RUNNING:
                return True
        return False

    async def recent(self, limit: int = 50) -> list[RunRow]:
        """Recent runs from Temporal's visibility store."""
        if not self.reachable:
            raise BackendUnavailable("Temporal is unreachable right now.")
        rows: list[RunRow] = []
        query = f'WorkflowType = "{names.WORKFLOW_NAME}"'
        async for wf in self.client.list_workflows(query, limit=limit, rpc_timeout=QUERY_TIMEOUT):
            stage = wf.typed_search_attributes.get(names.PIPELINE_STAGE) or "pending"
            memo = await wf.memo()
            url = str(memo.get("request", {}).get("url", ""))
            rows.append(RunRow(workflow_id=wf.id, url=url, stage=stage, started_at=wf.start_time, mode="temporal"))
        return rows
