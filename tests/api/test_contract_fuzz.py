"""schemathesis (`--checks all`, bounded examples) against the running API: 0 failures, both backends."""

from __future__ import annotations

import asyncio
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from brandtruth.config import Settings
from tests.api.conftest import serve_api

MAX_EXAMPLES = 8
CONFIG = Path(__file__).with_name("schemathesis.toml")


def _schemathesis() -> str:
    beside = Path(sys.executable).parent / "schemathesis"
    found = str(beside) if beside.exists() else shutil.which("schemathesis")
    assert found, "schemathesis is a dev dependency: pip install -e '.[dev]'"
    return found


async def _fuzz(api: str, report_dir: Path) -> str:
    proc = await asyncio.create_subprocess_exec(
        _schemathesis(), "--config-file", str(CONFIG), "run", f"{api}/openapi.json",
        "--checks", "all",
        "--max-examples", str(MAX_EXAMPLES),
        "--generation-deterministic",
        "--request-timeout", "15",  # an approval with no worker waits out the update (4 s) first
        "--max-time", "60",
        "--workers", "1",
        "--warnings", "off",
        "--report-dir", str(report_dir),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        cwd=report_dir,  # its cache directory goes there, not into the checkout
    )  # fmt: skip
    out, _ = await asyncio.wait_for(proc.communicate(), 240)
    text = out.decode(errors="replace")
    assert proc.returncode == 0, text[-8000:]
    generated = re.search(r"(\d+) generated, (\d+) passed", text)
    # At least a few dozen cases within the time cap: on a server already holding many runs (the rest of the
    # suite's), each Temporal-backed call is slower and fewer cases fit in 60 s.
    assert generated and generated.group(1) == generated.group(2) and int(generated.group(1)) >= 30, text[-3000:]
    print(generated.group(0), "against", api)
    return text


async def test_fallback_api_conforms_to_its_schema(make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    async with serve_api(make_settings()) as api:
        await _fuzz(api, tmp_path)


async def test_temporal_api_conforms_to_its_schema(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings = make_settings(temporal_host=temporal_env.client.service_client.config.target_host)
    async with serve_api(settings) as api:
        await _fuzz(api, tmp_path)
