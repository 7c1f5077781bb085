"""The "Score an ad" page: upload any creative, see its score, factors, fixes and attention map.

A server-rendered shell like the other pages; `static/score.js` posts the upload to
`POST /workflow/score` and draws the answer.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from brandtruth.api.ui.pages import PLATFORM_LABELS, _page
from brandtruth.models.copy import Platform

router = APIRouter(include_in_schema=False)


@router.get("/score", response_class=HTMLResponse)
async def score_page(request: Request) -> HTMLResponse:
    """Upload a creative and score it."""
    return _page(
        request, "score.html", "Score an ad", nav="score", platforms=[(p.value, PLATFORM_LABELS[p]) for p in Platform]
    )
