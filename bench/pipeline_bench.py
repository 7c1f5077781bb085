"""End-to-end pipeline timings: Temporal vs the in-process fallback, and throughput on one worker.

Same input for both (the bundled sample site on loopback, 3 variants × 4 formats); a run counts as
done when it reaches `awaiting_approval` (all automated work finished).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx
import uvicorn
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from tests.support.settings import settings_from

from bench.common import serve_directory, settled
from brandtruth.api.app import create_app
from brandtruth.api.service import new_workflow_id
from brandtruth.api.temporal_backend import TemporalBackend
from brandtruth.cli.stack import sample_site_dir
from brandtruth.config import Settings
from brandtruth.models.pipeline import PipelineRequest, Stage
from brandtruth.pipeline.fallback_store import FallbackStore
from brandtruth.pipeline.orchestrator import FallbackOrchestrator
from brandtruth.temporal import names
from brandtruth.temporal.devserver import temporal_binary


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def wait_until_stage(backend: TemporalBackend, wid: str, stage: Stage, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while (await backend.snapshot(wid)).stage is not stage:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{wid} did not reach {stage}")
        await asyncio.sleep(0.05)


async def _sse_latencies_ms(settings: Settings, url: str, runs: int) -> list[float]:
    """Delay from each transition (the event's workflow timestamp) to its arrival at an SSE client."""
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    delays: list[float] = []
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as http:
            for _ in range(runs):
                wid = (await http.post("/workflow/start", json={"url": url, "num_variants": 3})).json()["workflow_id"]
                async with http.stream("GET", f"/workflow/stream/{wid}") as stream:
                    async for line in stream.aiter_lines():
                        if not line.startswith("data:"):
                            continue
                        arrived = time.time()
                        event = json.loads(line[5:])
                        at = datetime.fromisoformat(event["at"]).timestamp()
                        if event["seq"] > 1:  # the first event is stamped before the workflow exists
                            delays.append((arrived - at) * 1000)
                        if event["stage"] == "awaiting_approval":
                            break
    finally:
        server.should_exit = True
        await task
    return delays


async def _fallback_once(settings: Settings, request: PipelineRequest) -> float:
    store = FallbackStore(settings.fallback_db)
    orchestrator = FallbackOrchestrator(settings, store)
    began = time.perf_counter()
    workflow_id = new_workflow_id()
    await orchestrator.start(workflow_id, request)
    try:
        await settled(orchestrator, workflow_id)
        return time.perf_counter() - began
    finally:
        await orchestrator.shutdown()
        store.close()


async def _bench() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, serve_directory(sample_site_dir()) as host:
        env_vars = {
            "BRANDTRUTH_DATA_DIR": tmp,
            "BRANDTRUTH_ALLOWED_HOSTS": host,
            "TEMPORAL_TASK_QUEUE": "bench",
        }
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=temporal_binary(),
            data_converter=pydantic_data_converter,
            search_attributes=[names.PIPELINE_STAGE],
            dev_server_log_level="error",
        )
        target = env.client.service_client.config.target_host
        settings = settings_from({**env_vars, "TEMPORAL_HOST": target})
        worker = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "brandtruth.temporal.worker",
            env=os.environ | env_vars | {"TEMPORAL_HOST": target},
            stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            backend = TemporalBackend(env.client, settings)
            request = PipelineRequest(url=f"http://{host}/", num_variants=3)
            # Warm both paths once (imports, font loading, worker cache) before measuring.
            await backend.start("pipeline-benchwarm", request)
            await wait_until_stage(backend, "pipeline-benchwarm", Stage.AWAITING_APPROVAL)
            await _fallback_once(settings, request)

            temporal_s, fallback_s = [], []
            for i in range(3):
                began = time.perf_counter()
                await backend.start(f"pipeline-bench{i}", request)
                await wait_until_stage(backend, f"pipeline-bench{i}", Stage.AWAITING_APPROVAL)
                temporal_s.append(time.perf_counter() - began)
                fallback_s.append(await _fallback_once(settings, request))

            began = time.perf_counter()
            ids = [f"pipeline-burst{i:02d}" for i in range(20)]
            await asyncio.gather(*(backend.start(wid, request) for wid in ids))
            await asyncio.gather(*(wait_until_stage(backend, wid, Stage.AWAITING_APPROVAL, 900) for wid in ids))
            burst = time.perf_counter() - began
            rss = _peak_rss_mb(worker.pid)
            sse = sorted(await _sse_latencies_ms(settings, f"http://{host}/", runs=3))
        finally:
            worker.terminate()
            await worker.wait()
            await env.shutdown()
    t, f = sorted(temporal_s)[1], sorted(fallback_s)[1]
    return {
        "pipeline_temporal_s_median": round(t, 3),
        "pipeline_fallback_s_median": round(f, 3),
        "temporal_overhead_ratio": round(t / f, 3),
        "burst_20_pipelines_s": round(burst, 2),
        "pipelines_per_minute_20_at_once": round(20 / burst * 60, 1),
        "worker_peak_rss_mb": round(rss, 1),
        "sse_event_delay_ms_p50": round(sse[len(sse) // 2], 1),
        "sse_event_delay_ms_p95": round(sse[int(len(sse) * 0.95)], 1),
        "sse_events_measured": len(sse),
    }


def run() -> dict[str, float]:
    return asyncio.run(_bench())
