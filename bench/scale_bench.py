"""Scale benchmark: 20 pipelines at once on 1 worker process vs N (= CPU count), memory per worker
during and after the burst, one pipeline through Temporal vs in-process, and S3 vs local store.

Input: the bundled sample site on loopback, 3 variants x 4 formats; a run is done when it reaches
`awaiting_approval`. The S3 store is moto's server in this process (a slow, pure-Python S3), so the
S3/local ratio is an upper bound. Results go to bench/results/latest.json via `make bench`, or
`python -m bench.scale_bench` prints them.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from tests.support.settings import settings_from

from bench.common import serve_directory
from bench.pipeline_bench import _fallback_once
from brandtruth.api.temporal_backend import TemporalBackend
from brandtruth.cli.stack import sample_site_dir
from brandtruth.models.pipeline import PipelineRequest, Stage
from brandtruth.temporal import names
from brandtruth.temporal.devserver import temporal_binary

BURST = 20
CLK_TCK = os.sysconf("SC_CLK_TCK")


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


@asynccontextmanager
async def workers(n: int, env: dict[str, str]) -> AsyncIterator[list[asyncio.subprocess.Process]]:
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "brandtruth.temporal.worker", env=os.environ | env, stderr=asyncio.subprocess.DEVNULL
        )
        for _ in range(n)
    ]
    try:
        yield procs
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            await proc.wait()


async def _until(client: Client, wid: str, timeout: float = 900, every: float = 0.5) -> Stage:
    """Poll describe() and the memo the workflow writes on each stage change: no query reaches (and
    loads) the busy workers being measured."""
    handle = client.get_workflow_handle(wid)
    deadline = time.monotonic() + timeout
    while True:
        desc = await handle.describe()
        if desc.status is not None and desc.status != WorkflowExecutionStatus.RUNNING:
            return Stage.FAILED
        stage = (await desc.memo()).get("progress", {}).get("stage")
        if stage in (Stage.AWAITING_APPROVAL.value, Stage.FAILED.value):
            return Stage(stage)
        if time.monotonic() > deadline:
            raise TimeoutError(f"{wid} did not finish")
        await asyncio.sleep(every)


async def _one(backend: TemporalBackend, wid: str, request: PipelineRequest) -> float:
    began = time.perf_counter()
    await backend.start(wid, request)
    if await _until(backend.client, wid, every=0.05) is not Stage.AWAITING_APPROVAL:
        raise RuntimeError(f"{wid} failed")
    return time.perf_counter() - began


async def _burst(env: WorkflowEnvironment, base: dict[str, str], n: int, tag: str, url: str) -> dict[str, float]:
    queue = f"scale-{tag}"
    settings = settings_from({**base, "TEMPORAL_TASK_QUEUE": queue})
    backend = TemporalBackend(env.client, settings)
    request = PipelineRequest(url=url, num_variants=3)
    async with workers(n, base | {"TEMPORAL_TASK_QUEUE": queue}) as procs:
        await _one(backend, f"pipeline-{tag}-warm", request)  # imports, fonts, models in each process
        if n > 1:
            await asyncio.gather(*(_one(backend, f"pipeline-{tag}-warm{i}", request) for i in range(n)))
        cpu_before = sum(_cpu_seconds(p.pid) for p in procs)
        began = time.perf_counter()
        ids = [f"pipeline-{tag}-{i:02d}" for i in range(BURST)]
        await asyncio.gather(*(backend.start(wid, request) for wid in ids))
        stages = await asyncio.gather(*(_until(env.client, wid) for wid in ids))
        elapsed = time.perf_counter() - began
        cpu = sum(_cpu_seconds(p.pid) for p in procs) - cpu_before
        peak = max(_status_mb(p.pid, "VmHWM") for p in procs)
        await asyncio.sleep(5)  # idle: the workers release what the burst freed
        after = max(_status_mb(p.pid, "VmRSS") for p in procs)
    return {
        f"burst{BURST}_{tag}_seconds": round(elapsed, 1),
        f"burst{BURST}_{tag}_pipelines_per_min": round(BURST / elapsed * 60, 1),
        f"burst{BURST}_{tag}_failures": sum(s is not Stage.AWAITING_APPROVAL for s in stages),
        f"burst{BURST}_{tag}_worker_cpu_s_per_pipeline": round(cpu / BURST, 2),
        f"burst{BURST}_{tag}_peak_rss_mb_per_worker": round(peak, 1),
        f"burst{BURST}_{tag}_rss_mb_after_idle_5s": round(after, 1),
    }


async def _single(env: WorkflowEnvironment, base: dict[str, str], tag: str, url: str, runs: int = 3) -> float:
    queue = f"single-{tag}"
    settings = settings_from({**base, "TEMPORAL_TASK_QUEUE": queue})
    backend = TemporalBackend(env.client, settings)
    request = PipelineRequest(url=url, num_variants=3)
    async with workers(1, base | {"TEMPORAL_TASK_QUEUE": queue}):
        await _one(backend, f"pipeline-{tag}-warm", request)
        times = [await _one(backend, f"pipeline-{tag}-{i}", request) for i in range(runs)]
    return statistics.median(times)


async def _bench() -> dict[str, float]:
    from tests.support.s3_server import serve_s3

    n = len(os.sched_getaffinity(0))
    out: dict[str, float] = {"cpus": n}
    with tempfile.TemporaryDirectory() as tmp, serve_directory(sample_site_dir()) as host, serve_s3() as s3:
        url = f"http://{host}/"
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=temporal_binary(),
            data_converter=pydantic_data_converter,
            search_attributes=[names.PIPELINE_STAGE],
            dev_server_log_level="error",
        )
        base = {
            "BRANDTRUTH_DATA_DIR": tmp,
            "BRANDTRUTH_ALLOWED_HOSTS": host,
            "TEMPORAL_HOST": env.client.service_client.config.target_host,
        }
        try:
            out |= await _burst(env, base, 1, "1proc", url)
            print(out, flush=True)
            out |= await _burst(env, base, n, f"{n}proc", url)
            print(out, flush=True)
            out["burst_speedup_n_vs_1"] = round(
                out[f"burst{BURST}_{n}proc_pipelines_per_min"] / out[f"burst{BURST}_1proc_pipelines_per_min"], 2
            )
            local = await _single(env, base, "local", url)
            bucket = s3.new_bucket()
            s3_env = base | s3.env() | {"BRANDTRUTH_ARTIFACT_STORE": f"s3://{bucket}/bench"}
            os.environ.update(s3.env())
            remote = await _single(env, s3_env, "s3", url)
            settings = settings_from(base)
            request = PipelineRequest(url=url, num_variants=3)
            await _fallback_once(settings, request)
            fallback = statistics.median([await _fallback_once(settings, request) for _ in range(3)])
        finally:
            await env.shutdown()
    out |= {
        "pipeline_temporal_local_s_median": round(local, 2),
        "pipeline_in_process_s_median": round(fallback, 2),
        "temporal_vs_in_process_ratio": round(local / fallback, 2),
        "pipeline_temporal_s3_moto_s_median": round(remote, 2),
        "s3_vs_local_store_ratio": round(remote / local, 2),
    }
    return out


def run() -> dict[str, float]:
    return asyncio.run(_bench())


if __name__ == "__main__":
    for key, value in run().items():
        print(f"   {key:50} {value}")
