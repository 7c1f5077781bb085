"""Server-Sent Events for one run: every progress event exactly once, resumable by id."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from fastapi import Request
from fastapi.sse import ServerSentEvent

from brandtruth.api.errors import Unavailable
from brandtruth.api.service import PipelineService
from brandtruth.models.pipeline import ProgressEvent, Stage

POLL_SECONDS = 0.1
KEEPALIVE_SECONDS = 10.0
TERMINAL_CHECK_SECONDS = 2.0

TERMINAL_EVENT_NAMES = {
    Stage.COMPLETED: "complete",
    Stage.FAILED: "failed",
    Stage.CANCELLED: "cancelled",
    Stage.EXPIRED: "expired",
}


def to_sse(event: ProgressEvent, mode: str) -> ServerSentEvent:
    data = event.model_dump(mode="json") | {"mode": mode}
    return ServerSentEvent(id=str(event.seq), event=TERMINAL_EVENT_NAMES.get(event.stage, "progress"), data=data)


async def progress_stream(
    service: PipelineService, request: Request, workflow_id: str, after_seq: int, mode: str
) -> AsyncIterator[ServerSentEvent]:
    """Poll the run's event log and forward new events; stop after the terminal one.

    While the run's backend cannot answer (e.g. every worker is restarting), keep the connection
    open with keepalive comments rather than failing: the events are still in the log and will be
    delivered when it answers again.
    """
    seq = after_seq
    last_sent = time.monotonic()
    last_terminal_check = time.monotonic()
    while not await request.is_disconnected():
        try:
            events = await service.events_since(workflow_id, seq)
        except Unavailable:
            events = []
        for event in events:
            seq = event.seq
            last_sent = time.monotonic()
            yield to_sse(event, mode)
            if event.stage.is_terminal:
                return
        now = time.monotonic()
        if not events and now - last_terminal_check > TERMINAL_CHECK_SECONDS:
            # A reader resuming after the terminal event has nothing left to wait for.
            last_terminal_check = now
            try:
                snap = await service.snapshot(workflow_id)
            except Unavailable:
                snap = None
            if snap is not None and snap.stage.is_terminal and snap.events and snap.events[-1].seq <= seq:
                return
        if now - last_sent > KEEPALIVE_SECONDS:
            last_sent = now
            yield ServerSentEvent(comment="keepalive")
        await asyncio.sleep(POLL_SECONDS)
