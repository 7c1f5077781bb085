"""The gallery page: every creative of a run side by side with its layout record, for review.

A server-rendered shell like the other pages; `gallery.js` fills it from GET /workflow/result and
sets every piece of site or copy text with `textContent`, so nothing from a website is parsed as HTML.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from brandtruth.api.ui.pages import _WORKFLOW_ID, _page

router = APIRouter(include_in_schema=False)


@router.get("/runs/{workflow_id}/gallery", response_class=HTMLResponse)
async def gallery_page(request: Request, workflow_id: str) -> HTMLResponse:
    """All creatives of one run with fonts, colours, lock-up, template and picture scale."""
    if not _WORKFLOW_ID.fullmatch(workflow_id):
        return _page(request, "not_found.html", "Not found", status_code=404, nav="runs", workflow_id=workflow_id)
    return _page(request, "gallery.html", f"Gallery {workflow_id}", nav="runs", workflow_id=workflow_id)
