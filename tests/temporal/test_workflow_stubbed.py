"""The workflow's own logic, checked in seconds: stub activities under the real activity names.

The end-to-end tests beside this file run the real stages; these replace each stage with a stub
registered under the same activity name (as the Temporal samples do), so a change to the workflow,
the shared flow or the retry policy is checked against a real Temporal server without crawling a
site or drawing a pixel.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from temporalio import activity
from temporalio.client import WorkflowExecutionStatus, WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from brandtruth.models.brand import BrandProfile
from brandtruth.models.common import ArtifactRef
from brandtruth.models.copy import Angle, CopyResult, CopyVariant
from brandtruth.models.creative import VariantCreatives, VariantMatches
from brandtruth.models.pipeline import ApprovalRequest, PipelineRequest, PipelineResult, Stage
from brandtruth.models.score import Tier, VariantScore
from brandtruth.models.stage_io import (
    ComposeInput,
    ContactSheetInput,
    CopyInput,
    ExtractInput,
    MatchInput,
    ScoreInput,
)
from brandtruth.temporal import names
from brandtruth.temporal.workflows import AdPipelineWorkflow
from tests.conftest import wait_for

Fault = Callable[[int], None]


class StubStages:
    """Stub stage activities that record their calls; `faults[name](attempt)` may raise."""

    def __init__(self, faults: dict[str, Fault] | None = None) -> None:
        self.calls: Counter[str] = Counter()
        self.faults = faults or {}

    def _enter(self, name: str) -> None:
        self.calls[name] += 1
        if name in self.faults:
            self.faults[name](activity.info().attempt)

    def activities(self) -> list[Callable[..., Any]]:
        @activity.defn(name=names.EXTRACT)
        async def extract(inp: ExtractInput) -> BrandProfile:
            self._enter(names.EXTRACT)
            return BrandProfile(url=inp.url, brand_name="Stub Brand", site_ctas=["Book a demo"])

        @activity.defn(name=names.GENERATE)
        async def generate(inp: CopyInput) -> CopyResult:
            self._enter(names.GENERATE)
            return CopyResult(
                variants=[
                    CopyVariant(
                        id=f"v{i}",
                        platform=inp.platforms[0],
                        angle=Angle.BENEFIT,
                        headline=f"Headline {i}",
                        primary_text="Body",
                        cta="Learn More",
                    )
                    for i in range(1, inp.num_variants + 1)
                ]
            )

        @activity.defn(name=names.MATCH)
        async def match(inp: MatchInput) -> VariantMatches:
            self._enter(names.MATCH)
            return VariantMatches(variant_id=inp.variant_id, matches=[])

        @activity.defn(name=names.COMPOSE)
        async def compose(inp: ComposeInput) -> VariantCreatives:
            self._enter(names.COMPOSE)
            return VariantCreatives(variant_id=inp.variant.id, creatives=[])

        @activity.defn(name=names.CONTACT_SHEET)
        async def contact_sheet(inp: ContactSheetInput) -> ArtifactRef:
            self._enter(names.CONTACT_SHEET)
            return ArtifactRef(path=f"{inp.run_id}/contact-sheet.png", sha256="0" * 64, size=0)

        @activity.defn(name=names.SCORE)
        async def score(inp: ScoreInput) -> VariantScore:
            self._enter(names.SCORE)
            return VariantScore(variant_id=inp.variant.id, score=50.0, tier=Tier.AVERAGE)

        return [extract, generate, match, compose, contact_sheet, score]


@asynccontextmanager
async def stub_worker(env: WorkflowEnvironment, stages: StubStages) -> AsyncIterator[str]:
    queue = f"stubbed-{uuid.uuid4().hex[:8]}"
    async with Worker(env.client, task_queue=queue, workflows=[AdPipelineWorkflow], activities=stages.activities()):
        yield queue


async def start(env: WorkflowEnvironment, queue: str, **request: Any) -> WorkflowHandle[Any, PipelineResult]:
    req = PipelineRequest(url="https://brand.example/", **request)
    return await env.client.start_workflow(
        AdPipelineWorkflow.run, req, id=f"pipeline-{uuid.uuid4().hex[:12]}", task_queue=queue
    )


async def wait_stage(handle: WorkflowHandle[Any, PipelineResult], stage: Stage) -> None:
    async def reached() -> bool:
        return (await handle.query(AdPipelineWorkflow.progress)).stage == stage

    await wait_for(reached, timeout=20, every=0.05)


async def test_stages_run_in_order_once_per_variant_then_wait_for_approval(temporal_env: WorkflowEnvironment) -> None:
    stages = StubStages()
    async with stub_worker(temporal_env, stages) as queue:
        handle = await start(temporal_env, queue, num_variants=3)
        await wait_stage(handle, Stage.AWAITING_APPROVAL)
        assert stages.calls == {
            names.EXTRACT: 1,
            names.GENERATE: 1,
            names.MATCH: 3,
            names.COMPOSE: 3,
            names.SCORE: 3,
            names.CONTACT_SHEET: 1,
        }
        snapshot = await handle.query(AdPipelineWorkflow.snapshot)
        assert [v.variant.id for v in snapshot.variants] == ["v1", "v2", "v3"]

        decision = await handle.execute_update(AdPipelineWorkflow.approve, ApprovalRequest(variant_ids=["v2"]))
        assert decision.approved_ids == ["v2"]
        result = await handle.result()
        seen = [e.stage for e in await handle.query(AdPipelineWorkflow.events_since, 0)]
    assert result.stage == Stage.COMPLETED
    assert result.decision is not None
    assert (result.decision.approved_ids, result.decision.rejected_ids) == (["v2"], ["v1", "v3"])
    order = [Stage.EXTRACTING, Stage.GENERATING, Stage.MATCHING, Stage.COMPOSING, Stage.SCORING]
    assert [s for s in dict.fromkeys(seen) if s in order] == order


async def test_bad_input_fails_the_run_at_once_without_retrying(temporal_env: WorkflowEnvironment) -> None:
    def refuse(attempt: int) -> None:
        raise ApplicationError("refusing to fetch a private address", type="BlockedAddressError")

    stages = StubStages({names.EXTRACT: refuse})
    async with stub_worker(temporal_env, stages) as queue:
        handle = await start(temporal_env, queue)
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
    assert "refusing to fetch a private address" in str(failure.value.cause)
    assert stages.calls[names.EXTRACT] == 1
    assert stages.calls[names.GENERATE] == 0
    assert (await handle.describe()).status == WorkflowExecutionStatus.FAILED


async def test_a_transient_stage_error_is_retried_by_temporal(temporal_env: WorkflowEnvironment) -> None:
    def flaky(attempt: int) -> None:
        if attempt == 1:
            raise ApplicationError("upstream 503", type="UpstreamUnavailableError")

    stages = StubStages({names.COMPOSE: flaky})
    async with stub_worker(temporal_env, stages) as queue:
        handle = await start(temporal_env, queue, num_variants=1)
        await wait_stage(handle, Stage.AWAITING_APPROVAL)
        await handle.cancel()
    assert stages.calls[names.COMPOSE] == 2


async def test_cancel_while_awaiting_approval_ends_cancelled(temporal_env: WorkflowEnvironment) -> None:
    async with stub_worker(temporal_env, StubStages()) as queue:
        handle = await start(temporal_env, queue, num_variants=1)
        await wait_stage(handle, Stage.AWAITING_APPROVAL)
        await handle.cancel()
        with pytest.raises(WorkflowFailureError):
            await handle.result()
    assert (await handle.describe()).status == WorkflowExecutionStatus.CANCELED
