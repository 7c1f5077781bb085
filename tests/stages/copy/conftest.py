"""Fixtures for the copy-stage tests; the builders live in copy_builders.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from brandtruth.models.brand import BrandProfile
from brandtruth.stages.context import StageContext
from tests.support.copy_builders import bare_profile, make_ctx, rich_profile
from tests.support.fake_llm import FakeLLMServer


@pytest.fixture
def profile() -> BrandProfile:
    return rich_profile()


@pytest.fixture
def empty_profile() -> BrandProfile:
    return bare_profile()


@pytest.fixture
def ctx(tmp_path: Path) -> StageContext:
    return make_ctx(tmp_path)


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    """A fake LLM provider (OpenAI and Anthropic APIs) on 127.0.0.1."""
    srv = FakeLLMServer().start()
    try:
        yield srv
    finally:
        srv.stop()
