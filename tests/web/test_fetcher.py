"""The fetcher against a real loopback server: redirects, caps, timeouts, errors, charsets, robots."""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest

from brandtruth.config import Settings
from brandtruth.errors import (
    BlockedAddressError,
    FetchRejectedError,
    InvalidURLError,
    RateLimitedError,
    UnsupportedContentError,
    UpstreamUnavailableError,
)
from brandtruth.web.fetcher import USER_AGENT, Fetcher
from tests.support.settings import settings_from
from tests.support.site_server import Fault, ServedSite, serve_site

PAGE = "<!doctype html><html><head><title>T</title></head><body><p>Hello Wörld</p></body></html>"


def settings_for(site: ServedSite, tmp_path: Path, **extra: object) -> Settings:
    values: dict[str, object] = {
        "BRANDTRUTH_ALLOWED_HOSTS": site.host_port,
        "BRANDTRUTH_DATA_DIR": tmp_path,
        "BRANDTRUTH_FETCH_TIMEOUT": 2.0,
        "BRANDTRUTH_CRAWL_BUDGET": 20.0,
    }
    values.update(extra)
    return settings_from(values)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[ServedSite]:
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "data.json").write_text("{}", encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    (root / "private").mkdir()
    (root / "private" / "page.html").write_text(PAGE, encoding="utf-8")
    (root / "latin.html").write_bytes(
        "<html><head><meta charset='windows-1252'></head><body><p>Café crème für 3 €</p></body></html>".encode("cp1252")
    )
    (root / "undeclared.html").write_bytes(
        ("<html><body><p>" + "Grüße aus Köln, schöne Straße, Bäckerei Müller. " * 20 + "</p></body></html>").encode(
            "cp1252"
        )
    )
    (root / "page.gz").write_bytes(gzip.compress(PAGE.encode()))
    (root / "page.br").write_bytes(brotli.compress(PAGE.encode()))
    faults = {
        "/redirect-private": Fault(redirect="http://10.0.0.1/", status=302),
        "/redirect-metadata": Fault(redirect="http://169.254.169.254/latest/meta-data/", status=301),
        "/redirect-decimal": Fault(redirect="http://2130706433/", status=302),
        "/redirect-file": Fault(redirect="file:///etc/passwd", status=302),
        "/loop": Fault(redirect="/loop", status=302),
        "/hop1": Fault(redirect="/hop2", status=301),
        "/hop2": Fault(redirect="/index.html", status=307),
        "/huge": Fault(content_length=2 * 1024**3, body="<html>tiny</html>"),
        "/endless": Fault(body_bytes=8 * 1024 * 1024),
        "/missing": Fault(status=404),
        "/gone": Fault(status=410),
        "/broken": Fault(status=503),
        "/busy": Fault(status=429, headers={"Retry-After": "5"}),
        "/slow": Fault(delay=10),
        "/stall": Fault(body_delay=10, body="<html>late</html>"),
        "/page.gz": Fault(content_type="text/html; charset=utf-8", headers={"Content-Encoding": "gzip"}),
        "/page.br": Fault(content_type="text/html; charset=utf-8", headers={"Content-Encoding": "br"}),
        "/latin.html": Fault(content_type="text/html"),
        "/huge.png": Fault(content_length=2 * 1024**3, body="x", content_type="image/png"),
        "/big.png": Fault(body_bytes=11 * 1024 * 1024, content_type="image/png"),
        "/typed.png": Fault(body="not really", content_type="image/png"),
        "/undeclared.html": Fault(content_type="text/html"),
    }
    with serve_site(root, faults=faults) as served:
        yield served


async def test_fetch_page_identifies_itself(site: ServedSite, tmp_path: Path) -> None:
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        page = await fetcher.fetch_page(site.url("/index.html"))
    assert "Hello Wörld" in page.html
    assert page.charset == "utf-8" and page.status == 200
    agents = {r.headers.get("User-Agent") for r in site.requests}
    assert agents == {USER_AGENT}
    assert USER_AGENT.startswith("BrandTruthBot/") and "+https://" in USER_AGENT


async def test_redirects_are_followed_and_recorded(site: ServedSite, tmp_path: Path) -> None:
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        page = await fetcher.fetch_page(site.url("/hop1"))
    assert page.url == site.url("/index.html")
    assert page.redirects == (site.url("/hop2"), site.url("/index.html"))


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/redirect-private", "private"),
        ("/redirect-metadata", "link-local"),
        ("/redirect-decimal", "loopback"),
    ],
)
async def test_redirect_to_internal_address_is_refused(site: ServedSite, tmp_path: Path, path: str, why: str) -> None:
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        with pytest.raises(BlockedAddressError) as info:
            await fetcher.fetch_page(site.url(path))
    assert why in info.value.message


async def test_redirect_to_other_scheme_is_refused(site: ServedSite, tmp_path: Path) -> None:
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        with pytest.raises(InvalidURLError):
            await fetcher.fetch_page(site.url("/redirect-file"))


async def test_redirect_loop_stops_after_five(site: ServedSite, tmp_path: Path) -> None:
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        with pytest.raises(FetchRejectedError, match="more than 5 times"):
            await fetcher.fetch_page(site.url("/loop"))
    assert site.hits["/loop"] == 6


async def test_lying_content_length_is_refused_without_reading(site: ServedSite, tmp_path: Path) -> None:
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        started = time.monotonic()
        with pytest.raises(UnsupportedContentError, match="2,147,483,648 bytes"):
            await fetcher.fetch_page(site.url("/huge"))
    assert time.monotonic() - started < 2.0
    robots = (site.root / "robots.txt").read_bytes()
    assert fetcher.stats.bytes == len(robots), "only robots.txt was read, none of the 2 GB body"


async def test_body_over_the_cap_is_cut_off(site: ServedSite, tmp_path: Path) -> None:
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        with pytest.raises(UnsupportedContentError, match="larger than the 5,242,880-byte limit"):
            await fetcher.fetch_page(site.url("/endless"))


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/missing", FetchRejectedError),
        ("/gone", FetchRejectedError),
        ("/broken", UpstreamUnavailableError),
        ("/busy", RateLimitedError),
        ("/data.json", UnsupportedContentError),
    ],
)
async def test_status_and_type_errors(site: ServedSite, tmp_path: Path, path: str, error: type[Exception]) -> None:
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        with pytest.raises(error):
            await fetcher.fetch_page(site.url(path))


async def test_retryable_split_matches_the_error_types(site: ServedSite, tmp_path: Path) -> None:
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        with pytest.raises(UpstreamUnavailableError) as transient:
            await fetcher.fetch_page(site.url("/broken"))
        with pytest.raises(FetchRejectedError) as permanent:
            await fetcher.fetch_page(site.url("/missing"))
    assert transient.value.retryable and not permanent.value.retryable
    assert "503" in transient.value.message and "404" in permanent.value.message


@pytest.mark.parametrize("path", ["/slow", "/stall"])
async def test_timeouts_are_retryable(site: ServedSite, tmp_path: Path, path: str) -> None:
    async with Fetcher(settings_for(site, tmp_path, BRANDTRUTH_FETCH_TIMEOUT=0.5)) as fetcher:
        started = time.monotonic()
        with pytest.raises(UpstreamUnavailableError, match="timed out"):
            await fetcher.fetch_page(site.url(path))
    assert time.monotonic() - started < 3.0


async def test_total_budget_is_enforced(site: ServedSite, tmp_path: Path) -> None:
    async with Fetcher(settings_for(site, tmp_path), budget_seconds=0.3) as fetcher:
        with pytest.raises(UpstreamUnavailableError):
            await fetcher.fetch_page(site.url("/slow"))
        with pytest.raises(UpstreamUnavailableError, match="budget"):
            await fetcher.fetch_page(site.url("/index.html"))


async def test_connection_refused_is_permanent(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = settings_from({"BRANDTRUTH_ALLOWED_HOSTS": f"127.0.0.1:{port}"})
    async with Fetcher(settings) as fetcher:
        with pytest.raises(FetchRejectedError, match="connection refused"):
            await fetcher.fetch_page(f"http://127.0.0.1:{port}/")


async def test_dns_failure_is_permanent(tmp_path: Path) -> None:
    async with Fetcher(settings_from({})) as fetcher:
        with pytest.raises(FetchRejectedError, match="could not resolve"):
            await fetcher.fetch_page("http://no-such-host.invalid/")


async def test_unlisted_loopback_is_blocked(site: ServedSite, tmp_path: Path) -> None:
    async with Fetcher(settings_from({})) as fetcher:
        with pytest.raises(BlockedAddressError, match="BRANDTRUTH_ALLOWED_HOSTS"):
            await fetcher.fetch_page(site.url("/index.html"))
    assert site.hits.total() == 0


@pytest.mark.parametrize("path", ["/page.gz", "/page.br"])
async def test_compressed_bodies(site: ServedSite, tmp_path: Path, path: str) -> None:
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        page = await fetcher.fetch_page(site.url(path))
    assert "Hello Wörld" in page.html


async def test_charset_from_meta_and_detection(site: ServedSite, tmp_path: Path) -> None:
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        meta = await fetcher.fetch_page(site.url("/latin.html"))
        detected = await fetcher.fetch_page(site.url("/undeclared.html"))
    assert "Café crème für 3 €" in meta.html and meta.charset_source == "meta"
    assert "Grüße aus Köln" in detected.html and detected.charset_source == "detected"


async def test_robots_disallow(site: ServedSite, tmp_path: Path) -> None:
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        assert await fetcher.allowed_by_robots(site.url("/index.html"))
        assert not await fetcher.allowed_by_robots(site.url("/private/page.html"))
        with pytest.raises(FetchRejectedError, match=r"robots\.txt"):
            await fetcher.fetch_page(site.url("/private/page.html"))
    assert site.hits["/private/page.html"] == 0
    assert site.hits["/robots.txt"] == 1


async def test_robots_server_error_is_reported(site: ServedSite, tmp_path: Path) -> None:
    site.set_fault("/robots.txt", Fault(status=500))
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        assert await fetcher.allowed_by_robots(site.url("/private/page.html"))
        assert "500" in (await fetcher.robots_unreadable(site.url("/")) or "")


async def test_image_type_check(site: ServedSite, tmp_path: Path) -> None:
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        with pytest.raises(UnsupportedContentError, match="text/html"):
            await fetcher.fetch_image(site.url("/index.html"))
        typed = await fetcher.fetch_image(site.url("/typed.png"))
    assert typed.content_type == "image/png" and typed.body == b"not really"  # decoding is the caller's check


async def test_image_size_caps(site: ServedSite, tmp_path: Path) -> None:
    async with Fetcher(settings_for(site, tmp_path)) as fetcher:
        with pytest.raises(UnsupportedContentError, match="2,147,483,648 bytes"):
            await fetcher.fetch_image(site.url("/huge.png"))
        with pytest.raises(UnsupportedContentError, match="10,485,760-byte limit for an image"):
            await fetcher.fetch_image(site.url("/big.png"))
