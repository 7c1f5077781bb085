"""The spec's own two-line browser client, run verbatim in Chromium on the API's origin."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.async_api import ConsoleMessage, Request
from temporalio.testing import WorkflowEnvironment

from brandtruth.config import Settings
from brandtruth.temporal.worker import build_worker
from tests.api.conftest import serve_api
from tests.api.ui.conftest import UiPage
from tests.conftest import wait_for
from tests.support.site_server import serve_sample_site

pytestmark = pytest.mark.browser

SEED_SNIPPET = """
const es = new EventSource('/workflow/stream/pipeline-abc123');
es.onmessage = (e) => console.log(JSON.parse(e.data));
"""
QUIET_SECONDS = 12.0


async def test_the_seed_snippet_logs_every_stage_and_stops_after_the_end(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings], ui: UiPage
) -> None:
    page = ui.page
    logged: list[dict[str, Any]] = []
    stream_requests: list[float] = []

    async def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "log" and msg.args:
            value = await msg.args[0].json_value()
            if isinstance(value, dict):
                logged.append(value)

    def on_request(request: Request) -> None:
        if "/workflow/stream/" in request.url:
            stream_requests.append(time.monotonic())

    page.on("console", on_console)
    page.on("request", on_request)
    with serve_sample_site() as site:
        settings = make_settings(
            allowed_hosts=site.host_port, temporal_host=temporal_env.client.service_client.config.target_host
        )
        async with (
            build_worker(temporal_env.client, settings),
            serve_api(settings) as api,
            httpx.AsyncClient(base_url=api, timeout=30) as http,
        ):
            started = await http.post("/workflow/start", json={"url": site.url("/"), "num_variants": 1})
            wid = started.json()["workflow_id"]
            await page.goto(api + "/workflow/health")  # any page of the API's origin
            await page.add_script_tag(content=SEED_SNIPPET.replace("pipeline-abc123", wid))  # a classic <script>

            def stages() -> list[str]:
                return list(dict.fromkeys(str(e.get("stage")) for e in logged))

            await wait_for(lambda: "awaiting_approval" in stages(), timeout=150, every=0.2)
            assert stages() == [
                "pending",
                "extracting",
                "generating",
                "matching",
                "composing",
                "scoring",
                "awaiting_approval",
            ]
            approved = await http.post(f"/workflow/approve/{wid}", json={"variant_ids": ["v1"]})
            assert approved.status_code == 200, approved.text
            await wait_for(lambda: "completed" in stages(), timeout=30, every=0.2)
            ended_at = time.monotonic()
            await asyncio.sleep(QUIET_SECONDS)
            after_end = [t for t in stream_requests if t > ended_at]
            assert len(after_end) <= 1, f"{len(after_end)} requests to /stream in {QUIET_SECONDS:.0f} s after the end"
            assert await page.evaluate("es.readyState") == 2  # EventSource.CLOSED: it stopped on the 204
            seqs = [int(e["seq"]) for e in logged]
            assert seqs == sorted(set(seqs)), "every event once, in order"
    assert ui.errors == []
