"""`POST /workflow/check-copy` on a real server: against a pasted profile and against a fallback run."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from brandtruth.config import Settings
from tests.api.conftest import serve_api
from tests.conftest import wait_for
from tests.support.copy_builders import rich_profile
from tests.support.site_server import serve_sample_site

PROFILE = rich_profile().model_dump(mode="json")


async def test_verdicts_per_line_in_order(make_settings: Callable[..., Settings]) -> None:
    async with serve_api(make_settings()) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
        texts = ["Trusted by 12,000+ teams", "Trusted by NASA", "Cures insomnia", "Rated 4.8/5 on G2"]
        r = await http.post("/workflow/check-copy", json={"profile": PROFILE, "texts": texts})
        assert r.status_code == 200, r.text
        body = r.json()
        assert [x["text"] for x in body["results"]] == texts
        assert [x["verdict"] for x in body["results"]] == ["supported", "unsupported", "blocked", "supported"]
        assert body["all_supported"] is False
        nasa = body["results"][1]["issues"]
        assert any(i["span"] == "NASA" and i["class"] == "entity" for i in nasa), nasa
        assert body["results"][0]["evidence"][0]["quote"]


async def test_bad_input_is_422_and_unknown_run_404(make_settings: Callable[..., Settings]) -> None:
    async with serve_api(make_settings()) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
        for bad in (
            {"profile": PROFILE, "texts": []},
            {"profile": PROFILE, "texts": ["x" * 10_000]},
            {"texts": ["Book meetings"]},
            {"profile": PROFILE, "workflow_id": "pipeline-00", "texts": ["Book meetings"]},
            {"profile": {"brand_name": "no url"}, "texts": ["Book meetings"]},
        ):
            r = await http.post("/workflow/check-copy", json=bad)
            assert r.status_code == 422, (bad.keys(), r.text)
            assert r.json()["error"] == "invalid" and r.json()["detail"]
        r = await http.post("/workflow/check-copy", json={"workflow_id": "pipeline-deadbeef", "texts": ["Hi"]})
        assert r.status_code == 404, r.text

        # A line that cannot be checked gets its own error; the others are still judged.
        lines = ["", "Book\x00meetings", "Trusted by 12,000+ teams"]
        r = await http.post("/workflow/check-copy", json={"profile": PROFILE, "texts": lines})
        assert r.status_code == 200, r.text
        verdicts = r.json()["results"]
        assert [v["verdict"] for v in verdicts] == ["error", "error", "supported"]
        assert "empty" in verdicts[0]["error"] and "U+0000" in verdicts[1]["error"]


async def test_a_large_batch_the_schema_admits_is_checked_not_refused_for_size(
    make_settings: Callable[..., Settings],
) -> None:
    # Hundreds of lines are well past the API's general 64 KiB body limit but within what the route
    # accepts; only a body beyond its own limit gets 413, in the API's error shape.
    lines = [f"Trusted by 12,000+ teams, line {i} " + "with room to spare " * 12 for i in range(400)]
    async with serve_api(make_settings()) as api, httpx.AsyncClient(base_url=api, timeout=60) as http:
        r = await http.post("/workflow/check-copy", json={"profile": PROFILE, "texts": lines})
        assert r.status_code == 200, r.text[:300]
        results = r.json()["results"]
        assert [v["text"] for v in results] == lines
        assert all(v["verdict"] in ("supported", "unsupported") for v in results), results[0]

        huge = ["x" * 2000] * 2500
        r = await http.post("/workflow/check-copy", json={"profile": PROFILE, "texts": huge})
        assert r.status_code == 413 and r.json()["error"] == "payload_too_large", r.text[:300]


async def test_check_against_a_runs_profile(make_settings: Callable[..., Settings]) -> None:
    with serve_sample_site() as site:
        settings = make_settings(allowed_hosts=site.host_port)
        async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
            wid = (await http.post("/workflow/start", json={"url": site.url("/"), "num_variants": 1})).json()[
                "workflow_id"
            ]

            async def has_profile() -> bool:
                return (await http.get(f"/workflow/result/{wid}")).json().get("brand_profile") is not None

            await wait_for(has_profile, timeout=60)
            texts = ["Connect every source in minutes", "Trusted by NASA and the Pentagon"]
            r = await http.post("/workflow/check-copy", json={"workflow_id": wid, "texts": texts})
            assert r.status_code == 200, r.text
            verdicts = [x["verdict"] for x in r.json()["results"]]
            assert verdicts == ["supported", "unsupported"]
            assert r.json()["brand_name"] == "Clearbeam"
