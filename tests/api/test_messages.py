"""What a newcomer reads when something is refused: at once, in plain words, with the fix named."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from brandtruth.config import Settings
from brandtruth.models.pipeline import Stage
from brandtruth.pipeline.fallback_store import FallbackStore
from brandtruth.storage import ArtifactStore
from tests.api.conftest import serve_api
from tests.api.ui.factories import build_run


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://10.0.0.1/", "BRANDTRUTH_ALLOWED_HOSTS"),
        ("http://localhost:1/", "list localhost:1 in BRANDTRUTH_ALLOWED_HOSTS"),
        ("http://shop.localhost/", "BRANDTRUTH_ALLOWED_HOSTS"),
        ("http://[::1]:8080/", "BRANDTRUTH_ALLOWED_HOSTS"),
        ("example.com", "did you mean https://example.com?"),
        ("www.example.com/shop", "did you mean https://www.example.com/shop?"),
        ("ftp://example.com/", "only http:// and https://"),
    ],
)
async def test_start_refuses_at_once_and_names_the_fix(
    make_settings: Callable[..., Settings], url: str, expected: str
) -> None:
    async with serve_api(make_settings()) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
        began = time.monotonic()
        response = await http.post("/workflow/start", json={"url": url})
        assert time.monotonic() - began < 2.0
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert expected in detail, detail
    assert "Value error" not in detail


async def test_loopback_names_are_allowed_when_listed(make_settings: Callable[..., Settings]) -> None:
    for allowed in ("localhost:1", "127.0.0.1:1"):
        async with (
            serve_api(make_settings(allowed_hosts=allowed)) as api,
            httpx.AsyncClient(base_url=api, timeout=30) as http,
        ):
            started = await http.post("/workflow/start", json={"url": "http://localhost:1/"})
            assert started.status_code == 200, (allowed, started.text)
            await http.post(f"/workflow/cancel/{started.json()['workflow_id']}")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"url": ', "the request body is not valid JSON"),
        (b"[1]", "the request body must be a JSON object"),
    ],
)
async def test_malformed_bodies_read_plainly(
    make_settings: Callable[..., Settings], body: bytes, expected: str
) -> None:
    async with serve_api(make_settings()) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
        response = await http.post("/workflow/start", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith(expected), detail
    assert not detail.startswith("0:")


async def _stored(settings: Settings, stage: Stage) -> str:
    run = build_run(ArtifactStore(settings.artifacts_dir), stage=stage)
    store = FallbackStore(settings.fallback_db)
    try:
        await store.save(run)
    finally:
        store.close()
    return run.workflow_id


async def test_approving_an_empty_list_is_reported_as_rejecting_all(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    wid = await _stored(settings, Stage.AWAITING_APPROVAL)
    async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
        response = await http.post(f"/workflow/approve/{wid}", json={"variant_ids": []})
        again = await http.post(f"/workflow/approve/{wid}", json={"variant_ids": ["v1"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "rejected" and body["approved_ids"] == []
    assert body["rejected_ids"] == ["v1", "v2", "v3"]
    assert again.status_code == 409
    assert again.json()["detail"] == "This run has already been decided."  # the same words in Temporal mode


@pytest.mark.parametrize("stage", [Stage.CANCELLED, Stage.FAILED, Stage.EXPIRED])
async def test_export_of_a_run_that_ended_undecided_says_it_never_can_be(
    make_settings: Callable[..., Settings], tmp_path: Path, stage: Stage
) -> None:
    settings = make_settings()
    wid = await _stored(settings, stage)
    async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
        response = await http.get(f"/workflow/export/{wid}.zip")
    assert response.status_code == 409
    assert f"is {stage.value} without a decision, so it can never be exported" in response.json()["detail"]
