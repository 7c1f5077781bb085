"""A real API server (uvicorn on a loopback port) and an SSE reader for the API tests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn

from brandtruth.api.app import create_app
from brandtruth.api.limits import server_options
from brandtruth.config import Settings
from tests.conftest import wait_for


@asynccontextmanager
async def serve_api(settings: Settings, **limits: Any) -> AsyncIterator[str]:
    """Run the app under uvicorn on 127.0.0.1:<free port> in this event loop; yield its base URL.

    It runs with the server options `brandtruth api` uses; `limits` overrides them (see `server_options`).
    """
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="on",
            timeout_graceful_shutdown=3,
            **server_options(**limits),
        )
    )
    task = asyncio.create_task(server.serve())
    try:
        await wait_for(lambda: server.started or task.done(), timeout=20)
        if task.done():
            task.result()
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 20)


@dataclass
class SseEvent:
    id: str | None
    event: str
    data: dict[str, Any]


@dataclass
class SseReader:
    """Reads SSE responses into events (comments collected separately), one line iterator per response."""

    events: list[SseEvent] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    _lines: dict[int, AsyncIterator[str]] = field(default_factory=dict)

    async def read(self, response: httpx.Response, *, stop_after: int | None = None) -> list[SseEvent]:
        """Read until `stop_after` events in total have been seen, or until the stream ends."""
        lines = self._lines.setdefault(id(response), response.aiter_lines())
        fields: dict[str, str] = {}
        data_lines: list[str] = []
        async for line in lines:
            if line == "":
                if data_lines:
                    self.events.append(
                        SseEvent(fields.get("id"), fields.get("event", "message"), json.loads("\n".join(data_lines)))
                    )
                    if stop_after is not None and len(self.events) >= stop_after:
                        return self.events
                fields, data_lines = {}, []
            elif line.startswith(":"):
                self.comments.append(line[1:].strip())
            else:
                name, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if name == "data":
                    data_lines.append(value)
                else:
                    fields[name] = value
        return self.events

    async def read_until_stage(self, response: httpx.Response, stage: str) -> list[SseEvent]:
        while not self.events or self.events[-1].data["stage"] != stage:
            before = len(self.events)
            await self.read(response, stop_after=before + 1)
            if len(self.events) == before:
                raise AssertionError(f"stream ended before stage {stage!r}: {[e.data['stage'] for e in self.events]}")
        return self.events
