"""Which backend owns a run, and the Temporal connection's life cycle.

New runs go to Temporal when it is reachable and to the in-process fallback otherwise. A run's
owner never changes: fallback runs are found in the fallback store, everything else is asked of
Temporal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time

from temporalio.client import Client

from brandtruth.api.errors import Conflict, Invalid, RunNotFound
from brandtruth.api.schemas import RunSummary
from brandtruth.api.temporal_backend import TemporalBackend
from brandtruth.config import Settings
from brandtruth.models.pipeline import (
    ApprovalDecision,
    ApprovalRequest,
    PipelineRequest,
    PipelineResult,
    ProgressEvent,
)
from brandtruth.pipeline.fallback_store import FallbackStore
from brandtruth.pipeline.orchestrator import FallbackOrchestrator
from brandtruth.pipeline.state import ApprovalRejected
from brandtruth.temporal.client import connect, is_healthy

log = logging.getLogger("brandtruth.api")

HEALTH_TTL_SECONDS = 2.0
RECONNECT_EVERY_SECONDS = 5.0


def new_workflow_id() -> str:
    return f"pipeline-{secrets.token_hex(6)}"


class PipelineService:
    """The API's single entry to runs, whichever backend holds them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.fallback_store = FallbackStore(settings.fallback_db)
        self.fallback = FallbackOrchestrator(settings, self.fallback_store)
        self.temporal: TemporalBackend | None = None
        self._healthy = False
        self._checked_at = 0.0
        self._reconnect: asyncio.Task[None] | None = None

    async def startup(self) -> None:
        interrupted = await self.fallback.recover()
        if interrupted:
            log.warning("Marked %d interrupted fallback run(s) as failed", interrupted)
        await self._try_connect()
        self._reconnect = asyncio.create_task(self._keep_connecting())

    async def shutdown(self) -> None:
        if self._reconnect is not None:
            self._reconnect.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reconnect
        await self.fallback.shutdown()
        self.fallback_store.close()

    async def _try_connect(self) -> None:
        try:
            client: Client = await connect(self.settings, timeout=3.0)
        except Exception as exc:
            log.warning(
                "Temporal at %s unreachable (%s): using the in-process fallback",
                self.settings.temporal_host,
                exc,
            )
            return
        self.temporal = TemporalBackend(client, self.settings)
        self._healthy = True
        self._checked_at = time.monotonic()
        log.info("Connected to Temporal at %s", self.settings.temporal_host)

    async def _keep_connecting(self) -> None:
        while self.temporal is None:
            await asyncio.sleep(RECONNECT_EVERY_SECONDS)
            await self._try_connect()

    async def temporal_available(self) -> bool:
        if self.temporal is None:
            return False
        if time.monotonic() - self._checked_at > HEALTH_TTL_SECONDS:
            self._healthy = await is_healthy(self.temporal.client)
            self._checked_at = time.monotonic()
        return self._healthy

    async def start(self, request: PipelineRequest) -> tuple[str, str]:
        workflow_id = new_workflow_id()
        if self.temporal is not None and await self.temporal_available():
            try:
                await self.temporal.start(workflow_id, request)
                return workflow_id, "temporal"
            except Exception as exc:  # the server went away between the health check and now
                log.warning("Starting on Temporal failed (%s); running in-process instead", exc)
                self._healthy = False
        await self.fallback.start(workflow_id, request)
        return workflow_id, "fallback"

    def _temporal(self, workflow_id: str) -> TemporalBackend:
        if self.temporal is None:
            raise RunNotFound(
                f"No pipeline with id {workflow_id!r} among in-process runs; Temporal is unreachable, "
                "so runs stored there cannot be looked up right now."
            )
        return self.temporal

    async def _is_fallback(self, workflow_id: str) -> bool:
        if not workflow_id.startswith("pipeline-"):
            raise RunNotFound(f"No pipeline with id {workflow_id!r}.")
        return await self.fallback.owns(workflow_id)

    async def snapshot(self, workflow_id: str) -> PipelineResult:
        if await self._is_fallback(workflow_id):
            result = await self.fallback.result(workflow_id)
            if result is None:
                raise RunNotFound(f"No pipeline with id {workflow_id!r}.")
            return result
        return await self._temporal(workflow_id).snapshot(workflow_id)

    async def events_since(self, workflow_id: str, seq: int) -> list[ProgressEvent]:
        if await self._is_fallback(workflow_id):
            return [e for e in (await self.snapshot(workflow_id)).events if e.seq > seq]
        return await self._temporal(workflow_id).events_since(workflow_id, seq)

    async def approve(self, workflow_id: str, request: ApprovalRequest) -> ApprovalDecision | None:
        if await self._is_fallback(workflow_id):
            try:
                return await self.fallback.approve(workflow_id, request)
            except ApprovalRejected as exc:
                raise (Invalid if exc.status == 422 else Conflict)(exc.message) from None
        return await self._temporal(workflow_id).approve(workflow_id, request)

    async def cancel(self, workflow_id: str) -> None:
        if await self._is_fallback(workflow_id):
            try:
                await self.fallback.cancel(workflow_id)
            except ApprovalRejected as exc:
                raise Conflict(exc.message) from None
            return
        await self._temporal(workflow_id).cancel(workflow_id)

    async def recent(self, limit: int = 50) -> list[RunSummary]:
        """Newest runs of both backends, merged by start time."""
        rows = [
            RunSummary(workflow_id=wid, url=url, stage=stage, started_at=started, mode="fallback")
            for wid, url, stage, started in await self.fallback.recent(limit)
        ]
        if self.temporal is not None and await self.temporal_available():
            try:
                for wid, url, stage, started in await self.temporal.recent(limit):
                    rows.append(RunSummary(workflow_id=wid, url=url, stage=stage, started_at=started, mode="temporal"))
            except Exception as exc:
                log.warning("Listing Temporal runs failed: %s", exc)
        rows.sort(key=lambda r: r.started_at.timestamp() if r.started_at else 0.0, reverse=True)
        return rows[:limit]
