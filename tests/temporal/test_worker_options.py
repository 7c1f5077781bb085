"""Per-process worker limits and the idle memory release."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput

from brandtruth.config import Settings
from brandtruth.temporal import memory
from brandtruth.temporal.worker import build_worker


async def test_activities_per_process_come_from_the_setting(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings]
) -> None:
    worker = build_worker(temporal_env.client, make_settings(BRANDTRUTH_WORKER_ACTIVITIES=3))
    assert worker.config()["max_concurrent_activities"] == 3
    assert any(isinstance(i, memory.ReleaseMemoryWhenIdle) for i in worker.config()["interceptors"])


class _Sleeper(ActivityInboundInterceptor):
    def __init__(self) -> None:  # the innermost link: no next
        pass

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        await asyncio.sleep(input.args[0])
        return "done"


def _input(seconds: float) -> ExecuteActivityInput:
    return ExecuteActivityInput(fn=lambda: None, args=[seconds], executor=None, headers={})


async def test_memory_is_released_once_when_the_last_running_activity_ends() -> None:
    calls: list[int] = []
    # Its own release function: other workers of the test session may release theirs meanwhile.
    owner = memory.ReleaseMemoryWhenIdle(release=lambda: calls.append(owner.running))
    chain = owner.intercept_activity(_Sleeper())
    results = await asyncio.gather(chain.execute_activity(_input(0.05)), chain.execute_activity(_input(0.3)))
    assert list(results) == ["done", "done"]
    assert owner.running == 0
    await asyncio.sleep(0.9)
    assert calls == [0] and owner.releases == 1, "one release, after both finished, none while one ran"

    # A new activity starting within the grace period cancels the pending release.
    await chain.execute_activity(_input(0.01))
    await asyncio.sleep(0.2)
    task = asyncio.create_task(chain.execute_activity(_input(0.6)))
    await asyncio.sleep(0.5)
    assert calls == [0], "no release while an activity runs"
    await task
    await asyncio.sleep(0.9)
    assert calls == [0, 0]


def test_release_runs_on_this_platform() -> None:
    memory.release_freed_memory()  # glibc: malloc_trim; elsewhere a gc pass


def test_malloc_arenas_are_capped_unless_the_operator_chose(tmp_path: object) -> None:
    import subprocess
    import sys

    code = "from brandtruth.temporal.memory import limit_malloc_arenas as f; print(f())"
    env = {k: v for k, v in __import__("os").environ.items() if k != "MALLOC_ARENA_MAX"}
    capped = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    chosen = subprocess.run(
        [sys.executable, "-c", code], env=env | {"MALLOC_ARENA_MAX": "4"}, capture_output=True, text=True, check=True
    )
    assert chosen.stdout.strip() == "False", "an explicit MALLOC_ARENA_MAX wins"
    assert capped.stdout.strip() == ("True" if memory._MALLOC_TRIM is not None else "False")
