"""Approval by update (validated), by signal from the `temporal` CLI, and expiry on timeout."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator, Callable

import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from brandtruth.api.temporal_backend import TemporalBackend
from brandtruth.config import Settings
from brandtruth.models.pipeline import ApprovalRequest, PipelineRequest, Stage
from brandtruth.pipeline.errors import ApprovalConflict, ApprovalInvalid
from brandtruth.temporal import names
from brandtruth.temporal.devserver import temporal_binary
from brandtruth.temporal.worker import build_worker
from tests.support.site_server import Fault, serve_sample_site
from tests.temporal.conftest import wait_for_stage


async def test_update_validator_rejects_early_and_unknown_ids(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    with serve_sample_site(faults={"/about.html": Fault(delay=3)}) as site:
        settings = make_settings(
            allowed_hosts=site.host_port, temporal_host=temporal_env.client.service_client.config.target_host
        )
        backend = TemporalBackend(temporal_env.client, settings)
        async with build_worker(temporal_env.client, settings):
            wid = "pipeline-validate01"
            await backend.start(wid, PipelineRequest(url=site.url("/"), num_variants=2))
            await wait_for_stage(backend, wid, Stage.EXTRACTING)
            with pytest.raises(ApprovalConflict, match="not awaiting approval"):
                await backend.approve(wid, ApprovalRequest(variant_ids=["v1"]))

            await wait_for_stage(backend, wid, Stage.AWAITING_APPROVAL, timeout=90)
            with pytest.raises(ApprovalInvalid, match="v7"):
                await backend.approve(wid, ApprovalRequest(variant_ids=["v1", "v7"]))
            decision = await backend.approve(wid, ApprovalRequest(variant_ids=["v2"]))
            assert decision is not None and decision.approved_ids == ["v2"] and decision.via == "update"
            with pytest.raises(ApprovalConflict):
                await backend.approve(wid, ApprovalRequest(variant_ids=["v1"]))
            await temporal_env.client.get_workflow_handle(wid).result()


async def test_signal_from_temporal_cli_approves(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    with serve_sample_site() as site:
        target = temporal_env.client.service_client.config.target_host
        settings = make_settings(allowed_hosts=site.host_port, temporal_host=target)
        backend = TemporalBackend(temporal_env.client, settings)
        async with build_worker(temporal_env.client, settings):
            wid = "pipeline-clisignal1"
            await backend.start(wid, PipelineRequest(url=site.url("/"), num_variants=2))
            await wait_for_stage(backend, wid, Stage.AWAITING_APPROVAL, timeout=90)
            proc = await asyncio.create_subprocess_exec(
                temporal_binary(), "workflow", "signal",
                "--address", target, "--namespace", "default",
                "--workflow-id", wid, "--name", names.SIGNAL_APPROVE,
                "--input", json.dumps({"variant_ids": ["v1"], "comment": "from the CLI"}),
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            _, err = await asyncio.wait_for(proc.communicate(), 30)
            assert proc.returncode == 0, err.decode()
            await temporal_env.client.get_workflow_handle(wid).result()
            final = await backend.snapshot(wid)
            assert final.stage is Stage.COMPLETED
            assert final.decision is not None
            assert final.decision.approved_ids == ["v1"] and final.decision.rejected_ids == ["v2"]
            assert final.decision.via == "signal" and final.decision.comment == "from the CLI"


@pytest.fixture(scope="module")
async def skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """A second dev server with per-workflow time skipping, for the week-long approval wait."""
    assert shutil.which(temporal_binary())
    env = await WorkflowEnvironment.start_time_skipping_v2(
        dev_server_existing_path=temporal_binary(),
        dev_server_extra_args=["--dynamic-config-value", "frontend.WorkflowTimeSkippingEnabled=true"],
        data_converter=pydantic_data_converter,
        search_attributes=[names.PIPELINE_STAGE],
        dev_server_log_level="error",
    )
    try:
        yield env
    finally:
        await env.shutdown()


async def test_no_decision_within_timeout_expires(
    skipping_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    with serve_sample_site() as site:
        settings = make_settings(
            allowed_hosts=site.host_port, temporal_host=skipping_env.client.service_client.config.target_host
        )
        backend = TemporalBackend(skipping_env.client, settings)
        async with build_worker(skipping_env.client, settings):
            wid = "pipeline-expires01"
            await backend.start(wid, PipelineRequest(url=site.url("/"), num_variants=1, approval_timeout_hours=168))
            result = await asyncio.wait_for(skipping_env.client.get_workflow_handle(wid).result(), 120)
            final = await backend.snapshot(wid)
            assert final.stage is Stage.EXPIRED
            assert final.decision is None
            assert final.events[-1].message == "No decision within 168 hours"
            assert result is not None
