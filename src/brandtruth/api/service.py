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

from temporalio.client import Client

from brandtruth.api.errors import RunNotFound, to_http
from brandtruth.api.temporal_backend import TemporalBackend
from brandtruth.config import Settings
from brandtruth.models.pipeline import (
    ApprovalDecision,
    ApprovalRequest,
    PipelineRequest,
    PipelineResult,
    ProgressEvent,
)
from brandtruth.pipeline.backend import Mode, RunBackend, RunRow
from brandtruth.pipeline.errors import RunError
from brandtruth.pipeline.fallback_store import FallbackStore
from brandtruth.pipeline.orchestrator import FallbackOrchestrator
from brandtruth.temporal.client import connect

log = logging.getLogger("brandtruth.api")

RECONNECT_EVERY_SECONDS = 5.0


def new_workflow_id() -> str:
    return f"pipeline-{secrets.token_hex(6)}"


class PipelineService:
    """The API's single entry to runs, whichever backend holds them.

    Backends refuse with `RunError`s; this is where they become HTTP errors (`to_http`).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.fallback_store = FallbackStore(settings.fallback_db)
        self.fallback = FallbackOrchestrator(settings, self.fallback_store)
        self.temporal: TemporalBackend | None = None
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
        if self.temporal is not None:
            await self.temporal.stop_monitor()
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
        backend = TemporalBackend(client, self.settings)
        await backend.refresh()
        backend.start_monitor()
        self.temporal = backend
        log.info("Connected to Temporal at %s", self.settings.temporal_host)

    async def _keep_connecting(self) -> None:
        while self.temporal is None:
            await asyncio.sleep(RECONNECT_EVERY_SECONDS)
            await self._try_connect()

    async def temporal_available(self) -> bool:
        """Whether the server answered the monitor's last health check (never waits for it)."""
        return self.temporal is not None and self.temporal.reachable

    async def temporal_workers(self) -> int | None:
        """Workers polling the task queue, or None when unknown (no server).

        The monitor's last count is used when it saw a worker; a count of none is asked again, so
        a worker that started since the last look is reported at once rather than after a cycle.
        """
        if self.temporal is None or not self.temporal.reachable:
            return None
        if not self.temporal.workers:
            await self.temporal.refresh()
        return self.temporal.workers if self.temporal.reachable else None

    def unserved_seconds(self) -> float:
        """How long the oldest task on the task queue has waited for a worker, as last seen."""
        return self.temporal.backlog_age if self.temporal is not None and self.temporal.reachable else 0.0

    async def start(self, request: PipelineRequest) -> tuple[str, Mode]:
        workflow_id = new_workflow_id()
        if self.temporal is not None and self.temporal.reachable:
            try:
                await self.temporal.start(workflow_id, request)
                return workflow_id, "temporal"
            except Exception as exc:  # the server went away between the health check and now
                log.warning("Starting on Temporal failed (%s); running in-process instead", exc)
        await self.fallback.start(workflow_id, request)
        return workflow_id, "fallback"

    async def _backend(self, workflow_id: str) -> RunBackend:
        if not workflow_id.startswith("pipeline-"):
            raise RunNotFound(f"No pipeline with id {workflow_id!r}.")
        if await self.fallback.owns(workflow_id):
            return self.fallback
        if self.temporal is None:
            raise RunNotFound(
                f"No pipeline with id {workflow_id!r} among in-process runs; Temporal is unreachable, "
                "so runs stored there cannot be looked up right now."
            )
        return self.temporal

    async def snapshot(self, workflow_id: str) -> PipelineResult:
        backend = await self._backend(workflow_id)
        try:
            return await backend.snapshot(workflow_id)
        except RunError as exc:
            raise to_http(exc) from None

    async def events_since(self, workflow_id: str, seq: int) -> list[ProgressEvent]:
        backend = await self._backend(workflow_id)
        try:
            return await backend.events_since(workflow_id, seq)
        except RunError as exc:
            raise to_http(exc) from None

    async def approve(self, workflow_id: str, request: ApprovalRequest) -> ApprovalDecision | None:
        """The recorded decision, or None when it was queued for a worker that is not running."""
        backend = await self._backend(workflow_id)
        try:
            return await backend.approve(workflow_id, request)
        except RunError as exc:
            raise to_http(exc) from None

    async def cancel(self, workflow_id: str) -> bool:
        """True once the run has closed; False while its cancellation is still pending."""
        backend = await self._backend(workflow_id)
        try:
            return await backend.cancel(workflow_id)
        except RunError as exc:
            raise to_http(exc) from None

    async def recent(self, limit: int = 50) -> list[RunRow]:
        """Newest runs of both backends, merged by start time."""
        rows = await self.fallback.recent(limit)
        if self.temporal is not None and self.temporal.reachable:
            try:
                rows += await self.temporal.recent(limit)
            except Exception as exc:
                log.warning("Listing Temporal runs failed: %s", exc)
        rows.sort(key=lambda r: r.started_at.timestamp() if r.started_at else 0.0, reverse=True)
        return rows[:limit]
