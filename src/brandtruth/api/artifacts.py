"""`GET /workflow/artifacts/{id}/{path}`: a run's creative, heatmap or contact sheet.

Served through the API from either store rather than redirected to a presigned bucket URL: every
read stays behind the API key (a presigned URL is a bearer token for its lifetime), the browser
only ever talks to the API's origin (no CORS rules on the bucket, and the bucket's endpoint may be
private to the cluster), and the bytes are small PNGs that stream in one or two chunks.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response, StreamingResponse

from brandtruth.api.auth import require_api_key
from brandtruth.api.errors import RunNotFound, Unavailable
from brandtruth.api.schemas import ErrorResponse
from brandtruth.errors import TransientError
from brandtruth.storage import ArtifactStore, UnsafeArtifactPath

router = APIRouter(prefix="/workflow", tags=["workflow"], dependencies=[Depends(require_api_key)])


def _headers(request: Request) -> dict[str, str]:
    # Behind a key, nothing authorised may sit in a cache (a shared proxy's or the browser's).
    cache = "no-store" if request.app.state.settings.api_key else "private, max-age=3600"
    return {"Cache-Control": cache, "X-Content-Type-Options": "nosniff"}


@router.get(
    "/artifacts/{workflow_id}/{path:path}",
    response_class=FileResponse,
    responses={
        200: {"content": {"image/png": {}, "application/json": {}}, "description": "The stored file"},
        401: {"model": ErrorResponse, "description": "API key missing or wrong"},
        404: {"model": ErrorResponse, "description": "No such artifact"},
        503: {"model": ErrorResponse, "description": "The artifact store is unreachable"},
    },
)
async def artifact(
    workflow_id: Annotated[str, "A workflow id: pipeline-<hex>"], path: str, request: Request
) -> Response:
    """A file of a run (creative, heatmap, contact sheet) from the artifact store."""
    store: ArtifactStore = request.app.state.artifacts
    rel = f"{workflow_id}/{path}"
    try:
        local = store.backend.local_path(rel) if store.root is not None else None
        if local is not None:
            # A local file: let Starlette send it (sendfile, ETag, ranges).
            if not local.is_file():
                raise RunNotFound("No such artifact.")
            return FileResponse(local, headers=_headers(request))
        opened = await store.open_stream(rel)
    except UnsafeArtifactPath:
        raise RunNotFound("No such artifact.") from None
    except TransientError as exc:
        raise Unavailable(exc.message) from exc
    if opened is None:
        raise RunNotFound("No such artifact.")
    headers = {**_headers(request), "Content-Length": str(opened.size)}
    return StreamingResponse(opened.chunks, media_type=opened.content_type, headers=headers)
