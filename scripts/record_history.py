"""Record a completed pipeline's Temporal history for the replay test.

Run after a deliberate workflow change that is meant to be incompatible (and version the workflow):
    .venv/bin/python scripts/record_history.py
It runs the sample site through a fresh dev server, approves v1, and writes
tests/temporal/histories/ad_pipeline_completed.json.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import serve_directory
from bench.pipeline_bench import wait_until_stage

from brandtruth.api.temporal_backend import TemporalBackend
from brandtruth.cli.stack import sample_site_dir
from brandtruth.config import Settings
from brandtruth.models.pipeline import ApprovalRequest, PipelineRequest, Stage
from brandtruth.temporal import names
from brandtruth.temporal.devserver import temporal_binary
from brandtruth.temporal.worker import build_worker

OUT = Path(__file__).resolve().parents[1] / "tests" / "temporal" / "histories" / "ad_pipeline_completed.json"


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, serve_directory(sample_site_dir()) as host:
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=temporal_binary(),
            data_converter=pydantic_data_converter,
            search_attributes=[names.PIPELINE_STAGE],
        )
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            TEMPORAL_HOST=env.client.service_client.config.target_host,
            BRANDTRUTH_DATA_DIR=tmp,
            BRANDTRUTH_ALLOWED_HOSTS=host,
        )
        backend = TemporalBackend(env.client, settings)
        async with build_worker(env.client, settings):
            wid = "pipeline-recorded000"
            await backend.start(wid, PipelineRequest(url=f"http://{host}/", num_variants=2))
            await wait_until_stage(backend, wid, Stage.AWAITING_APPROVAL)
            await backend.approve(wid, ApprovalRequest(variant_ids=["v1"], comment="recorded"))
            handle = env.client.get_workflow_handle(wid)
            await handle.result()
            history = await handle.fetch_history()
        OUT.write_text(history.to_json())
        await env.shutdown()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
    os._exit(0)
