"""The "Score an ad" page in a real browser: upload, score, factors, fixes, attention map."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from font_roboto import RobotoBold
from PIL import Image, ImageDraw, ImageFont
from playwright.async_api import expect

from brandtruth.config import Settings
from tests.api.conftest import serve_api
from tests.api.ui.conftest import UiPage

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def _ad(path: Path) -> Path:
    img = Image.new("RGB", (1080, 1080), (24, 60, 120))
    d = ImageDraw.Draw(img)
    d.text((80, 600), "Save 40% today", font=ImageFont.truetype(RobotoBold, 90), fill=(255, 255, 255))
    d.rounded_rectangle((80, 820, 480, 920), radius=18, fill=(255, 196, 0))
    d.text((120, 842), "Shop now", font=ImageFont.truetype(RobotoBold, 50), fill=(20, 20, 20))
    img.save(path)
    return path


async def test_upload_and_read_the_score(make_settings: Callable[..., Settings], ui: UiPage, tmp_path: Path) -> None:
    page = ui.page
    async with serve_api(make_settings()) as api:
        await page.goto(api + "/score")
        await expect(page.get_by_role("heading", name="Score an ad")).to_be_visible()
        await page.get_by_label("Creative (PNG, JPEG or WebP)").set_input_files(str(_ad(tmp_path / "ad.png")))
        await page.get_by_label("Headline").fill("Save 40% today")
        await page.get_by_label("Call to action").fill("Shop now")
        await page.get_by_role("button", name="Score it").click()
        result = page.locator("#score-result")
        await expect(result).to_be_visible(timeout=60_000)
        await expect(page.locator("#score-value")).to_have_text(re.compile(r"^\d{1,3}\.\d$"))
        await expect(page.locator("#score-tier")).to_have_text(
            re.compile(r"^(poor|weak|average|good|strong|excellent)$")
        )
        for name in ("legibility", "cta_prominence", "sharpness", "hook"):
            await expect(page.locator(f'#score-factors tr[data-factor="{name}"]')).to_have_count(1)
        await expect(page.locator("#score-fixes li")).not_to_have_count(0)
        # The attention map is drawn over the creative and can be switched off.
        await page.wait_for_function(
            "() => ['score-image', 'score-heatmap'].every(id => document.getElementById(id).naturalWidth > 0)"
        )
        await expect(page.locator("#score-heatmap")).to_be_visible()
        await page.get_by_label("Show the attention map").uncheck()
        await expect(page.locator("#score-heatmap")).to_be_hidden()
        await ui.screenshot("score-page")

        # A file that is not an image gets a readable error, and the page keeps working.
        bad = tmp_path / "notes.png"
        bad.write_bytes(b"just some text")
        await page.get_by_label("Creative (PNG, JPEG or WebP)").set_input_files(str(bad))
        await page.get_by_role("button", name="Score it").click()
        await expect(page.locator("#score-error")).to_contain_text("not an image")
        await expect(page.get_by_role("button", name="Score it")).to_be_enabled()
    assert not ui.errors, ui.errors
    assert not [c for c in ui.console if "422" not in c], ui.console
