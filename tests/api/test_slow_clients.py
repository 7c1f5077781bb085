"""Slow and numerous clients, over raw sockets: a request must arrive in full within its deadline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from brandtruth.config import Settings
from tests.api.conftest import SseReader, serve_api
from tests.support.site_server import Fault, serve_sample_site

READ_TIMEOUT = 1.0
SLACK = 1.5  # scheduling on a busy 2-core machine


async def _open(api: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    parts = urlsplit(api)
    return await asyncio.open_connection(parts.hostname, parts.port)


async def _closed_after(reader: asyncio.StreamReader, began: float, limit: float) -> tuple[float, bytes]:
    """Read until the server closes; return when (seconds since `began`) and what it sent."""
    data = await asyncio.wait_for(reader.read(), limit)
    return time.monotonic() - began, data


async def _trickle(writer: asyncio.StreamWriter, data: bytes, every: float) -> None:
    try:
        for byte in data:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(every)
    except (ConnectionError, OSError):
        pass  # closed by the server, as it should be


async def test_headers_sent_a_byte_at_a_time_are_cut_off(make_settings: Callable[..., Settings]) -> None:
    async with serve_api(make_settings(), read_timeout=READ_TIMEOUT) as api:
        reader, writer = await _open(api)
        began = time.monotonic()
        sender = asyncio.create_task(_trickle(writer, b"GET /workflow/health HTTP/1.1\r\nHost: x\r\nX-Slow: " * 4, 0.2))
        took, data = await _closed_after(reader, began, READ_TIMEOUT + SLACK + 5)
        sender.cancel()
        writer.close()
        assert took < READ_TIMEOUT + SLACK, f"held for {took:.1f} s"
        assert data.startswith(b"HTTP/1.1 408")


async def test_a_body_sent_a_byte_at_a_time_is_cut_off(make_settings: Callable[..., Settings]) -> None:
    async with serve_api(make_settings(), read_timeout=READ_TIMEOUT) as api:
        reader, writer = await _open(api)
        head = (
            b"POST /workflow/start HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n"
        )
        writer.write(head)
        began = time.monotonic()
        sender = asyncio.create_task(_trickle(writer, b'{"url": "https://example.com/"' + b" " * 170, 0.2))
        took, data = await _closed_after(reader, began, READ_TIMEOUT + SLACK + 5)
        sender.cancel()
        writer.close()
        assert took < READ_TIMEOUT + SLACK, f"held for {took:.1f} s"
        assert data.startswith(b"HTTP/1.1 408")


async def test_many_half_sent_requests_are_all_released(make_settings: Callable[..., Settings]) -> None:
    """200 connections that never finish their headers are all closed; the server still answers."""
    async with serve_api(make_settings(), read_timeout=READ_TIMEOUT) as api:
        conns = [await _open(api) for _ in range(200)]
        began = time.monotonic()
        for n, (_, writer) in enumerate(conns):
            writer.write(b"GET /workflow/health HTTP/1.1\r\nHost: x\r\n" if n % 2 else b"")
        closed = await asyncio.gather(*(_closed_after(r, began, READ_TIMEOUT + SLACK + 10) for r, _ in conns))
        for _, writer in conns:
            writer.close()
        slowest = max(t for t, _ in closed)
        assert slowest < READ_TIMEOUT + SLACK, f"slowest released after {slowest:.1f} s"
        async with httpx.AsyncClient(base_url=api, timeout=5) as http:
            assert (await http.get("/workflow/health")).status_code == 200


async def test_beyond_the_connection_limit_requests_get_503(make_settings: Callable[..., Settings]) -> None:
    async with serve_api(make_settings(), read_timeout=3.0, limit_concurrency=20) as api:
        idle = [await _open(api) for _ in range(20)]
        reader, writer = await _open(api)
        writer.write(b"GET /workflow/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = await asyncio.wait_for(reader.read(), 5)
        assert answer.startswith(b"HTTP/1.1 503"), answer[:80]
        writer.close()
        for _, w in idle:
            w.close()
        async with httpx.AsyncClient(base_url=api, timeout=5) as http:
            assert (await http.get("/workflow/health")).status_code == 200


async def test_a_long_response_is_not_cut_by_the_read_deadline(make_settings: Callable[..., Settings]) -> None:
    """The deadline covers reading the request only: an event stream outlives it."""
    with serve_sample_site(faults={"/about.html": Fault(delay=3)}) as site:
        settings = make_settings(allowed_hosts=site.host_port)
        async with (
            serve_api(settings, read_timeout=READ_TIMEOUT) as api,
            httpx.AsyncClient(base_url=api, timeout=30) as http,
        ):
            wid = (await http.post("/workflow/start", json={"url": site.url("/")})).json()["workflow_id"]
            reader = SseReader()
            began = time.monotonic()
            async with http.stream("GET", f"/workflow/stream/{wid}") as stream:
                await reader.read_until_stage(stream, "generating")
            assert time.monotonic() - began > READ_TIMEOUT + 1
            await http.post(f"/workflow/cancel/{wid}")

    # Two requests on one kept-alive connection, the second after a pause shorter than keep-alive.
    async with serve_api(make_settings(), read_timeout=READ_TIMEOUT) as api:
        reader_, writer = await _open(api)
        request = b"GET /workflow/health HTTP/1.1\r\nHost: x\r\n\r\n"
        for _ in range(2):
            writer.write(request)
            head = await asyncio.wait_for(reader_.readuntil(b"\r\n\r\n"), 5)
            assert head.startswith(b"HTTP/1.1 200")
            length = int(next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")).split(b":")[1])
            await reader_.readexactly(length)
            await asyncio.sleep(READ_TIMEOUT + 0.5)
        writer.close()
