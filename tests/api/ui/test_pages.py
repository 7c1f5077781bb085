"""The page shells: security headers, escaping, the config block the scripts read, static files."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import httpx

from brandtruth.config import Settings
from tests.api.conftest import serve_api


def config_of(html: str) -> dict[str, object]:
    match = re.search(r'<script type="application/json" id="ui-config">(.*?)</script>', html, re.S)
    assert match, "config block missing"
    data = json.loads(match.group(1))
    assert isinstance(data, dict)
    return data


async def test_pages_render_with_a_strict_policy(make_settings: Callable[..., Settings]) -> None:
    async with serve_api(make_settings()) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
        for path in ("/", "/runs", "/runs/pipeline-0123456789ab"):
            page = await http.get(path)
            assert page.status_code == 200, path
            assert page.headers["content-type"].startswith("text/html")
            csp = page.headers["content-security-policy"]
            assert "script-src 'self'" in csp and "object-src 'none'" in csp and "'unsafe-inline'" not in csp
            assert page.headers["x-content-type-options"] == "nosniff"
            # No inline script may run: every <script> is either a file from /ui/static or inert JSON.
            for tag in re.findall(r"<script[^>]*>", page.text):
                assert 'src="/ui/static/' in tag or 'type="application/json"' in tag, tag
        config = config_of((await http.get("/")).text)
        assert config["authRequired"] is False
        assert config["formatOrder"] == ["square", "portrait", "story", "landscape"]
        stages = config["stages"]
        assert isinstance(stages, list) and stages[0]["id"] == "pending" and stages[-1]["id"] == "completed"

        form = (await http.get("/")).text
        for field in ("url", "num_variants", "objective"):
            assert f'<label for="{field}">' in form and f'id="{field}"' in form
        assert form.count('name="platforms"') == 4 and form.count('name="formats"') == 4

        run = (await http.get("/runs/pipeline-0123456789ab")).text
        assert 'data-workflow-id="pipeline-0123456789ab"' in run

        for asset in ("app.css", "lib/api.js", "lib/dom.js", "run/main.js", "new.js", "runs.js", "favicon.svg"):
            served = await http.get(f"/ui/static/{asset}")
            assert served.status_code == 200, asset
        # Module scripts only run when served with a JavaScript type.
        assert "javascript" in (await http.get("/ui/static/run/main.js")).headers["content-type"]


async def test_a_bad_run_id_is_a_404_page_with_the_id_escaped(make_settings: Callable[..., Settings]) -> None:
    async with serve_api(make_settings()) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
        page = await http.get("/runs/<img src=x onerror=alert(1)>")
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "<img src=x" not in page.text
        assert "&lt;img src=x onerror=alert(1)&gt;" in page.text


async def test_the_page_says_when_an_api_key_is_needed_but_never_shows_it(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(BRANDTRUTH_API_KEY="not-for-the-page")
    async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
        page = await http.get("/")
        assert page.status_code == 200  # the shell is public; the data behind it is not
        assert config_of(page.text)["authRequired"] is True
        assert "not-for-the-page" not in page.text
        assert (await http.get("/workflow/runs")).status_code == 401
