"""The guard inside the connection: every address checked, the checked address used, the peer verified."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import pytest

from brandtruth.errors import BlockedAddressError
from brandtruth.web.guard import SSRFGuard
from brandtruth.web.transport import GuardedNetworkBackend


class _Stream(httpcore.AsyncNetworkStream):
    def __init__(self, peer: tuple[str, int]) -> None:
        self.peer = peer
        self.closed = False

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return b""

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        return None

    async def aclose(self) -> None:
        self.closed = True

    def get_extra_info(self, info: str) -> Any:
        return self.peer if info == "server_addr" else None


class _Backend(httpcore.AsyncNetworkBackend):
    """Pretends to connect; records which address it was asked for and reports a chosen peer."""

    def __init__(self, peer: tuple[str, int] | None = None) -> None:
        self.asked: list[str] = []
        self.peer = peer
        self.streams: list[_Stream] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.asked.append(host)
        stream = _Stream(self.peer or (host, port))
        self.streams.append(stream)
        return stream

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _fake_dns(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> None:
    async def getaddrinfo(self: object, host: str, port: int, **kwargs: object) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answers]

    monkeypatch.setattr(asyncio.get_running_loop().__class__, "getaddrinfo", getaddrinfo)


async def test_connects_to_the_checked_address(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, ["93.184.216.34"])
    inner = _Backend()
    await GuardedNetworkBackend(SSRFGuard(), inner).connect_tcp("brand.example", 443)
    assert inner.asked == ["93.184.216.34"], "the name is never resolved a second time"


async def test_name_resolving_to_any_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, ["93.184.216.34", "10.0.0.7"])
    inner = _Backend()
    with pytest.raises(BlockedAddressError, match="private"):
        await GuardedNetworkBackend(SSRFGuard(), inner).connect_tcp("rebind.example", 80)
    assert inner.asked == []


async def test_peer_address_mismatch_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, ["93.184.216.34"])
    inner = _Backend(peer=("127.0.0.1", 80))
    with pytest.raises(BlockedAddressError, match=r"connected to 127\.0\.0\.1"):
        await GuardedNetworkBackend(SSRFGuard(), inner).connect_tcp("brand.example", 80)
    assert inner.streams[0].closed


async def test_metadata_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, ["169.254.169.254"])
    with pytest.raises(BlockedAddressError, match="link-local"):
        await GuardedNetworkBackend(SSRFGuard(["metadata.internal"]), _Backend()).connect_tcp("metadata.internal", 80)
