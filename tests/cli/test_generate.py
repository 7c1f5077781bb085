"""`brandtruth generate`: one run from the terminal, creatives written to the output directory."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from PIL import Image
from temporalio.testing import WorkflowEnvironment

from brandtruth.models.pipeline import Stage
from brandtruth.pipeline.fallback_store import FallbackStore
from tests.support.site_server import serve_sample_site


async def _generate(url: str, out: Path, env: dict[str, str]) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "brandtruth.cli", "generate", url, "--variants", "2", "--out", str(out),
        "--format", "square", "--format", "story",
        env=os.environ | env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(proc.communicate(), 180)
    return proc.returncode or 0, output.decode()


def _check_output(out: Path) -> dict[str, object]:
    files = sorted(p.name for p in out.glob("v*.png"))
    assert files == ["v1-square.png", "v1-story.png", "v2-square.png", "v2-story.png"]
    assert Image.open(out / "v1-story.png").size == (1080, 1920)
    assert (out / "contact-sheet.png").is_file()
    result: dict[str, object] = json.loads((out / "result.json").read_text())
    assert result["stage"] == "awaiting_approval"
    return result


async def test_generate_in_process_when_temporal_is_unreachable(tmp_path: Path) -> None:
    with serve_sample_site() as site:
        code, output = await _generate(
            site.url("/"),
            tmp_path / "out",
            {
                "TEMPORAL_HOST": "127.0.0.1:1",
                "BRANDTRUTH_DATA_DIR": str(tmp_path / "data"),
                "BRANDTRUTH_ALLOWED_HOSTS": site.host_port,
            },
        )
    assert code == 0, output
    assert "in-process" in output
    result = _check_output(tmp_path / "out")
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
