"""`GET /workflow/export/{id}.zip`: the approved creatives and a manifest, ready for a bulk upload.

A marketer who approved variants wants the files in the ad manager, not in a browser tab. The ZIP
holds every approved creative image plus `manifest.csv` and `manifest.json` (one row per image:
variant, platform, format, file, the copy fields and the score), so the upload sheet can be filled
from the manifest without retyping a headline.

The archive is written to a temporary file in a worker thread (reading and zipping megabytes of
PNG is blocking work) and streamed from there; the file is deleted once the response is sent.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from brandtruth.api.auth import require_api_key
from brandtruth.api.errors import ApiError, Conflict
from brandtruth.api.schemas import ErrorResponse
from brandtruth.api.service import PipelineService
from brandtruth.models.creative import Creative
from brandtruth.models.pipeline import PipelineResult, VariantResult
from brandtruth.storage import ArtifactStore, UnsafeArtifactPath

MANIFEST_FIELDS = (
    "variant_id",
    "platform",
    "format",
    "width",
    "height",
    "file",
    "headline",
    "primary_text",
    "description",
    "cta",
    "destination_url",
    "score",
    "tier",
    "angle",
    "extra_headlines",
    "extra_descriptions",
    "display_path",
)

# Spreadsheet programs run a cell that starts with one of these as a formula (`-2+3+cmd|...` too);
# website text is untrusted, so such cells get a leading apostrophe in the CSV (the JSON keeps the
# raw text). Only a cell that is wholly a signed number is left as it is.
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_SIGNED_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


class ArtifactUnavailable(ApiError):
    """A creative the decision approved is missing from, or altered in, the artifact store."""

    status_code = 500
    code = "artifact_unavailable"


@dataclass(frozen=True)
class ManifestRow:
    """One image of the export with the copy that goes with it."""

    variant_id: str
    platform: str
    format: str
    width: int
    height: int
    file: str
    headline: str
    primary_text: str
    description: str
    cta: str
    destination_url: str
    score: float | None
    tier: str
    angle: str
    extra_headlines: list[str]
    extra_descriptions: list[str]
    display_path: str


def _score_of(vr: VariantResult, creative: Creative) -> tuple[float | None, str]:
    """The creative's own score when it has one, else the variant's."""
    if vr.score is None:
        return None, ""
    for cs in vr.score.creatives:
        if cs.format is creative.format:
            return round(cs.score, 1), cs.tier.value
    return round(vr.score.score, 1), vr.score.tier.value


def export_file_name(vr: VariantResult, creative: Creative) -> str:
    """`images/v1-meta-square.png`: unique per run, safe on every file system."""
    suffix = PurePosixPath(creative.artifact.path).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        suffix = ".png"
    return f"images/{vr.variant.id}-{vr.variant.platform.value}-{creative.format.value}{suffix}"


def _approved(result: PipelineResult) -> list[tuple[ManifestRow, Creative]]:
    if result.decision is None:
        if result.stage.is_terminal:  # cancelled, failed or expired: no decision can come any more
            raise Conflict(
                f"This run is {result.stage.value} without a decision, so it can never be exported; "
                "start a new campaign to get creatives you can approve."
            )
        raise Conflict("This run has no decision yet; approve variants before exporting.")
    approved = set(result.decision.approved_ids)
    out: list[tuple[ManifestRow, Creative]] = []
    used: set[str] = set()
    for vr in result.variants:
        if vr.variant.id not in approved:
            continue
        v = vr.variant
        for creative in vr.creatives:
            score, tier = _score_of(vr, creative)
            file = export_file_name(vr, creative)
            stem, dot, ext = file.rpartition(".")
            n = 2
            while file in used:  # two creatives of one format: keep both
                file, n = f"{stem}-{n}{dot}{ext}", n + 1
            used.add(file)
            row = ManifestRow(
                variant_id=v.id,
                platform=v.platform.value,
                format=creative.format.value,
                width=creative.width,
                height=creative.height,
                file=file,
                headline=v.headline,
                primary_text=v.primary_text,
                description=v.description,
                cta=v.cta,
                destination_url=result.request.url,
                score=score,
                tier=tier,
                angle=v.angle.value,
                extra_headlines=list(v.headlines),
                extra_descriptions=list(v.descriptions),
                display_path="/".join(p for p in (v.path1, v.path2) if p),
            )
            out.append((row, creative))
    return out


def manifest_rows(result: PipelineResult) -> list[ManifestRow]:
    """One row per approved creative, in variant then format order; Conflict without a decision."""
    return [row for row, _ in _approved(result)]


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " | ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if _FORMULA_START.match(text) and not _SIGNED_NUMBER.match(text) else text


def manifest_csv(rows: list[ManifestRow]) -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs show non-ASCII copy correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MANIFEST_FIELDS)
    for row in rows:
        data = asdict(row)
        writer.writerow([_csv_cell(data[name]) for name in MANIFEST_FIELDS])
    return out.getvalue().encode("utf-8-sig")


def manifest_json(result: PipelineResult, rows: list[ManifestRow]) -> bytes:
    decision = result.decision
    doc = {
        "workflow_id": result.workflow_id,
        "brand_name": result.brand_profile.brand_name if result.brand_profile else "",
        "source_url": result.request.url,
        "objective": result.request.objective,
        "approved_ids": decision.approved_ids if decision else [],
        "rejected_ids": decision.rejected_ids if decision else [],
        "comment": decision.comment if decision else None,
        "decided_at": decision.decided_at.isoformat() if decision else None,
        "fields": list(MANIFEST_FIELDS),
        "creatives": [asdict(r) for r in rows],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def _verified_bytes(store: ArtifactStore, creative: Creative) -> bytes:
    path = creative.artifact.path
    try:
        data = store.read(creative.artifact)
    except (FileNotFoundError, UnsafeArtifactPath):
        raise ArtifactUnavailable(f"Creative {path} is missing from the artifact store.") from None
    if hashlib.sha256(data).hexdigest() != creative.artifact.sha256:
        raise ArtifactUnavailable(f"Creative {path} changed on disk since it was composed; refusing to export it.")
    return data


def write_export(result: PipelineResult, store: ArtifactStore, target: Path) -> list[ManifestRow]:
    """Write the export ZIP to `target` (blocking: run it in a thread); returns its manifest rows.

    Raises Conflict when there is no decision or nothing was approved, and ArtifactUnavailable when
    an approved image is missing or does not match the sha256 recorded when it was composed.
    """
    pairs = _approved(result)
    if not pairs:
        raise Conflict("No variant was approved in this run, so there is nothing to export.")
    rows = [row for row, _ in pairs]
    with zipfile.ZipFile(target, "w") as zf:
        for row, creative in pairs:
            # PNG is already compressed: store it as is.
            zf.writestr(row.file, _verified_bytes(store, creative), compress_type=zipfile.ZIP_STORED)
        zf.writestr("manifest.csv", manifest_csv(rows), compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("manifest.json", manifest_json(result, rows), compress_type=zipfile.ZIP_DEFLATED)
    return rows


def _download_name(result: PipelineResult) -> str:
    brand = result.brand_profile.brand_name if result.brand_profile else ""
    slug = re.sub(r"[^a-z0-9]+", "-", brand.lower()).strip("-")[:40]
    return f"{slug + '-' if slug else ''}{result.workflow_id}.zip"


def _build_to_tempfile(result: PipelineResult, store: ArtifactStore) -> Path:
    fd, name = tempfile.mkstemp(prefix="brandtruth-export-", suffix=".zip")
    os.close(fd)
    path = Path(name)
    try:
        write_export(result, store, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


router = APIRouter(prefix="/workflow", tags=["workflow"], dependencies=[Depends(require_api_key)])


def _service(request: Request) -> PipelineService:
    svc: PipelineService = request.app.state.service
    return svc


@router.get(
    "/export/{workflow_id}.zip",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/zip": {}}, "description": "Approved creatives plus manifest.csv/json"},
        401: {"model": ErrorResponse, "description": "API key missing or wrong"},
        404: {"model": ErrorResponse, "description": "Unknown workflow id"},
        409: {"model": ErrorResponse, "description": "No decision yet, or nothing approved"},
    },
)
async def export_zip(
    workflow_id: str, request: Request, service: Annotated[PipelineService, Depends(_service)]
) -> FileResponse:
    """The approved creatives of a decided run as a ZIP for bulk upload."""
    result = await service.snapshot(workflow_id)
    store: ArtifactStore = request.app.state.artifacts
    path = await asyncio.to_thread(_build_to_tempfile, result, store)
    return FileResponse(
        path,
        media_type="application/zip",
        filename=_download_name(result),
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
