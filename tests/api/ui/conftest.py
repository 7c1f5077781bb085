"""Headless Chromium (the distribution's package, never a downloaded build) driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.async_api import Browser, ConsoleMessage, Dialog, Page, async_playwright

from brandtruth.stages.extract.js_render import CHROMIUM_ARGS

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def chromium_executable() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.fail("Chromium is not installed: run scripts/ensure-chromium.sh (apt-get install -y chromium).")


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        instance = await pw.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            await instance.close()


@dataclass
class UiPage:
    """A page plus what it reported: uncaught script errors, console errors and JavaScript dialogs."""

    page: Page
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    async def screenshot(self, name: str) -> None:
        """Save a full-page screenshot when BRANDTRUTH_SCREENSHOTS names a directory (for review)."""
        target = screenshots_dir()
        if target is not None:
            await self.page.screenshot(path=str(target / f"{name}.png"), full_page=True)


def screenshots_dir() -> Path | None:
    target = os.environ.get("BRANDTRUTH_SCREENSHOTS")
    if not target:
        return None
    path = Path(target)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
async def ui(browser: Browser) -> AsyncIterator[UiPage]:
    context = await browser.new_context(viewport=DESKTOP, accept_downloads=True)  # type: ignore[arg-type]
    context.set_default_timeout(30_000)
    page = await context.new_page()
    out = UiPage(page)

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            out.console.append(msg.text)

    async def on_dialog(dialog: Dialog) -> None:
        out.dialogs.append(f"{dialog.type}: {dialog.message}")
        await dialog.dismiss()

    page.on("pageerror", lambda exc: out.errors.append(f"pageerror: {exc}"))
    page.on("console", on_console)
    page.on("dialog", on_dialog)
    try:
        yield out
    finally:
        await context.close()
