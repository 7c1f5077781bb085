"""Content files of a run (images, heatmaps, contact sheets), addressed by `run_id/relative/path`.

`ArtifactStore` validates every path (nothing outside the store can be read or written, whatever a
URL or a workflow id contains) and hashes every write; the bytes live in a backend: a local
directory (`LocalBackend`, the default) or an S3-compatible bucket (`storage.s3.S3Backend`). Writes
are atomic in both: a reader sees the old object or the whole new one, never half of it.

The byte-level methods are blocking (stages call them from worker threads, where the CPU work
around them already runs); `open_stream` and `check` are async for the API and start-up checks.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import os
import re
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from brandtruth.models.common import ArtifactRef

# One path segment: starts with a letter or digit (so never "." or ".." or hidden), no separators.
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
STREAM_CHUNK = 256 * 1024


class UnsafeArtifactPath(ValueError):
    """A relative path that would escape the artifact root or is otherwise not allowed."""


class ArtifactStoreUnavailable(Exception):
    """The configured store cannot be used at all; the message names the variable to fix."""


@dataclass(frozen=True)
class ArtifactStream:
    """An artifact opened for streaming: its size, type and an async iterator of its bytes."""

    size: int
    content_type: str
    chunks: AsyncIterator[bytes]


class ArtifactBackend(Protocol):
    """Where the bytes live. Paths reaching a backend are already validated."""

    location: str

    def put(self, rel: str, data: bytes, content_type: str) -> None: ...
    def read(self, rel: str) -> bytes: ...
    def exists(self, rel: str) -> bool: ...
    async def open_stream(self, rel: str) -> ArtifactStream | None: ...
    async def check(self) -> None: ...
    def local_path(self, rel: str) -> Path | None: ...


def validate_path(rel: str) -> list[str]:
    """The segments of a safe relative path, or UnsafeArtifactPath."""
    parts = rel.split("/")
    if not rel or any(not _SEGMENT.fullmatch(p) for p in parts):
        raise UnsafeArtifactPath(f"invalid artifact path: {rel!r}")
    return parts


def content_type_of(rel: str, given: str | None = None) -> str:
    return given or mimetypes.guess_type(rel.rsplit("/", 1)[-1])[0] or "application/octet-stream"


class LocalBackend:
    """A directory on this machine (the default: `BRANDTRUTH_DATA_DIR/artifacts`)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.location = f"file://{self.root}"

    def _path(self, rel: str) -> Path:
        path = self.root.joinpath(*validate_path(rel))
        if self.root not in path.parents:
            raise UnsafeArtifactPath(f"artifact path escapes the store: {rel!r}")
        return path

    def put(self, rel: str, data: bytes, content_type: str) -> None:
        path = self._path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def read(self, rel: str) -> bytes:
        return self._path(rel).read_bytes()

    def exists(self, rel: str) -> bool:
        return self._path(rel).is_file()

    def local_path(self, rel: str) -> Path | None:
        return self._path(rel)

    async def open_stream(self, rel: str) -> ArtifactStream | None:
        path = self._path(rel)
        try:
            fh = await asyncio.to_thread(path.open, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        size = os.fstat(fh.fileno()).st_size

        async def chunks() -> AsyncIterator[bytes]:
            try:
                while block := await asyncio.to_thread(fh.read, STREAM_CHUNK):
                    yield block
            finally:
                fh.close()

        return ArtifactStream(size=size, content_type=content_type_of(rel), chunks=chunks())

    async def check(self) -> None:
        def probe() -> None:
            try:
                self.root.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ArtifactStoreUnavailable(f"BRANDTRUTH_ARTIFACT_STORE={self.location}: {exc}") from exc
            if not os.access(self.root, os.W_OK):
                raise ArtifactStoreUnavailable(f"BRANDTRUTH_ARTIFACT_STORE={self.location} is not writable")

        await asyncio.to_thread(probe)


class ArtifactStore:
    """Artifacts addressed by `run_id/relative/path`, in a local directory or a bucket.

    `ArtifactStore(path)` is the local store; `storage.open_artifact_store(settings)` picks the
    backend named by `BRANDTRUTH_ARTIFACT_STORE`.
    """

    def __init__(self, root: Path | None = None, *, backend: ArtifactBackend | None = None) -> None:
        if backend is None:
            if root is None:
                raise ValueError("ArtifactStore needs a root directory or a backend")
            backend = LocalBackend(root)
        self.backend = backend
        # Local root (None for a bucket); callers use it only as a per-store namespace for locks.
        self.root: Path | None = backend.root if isinstance(backend, LocalBackend) else None

    @property
    def location(self) -> str:
        """Where the artifacts live, for logs and the start-up banner (never carries secrets)."""
        return self.backend.location

    def put(self, rel: str, data: bytes, content_type: str | None = None) -> ArtifactRef:
        """Write `data` atomically and return a reference carrying its sha256 (blocking I/O)."""
        validate_path(rel)
        ctype = content_type_of(rel, content_type)
        self.backend.put(rel, data, ctype)
        return ArtifactRef(path=rel, sha256=hashlib.sha256(data).hexdigest(), size=len(data), content_type=ctype)

    def read(self, ref: ArtifactRef | str) -> bytes:
        """The bytes of an artifact; FileNotFoundError when absent (blocking I/O)."""
        rel = ref.path if isinstance(ref, ArtifactRef) else ref
        validate_path(rel)
        return self.backend.read(rel)

    def exists(self, rel: str) -> bool:
        try:
            validate_path(rel)
        except UnsafeArtifactPath:
            return False
        return self.backend.exists(rel)

    def path_of(self, ref: ArtifactRef | str) -> Path:
        """Filesystem path of an artifact in a local store (it may not exist).

        Only for tools that work on one machine; a bucket store has no local path and raises
        UnsafeArtifactPath, so code that must work everywhere uses `read`/`open_stream`.
        """
        rel = ref.path if isinstance(ref, ArtifactRef) else ref
        validate_path(rel)
        path = self.backend.local_path(rel)
        if path is None:
            raise UnsafeArtifactPath(f"{self.location} has no local path for {rel!r}")
        return path

    async def open_stream(self, rel: str) -> ArtifactStream | None:
        """The artifact as a stream of chunks, or None when absent (async, for the API)."""
        validate_path(rel)
        return await self.backend.open_stream(rel)

    async def check(self) -> None:
        """Raise ArtifactStoreUnavailable, naming the variable to fix, unless the store can be written."""
        await self.backend.check()
