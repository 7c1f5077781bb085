"""The LLM generators go through exactly the truth gate: the issue's invented lines, written by a
model behind a real loopback server speaking each provider's API, are repaired once and then
replaced by template copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brandtruth.models.copy import Platform
from brandtruth.platforms import spec_for
from brandtruth.stages.context import StageContext
from brandtruth.stages.copy import generate_copy
from brandtruth.stages.copy.checks import validate_variant
from brandtruth.stages.copy.grounding import SupportIndex
from tests.support.copy_builders import copy_input, make_ctx, rich_profile
from tests.support.fake_llm import FakeLLMServer, anthropic_good, openai_good

pytestmark = pytest.mark.timeout(60)

# Lines that passed the old gate against a site that never says them (issue 12).
INVENTED = [
    "Save up to forty percent",
    "Nine out of ten teams prefer Acme",
    "Five-star rated",
    "Lowers blood pressure",
    "Trusted by NASA",
    "As featured in Forbes",
    "Zero downtime",
    "Satisfaction assured or your money returned",
]


def ctx_for(provider: str, tmp_path: Path, server: FakeLLMServer) -> StageContext:
    if provider == "anthropic":
        return make_ctx(
            tmp_path,
            BRANDTRUTH_COPY_GENERATOR="anthropic",
            ANTHROPIC_API_KEY="sk-ant-test",
            ANTHROPIC_BASE_URL=server.url,
            BRANDTRUTH_ANTHROPIC_MODEL="claude-test",
        )
    return make_ctx(
        tmp_path,
        BRANDTRUTH_COPY_GENERATOR="openai",
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL=f"{server.url}/v1",
        BRANDTRUTH_OPENAI_MODEL="gpt-test",
    )


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
@pytest.mark.parametrize("line", INVENTED)
async def test_invented_line_is_repaired_once_then_replaced(
    provider: str, line: str, tmp_path: Path, server: FakeLLMServer
) -> None:
    good = anthropic_good if provider == "anthropic" else openai_good
    invented = {"primary_text": f"{line}. Book meetings in seconds."}
    server.script = [good(invented), good(invented)]
    profile = rich_profile()
    result = await generate_copy(copy_input(profile, n=2), ctx_for(provider, tmp_path, server))

    assert len(server.requests) == 2  # the first reply and one repair
    assert line.split()[0] in json.dumps(server.requests[1].body)  # the repair names the problem
    assert len(result.variants) == 2
    assert all(v.generator == "template" for v in result.variants)
    assert not any(line.lower() in v.primary_text.lower() for v in result.variants)
    index = SupportIndex(profile, False)
    for v in result.variants:
        assert validate_variant(v, spec_for(Platform.META), index).ok


async def test_a_repaired_reply_that_drops_the_invention_is_kept(tmp_path: Path, server: FakeLLMServer) -> None:
    server.script = [anthropic_good({"headline": "Trusted by NASA"}), anthropic_good()]
    result = await generate_copy(copy_input(rich_profile(), n=2), ctx_for("anthropic", tmp_path, server))
    assert len(server.requests) == 2
    assert all(v.generator.startswith("anthropic/") for v in result.variants)
    assert not any("NASA" in v.headline for v in result.variants)
