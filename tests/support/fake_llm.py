"""A loopback HTTP server that speaks just enough of the Anthropic Messages API and the OpenAI
Chat Completions API for the real SDK clients to talk to it.

Each test scripts the replies: a list of `Scripted` answers (or a callable building one from
the request) served in order. Requests are recorded so tests can assert on what the SDK sent
(tools, response_format, the repair turn, the prompt).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from brandtruth.stages.copy.llm import TOOL_NAME


@dataclass
class Scripted:
    status: int = 200
    body: Any = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


Responder = Callable[[dict[str, Any]], Scripted]


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeLLMServer:
    def __init__(self) -> None:
        self.script: list[Scripted | Responder] = []
        self.requests: list[Recorded] = []
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return None

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                raw = self.rfile.read(length)
                body = json.loads(raw) if raw else {}
                server.requests.append(Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                if server.script:
                    item = server.script.pop(0)
                    answer = item(body) if callable(item) else item
                else:
                    answer = Scripted(500, {"error": {"type": "api_error", "message": "no scripted reply"}})
                if answer.delay:
                    server._stop.wait(answer.delay)
                data = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for k, v in answer.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeLLMServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


# ---------------------------------------------------------------------------------------------
# Reply builders
# ---------------------------------------------------------------------------------------------

GOOD: dict[str, tuple[str, str, str]] = {
    "benefit": (
        "Book meetings in seconds",
        "Book meetings in seconds, not emails. Start your free 14-day trial.",
        "No credit card required",
    ),
    "offer": ("Free 14-day trial", "Try Acme Scheduler free for 14 days. No credit card required.", "Start today"),
    "social_proof": (
        "Trusted by 12,000+ teams",
        "Join 12,000+ teams who book meetings in seconds, not emails.",
        "Rated 4.8/5 on G2",
    ),
    "problem_solution": (
        "Tired of email ping-pong?",
        "Acme Scheduler books the meeting for you. Syncs with Google and Outlook calendars.",
        "Scheduling that runs itself",
    ),
    "feature": ("Two-way calendar sync", "Two-way calendar sync with Google and Outlook calendars.", ""),
    "curiosity": ("Meet Acme Scheduler", "Scheduling that runs itself. See how it works.", "acme-scheduler.test"),
}


def _last_user_text(body: dict[str, Any]) -> str:
    msgs = [m for m in body.get("messages", []) if m.get("role") == "user"]
    content = msgs[-1]["content"] if msgs else ""
    if isinstance(content, list):
        return "\n".join(str(part.get("content") or part.get("text") or "") for part in content)
    return str(content)


def all_user_text(body: dict[str, Any]) -> str:
    parts = []
    for m in body.get("messages", []):
        c = m.get("content")
        parts.append(json.dumps(c) if not isinstance(c, str) else c)
    return "\n".join(parts)


def slots_of(body: dict[str, Any]) -> list[tuple[int, str]]:
    """The slots the latest user turn asks for (a repair turn lists only the failing ones)."""
    text = _last_user_text(body)
    found = re.findall(r"slot (\d+): angle (\w+)", text)
    if not found:
        found = re.findall(r"slot (\d+): angle (\w+)", all_user_text(body))
    seen: dict[int, str] = {}
    for n, a in found:
        seen.setdefault(int(n), a)
    return sorted(seen.items())


def platform_of(body: dict[str, Any]) -> str:
    m = re.search(r"Platform: (\w+)", all_user_text(body))
    return m.group(1) if m else "meta"


def variant_payload(slot: int, angle: str, platform: str, override: dict[str, Any] | None = None) -> dict[str, Any]:
    head, primary, desc = GOOD[angle]
    out: dict[str, Any] = {
        "slot": slot,
        "angle": angle,
        "headline": head,
        "primary_text": primary,
        "description": desc,
        "cta": "Get Started" if platform != "linkedin" else "Sign Up",
        "headlines": [],
        "descriptions": [],
        "path1": "",
        "path2": "",
        "claims_used": [{"claim_id": "c2", "span": "free 14-day trial"}] if angle == "benefit" else [],
    }
    if platform == "linkedin":
        out["headline"] = f"{head} | Acme Scheduler"
    if platform == "google_rsa":
        out["headlines"] = [head[:30], "Acme Scheduler", "Scheduling that runs itself"]
        out["descriptions"] = [primary[:90].rsplit(" ", 1)[0] + ".", "Scheduling that runs itself."]
        out["headline"] = out["headlines"][0]
        out["primary_text"] = out["descriptions"][0]
        out["description"] = out["descriptions"][1]
        out["path1"] = "Scheduling"
    if override:
        out.update(override)
    return out


def copy_payload(body: dict[str, Any], override: dict[str, Any] | None = None) -> dict[str, Any]:
    platform = platform_of(body)
    return {"variants": [variant_payload(n, a, platform, override) for n, a in slots_of(body)]}


# Anthropic ------------------------------------------------------------------------------------


def anthropic_message(tool_input: Any, stop_reason: str = "tool_use") -> dict[str, Any]:
    return {
        "id": "msg_test",
        "type": "message",
        "role": "assistant",
        "model": "claude-test",
        "content": [{"type": "tool_use", "id": "toolu_test", "name": TOOL_NAME, "input": tool_input}],
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": 100, "output_tokens": 100},
    }


def anthropic_good(override: dict[str, Any] | None = None) -> Responder:
    return lambda body: Scripted(200, anthropic_message(copy_payload(body, override)))


def anthropic_error(status: int, kind: str) -> Scripted:
    return Scripted(status, {"type": "error", "error": {"type": kind, "message": f"test {kind}"}})


# OpenAI ---------------------------------------------------------------------------------------


def openai_completion(content: str, finish_reason: str = "stop", refusal: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gpt-test",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 100, "total_tokens": 200},
    }


def openai_good(override: dict[str, Any] | None = None) -> Responder:
    return lambda body: Scripted(200, openai_completion(json.dumps(copy_payload(body, override))))


def openai_error(status: int, kind: str) -> Scripted:
    return Scripted(status, {"error": {"type": kind, "message": f"test {kind}", "code": kind}})
