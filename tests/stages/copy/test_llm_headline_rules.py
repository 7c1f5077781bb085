"""LLM headlines pass the same headline rules as the template's, through the real provider SDKs
against a loopback server that returns headlines no designer would set on a picture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from brandtruth.models.copy import CopyResult, Platform
from brandtruth.stages.context import StageContext
from brandtruth.stages.copy import generate_copy
from brandtruth.stages.copy.grounding import SupportIndex
from brandtruth.stages.copy.pools import build_pools
from tests.support.copy_builders import copy_input, make_ctx, rich_profile
from tests.support.fake_llm import FakeLLMServer, anthropic_good, openai_good

pytestmark = pytest.mark.timeout(60)


def openai_ctx(tmp_path: Path, server: FakeLLMServer) -> StageContext:
    return make_ctx(
        tmp_path,
        BRANDTRUTH_COPY_GENERATOR="openai",
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL=f"{server.url}/v1",
        BRANDTRUTH_OPENAI_MODEL="gpt-test",
    )


def anthropic_ctx(tmp_path: Path, server: FakeLLMServer) -> StageContext:
    return make_ctx(
        tmp_path,
        BRANDTRUTH_COPY_GENERATOR="anthropic",
        ANTHROPIC_API_KEY="sk-ant-test",
        ANTHROPIC_BASE_URL=server.url,
        BRANDTRUTH_ANTHROPIC_MODEL="claude-test",
    )


def assert_headlines_judged(result: CopyResult) -> None:
    profile = rich_profile()
    judge = build_pools(profile, SupportIndex(profile, False)).judge
    for v in result.variants:
        assert len(v.headline.split()) <= 7, v.headline
        assert judge.allows(v.headline), (v.headline, judge.reason(v.headline))
        assert v.headline.lower() not in v.description.lower()


BAD_HEADLINES: list[tuple[str, Platform, dict[str, Any]]] = [
    # Within LinkedIn's 70 characters, but ten words: too many to read on a picture.
    ("too long", Platform.LINKEDIN, {"headline": "Book meetings in seconds with the calendars you already use"}),
    ("cut tagline", Platform.META, {"headline": "Scheduling itself"}),
    ("brand alone", Platform.META, {"headline": "Acme Scheduler"}),
    ("section title", Platform.META, {"headline": "Scheduling & Reminders"}),
    (
        "said again below",
        Platform.META,
        {"headline": "Reminders that cut no-shows", "description": "Reminders that cut no-shows"},
    ),
]


@pytest.mark.parametrize(("case", "platform", "override"), BAD_HEADLINES, ids=[c for c, _, _ in BAD_HEADLINES])
async def test_openai_headline_failing_the_rules_is_replaced(
    tmp_path: Path, server: FakeLLMServer, case: str, platform: Platform, override: dict[str, Any]
) -> None:
    server.script = [openai_good(override)]
    result = await generate_copy(copy_input(rich_profile(), n=3, platforms=[platform]), openai_ctx(tmp_path, server))

    assert len(result.variants) == 3
    assert len(server.requests) == 1  # replaced in place, no repair round-trip for a headline
    assert_headlines_judged(result)
    # The model's body stays; only the headline is the template's, and the run says so.
    assert all(v.generator == "openai/gpt-test" for v in result.variants)
    assert all(override["headline"] != v.headline for v in result.variants)
    replaced = [w for w in result.warnings if "replaced by the template" in w]
    assert replaced and all(override["headline"] in w for w in replaced), result.warnings
    assert all(any("replaced by the template" in w for w in v.warnings) for v in result.variants)


async def test_anthropic_headline_failing_the_rules_is_replaced(tmp_path: Path, server: FakeLLMServer) -> None:
    server.script = [anthropic_good({"headline": "Scheduling itself"})]
    result = await generate_copy(
        copy_input(rich_profile(), n=2, platforms=[Platform.LINKEDIN]), anthropic_ctx(tmp_path, server)
    )
    assert len(result.variants) == 2
    assert_headlines_judged(result)
    assert all(v.generator.startswith("anthropic/") for v in result.variants)
    assert any("'Scheduling itself' replaced by the template" in w for w in result.warnings)


async def test_good_llm_headlines_are_kept(tmp_path: Path, server: FakeLLMServer) -> None:
    server.script = [openai_good()]
    result = await generate_copy(copy_input(rich_profile(), n=3), openai_ctx(tmp_path, server))
    assert not [w for w in result.warnings if "replaced by the template" in w]
    assert {v.headline for v in result.variants} <= {
        "Free 14-day trial",
        "Trusted by 12,000+ teams",
        "Book meetings in seconds",
    }
