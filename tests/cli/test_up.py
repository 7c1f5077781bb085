"""`brandtruth up` (what `make run` calls): the whole system from one command, and its data kept."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from tests.conftest import wait_for
from tests.support.processes import stop_process


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in socks]
    finally:
        for s in socks:
            s.close()


@asynccontextmanager
async def brandtruth_up(env: dict[str, str], *args: str) -> AsyncIterator[asyncio.subprocess.Process]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "brandtruth.cli", "up", *args,
        env=os.environ | env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        yield proc
    finally:
        await stop_process(proc, signal.SIGINT, 40, whole_group=True)


async def _healthy(http: httpx.AsyncClient) -> bool:
    try:
        return bool((await http.get("/workflow/health")).json()["temporal_available"])
    except httpx.HTTPError:
        return False


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


async def test_up_runs_everything_and_a_restart_keeps_the_runs(tmp_path: Path) -> None:
    temporal, ui, api, site = _free_ports(4)
    env = {
        "TEMPORAL_HOST": f"127.0.0.1:{temporal}",
        "TEMPORAL_UI_PORT": str(ui),
        "BRANDTRUTH_API_PORT": str(api),
        "BRANDTRUTH_SAMPLE_SITE_PORT": str(site),
        "BRANDTRUTH_DATA_DIR": str(tmp_path / "data"),
        "BRANDTRUTH_ALLOWED_HOSTS": "intranet.example:8443",
        "TEMPORAL_TASK_QUEUE": "up-test",
    }
    sample = f"http://127.0.0.1:{site}/"
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{api}", timeout=20) as http:
        async with brandtruth_up(env) as proc:
            await wait_for(lambda: _healthy(http), timeout=90, every=0.5)
            assert (await http.get(sample)).status_code == 200
            assert _listening(ui), "Temporal Web UI is served"
            started = (await http.post("/workflow/start", json={"url": sample, "num_variants": 2})).json()
            assert started["mode"] == "temporal"
            wid = started["workflow_id"]

            async def awaiting() -> bool:
                return bool((await http.get(f"/workflow/progress/{wid}")).json()["stage"] == "awaiting_approval")

            await wait_for(awaiting, timeout=120, every=0.5)
            approved = await http.post(f"/workflow/approve/{wid}", json={"variant_ids": ["v1"]})
            assert approved.status_code == 200, approved.text

            proc.send_signal(signal.SIGINT)
            assert await asyncio.wait_for(proc.wait(), 40) == 0
        for port in (temporal, ui, api, site):
            assert not _listening(port), f"port {port} still open after Ctrl-C"

        async with brandtruth_up(env):
            await wait_for(lambda: _healthy(http), timeout=90, every=0.5)
            result = (await http.get(f"/workflow/result/{wid}")).json()
            assert result["stage"] == "completed"
            assert result["decision"]["approved_ids"] == ["v1"]


async def test_up_refuses_at_once_when_a_port_is_taken(tmp_path: Path) -> None:
    temporal, ui, api, site = _free_ports(4)
    env = {
        "TEMPORAL_HOST": f"127.0.0.1:{temporal}",
        "TEMPORAL_UI_PORT": str(ui),
        "BRANDTRUTH_API_PORT": str(api),
        "BRANDTRUTH_SAMPLE_SITE_PORT": str(site),
        "BRANDTRUTH_DATA_DIR": str(tmp_path / "data"),
    }
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", api))
        squatter.listen()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "brandtruth.cli", "up",
            env=os.environ | env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        output, _ = await asyncio.wait_for(proc.communicate(), 30)
    text = output.decode()
    assert proc.returncode == 2, text
    assert f"Port {api}" in text and "BRANDTRUTH_API_PORT" in text
    assert "BrandTruth is starting" not in text  # no banner for a stack that cannot run
    assert not _listening(temporal), "nothing was started"

    env["BRANDTRUTH_SAMPLE_SITE_PORT"] = str(api)  # the same port for two services
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "brandtruth.cli", "up",
        env=os.environ | env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2
    assert "BRANDTRUTH_SAMPLE_SITE_PORT" in output.decode() and "both" in output.decode()
