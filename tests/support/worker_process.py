"""A Temporal worker in its own process, configured only by environment variables, as a deployment runs it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from brandtruth.config import Settings
from tests.support.processes import stop_process


@asynccontextmanager
async def worker_process(settings: Settings, data_dir: Path | None = None) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m brandtruth.temporal.worker` for the `async with` block; stopped with SIGTERM, then killed.

    `data_dir` gives the worker its own local data directory (another "machine"); the artifact store,
    when `settings` names one, is shared. The test may kill the process itself to simulate a crash.
    """
    env = os.environ | {
        "TEMPORAL_HOST": settings.temporal_host,
        "TEMPORAL_TASK_QUEUE": settings.temporal_task_queue,
        "BRANDTRUTH_ALLOWED_HOSTS": ",".join(settings.allowed_hosts),
        "BRANDTRUTH_DATA_DIR": str(data_dir or settings.data_dir),
    }
    if settings.artifact_store:
        env["BRANDTRUTH_ARTIFACT_STORE"] = settings.artifact_store
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "brandtruth.temporal.worker", env=env, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        yield proc
    finally:
        await stop_process(proc, signal.SIGTERM, 15)
