"""The API docs render from assets the package ships: no request leaves the API's own origin."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Request, expect

from brandtruth.config import Settings
from tests.api.conftest import serve_api
from tests.api.ui.conftest import UiPage

pytestmark = pytest.mark.browser


async def test_docs_render_with_no_request_to_another_host(make_settings: Callable[..., Settings], ui: UiPage) -> None:
    page = ui.page
    requested: list[str] = []

    def on_request(request: Request) -> None:
        requested.append(request.url)

    page.on("request", on_request)
    async with serve_api(make_settings()) as api:
        await page.goto(api + "/docs")
        # Swagger UI drew the operations from /openapi.json (the spec's routes are there).
        await expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
        await expect(page.locator(".swagger-ui")).to_contain_text("/workflow/stream/{workflow_id}")
        await expect(page.locator(".swagger-ui")).to_contain_text("/workflow/start")
    own = urlsplit(api).netloc
    foreign = [u for u in requested if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != own]
    assert foreign == [], foreign
    assert any(u.endswith(".js") for u in requested)  # the assets were really loaded, from here
    assert ui.errors == []
