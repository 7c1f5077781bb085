"""The API key never travels in a URL: bearer header for scripts, an HttpOnly session cookie for browsers."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import uvicorn

from brandtruth.api.app import create_app
from brandtruth.api.auth import SESSION_COOKIE, session_is_valid, session_value
from brandtruth.config import Settings
from brandtruth.storage import ArtifactStore
from tests.api.conftest import serve_api
from tests.conftest import wait_for
from tests.support.logs import captured_logs

KEY = "s3cret-key-9b1e"
RUN = "pipeline-0123456789ab"


def test_a_session_value_is_bound_to_the_key_and_expires() -> None:
    value = session_value(KEY, now=1_000_000)
    assert KEY not in value
    assert session_is_valid(KEY, value, now=1_000_000 + 60)
    assert not session_is_valid("another-key", value, now=1_000_000 + 60)  # rotating the key ends sessions
    assert not session_is_valid(KEY, value, now=1_000_000 + 13 * 3600)  # expired
    expires, _, signature = value.partition(".")
    assert not session_is_valid(KEY, f"{int(expires) + 3600}.{signature}", now=1_000_000)  # extended by hand
    assert not session_is_valid(KEY, "garbage", now=1_000_000)


async def test_browser_session_cookie(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(BRANDTRUTH_API_KEY=KEY)
    async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
        assert (await http.post("/workflow/session", json={"key": "wrong"})).status_code == 401
        assert SESSION_COOKIE not in http.cookies
        signed = await http.post("/workflow/session", json={"key": KEY})
        assert signed.status_code == 204
        cookie = signed.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/workflow" in cookie
        assert KEY.lower() not in cookie
        assert (await http.get(f"/workflow/result/{RUN}")).status_code == 404  # authorised: the run is unknown

        # A change sent from another origin's page (even another port of this host) is refused.
        foreign = await http.post(
            "/workflow/start", json={"url": "https://example.com/"}, headers={"Origin": "http://127.0.0.1:1"}
        )
        assert foreign.status_code == 403
        own = await http.post(f"/workflow/cancel/{RUN}", headers={"Origin": api})
        assert own.status_code == 404

        http.cookies.set(SESSION_COOKIE, session_value(KEY, now=time.time() - 13 * 3600), path="/workflow")
        expired = await http.get(f"/workflow/result/{RUN}")
        assert expired.status_code == 401 and "expired" in expired.json()["detail"]

        assert (await http.delete("/workflow/session")).status_code == 204
        assert (await http.get(f"/workflow/result/{RUN}")).status_code == 401


async def test_the_key_in_a_query_string_is_refused_and_artifacts_are_not_cached(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(BRANDTRUTH_API_KEY=KEY)
    ArtifactStore(settings.artifacts_dir).put(f"{RUN}/creatives/v1-square.png", b"\x89PNG\r\n\x1a\n")
    async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
        for param in ("access_token", "token", "api_key", "key"):
            refused = await http.get(
                f"/workflow/artifacts/{RUN}/creatives/v1-square.png?{param}={KEY}",
                headers={"Authorization": f"Bearer {KEY}"},
            )
            assert refused.status_code == 401, param
            assert "URL" in refused.json()["detail"]
        served = await http.get(
            f"/workflow/artifacts/{RUN}/creatives/v1-square.png", headers={"Authorization": f"Bearer {KEY}"}
        )
        assert served.status_code == 200
        assert served.headers["cache-control"] == "no-store"


@asynccontextmanager
async def _api_with_access_log(settings: Settings) -> AsyncIterator[str]:
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="info", access_log=True)
    )
    task = asyncio.create_task(server.serve())
    try:
        await wait_for(lambda: server.started, timeout=20)
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 20)


async def test_the_access_log_never_shows_a_key_from_a_url(make_settings: Callable[..., Settings]) -> None:
    async with _api_with_access_log(make_settings(BRANDTRUTH_API_KEY=KEY)) as api:
        # Attached once the server runs: uvicorn sets up its access logger at start-up.
        with captured_logs("uvicorn.access", level=logging.INFO) as access:
            async with httpx.AsyncClient(base_url=api, timeout=30) as http:
                await http.get(f"/workflow/result/{RUN}?access_token={KEY}&after=3")
                await http.get(f"/workflow/stream/{RUN}?token={KEY}")
    logged = [line for line in access.messages() if "/workflow/" in line]
    assert len(logged) == 2, access.messages()
    assert all(KEY not in line for line in logged), logged
    assert "access_token=***&after=3" in logged[0]
