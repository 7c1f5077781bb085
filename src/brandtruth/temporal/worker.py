"""The pipeline worker: `python -m brandtruth.temporal.worker` (or `brandtruth worker`).

Runs `AdPipelineWorkflow` and the stage activities on `TEMPORAL_TASK_QUEUE`. Start more of them,
on any machine that reaches the Temporal server and the artifact store, to scale out.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from datetime import timedelta

from temporalio.client import Client
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from brandtruth.config import Settings, get_settings
from brandtruth.stages.extract import warm_up
from brandtruth.temporal.activities import PipelineActivities
from brandtruth.temporal.client import connect, ensure_search_attributes
from brandtruth.temporal.workflows import AdPipelineWorkflow

log = logging.getLogger("brandtruth.worker")


class RefusedInputOnOneLine(logging.Filter):
    """An activity that failed on bad input (a blocked URL, a 404 page) is the user's to fix: the
    worker's terminal gets one line with the reason, not a traceback. Other failures keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, ApplicationError) and exc.non_retryable:
            record.msg = f"{record.getMessage()}: {exc.type}: {exc.message}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True


def build_worker(client: Client, settings: Settings) -> Worker:
    """A worker for the pipeline; tests run it in-process against their own server."""
    return Worker(
        client,
        task_queue=settings.temporal_task_queue,
        workflows=[AdPipelineWorkflow],
        activities=PipelineActivities(settings).all(),
        # Heartbeats reach the server at least this often, so cancellation and worker death
        # are noticed within seconds rather than at 80% of the heartbeat timeout.
        max_heartbeat_throttle_interval=timedelta(seconds=1),
        default_heartbeat_throttle_interval=timedelta(seconds=1),
        max_concurrent_activities=20,
    )


async def run_worker(settings: Settings) -> None:
    """Connect (retrying until the server is up), then run until SIGINT/SIGTERM."""
    client: Client | None = None
    while client is None:
        try:
            client = await connect(settings)
        except Exception as exc:  # the server may still be starting; say so and wait
            log.warning("Temporal at %s not reachable (%s); retrying in 2 s", settings.temporal_host, exc)
            await asyncio.sleep(2)
    try:
        await ensure_search_attributes(client)
    except Exception as exc:
        log.warning("Could not register the PipelineStage search attribute: %s", exc)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    # Load the extractor's text tools in the background so the first run doesn't pay for them.
    warming = asyncio.create_task(asyncio.to_thread(warm_up))
    worker = build_worker(client, settings)
    log.info("Worker polling task queue %s on %s", settings.temporal_task_queue, settings.temporal_host)
    async with worker:
        await stop.wait()
    await warming
    log.info("Worker stopped")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("temporalio.activity").addFilter(RefusedInputOnOneLine())
    asyncio.run(run_worker(get_settings()))
    # The Temporal runtime can abort at interpreter exit (sdk-python#300); leave cleanly.
    os._exit(0)


if __name__ == "__main__":
    main()
