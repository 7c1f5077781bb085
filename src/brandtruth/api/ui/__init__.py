"""The browser UI: new campaign, live run timeline, review and approval, runs list, ZIP export.

Pages are server-rendered shells; small plain-JavaScript modules fill them from the `/workflow`
JSON API, so the UI has no back end of its own and no build step.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from brandtruth.api.ui.export import router as export_router
from brandtruth.api.ui.gallery import router as gallery_router
from brandtruth.api.ui.pages import STATIC_DIR, STATIC_PREFIX
from brandtruth.api.ui.pages import router as pages_router

__all__ = ["mount_ui"]


def mount_ui(app: FastAPI) -> None:
    """Add the UI pages, their static files and the export route to `app`."""
    app.include_router(export_router)
    app.include_router(gallery_router)
    app.include_router(pages_router)
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIR), name="ui-static")
