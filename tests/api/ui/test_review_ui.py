"""The run page and the campaigns list as a reviewer uses them, in Chromium, on stored runs."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.async_api import FloatRect, Page, expect

from brandtruth.config import Settings
from brandtruth.models.creative import AdFormat
from brandtruth.pipeline.fallback_store import FallbackStore
from brandtruth.storage import ArtifactStore
from tests.api.conftest import serve_api
from tests.api.ui.conftest import PHONE, UiPage
from tests.api.ui.factories import build_run
from tests.api.ui.test_browser import all_images_loaded

pytestmark = pytest.mark.browser

ALL_FORMATS = (AdFormat.SQUARE, AdFormat.PORTRAIT, AdFormat.STORY, AdFormat.LANDSCAPE)


async def _seed(settings: Settings, count: int = 1, **kwargs: object) -> list[str]:
    store = FallbackStore(settings.fallback_db)
    artifacts = ArtifactStore(settings.artifacts_dir)
    ids = []
    try:
        for n in range(count):
            run = build_run(artifacts, run_id=f"pipeline-{n:012x}", **kwargs)  # type: ignore[arg-type]
            if count > 1:
                assert run.brand_profile is not None
                run.brand_profile.brand_name = f"Brand {n}"
                run.request.url = f"https://shop-{n}.example/"
            await store.save(run)
            ids.append(run.workflow_id)
    finally:
        store.close()
    return ids


async def _boxes(page: Page, selector: str) -> list[FloatRect]:
    return [b for b in [await loc.bounding_box() for loc in await page.locator(selector).all()] if b is not None]


async def test_review_page_thumbnails_profile_overlay_preview_and_rejecting_all(
    make_settings: Callable[..., Settings], ui: UiPage
) -> None:
    page = ui.page
    settings = make_settings()
    (wid,) = await _seed(settings, formats=ALL_FORMATS, heatmaps=True)
    async with serve_api(settings) as api:
        await page.goto(f"{api}/runs/{wid}")
        await expect(page.locator("#review")).to_be_visible()
        assert await all_images_loaded(page, "#variants img.creative-img") == 12
        await ui.screenshot("review-ui-desktop")

        # The brand profile is near the top: above the creatives, right under the run's header.
        brand = await page.locator("#brand").bounding_box()
        review = await page.locator("#review").bounding_box()
        assert brand and review and brand["y"] < review["y"]
        await expect(page.locator("#brand-title")).to_have_text("Clear & Bright")

        # Thumbnails large enough to judge: 320 px tall on a desktop screen.
        heights = [b["height"] for b in await _boxes(page, "#variants img.creative-img")]
        assert min(heights) >= 320, heights

        # The attention map lies over the creative, which stays in place underneath.
        v1 = page.locator("#variant-v1")
        before = await v1.locator("img.creative-img").evaluate_all("imgs => imgs.map(i => i.src)")
        await v1.get_by_text("Show attention map").click()
        assert await all_images_loaded(page, "#variant-v1 img.heat-overlay") == 4
        overlay = await v1.locator("img.heat-overlay").first.bounding_box()
        under = await v1.locator("img.creative-img").first.bounding_box()
        assert overlay == under
        assert await v1.locator("img.creative-img").evaluate_all("imgs => imgs.map(i => i.src)") == before
        opacity = await v1.locator("img.heat-overlay").first.evaluate("i => getComputedStyle(i).opacity")
        assert 0 < float(opacity) < 1
        await v1.get_by_text("Show attention map").click()
        await expect(v1.locator("img.heat-overlay").first).to_be_hidden()

        # The platform preview shows the creative the feed would show (square for Meta).
        preview = v1.locator(".post img.post-image")
        await expect(preview).to_have_count(1)
        assert (await preview.get_attribute("src") or "").endswith(f"/{wid}/creatives/v1-square.png")
        await all_images_loaded(page, "#variant-v1 .post img.post-image")
        await expect(page.locator("#variant-v3 .serp img")).to_have_count(0)  # search ads carry no image

        # Tap to enlarge, with the attention map as an overlay there too.
        await page.set_viewport_size(PHONE)  # type: ignore[arg-type]
        await page.locator("#variant-v2 button.thumb").first.click()
        await expect(page.locator("#lightbox")).to_be_visible()
        await all_images_loaded(page, "#lightbox-img")
        await page.locator("#lightbox-heat").check()
        await all_images_loaded(page, "#lightbox-heat-img")
        await page.keyboard.press("Escape")
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"page is {overflow}px wider than a phone"

        # Rejecting every variant is recorded, and not shown as a green success.
        await page.get_by_role("button", name="Reject all").click()
        await page.get_by_role("button", name="Click again to reject all").click()
        await expect(page.locator("#decision-title")).to_have_text("All variants rejected")
        decision = page.locator("#decision")
        await expect(decision).to_have_class(re.compile(r"\brejected-all\b"))
        colors = await decision.evaluate(
            "d => [getComputedStyle(d).backgroundColor, getComputedStyle(d.querySelector('h3')).color]"
        )
        for color in colors:
            r, g, b = (int(x) for x in re.findall(r"\d+", color)[:3])
            assert not (g > r + 20 and g > b + 20), f"green: {color}"
        await expect(page.locator("#export")).to_be_hidden()
    assert ui.errors == []


async def test_an_unknown_run_says_so_with_a_way_home(make_settings: Callable[..., Settings], ui: UiPage) -> None:
    page = ui.page
    async with serve_api(make_settings()) as api:
        await page.goto(f"{api}/runs/pipeline-00000000dead")
        await expect(page.locator("#run-missing")).to_be_visible()
        await expect(page.locator("#run-stage")).to_have_text("Not found")
        await expect(page.locator("#progress")).to_be_hidden()
        await expect(page.locator("#run-missing").get_by_role("link", name="Start a new campaign")).to_have_attribute(
            "href", "/"
        )
        assert "Loading" not in await page.locator("#run").inner_text()

        await page.goto(f"{api}/runs/not-a-run-id")
        await expect(page.get_by_role("heading", name="No such run")).to_be_visible()
        await expect(page.get_by_role("link", name="Start a new campaign")).to_have_attribute("href", "/")
    assert ui.errors == []


async def test_runs_list_has_brands_thumbnails_search_and_pages(
    make_settings: Callable[..., Settings], ui: UiPage
) -> None:
    page = ui.page
    settings = make_settings()
    await _seed(settings, count=73, formats=(AdFormat.SQUARE,))
    async with serve_api(settings) as api:
        await page.goto(f"{api}/runs")
        rows = page.locator("#runs-body tr")
        await expect(rows).to_have_count(20)
        await expect(page.locator("#runs-page")).to_have_text("1–20 of 73")
        await expect(page.locator("#runs-status")).to_have_text("73 campaigns")
        # Each row on the page shows its brand's name and a thumbnail of its first creative.
        await expect(rows.first.locator(".runs-brand strong")).to_have_text(re.compile(r"^Brand \d+$"))
        await expect(page.locator("#runs-body .runs-thumb img")).to_have_count(20)  # filled in as details arrive
        assert await all_images_loaded(page, "#runs-body .runs-thumb img") == 20
        await ui.screenshot("runs-list-desktop")
        await page.set_viewport_size(PHONE)  # type: ignore[arg-type]
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the list is {overflow}px wider than a phone"
        await page.set_viewport_size({"width": 1280, "height": 900})

        await page.get_by_role("button", name="Older →").click()
        await expect(page.locator("#runs-page")).to_have_text("21–40 of 73")
        await expect(rows).to_have_count(20)
        await page.get_by_role("button", name="Older →").click()
        await page.get_by_role("button", name="Older →").click()
        await expect(page.locator("#runs-page")).to_have_text("61–73 of 73")
        await expect(page.get_by_role("button", name="Older →")).to_be_disabled()

        # Search finds a brand on a page not shown yet, by name; and by website.
        await page.get_by_label("Search campaigns").fill("brand 42")
        await expect(rows).to_have_count(1, timeout=20_000)
        await expect(rows.first.locator(".runs-brand strong")).to_have_text("Brand 42")
        await expect(page.locator("#runs-pager")).to_be_hidden()
        await page.get_by_label("Search campaigns").fill("shop-7.example")
        await expect(rows).to_have_count(1)
        await rows.first.get_by_role("link").click()
        await expect(page).to_have_url(re.compile(r"/runs/pipeline-0+7$"))
    assert ui.errors == []
