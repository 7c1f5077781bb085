"""HTML pages of the UI: shells rendered on the server, filled in the browser from the JSON API.

The pages carry no run data of their own (that needs the API key, which only the browser holds),
just the layout, the form options and a JSON config block. Every page is sent with a strict
Content-Security-Policy (scripts and styles from this origin only, no inline script), a second
line of defence behind escaping for the website text the pages display.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from brandtruth import __version__
from brandtruth.config import Settings
from brandtruth.models.copy import Platform
from brandtruth.models.creative import FORMAT_SIZES, AdFormat
from brandtruth.models.pipeline import STAGE_PERCENT, Stage

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
STATIC_PREFIX = "/ui/static"

_WORKFLOW_ID = re.compile(r"pipeline-[0-9a-f]{1,64}")

PLATFORM_LABELS: dict[Platform, str] = {
    Platform.META: "Meta (Facebook & Instagram)",
    Platform.GOOGLE_RSA: "Google responsive search",
    Platform.LINKEDIN: "LinkedIn",
    Platform.TIKTOK: "TikTok",
}
FORMAT_SHORT: dict[AdFormat, str] = {
    AdFormat.SQUARE: "Square",
    AdFormat.PORTRAIT: "Portrait",
    AdFormat.STORY: "Story",
    AdFormat.LANDSCAPE: "Landscape",
}
FORMAT_LABELS: dict[AdFormat, str] = {
    AdFormat.SQUARE: "Square feed",
    AdFormat.PORTRAIT: "Portrait feed",
    AdFormat.STORY: "Story / Reels",
    AdFormat.LANDSCAPE: "Landscape link",
}
OBJECTIVES: dict[str, str] = {
    "conversions": "Conversions (sales, sign-ups)",
    "leads": "Leads (demos, enquiries)",
    "traffic": "Traffic (site visits)",
    "awareness": "Awareness (reach)",
}
STAGE_LABELS: dict[Stage, str] = {
    Stage.PENDING: "Queued",
    Stage.EXTRACTING: "Reading the website",
    Stage.GENERATING: "Writing copy",
    Stage.MATCHING: "Choosing images",
    Stage.COMPOSING: "Composing creatives",
    Stage.SCORING: "Predicting performance",
    Stage.AWAITING_APPROVAL: "Awaiting your approval",
    Stage.COMPLETED: "Completed",
    Stage.FAILED: "Failed",
    Stage.CANCELLED: "Cancelled",
    Stage.EXPIRED: "Expired",
}

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
)

router = APIRouter(include_in_schema=False)


def ui_config(settings: Settings) -> dict[str, Any]:
    """What the scripts need to know that is not in the API's answers (labels, order, auth)."""
    return {
        "version": __version__,
        "authRequired": bool(settings.api_key),
        "stages": [
            {"id": s.value, "label": STAGE_LABELS[s], "percent": STAGE_PERCENT[s]}
            for s in Stage
            if s not in (Stage.FAILED, Stage.CANCELLED, Stage.EXPIRED)
        ],
        "stageLabels": {s.value: label for s, label in STAGE_LABELS.items()},
        "platforms": {p.value: label for p, label in PLATFORM_LABELS.items()},
        "formats": {
            f.value: {"label": FORMAT_LABELS[f], "short": FORMAT_SHORT[f], "size": list(FORMAT_SIZES[f])}
            for f in AdFormat
        },
        "formatOrder": [f.value for f in AdFormat],  # tojson sorts object keys, so order goes in a list
    }


def _page(request: Request, template: str, title: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    response = templates.TemplateResponse(
        request,
        template,
        {
            "title": title,
            "version": __version__,
            "static": STATIC_PREFIX,
            "config": ui_config(settings),
            **context,
        },
        status_code=status_code,
        headers=SECURITY_HEADERS,
    )
    return response


@router.get("/", response_class=HTMLResponse)
async def new_campaign(request: Request) -> HTMLResponse:
    """The new-campaign form."""
    return _page(
        request,
        "new.html",
        "New campaign",
        nav="new",
        platforms=[(p.value, PLATFORM_LABELS[p]) for p in Platform],
        formats=[(f.value, FORMAT_LABELS[f], FORMAT_SIZES[f]) for f in AdFormat],
        objectives=list(OBJECTIVES.items()),
    )


@router.get("/runs", response_class=HTMLResponse)
async def runs_list(request: Request) -> HTMLResponse:
    """Recent runs (filled from GET /workflow/runs)."""
    return _page(request, "runs.html", "Campaigns", nav="runs")


@router.get("/runs/{workflow_id}", response_class=HTMLResponse)
async def run_page(request: Request, workflow_id: str) -> HTMLResponse:
    """One run: live timeline, then review and approval (filled from the stream and result)."""
    if not _WORKFLOW_ID.fullmatch(workflow_id):
        return _page(request, "not_found.html", "Not found", status_code=404, nav="runs", workflow_id=workflow_id)
    return _page(request, "run.html", f"Run {workflow_id}", nav="runs", workflow_id=workflow_id)
