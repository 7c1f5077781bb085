"""Helpers shared by the benchmarks: a quiet loopback static server, waiting for a fallback run to settle."""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from brandtruth.models.pipeline import PipelineResult, Stage
from brandtruth.pipeline.orchestrator import FallbackOrchestrator


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve `root` on 127.0.0.1:<free port> for the `with` block; yields "127.0.0.1:<port>"."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


async def settled(orchestrator: FallbackOrchestrator, workflow_id: str, poll: float = 0.01) -> PipelineResult:
    """Poll a started in-process run until it awaits approval; raise if it failed instead."""
    while True:
        result = await orchestrator.snapshot(workflow_id)
        if result.stage is Stage.FAILED:
            raise RuntimeError(result.error)
        if result.stage is Stage.AWAITING_APPROVAL:
            return result
        await asyncio.sleep(poll)
