"""`POST /workflow/score`: score any creative file (multipart upload), as `brandtruth score` does.

Status codes: 200 scored; 401 API key missing or wrong; 413 upload over 25 MB; 422 the upload
is not a scorable image (not an image, SVG, decompression bomb, under 100 px or over 40 MP) or
a field is invalid (platform, profile JSON, brand URL refused by the SSRF guard).
"""

from __future__ import annotations

import asyncio
import base64
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import Field, ValidationError

from brandtruth.api.auth import require_api_key
from brandtruth.api.errors import Invalid
from brandtruth.api.schemas import ErrorResponse
from brandtruth.api.ui.score_page import router as score_page_router
from brandtruth.config import Settings
from brandtruth.errors import BadInputError
from brandtruth.models.brand import BrandProfile
from brandtruth.models.score import ImageScore
from brandtruth.platforms import parse_platform

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
#: Scoring is CPU work on a shared box: at most this many at once per API process.
_slots = asyncio.Semaphore(2)

api_router = APIRouter(
    prefix="/workflow",
    tags=["score"],
    dependencies=[Depends(require_api_key)],
    responses={
        401: {"model": ErrorResponse, "description": "API key missing or wrong"},
        413: {"model": ErrorResponse, "description": "Upload larger than 25 MB"},
        422: {"model": ErrorResponse, "description": "Not a scorable image, or an invalid field"},
    },
)


class ScoreResponse(ImageScore):
    heatmap: str | None = Field(None, description="The attention map as a data: URL (PNG), when asked for")


def _profile(raw: str | None) -> BrandProfile | None:
    if not raw or not raw.strip():
        return None
    try:
        return BrandProfile.model_validate_json(raw)
    except ValidationError as exc:
        raise Invalid(f"profile: not a brand profile JSON ({exc.errors()[0]['msg']})") from None


async def _profile_from_url(url: str, settings: Settings) -> BrandProfile:
    from brandtruth.stages.context import StageContext
    from brandtruth.stages.extract.stage import extract_brand
    from brandtruth.storage import ArtifactStore
    from brandtruth.web.guard import SSRFGuard

    try:
        SSRFGuard(settings.allowed_hosts).check_url(url)
        ctx = StageContext(
            run_id=f"score-{secrets.token_hex(6)}", settings=settings, store=ArtifactStore(settings.artifacts_dir)
        )
        return await extract_brand(url, ctx)
    except BadInputError as exc:
        raise Invalid(f"brand_url: {exc.message}") from None


@api_router.post("/score", response_model=ScoreResponse)
async def score_creative(
    request: Request,
    image: Annotated[UploadFile, File(description="The creative: PNG, JPEG, WebP, GIF or BMP")],
    headline: Annotated[str, Form()] = "",
    primary_text: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    cta: Annotated[str, Form()] = "",
    platform: Annotated[str, Form(description="meta, google_rsa, linkedin or tiktok")] = "meta",
    profile: Annotated[str | None, Form(description="A brand profile as JSON (palette, logo, name)")] = None,
    brand_url: Annotated[str | None, Form(description="Read the brand from its website instead")] = None,
    include_heatmap: Annotated[bool, Form()] = False,
) -> ScoreResponse:
    """Score an ad made anywhere: text, CTA and logo are found on the pixels."""
    from brandtruth.stages.score.image_score import AdCopy, BrandContext, decode_creative, score_image
    from brandtruth.stages.score.model import load_active_model

    settings: Settings = request.app.state.settings
    data = await image.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid(f"image: larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    try:
        plat = parse_platform(platform)
    except BadInputError as exc:
        raise Invalid(f"platform: {exc.message}") from None
    prof = _profile(profile)
    if brand_url and brand_url.strip():
        if prof is not None:
            raise Invalid("give either profile or brand_url, not both")
        prof = await _profile_from_url(brand_url.strip(), settings)
    copy = AdCopy(headline=headline, primary_text=primary_text, description=description, cta=cta, platform=plat)
    name = image.filename or "upload"

    def work() -> ScoreResponse:
        brand = BrandContext.from_profile(prof, [settings.artifacts_dir]) if prof is not None else BrandContext()
        result = score_image(decode_creative(data, name), load_active_model(settings), copy=copy, brand=brand)
        heat = None
        if include_heatmap:
            heat = "data:image/png;base64," + base64.b64encode(result.heatmap()).decode("ascii")
        return ScoreResponse(**result.score.model_dump(), heatmap=heat)

    async with _slots:
        try:
            return await asyncio.to_thread(work)
        except BadInputError as exc:
            raise Invalid(f"image: {exc.message}") from None


#: What app.py includes: the API route and the "Score an ad" page.
router = APIRouter()
router.include_router(api_router)
router.include_router(score_page_router)
