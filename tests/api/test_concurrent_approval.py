"""Exactly one decision wins when many approvals of one fallback run arrive at once."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable

import httpx

from brandtruth.config import Settings
from brandtruth.pipeline.fallback_store import FallbackStore
from tests.api.conftest import serve_api
from tests.conftest import wait_for
from tests.support.site_server import serve_sample_site

TRIALS = 20
AT_ONCE = 10
CHOICES = [["v1"], ["v2"], ["v1", "v2"], [], ["v2"], ["v1"], ["v1", "v2"], ["v2"], [], ["v1"]]


async def _stage(http: httpx.AsyncClient, wid: str) -> str:
    return str((await http.get(f"/workflow/progress/{wid}")).json()["stage"])


async def _one_trial(http: httpx.AsyncClient, wid: str) -> list[str]:
    """Fire AT_ONCE different approvals; check one 200, the rest 409; return the winner's ids."""
    answers = await asyncio.gather(
        *(http.post(f"/workflow/approve/{wid}", json={"variant_ids": ids}) for ids in CHOICES[:AT_ONCE])
    )
    codes = [a.status_code for a in answers]
    assert sorted(codes) == [200] + [409] * (AT_ONCE - 1), [a.text for a in answers]
    winner: list[str] = answers[codes.index(200)].json()["approved_ids"]
    return winner


async def test_concurrent_approvals_of_live_and_stored_runs_record_one_decision(
    make_settings: Callable[..., Settings],
) -> None:
    with serve_sample_site() as site:
        settings = make_settings(allowed_hosts=site.host_port)
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=60) as http:
            live, kept = [
                (await http.post("/workflow/start", json={"url": site.url("/"), "num_variants": 2})).json()[
                    "workflow_id"
                ]
                for _ in range(2)
            ]
            for wid in (live, kept):
                await wait_for(functools.partial(_is, http, wid, "awaiting_approval"), timeout=120, every=0.2)
            winner = await _one_trial(http, live)
            await wait_for(lambda: _is(http, live, "completed"), timeout=10)
            assert (await http.get(f"/workflow/result/{live}")).json()["decision"]["approved_ids"] == winner

        # The API is gone; `kept` is stored awaiting approval. Make TRIALS stored copies of it.
        store = FallbackStore(settings.fallback_db)
        original = await store.load(kept)
        assert original is not None and original.stage.value == "awaiting_approval"
        ids = [f"pipeline-{n:012x}" for n in range(1, TRIALS + 1)]
        for wid in ids:
            copy = original.model_copy(deep=True, update={"workflow_id": wid})
            await store.save(copy)
        store.close()

        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=60) as http:
            for wid in ids:
                winner = await _one_trial(http, wid)
                stored = (await http.get(f"/workflow/result/{wid}")).json()
                assert stored["stage"] == "completed"
                assert stored["decision"]["approved_ids"] == winner, "what the 200 said is what was stored"


async def _is(http: httpx.AsyncClient, wid: str, stage: str) -> bool:
    return await _stage(http, wid) == stage
