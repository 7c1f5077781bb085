"""The review page's "check your own lines" box, in a real browser against a real fallback run."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from playwright.async_api import expect

from brandtruth.config import Settings
from tests.api.conftest import serve_api
from tests.api.ui.conftest import UiPage
from tests.conftest import wait_for
from tests.support.site_server import serve_sample_site

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


async def test_pasted_lines_get_verdicts_in_order(make_settings: Callable[..., Settings], ui: UiPage) -> None:
    page = ui.page
    with serve_sample_site() as site:
        settings = make_settings(allowed_hosts=site.host_port)  # Temporal unreachable: the in-process fallback
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
            started = await http.post("/workflow/start", json={"url": site.url("/"), "num_variants": 1})
            wid = started.json()["workflow_id"]

            async def has_profile() -> bool:
                return (await http.get(f"/workflow/result/{wid}")).json().get("brand_profile") is not None

            await wait_for(has_profile, timeout=120)
            await page.goto(f"{api}/runs/{wid}")
            box = page.locator("#check-copy")
            await expect(box.get_by_role("heading", name="Check your own lines")).to_be_visible()
            lines = [
                "Connect every source in minutes",
                "Trusted by NASA <script>alert(1)</script>",
                "Cures insomnia",
                "",
                "Join twelve thousand teams who trust their numbers",
            ]
            await box.get_by_label("Your ad lines").fill("\n".join(lines))
            await box.get_by_role("button", name="Check lines").click()
            results = box.locator("#check-copy-results > li")
            await expect(results).to_have_count(4)
            await expect(results.nth(0)).to_have_class(re.compile(r"\bverdict-supported\b"))
            await expect(results.nth(1)).to_have_class(re.compile(r"\bverdict-unsupported\b"))
            await expect(results.nth(1)).to_contain_text("NASA")
            await expect(results.nth(1)).to_contain_text("<script>alert(1)</script>")  # shown as text
            await expect(results.nth(2)).to_have_class(re.compile(r"\bverdict-blocked\b"))
            await expect(results.nth(3)).to_have_class(re.compile(r"\bverdict-supported\b"))
            await expect(results.nth(0).locator(".verdict-evidence q")).not_to_have_count(0)
            await expect(page.locator("#check-copy-status")).to_have_text("2 of 4 line(s) supported by the site.")
            await ui.screenshot("check-copy-box")
            await page.goto("about:blank")  # close the live stream before the server stops
    assert ui.dialogs == [], "pasted text ran as script"
    assert ui.errors == [] and ui.console == []
