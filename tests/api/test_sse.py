"""The progress stream as a plain EventSource sees it: default events, 204 after the end, keepalives."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from brandtruth.api import sse
from brandtruth.config import Settings
from brandtruth.temporal import names
from brandtruth.temporal.devserver import temporal_binary
from tests.api.conftest import SseReader, serve_api
from tests.support.logs import LogRecords, captured_logs
from tests.support.site_server import serve_sample_site


@pytest.fixture
def server_log() -> Iterator[LogRecords]:
    """Warnings and errors of the server's loggers (uvicorn's do not reach the root logger)."""
    with captured_logs("uvicorn", "uvicorn.error", "brandtruth", "") as handler:
        yield handler


async def test_every_event_is_a_default_message_and_the_end_answers_204(
    make_settings: Callable[..., Settings],
) -> None:
    with serve_sample_site() as site:
        settings = make_settings(allowed_hosts=site.host_port)  # Temporal unreachable: the in-process runner
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=60) as http:
            started = await http.post("/workflow/start", json={"url": site.url("/"), "num_variants": 1})
            wid = started.json()["workflow_id"]
            reader = SseReader()
            async with http.stream("GET", f"/workflow/stream/{wid}") as stream:
                assert stream.status_code == 200
                assert stream.headers["cache-control"] == "no-store"
                await reader.read_until_stage(stream, "awaiting_approval")
                approved = await http.post(f"/workflow/approve/{wid}", json={"variant_ids": ["v1"]})
                assert approved.status_code == 200, approved.text
                await reader.read(stream)  # ends by itself after the terminal event
            assert {e.event for e in reader.events} == {"message"}, "EventSource.onmessage sees only unnamed events"
            assert reader.events[-1].data["stage"] == "completed"
            assert all(e.data["workflow_id"] == wid and e.data["mode"] == "fallback" for e in reader.events)
            last = reader.events[-1].id
            assert last is not None

            # A browser reconnects with the last id it saw: 204 tells it to stop.
            resumed = await http.get(f"/workflow/stream/{wid}", headers={"Last-Event-ID": last})
            assert resumed.status_code == 204 and resumed.content == b""
            assert (await http.get(f"/workflow/stream/{wid}?after={last}")).status_code == 204
            # A new reader of an ended run gets the whole log once, then the stream ends.
            replay = SseReader()
            async with http.stream("GET", f"/workflow/stream/{wid}") as stream:
                await asyncio.wait_for(replay.read(stream), 10)
            assert [e.id for e in replay.events] == [e.id for e in reader.events]
            # Part of the log: only what comes after.
            async with http.stream("GET", f"/workflow/stream/{wid}", headers={"Last-Event-ID": "2"}) as stream:
                tail = await asyncio.wait_for(SseReader().read(stream), 10)
            assert tail and tail[0].id == "3" and tail[-1].id == last
            assert (await http.get("/workflow/stream/pipeline-0123456789ab")).status_code == 404


async def test_a_client_going_away_logs_nothing(
    make_settings: Callable[..., Settings], server_log: LogRecords, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sse, "KEEPALIVE_SECONDS", 0.2)
    with serve_sample_site() as site:
        settings = make_settings(allowed_hosts=site.host_port)
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=60) as http:
            wid = (await http.post("/workflow/start", json={"url": site.url("/"), "num_variants": 1})).json()[
                "workflow_id"
            ]
            for _ in range(5):  # leave at different points: mid-events, mid-keepalive
                async with http.stream("GET", f"/workflow/stream/{wid}") as stream:
                    await SseReader().read(stream, stop_after=1)
                await asyncio.sleep(0.3)
            await asyncio.sleep(1.0)
            await http.post(f"/workflow/cancel/{wid}")
    problems = [f"{r.name}: {r.getMessage()} {r.exc_info!r}" for r in server_log.records if r.levelno >= logging.ERROR]
    assert problems == []


async def test_headers_and_keepalives_while_temporal_is_down(
    make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sse, "KEEPALIVE_SECONDS", 0.3)
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary(),
        data_converter=pydantic_data_converter,
        search_attributes=[names.PIPELINE_STAGE],
        dev_server_log_level="error",
    )
    stopped = False
    try:
        settings = make_settings(
            allowed_hosts="127.0.0.1:9", temporal_host=env.client.service_client.config.target_host
        )
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
            started = await http.post("/workflow/start", json={"url": "http://127.0.0.1:9/", "num_variants": 1})
            assert started.json()["mode"] == "temporal"  # no worker: it stays pending
            wid = started.json()["workflow_id"]
            await env.shutdown()
            stopped = True

            began = time.monotonic()
            reader = SseReader()
            async with http.stream("GET", f"/workflow/stream/{wid}") as stream:
                headers_after = time.monotonic() - began
                assert stream.status_code == 200
                assert stream.headers["content-type"].startswith("text/event-stream")
                lines = stream.aiter_lines()
                while len(reader.comments) < 3:
                    line = await asyncio.wait_for(anext(lines), 5)
                    if line.startswith(":"):
                        reader.comments.append(line)
            assert headers_after < sse.FIRST_LOOK_SECONDS + 1.0, f"headers took {headers_after:.1f} s"
    finally:
        if not stopped:
            await env.shutdown()
