"""The OpenAI generator through the real SDK (`chat.completions.parse`) against a loopback server."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from brandtruth.errors import BadInputError, RateLimitedError, TransientError, UpstreamUnavailableError
from brandtruth.models.copy import Platform
from brandtruth.platforms import spec_for
from brandtruth.stages.context import StageContext
from brandtruth.stages.copy import generate_copy
from brandtruth.stages.copy.checks import validate_variant
from brandtruth.stages.copy.errors import LLMRequestRejectedError
from brandtruth.stages.copy.grounding import SupportIndex
from tests.support.copy_builders import copy_input, make_ctx, rich_profile
from tests.support.fake_llm import FakeLLMServer, Scripted, openai_completion, openai_error, openai_good

pytestmark = pytest.mark.timeout(60)


def llm_ctx(tmp_path: Path, server: FakeLLMServer, timeout: float = 10.0) -> StageContext:
    return make_ctx(
        tmp_path,
        BRANDTRUTH_COPY_GENERATOR="openai",
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL=f"{server.url}/v1",
        BRANDTRUTH_OPENAI_MODEL="gpt-test",
        BRANDTRUTH_LLM_TIMEOUT=timeout,
    )


async def test_structured_output_becomes_grounded_variants(tmp_path: Path, server: FakeLLMServer) -> None:
    server.script = [openai_good()]
    profile = rich_profile()
    result = await generate_copy(copy_input(profile, n=3), llm_ctx(tmp_path, server))

    assert len(result.variants) == 3
    assert all(v.generator == "openai/gpt-test" for v in result.variants)
    index = SupportIndex(profile, False)
    assert all(validate_variant(v, spec_for(Platform.META), index).ok for v in result.variants)

    assert len(server.requests) == 1
    req = server.requests[0]
    assert req.path == "/v1/chat/completions"
    assert req.headers["authorization"] == "Bearer sk-test"
    assert req.headers.get("x-stainless-retry-count") == "0"
    fmt = req.body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["name"] == "LLMCopyOut"
    roles = [m["role"] for m in req.body["messages"]]
    assert roles == ["system", "user"]
    assert "<site_data>" in req.body["messages"][1]["content"]


async def test_malformed_json_is_repaired_once(tmp_path: Path, server: FakeLLMServer) -> None:
    server.script = [Scripted(200, openai_completion('{"variants": [{"slot": 1, "headline": ')), openai_good()]
    result = await generate_copy(copy_input(rich_profile(), n=2), llm_ctx(tmp_path, server))
    assert len(server.requests) == 2
    assert all(v.generator.startswith("openai/") for v in result.variants)
    repair = server.requests[1].body["messages"]
    assert repair[-1]["role"] == "user"
    assert "not valid JSON" in repair[-1]["content"]


async def test_malformed_twice_falls_back_to_template(tmp_path: Path, server: FakeLLMServer) -> None:
    server.script = [Scripted(200, openai_completion("Sure! Here are your ads:")) for _ in range(2)]
    result = await generate_copy(copy_input(rich_profile(), n=2), llm_ctx(tmp_path, server))
    assert len(server.requests) == 2
    assert len(result.variants) == 2
    assert all(v.generator == "template" for v in result.variants)
    assert any("OpenAI copy for meta failed validation" in w for w in result.warnings)


async def test_invented_statistic_is_rejected_repaired_and_replaced(tmp_path: Path, server: FakeLLMServer) -> None:
    invented = {"headline": "Save 73% on admin time"}
    server.script = [openai_good(invented), openai_good(invented)]
    result = await generate_copy(copy_input(rich_profile(), n=2), llm_ctx(tmp_path, server))
    repair = server.requests[1].body["messages"]
    assert [m["role"] for m in repair] == ["system", "user", "assistant", "user"]
    assert "73%" in repair[-1]["content"]
    assert json.loads(repair[2]["content"])["variants"][0]["headline"] == "Save 73% on admin time"
    assert all(v.generator == "template" for v in result.variants)
    assert not any("73" in v.headline + v.primary_text for v in result.variants)


async def test_refusal_counts_as_unusable(tmp_path: Path, server: FakeLLMServer) -> None:
    server.script = [Scripted(200, openai_completion("", refusal="I can't help with that")), openai_good()]
    result = await generate_copy(copy_input(rich_profile(), n=1), llm_ctx(tmp_path, server))
    assert "refused" in json.dumps(server.requests[1].body["messages"][-1])
    assert result.variants[0].generator.startswith("openai/")


async def test_cut_off_reply_counts_as_unusable(tmp_path: Path, server: FakeLLMServer) -> None:
    server.script = [Scripted(200, openai_completion('{"variants": [', finish_reason="length")), openai_good()]
    result = await generate_copy(copy_input(rich_profile(), n=1), llm_ctx(tmp_path, server))
    assert "cut off" in server.requests[1].body["messages"][-1]["content"]
    assert result.variants[0].generator.startswith("openai/")


@pytest.mark.parametrize(
    ("status", "error"),
    [(429, RateLimitedError), (500, UpstreamUnavailableError), (502, UpstreamUnavailableError)],
)
async def test_transient_statuses_raise_retryable_errors_once(
    tmp_path: Path, server: FakeLLMServer, status: int, error: type[Exception]
) -> None:
    server.script = [openai_error(status, "rate_limit_exceeded" if status == 429 else "server_error"), openai_good()]
    with pytest.raises(error) as info:
        await generate_copy(copy_input(rich_profile(), n=1), llm_ctx(tmp_path, server))
    assert isinstance(info.value, TransientError)
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [401, 403, 404, 400])
async def test_rejections_are_bad_input(tmp_path: Path, server: FakeLLMServer, status: int) -> None:
    server.script = [openai_error(status, "invalid_api_key")]
    with pytest.raises(LLMRequestRejectedError) as info:
        await generate_copy(copy_input(rich_profile(), n=1), llm_ctx(tmp_path, server))
    assert isinstance(info.value, BadInputError) and not info.value.retryable
    assert "test invalid_api_key" in info.value.message


async def test_timeout_is_retryable(tmp_path: Path, server: FakeLLMServer) -> None:
    server.script = [Scripted(200, openai_completion("{}"), delay=5.0)]
    start = time.monotonic()
    with pytest.raises(UpstreamUnavailableError, match="did not answer"):
        await generate_copy(copy_input(rich_profile(), n=1), llm_ctx(tmp_path, server, timeout=0.4))
    assert time.monotonic() - start < 4.0
    assert len(server.requests) == 1


async def test_connection_refused_is_retryable(tmp_path: Path) -> None:
    srv = FakeLLMServer()
    url = srv.url  # bound, but closed before any request
    srv.httpd.server_close()
    ctx = make_ctx(tmp_path, BRANDTRUTH_COPY_GENERATOR="openai", OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=f"{url}/v1")
    with pytest.raises(UpstreamUnavailableError, match="could not reach OpenAI"):
        await generate_copy(copy_input(rich_profile(), n=1), ctx)
