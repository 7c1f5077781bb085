"""The pipeline worker: `python -m brandtruth.temporal.worker` (or `brandtruth worker`).

Runs `AdPipelineWorkflow` and the stage activities on `TEMPORAL_TASK_QUEUE`. Start more of them,
on any machine that reaches the Temporal server and the artifact store, to scale out.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from temporalio.client import Client
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from brandtruth.config import Settings, get_settings
from brandtruth.stages.extract import warm_up
from brandtruth.storage import ArtifactStoreUnavailable, open_artifact_store
from brandtruth.temporal.activities import PipelineActivities
from brandtruth.temporal.client import connect, ensure_search_attributes
from brandtruth.temporal.memory import ReleaseMemoryWhenIdle, limit_malloc_arenas
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
        # Per process: image stages are CPU-bound, so more at once only multiplies memory; work
        # beyond this stays in the task queue for the worker processes that have a core free.
        max_concurrent_activities=settings.worker_activities,
        interceptors=[ReleaseMemoryWhenIdle()],
    )


async def check_artifact_store(settings: Settings) -> str | None:
    """Why the configured artifact store cannot be used (naming the variable to fix), or None."""
    try:
        await open_artifact_store(settings).check()
    except ArtifactStoreUnavailable as exc:
        return str(exc)
    return None


async def run_worker(settings: Settings) -> int:
    """Check the artifact store, connect (retrying until the server is up), run until SIGINT/SIGTERM.

    Returns 2 without polling when the store is unusable: a worker that cannot save what it makes
    would only fail every activity it picks up.
    """
    problem = await check_artifact_store(settings)
    if problem is not None:
        log.error("Artifact store unusable, not starting: %s", problem)
        return 2
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
    # Stage code runs its Pillow/numpy work through asyncio.to_thread: this bounds how many
    # images one process holds decoded at once.
    loop.set_default_executor(ThreadPoolExecutor(settings.worker_threads, thread_name_prefix="stage"))
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
    return 0


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    limit_malloc_arenas()  # before the event loop, the thread pool and the Temporal runtime start threads
    logging.getLogger("temporalio.activity").addFilter(RefusedInputOnOneLine())
    code = asyncio.run(run_worker(get_settings()))
    # The Temporal runtime can abort at interpreter exit (sdk-python#300); leave cleanly.
    os._exit(code)


if __name__ == "__main__":
    main()
