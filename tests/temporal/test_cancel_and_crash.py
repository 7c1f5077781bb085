"""Cancellation reaches in-flight activities; a killed worker's run resumes without redoing stages."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from brandtruth.api.temporal_backend import TemporalBackend
from brandtruth.config import Settings
from brandtruth.models.pipeline import ApprovalRequest, PipelineRequest, Stage
from brandtruth.temporal.worker import build_worker
from tests.conftest import wait_for
from tests.support.site_server import Fault, serve_sample_site
from tests.support.worker_process import worker_process
from tests.temporal.conftest import activity_attempts, history_event_types, wait_for_stage


async def test_cancel_mid_run_cancels_the_activity(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    with serve_sample_site(faults={"/about.html": Fault(delay=60)}) as site:
        settings = make_settings(
            allowed_hosts=site.host_port, temporal_host=temporal_env.client.service_client.config.target_host
        )
        backend = TemporalBackend(temporal_env.client, settings)
        async with build_worker(temporal_env.client, settings):
            wid = "pipeline-cancel0001"
            await backend.start(wid, PipelineRequest(url=site.url("/")))
            await wait_for(lambda: site.hits["/about.html"] >= 1, timeout=30)
            await backend.cancel(wid)
            handle = temporal_env.client.get_workflow_handle(wid)
            await wait_for_stage(backend, wid, Stage.CANCELLED, timeout=30)
            await wait_for(lambda: _status_is(handle, WorkflowExecutionStatus.CANCELED), timeout=30, every=0.2)
            types = await history_event_types(handle)
            assert EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED in types
            assert EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED in types, "the in-flight activity stopped"
            snap = await backend.snapshot(wid)
            assert snap.stage is Stage.CANCELLED and snap.events[-1].stage is Stage.CANCELLED


async def test_cancel_is_honoured_even_when_the_activity_finishes_first(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    """A stage that completes before it notices the cancel must not let the run move on."""
    with serve_sample_site(faults={"/about.html": Fault(delay=0.4)}) as site:
        settings = make_settings(
            allowed_hosts=site.host_port, temporal_host=temporal_env.client.service_client.config.target_host
        )
        backend = TemporalBackend(temporal_env.client, settings)
        async with build_worker(temporal_env.client, settings):
            wid = "pipeline-cancel0002"
            await backend.start(wid, PipelineRequest(url=site.url("/")))
            await wait_for(lambda: site.hits["/about.html"] >= 1, timeout=30, every=0.01)
            closed = await backend.cancel(wid)  # False: still closing when the wait ran out
            handle = temporal_env.client.get_workflow_handle(wid)
            if not closed:
                await wait_for(lambda: _status_is(handle, WorkflowExecutionStatus.CANCELED), timeout=30, every=0.1)
            assert (await handle.describe()).status == WorkflowExecutionStatus.CANCELED
            snap = await backend.snapshot(wid)
            assert snap.stage is Stage.CANCELLED
            assert Stage.GENERATING not in {e.stage for e in snap.events}


async def _status_is(handle: WorkflowHandle[Any, Any], status: WorkflowExecutionStatus) -> bool:
    return (await handle.describe()).status == status


async def test_worker_killed_mid_stage_resumes_without_redoing_finished_stages(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    with serve_sample_site() as site:
        settings = make_settings(
            allowed_hosts=site.host_port, temporal_host=temporal_env.client.service_client.config.target_host
        )
        backend = TemporalBackend(temporal_env.client, settings)
        wid = "pipeline-crash00001"
        async with worker_process(settings) as first:
            await backend.start(wid, PipelineRequest(url=site.url("/"), num_variants=6))
            killed_in = await wait_for_stage(backend, wid, Stage.MATCHING, Stage.COMPOSING, Stage.SCORING, timeout=90)
            first.send_signal(signal.SIGKILL)
            await first.wait()
        assert site.hits["/"] == 1
        async with worker_process(settings):
            await wait_for_stage(backend, wid, Stage.AWAITING_APPROVAL, timeout=120)
        handle = temporal_env.client.get_workflow_handle(wid)
        attempts = await activity_attempts(handle)
        assert site.hits["/"] == 1, "extraction ran exactly once"
        order = ["extract_brand", "generate_copy", "match_images", "compose_creatives", "score_variant"]
        cut_off = {"matching": "match_images", "composing": "compose_creatives", "scoring": "score_variant"}
        finished_before_kill = order[: order.index(cut_off[killed_in.value])]
        for name in finished_before_kill:
            assert set(attempts[name]) == {1}, f"{name} ran again after the crash: {attempts}"
        snap = await backend.snapshot(wid)
        assert all(v.creatives and v.score for v in snap.variants)
        await handle.cancel()


async def test_worker_gone_stream_keeps_waiting_and_approval_is_queued(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    """With no worker, reads still answer (from history/memo) and an approval is queued as a signal."""
    with serve_sample_site() as site:
        settings = make_settings(
            allowed_hosts=site.host_port, temporal_host=temporal_env.client.service_client.config.target_host
        )
        backend = TemporalBackend(temporal_env.client, settings)
        wid = "pipeline-noworker01"
        async with build_worker(temporal_env.client, settings):
            await backend.start(wid, PipelineRequest(url=site.url("/"), num_variants=2))
            await wait_for_stage(backend, wid, Stage.AWAITING_APPROVAL, timeout=90)
        loop = asyncio.get_running_loop()
        began = loop.time()
        snap = await backend.snapshot(wid)
        assert snap.stage is Stage.AWAITING_APPROVAL
        assert loop.time() - began < 10
        assert await backend.approve(wid, ApprovalRequest(variant_ids=["v1"])) is None  # queued
        async with build_worker(temporal_env.client, settings):
            await wait_for_stage(backend, wid, Stage.COMPLETED, timeout=60)
        final = await backend.snapshot(wid)
        assert final.decision is not None and final.decision.approved_ids == ["v1"]
