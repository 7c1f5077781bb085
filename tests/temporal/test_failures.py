"""Bad input fails fast and for good; transient trouble is retried by Temporal."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest
from temporalio.client import WorkflowExecutionStatus, WorkflowFailureError
from temporalio.testing import WorkflowEnvironment

from brandtruth.api.temporal_backend import TemporalBackend
from brandtruth.config import Settings
from brandtruth.models.pipeline import PipelineRequest, Stage
from brandtruth.temporal.worker import build_worker
from tests.support.site_server import Fault, serve_sample_site
from tests.temporal.conftest import activity_attempts, wait_for_stage


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_unreachable_url_fails_once_with_readable_error(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    port = _closed_port()
    settings = make_settings(
        allowed_hosts=f"127.0.0.1:{port}", temporal_host=temporal_env.client.service_client.config.target_host
    )
    backend = TemporalBackend(temporal_env.client, settings)
    async with build_worker(temporal_env.client, settings):
        await backend.start("pipeline-unreachable1", PipelineRequest(url=f"http://127.0.0.1:{port}/"))
        handle = temporal_env.client.get_workflow_handle("pipeline-unreachable1")
        with pytest.raises(WorkflowFailureError):
            await handle.result()
        assert (await handle.describe()).status == WorkflowExecutionStatus.FAILED
        assert (await activity_attempts(handle))["extract_brand"] == [1], "bad input is not retried"
        snap = await backend.snapshot("pipeline-unreachable1")
        assert snap.stage is Stage.FAILED
        assert snap.error is not None and snap.error.startswith("extracting failed:")
        assert f"127.0.0.1:{port}" in snap.error or "refused" in snap.error.lower()
        assert snap.events[-1].stage is Stage.FAILED


async def test_blocked_address_is_refused_without_retry(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings(temporal_host=temporal_env.client.service_client.config.target_host)
    backend = TemporalBackend(temporal_env.client, settings)
    async with build_worker(temporal_env.client, settings):
        await backend.start("pipeline-blocked01", PipelineRequest(url="http://169.254.169.254/latest/meta-data/"))
        await wait_for_stage(backend, "pipeline-blocked01", Stage.FAILED, timeout=30)
        handle = temporal_env.client.get_workflow_handle("pipeline-blocked01")
        assert (await activity_attempts(handle))["extract_brand"] == [1]


async def test_site_answering_503_twice_is_retried_and_completes(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    with serve_sample_site(faults={"/": Fault(fail_times=2, fail_status=503)}) as site:
        settings = make_settings(
            allowed_hosts=site.host_port, temporal_host=temporal_env.client.service_client.config.target_host
        )
        backend = TemporalBackend(temporal_env.client, settings)
        async with build_worker(temporal_env.client, settings):
            await backend.start("pipeline-transient1", PipelineRequest(url=site.url("/"), num_variants=1))
            await wait_for_stage(backend, "pipeline-transient1", Stage.AWAITING_APPROVAL, timeout=90)
            handle = temporal_env.client.get_workflow_handle("pipeline-transient1")
            assert (await activity_attempts(handle))["extract_brand"] == [3]
            assert site.hits["/"] == 3
            await handle.cancel()
