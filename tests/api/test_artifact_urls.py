"""Every file a result names comes with a ready `url` on the API that serves exactly that file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import httpx

from brandtruth.config import Settings
from tests.api.conftest import SseReader, serve_api
from tests.support.site_server import serve_sample_site


def artifacts(node: object) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        own = [node] if "sha256" in node and "path" in node else []
        return own + [a for v in node.values() for a in artifacts(v)]
    if isinstance(node, list):
        return [a for v in node for a in artifacts(v)]
    return []


async def test_every_artifact_url_serves_its_file(make_settings: Callable[..., Settings]) -> None:
    with serve_sample_site() as site:
        settings = make_settings(allowed_hosts=site.host_port)
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=60) as http:
            started = await http.post(
                "/workflow/start", json={"url": site.url("/"), "num_variants": 1, "formats": ["square"]}
            )
            wid = started.json()["workflow_id"]
            async with http.stream("GET", f"/workflow/stream/{wid}") as stream:
                await SseReader().read_until_stage(stream, "awaiting_approval")
            result = (await http.get(f"/workflow/result/{wid}")).json()
            refs = artifacts(result)
            kinds = {ref["path"].split("/")[1] for ref in refs}
            assert {"creatives", "heatmaps"} <= kinds, kinds
            for ref in refs:
                assert ref["url"].startswith(f"/workflow/artifacts/{wid}/"), ref
                served = await http.get(ref["url"])
                assert served.status_code == 200, ref
                assert hashlib.sha256(served.content).hexdigest() == ref["sha256"]
            await http.post(f"/workflow/cancel/{wid}")
