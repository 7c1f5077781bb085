"""The extract stage when the site is hostile, broken, JavaScript-only or refused."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from brandtruth.errors import (
    BlockedAddressError,
    FetchRejectedError,
    InvalidURLError,
    UnsupportedContentError,
    UpstreamUnavailableError,
)
from brandtruth.stages.extract.colors import delta_e
from tests.stages.extract.conftest import Extractor
from tests.support.site_server import SITES_DIR, Fault, serve_site

pytestmark = pytest.mark.timeout(120)


async def test_js_shell_without_rendering_warns_and_invents_nothing(extract: Extractor) -> None:
    with serve_site("js_shell") as site:
        profile, _ = await extract(site.url("/"), site.host_port)
    expected = json.loads((SITES_DIR / "js_shell" / "expected.json").read_text("utf-8"))["without_js"]
    assert profile.brand_name == ""  # the title is "Loading…"; no name is made up
    assert any("JavaScript" in w and "BRANDTRUTH_RENDER_JS" in w for w in profile.warnings)
    assert profile.confidence <= 0.3
    assert profile.claims == []
    for role, want in expected["colors"].items():
        assert delta_e(profile.assets.color(role) or "", want) < 10


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None and not Path("/usr/bin/chromium").exists(), reason="no chromium")
async def test_js_shell_rendered_with_system_chromium(extract: Extractor) -> None:
    expected = json.loads((SITES_DIR / "js_shell" / "expected.json").read_text("utf-8"))
    with serve_site("js_shell") as site:
        profile, ctx = await extract(site.url("/"), site.host_port, BRANDTRUTH_RENDER_JS=True)
        requested = {r.path for r in site.requests}
    assert profile.brand_name == expected["brand_name"]
    assert profile.tagline == expected["tagline"]
    assert profile.description == expected["description"]
    assert any("headless Chromium" in w for w in profile.warnings)
    for want in expected["claims"]:
        snippet = want["contains"].lower()
        matches = [c for c in profile.claims if snippet in c.text.lower() or c.text.lower() in snippet]
        assert any(c.kind.value == want["kind"] and c.risk.value == want["risk"] for c in matches), want
    assert {t.author for t in profile.social_proof.testimonials} == set(expected["testimonials"]["authors"])
    assert any(c.value == 40000 for c in profile.social_proof.customer_counts)
    assert set(expected["ctas"]) <= set(profile.site_ctas)
    assert profile.assets.logo is not None and profile.assets.logo.url.endswith("/static/logo.svg")
    hero = [i for i in profile.assets.images if i.section == "hero"]
    assert hero and hero[0].url.endswith("/static/hero.jpg") and hero[0].artifact is not None
    assert ctx.store.exists(hero[0].artifact.path)
    assert "/static/app.js" in requested  # the browser's requests went through the fetcher


@pytest.mark.parametrize(
    ("path", "error", "why"),
    [
        ("/go/intranet", BlockedAddressError, "private"),
        ("/go/metadata", BlockedAddressError, "link-local"),
        ("/downloads/brochure.html", UnsupportedContentError, "2,147,483,648"),
        ("/downloads/catalog.html", UnsupportedContentError, "limit"),
    ],
)
async def test_hostile_start_urls_fail_with_a_reason(
    extract: Extractor, path: str, error: type[Exception], why: str
) -> None:
    with serve_site("hostile") as site, pytest.raises(error) as info:
        await extract(site.url(path), site.host_port)
    assert why in str(info.value)
    assert not getattr(info.value, "retryable", True)


async def test_hostile_slow_start_page_is_retryable(extract: Extractor) -> None:
    with serve_site("hostile") as site, pytest.raises(UpstreamUnavailableError) as info:
        await extract(site.url("/slow.html"), site.host_port, BRANDTRUTH_FETCH_TIMEOUT=0.5)
    assert info.value.retryable


async def test_hostile_site_images_are_validated_and_normalised(extract: Extractor) -> None:
    with serve_site("hostile") as site:
        profile, ctx = await extract(site.url("/"), site.host_port)
    kept = {i.url.rsplit("/", 1)[-1]: i for i in profile.assets.images}
    assert {"bomb.png", "corrupt.jpg", "not-image.jpg", "redirect.jpg", "pixel.gif", "tracker.svg"}.isdisjoint(kept)
    report = " ".join(profile.warnings)
    assert "bomb.png" in report and "decompression bomb" in report
    assert "redirect.jpg" in report and "link-local" in report
    assert "tracker.svg" in report and "scripts" in report
    modes = {}
    for name in ("hero.jpg", "install-cmyk.jpg", "panel-icon.png", "battery-cutout.png"):
        asset = kept[name]
        assert asset.artifact is not None
        with Image.open(io.BytesIO(ctx.store.read(asset.artifact))) as img:
            modes[name] = img.mode
    assert modes == {
        "hero.jpg": "RGB",
        "install-cmyk.jpg": "RGB",
        "panel-icon.png": "RGB",
        "battery-cutout.png": "RGBA",
    }
    assert profile.tagline == "Power your home with sunshine <script>alert(1)</script>"


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("ftp://example.com/", InvalidURLError),
        ("not a url", InvalidURLError),
        ("http://2130706433/", BlockedAddressError),
        ("http://0x7f.1/", BlockedAddressError),
        ("http://169.254.169.254/latest/meta-data/", BlockedAddressError),
        ("http://[::ffff:10.0.0.1]/", BlockedAddressError),
    ],
)
async def test_refused_start_urls(extract: Extractor, url: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        await extract(url, "")


async def test_loopback_site_needs_the_allow_list(extract: Extractor) -> None:
    with serve_site("saas") as site:
        with pytest.raises(BlockedAddressError, match="BRANDTRUTH_ALLOWED_HOSTS"):
            await extract(site.url("/"), "")
        assert site.hits.total() == 0


async def test_start_page_errors(extract: Extractor, tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text("<html><body><h1>Hi</h1></body></html>", encoding="utf-8")
    faults = {"/gone.html": Fault(status=404), "/down.html": Fault(status=502)}
    with serve_site(root, faults={**faults, "/robots.txt": Fault(body="User-agent: *\nDisallow: /\n")}) as site:
        with pytest.raises(FetchRejectedError, match=r"robots\.txt"):
            await extract(site.url("/"), site.host_port)
        assert site.hits["/"] == 0
    with serve_site(root, faults=faults) as site:
        with pytest.raises(FetchRejectedError, match="404"):
            await extract(site.url("/gone.html"), site.host_port)
        with pytest.raises(UpstreamUnavailableError, match="502"):
            await extract(site.url("/down.html"), site.host_port)


async def test_broken_secondary_pages_become_warnings(extract: Extractor) -> None:
    faults = {"/pricing.html": Fault(status=500), "/about.html": Fault(status=404)}
    with serve_site("saas", faults=faults) as site:
        profile, _ = await extract(site.url("/"), site.host_port)
    assert profile.brand_name == "Shiftwise"
    crawled = {p.url.rsplit("/", 1)[-1] for p in profile.pages}
    assert "pricing.html" not in crawled and "about.html" not in crawled
    assert any("pricing.html" in w and "500" in w for w in profile.warnings)
    assert any("about.html" in w and "404" in w for w in profile.warnings)


async def test_unreadable_robots_keeps_to_the_start_page(extract: Extractor) -> None:
    with serve_site("saas", faults={"/robots.txt": Fault(status=503)}) as site:
        profile, _ = await extract(site.url("/"), site.host_port)
        requested_pages = {r.path for r in site.requests if r.path.endswith(".html")}
    assert len(profile.pages) == 1
    assert requested_pages == set()
    assert any("robots.txt could not be read" in w for w in profile.warnings)


async def test_heartbeats_are_sent(tmp_path: Path) -> None:
    from brandtruth.stages.context import StageContext
    from brandtruth.stages.extract import extract_brand
    from tests.stages.extract.conftest import make_context

    beats: list[tuple[object, ...]] = []
    with serve_site("og_only") as site:
        base = make_context(tmp_path, site.host_port)
        ctx = StageContext(
            run_id=base.run_id, settings=base.settings, store=base.store, heartbeat=lambda *d: beats.append(d)
        )
        await extract_brand(site.url("/"), ctx)
    assert len(beats) >= 3
