"""`AdPipelineWorkflow`: the durable run of one pipeline.

The stage order lives in `brandtruth.pipeline.flow` (shared with the fallback orchestrator); this
module supplies an activity-backed runner and the workflow's queries, update and signal. Only
models, pure pipeline code and names are imported here, so the workflow stays deterministic.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RawValue, RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, is_cancelled_exception

with workflow.unsafe.imports_passed_through():
    from brandtruth.errors import non_retryable_error_types
    from brandtruth.models.brand import BrandProfile
    from brandtruth.models.common import ArtifactRef
    from brandtruth.models.copy import CopyResult
    from brandtruth.models.creative import VariantCreatives, VariantMatches
    from brandtruth.models.pipeline import (
        ApprovalDecision,
        ApprovalRequest,
        PipelineRequest,
        PipelineResult,
        ProgressEvent,
    )
    from brandtruth.models.score import VariantScore
    from brandtruth.models.stage_io import (
        ComposeInput,
        ContactSheetInput,
        CopyInput,
        ExtractInput,
        MatchInput,
        ScoreInput,
    )
    from brandtruth.pipeline.errors import RunError
    from brandtruth.pipeline.flow import PipelineFailed, run_pipeline
    from brandtruth.pipeline.state import PipelineState
    from brandtruth.temporal import names

T = TypeVar("T")


def retry_policy() -> RetryPolicy:
    """Temporal's retries (the only retry layer); bad-input error types, read from the classes, stop them.

    Built when an activity is scheduled rather than at import, so error classes of every stage the
    worker loaded are in the list. Activities also mark bad input non-retryable themselves.
    """
    return RetryPolicy(
        initial_interval=timedelta(seconds=1),
        backoff_coefficient=2.0,
        maximum_interval=timedelta(seconds=30),
        maximum_attempts=5,
        non_retryable_error_types=non_retryable_error_types(),
    )


HEARTBEAT_TIMEOUT = timedelta(seconds=10)
TIMEOUTS: dict[str, timedelta] = {
    names.EXTRACT: timedelta(minutes=3),
    names.GENERATE: timedelta(minutes=3),
    names.MATCH: timedelta(minutes=2),
    names.COMPOSE: timedelta(minutes=3),
    names.CONTACT_SHEET: timedelta(minutes=2),
    names.SCORE: timedelta(minutes=2),
}


class _ActivityRunner:
    """Runs each stage as an activity; publishes stage changes to memo, search attribute and UI."""

    def __init__(self, state: PipelineState) -> None:
        self._state = state

    def now(self) -> datetime:
        return workflow.now()

    async def _activity(self, name: str, arg: Any, result_type: type[T]) -> T:
        result: T = await workflow.execute_activity(
            name,
            arg,
            result_type=result_type,
            start_to_close_timeout=TIMEOUTS[name],
            heartbeat_timeout=HEARTBEAT_TIMEOUT,
            retry_policy=retry_policy(),
            cancellation_type=workflow.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
        )
        if workflow.cancellation_reason() is not None:
            # An activity that finished before it saw the cancel returns normally and the SDK
            # swallows the cancellation; honour it here so the run never moves on.
            raise asyncio.CancelledError()
        return result

    async def extract(self, inp: ExtractInput) -> BrandProfile:
        return await self._activity(names.EXTRACT, inp, BrandProfile)

    async def generate(self, inp: CopyInput) -> CopyResult:
        return await self._activity(names.GENERATE, inp, CopyResult)

    async def match(self, inp: MatchInput) -> VariantMatches:
        return await self._activity(names.MATCH, inp, VariantMatches)

    async def compose(self, inp: ComposeInput) -> VariantCreatives:
        return await self._activity(names.COMPOSE, inp, VariantCreatives)

    async def contact_sheet(self, inp: ContactSheetInput) -> ArtifactRef:
        return await self._activity(names.CONTACT_SHEET, inp, ArtifactRef)

    async def score(self, inp: ScoreInput) -> VariantScore:
        return await self._activity(names.SCORE, inp, VariantScore)

    async def wait_for_decision(self, timeout: timedelta) -> bool:
        try:
            await workflow.wait_condition(lambda: self._state.result.decision is not None, timeout=timeout)
        except TimeoutError:
            return False
        return True

    async def checkpoint(self, state: PipelineState, stage_changed: bool) -> None:
        if not stage_changed:
            return
        event = state.last_event
        workflow.upsert_search_attributes([names.PIPELINE_STAGE.value_set(event.stage.value)])
        workflow.upsert_memo({"progress": event.model_dump(mode="json"), "variant_ids": state.result.variant_ids})
        workflow.set_current_details(f"**{event.stage.value}** — {event.message}")

    def is_cancellation(self, exc: BaseException) -> bool:
        return isinstance(exc, asyncio.CancelledError) or is_cancelled_exception(exc)

    def failure_message(self, exc: BaseException) -> str | None:
        if isinstance(exc, ActivityError) and exc.cause is not None:
            cause = exc.cause
            if isinstance(cause, ApplicationError) and cause.type:
                return f"{cause.message}"
            return str(cause.message if hasattr(cause, "message") else cause)
        if isinstance(exc, ApplicationError):
            return exc.message
        return None


@workflow.defn(name=names.WORKFLOW_NAME)
class AdPipelineWorkflow:
    """extract → generate → match → compose → score → await approval, with live progress."""

    @workflow.init
    def __init__(self, request: PipelineRequest) -> None:
        self._state = PipelineState.new(workflow.info().workflow_id, request, "temporal", workflow.now())

    @workflow.run
    async def run(self, request: PipelineRequest) -> PipelineResult:
        try:
            result = await run_pipeline(self._state, _ActivityRunner(self._state))
        except PipelineFailed as exc:
            # Failed, not Completed-with-error; a summary of the partial result rides along.
            raise ApplicationError(
                exc.message, self._state.result.summarized(), type=names.PIPELINE_FAILED, non_retryable=True
            ) from None
        return result.summarized()

    @workflow.query(name=names.QUERY_PROGRESS)
    def progress(self) -> ProgressEvent:
        return self._state.last_event

    @workflow.query(name=names.QUERY_EVENTS_SINCE)
    def events_since(self, seq: int) -> list[ProgressEvent]:
        return self._state.events_since(seq)

    @workflow.query(name=names.QUERY_SNAPSHOT)
    def snapshot(self) -> PipelineResult:
        return self._state.result

    @workflow.update(name=names.UPDATE_APPROVE)
    def approve(self, request: ApprovalRequest) -> ApprovalDecision:
        return self._state.decide(request, workflow.now(), "update")

    @approve.validator
    def _validate_approve(self, request: ApprovalRequest) -> None:
        try:
            self._state.check_approval(request)
        except RunError as exc:  # ApprovalConflict or ApprovalInvalid, rebuilt by class name on the client
            raise ApplicationError(exc.message, type=type(exc).__name__, non_retryable=True) from None

    @workflow.signal(name=names.SIGNAL_APPROVE)
    def approve_variants(self, raw: RawValue) -> None:
        """Fire-and-forget approval (e.g. `temporal workflow signal`); invalid ones are logged once.

        The payload is decoded here rather than by the SDK, so a hand-typed one that is not an
        approval gets one warning with the reason (workflow.logger is silent on replay) instead of
        an error with a traceback.
        """
        try:
            request = workflow.payload_converter().from_payload(raw.payload, ApprovalRequest)
        except Exception as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            workflow.logger.warning('Ignored approval signal: expected {"variant_ids": ["v1", ...]} (%s)', reason[:300])
            return
        try:
            self._state.decide(request, workflow.now(), "signal")
        except RunError as exc:
            workflow.logger.warning("Ignored approval signal: %s", exc.message)
