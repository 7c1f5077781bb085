"""`brandtruth generate`: one run from the terminal, with a live progress bar per stage."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from brandtruth.config import Settings
from brandtruth.models.pipeline import PipelineRequest, PipelineResult, ProgressEvent, Stage
from brandtruth.pipeline.fallback_store import FallbackStore
from brandtruth.pipeline.orchestrator import FallbackOrchestrator
from brandtruth.storage import open_artifact_store

console = Console()
SHOWN_STAGES = [
    Stage.EXTRACTING,
    Stage.GENERATING,
    Stage.MATCHING,
    Stage.COMPOSING,
    Stage.SCORING,
]
STOP_AT = {Stage.AWAITING_APPROVAL, *(s for s in Stage if s.is_terminal)}


class _Bars:
    """One bar per stage, advanced from progress events."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._tasks: dict[Stage, TaskID] = {
            s: progress.add_task(s.value, total=100, start=False, status="") for s in SHOWN_STAGES
        }
        self._current: Stage | None = None

    def show(self, event: ProgressEvent) -> None:
        if event.stage in self._tasks and event.stage != self._current:
            if self._current is not None:
                self._progress.update(self._tasks[self._current], completed=100)
            self._current = event.stage
            self._progress.start_task(self._tasks[event.stage])
        if self._current is not None:
            done = 100 if event.stage in STOP_AT else 50 if event.stage == self._current else 100
            self._progress.update(self._tasks[self._current], completed=done, status=event.message)


async def _via_temporal(request: PipelineRequest, settings: Settings, bars: _Bars) -> PipelineResult | None:
    """Run through Temporal (with an in-process worker so the run proceeds even if none is up)."""
    from brandtruth.api.service import new_workflow_id
    from brandtruth.api.temporal_backend import TemporalBackend
    from brandtruth.temporal.client import connect, is_healthy
    from brandtruth.temporal.worker import build_worker

    try:
        client = await connect(settings, timeout=3.0)
    except Exception:
        return None
    if not await is_healthy(client):
        return None
    console.print(f"[dim]Running through Temporal at {settings.temporal_host}[/]")
    backend = TemporalBackend(client, settings)
    workflow_id = new_workflow_id()
    async with build_worker(client, settings):
        await backend.start(workflow_id, request)
        seq = 0
        while True:
            for event in await backend.events_since(workflow_id, seq):
                seq = event.seq
                bars.show(event)
                if event.stage in STOP_AT:
                    return await backend.snapshot(workflow_id)
            await asyncio.sleep(0.2)


async def _in_process(request: PipelineRequest, settings: Settings, bars: _Bars) -> PipelineResult:
    from brandtruth.api.service import new_workflow_id

    console.print("[yellow]Temporal is not reachable: running in-process[/]")
    store = FallbackStore(settings.fallback_db)
    orchestrator = FallbackOrchestrator(settings, store)
    workflow_id = new_workflow_id()
    await orchestrator.start(workflow_id, request)
    seq = 0
    try:
        while True:
            result = await orchestrator.result(workflow_id)
            assert result is not None
            for event in [e for e in result.events if e.seq > seq]:
                seq = event.seq
                bars.show(event)
                if event.stage in STOP_AT:
                    return result.model_copy(deep=True)  # shutdown below stops the live run
            await asyncio.sleep(0.1)
    finally:
        await orchestrator.shutdown()
        store.close()


def _export(result: PipelineResult, out: Path, settings: Settings) -> int:
    store = open_artifact_store(settings)
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for vr in result.variants:
        for creative in vr.creatives:
            (out / f"{vr.variant.id}-{creative.format.value}.png").write_bytes(store.read(creative.artifact))
            written += 1
    if result.contact_sheet is not None:
        (out / "contact-sheet.png").write_bytes(store.read(result.contact_sheet))
    (out / "result.json").write_text(result.model_dump_json(indent=2))
    return written


def _summary(result: PipelineResult) -> Table:
    table = Table(title=f"{result.brand_profile.brand_name if result.brand_profile else result.request.url}")
    for col in ("variant", "platform", "angle", "headline", "creatives", "score"):
        table.add_column(col)
    for vr in result.variants:
        v = vr.variant
        score = f"{vr.score.score:.0f} ({vr.score.tier.value})" if vr.score else "—"
        table.add_row(v.id, v.platform.value, v.angle.value, v.headline, str(len(vr.creatives)), score)
    return table


async def run_generate(request: PipelineRequest, out: Path, settings: Settings) -> int:
    with Progress(
        TextColumn("{task.description:>11}"),
        BarColumn(),
        TimeElapsedColumn(),
        TextColumn("[dim]{task.fields[status]}"),
        console=console,
    ) as progress:
        bars = _Bars(progress)
        result = await _via_temporal(request, settings, bars)
        if result is None:
            result = await _in_process(request, settings, bars)
    if result.stage is Stage.FAILED:
        console.print(f"[red]Failed:[/] {result.error}")
        return 1
    written = await asyncio.to_thread(_export, result, out, settings)
    console.print(_summary(result))
    console.print(
        f"Wrote {written} creatives and result.json to [bold]{out}[/]. Run [bold]{result.workflow_id}[/] "
        f"is {result.stage.value}: approve it in the web UI or with POST /workflow/approve/{result.workflow_id}."
    )
    return 0
