"""The in-process fallback: the same stage functions, run by the API when Temporal is unreachable.

It gives every `/workflow` route the same behaviour as a Temporal run, with one attempt per stage
(no retries: retrying is Temporal's job) and state kept in SQLite. A run cut off by a restart is
marked failed as "interrupted"; a run that was awaiting approval can still be approved.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from brandtruth.config import Settings
from brandtruth.errors import BrandTruthError
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
    Stage,
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
from brandtruth.pipeline.backend import RunRow
from brandtruth.pipeline.errors import ApprovalConflict, RunConflict, RunNotFound
from brandtruth.pipeline.fallback_store import FallbackStore
from brandtruth.pipeline.flow import PipelineFailed, run_pipeline
from brandtruth.pipeline.state import PipelineState
from brandtruth.stages.compose import compose_contact_sheet, compose_creatives
from brandtruth.stages.context import StageContext
from brandtruth.stages.copy import generate_copy
from brandtruth.stages.extract import extract_brand
from brandtruth.stages.match import match_images
from brandtruth.stages.score import score_variant
from brandtruth.storage import open_artifact_store

log = logging.getLogger("brandtruth.fallback")

INTERRUPTED = "interrupted: the API restarted while this run was in progress; start it again"


def utcnow() -> datetime:
    return datetime.now(UTC)


class _DirectRunner:
    """Calls the stage functions in this process; persists after every event."""

    def __init__(self, state: PipelineState, ctx: StageContext, store: FallbackStore) -> None:
        self._state = state
        self._ctx = ctx
        self._store = store
        self.decided = asyncio.Event()
        # Cleared at shutdown so the cancellation of a cut-off run is not saved as a user's
        # cancel: the stored mid-stage state lets `recover()` report it as interrupted.
        self.persist = True
        # Held while a save runs; shutdown takes it so a save already begun is never lost.
        self.saving = asyncio.Lock()

    def now(self) -> datetime:
        return utcnow()

    async def extract(self, inp: ExtractInput) -> BrandProfile:
        return await extract_brand(inp.url, self._ctx)

    async def generate(self, inp: CopyInput) -> CopyResult:
        return await generate_copy(inp, self._ctx)

    async def match(self, inp: MatchInput) -> VariantMatches:
        return await match_images(inp, self._ctx)

    async def compose(self, inp: ComposeInput) -> VariantCreatives:
        return await compose_creatives(inp, self._ctx)

    async def contact_sheet(self, inp: ContactSheetInput) -> ArtifactRef:
        return await compose_contact_sheet(inp, self._ctx)

    async def score(self, inp: ScoreInput) -> VariantScore:
        return await score_variant(inp, self._ctx)

    async def wait_for_decision(self, timeout: timedelta) -> bool:
        try:
            await asyncio.wait_for(self.decided.wait(), timeout.total_seconds())
        except TimeoutError:
            return False
        return True

    async def checkpoint(self, state: PipelineState, stage_changed: bool) -> None:
        async with self.saving:
            if self.persist:
                await self._store.save(state.result)

    def is_cancellation(self, exc: BaseException) -> bool:
        return isinstance(exc, asyncio.CancelledError)

    def failure_message(self, exc: BaseException) -> str | None:
        if isinstance(exc, BrandTruthError):
            return exc.message
        if isinstance(exc, Exception):
            # A bug must still end the run visibly instead of leaving it "running" forever.
            log.exception("Unexpected error in fallback run")
            return f"unexpected {type(exc).__name__}: {exc}"
        return None


class _LiveRun:
    def __init__(self, state: PipelineState, runner: _DirectRunner) -> None:
        self.state = state
        self.runner = runner
        self.task: asyncio.Task[PipelineResult] | None = None


class FallbackOrchestrator:
    """Starts, tracks, approves and cancels in-process runs. Implements `RunBackend`."""

    def __init__(self, settings: Settings, store: FallbackStore) -> None:
        self._settings = settings
        self._store = store
        self._artifacts = open_artifact_store(settings)
        self._live: dict[str, _LiveRun] = {}
        self._deciding: dict[str, asyncio.Lock] = {}

    async def recover(self) -> int:
        """Mark runs that were mid-stage when the process died as failed; returns how many."""
        stuck = await self._store.ids_in_stages(
            *(s.value for s in Stage if not s.is_terminal and s is not Stage.AWAITING_APPROVAL)
        )
        for workflow_id in stuck:
            result = await self._store.load(workflow_id)
            if result is None:
                continue
            state = PipelineState(result)
            state.emit(Stage.FAILED, f"{state.stage.value} failed: {INTERRUPTED}", utcnow(), error=INTERRUPTED)
            await self._store.save(state.result)
        return len(stuck)

    async def start(self, workflow_id: str, request: PipelineRequest) -> None:
        state = PipelineState.new(workflow_id, request, "fallback", utcnow())
        ctx = StageContext(run_id=workflow_id, settings=self._settings, store=self._artifacts)
        live = _LiveRun(state, _DirectRunner(state, ctx, self._store))
        await self._store.save(state.result)
        self._live[workflow_id] = live
        live.task = asyncio.create_task(self._drive(live), name=f"fallback-{workflow_id}")

    async def _drive(self, live: _LiveRun) -> PipelineResult:
        try:
            return await run_pipeline(live.state, live.runner)
        except PipelineFailed:
            return live.state.result
        finally:
            self._live.pop(live.state.result.workflow_id, None)

    async def owns(self, workflow_id: str) -> bool:
        return workflow_id in self._live or await self._store.exists(workflow_id)

    async def _state(self, workflow_id: str) -> tuple[PipelineState, _LiveRun | None]:
        live = self._live.get(workflow_id)
        if live is not None:
            return live.state, live
        result = await self._store.load(workflow_id)
        if result is None:
            raise RunNotFound(f"No pipeline with id {workflow_id!r}.")
        state = PipelineState(result)
        await self._expire_if_due(state)
        return state, None

    async def _expire_if_due(self, state: PipelineState) -> None:
        """Runs awaiting approval outlive the process; their deadline is checked on every read."""
        if state.stage is not Stage.AWAITING_APPROVAL:
            return
        since = next(e.at for e in reversed(state.result.events) if e.stage is Stage.AWAITING_APPROVAL)
        hours = state.result.request.approval_timeout_hours
        if utcnow() >= since + timedelta(hours=hours):
            state.emit(Stage.EXPIRED, f"No decision within {hours:g} hours", utcnow())
            await self._store.save(state.result)

    async def snapshot(self, workflow_id: str) -> PipelineResult:
        state, _ = await self._state(workflow_id)
        return state.result

    async def events_since(self, workflow_id: str, seq: int) -> list[ProgressEvent]:
        state, _ = await self._state(workflow_id)
        return state.events_since(seq)

    async def approve(self, workflow_id: str, request: ApprovalRequest) -> ApprovalDecision:
        """Record the decision. Raises RunNotFound, ApprovalConflict or ApprovalInvalid.

        Exactly one decision wins: approvals of a run take turns in this process, and the store
        writes a decision only where none is stored yet (which also holds across processes).
        """
        lock = self._deciding.setdefault(workflow_id, asyncio.Lock())
        try:
            async with lock:
                return await self._approve(workflow_id, request)
        finally:
            if not lock.locked():
                self._deciding.pop(workflow_id, None)

    async def _approve(self, workflow_id: str, request: ApprovalRequest) -> ApprovalDecision:
        state, live = await self._state(workflow_id)
        decision = state.decide(request, utcnow(), "fallback")  # checks and records in one step
        if live is not None:
            live.runner.decided.set()  # the live flow emits `completed` and saves itself
            return decision
        state.emit(
            Stage.COMPLETED,
            f"Approved {len(decision.approved_ids)} of {len(state.result.variants)} variants",
            utcnow(),
        )
        if not await self._store.save_decision(state.result):
            raise ApprovalConflict("This run has already been decided.")
        return decision

    async def cancel(self, workflow_id: str) -> bool:
        """Cancel a run (it has closed when this returns True). Raises RunNotFound or RunConflict."""
        state, live = await self._state(workflow_id)
        if state.stage.is_terminal:
            raise RunConflict(f"This run has already ended (stage: {state.stage.value}).")
        if live is not None and live.task is not None:
            live.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await live.task
        else:
            state.emit(Stage.CANCELLED, "Cancelled", utcnow())
            await self._store.save(state.result)
        return True

    async def recent(self, limit: int = 50) -> list[RunRow]:
        return [
            RunRow(workflow_id=wid, url=url, stage=stage, started_at=started, mode="fallback")
            for wid, url, stage, started in await self._store.recent(limit)
        ]

    async def shutdown(self) -> None:
        """Stop live runs without marking them: `recover()` on the next start reports them."""
        tasks = [live.task for live in self._live.values() if live.task is not None]
        for live in list(self._live.values()):
            async with live.runner.saving:
                live.runner.persist = False
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
