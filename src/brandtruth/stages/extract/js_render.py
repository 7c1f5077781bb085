"""Rendering a JavaScript-only page with headless Chromium (opt-in: `BRANDTRUTH_RENDER_JS=true`).

Playwright drives the *system* Chromium (`Settings.chromium_path`, e.g. /usr/bin/chromium from the
Debian package); nothing is downloaded at run time (never `playwright install`).

The browser gets no network of its own: every request it makes is intercepted and answered through
the run's `Fetcher`, so the SSRF guard, robots.txt, size caps and the time budget apply to it exactly
as to any other fetch. Only GET requests for documents, scripts, stylesheets and data (XHR/fetch) are
served; images, media, fonts, non-GET requests and anything the fetcher refuses are aborted, and
WebSockets are intercepted and never connected.

Request interception does not see WebRTC (STUN/TURN over UDP and TCP) or WebTransport, so the
browser is sealed for those too: its proxy is a dead address, WebRTC may only use that proxy (so no
UDP at all), and an init script removes the WebRTC and WebTransport constructors before any page
script runs. The sandbox stays on unless running as root, where Chromium refuses it.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from typing import Any

from brandtruth.config import Settings
from brandtruth.errors import BrandTruthError, UpstreamUnavailableError
from brandtruth.web.fetcher import MAX_PAGE_BYTES, FetchedPage, Fetcher

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-features=NetworkPrediction,PrefetchPrivacyChanges",
    "--dns-prefetch-disable",
]
# Only for the rendering browser (the UI tests share CHROMIUM_ARGS and need real loopback access).
# Port 9 (discard) on loopback: nothing a page does outside interception can get anywhere.
SEALED_ARGS = [
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--disable-quic",
]
_NO_REALTIME_NETWORK = """
(() => {
  const names = [
    "RTCPeerConnection", "webkitRTCPeerConnection", "RTCDataChannel", "RTCIceCandidate",
    "RTCSessionDescription", "RTCRtpSender", "RTCRtpReceiver", "RTCRtpTransceiver",
    "RTCIceTransport", "RTCDtlsTransport", "RTCSctpTransport", "RTCCertificate",
    "WebTransport", "WebTransportError",
  ];
  for (const name of names) {
    try {
      Object.defineProperty(globalThis, name, { value: undefined, writable: false, configurable: false });
    } catch (err) {
      /* already absent */
    }
  }
})();
"""
log = logging.getLogger("brandtruth.extract")
_SERVED_TYPES = frozenset({"document", "script", "stylesheet", "xhr", "fetch", "other", "manifest"})
_PASS_HEADERS = ("content-type", "cache-control", "content-language")


async def render_page(page: FetchedPage, fetcher: Fetcher, settings: Settings) -> FetchedPage:
    """Load `page.url` in headless Chromium and return the DOM after scripts ran (as a FetchedPage)."""
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright

    remaining = fetcher.remaining_budget()
    timeout_s = max(1.0, min(settings.fetch_timeout_seconds * 2, remaining))

    async def handle(route: Any) -> None:
        request = route.request
        if request.method != "GET" or request.resource_type not in _SERVED_TYPES:
            await route.abort("blockedbyclient")
            return
        if request.resource_type == "document" and request.url == page.url:
            # Already fetched (and checked) once; no need to ask the site again.
            await route.fulfill(status=200, content_type="text/html; charset=utf-8", body=page.html)
            return
        try:
            result = await fetcher.fetch(
                request.url, max_bytes=MAX_PAGE_BYTES, accept=("*/*",), what="resource for rendering"
            )
        except BrandTruthError:
            await route.abort("blockedbyclient")
            return
        headers = {k: v for k, v in result.headers.items() if k in _PASS_HEADERS}
        await route.fulfill(status=result.status, headers=headers, body=result.body)

    async def no_websocket(ws: Any) -> None:
        return None  # not calling connect_to_server(): the socket never reaches the network

    try:
        async with async_playwright() as pw:
            browser = await _launch(pw, settings)
            try:
                context = await browser.new_context(user_agent=fetcher.user_agent, service_workers="block")
                await context.add_init_script(_NO_REALTIME_NETWORK)
                await context.route("**/*", handle)
                await context.route_web_socket("**/*", no_websocket)
                tab = await context.new_page()
                try:
                    await tab.goto(page.url, wait_until="networkidle", timeout=timeout_s * 1000)
                except PlaywrightError as exc:
                    if "Timeout" not in str(exc):
                        raise
                    # networkidle never came (polling scripts); whatever rendered so far is used.
                html = await tab.content()
            finally:
                await browser.close()
    except PlaywrightError as exc:
        raise UpstreamUnavailableError(f"headless Chromium could not render {page.url}: {exc}") from exc
    except FileNotFoundError as exc:
        raise UpstreamUnavailableError(
            f"Chromium not found at {settings.chromium_path} (BRANDTRUTH_CHROMIUM_PATH): {exc}"
        ) from exc
    return FetchedPage(
        url=page.url,
        requested_url=page.requested_url,
        status=page.status,
        content_type="text/html",
        html=html,
        charset="utf-8",
        charset_source="rendered",
        fetched_at=datetime.now(UTC),
        redirects=page.redirects,
        size=len(html),
        content_language=page.content_language,
    )


async def _launch(pw: Any, settings: Settings) -> Any:
    """The sealed browser, sandboxed unless running as root (where Chromium refuses the sandbox) or
    on a host without a usable sandbox (then it says so in the log and runs without)."""
    from playwright.async_api import Error as PlaywrightError

    args = [a for a in CHROMIUM_ARGS if a != "--no-sandbox"] + SEALED_ARGS
    sandbox = hasattr(os, "geteuid") and os.geteuid() != 0
    try:
        return await pw.chromium.launch(
            executable_path=settings.chromium_path, headless=True, args=args, chromium_sandbox=sandbox
        )
    except PlaywrightError as exc:
        if not sandbox or "sandbox" not in str(exc).lower():
            raise
        log.warning("Chromium's sandbox is unusable on this host; rendering without it: %s", exc)
        return await pw.chromium.launch(
            executable_path=settings.chromium_path, headless=True, args=args, chromium_sandbox=False
        )
