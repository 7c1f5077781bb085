"""Temporal unreachable: the same routes run the pipeline in-process and keep state across restarts."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from brandtruth.config import Settings
from tests.api.conftest import SseReader, serve_api
from tests.conftest import wait_for
from tests.support.site_server import Fault, serve_sample_site


async def _stage(http: httpx.AsyncClient, wid: str) -> str:
    return str((await http.get(f"/workflow/progress/{wid}")).json()["stage"])


async def test_fallback_flow_survives_api_restart(make_settings: Callable[..., Settings]) -> None:
    with serve_sample_site() as site:
        settings = make_settings(allowed_hosts=site.host_port)  # TEMPORAL_HOST points at a closed port
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
            health = (await http.get("/workflow/health")).json()
            assert health == health | {"temporal_available": False, "status": "degraded", "message": "Using fallback"}

            started = (await http.post("/workflow/start", json={"url": site.url("/"), "num_variants": 2})).json()
            assert started["mode"] == "fallback"
            wid = started["workflow_id"]

            reader = SseReader()
            async with http.stream("GET", f"/workflow/stream/{wid}") as stream:
                await reader.read_until_stage(stream, "awaiting_approval")
            assert [int(e.id or 0) for e in reader.events] == list(range(1, len(reader.events) + 1))

            unknown = await http.post(f"/workflow/approve/{wid}", json={"variant_ids": ["v1", "v9"]})
            assert unknown.status_code == 422 and "v9" in unknown.json()["detail"]

            ok = await http.post(f"/workflow/approve/{wid}", json={"variant_ids": ["v2"]})
            assert ok.status_code == 200, ok.text
            assert ok.json()["approved_ids"] == ["v2"] and ok.json()["rejected_ids"] == ["v1"]
            await wait_for(lambda: _is(http, wid, "completed"), timeout=10)

            twice = await http.post(f"/workflow/approve/{wid}", json={"variant_ids": ["v1"]})
            assert twice.status_code == 409

        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
            result = (await http.get(f"/workflow/result/{wid}")).json()
            assert result["stage"] == "completed" and result["mode"] == "fallback"
            assert result["decision"]["approved_ids"] == ["v2"]
            assert len(result["variants"]) == 2 and all(v["creatives"] for v in result["variants"])
            # A finished run replays its whole timeline to a late reader, then the stream ends.
            late = SseReader()
            async with http.stream("GET", f"/workflow/stream/{wid}") as stream:
                await late.read(stream)
            assert late.events[-1].data["stage"] == "completed"


async def test_run_cut_off_by_restart_is_marked_interrupted(make_settings: Callable[..., Settings]) -> None:
    with serve_sample_site(faults={"/about.html": Fault(delay=30)}) as site:
        settings = make_settings(allowed_hosts=site.host_port)
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
            wid = (await http.post("/workflow/start", json={"url": site.url("/")})).json()["workflow_id"]
            await wait_for(lambda: site.hits["/about.html"] >= 1, timeout=15)
            assert await _stage(http, wid) == "extracting"

        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
            result = (await http.get(f"/workflow/result/{wid}")).json()
            assert result["stage"] == "failed"
            assert "interrupted" in result["error"]
            cancel = await http.post(f"/workflow/cancel/{wid}")
            assert cancel.status_code == 409


async def test_fallback_cancel_mid_run(make_settings: Callable[..., Settings]) -> None:
    with serve_sample_site(faults={"/about.html": Fault(delay=30)}) as site:
        settings = make_settings(allowed_hosts=site.host_port)
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
            wid = (await http.post("/workflow/start", json={"url": site.url("/")})).json()["workflow_id"]
            await wait_for(lambda: site.hits["/about.html"] >= 1, timeout=15)
            cancelled = await http.post(f"/workflow/cancel/{wid}")
            assert cancelled.status_code == 200 and cancelled.json() == {"workflow_id": wid, "status": "cancelled"}
            assert await _stage(http, wid) == "cancelled"
            events = SseReader()
            async with http.stream("GET", f"/workflow/stream/{wid}") as stream:
                await events.read(stream)
            assert events.events[-1].data["stage"] == "cancelled"


async def _is(http: httpx.AsyncClient, wid: str, stage: str) -> bool:
    return await _stage(http, wid) == stage
