"""Anthropic adapter: Messages API with a forced tool call as the structured-output channel.

The official async SDK is used with `max_retries=0` (Temporal owns retries) and the configured
timeout; 429/529/5xx/timeouts become the project's retryable errors, 4xx the non-retryable
`LLMRequestRejectedError`. A reply without the tool call, cut off at `max_tokens`, or with input
that does not match the schema is returned as a `Reply` with a problem, for the repair round.
"""

from __future__ import annotations

from typing import Any, cast

import anthropic
from anthropic.types import Message, MessageParam, ToolChoiceToolParam, ToolParam
from pydantic import ValidationError

from brandtruth.config import Settings
from brandtruth.stages.copy.errors import connection_error, map_status_error, timeout_error
from brandtruth.stages.copy.llm import TOOL_NAME, LLMCopyOut, Reply, validation_summary

PROVIDER = "Anthropic"
MAX_TOKENS = 4096
_TOOL_CHOICE: ToolChoiceToolParam = {"type": "tool", "name": TOOL_NAME, "disable_parallel_tool_use": True}


def _tool() -> ToolParam:
    schema = LLMCopyOut.model_json_schema()
    return cast(
        ToolParam,
        {
            "name": TOOL_NAME,
            "description": "Submit the ad copy variants for the requested slots.",
            "input_schema": schema,
        },
    )


def _assistant_blocks(message: Message) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for block in message.content:
        if block.type == "text":
            blocks.append({"type": "text", "text": block.text})
        elif block.type == "tool_use":
            blocks.append({"type": "tool_use", "id": block.id, "name": block.name, "input": block.input})
    return blocks


class AnthropicCopyClient:
    """One async client per stage run; `ask` is the `llm.AskFn` for this provider."""

    def __init__(self, settings: Settings) -> None:
        self.model = settings.anthropic_model
        self.timeout = settings.llm_timeout_seconds
        self.client = anthropic.AsyncAnthropic(
            api_key=settings.anthropic_api_key,
            base_url=settings.anthropic_base_url,
            max_retries=0,
            timeout=settings.llm_timeout_seconds,
        )

    @property
    def generator(self) -> str:
        return f"anthropic/{self.model}"

    async def aclose(self) -> None:
        await self.client.close()

    def _messages(self, user: str, previous: Reply | None, feedback: str) -> list[MessageParam]:
        if previous is None:
            return [{"role": "user", "content": user}]
        prev = previous.state if isinstance(previous.state, Message) else None
        blocks = _assistant_blocks(prev) if prev is not None else []
        if not blocks:
            return [{"role": "user", "content": f"{user}\n\n{feedback}"}]
        tool_ids = [b["id"] for b in blocks if b["type"] == "tool_use"]
        follow_up: list[dict[str, Any]] = [
            {"type": "tool_result", "tool_use_id": tid, "content": feedback, "is_error": True} for tid in tool_ids
        ]
        if not follow_up:
            follow_up = [{"type": "text", "text": feedback}]
        return cast(
            list[MessageParam],
            [
                {"role": "user", "content": user},
                {"role": "assistant", "content": blocks},
                {"role": "user", "content": follow_up},
            ],
        )

    async def ask(self, system: str, user: str, previous: Reply | None, feedback: str) -> Reply:
        try:
            message = await self.client.messages.create(
                model=self.model,
                max_tokens=MAX_TOKENS,
                system=system,
                messages=self._messages(user, previous, feedback),
                tools=[_tool()],
                tool_choice=_TOOL_CHOICE,
            )
        except anthropic.APITimeoutError as exc:
            raise timeout_error(PROVIDER, self.timeout) from exc
        except anthropic.APIConnectionError as exc:
            raise connection_error(PROVIDER, str(exc)) from exc
        except anthropic.APIStatusError as exc:
            raise map_status_error(PROVIDER, exc.status_code, exc.api_message or exc.message) from exc
        return self._read(message)

    @staticmethod
    def _read(message: Message) -> Reply:
        if message.stop_reason == "max_tokens":
            return Reply(None, f"the reply was cut off at {MAX_TOKENS} tokens; write shorter copy", message)
        call = next((b for b in message.content if b.type == "tool_use" and b.name == TOOL_NAME), None)
        if call is None:
            return Reply(None, f"no {TOOL_NAME} tool call in the reply", message)
        try:
            return Reply(LLMCopyOut.model_validate(call.input), "", message)
        except ValidationError as exc:
            return Reply(None, validation_summary(exc), message)
