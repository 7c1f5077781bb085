"""Activity heartbeats: liveness for long stages, their progress details, and none for short ones.

A heartbeat is a server round trip and a state write; the heartbeat timeout counts from the
activity's start, so a stage that finishes within a second has nothing to report, while a long one
(even stuck in a single call) must keep beating and carry its latest progress.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from temporalio.testing import ActivityEnvironment

from brandtruth.models.brand import BrandProfile
from brandtruth.models.stage_io import ExtractInput
from brandtruth.stages.context import StageContext
from brandtruth.temporal.activities import PipelineActivities, stages
from tests.conftest import SettingsFactory


class StopStage(Exception):
    """Ends the fake stage once it has done what the test needs (no profile to build)."""


async def run_extract(
    make_settings: SettingsFactory, monkeypatch: pytest.MonkeyPatch, stage: Any
) -> list[tuple[Any, ...]]:
    """Run the real extract activity around `stage`; the heartbeats it sent, in order."""
    monkeypatch.setattr(stages, "extract_brand", stage)
    beats: list[tuple[Any, ...]] = []
    env = ActivityEnvironment()
    env.on_heartbeat = lambda *details: beats.append(details)
    activities = PipelineActivities(make_settings())
    with pytest.raises(StopStage):
        await env.run(activities.extract_brand, ExtractInput(run_id="run-hb", url="http://example.test/"))
    return beats


async def test_a_short_stage_sends_no_heartbeat(
    make_settings: SettingsFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def quick(url: str, ctx: StageContext) -> BrandProfile:
        ctx.heartbeat("start page fetched")
        await asyncio.sleep(0.3)
        raise StopStage

    assert await run_extract(make_settings, monkeypatch, quick) == []


async def test_a_long_stage_beats_with_its_latest_progress(
    make_settings: SettingsFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def slow(url: str, ctx: StageContext) -> BrandProfile:
        for step in range(25):
            ctx.heartbeat({"step": step})
            await asyncio.sleep(0.1)
        raise StopStage

    beats = await run_extract(make_settings, monkeypatch, slow)
    assert 1 <= len(beats) <= 3
    steps = [beat[0]["step"] for beat in beats]
    assert steps == sorted(steps) and steps[0] >= 5  # progress so far, not the first report


async def test_a_stage_stuck_in_one_call_still_beats(
    make_settings: SettingsFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def stuck(url: str, ctx: StageContext) -> BrandProfile:
        await asyncio.sleep(2.3)  # one long call, no progress reports: the worker is still alive
        raise StopStage

    beats = await run_extract(make_settings, monkeypatch, stuck)
    assert len(beats) >= 2
    assert all(beat == () for beat in beats)
