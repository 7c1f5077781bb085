"""LLM SDKs load only when a key asks for them: a template-only worker does not carry them."""

from __future__ import annotations

import subprocess
import sys

from brandtruth.config import Settings
from brandtruth.stages.copy.stage import make_llm_client

_PROBE = "import sys, brandtruth.temporal.activities; print(sorted({'anthropic', 'openai'} & set(sys.modules)))"


def test_worker_activities_import_no_llm_sdk() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


async def test_a_configured_provider_still_gets_its_client() -> None:
    made = make_llm_client(Settings(copy_generator="openai", openai_api_key="sk-test"))
    assert made is not None and made[1] == "OpenAI"
    await made[0].aclose()
    assert make_llm_client(Settings(copy_generator="template")) is None
