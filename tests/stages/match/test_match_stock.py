"""Stock providers (Pexels, Unsplash) against a loopback server that speaks their search APIs."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from brandtruth.config import Settings
from brandtruth.models.creative import AdFormat, ImageSource
from brandtruth.models.stage_io import MatchInput
from brandtruth.stages.context import StageContext
from brandtruth.stages.match import match_images, stock
from tests.support.settings import settings_from

from .conftest import RUN_ID, Kit, encode, scene, variant

pytestmark = pytest.mark.timeout(60)


class StockServer:
    """Pexels-like /v1/search, Unsplash-like /search/photos, and the photo files."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self.fail_pexels = False
        images = {f"p{i}": encode(scene(1600, 1100, 50 + i), "JPEG") for i in range(3)}
        images |= {f"u{i}": encode(scene(1200, 1500, 60 + i), "JPEG") for i in range(3)}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                return None

            def _send(self, status: int, body: bytes, ctype: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query).get("query", [""])[0]
                server.requests.append((parts.path, self.headers.get("Authorization", "")))
                base = f"http://127.0.0.1:{server.port}"
                if parts.path == "/v1/search":
                    if server.fail_pexels:
                        return self._send(503, b"busy", "text/plain")
                    if self.headers.get("Authorization") != "pexels-key":
                        return self._send(401, b'{"error": "bad key"}', "application/json")
                    photos = [
                        {
                            "id": 100 + i,
                            "width": 1600,
                            "height": 1100,
                            "url": f"{base}/photo/{i}",
                            "photographer": "Ana Lens",
                            "alt": f"{query} photo {i}",
                            "src": {"large2x": f"{base}/img/p{i}.jpg"},
                        }
                        for i in range(3)
                    ]
                    return self._send(200, json.dumps({"photos": photos}).encode(), "application/json")
                if parts.path == "/search/photos":
                    if self.headers.get("Authorization") != "Client-ID unsplash-key":
                        return self._send(401, b"{}", "application/json")
                    results = [
                        {
                            "id": f"u-{i}",
                            "width": 1200,
                            "height": 1500,
                            "alt_description": f"{query} shot {i}",
                            "user": {"name": "Ben Shutter"},
                            "links": {"html": f"{base}/u/{i}"},
                            "urls": {"regular": f"{base}/img/u{i}.jpg"},
                        }
                        for i in range(3)
                    ]
                    return self._send(200, json.dumps({"results": results}).encode(), "application/json")
                if parts.path.startswith("/img/"):
                    name = parts.path[5:].removesuffix(".jpg")
                    if name in images:
                        return self._send(200, images[name], "image/jpeg")
                return self._send(404, b"", "text/plain")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def endpoints(self) -> stock.StockEndpoints:
        base = f"http://127.0.0.1:{self.port}"
        return stock.StockEndpoints(pexels=f"{base}/v1/search", unsplash=f"{base}/search/photos")


@pytest.fixture
def stock_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[StockServer]:
    server = StockServer()
    server.thread.start()
    monkeypatch.setattr(stock, "DEFAULT_ENDPOINTS", server.endpoints())
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def ctx_with(kit: Kit, server: StockServer, **keys: str) -> StageContext:
    settings = settings_from({"allowed_hosts": [f"127.0.0.1:{server.port}"], **keys})
    return StageContext(run_id=RUN_ID, settings=settings, store=kit.store)


async def test_stock_photos_join_the_pool_with_attribution(kit: Kit, stock_server: StockServer) -> None:
    ctx = ctx_with(kit, stock_server, pexels_api_key="pexels-key", unsplash_access_key="unsplash-key")
    profile = kit.profile([kit.asset(encode(scene(1400, 1400, 1), "JPEG"), alt="our office")])
    variants = [variant("v1", "Mountain cabins for rent"), variant("v2", "Lakeside kayak tours")]
    vm = await match_images(
        MatchInput(run_id=RUN_ID, profile=profile, variants=variants, variant_id="v1", formats=[AdFormat.SQUARE]),
        ctx,
    )
    stock_matches = [m for m in vm.matches if m.candidate.source is ImageSource.STOCK]
    assert stock_matches, vm.matches
    attributions = {m.candidate.attribution for m in stock_matches}
    assert attributions <= {"Photo by Ana Lens on Pexels", "Photo by Ben Shutter on Unsplash"}
    # The copy is about cabins; the stock photo found for "mountain cabins rent" beats the office.
    assert vm.matches[0].candidate.source is ImageSource.STOCK
    assert "mountain" in vm.matches[0].candidate.context
    # Both providers were asked with their own auth scheme, once per variant query.
    paths = sorted({p for p, _ in stock_server.requests if not p.startswith("/img/")})
    assert paths == ["/search/photos", "/v1/search"]
    assert kit.store.exists(f"{RUN_ID}/stock/pexels-100.img")

    # A second activity of the same run reuses the stored photos instead of downloading again.
    downloads = sum(1 for p, _ in stock_server.requests if p.startswith("/img/"))
    vm2 = await match_images(
        MatchInput(run_id=RUN_ID, profile=profile, variants=variants, variant_id="v2", formats=[AdFormat.SQUARE]),
        ctx,
    )
    assert sum(1 for p, _ in stock_server.requests if p.startswith("/img/")) == downloads
    assert vm2.matches[0].candidate.id != vm.matches[0].candidate.id


async def test_failing_provider_is_a_warning_not_a_failure(kit: Kit, stock_server: StockServer) -> None:
    stock_server.fail_pexels = True
    ctx = ctx_with(kit, stock_server, pexels_api_key="pexels-key", unsplash_access_key="wrong")
    profile = kit.profile([kit.asset(encode(scene(1400, 1400, 2), "JPEG"), alt="product")])
    vm = await match_images(
        MatchInput(
            run_id=RUN_ID,
            profile=profile,
            variants=[variant("v1", "Fresh bread daily")],
            variant_id="v1",
            formats=[AdFormat.SQUARE],
        ),
        ctx,
    )
    assert not any(m.candidate.source is ImageSource.STOCK for m in vm.matches)
    assert any("pexels" in w and "503" in w for w in vm.warnings), vm.warnings
    assert any("unsplash" in w and "401" in w for w in vm.warnings), vm.warnings


async def test_stock_hosts_still_pass_the_ssrf_guard(kit: Kit, stock_server: StockServer) -> None:
    # Loopback is not in the allow-list here: the guard refuses it, stock is skipped with a warning.
    ctx = StageContext(run_id=RUN_ID, settings=Settings(pexels_api_key="pexels-key"), store=kit.store)
    vm = await match_images(
        MatchInput(
            run_id=RUN_ID,
            profile=kit.profile([]),
            variants=[variant("v1", "Fresh bread daily")],
            variant_id="v1",
            formats=[AdFormat.SQUARE],
        ),
        ctx,
    )
    assert stock_server.requests == []
    assert any("pexels" in w for w in vm.warnings)
    assert [m.candidate.source for m in vm.matches] == [ImageSource.GENERATED]


def test_queries_come_from_every_variant() -> None:
    qs = stock.queries_for(
        [
            variant("v1", "Mountain cabins for rent"),
            variant("v2", "Mountain cabins for rent"),
            variant("v3", "Kayak tours 2025"),
        ]
    )
    assert qs == ["mountain cabins rent", "kayak tours"]
