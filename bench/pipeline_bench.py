"""End-to-end pipeline timings: Temporal vs the in-process fallback, and throughput on one worker.

Same input for both (the bundled sample site on loopback, 3 variants × 4 formats); a run counts as
done when it reaches `awaiting_approval` (all automated work finished).

The watcher must not load the side it measures: a Temporal run's end is the server's timestamp of
the memo upsert that entered `awaiting_approval`, found by polling `describe` (server only) four
times a second. Polling the snapshot query every 50 ms instead made the worker serialise the whole
result 20 times a second and cost the server ~0.15 CPU-s per pipeline, all counted against Temporal.
CPU per pipeline is reported beside wall time: worker + server for Temporal, the process for the
fallback (the machine is shared, so wall time alone is noisy).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
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


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _server_pid() -> int:
    """The dev server `WorkflowEnvironment.start_local` launched: our child running `temporal`."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == os.getpid() and b"temporal" in (entry / "cmdline").read_bytes():
                return int(entry.name)
        except (OSError, ValueError):
            continue
    raise RuntimeError("dev server process not found")


async def wait_until_stage(client: Client, wid: str, stage: Stage, timeout: float = 300) -> None:
    """Poll the run's memo (answered by the server alone, no worker) until it shows `stage`."""
    handle = client.get_workflow_handle(wid)
    deadline = time.monotonic() + timeout
    while (await (await handle.describe()).memo()).get("progress", {}).get("stage") != stage.value:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{wid} did not reach {stage}")
        await asyncio.sleep(0.25)


async def _stage_entered_at(client: Client, wid: str, stage: Stage) -> float:
    """Server timestamp (epoch seconds) of the memo upsert that entered `stage`."""
    handle = client.get_workflow_handle(wid)
    async for event in handle.fetch_history_events():
        if event.event_type != EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:
            continue
        memo = event.workflow_properties_modified_event_attributes.upserted_memo.fields
        if "progress" in memo and json.loads(memo["progress"].data)["stage"] == stage.value:
            return event.event_time.ToDatetime().replace(tzinfo=UTC).timestamp()
    raise RuntimeError(f"{wid} has no memo upsert for {stage}")


async def _temporal_once(
    backend: TemporalBackend, wid: str, request: PipelineRequest, worker_pid: int, server_pid: int
) -> tuple[float, float]:
    """Wall seconds to `awaiting_approval` and CPU seconds (worker + server) spent meanwhile."""
    cpu_before = _cpu_s(worker_pid) + _cpu_s(server_pid)
    began = time.time()
    await backend.start(wid, request)
    await wait_until_stage(backend.client, wid, Stage.AWAITING_APPROVAL)
    cpu = _cpu_s(worker_pid) + _cpu_s(server_pid) - cpu_before
    return await _stage_entered_at(backend.client, wid, Stage.AWAITING_APPROVAL) - began, cpu


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
    return (await _fallback_timed(settings, request))[0]


async def _fallback_timed(settings: Settings, request: PipelineRequest) -> tuple[float, float]:
    """Wall seconds to `awaiting_approval` and this process's CPU seconds meanwhile."""
    store = FallbackStore(settings.fallback_db)
    orchestrator = FallbackOrchestrator(settings, store)
    cpu_before = time.process_time()
    began = time.perf_counter()
    workflow_id = new_workflow_id()
    await orchestrator.start(workflow_id, request)
    try:
        await settled(orchestrator, workflow_id)
        return time.perf_counter() - began, time.process_time() - cpu_before
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
            server_pid = _server_pid()
            request = PipelineRequest(url=f"http://{host}/", num_variants=3)
            # Warm both paths once (imports, font loading, worker cache) before measuring.
            await backend.start("pipeline-benchwarm", request)
            await wait_until_stage(env.client, "pipeline-benchwarm", Stage.AWAITING_APPROVAL)
            await _fallback_once(settings, request)

            temporal, fallback = [], []
            for i in range(5):  # alternated, so both see the same moments of a shared machine
                temporal.append(await _temporal_once(backend, f"pipeline-bench{i}", request, worker.pid, server_pid))
                fallback.append(await _fallback_timed(settings, request))

            began = time.perf_counter()
            ids = [f"pipeline-burst{i:02d}" for i in range(20)]
            await asyncio.gather(*(backend.start(wid, request) for wid in ids))
            await asyncio.gather(*(wait_until_stage(env.client, wid, Stage.AWAITING_APPROVAL, 900) for wid in ids))
            burst = time.perf_counter() - began
            rss = _peak_rss_mb(worker.pid)
            sse = sorted(await _sse_latencies_ms(settings, f"http://{host}/", runs=3))
        finally:
            worker.terminate()
            await worker.wait()
            await env.shutdown()
    t, f = statistics.median(w for w, _ in temporal), statistics.median(w for w, _ in fallback)
    return {
        "pipeline_temporal_s_median": round(t, 3),
        "pipeline_fallback_s_median": round(f, 3),
        "temporal_overhead_ratio": round(t / f, 3),
        "pipeline_temporal_cpu_s_median": round(statistics.median(c for _, c in temporal), 2),
        "pipeline_fallback_cpu_s_median": round(statistics.median(c for _, c in fallback), 2),
        "burst_20_pipelines_s": round(burst, 2),
        "pipelines_per_minute_20_at_once": round(20 / burst * 60, 1),
        "worker_peak_rss_mb": round(rss, 1),
        "sse_event_delay_ms_p50": round(sse[len(sse) // 2], 1),
        "sse_event_delay_ms_p95": round(sse[int(len(sse) * 0.95)], 1),
        "sse_events_measured": len(sse),
    }


def run() -> dict[str, float]:
    return asyncio.run(_bench())
