"""`POST /workflow/check-copy`: the truth gate on a marketer's own lines, against a run or a profile.

Body: `{"workflow_id": "pipeline-…"}` (the run's extracted profile) or `{"profile": {…}}` (a
BrandProfile), plus `"texts": [...]` (1–1,000 lines of at most 2,000 characters, no control
characters). Answer: one verdict per line, in input order. 404 unknown run, 409 a run whose profile
is not extracted yet, 413 a body over 4 MiB, 422 bad input (both or neither source, an empty/over-long line, a profile
that does not validate).
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from brandtruth.api.auth import require_api_key
from brandtruth.api.errors import Conflict, Invalid
from brandtruth.api.routes import ERRORS, service_of
from brandtruth.api.schemas import ErrorResponse
from brandtruth.api.service import PipelineService
from brandtruth.config import Settings
from brandtruth.models.brand import BrandProfile
from brandtruth.stages.copy.grounding import SupportIndex
from brandtruth.stages.copy.verdict import MAX_LINE_CHARS, LineVerdict, check_lines

MAX_TEXTS = 1000


class _Lines(BaseModel):
    model_config = {"extra": "forbid"}

    texts: list[Annotated[str, Field(max_length=MAX_LINE_CHARS)]] = Field(
        min_length=1,
        max_length=MAX_TEXTS,
        description="Ad lines to check, one verdict each, in order; a line that cannot be checked (empty, "
        "control characters) gets the verdict 'error' with the reason, and the others are still checked",
    )


class CheckCopyByRun(_Lines):
    workflow_id: str = Field(description="A run whose extracted brand profile to check against")


class CheckCopyByProfile(_Lines):
    profile: BrandProfile = Field(description="A brand profile to check against (instead of a run)")


# Exactly one source, said in the schema itself (anyOf of two closed objects), so a client or a
# fuzzer reading the OpenAPI document knows what is accepted.
CheckCopyRequest = CheckCopyByRun | CheckCopyByProfile
_STRICT_REQUEST: TypeAdapter[CheckCopyRequest] = TypeAdapter(CheckCopyRequest)


class CheckCopyResponse(BaseModel):
    profile_url: str
    brand_name: str
    all_supported: bool
    results: list[LineVerdict]


router = APIRouter(
    prefix="/workflow",
    tags=["workflow"],
    dependencies=[Depends(require_api_key)],
    responses={
        **ERRORS,
        409: {"model": ErrorResponse, "description": "The run has no brand profile yet"},
        413: {"model": ErrorResponse, "description": "Request body larger than 4 MiB"},
    },
)


@router.post("/check-copy", response_model=CheckCopyResponse, response_model_by_alias=True)
async def check_copy(
    body: CheckCopyRequest, request: Request, service: Annotated[PipelineService, Depends(service_of)]
) -> CheckCopyResponse:
    """Judge ad lines against a brand's evidence: supported, unsupported or blocked, with reasons."""
    try:
        # Again, strictly: a profile is evidence, so "0.9" for a number is a wrong profile, not a coercion.
        body = _STRICT_REQUEST.validate_json(await request.body(), strict=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"][1:]) or "body"
        raise Invalid(f"{where}: {first['msg']}") from None
    if isinstance(body, CheckCopyByProfile):
        profile = body.profile
    else:
        result = await service.snapshot(body.workflow_id)
        if result.brand_profile is None:
            raise Conflict(f"Run {body.workflow_id!r} has no extracted brand profile yet (stage {result.stage}).")
        profile = result.brand_profile
    settings: Settings = request.app.state.settings
    verdicts = await asyncio.to_thread(_judge, profile, body.texts, settings.allow_high_risk_claims)
    return CheckCopyResponse(
        profile_url=profile.url,
        brand_name=profile.brand_name,
        all_supported=all(v.verdict == "supported" for v in verdicts),
        results=verdicts,
    )


def _judge(profile: BrandProfile, texts: list[str], allow_high_risk: bool) -> list[LineVerdict]:
    return check_lines(SupportIndex(profile, allow_high_risk), texts)
