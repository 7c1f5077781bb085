"""The `/workflow` routes (contract in docs/DESIGN.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status

from brandtruth.api.auth import require_api_key
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
from brandtruth.models.pipeline import STAGE_PERCENT, ApprovalRequest, PipelineRequest, PipelineResult

ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorResponse, "description": "API key missing or wrong"},
    404: {"model": ErrorResponse, "description": "Unknown workflow id"},
    422: {"model": ErrorResponse, "description": "Invalid input"},
    503: {"model": ErrorResponse, "description": "The run's backend is unreachable"},
}

JSON_ERRORS: dict[int | str, dict[str, object]] = {
    code: {
        "description": str(spec["description"]),
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    }
    for code, spec in ERRORS.items()
}
CONFLICT: dict[str, object] = {"model": ErrorResponse, "description": "The run's state does not allow this now"}

# A live worker takes a task within milliseconds; this long unserved means none is really there.
UNSERVED_SECONDS = 10.0

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
    workers = await service.temporal_workers()
    available = await service.temporal_available()
    queue = service.settings.temporal_task_queue
    message = None
    if not available:
        message = "Using fallback"
    elif workers == 0:
        message = f"No worker polls task queue {queue!r}: runs wait until one starts (`brandtruth worker`)"
    elif (waited := service.unserved_seconds()) > UNSERVED_SECONDS:
        message = f"Tasks on task queue {queue!r} have waited {waited:.0f} s for a worker (all busy, or gone)"
    return HealthResponse(
        temporal_available=available,
        status="degraded" if message else "healthy",
        message=message,
        temporal_host=service.settings.temporal_host,
        task_queue=queue,
        workers=workers,
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
    if not snap.events:  # both backends record "Queued" first; never fail a read on its absence
        return ProgressResponse(
            workflow_id=workflow_id,
            stage=snap.stage,
            progress_percent=STAGE_PERCENT[snap.stage],
            message=snap.stage.value,
            error=snap.error,
            seq=0,
            at=snap.started_at or datetime.now(UTC),
            mode=snap.mode,
        )
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
    # Errors are JSON even here: FastAPI would otherwise document them as text/event-stream.
    responses={
        **JSON_ERRORS,
        200: {
            "description": "Progress events: `id: <seq>` and the progress JSON as data (default `message` events)",
            # Each event as a client parses it: the JSON progress is in `data`, its sequence number in `id`.
            "content": {
                "text/event-stream": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "string"},
                            "event": {"type": "string"},
                            "data": {"type": "string", "contentMediaType": "application/json"},
                            "retry": {"type": "integer"},
                        },
                    }
                }
            },
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
    responses={202: {"model": ApproveResponse, "description": "Queued as a signal"}, 409: CONFLICT},
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


@router.post(
    "/cancel/{workflow_id}",
    response_model=CancelResponse,
    responses={
        202: {"model": CancelResponse, "description": "Cancellation requested; the run has not closed yet"},
        409: CONFLICT,
    },
)
async def cancel(workflow_id: WorkflowId, service: Service, response: Response) -> CancelResponse:
    """Cancel a run that has not ended; in-flight stages are cancelled."""
    if await service.cancel(workflow_id):
        return CancelResponse(workflow_id=workflow_id, status="cancelled")
    response.status_code = status.HTTP_202_ACCEPTED
    return CancelResponse(workflow_id=workflow_id, status="cancelling")
