"""`brandtruth up --workers N` and `brandtruth worker`: N worker processes, all stopped by Ctrl-C, and a
clear refusal to start when the artifact store cannot be used."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests.cli.test_up import _free_ports, _healthy, brandtruth_up
from tests.conftest import wait_for
from tests.support.s3_server import S3Server, serve_s3


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with serve_s3() as server:
        yield server


@pytest.fixture(scope="module")
def s3_with_auth() -> Iterator[str]:
    """moto's server in its own process with access-key checking on: any key we send is unknown to it."""
    (port,) = _free_ports(1)
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        env=os.environ | {"INITIAL_NO_AUTH_ACTION_COUNT": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(endpoint, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(10)


def _run(argv: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return subprocess.run(
        [sys.executable, "-m", "brandtruth.cli", *argv],
        env=base | {"BRANDTRUTH_DATA_DIR": str(tmp_path / "data"), "TEMPORAL_HOST": "127.0.0.1:9"} | env,
        capture_output=True,
        text=True,
        timeout=240,  # the machine may be busy; importing every stage takes a while then
    )


def _bad_store_cases(s3: S3Server, auth_endpoint: str) -> dict[str, tuple[dict[str, str], str]]:
    return {
        "missing bucket": (
            s3.env() | {"BRANDTRUTH_ARTIFACT_STORE": "s3://no-such-bucket/p"},
            "bucket 'no-such-bucket' does not exist",
        ),
        "unreachable endpoint": (
            s3.env("http://127.0.0.1:9") | {"BRANDTRUTH_ARTIFACT_STORE": "s3://any-bucket/p"},
            "cannot reach the S3 endpoint http://127.0.0.1:9 (AWS_ENDPOINT_URL)",
        ),
        "wrong credentials": (
            s3.env(auth_endpoint) | {"BRANDTRUTH_ARTIFACT_STORE": "s3://any-bucket/p"},
            "refused these credentials; check AWS_ACCESS_KEY_ID",
        ),
        "not a store url": ({"BRANDTRUTH_ARTIFACT_STORE": "ftp://files/x"}, "expected file://PATH or s3://"),
    }


@pytest.mark.parametrize("case", ["missing bucket", "unreachable endpoint", "wrong credentials", "not a store url"])
@pytest.mark.parametrize("command", [["worker"], ["up", "--workers", "2"]])
def test_refuses_to_start_naming_the_variable(
    s3: S3Server, s3_with_auth: str, tmp_path: Path, case: str, command: list[str]
) -> None:
    env, message = _bad_store_cases(s3, s3_with_auth)[case]
    done = _run(command, env, tmp_path)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "BRANDTRUTH_ARTIFACT_STORE" in done.stderr and message in done.stderr, done.stderr[-2000:]
    if command[0] == "up":
        assert "started temporal" not in done.stderr, "nothing is started when the store is unusable"


def _workers_of(proc: asyncio.subprocess.Process) -> list[psutil.Process]:
    try:
        kids = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for kid in kids:
        try:
            if "brandtruth.temporal.worker" in " ".join(kid.cmdline()):
                found.append(kid)
        except psutil.NoSuchProcess:
            continue
    return found


async def test_up_runs_n_worker_processes_and_ctrl_c_stops_them_all(s3: S3Server, tmp_path: Path) -> None:
    bucket = s3.new_bucket()
    temporal, ui, api, site = _free_ports(4)
    env = s3.env() | {
        "TEMPORAL_HOST": f"127.0.0.1:{temporal}",
        "TEMPORAL_UI_PORT": str(ui),
        "BRANDTRUTH_API_PORT": str(api),
        "BRANDTRUTH_SAMPLE_SITE_PORT": str(site),
        "BRANDTRUTH_DATA_DIR": str(tmp_path / "data"),
        "BRANDTRUTH_ARTIFACT_STORE": f"s3://{bucket}/up",
        "TEMPORAL_TASK_QUEUE": "up-workers-test",
        "BRANDTRUTH_WORKERS": "3",  # the flag wins over the variable
    }
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{api}", timeout=20) as http:
        async with brandtruth_up(env, "--workers", "2") as proc:
            await wait_for(lambda: _healthy(http), timeout=90, every=0.5)
            await wait_for(lambda: len(_workers_of(proc)) == 2, timeout=30, every=0.3)
            workers = _workers_of(proc)
            assert len({w.pid for w in workers}) == 2
            proc.send_signal(signal.SIGINT)
            assert await asyncio.wait_for(proc.wait(), 40) == 0
        _gone, alive = psutil.wait_procs(workers, timeout=5)
        assert alive == [], f"worker processes left running after Ctrl-C: {[p.pid for p in alive]}"
