"""Server-Sent Events for one run: every progress event exactly once, resumable by id.

Every event is a default (`message`) event, so the two-line browser client of the spec
(`es.onmessage = ...`) sees all of them; the stage, terminal ones included, is in the data. After the
terminal event the stream ends, and a reader resuming after it (its `Last-Event-ID` is the last event)
gets 204, which tells a browser's EventSource to stop reconnecting.

The response starts at once, whatever the backend is doing: a background poller reads the run's
event log and the response waits on it with a timeout, sending keepalive comments while the backend
(e.g. a Temporal server that is down) does not answer. The events are still in the log and are
delivered when it answers again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator

from fastapi import Response
from starlette.responses import StreamingResponse

from brandtruth.api.errors import ApiError, RunNotFound, Unavailable
from brandtruth.api.service import PipelineService
from brandtruth.models.pipeline import PipelineResult, ProgressEvent

log = logging.getLogger("brandtruth.api")

POLL_SECONDS = 0.1
KEEPALIVE_SECONDS = 10.0
TERMINAL_CHECK_SECONDS = 2.0
FIRST_LOOK_SECONDS = 0.5  # how long the route may wait for the run before it starts streaming anyway
BACKOFF_SECONDS = 1.0  # between polls while the backend does not answer
RETRY_MS = 3000  # how long a browser waits before it reconnects after a dropped connection

STREAM_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no", "X-Content-Type-Options": "nosniff"}


def encode_event(event: ProgressEvent, mode: str) -> bytes:
    """One SSE event: `id: <seq>` and the progress JSON (with the run's mode) as data."""
    data = json.dumps(event.model_dump(mode="json") | {"mode": mode}, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.seq}\ndata: {data}\n\n".encode()


KEEPALIVE = b": keepalive\n\n"


def resume_point(last_event_id: str | None, after: int | None) -> int:
    """The last event the client has: `Last-Event-ID` (a browser's reconnect) wins over `?after=`."""
    if last_event_id and last_event_id.strip().isdigit():
        return int(last_event_id.strip())
    return after or 0


async def _first_look(service: PipelineService, workflow_id: str) -> PipelineResult | None:
    """The run's snapshot if its backend answers quickly (None if not); a 404 is raised here, before streaming."""
    try:
        return await asyncio.wait_for(service.snapshot(workflow_id), FIRST_LOOK_SECONDS)
    except RunNotFound:
        raise
    except (TimeoutError, Unavailable):
        return None
    except Exception as exc:  # an RPC error the backend did not classify: stream, and keep trying
        log.warning("Looking up %s failed (%s); streaming anyway", workflow_id, exc)
        return None


async def open_stream(service: PipelineService, workflow_id: str, after_seq: int) -> Response:
    """The SSE response for a run, 204 when the client already has the terminal event, 404 if unknown."""
    snap = await _first_look(service, workflow_id)
    if snap is not None and snap.stage.is_terminal and (not snap.events or snap.events[-1].seq <= after_seq):
        return Response(status_code=204, headers=STREAM_HEADERS)
    mode = snap.mode if snap is not None else "temporal"
    return StreamingResponse(
        progress_stream(service, workflow_id, after_seq, mode),
        media_type="text/event-stream",
        headers=STREAM_HEADERS,
    )


class _Poller:
    """Reads new events from the run's backend into a queue, tolerating a backend that is down."""

    def __init__(self, service: PipelineService, workflow_id: str, after_seq: int) -> None:
        self.service = service
        self.workflow_id = workflow_id
        self.seq = after_seq
        self.queue: asyncio.Queue[ProgressEvent | None] = asyncio.Queue()  # None: nothing more will come
        self.mode: str | None = None

    async def run(self) -> None:
        last_terminal_check = time.monotonic()
        while True:
            try:
                events = await self.service.events_since(self.workflow_id, self.seq)
            except RunNotFound:
                break
            except ApiError:  # unavailable, or any answer but the events: try again a bit later
                await asyncio.sleep(BACKOFF_SECONDS)
                continue
            except Exception as exc:  # an RPC error the backend did not classify: keep the stream alive
                log.warning("Reading events of %s failed (%s); retrying", self.workflow_id, exc)
                await asyncio.sleep(BACKOFF_SECONDS)
                continue
            for event in events:
                self.seq = event.seq
                await self.queue.put(event)
                if event.stage.is_terminal:
                    await self.queue.put(None)
                    return
            now = time.monotonic()
            if not events and now - last_terminal_check > TERMINAL_CHECK_SECONDS:
                last_terminal_check = now
                if await self._ended_before_us():
                    break
            await asyncio.sleep(POLL_SECONDS)
        await self.queue.put(None)

    async def _ended_before_us(self) -> bool:
        """A reader resuming after the terminal event has nothing left to wait for."""
        try:
            snap = await self.service.snapshot(self.workflow_id)
        except ApiError:
            return False
        self.mode = snap.mode
        return snap.stage.is_terminal and (not snap.events or snap.events[-1].seq <= self.seq)


async def progress_stream(
    service: PipelineService, workflow_id: str, after_seq: int, mode: str
) -> AsyncIterator[bytes]:
    """Forward new events as they are logged; keepalives while none come; stop after the terminal one.

    A client that goes away cancels this generator (Starlette listens for the disconnect), which
    cancels the poller too: nothing is left running and nothing is logged.
    """
    poller = _Poller(service, workflow_id, after_seq)
    task = asyncio.create_task(poller.run(), name=f"sse-poll-{workflow_id}")
    try:
        yield f"retry: {RETRY_MS}\n\n".encode()  # the first bytes go out at once
        while True:
            try:
                event = await asyncio.wait_for(poller.queue.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield KEEPALIVE
                continue
            if event is None:
                return
            yield encode_event(event, poller.mode or mode)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
