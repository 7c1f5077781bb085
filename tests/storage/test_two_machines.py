"""Two worker processes with their own local data directories ("two machines") sharing one S3 store:
a run whose activities land on both, one killed mid-run, completes; history says who ran what."""

from __future__ import annotations

import signal
import socket
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from brandtruth.api.temporal_backend import TemporalBackend
from brandtruth.config import Settings
from brandtruth.models.pipeline import PipelineRequest, Stage
from tests.api.conftest import serve_api
from tests.support.s3_server import S3Server
from tests.support.site_server import serve_sample_site
from tests.support.worker_process import worker_process
from tests.temporal.conftest import wait_for_stage


async def who_ran_what(handle: WorkflowHandle[object, object]) -> list[tuple[str, str, int]]:
    """(activity type, worker identity, attempt) for every activity start, in history order."""
    scheduled: dict[int, str] = {}
    runs: list[tuple[str, str, int]] = []
    async for event in handle.fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            scheduled[event.event_id] = event.activity_task_scheduled_event_attributes.activity_type.name
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
            attrs = event.activity_task_started_event_attributes
            runs.append((scheduled[attrs.scheduled_event_id], attrs.identity, attrs.attempt))
    return runs


async def test_run_spread_over_two_machines_survives_losing_one(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings], s3_env: S3Server, tmp_path: Path
) -> None:
    bucket = s3_env.new_bucket()
    with serve_sample_site() as site:
        settings = make_settings(
            allowed_hosts=site.host_port,
            temporal_host=temporal_env.client.service_client.config.target_host,
            BRANDTRUTH_ARTIFACT_STORE=f"s3://{bucket}/shared",
            BRANDTRUTH_DATA_DIR=tmp_path / "api-machine",
        )
        backend = TemporalBackend(temporal_env.client, settings)
        wid = "pipeline-twomachines1"
        host = socket.gethostname()
        async with worker_process(settings, tmp_path / "machine-a") as a:
            await backend.start(wid, PipelineRequest(url=site.url("/"), num_variants=4))
            # Machine A alone extracts (and stores the site's images in the bucket) ...
            await wait_for_stage(backend, wid, Stage.GENERATING, Stage.MATCHING, Stage.COMPOSING, timeout=90)
            async with worker_process(settings, tmp_path / "machine-b") as b:
                # ... then B joins, and A dies while the creatives are being composed.
                await wait_for_stage(backend, wid, Stage.COMPOSING, Stage.SCORING, timeout=90)
                a.send_signal(signal.SIGKILL)
                await a.wait()
                await wait_for_stage(backend, wid, Stage.AWAITING_APPROVAL, timeout=150)
                snap = await backend.snapshot(wid)  # a full snapshot needs a live worker to answer
                b_identity = f"{b.pid}@{host}"
        a_identity = f"{a.pid}@{host}"

        runs = await who_ran_what(temporal_env.client.get_workflow_handle(wid))
        per_worker = Counter(identity for _, identity, _ in runs)
        assert set(per_worker) == {a_identity, b_identity}, per_worker
        assert runs[0][:2] == ("extract_brand", a_identity)
        assert per_worker[b_identity] >= 1 and per_worker[a_identity] >= 1
        print("activities per worker:", {("A" if k == a_identity else "B"): v for k, v in per_worker.items()})

        assert len(snap.variants) == 4 and all(len(v.creatives) == 4 and v.score for v in snap.variants)
        keys = s3_env.keys(bucket)
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
            for creative in (c for v in snap.variants for c in v.creatives):
                assert f"shared/{creative.artifact.path}" in keys
                served = await http.get(f"/workflow/artifacts/{creative.artifact.path}")
                assert served.status_code == 200 and len(served.content) == creative.artifact.size
        for local in ("machine-a", "machine-b", "api-machine"):
            assert not [p for p in (tmp_path / local).rglob("*.png")], f"{local} kept run images on local disk"
        await temporal_env.client.get_workflow_handle(wid).cancel()
