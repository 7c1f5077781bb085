"""The FastAPI application: `/workflow` API, artifacts and (when present) the web UI."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from brandtruth import __version__
from brandtruth.api import artifacts
from brandtruth.api.auth import redact_access_log, session_router
from brandtruth.api.check_copy_routes import router as check_copy_router
from brandtruth.api.errors import ApiError
from brandtruth.api.limits import BodySizeLimit
from brandtruth.api.routes import open_router, router
from brandtruth.api.score_routes import router as score_router
from brandtruth.api.service import PipelineService
from brandtruth.api.ui import mount_ui
from brandtruth.config import Settings, get_settings
from brandtruth.storage import open_artifact_store

log = logging.getLogger("brandtruth.api")


def _readable(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":  # its location is a character offset, not a field
            parts.append(f"the request body is not valid JSON ({err.get('ctx', {}).get('error', 'parse error')})")
            continue
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        if not where and err.get("type") in ("model_attributes_type", "dict_type"):
            msg = "the request body must be a JSON object"
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts) or "invalid request"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    service = PipelineService(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await service.startup()
        try:
            yield
        finally:
            await service.shutdown()

    redact_access_log()
    # /docs from Swagger UI assets shipped in a package: it works offline, with no CDN. No /redoc:
    # its bundle fetches a logo from the vendor's CDN.
    app = FastAPIOffline(
        title="BrandTruth",
        version=__version__,
        description="Evidence-backed ad creatives from a brand's website, as a durable Temporal workflow.",
        lifespan=lifespan,
        favicon_url="/ui/static/favicon.svg",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.service = service
    app.state.artifacts = open_artifact_store(settings)
    app.add_middleware(BodySizeLimit)
    app.include_router(open_router)
    app.include_router(session_router)
    app.include_router(router)
    app.include_router(artifacts.router)
    app.include_router(check_copy_router)
    app.include_router(score_router)

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.code, "detail": exc.message}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "invalid", "detail": _readable(exc)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # a body FastAPI could not parse (e.g. not UTF-8): the documented 422
            return JSONResponse({"error": "invalid", "detail": f"body: {exc.detail}"}, status_code=422)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the first route matching the path; a path served by two routes
            # (POST and DELETE /workflow/session) must list both.
            headers["Allow"] = ", ".join(_allowed_methods(app, request))
        return JSONResponse(
            {"error": "http_error", "detail": str(exc.detail)},
            status_code=exc.status_code,
            headers=headers or None,
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("Unhandled error")
        return JSONResponse({"error": "internal_error", "detail": "Unexpected server error; see the API log."}, 500)

    mount_ui(app)
    return app


def _allowed_methods(app: FastAPI, request: Request) -> list[str]:
    methods: set[str] = set()
    for route in app.routes:
        if isinstance(route, APIRoute) and route.path_regex.match(request.url.path):
            methods |= route.methods or set()
    return sorted(methods)
