"""Bad requests get a clear JSON error with the right status, never a 500 or a hang."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from brandtruth.config import Settings
from tests.api.conftest import serve_api


@pytest.fixture
async def http(make_settings: Callable[..., Settings]) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_api(make_settings()) as api, httpx.AsyncClient(base_url=api, timeout=10) as client:
        yield client


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"url": "ftp://example.com/"}, "http"),
        ({"url": "javascript:alert(1)"}, "http"),
        ({"url": "not a url"}, "url"),
        ({"url": "https://"}, "host"),
        ({"url": "http://example.com:99999/"}, "valid URL"),
        ({"url": "https://example.com", "num_variants": 0}, "num_variants"),
        ({"url": "https://example.com", "num_variants": 11}, "num_variants"),
        ({"url": "https://example.com", "platforms": ["myspace"]}, "platforms"),
        ({"url": "https://example.com", "formats": ["banner"]}, "formats"),
        ({"num_variants": 3}, "url"),
        ({"url": "http://169.254.169.254/latest/meta-data/"}, "link-local"),
        ({"url": "http://2130706433/"}, "refusing"),
        ({"url": "http://[::ffff:10.0.0.1]/"}, "refusing"),
        ({"url": "http://user:secret@example.com/"}, "credentials"),
    ],
)
async def test_start_rejects_bad_input(http: httpx.AsyncClient, body: dict[str, object], fragment: str) -> None:
    response = await http.post("/workflow/start", json=body)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"
    assert fragment.lower() in response.json()["detail"].lower()


async def test_malformed_json_is_422(http: httpx.AsyncClient) -> None:
    response = await http.post("/workflow/start", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422


async def test_oversized_body_is_413(http: httpx.AsyncClient) -> None:
    huge = {"url": "https://example.com/" + "a" * 100_000}
    response = await http.post("/workflow/start", json=huge)
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"


async def test_oversized_chunked_body_is_413(http: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b"x" * 1024

    response = await http.post("/workflow/start", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/workflow/progress/pipeline-000000000000"),
        ("GET", "/workflow/result/pipeline-000000000000"),
        ("GET", "/workflow/stream/pipeline-000000000000"),
        ("POST", "/workflow/cancel/pipeline-000000000000"),
        ("GET", "/workflow/result/not-a-pipeline"),
    ],
)
async def test_unknown_workflow_is_404(http: httpx.AsyncClient, method: str, path: str) -> None:
    response = await http.request(method, path)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


async def test_approve_unknown_run_is_404(http: httpx.AsyncClient) -> None:
    response = await http.post("/workflow/approve/not-a-pipeline", json={"variant_ids": ["v1"]})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/workflow/artifacts/pipeline-0/../../../etc/passwd",
        "/workflow/artifacts/pipeline-0/%2e%2e/%2e%2e/etc/passwd",
        "/workflow/artifacts/..%2f..%2fetc/passwd",
        "/workflow/artifacts/pipeline-0/missing.png",
    ],
)
async def test_artifacts_never_escape_the_store(http: httpx.AsyncClient, path: str) -> None:
    response = await http.get(path)
    assert response.status_code == 404
    assert b"root:" not in response.content


async def test_api_key_required_when_configured(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(BRANDTRUTH_API_KEY="s3cret-key")
    async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=10) as http:
        assert (await http.get("/workflow/health")).status_code == 200
        missing = await http.post("/workflow/start", json={"url": "https://example.com"})
        assert missing.status_code == 401
        wrong = await http.get("/workflow/result/pipeline-0", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        right = await http.get("/workflow/result/pipeline-000000000000", headers={"Authorization": "Bearer s3cret-key"})
        assert right.status_code == 404
        as_query = await http.get("/workflow/result/pipeline-000000000000?access_token=s3cret-key")
        assert as_query.status_code == 401  # the key in a URL is refused (tests/api/test_auth.py)


async def test_openapi_documents_the_contract(http: httpx.AsyncClient) -> None:
    schema = (await http.get("/openapi.json")).json()
    paths = schema["paths"]
    for route in (
        "start",
        "progress/{workflow_id}",
        "stream/{workflow_id}",
        "result/{workflow_id}",
        "approve/{workflow_id}",
        "cancel/{workflow_id}",
        "health",
    ):
        assert f"/workflow/{route}" in paths
    assert "PipelineRequest" in schema["components"]["schemas"]
