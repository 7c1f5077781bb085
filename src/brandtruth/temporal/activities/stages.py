"""The six activities of the pipeline, each a thin call into `brandtruth.stages`.

They add only what Temporal needs: a liveness heartbeat (so a dead worker is noticed within the
heartbeat timeout and cancellation reaches the activity), and the translation of typed stage
errors into retryable or non-retryable `ApplicationError`s.

Heartbeats go out once a second carrying the stage's latest progress details, starting one second
in: the heartbeat timeout counts from the activity's start, so a beat at t=0 tells the server
nothing, and most stages finish within the second (measured: 12 heartbeat RPCs, each a server-side
state write, per pipeline before; cancellation still arrives within a second).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from temporalio import activity
from temporalio.exceptions import ApplicationError

from brandtruth.config import Settings
from brandtruth.errors import BadInputError, TransientError
from brandtruth.models.brand import BrandProfile
from brandtruth.models.common import ArtifactRef
from brandtruth.models.copy import CopyResult
from brandtruth.models.creative import VariantCreatives, VariantMatches
from brandtruth.models.score import VariantScore
from brandtruth.models.stage_io import (
    ComposeInput,
    ContactSheetInput,
    CopyInput,
    ExtractInput,
    MatchInput,
    ScoreInput,
)
from brandtruth.stages.compose import compose_contact_sheet, compose_creatives
from brandtruth.stages.context import StageContext
from brandtruth.stages.copy import generate_copy
from brandtruth.stages.extract import extract_brand
from brandtruth.stages.match import match_images
from brandtruth.stages.score import score_variant
from brandtruth.storage import open_artifact_store
from brandtruth.temporal import names

T = TypeVar("T")
HEARTBEAT_EVERY_SECONDS = 1.0


class _HasRunId(Protocol):
    @property
    def run_id(self) -> str: ...


class PipelineActivities:
    """Activities bound to the worker's settings and artifact store."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._store = open_artifact_store(settings)

    async def _run(self, inp: _HasRunId, stage: Callable[[StageContext], Awaitable[T]]) -> T:
        progress = _LatestProgress()
        ctx = StageContext(run_id=inp.run_id, settings=self._settings, store=self._store, heartbeat=progress.record)
        beat = asyncio.create_task(_heartbeat_forever(progress))
        try:
            return await stage(ctx)
        except BadInputError as exc:
            raise ApplicationError(exc.message, type=type(exc).__name__, non_retryable=True) from exc
        except TransientError as exc:
            raise ApplicationError(exc.message, type=type(exc).__name__) from exc
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat

    @activity.defn(name=names.EXTRACT)
    async def extract_brand(self, inp: ExtractInput) -> BrandProfile:
        return await self._run(inp, lambda ctx: extract_brand(inp.url, ctx))

    @activity.defn(name=names.GENERATE)
    async def generate_copy(self, inp: CopyInput) -> CopyResult:
        return await self._run(inp, lambda ctx: generate_copy(inp, ctx))

    @activity.defn(name=names.MATCH)
    async def match_images(self, inp: MatchInput) -> VariantMatches:
        return await self._run(inp, lambda ctx: match_images(inp, ctx))

    @activity.defn(name=names.COMPOSE)
    async def compose_creatives(self, inp: ComposeInput) -> VariantCreatives:
        return await self._run(inp, lambda ctx: compose_creatives(inp, ctx))

    @activity.defn(name=names.CONTACT_SHEET)
    async def compose_contact_sheet(self, inp: ContactSheetInput) -> ArtifactRef:
        return await self._run(inp, lambda ctx: compose_contact_sheet(inp, ctx))

    @activity.defn(name=names.SCORE)
    async def score_variant(self, inp: ScoreInput) -> VariantScore:
        return await self._run(inp, lambda ctx: score_variant(inp, ctx))

    def all(self) -> list[Callable[..., object]]:
        return [
            self.extract_brand,
            self.generate_copy,
            self.match_images,
            self.compose_creatives,
            self.compose_contact_sheet,
            self.score_variant,
        ]


class _LatestProgress:
    """The stage's most recent heartbeat details, sent with the next liveness beat."""

    def __init__(self) -> None:
        self.details: tuple[object, ...] = ()

    def record(self, *details: object) -> None:
        self.details = details


async def _heartbeat_forever(progress: _LatestProgress) -> None:
    """One beat per interval, whether or not the stage reported progress (it may be in one long call)."""
    while True:
        await asyncio.sleep(HEARTBEAT_EVERY_SECONDS)
        activity.heartbeat(*progress.details)
