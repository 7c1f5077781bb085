"""Shared fixtures for the extract stage tests: a run context bound to a loopback site."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from brandtruth.models.brand import BrandProfile
from brandtruth.stages.context import StageContext
from brandtruth.stages.extract import extract_brand
from brandtruth.storage import ArtifactStore
from tests.support.settings import settings_from

Extractor = Callable[..., Awaitable[tuple[BrandProfile, StageContext]]]


def make_context(tmp_path: Path, allowed_hosts: str, **settings: object) -> StageContext:
    values: dict[str, object] = {
        "BRANDTRUTH_ALLOWED_HOSTS": allowed_hosts,
        "BRANDTRUTH_DATA_DIR": tmp_path,
        "BRANDTRUTH_FETCH_TIMEOUT": 5.0,
        "BRANDTRUTH_CRAWL_BUDGET": 30.0,
    }
    values.update(settings)
    return StageContext(
        run_id="pipeline-test",
        settings=settings_from(values),
        store=ArtifactStore(tmp_path / "artifacts"),
    )


@pytest.fixture
def extract(tmp_path: Path) -> Extractor:
    """`await extract(url, host_port, **settings)` → (profile, ctx) with an isolated artifact store."""

    async def run(url: str, allowed_hosts: str, **settings: object) -> tuple[BrandProfile, StageContext]:
        ctx = make_context(tmp_path, allowed_hosts, **settings)
        return await extract_brand(url, ctx), ctx

    return run
