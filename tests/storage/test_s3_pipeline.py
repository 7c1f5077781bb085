"""A whole pipeline with BRANDTRUTH_ARTIFACT_STORE=s3://… on a real Temporal server and a real S3 endpoint."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from brandtruth.config import Settings
from brandtruth.temporal import names
from brandtruth.temporal.worker import build_worker
from tests.api.conftest import serve_api
from tests.conftest import wait_for
from tests.support.s3_server import FaultRule, S3Server, faulty_proxy
from tests.support.site_server import serve_sample_site
from tests.temporal.conftest import activity_attempts


async def _until_review(http: httpx.AsyncClient, wid: str) -> dict[str, Any]:
    async def reached() -> bool:
        stage = (await http.get(f"/workflow/progress/{wid}")).json()["stage"]
        assert stage != "failed", (await http.get(f"/workflow/result/{wid}")).json().get("error")
        return bool(stage == "awaiting_approval")

    await wait_for(reached, timeout=120, every=0.3)
    result: dict[str, Any] = (await http.get(f"/workflow/result/{wid}")).json()
    return result


def _local_run_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and p.suffix in (".png", ".jpg", ".jpeg", ".webp", ".json")]


async def test_pipeline_keeps_every_artifact_in_the_bucket_and_serves_and_exports_them(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings], s3_env: S3Server, tmp_path: Path
) -> None:
    bucket = s3_env.new_bucket()
    with serve_sample_site() as site:
        settings = make_settings(
            allowed_hosts=site.host_port,
            temporal_host=temporal_env.client.service_client.config.target_host,
            BRANDTRUTH_ARTIFACT_STORE=f"s3://{bucket}/brandtruth",
        )
        async with (
            build_worker(temporal_env.client, settings),
            serve_api(settings) as api,
            httpx.AsyncClient(base_url=api, timeout=30) as http,
        ):
            started = await http.post("/workflow/start", json={"url": site.url("/"), "num_variants": 2})
            assert started.status_code == 200, started.text
            wid = started.json()["workflow_id"]
            result = await _until_review(http, wid)

            keys = s3_env.keys(bucket)
            creatives = [c for vr in result["variants"] for c in vr["creatives"]]
            assert len(creatives) == 8  # 2 variants × 4 formats
            for creative in creatives:
                ref = creative["artifact"]
                assert f"brandtruth/{ref['path']}" in keys
                served = await http.get(f"/workflow/artifacts/{ref['path']}")
                assert served.status_code == 200 and served.headers["content-type"] == "image/png"
                assert hashlib.sha256(served.content).hexdigest() == ref["sha256"]
            sheet = result["contact_sheet"]
            assert f"brandtruth/{sheet['path']}" in keys
            assert (await http.get(f"/workflow/artifacts/{sheet['path']}")).content[:8] == b"\x89PNG\r\n\x1a\n"
            assert (await http.get(f"/workflow/artifacts/{wid}/creatives/v9-square.png")).status_code == 404
            assert any("/brand/" in k for k in keys), "the extracted site images are in the bucket too"

            approved = await http.post(f"/workflow/approve/{wid}", json={"variant_ids": ["v2"]})
            assert approved.status_code == 200, approved.text
            exported = await http.get(f"/workflow/export/{wid}.zip")
            assert exported.status_code == 200, exported.text
            with zipfile.ZipFile(io.BytesIO(exported.content)) as zf:
                pngs = {hashlib.sha256(zf.read(n)).hexdigest() for n in zf.namelist() if n.endswith(".png")}
                assert "manifest.csv" in zf.namelist()
            want = {c["artifact"]["sha256"] for c in creatives if c["variant_id"] == "v2"}
            assert pngs == want

    assert _local_run_files(tmp_path) == [], "no run data on the worker's or API's local disk"


async def test_a_transient_s3_failure_mid_run_is_retried_by_temporal(
    temporal_env: WorkflowEnvironment,
    make_settings: Callable[..., Settings],
    s3_server: S3Server,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bucket = s3_server.new_bucket()
    rule = FaultRule(lambda method, path: method == "PUT" and "/creatives/" in path, times=2)
    with serve_sample_site() as site, faulty_proxy(s3_server.endpoint, rule) as proxy:
        for name, value in s3_server.env(proxy).items():
            monkeypatch.setenv(name, value)
        settings = make_settings(
            allowed_hosts=site.host_port,
            temporal_host=temporal_env.client.service_client.config.target_host,
            BRANDTRUTH_ARTIFACT_STORE=f"s3://{bucket}/flaky",
        )
        async with (
            build_worker(temporal_env.client, settings),
            serve_api(settings) as api,
            httpx.AsyncClient(base_url=api, timeout=30) as http,
        ):
            wid = (await http.post("/workflow/start", json={"url": site.url("/"), "num_variants": 1})).json()[
                "workflow_id"
            ]
            result = await _until_review(http, wid)
            assert len(rule.hits) == 2, "the S3 endpoint refused two creative uploads"
            attempts = await activity_attempts(temporal_env.client.get_workflow_handle(wid))
            assert max(attempts[names.COMPOSE]) >= 2, f"compose was retried by Temporal: {attempts}"
            keys = s3_server.keys(bucket)
            for creative in result["variants"][0]["creatives"]:
                assert f"flaky/{creative['artifact']['path']}" in keys
