"""The whole pipeline through the HTTP API on a real Temporal server, against the sample site."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from brandtruth.api import sse
from brandtruth.config import Settings
from brandtruth.storage import ArtifactStore
from brandtruth.temporal.worker import build_worker
from tests.api.conftest import SseReader, serve_api
from tests.conftest import wait_for
from tests.support.site_server import serve_sample_site

STAGE_ORDER = [
    "pending",
    "extracting",
    "generating",
    "matching",
    "composing",
    "scoring",
    "awaiting_approval",
    "completed",
]


def temporal_settings(make_settings: Callable[..., Settings], env: WorkflowEnvironment, hosts: str) -> Settings:
    return make_settings(allowed_hosts=hosts, temporal_host=env.client.service_client.config.target_host)


async def test_start_stream_approve_result(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    with serve_sample_site() as site:
        settings = temporal_settings(make_settings, temporal_env, site.host_port)
        async with (
            build_worker(temporal_env.client, settings),
            serve_api(settings) as api,
            httpx.AsyncClient(base_url=api, timeout=30) as http,
        ):
            health = (await http.get("/workflow/health")).json()
            assert health["temporal_available"] is True and health["status"] == "healthy"

            started = await http.post("/workflow/start", json={"url": site.url("/"), "num_variants": 3})
            assert started.status_code == 200, started.text
            body = started.json()
            assert body["status"] == "started" and body["mode"] == "temporal"
            wid = body["workflow_id"]
            assert wid.startswith("pipeline-")

            reader = SseReader()
            async with http.stream("GET", f"/workflow/stream/{wid}") as stream:
                assert stream.headers["content-type"].startswith("text/event-stream")

                await reader.read_until_stage(stream, "awaiting_approval")

                result = (await http.get(f"/workflow/result/{wid}")).json()
                assert result["stage"] == "awaiting_approval"
                ids = [v["variant"]["id"] for v in result["variants"]]
                assert ids == ["v1", "v2", "v3"]

                approved = await http.post(
                    f"/workflow/approve/{wid}", json={"variant_ids": ["v1", "v3"], "comment": "ship it"}
                )
                assert approved.status_code == 200, approved.text
                assert approved.json()["approved_ids"] == ["v1", "v3"]
                assert approved.json()["rejected_ids"] == ["v2"]
                await reader.read(stream)  # the stream ends by itself after the terminal event

            seqs = [int(e.id or 0) for e in reader.events]
            assert seqs == list(range(1, len(seqs) + 1)), "every event once, in order"
            stages = list(dict.fromkeys(e.data["stage"] for e in reader.events))
            assert stages == STAGE_ORDER
            assert {e.event for e in reader.events} == {"message"}  # what EventSource.onmessage receives

            final = (await http.get(f"/workflow/result/{wid}")).json()
            assert final["stage"] == "completed"
            assert final["decision"]["approved_ids"] == ["v1", "v3"]
            assert final["decision"]["comment"] == "ship it"
            assert final["brand_profile"]["brand_name"]
            assert final["duration_seconds"] > 0
            store = ArtifactStore(settings.artifacts_dir)
            for vr in final["variants"]:
                assert vr["score"]["score"] >= 0
                assert {c["format"] for c in vr["creatives"]} == {"square", "portrait", "story", "landscape"}
                for creative in vr["creatives"]:
                    assert store.path_of(creative["artifact"]["path"]).is_file()
                    served = await http.get(f"/workflow/artifacts/{creative['artifact']['path']}")
                    assert served.status_code == 200 and served.headers["content-type"] == "image/png"

            progress = (await http.get(f"/workflow/progress/{wid}")).json()
            assert progress["stage"] == "completed" and progress["progress_percent"] == 100

            again = await http.post(f"/workflow/approve/{wid}", json={"variant_ids": ["v2"]})
            assert again.status_code == 409
            assert again.json()["detail"] == "This run has already been decided."  # as in fallback mode
            cancel_done = await http.post(f"/workflow/cancel/{wid}")
            assert cancel_done.status_code == 409

            async def listed() -> bool:
                runs = (await http.get("/workflow/runs")).json()
                return any(r["workflow_id"] == wid and r["stage"] == "completed" for r in runs)

            await wait_for(listed, timeout=15, every=0.5)  # visibility is eventually consistent


async def test_sse_resume_with_last_event_id(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    with serve_sample_site() as site:
        settings = temporal_settings(make_settings, temporal_env, site.host_port)
        async with (
            build_worker(temporal_env.client, settings),
            serve_api(settings) as api,
            httpx.AsyncClient(base_url=api, timeout=30) as http,
        ):
            wid = (await http.post("/workflow/start", json={"url": site.url("/"), "num_variants": 2})).json()[
                "workflow_id"
            ]
            first = SseReader()
            async with http.stream("GET", f"/workflow/stream/{wid}") as stream:
                await first.read(stream, stop_after=3)
            last_id = first.events[-1].id
            assert last_id == "3"

            await wait_for(lambda: _stage_is(http, wid, "awaiting_approval"), timeout=60, every=0.2)
            second = SseReader()
            async with http.stream("GET", f"/workflow/stream/{wid}", headers={"Last-Event-ID": last_id}) as stream:
                await second.read_until_stage(stream, "awaiting_approval")
            seqs = [int(e.id or 0) for e in first.events + second.events]
            assert seqs == list(range(1, len(seqs) + 1)), f"gap or duplicate across reconnect: {seqs}"


async def _stage_is(http: httpx.AsyncClient, wid: str, stage: str) -> bool:
    return bool((await http.get(f"/workflow/progress/{wid}")).json()["stage"] == stage)


async def test_stream_outlives_a_worker_restart_and_approval_is_queued(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sse, "KEEPALIVE_SECONDS", 0.5)
    with serve_sample_site() as site:
        settings = temporal_settings(make_settings, temporal_env, site.host_port)
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=60) as http:
            reader = SseReader()
            async with build_worker(temporal_env.client, settings):
                started = await http.post("/workflow/start", json={"url": site.url("/"), "num_variants": 2})
                wid = started.json()["workflow_id"]
                stream_cm = http.stream("GET", f"/workflow/stream/{wid}")
                stream = await stream_cm.__aenter__()
                await reader.read_until_stage(stream, "awaiting_approval")
            # No worker now: the stream stays open (keepalives), reads still answer, approval is queued.
            comments_before = len(reader.comments)
            queued = await http.post(f"/workflow/approve/{wid}", json={"variant_ids": ["v2"]})
            assert queued.status_code == 202 and queued.json()["status"] == "queued"
            assert (await http.get(f"/workflow/result/{wid}")).json()["stage"] == "awaiting_approval"
            async with build_worker(temporal_env.client, settings):
                await reader.read(stream)  # ends after the terminal event
            await stream_cm.__aexit__(None, None, None)
            assert len(reader.comments) > comments_before, "keepalive comments while no worker answered"
            assert reader.events[-1].data["stage"] == "completed"
            seqs = [int(e.id or 0) for e in reader.events]
            assert seqs == list(range(1, len(seqs) + 1))
            final = (await http.get(f"/workflow/result/{wid}")).json()
            assert final["decision"]["approved_ids"] == ["v2"]
