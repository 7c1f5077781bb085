"""The `/workflow` routes (contract in docs/DESIGN.md)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from fastapi.responses import FileResponse

from brandtruth.api.auth import require_api_key
from brandtruth.api.errors import RunNotFound
from brandtruth.api.schemas import (
    ApproveResponse,
    CancelResponse,
    ErrorResponse,
    HealthResponse,
    ProgressResponse,
    RunSummary,
    StartResponse,
)
from brandtruth.api.service import PipelineService
from brandtruth.api.sse import open_stream, resume_point
from brandtruth.api.url_checks import check_start_url
from brandtruth.models.pipeline import ApprovalRequest, PipelineRequest, PipelineResult
from brandtruth.storage import ArtifactStore, UnsafeArtifactPath

ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorResponse, "description": "API key missing or wrong"},
    404: {"model": ErrorResponse, "description": "Unknown workflow id"},
    422: {"model": ErrorResponse, "description": "Invalid input"},
    503: {"model": ErrorResponse, "description": "The run's backend is unreachable"},
}

open_router = APIRouter(prefix="/workflow", tags=["workflow"])
router = APIRouter(prefix="/workflow", tags=["workflow"], dependencies=[Depends(require_api_key)], responses=ERRORS)

WorkflowId = Annotated[str, "A workflow id: pipeline-<hex>"]


def service_of(request: Request) -> PipelineService:
    svc: PipelineService = request.app.state.service
    return svc


Service = Annotated[PipelineService, Depends(service_of)]


@open_router.get("/health", response_model=HealthResponse)
async def health(service: Service) -> HealthResponse:
    """Whether runs go through Temporal or the in-process fallback."""
    available = await service.temporal_available()
    return HealthResponse(
        temporal_available=available,
        status="healthy" if available else "degraded",
        message=None if available else "Using fallback",
        temporal_host=service.settings.temporal_host,
        task_queue=service.settings.temporal_task_queue,
    )


@router.post("/start", response_model=StartResponse, status_code=status.HTTP_200_OK)
async def start(body: PipelineRequest, service: Service) -> StartResponse:
    """Start a pipeline for a brand's URL."""
    check_start_url(body.url, service.settings.allowed_hosts)  # DNS-based checks run in extract
    workflow_id, mode = await service.start(body)
    return StartResponse(workflow_id=workflow_id, mode=mode)


@router.get("/runs", response_model=list[RunSummary])
async def runs(service: Service, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[RunSummary]:
    """Recent runs, newest first, from Temporal's visibility store and the fallback store."""
    return await service.recent(limit)


@router.get("/progress/{workflow_id}", response_model=ProgressResponse)
async def progress(workflow_id: WorkflowId, service: Service) -> ProgressResponse:
    """The latest progress event of a run."""
    snap = await service.snapshot(workflow_id)
    last = snap.events[-1]
    return ProgressResponse(
        workflow_id=workflow_id,
        stage=last.stage,
        progress_percent=last.progress_percent,
        message=last.message,
        error=snap.error,
        seq=last.seq,
        at=last.at,
        mode=snap.mode,
    )


@router.get(
    "/stream/{workflow_id}",
    response_class=Response,
    responses={
        200: {
            "description": "Progress events: `id: <seq>` and the progress JSON as data (default `message` events)",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
        204: {"description": "The run has ended and the client has its last event: stop reconnecting"},
    },
)
async def stream(
    workflow_id: WorkflowId,
    service: Service,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    after: Annotated[int | None, Query(ge=0, description="Resume after this event id")] = None,
) -> Response:
    """Live progress as Server-Sent Events; `Last-Event-ID` resumes without gaps or repeats."""
    return await open_stream(service, workflow_id, resume_point(last_event_id, after))


@router.get("/result/{workflow_id}", response_model=PipelineResult)
async def result(workflow_id: WorkflowId, service: Service) -> PipelineResult:
    """Everything done so far; never waits for the run to finish."""
    return await service.snapshot(workflow_id)


@router.post(
    "/approve/{workflow_id}",
    response_model=ApproveResponse,
    responses={202: {"model": ApproveResponse, "description": "Queued as a signal"}, 409: ERRORS[404]},
)
async def approve(
    workflow_id: WorkflowId, body: ApprovalRequest, service: Service, response: Response
) -> ApproveResponse:
    """Approve the listed variants (all others are rejected)."""
    decision = await service.approve(workflow_id, body)
    if decision is None:
        response.status_code = status.HTTP_202_ACCEPTED
        return ApproveResponse(
            workflow_id=workflow_id,
            status="queued",
            message="No worker answered in time; the approval was sent as a signal and applies when one does.",
        )
    return ApproveResponse(
        workflow_id=workflow_id,
        status="approved" if decision.approved_ids else "rejected",
        approved_ids=decision.approved_ids,
        rejected_ids=decision.rejected_ids,
        decision=decision,
    )


@router.post("/cancel/{workflow_id}", response_model=CancelResponse, responses={409: ERRORS[404]})
async def cancel(workflow_id: WorkflowId, service: Service) -> CancelResponse:
    """Cancel a run that has not ended; in-flight stages are cancelled."""
    await service.cancel(workflow_id)
    return CancelResponse(workflow_id=workflow_id)


@router.get("/artifacts/{workflow_id}/{path:path}", response_class=FileResponse)
async def artifact(workflow_id: WorkflowId, path: str, request: Request) -> FileResponse:
    """A file of a run (creative, heatmap, contact sheet) from the artifact store."""
    store: ArtifactStore = request.app.state.artifacts
    try:
        file = store.path_of(f"{workflow_id}/{path}")
    except UnsafeArtifactPath:
        raise RunNotFound("No such artifact.") from None
    if not await asyncio.to_thread(file.is_file):
        raise RunNotFound("No such artifact.")
    # Behind a key, nothing authorised may sit in a cache (a shared proxy's or the browser's).
    cache = "no-store" if request.app.state.settings.api_key else "private, max-age=3600"
    return FileResponse(file, headers={"Cache-Control": cache, "X-Content-Type-Options": "nosniff"})
