"""The API over a real Temporal server when things go wrong: no worker, worker gone, server down."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from brandtruth.config import Settings
from brandtruth.temporal import names
from brandtruth.temporal.devserver import temporal_binary
from brandtruth.temporal.worker import build_worker
from tests.api.conftest import serve_api
from tests.conftest import wait_for
from tests.support.site_server import serve_sample_site


def _on(env: WorkflowEnvironment, make_settings: Callable[..., Settings], hosts: str = "") -> Settings:
    return make_settings(allowed_hosts=hosts, temporal_host=env.client.service_client.config.target_host)


async def _stage(http: httpx.AsyncClient, wid: str) -> str:
    response = await http.get(f"/workflow/progress/{wid}")
    assert response.status_code == 200, response.text
    return str(response.json()["stage"])


async def test_health_counts_workers_and_is_degraded_without_one(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    settings = _on(temporal_env, make_settings)
    async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=10) as http:
        alone = (await http.get("/workflow/health")).json()
        assert alone["temporal_available"] is True
        assert alone["workers"] == 0 and alone["status"] == "degraded"
        assert "worker" in alone["message"] and settings.temporal_task_queue in alone["message"]
        async with build_worker(temporal_env.client, settings):

            async def healthy() -> bool:
                body = (await http.get("/workflow/health")).json()
                return bool(body["status"] == "healthy" and body["workers"] == 1 and body["message"] is None)

            await wait_for(healthy, timeout=10, every=0.2)


async def test_health_is_degraded_when_tasks_wait_for_a_worker_that_left(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    """A worker that went away is still listed as a poller for a while; unserved tasks give it away."""
    settings = _on(temporal_env, make_settings)
    async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=10) as http:
        async with build_worker(temporal_env.client, settings):
            await wait_for(lambda: _workers(http, 1), timeout=10, every=0.2)
        await http.post("/workflow/start", json={"url": "https://example.com/"})

        async def degraded() -> bool:
            body = (await http.get("/workflow/health")).json()
            return bool(body["status"] == "degraded" and "waited" in (body["message"] or ""))

        await wait_for(degraded, timeout=30, every=0.5)


async def test_run_no_worker_has_picked_up_reads_and_cancels_without_500(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    settings = _on(temporal_env, make_settings)
    async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=10) as http:
        started = await http.post("/workflow/start", json={"url": "https://example.com/"})
        assert started.json()["mode"] == "temporal"
        wid = started.json()["workflow_id"]

        progress = await http.get(f"/workflow/progress/{wid}")
        assert progress.status_code == 200, progress.text
        assert progress.json() | {"seq": 1, "stage": "pending", "progress_percent": 0} == progress.json()
        assert (await http.get(f"/workflow/result/{wid}")).json()["stage"] == "pending"
        early = await http.post(f"/workflow/approve/{wid}", json={"variant_ids": []})
        assert early.status_code == 409 and "stage: pending" in early.json()["detail"], early.text

        cancelling = await http.post(f"/workflow/cancel/{wid}")
        assert cancelling.status_code == 202, cancelling.text
        assert cancelling.json() == {"workflow_id": wid, "status": "cancelling"}
        assert await _stage(http, wid) == "pending"  # still open: nothing has acted on the request

        async with build_worker(temporal_env.client, settings):
            await wait_for(lambda: _is(http, wid, "cancelled"), timeout=20, every=0.2)
        assert (await http.get(f"/workflow/progress/{wid}")).json()["stage"] == "cancelled"
        assert (await http.post(f"/workflow/cancel/{wid}")).status_code == 409


async def test_cancel_answers_cancelled_once_the_run_has_closed(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    settings = _on(temporal_env, make_settings)
    async with (
        build_worker(temporal_env.client, settings),
        serve_api(settings) as api,
        httpx.AsyncClient(base_url=api, timeout=10) as http,
    ):
        await wait_for(lambda: _workers(http, 1), timeout=10, every=0.2)
        wid = (await http.post("/workflow/start", json={"url": "https://example.invalid/"})).json()["workflow_id"]
        cancelled = await http.post(f"/workflow/cancel/{wid}")
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
        assert await _stage(http, wid) in {"cancelled", "failed"}


async def test_second_approval_while_no_worker_runs_is_refused(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    """Ten approvals at once with no worker: one is queued (202), nine are told it is taken (409)."""
    with serve_sample_site() as site:
        settings = _on(temporal_env, make_settings, site.host_port)
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=60) as http:
            async with build_worker(temporal_env.client, settings):
                wid = (await http.post("/workflow/start", json={"url": site.url("/"), "num_variants": 2})).json()[
                    "workflow_id"
                ]
                await wait_for(lambda: _is(http, wid, "awaiting_approval"), timeout=90, every=0.2)
            choices = [["v1"], ["v2"], ["v1", "v2"], [], ["v2"], ["v1"], ["v1"], ["v2"], [], ["v1", "v2"]]
            answers = await asyncio.gather(
                *(http.post(f"/workflow/approve/{wid}", json={"variant_ids": ids}) for ids in choices)
            )
            codes = sorted(a.status_code for a in answers)
            assert codes == [202] + [409] * 9, [a.text for a in answers]
            winner = choices[[a.status_code for a in answers].index(202)]
            assert all("already queued" in a.json()["detail"] for a in answers if a.status_code == 409)

            async with build_worker(temporal_env.client, settings):
                await wait_for(lambda: _is(http, wid, "completed"), timeout=30, every=0.2)
            final = (await http.get(f"/workflow/result/{wid}")).json()
            assert final["decision"]["approved_ids"] == winner


async def test_routes_answer_503_at_once_while_temporal_is_down(make_settings: Callable[..., Settings]) -> None:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary(),
        data_converter=pydantic_data_converter,
        search_attributes=[names.PIPELINE_STAGE],
        dev_server_log_level="error",
    )
    settings = _on(env, make_settings)
    try:
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
            wid = (await http.post("/workflow/start", json={"url": "https://example.com/"})).json()["workflow_id"]
            assert await _stage(http, wid) == "pending"
            await env.shutdown()
            began = time.monotonic()
            first = await http.get(f"/workflow/progress/{wid}")  # before anything has noticed
            took = time.monotonic() - began
            assert first.status_code == 503 and took < 3, f"{first.status_code} after {took:.2f} s"

            async def degraded() -> bool:
                body = (await http.get("/workflow/health")).json()
                return body["temporal_available"] is False and body["status"] == "degraded"

            await wait_for(degraded, timeout=10, every=0.1)
            for method, path, body in [
                ("GET", f"/workflow/progress/{wid}", None),
                ("GET", f"/workflow/result/{wid}", None),
                ("POST", f"/workflow/approve/{wid}", {"variant_ids": ["v1"]}),
                ("POST", f"/workflow/cancel/{wid}", None),
            ]:
                began = time.monotonic()
                response = await http.request(method, path, json=body)
                took = time.monotonic() - began
                assert response.status_code == 503, (path, response.text)
                assert response.json()["error"] == "unavailable"
                assert took < 1.5, f"{method} {path} took {took:.2f} s to say 503"
            # New runs go to the in-process fallback meanwhile.
            assert (await http.post("/workflow/start", json={"url": "https://example.com/"})).json()[
                "mode"
            ] == "fallback"
    finally:
        await env.shutdown()


async def _is(http: httpx.AsyncClient, wid: str, stage: str) -> bool:
    return await _stage(http, wid) == stage


async def _workers(http: httpx.AsyncClient, n: int) -> bool:
    return bool((await http.get("/workflow/health")).json()["workers"] == n)
