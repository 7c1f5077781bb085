"""The fixture-site server does exactly what each fault promises; other suites rely on it."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.support.site_server import (
    SITES_DIR,
    Fault,
    load_routes,
    resolve_site,
    sample_site_dir,
    serve_sample_site,
    serve_site,
)

pytestmark = pytest.mark.timeout(30)

INDEX = "<!DOCTYPE html><html><head><title>Tiny</title></head><body><h1>Tiny site</h1></body></html>"


@pytest.fixture
def tiny_site(tmp_path: Path) -> Path:
    """A minimal site written per test, so each fault is exercised against known bytes."""
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    (tmp_path / "about.html").write_text("<h1>About</h1>", encoding="utf-8")
    (tmp_path / "style.css").write_text(":root{--brand-primary:#123456}", encoding="utf-8")
    (tmp_path / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (tmp_path / "app.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0fakejpeg")
    (tmp_path / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\nfakepng")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.html").write_text("<h1>Docs</h1>", encoding="utf-8")
    (tmp_path / "expected.json").write_text("{}", encoding="utf-8")
    return tmp_path


def client() -> httpx.Client:
    return httpx.Client(timeout=5.0, follow_redirects=False)


def test_binds_loopback_ephemeral_port_and_reports_urls(tiny_site: Path) -> None:
    with serve_site(tiny_site) as site:
        assert site.host == "127.0.0.1"
        assert site.port > 0
        assert site.host_port == f"127.0.0.1:{site.port}"
        assert site.base_url == f"http://127.0.0.1:{site.port}"
        assert site.url("/about.html") == f"{site.base_url}/about.html"
        assert site.url("about.html") == f"{site.base_url}/about.html"
        with client() as c:
            assert c.get(site.url("/")).status_code == 200
    # After the block the port is closed.
    with socket.socket() as s:
        s.settimeout(1)
        assert s.connect_ex(("127.0.0.1", site.port)) != 0


def test_serves_files_with_explicit_content_types(tiny_site: Path) -> None:
    expected = {
        "/": "text/html; charset=utf-8",
        "/about.html": "text/html; charset=utf-8",
        "/style.css": "text/css; charset=utf-8",
        "/logo.svg": "image/svg+xml",
        "/app.js": "text/javascript; charset=utf-8",
        "/robots.txt": "text/plain; charset=utf-8",
        "/photo.jpg": "image/jpeg",
        "/pic.png": "image/png",
    }
    with serve_site(tiny_site) as site, client() as c:
        for path, ctype in expected.items():
            r = c.get(site.url(path))
            assert r.status_code == 200, path
            assert r.headers["content-type"] == ctype, path
        assert c.get(site.url("/")).text == INDEX
        assert c.get(site.url("/photo.jpg")).content == b"\xff\xd8\xff\xe0fakejpeg"


def test_directories_missing_files_and_hidden_metadata(tiny_site: Path) -> None:
    with serve_site(tiny_site) as site, client() as c:
        r = c.get(site.url("/docs"))
        assert r.status_code == 301
        assert r.headers["location"] == "/docs/"
        assert c.get(site.url("/docs/")).text == "<h1>Docs</h1>"
        assert c.get(site.url("/nope.html")).status_code == 404
        assert c.get(site.url("/expected.json")).status_code == 404
        assert c.get(site.url("/_routes.json")).status_code == 404
        assert c.post(site.url("/")).status_code == 405


def test_custom_404_page_is_served_with_404_status(tiny_site: Path) -> None:
    (tiny_site / "404.html").write_text("<h1>Lost? Try our homepage</h1>", encoding="utf-8")
    with serve_site(tiny_site) as site, client() as c:
        r = c.get(site.url("/gone.html"))
        assert r.status_code == 404
        assert "Lost?" in r.text


def test_path_traversal_cannot_escape_the_root(tiny_site: Path) -> None:
    (tiny_site.parent / "secret.txt").write_text("top secret", encoding="utf-8")
    with serve_site(tiny_site) as site:
        # http.client sends the path verbatim (httpx would normalise the dot segments away).
        conn = http.client.HTTPConnection(site.host, site.port, timeout=5)
        try:
            for raw in ("/../secret.txt", "/%2e%2e/secret.txt", "/docs/../../secret.txt"):
                conn.request("GET", raw)
                resp = conn.getresponse()
                body = resp.read()
                assert resp.status == 404, raw
                assert b"top secret" not in body
        finally:
            conn.close()


def test_head_sends_headers_without_body(tiny_site: Path) -> None:
    with serve_site(tiny_site) as site, client() as c:
        r = c.head(site.url("/"))
        assert r.status_code == 200
        assert r.headers["content-length"] == str(len(INDEX))
        assert r.content == b""


def test_hits_count_per_path_and_are_thread_safe(tiny_site: Path) -> None:
    with serve_site(tiny_site) as site:
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                with client() as c:
                    for _ in range(10):
                        assert c.get(site.url("/about.html?x=1")).status_code == 200
            except BaseException as exc:  # surfaced below; a thread cannot fail the test itself
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=20)
        assert not errors
        assert site.hits["/about.html"] == 50  # query strings do not split the count
        assert site.hits["/never.html"] == 0
        assert site.hits.total() == 50
        assert site.requests[0].query == "x=1"
        assert site.requests[0].method == "GET"
        site.hits.reset()
        assert site.hits.snapshot() == {}


def test_requests_record_headers(tiny_site: Path) -> None:
    with serve_site(tiny_site) as site, client() as c:
        c.get(site.url("/"), headers={"User-Agent": "BrandTruthBot/1.0"})
        (req,) = site.requests
        assert req.path == "/"
        assert req.headers["User-Agent"] == "BrandTruthBot/1.0"


def test_status_override_keeps_the_file_body(tiny_site: Path) -> None:
    faults = {"/about.html": Fault(status=500), "/missing.html": Fault(status=410)}
    with serve_site(tiny_site, faults=faults) as site, client() as c:
        r = c.get(site.url("/about.html"))
        assert r.status_code == 500
        assert r.text == "<h1>About</h1>"
        r = c.get(site.url("/missing.html"))
        assert r.status_code == 410
        assert "410 Gone" in r.text


def test_fail_times_then_serves_normally(tiny_site: Path) -> None:
    faults = {"/": Fault(fail_times=2, headers={"Retry-After": "0"})}
    with serve_site(tiny_site, faults=faults) as site, client() as c:
        first, second, third, fourth = (c.get(site.url("/")) for _ in range(4))
        assert [first.status_code, second.status_code] == [503, 503]
        assert first.headers["retry-after"] == "0"
        assert third.status_code == 200
        assert third.text == INDEX
        assert fourth.status_code == 200
        assert site.hits["/"] == 4


def test_fail_status_is_configurable(tiny_site: Path) -> None:
    with serve_site(tiny_site, faults={"/": Fault(fail_times=1, fail_status=429)}) as site, client() as c:
        assert c.get(site.url("/")).status_code == 429
        assert c.get(site.url("/")).status_code == 200


@pytest.mark.parametrize(
    ("status", "location"),
    [
        (None, "http://10.0.0.1/"),
        (301, "http://169.254.169.254/latest/meta-data"),
        (302, "/about.html"),
        (307, "http://[::1]:9/"),
    ],
)
def test_redirect_sends_location_verbatim(tiny_site: Path, status: int | None, location: str) -> None:
    with (
        serve_site(tiny_site, faults={"/go": Fault(redirect=location, status=status)}) as site,
        client() as c,
    ):
        r = c.get(site.url("/go"))
        assert r.status_code == (status or 302)
        assert r.headers["location"] == location


def test_relative_redirect_can_be_followed(tiny_site: Path) -> None:
    with serve_site(tiny_site, faults={"/old": Fault(redirect="/about.html", status=301)}) as site:
        with httpx.Client(timeout=5, follow_redirects=True) as c:
            r = c.get(site.url("/old"))
        assert r.status_code == 200
        assert r.text == "<h1>About</h1>"
        assert site.hits["/old"] == 1
        assert site.hits["/about.html"] == 1


def test_delay_holds_the_response(tiny_site: Path) -> None:
    with serve_site(tiny_site, faults={"/slow.html": Fault(delay=0.6, body="slow")}) as site:
        with client() as c:
            start = time.monotonic()
            r = c.get(site.url("/slow.html"))
            assert r.text == "slow"
            assert time.monotonic() - start >= 0.55
        with httpx.Client(timeout=0.2) as fast, pytest.raises(httpx.ReadTimeout):
            fast.get(site.url("/slow.html"))


def test_body_delay_stalls_after_headers(tiny_site: Path) -> None:
    with (
        serve_site(tiny_site, faults={"/": Fault(body_delay=2.0)}) as site,
        httpx.Client(timeout=httpx.Timeout(5.0, read=0.3)) as c,
        c.stream("GET", site.url("/")) as r,
    ):
        assert r.status_code == 200  # headers arrived promptly
        with pytest.raises(httpx.ReadTimeout):
            r.read()


def test_delayed_handlers_do_not_block_shutdown(tiny_site: Path) -> None:
    started = time.monotonic()
    with serve_site(tiny_site, faults={"/": Fault(delay=30)}) as site:

        def hang() -> None:
            try:
                with httpx.Client(timeout=2) as c:
                    c.get(site.url("/"))
            except httpx.HTTPError:
                pass

        t = threading.Thread(target=hang, daemon=True)
        t.start()
        deadline = time.monotonic() + 5
        while site.hits["/"] == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert site.hits["/"] == 1
    assert time.monotonic() - started < 5


def test_lying_content_length_announces_more_than_it_sends(tiny_site: Path) -> None:
    two_gb = 2 * 1024**3
    with (
        serve_site(tiny_site, faults={"/": Fault(content_length=two_gb)}) as site,
        client() as c,
        c.stream("GET", site.url("/")) as r,
    ):
        assert r.status_code == 200
        assert r.headers["content-length"] == str(two_gb)
        received = b""
        with pytest.raises(httpx.RemoteProtocolError):
            for chunk in r.iter_bytes():
                received += chunk
        assert received == INDEX.encode()


def test_body_bytes_sends_filler_without_content_length(tiny_site: Path) -> None:
    faults = {"/": Fault(body_bytes=300_000), "/endless.html": Fault(body_bytes=70_000)}
    with serve_site(tiny_site, faults=faults) as site, client() as c:
        with c.stream("GET", site.url("/")) as r:
            assert "content-length" not in r.headers
            assert r.headers["connection"] == "close"
            data = r.read()
        assert len(data) == 300_000
        assert INDEX.encode() not in data
        r = c.get(site.url("/endless.html"))  # no such file: the filler is the whole response
        assert r.status_code == 200
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert len(r.content) == 70_000


def test_content_type_override(tiny_site: Path) -> None:
    ctype = "text/html; charset=ISO-8859-1"
    with serve_site(tiny_site, faults={"/about.html": Fault(content_type=ctype)}) as site, client() as c:
        assert c.get(site.url("/about.html")).headers["content-type"] == ctype
        assert c.get(site.url("/")).headers["content-type"] == "text/html; charset=utf-8"


def test_inline_body_serves_a_path_with_no_file(tiny_site: Path) -> None:
    with serve_site(tiny_site, faults={"/robots.txt": Fault(body="User-agent: *\nDisallow: /\n")}) as site:
        with client() as c:
            r = c.get(site.url("/robots.txt"))
        assert r.text == "User-agent: *\nDisallow: /\n"


def test_routes_json_is_loaded_and_code_faults_win(tiny_site: Path) -> None:
    routes = {
        "/go-metadata": {"redirect": "http://169.254.169.254/latest/meta-data", "status": 301},
        "/about.html": {"status": 500},
        "*.css": {"content_type": "text/css; charset=windows-1252"},
        "/flaky.html": {"fail_times": 1, "body": "ok now", "headers": {"X-Test": 1}},
    }
    (tiny_site / "_routes.json").write_text(json.dumps(routes), encoding="utf-8")
    with serve_site(tiny_site, faults={"/about.html": Fault()}) as site, client() as c:
        r = c.get(site.url("/go-metadata"))
        assert r.status_code == 301
        assert r.headers["location"] == "http://169.254.169.254/latest/meta-data"
        assert c.get(site.url("/about.html")).status_code == 200  # code fault replaced the file's
        assert c.get(site.url("/style.css")).headers["content-type"] == "text/css; charset=windows-1252"
        first = c.get(site.url("/flaky.html"))
        assert first.status_code == 503
        assert first.headers["x-test"] == "1"
        assert c.get(site.url("/flaky.html")).text == "ok now"
        assert c.get(site.url("/_routes.json")).status_code == 404


def test_exact_path_beats_pattern_and_longest_pattern_wins(tiny_site: Path) -> None:
    faults = {
        "*": Fault(headers={"X-Rule": "star"}),
        "/docs/*": Fault(headers={"X-Rule": "docs"}),
        "/about.html": Fault(headers={"X-Rule": "exact"}),
    }
    with serve_site(tiny_site, faults=faults) as site, client() as c:
        assert c.get(site.url("/about.html")).headers["x-rule"] == "exact"
        assert c.get(site.url("/docs/")).headers["x-rule"] == "docs"
        assert c.get(site.url("/style.css")).headers["x-rule"] == "star"


def test_set_fault_changes_behaviour_while_running(tiny_site: Path) -> None:
    with serve_site(tiny_site) as site, client() as c:
        assert c.get(site.url("/")).status_code == 200
        site.set_fault("/", Fault(status=502))
        assert c.get(site.url("/")).status_code == 502
        site.set_fault("/", None)
        assert c.get(site.url("/")).status_code == 200


def test_unknown_fault_field_in_routes_json_is_rejected(tiny_site: Path) -> None:
    (tiny_site / "_routes.json").write_text(json.dumps({"/": {"stauts": 500}}), encoding="utf-8")
    with pytest.raises(ValueError, match="stauts"):
        load_routes(tiny_site)


def test_resolve_site_by_path_and_unknown_name(tiny_site: Path) -> None:
    assert resolve_site(tiny_site) == tiny_site.resolve()
    assert resolve_site(str(tiny_site)) == tiny_site.resolve()
    with pytest.raises(FileNotFoundError, match="no-such-site"):
        resolve_site("no-such-site")
    assert SITES_DIR.name == "sites"


def test_serve_sample_site_serves_the_bundled_brand() -> None:
    assert (sample_site_dir() / "index.html").is_file()
    with serve_sample_site() as site, client() as c:
        r = c.get(site.url("/"))
        assert r.status_code == 200
        assert "Clearbeam" in r.text
        assert c.get(site.url("/assets/site.css")).headers["content-type"] == "text/css; charset=utf-8"
        assert c.get(site.url("/assets/logo.svg")).headers["content-type"] == "image/svg+xml"
        assert c.get(site.url("/robots.txt")).status_code == 200


async def test_works_with_async_clients(tiny_site: Path) -> None:
    with serve_site(tiny_site, faults={"/": Fault(fail_times=1)}) as site:
        async with httpx.AsyncClient(timeout=5) as c:
            assert (await c.get(site.url("/"))).status_code == 503
            assert (await c.get(site.url("/"))).status_code == 200
