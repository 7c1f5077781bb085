"""The web UI's gallery page: every creative of a run beside its layout record, site text as text."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from playwright.async_api import expect

from brandtruth.config import Settings
from brandtruth.models.common import Box
from brandtruth.models.creative import AdFormat
from brandtruth.pipeline.fallback_store import FallbackStore
from brandtruth.storage import ArtifactStore
from tests.api.conftest import serve_api
from tests.api.ui.conftest import UiPage
from tests.api.ui.factories import build_run

HOSTILE = "<img src=x onerror=alert(1)> Fresh bread"


async def _seed(settings: Settings) -> str:
    run = build_run(
        ArtifactStore(settings.artifacts_dir),
        texts={"v1": {"headline": HOSTILE}},
        formats=(AdFormat.SQUARE, AdFormat.STORY, AdFormat.LANDSCAPE),
    )
    for vr in run.variants:
        for creative in vr.creatives:
            creative.layout.layout_template = "stack-bottom-framed"
            creative.layout.logo_kind = "mark+name"
            creative.layout.logo_treatment = "tile"
            creative.layout.cta_color = "#8c3b2a"
            creative.layout.picture_scale = 1.25
            creative.layout.text_treatment = "scrim"
            creative.layout.scrim = True
            creative.layout.scrim_opacity = 0.55
            creative.layout.scrim_box = Box(left=0, top=600, right=820, bottom=1080)
            creative.layout.text_busyness = 4.2
    store = FallbackStore(settings.fallback_db)
    try:
        await store.save(run)
    finally:
        store.close()
    return run.workflow_id


async def test_gallery_shows_every_creative_with_its_record(make_settings: Callable[..., Settings], ui: UiPage) -> None:
    settings = make_settings()
    wid = await _seed(settings)
    page = ui.page
    async with serve_api(settings) as api:
        async with httpx.AsyncClient(base_url=api, timeout=30) as http:
            shell = await http.get(f"/runs/{wid}/gallery")
            assert shell.status_code == 200 and "'unsafe-inline'" not in shell.headers["content-security-policy"]
            assert (await http.get("/runs/not-a-run/gallery")).status_code == 404
        await page.goto(f"{api}/runs/{wid}/gallery")
        await expect(page.locator("#gallery-status")).to_have_text("9 creatives")
        assert await page.locator(".gallery-item").count() == 9
        assert await page.locator('.gallery-row[data-variant="v1"] .gallery-item').count() == 3
        first = page.locator(".gallery-item").first
        await expect(first).to_contain_text("stack-bottom-framed")
        await expect(first).to_contain_text("mark+name (tile)")
        await expect(first).to_contain_text("1.25×")
        await expect(first).to_contain_text("scrim 0.55 over 820×480 px (detail 4.2)")
        # Thumbnails load lazily: bring each into view, then every one must have decoded.
        images = page.locator(".gallery-item img")
        for i in range(await images.count()):
            await images.nth(i).scroll_into_view_if_needed()
        await page.wait_for_function(
            "() => [...document.querySelectorAll('.gallery-item img')].every(i => i.complete && i.naturalWidth > 0)",
            timeout=15_000,
        )
        body = await page.locator("body").inner_text()
        assert HOSTILE in body  # shown as text...
        assert await page.locator("#gallery-rows img[src='x']").count() == 0  # ...never as markup
        await ui.screenshot("gallery-desktop")
    assert ui.dialogs == [] and ui.errors == []


async def test_run_page_links_to_the_gallery_once_creatives_exist(
    make_settings: Callable[..., Settings], ui: UiPage
) -> None:
    settings = make_settings()
    wid = await _seed(settings)
    bare = build_run(ArtifactStore(settings.artifacts_dir), run_id="pipeline-0000000000ff")
    for vr in bare.variants:
        vr.creatives = []  # copy written, nothing composed yet
    store = FallbackStore(settings.fallback_db)
    try:
        await store.save(bare)
    finally:
        store.close()
    page = ui.page
    async with serve_api(settings) as api:
        await page.goto(f"{api}/runs/{bare.workflow_id}")
        await expect(page.locator("#run-title")).not_to_have_text("Loading…")
        await expect(page.locator("#gallery-link")).to_be_hidden()

        await page.goto(f"{api}/runs/{wid}")
        link = page.get_by_role("link", name="Gallery with layout records")
        await expect(link).to_be_visible()
        await expect(link).to_have_attribute("href", f"/runs/{wid}/gallery")
        await expect(link).to_have_attribute("title", "9 creatives side by side with their layout records")
        await link.click()
        await expect(page).to_have_url(f"{api}/runs/{wid}/gallery")
        await expect(page.locator("#gallery-status")).to_have_text("9 creatives")
    assert ui.dialogs == [] and ui.errors == []
