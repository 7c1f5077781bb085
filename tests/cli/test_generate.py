"""`brandtruth generate`: one run from the terminal, creatives written to the output directory."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from PIL import Image
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from brandtruth.models.pipeline import Stage
from brandtruth.pipeline.fallback_store import FallbackStore
from tests.support.site_server import serve_sample_site


async def _generate(url: str, out: Path, env: dict[str, str], *extra: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "brandtruth.cli", "generate", url, "--variants", "2", "--out", str(out),
        "--format", "square", "--format", "story", *extra,
        env=os.environ | env | {"COLUMNS": "200"}, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(proc.communicate(), 180)
    return proc.returncode or 0, output.decode()


def _artifacts(node: object) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        own = [node] if "sha256" in node and "path" in node else []
        return own + [a for v in node.values() for a in _artifacts(v)]
    if isinstance(node, list):
        return [a for v in node for a in _artifacts(v)]
    return []


def _check_output(out: Path, stage: str = "awaiting_approval") -> dict[str, Any]:
    files = sorted(p.name for p in out.glob("v*.png"))
    assert files == ["v1-square.png", "v1-story.png", "v2-square.png", "v2-story.png"]
    assert Image.open(out / "v1-story.png").size == (1080, 1920)
    assert (out / "contact-sheet.png").is_file()
    result: dict[str, Any] = json.loads((out / "result.json").read_text())
    assert result["stage"] == stage
    # Every file the result names is in OUT, where its `url` (relative to result.json) says.
    refs = _artifacts(result)
    creatives = [c["artifact"] for vr in result["variants"] for c in vr["creatives"]]
    assert len(creatives) == 4 and all(ref in refs for ref in creatives)
    for ref in refs:
        local = out / ref["url"]
        assert local.is_file(), ref
        assert hashlib.sha256(local.read_bytes()).hexdigest() == ref["sha256"]
    assert {c["artifact"]["url"] for c in result["variants"][0]["creatives"]} == {"v1-square.png", "v1-story.png"}
    return result


async def test_generate_in_process_when_temporal_is_unreachable(tmp_path: Path) -> None:
    with serve_sample_site() as site:
        port = site.host_port.rpartition(":")[2]
        code, output = await _generate(
            site.url("/"),
            tmp_path / "out",
            {
                "TEMPORAL_HOST": "127.0.0.1:1",
                "BRANDTRUTH_DATA_DIR": str(tmp_path / "data"),
                # The bundled sample site's own address needs no allow-list entry.
                "BRANDTRUTH_ALLOWED_HOSTS": "",
                "BRANDTRUTH_SAMPLE_SITE_PORT": port,
                "BRANDTRUTH_API_PORT": "8765",
            },
        )
    assert code == 0, output
    assert "in-process" in output
    result = _check_output(tmp_path / "out")
    wid = result["workflow_id"]
    assert f"http://127.0.0.1:8765/runs/{wid}" in output and "--approve" in output  # where to approve
    assert result["mode"] == "fallback"
    # The run is stored as awaiting approval, so the API can approve it later.
    store = FallbackStore(tmp_path / "data" / "fallback.sqlite3")
    try:
        stored = await store.load(str(result["workflow_id"]))
    finally:
        store.close()
    assert stored is not None and stored.stage is Stage.AWAITING_APPROVAL


async def test_generate_through_temporal(temporal_env: WorkflowEnvironment, tmp_path: Path) -> None:
    with serve_sample_site() as site:
        code, output = await _generate(
            site.url("/"),
            tmp_path / "out",
            {
                "TEMPORAL_HOST": temporal_env.client.service_client.config.target_host,
                "TEMPORAL_TASK_QUEUE": "generate-cli-test",
                "BRANDTRUTH_DATA_DIR": str(tmp_path / "data"),
                "BRANDTRUTH_ALLOWED_HOSTS": site.host_port,
            },
        )
    assert code == 0, output
    assert "Running through Temporal" in output
    assert _check_output(tmp_path / "out")["mode"] == "temporal"


async def test_generate_rejects_a_bad_url(tmp_path: Path) -> None:
    code, output = await _generate("ftp://example.com", tmp_path / "out", {"TEMPORAL_HOST": "127.0.0.1:1"})
    assert code == 2
    assert "http" in output


async def test_generate_with_approve_completes_in_one_command(tmp_path: Path) -> None:
    env = {"TEMPORAL_HOST": "127.0.0.1:1", "BRANDTRUTH_DATA_DIR": str(tmp_path / "data")}
    with serve_sample_site() as site:
        env["BRANDTRUTH_ALLOWED_HOSTS"] = site.host_port
        code, output = await _generate(site.url("/"), tmp_path / "out", env, "--approve", "v2")
        assert code == 0, output
        result = _check_output(tmp_path / "out", stage="completed")
        assert result["decision"]["approved_ids"] == ["v2"] and result["decision"]["rejected_ids"] == ["v1"]
        assert "Approved: v2" in output

        code, output = await _generate(site.url("/"), tmp_path / "again", env, "--approve", "v1,v9")
    assert code == 2, output
    assert "v9" in output and "v1, v2" in output


async def test_generate_no_wait(temporal_env: WorkflowEnvironment, tmp_path: Path) -> None:
    code, output = await _generate(
        "https://brand.example/", tmp_path / "out", {"TEMPORAL_HOST": "127.0.0.1:1"}, "--no-wait"
    )
    assert code == 2 and "needs Temporal" in output
    code, output = await _generate(
        "https://brand.example/",
        tmp_path / "out",
        {
            "TEMPORAL_HOST": temporal_env.client.service_client.config.target_host,
            "TEMPORAL_TASK_QUEUE": "generate-no-wait-test",
            "BRANDTRUTH_DATA_DIR": str(tmp_path / "data"),
        },
        "--no-wait",
    )
    assert code == 0, output
    match = re.search(r"Started (pipeline-[0-9a-f]+)", output)
    assert match, output
    handle = temporal_env.client.get_workflow_handle(match.group(1))
    assert (await handle.describe()).status == WorkflowExecutionStatus.RUNNING  # started, nobody waited on it
    await handle.terminate()
    assert not (tmp_path / "out").exists()
