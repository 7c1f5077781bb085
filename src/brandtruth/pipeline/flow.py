"""The pipeline's stage order, written once for both runners.

`run_pipeline` drives a `PipelineState` through extract → generate → match → compose → score →
await approval. *How* a stage runs is the runner's business: the Temporal workflow schedules an
activity, the fallback orchestrator awaits the stage function directly. This module must stay
deterministic (no I/O, clocks or randomness of its own) because the workflow executes it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from brandtruth.models.brand import BrandProfile
from brandtruth.models.common import ArtifactRef
from brandtruth.models.copy import CopyResult, CopyVariant
from brandtruth.models.creative import VariantCreatives, VariantMatches
from brandtruth.models.pipeline import STAGE_PERCENT, PipelineResult, Stage, VariantResult
from brandtruth.models.score import VariantScore
from brandtruth.models.stage_io import (
    ComposeInput,
    ContactSheetInput,
    CopyInput,
    ExtractInput,
    MatchInput,
    ScoreInput,
)
from brandtruth.pipeline.state import PipelineState

T = TypeVar("T")
V = TypeVar("V")


class StageRunner(Protocol):
    """What a runner provides: the five stages, a clock, the approval wait, and error reading."""

    def now(self) -> datetime: ...

    async def extract(self, inp: ExtractInput) -> BrandProfile: ...
    async def generate(self, inp: CopyInput) -> CopyResult: ...
    async def match(self, inp: MatchInput) -> VariantMatches: ...
    async def compose(self, inp: ComposeInput) -> VariantCreatives: ...
    async def contact_sheet(self, inp: ContactSheetInput) -> ArtifactRef: ...
    async def score(self, inp: ScoreInput) -> VariantScore: ...

    async def wait_for_decision(self, timeout: timedelta) -> bool:
        """True once a decision is recorded in the state, False when `timeout` passes first."""
        ...

    async def checkpoint(self, state: PipelineState, stage_changed: bool) -> None:
        """Called after every event, so the runner can publish or persist it."""
        ...

    def is_cancellation(self, exc: BaseException) -> bool: ...

    def failure_message(self, exc: BaseException) -> str | None:
        """A readable message for a stage failure, or None for errors that are not ours to handle."""
        ...


_PER_VARIANT_BAND: dict[Stage, tuple[int, int]] = {
    stage: (STAGE_PERCENT[stage], STAGE_PERCENT[nxt])
    for stage, nxt in (
        (Stage.MATCHING, Stage.COMPOSING),
        (Stage.COMPOSING, Stage.SCORING),
        (Stage.SCORING, Stage.AWAITING_APPROVAL),
    )
}


class PipelineFailed(Exception):
    """Raised by `run_pipeline` after the state has been marked failed; carries the message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def run_pipeline(state: PipelineState, runner: StageRunner) -> PipelineResult:
    """Run every stage, recording progress in `state`; returns the final result.

    Failure marks the state failed and raises `PipelineFailed`; cancellation marks it cancelled
    and re-raises the runner's cancellation unchanged.
    """
    result = state.result
    request = result.request
    run_id = result.workflow_id

    async def enter(stage: Stage, message: str) -> None:
        state.emit(stage, message, runner.now())
        await runner.checkpoint(state, True)

    async def per_variant(
        stage: Stage,
        verb: str,
        variants: Sequence[CopyVariant],
        call: Callable[[CopyVariant], Awaitable[V]],
    ) -> list[V]:
        low, high = _PER_VARIANT_BAND[stage]
        done = 0

        async def one(variant: CopyVariant) -> V:
            nonlocal done
            out = await call(variant)
            done += 1
            percent = low + (high - low) * done // (len(variants) + 1)
            state.emit(stage, f"{verb} {variant.id} ({done}/{len(variants)})", runner.now(), percent=percent)
            await runner.checkpoint(state, False)
            return out

        return list(await asyncio.gather(*(one(v) for v in variants)))

    try:
        await enter(Stage.EXTRACTING, f"Reading {request.url}")
        profile = await runner.extract(ExtractInput(run_id=run_id, url=request.url))
        result.brand_profile = profile

        await enter(Stage.GENERATING, f"Writing copy for {profile.brand_name}")
        copy = await runner.generate(
            CopyInput(
                run_id=run_id,
                profile=profile,
                num_variants=request.num_variants,
                platforms=request.platforms,
                objective=request.objective,
            )
        )
        variants = copy.variants
        result.copy_warnings = copy.warnings + [f"Dropped {d.angle} ({d.platform}): {d.reason}" for d in copy.dropped]
        result.variants = [VariantResult(variant=v) for v in variants]
        if not variants:
            raise PipelineFailed("No copy variant passed the grounding check; nothing to compose.")
        by_id = {vr.variant.id: vr for vr in result.variants}

        await enter(Stage.MATCHING, f"Matching images to {len(variants)} variants")
        matches = await per_variant(
            Stage.MATCHING,
            "Matched images for",
            variants,
            lambda v: runner.match(
                MatchInput(
                    run_id=run_id,
                    profile=profile,
                    variants=variants,
                    variant_id=v.id,
                    formats=request.formats,
                )
            ),
        )
        for m in matches:
            by_id[m.variant_id].matches = m.matches
            by_id[m.variant_id].warnings.extend(m.warnings)

        await enter(Stage.COMPOSING, f"Composing {len(variants) * len(request.formats)} creatives")
        match_of = {m.variant_id: m for m in matches}
        composed = await per_variant(
            Stage.COMPOSING,
            "Composed",
            variants,
            lambda v: runner.compose(
                ComposeInput(run_id=run_id, profile=profile, variant=v, matches=match_of[v.id], formats=request.formats)
            ),
        )
        for c in composed:
            by_id[c.variant_id].creatives = c.creatives
            by_id[c.variant_id].warnings.extend(c.warnings)
        result.contact_sheet = await runner.contact_sheet(
            ContactSheetInput(run_id=run_id, creatives=[cr for c in composed for cr in c.creatives])
        )

        await enter(Stage.SCORING, "Predicting performance")
        creatives_of = {c.variant_id: c for c in composed}
        scores = await per_variant(
            Stage.SCORING,
            "Scored",
            variants,
            lambda v: runner.score(ScoreInput(run_id=run_id, profile=profile, variant=v, creatives=creatives_of[v.id])),
        )
        for s in scores:
            by_id[s.variant_id].score = s

        hours = request.approval_timeout_hours
        await enter(Stage.AWAITING_APPROVAL, f"{len(variants)} variants ready for review")
        if await runner.wait_for_decision(timedelta(hours=hours)):
            decision = result.decision
            approved = len(decision.approved_ids) if decision else 0
            await enter(Stage.COMPLETED, f"Approved {approved} of {len(variants)} variants")
        else:
            await enter(Stage.EXPIRED, f"No decision within {hours:g} hours")
        return result
    except BaseException as exc:
        if runner.is_cancellation(exc):
            if not state.stage.is_terminal:
                await enter(Stage.CANCELLED, "Cancelled")
            raise
        message = exc.message if isinstance(exc, PipelineFailed) else runner.failure_message(exc)
        if message is None:
            raise
        failed_stage = state.stage.value
        text = f"{failed_stage} failed: {message}"
        state.emit(Stage.FAILED, text, runner.now(), error=text)
        await runner.checkpoint(state, True)
        raise PipelineFailed(text) from exc
