"""Content files of a run (images, heatmaps, contact sheets) under one root directory.

Writes are atomic (temp file + rename) so a crash never leaves a half-written artifact that a
later reader would trust. Paths are validated so that nothing outside the root can be read or
written, whatever a URL or a workflow id contains.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import tempfile
from pathlib import Path

from brandtruth.models.common import ArtifactRef

# One path segment: starts with a letter or digit (so never "." or ".." or hidden), no separators.
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


class UnsafeArtifactPath(ValueError):
    """A relative path that would escape the artifact root or is otherwise not allowed."""


class ArtifactStore:
    """A directory of artifacts addressed by `run_id/relative/path` strings."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _resolve(self, rel: str) -> Path:
        parts = rel.split("/")
        if not rel or any(not _SEGMENT.fullmatch(p) for p in parts):
            raise UnsafeArtifactPath(f"invalid artifact path: {rel!r}")
        path = self.root.joinpath(*parts)
        if self.root not in path.parents:
            raise UnsafeArtifactPath(f"artifact path escapes the store: {rel!r}")
        return path

    def put(self, rel: str, data: bytes, content_type: str | None = None) -> ArtifactRef:
        """Write `data` atomically and return a reference carrying its sha256 (blocking I/O)."""
        path = self._resolve(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        ctype = content_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return ArtifactRef(path=rel, sha256=hashlib.sha256(data).hexdigest(), size=len(data), content_type=ctype)

    def read(self, ref: ArtifactRef | str) -> bytes:
        rel = ref.path if isinstance(ref, ArtifactRef) else ref
        return self._resolve(rel).read_bytes()

    def path_of(self, ref: ArtifactRef | str) -> Path:
        """Filesystem path of an artifact (it may not exist)."""
        rel = ref.path if isinstance(ref, ArtifactRef) else ref
        return self._resolve(rel)

    def exists(self, rel: str) -> bool:
        try:
            return self._resolve(rel).is_file()
        except UnsafeArtifactPath:
            return False
