"""OpenAI adapter: Chat Completions structured outputs, parsed into the pydantic reply model.

`client.chat.completions.parse(response_format=LLMCopyOut)` sends a strict JSON schema
(`POST /chat/completions`) and parses the answer with pydantic. The SDK runs with
`max_retries=0`; transport errors map onto the project's retryable / non-retryable errors.
Malformed JSON, a schema mismatch, a refusal or a reply cut off by the token limit come back
as a `Reply` with a problem, for the one repair round.
"""

from __future__ import annotations

import openai
from openai.types.chat import ChatCompletionMessageParam
from pydantic import ValidationError

from brandtruth.config import Settings
from brandtruth.stages.copy.errors import connection_error, map_status_error, timeout_error
from brandtruth.stages.copy.llm import TOOL_NAME, LLMCopyOut, Reply, validation_summary

PROVIDER = "OpenAI"
MAX_TOKENS = 4096


def _status_detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and isinstance(err.get("message"), str):
            return str(err["message"])
    return exc.message


class OpenAICopyClient:
    """One async client per stage run; `ask` is the `llm.AskFn` for this provider."""

    def __init__(self, settings: Settings) -> None:
        self.model = settings.openai_model
        self.timeout = settings.llm_timeout_seconds
        self.client = openai.AsyncOpenAI(
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            max_retries=0,
            timeout=settings.llm_timeout_seconds,
        )

    @property
    def generator(self) -> str:
        return f"openai/{self.model}"

    async def aclose(self) -> None:
        await self.client.close()

    @staticmethod
    def _messages(system: str, user: str, previous: Reply | None, feedback: str) -> list[ChatCompletionMessageParam]:
        # The tool name in the shared prompt means "the structured reply" here.
        system = system.replace(f"Reply only by calling the {TOOL_NAME} tool.", "Reply only with the JSON object.")
        msgs: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
        ]
        if previous is not None:
            if isinstance(previous.state, str) and previous.state:
                msgs.append({"role": "assistant", "content": previous.state})
            msgs.append({"role": "user", "content": feedback.replace(f"Call {TOOL_NAME} again", "Reply again")})
        return msgs

    async def ask(self, system: str, user: str, previous: Reply | None, feedback: str) -> Reply:
        try:
            completion = await self.client.chat.completions.parse(
                model=self.model,
                messages=self._messages(system, user, previous, feedback),
                response_format=LLMCopyOut,
                max_completion_tokens=MAX_TOKENS,
            )
        except openai.APITimeoutError as exc:
            raise timeout_error(PROVIDER, self.timeout) from exc
        except openai.APIConnectionError as exc:
            raise connection_error(PROVIDER, str(exc)) from exc
        except openai.APIStatusError as exc:
            raise map_status_error(PROVIDER, exc.status_code, _status_detail(exc)) from exc
        except openai.LengthFinishReasonError:
            return Reply(None, f"the reply was cut off at {MAX_TOKENS} tokens; write shorter copy")
        except openai.ContentFilterFinishReasonError:
            return Reply(None, "the reply was stopped by the content filter")
        except ValidationError as exc:
            return Reply(None, f"not valid JSON for the schema: {validation_summary(exc)}")
        if not completion.choices:
            return Reply(None, "the reply had no choices")
        message = completion.choices[0].message
        if message.refusal:
            return Reply(None, f"the model refused: {message.refusal}", message.refusal)
        parsed = message.parsed
        if parsed is None:
            return Reply(None, "the reply had no content", message.content or "")
        return Reply(parsed, "", message.content or "")
