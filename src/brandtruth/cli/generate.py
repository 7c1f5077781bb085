"""`brandtruth generate`: one run from the terminal, with a live progress bar per stage.

By default the run stops at the human approval step: the creatives are written to OUT and the closing
message says where to approve (the web UI's run page, or the API). `--approve v1,v2` decides at once,
so the run completes in the same command; `--no-wait` (Temporal only) starts the run and returns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from brandtruth.api.errors import ApiError
from brandtruth.config import Settings
from brandtruth.models.common import ArtifactRef
from brandtruth.models.pipeline import ApprovalRequest, PipelineRequest, PipelineResult, ProgressEvent, Stage
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


@dataclass(frozen=True)
class Plan:
    """What the command does once the creatives are ready."""

    out: Path
    approve: list[str] | None = None  # decide at once (an empty list rejects all); None: leave it awaiting
    wait: bool = True  # False: start the run and return (Temporal only)


class GenerateRefused(Exception):
    """A choice the command cannot carry out (e.g. approving ids the run does not have)."""


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


def settings_for(request: PipelineRequest, settings: Settings) -> Settings:
    """The bundled sample site (127.0.0.1/localhost on BRANDTRUTH_SAMPLE_SITE_PORT) is always allowed."""
    parts = urlsplit(request.url)
    if parts.hostname not in ("127.0.0.1", "localhost") or parts.port != settings.sample_site_port:
        return settings
    own = f"{parts.hostname}:{parts.port}"
    if own in settings.allowed_hosts:
        return settings
    return settings.model_copy(update={"allowed_hosts": [*settings.allowed_hosts, own]})


def _checked_ids(result: PipelineResult, ids: list[str]) -> ApprovalRequest:
    known = [vr.variant.id for vr in result.variants]
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise GenerateRefused(f"--approve names {', '.join(unknown)}, but this run has {', '.join(known) or 'none'}.")
    return ApprovalRequest(variant_ids=ids, comment="approved from the command line")


async def _follow(
    read: Callable[[int], Awaitable[list[ProgressEvent]]],
    snapshot: Callable[[], Awaitable[PipelineResult]],
    approve: Callable[[ApprovalRequest], Awaitable[object]],
    bars: _Bars,
    plan: Plan,
    every: float,
) -> PipelineResult:
    """Show events until the run awaits approval (deciding then if asked to) or ends."""
    seq = 0
    decided = False
    while True:
        for event in await read(seq):
            seq = event.seq
            bars.show(event)
            if event.stage.is_terminal:
                return await snapshot()
            if event.stage is Stage.AWAITING_APPROVAL:
                if plan.approve is None:
                    return await snapshot()
                if not decided:
                    await approve(_checked_ids(await snapshot(), plan.approve))
                    decided = True
        await asyncio.sleep(every)


async def _via_temporal(
    request: PipelineRequest, settings: Settings, bars: _Bars, plan: Plan
) -> PipelineResult | str | None:
    """Run through Temporal with an in-process worker; the run id alone when not waiting; None if unreachable."""
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
    if not plan.wait:
        await backend.start(workflow_id, request)
        return workflow_id
    async with build_worker(client, settings):
        await backend.start(workflow_id, request)
        return await _follow(
            lambda seq: backend.events_since(workflow_id, seq),
            lambda: backend.snapshot(workflow_id),
            lambda decision: backend.approve(workflow_id, decision),
            bars,
            plan,
            every=0.2,
        )


async def _in_process(request: PipelineRequest, settings: Settings, bars: _Bars, plan: Plan) -> PipelineResult:
    from brandtruth.api.service import new_workflow_id

    console.print("[yellow]Temporal is not reachable: running in-process[/]")
    store = FallbackStore(settings.fallback_db)
    orchestrator = FallbackOrchestrator(settings, store)
    workflow_id = new_workflow_id()

    async def snapshot() -> PipelineResult:
        result = await orchestrator.snapshot(workflow_id)
        assert result is not None
        return result.model_copy(deep=True)

    async def read(seq: int) -> list[ProgressEvent]:
        return [e for e in (await snapshot()).events if e.seq > seq]

    await orchestrator.start(workflow_id, request)
    try:
        # An in-process run that is left awaiting approval is stored as such: the API can approve it later.
        return await _follow(
            read, snapshot, lambda decision: orchestrator.approve(workflow_id, decision), bars, plan, every=0.1
        )
    finally:
        await orchestrator.shutdown()
        store.close()


def _flat_name(result: PipelineResult, ref: ArtifactRef) -> str:
    """Creatives keep their short names (v1-square.png); other files their place in the store."""
    for vr in result.variants:
        for creative in vr.creatives:
            if creative.artifact.path == ref.path:
                return f"{vr.variant.id}-{creative.format.value}.png"
    if result.contact_sheet is not None and result.contact_sheet.path == ref.path:
        return "contact-sheet.png"
    parts = PurePosixPath(ref.path).parts
    return "/".join(parts[1:] if parts and parts[0] == result.workflow_id else parts)


def _export(result: PipelineResult, out: Path, settings: Settings) -> int:
    """Copy every file the result refers to into OUT; result.json's `url`s name those copies."""
    store = open_artifact_store(settings)
    out.mkdir(parents=True, exist_ok=True)
    local = result.model_copy(deep=True)
    written = 0
    for ref in _artifact_refs(local):
        name = _flat_name(result, ref)
        target = out / name
        if not store.exists(ref.path):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(store.read(ref))
        ref.url = name
        written += 1
    (out / "result.json").write_text(local.model_dump_json(indent=2))
    return written


def _artifact_refs(model: object) -> list[ArtifactRef]:
    """Every ArtifactRef inside a model, however deep."""
    found: list[ArtifactRef] = []
    stack: list[object] = [model]
    while stack:
        item = stack.pop()
        if isinstance(item, ArtifactRef):
            found.append(item)
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, BaseModel):
            stack.extend(getattr(item, name) for name in type(item).model_fields)
    return found


def _summary(result: PipelineResult) -> Table:
    table = Table(title=f"{result.brand_profile.brand_name if result.brand_profile else result.request.url}")
    for col in ("variant", "platform", "angle", "headline", "creatives", "score"):
        table.add_column(col)
    for vr in result.variants:
        v = vr.variant
        score = f"{vr.score.score:.0f} ({vr.score.tier.value})" if vr.score else "—"
        table.add_row(v.id, v.platform.value, v.angle.value, v.headline, str(len(vr.creatives)), score)
    return table


def api_base(settings: Settings) -> str:
    host = settings.api_host if settings.api_host not in ("0.0.0.0", "::", "") else "localhost"
    return f"http://{host}:{settings.api_port}"


def _closing(result: PipelineResult, out: Path, written: int, settings: Settings) -> str:
    wid = result.workflow_id
    where = f"Wrote {written} files and result.json to [bold]{out}[/]."
    if result.stage is Stage.AWAITING_APPROVAL:
        base = api_base(settings)
        hours = result.request.approval_timeout_hours
        return (
            f"{where}\nRun [bold]{wid}[/] awaits your approval (it expires in {hours:g} h): open "
            f"[bold]{base}/runs/{wid}[/] (start the API with `brandtruth up`), or\n"
            f"  curl -X POST {base}/workflow/approve/{wid} -H 'Content-Type: application/json' "
            f"""-d '{{"variant_ids": ["v1"]}}'\n"""
            "Next time, `--approve v1,v2` decides in the same command."
        )
    decision = result.decision
    if result.stage is Stage.COMPLETED and decision is not None:
        approved = ", ".join(decision.approved_ids) or "none (all rejected)"
        return f"{where}\nRun [bold]{wid}[/] is completed. Approved: {approved}."
    return f"{where}\nRun [bold]{wid}[/] is {result.stage.value}."


async def run_generate(request: PipelineRequest, plan: Plan, settings: Settings) -> int:
    settings = settings_for(request, settings)
    try:
        with Progress(
            TextColumn("{task.description:>11}"),
            BarColumn(),
            TimeElapsedColumn(),
            TextColumn("[dim]{task.fields[status]}"),
            console=console,
        ) as progress:
            bars = _Bars(progress)
            outcome = await _via_temporal(request, settings, bars, plan)
            if isinstance(outcome, str):
                base = api_base(settings)
                console.print(
                    f"Started [bold]{outcome}[/]. Follow it at {base}/runs/{outcome} (workers must be running)."
                )
                return 0
            if outcome is None and not plan.wait:
                console.print(
                    "[red]--no-wait needs Temporal[/] (TEMPORAL_HOST): an in-process run ends with this command."
                )
                return 2
            result = outcome if outcome is not None else await _in_process(request, settings, bars, plan)
    except GenerateRefused as exc:
        console.print(f"[red]{exc}[/]")
        return 2
    except ApiError as exc:  # the decision was refused (e.g. unknown variant ids)
        console.print(f"[red]Approval refused:[/] {exc.message}")
        return 2
    if result.stage is Stage.FAILED:
        console.print(f"[red]Failed:[/] {result.error}")
        return 1
    written = await asyncio.to_thread(_export, result, plan.out, settings)
    console.print(_summary(result))
    console.print(_closing(result, plan.out, written, settings))
    return 0
