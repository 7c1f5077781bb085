"""A thread-safe LRU bounded by an estimate of the bytes it holds (cachetools underneath).

A worker process matches the same images many times: every variant of a run, and every run of
the same brand. Keeping recent analyses in memory (keyed by content hash) saves decoding and
analysing them again, while the byte bound keeps a long-lived worker's memory flat however many
brands it sees. The lock is ours because cachetools' caches are not thread-safe, and image work
runs in a thread pool.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import LRUCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedLRU(Generic[K, V]):
    """Least-recently-used mapping holding at most `max_bytes` (as measured by `size_of`)."""

    def __init__(self, max_bytes: int, size_of: Callable[[V], int]) -> None:
        self.max_bytes = max_bytes
        self._size_of = size_of
        self._cache: LRUCache[K, V] = LRUCache(maxsize=max_bytes, getsizeof=size_of)
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            return self._cache.get(key)

    def put(self, key: K, value: V) -> None:
        if self._size_of(value) > self.max_bytes:
            return  # cachetools would refuse it with ValueError: too big to keep is simply not kept
        with self._lock:
            self._cache[key] = value

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()

    @property
    def nbytes(self) -> int:
        return int(self._cache.currsize)

    def __len__(self) -> int:
        return len(self._cache)
