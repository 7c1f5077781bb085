"""CPU-seconds per pipeline per stage, in-process (the same stage functions Temporal activities call).

Stages are serialised behind one lock while measuring, so each stage's process CPU time is its own
(threads included). The same site is run every time, so a worker's in-process memory of image
analyses (match) serves every run after the first; the `…_cold` numbers forget it before each run,
as for a brand the worker has not seen. `python -m bench.scale_profile [RUNS]` prints and returns the table; run it
under `py-spy record --native -o out.svg -- python -m bench.scale_profile` to see where the time goes.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tests.support.settings import settings_from

from bench.common import serve_directory, settled
from brandtruth.api.service import new_workflow_id
from brandtruth.cli.stack import sample_site_dir
from brandtruth.models.pipeline import PipelineRequest
from brandtruth.pipeline import orchestrator as orch
from brandtruth.pipeline.fallback_store import FallbackStore

STAGES = [
    "extract_brand",
    "generate_copy",
    "match_images",
    "compose_creatives",
    "compose_contact_sheet",
    "score_variant",
]


def _instrument(cpu: dict[str, float]) -> dict[str, Callable[..., Awaitable[Any]]]:
    """Wrap the orchestrator's stage functions; returns the originals to put back."""
    lock = asyncio.Lock()
    originals = {name: getattr(orch, name) for name in STAGES}
    for name in STAGES:
        original: Callable[..., Awaitable[Any]] = getattr(orch, name)

        async def timed(*args: Any, _f: Callable[..., Awaitable[Any]] = original, _n: str = name) -> Any:
            async with lock:
                began = time.process_time()
                try:
                    return await _f(*args)
                finally:
                    cpu[_n] += time.process_time() - began

        setattr(orch, name, timed)
    return originals


async def _one(orchestrator: orch.FallbackOrchestrator, request: PipelineRequest) -> None:
    wid = new_workflow_id()
    await orchestrator.start(wid, request)
    await settled(orchestrator, wid)


async def profile(runs: int = 5, store_url: str | None = None, cold: bool = False) -> dict[str, float]:
    cpu: dict[str, float] = defaultdict(float)
    originals = _instrument(cpu)
    try:
        return await _measure(cpu, runs, store_url, cold)
    finally:
        for name, fn in originals.items():
            setattr(orch, name, fn)


def _forget() -> None:
    from brandtruth.stages.match import candidates, stage

    candidates.forget_analyses()
    stage.forget_fits()


async def _measure(cpu: dict[str, float], runs: int, store_url: str | None, cold: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, serve_directory(sample_site_dir()) as host:
        values: dict[str, object] = {"BRANDTRUTH_DATA_DIR": Path(tmp), "BRANDTRUTH_ALLOWED_HOSTS": host}
        if store_url:
            values["BRANDTRUTH_ARTIFACT_STORE"] = store_url
        settings = settings_from(values)
        store = FallbackStore(settings.fallback_db)
        orchestrator = orch.FallbackOrchestrator(settings, store)
        request = PipelineRequest(url=f"http://{host}/", num_variants=3)
        try:
            await _one(orchestrator, request)  # warm imports, fonts and models
            cpu.clear()
            began = time.process_time()
            for _ in range(runs):
                if cold:
                    _forget()
                await _one(orchestrator, request)
            total = time.process_time() - began
        finally:
            await orchestrator.shutdown()
            store.close()
    tag = "_cold" if cold else ""
    out = {f"cpu_s_per_pipeline_{name}{tag}": round(cpu[name] / runs, 3) for name in STAGES}
    out[f"cpu_s_per_pipeline_total{tag}"] = round(total / runs, 3)
    return out


def run() -> dict[str, float]:
    return asyncio.run(profile()) | asyncio.run(profile(cold=True))


if __name__ == "__main__":
    for key, value in asyncio.run(profile(int(sys.argv[1]) if len(sys.argv) > 1 else 5)).items():
        print(f"{key:45} {value}")
