"""The UI in a real browser: the whole review flow, hostile site text, and runs that end early."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable

import httpx
import pytest
from playwright.async_api import Page, expect
from temporalio.testing import WorkflowEnvironment

from brandtruth.config import Settings
from brandtruth.temporal.worker import build_worker
from tests.api.conftest import serve_api
from tests.api.ui.conftest import DESKTOP, PHONE, UiPage
from tests.support.site_server import Fault, serve_sample_site, serve_site

pytestmark = pytest.mark.browser

API_KEY = "ui-test-key-7f3a"
RUN_URL = re.compile(r"/runs/(pipeline-[0-9a-f]+)$")
PIPELINE_TIMEOUT_MS = 150_000


async def all_images_loaded(page: Page, selector: str) -> int:
    """Wait until every image matching `selector` has decoded (naturalWidth > 0); return how many."""
    await page.wait_for_function(
        """sel => {
            const imgs = [...document.querySelectorAll(sel)];
            return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0);
        }""",
        arg=selector,
        timeout=30_000,
    )
    return int(await page.locator(selector).count())


async def start_from_form(page: Page, base: str, site_url: str, *, variants: int = 3) -> str:
    await page.goto(base + "/")
    await page.get_by_label("Website URL").fill(site_url)
    await page.get_by_label("Variants per platform").fill(str(variants))
    await page.get_by_label("Objective").select_option("leads")
    await page.get_by_role("button", name="Create creatives").click()
    await page.wait_for_url(RUN_URL)
    match = RUN_URL.search(page.url)
    assert match
    return match.group(1)


async def test_full_review_flow_with_api_key(
    temporal_env: WorkflowEnvironment, make_settings: Callable[..., Settings], ui: UiPage
) -> None:
    page = ui.page
    with serve_sample_site() as site:
        settings = make_settings(
            allowed_hosts=site.host_port,
            temporal_host=temporal_env.client.service_client.config.target_host,
            BRANDTRUTH_API_KEY=API_KEY,
        )
        async with build_worker(temporal_env.client, settings), serve_api(settings) as api:
            # The key is asked for once; the browser keeps only an HttpOnly session cookie.
            await page.goto(api + "/")
            await expect(page.locator("#key-dialog")).to_be_visible()
            await page.get_by_role("textbox", name="API key").fill(API_KEY)
            await page.get_by_role("button", name="Sign in").click()
            await expect(page.locator("#key-dialog")).to_be_hidden()
            cookies = await page.context.cookies()
            assert [(c["name"], c["httpOnly"], c["sameSite"]) for c in cookies] == [
                ("brandtruth_session", True, "Strict")
            ]
            assert API_KEY not in json.dumps(await page.evaluate("({...sessionStorage, ...localStorage})"))
            requested: list[str] = []
            page.on("request", lambda r: requested.append(r.url))

            wid = await start_from_form(page, api, site.url("/"))
            await expect(page.locator("#key-dialog")).to_be_hidden()  # not asked again
            await expect(page.locator("#timeline .step")).not_to_have_count(0)
            await ui.screenshot("run-progress-desktop")

            awaiting = page.locator('#timeline .step[data-stage="awaiting_approval"]')
            await expect(awaiting).to_have_class(re.compile(r"\bactive\b"), timeout=PIPELINE_TIMEOUT_MS)
            await expect(page.locator("#run-stage")).to_have_text("Awaiting your approval")
            for stage in ("extracting", "generating", "matching", "composing", "scoring"):
                step = page.locator(f'#timeline .step[data-stage="{stage}"]')
                await expect(step).to_have_class(re.compile(r"\bdone\b"))
                await expect(step.locator(".step-time")).to_contain_text(re.compile(r"\d+(\.\d)? s"))
                await expect(step.locator(".step-msg")).not_to_be_empty()

            # Review: brand profile and three variant cards, every creative loaded.
            await expect(page.locator("#review")).to_be_visible()
            await expect(page.locator("#brand-title")).to_have_text("Clearbeam")
            assert await page.locator("#brand-palette .swatch").count() >= 2
            assert await page.locator("#brand-claims .claim").count() >= 1
            cards = page.locator("#variants .card")
            await expect(cards).to_have_count(3)
            assert await all_images_loaded(page, "#variants img.creative-img") == 12
            if await page.locator("#brand-logo:not([hidden])").count():
                await all_images_loaded(page, "#brand-logo")
            # Evidence behind a claim opens and links to the source page.
            first_claim = page.locator("#brand-claims .claim").first
            await first_claim.locator("summary").click()
            quote = first_claim.locator("blockquote").first
            await expect(quote).to_be_visible()
            assert (await first_claim.locator(".evidence-source a").first.get_attribute("href") or "").startswith(
                site.base_url
            )
            # Copy shows the claims it rests on, traced to evidence.
            assert await page.locator("#variants mark.claim-mark").count() >= 1
            await ui.screenshot("review-desktop")
            await page.set_viewport_size(PHONE)  # type: ignore[arg-type]
            await ui.screenshot("review-phone")
            overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"page is {overflow}px wider than a 375px phone"
            await page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]

            # Attention maps lie over the creatives and load too.
            v1 = page.locator("#variant-v1")
            await v1.get_by_text("Show attention map").click()
            assert await all_images_loaded(page, "#variant-v1 img.heat-overlay") == 4
            srcs = await v1.locator("img.heat-overlay").evaluate_all("imgs => imgs.map(i => i.src)")
            assert all("/heatmaps/" in s for s in srcs), srcs
            await v1.get_by_text("Show attention map").click()

            # Click to enlarge; arrows step through formats; Escape closes.
            await page.locator("#variant-v2 button.thumb").first.click()
            lightbox = page.locator("#lightbox")
            await expect(lightbox).to_be_visible()
            await all_images_loaded(page, "#lightbox-img")
            title = await page.locator("#lightbox-title").text_content()
            await page.keyboard.press("ArrowRight")
            await expect(page.locator("#lightbox-title")).not_to_have_text(title or "")
            await page.keyboard.press("Escape")
            await expect(lightbox).to_be_hidden()

            # Approve two of three; the decision shows at once, the run completes.
            await page.get_by_label("Approve variant 1").check()
            await page.get_by_label("Approve variant 3").check()
            await page.get_by_label("Approve variant 3").uncheck()
            await page.get_by_label("Approve variant 3").check()
            await page.get_by_label("Comment for the team").fill("Ship the proof-led ones <b>now</b>")
            approve = page.locator("#approve")
            await expect(approve).to_have_text("Approve 2 variants")
            await approve.click()
            decision = page.locator("#decision")
            await expect(decision).to_be_visible()
            await expect(page.locator("#decision-title")).to_have_text("Approved 2 of 3 variants")
            await expect(page.locator("#decision-comment")).to_have_text("“Ship the proof-led ones <b>now</b>”")
            await expect(page.locator("#variant-v1")).to_have_class(re.compile(r"\bapproved\b"))
            await expect(page.locator("#variant-v2")).to_have_class(re.compile(r"\brejected\b"))
            await expect(page.locator("#variant-v3")).to_have_class(re.compile(r"\bapproved\b"))
            await expect(page.locator("#approve-form")).to_be_hidden()
            await expect(page.get_by_label("Approve variant 2")).to_be_disabled()
            await expect(page.locator("#run-stage")).to_have_text("Completed", timeout=30_000)
            await expect(page.locator('#timeline .step[data-stage="completed"]')).to_have_class(re.compile(r"\bdone\b"))
            await ui.screenshot("decided-desktop")
            await page.set_viewport_size(PHONE)  # type: ignore[arg-type]
            await ui.screenshot("decided-phone")
            await page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]

            # Export: the ZIP holds the approved creatives and a manifest for bulk upload.
            async with page.expect_download() as info:
                await page.get_by_role("link", name="Download approved creatives (ZIP)").click()
            download = await info.value
            assert download.suggested_filename == f"clearbeam-{wid}.zip"
            zip_path = await download.path()
            with zipfile.ZipFile(zip_path) as zf:
                images = sorted(n for n in zf.namelist() if n.startswith("images/"))
                assert len(images) == 8
                assert all(zf.read(n).startswith(b"\x89PNG") for n in images)
                rows = list(csv.DictReader(io.StringIO(zf.read("manifest.csv").decode("utf-8-sig"))))
                doc = json.loads(zf.read("manifest.json"))
            assert {r["variant_id"] for r in rows} == {"v1", "v3"}
            assert sorted(r["file"] for r in rows) == images
            assert {r["format"] for r in rows} == {"square", "portrait", "story", "landscape"}
            assert all(r["headline"] and r["primary_text"] and r["cta"] and r["score"] for r in rows)
            assert all(r["destination_url"] == site.url("/") for r in rows)
            assert doc["approved_ids"] == ["v1", "v3"] and doc["comment"] == "Ship the proof-led ones <b>now</b>"

            # Images, the stream and the download were authorised by the cookie: no key or token in any URL.
            assert any("/workflow/artifacts/" in u for u in requested)
            assert any("/workflow/stream/" in u for u in requested)
            assert not [u for u in requested if API_KEY in u or "token" in u or "key=" in u]

            # The run is listed (Temporal visibility is eventually consistent: refresh until it is).
            await page.goto(api + "/runs")
            row_link = page.locator(f'a[href="/runs/{wid}"]')
            for _ in range(30):
                if await row_link.count():
                    break
                await page.get_by_role("button", name="Refresh").click()
                await page.wait_for_timeout(500)
            await expect(row_link).to_be_visible()
            await expect(page.locator("#runs-body tr").filter(has=row_link).locator(".stage-badge")).to_have_text(
                "Completed", timeout=15_000
            )
    assert ui.errors == []
    assert ui.dialogs == []


async def test_hostile_site_text_is_shown_as_text(make_settings: Callable[..., Settings], ui: UiPage) -> None:
    page = ui.page
    with serve_site("hostile") as site:
        settings = make_settings(allowed_hosts=site.host_port)  # Temporal unreachable: the in-process fallback
        async with serve_api(settings) as api:
            await start_from_form(page, api, site.url("/"), variants=2)
            tagline = page.locator("#brand-tagline")
            await expect(tagline).to_have_text(
                "Power your home with sunshine <script>alert(1)</script>", timeout=PIPELINE_TIMEOUT_MS
            )
            await expect(page.locator("#run-stage")).to_have_text(
                re.compile("Awaiting your approval|Failed"), timeout=PIPELINE_TIMEOUT_MS
            )
            await ui.screenshot("hostile-desktop")
            # Only the page's own scripts exist; nothing from the site became markup.
            scripts = await page.locator("script").evaluate_all("els => els.map(e => e.getAttribute('src') || e.type)")
            assert all(s == "application/json" or s.startswith("/ui/static/") for s in scripts), scripts
            assert await page.locator("#run b, #run i, #run iframe, #run object").count() == 0
            body = await page.locator("body").inner_text()
            assert "<script>alert(1)</script>" in body
            await page.goto("about:blank")  # close the live stream before the server stops
    assert ui.dialogs == [], "a script from the site ran"
    assert ui.errors == []


async def test_a_run_that_expires_says_so_and_is_read_only(make_settings: Callable[..., Settings], ui: UiPage) -> None:
    page = ui.page
    with serve_sample_site() as site:
        settings = make_settings(allowed_hosts=site.host_port)
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
            started = await http.post(
                "/workflow/start",
                json={"url": site.url("/"), "num_variants": 1, "formats": ["square"], "approval_timeout_hours": 0.0005},
            )
            assert started.status_code == 200, started.text
            wid = started.json()["workflow_id"]
            await page.goto(f"{api}/runs/{wid}")
            await expect(page.locator("#run-ended-title")).to_have_text("This run expired", timeout=PIPELINE_TIMEOUT_MS)
            await expect(page.locator("#run-stage")).to_have_text("Expired")
            await expect(page.locator("#run-ended-text")).to_contain_text("nothing was approved")
            await expect(page.locator("#review")).to_be_visible()
            await expect(page.locator("#approve-form")).to_be_hidden()
            await expect(page.get_by_label("Approve variant 1")).to_be_disabled()
            await expect(page.locator("#cancel-box")).to_be_hidden()
            await all_images_loaded(page, "#variants img.creative-img")
            await ui.screenshot("expired-desktop")
    assert ui.errors == []


async def test_cancel_from_the_run_page(make_settings: Callable[..., Settings], ui: UiPage) -> None:
    page = ui.page
    with serve_sample_site(faults={"/": Fault(delay=8.0)}) as site:  # a slow home page keeps it extracting
        settings = make_settings(allowed_hosts=site.host_port, BRANDTRUTH_FETCH_TIMEOUT=20.0)
        async with serve_api(settings) as api:
            await start_from_form(page, api, site.url("/"))
            await expect(page.locator('#timeline .step[data-stage="extracting"]')).to_have_class(
                re.compile(r"\bactive\b")
            )
            await page.get_by_role("button", name="Cancel run").click()
            await page.get_by_role("button", name="Yes, cancel it").click()
            await expect(page.locator("#run-ended-title")).to_have_text("This run was cancelled", timeout=20_000)
            await expect(page.locator("#run-stage")).to_have_text("Cancelled")
            await expect(page.locator('#timeline .step[data-stage="cancelled"]')).to_be_visible()
            await expect(page.locator('#timeline .step[data-stage="extracting"]')).to_have_class(
                re.compile(r"\bstopped\b")
            )
            await expect(page.locator("#cancel-box")).to_be_hidden()
    assert ui.errors == []


async def test_a_failed_run_shows_a_readable_error(make_settings: Callable[..., Settings], ui: UiPage) -> None:
    page = ui.page
    with serve_sample_site() as site:
        settings = make_settings(allowed_hosts=site.host_port)
        async with serve_api(settings) as api:
            await start_from_form(page, api, site.url("/no-such-page.html"))
            await expect(page.locator("#run-error")).to_be_visible(timeout=PIPELINE_TIMEOUT_MS)
            await expect(page.locator("#run-error-title")).to_have_text("This run failed while reading the website")
            text = (await page.locator("#run-error-text").text_content()) or ""
            assert "404" in text or "not found" in text.lower(), text
            await expect(page.locator('#timeline .step[data-stage="extracting"]')).to_have_class(
                re.compile(r"\bfailed\b")
            )
            await ui.screenshot("failed-desktop")
    assert ui.errors == []


async def test_pages_fit_a_phone_and_show_focus(make_settings: Callable[..., Settings], ui: UiPage) -> None:
    page = ui.page
    settings = make_settings()
    async with serve_api(settings) as api:
        await page.set_viewport_size(PHONE)  # type: ignore[arg-type]
        for path in ("/", "/runs"):
            await page.goto(api + path)
            overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} is {overflow}px wider than the phone"
        await page.goto(api + "/")
        await page.keyboard.press("Tab")  # skip link
        await page.keyboard.press("Tab")
        outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", "keyboard focus is invisible"
        # Every form control has a label.
        unlabeled = await page.evaluate(
            """() => [...document.querySelectorAll('input, select, textarea')]
                 .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length))
                 .map(e => e.id || e.name)"""
        )
        assert unlabeled == []
        await page.get_by_label("Website URL").fill("")
        await page.get_by_role("button", name="Create creatives").click()
        await expect(page.locator("#form-error")).to_have_text("Enter the address of the brand's website.")
        await page.get_by_label("Website URL").fill("ftp://example.com/")
        await page.get_by_role("button", name="Create creatives").click()
        await expect(page.locator("#form-error")).to_contain_text("http")
    assert ui.errors == []
