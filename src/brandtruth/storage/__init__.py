"""Artifact storage: a local directory (default) or an S3-compatible bucket, chosen by URL."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from brandtruth.config import Settings
from brandtruth.storage.artifacts import (
    ArtifactStore,
    ArtifactStoreUnavailable,
    ArtifactStream,
    UnsafeArtifactPath,
)

__all__ = [
    "ArtifactStore",
    "ArtifactStoreUnavailable",
    "ArtifactStream",
    "UnsafeArtifactPath",
    "open_artifact_store",
]

_AWS_VARIABLES = (
    "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_PROFILE",
)


@lru_cache(maxsize=8)
def _s3_store(url: str, _aws_env: tuple[str | None, ...]) -> ArtifactStore:
    # One client (and connection pool) per process and configuration, shared by every caller.
    from brandtruth.storage.s3 import S3Backend

    return ArtifactStore(backend=S3Backend(url))


def open_artifact_store(settings: Settings) -> ArtifactStore:
    """The store named by BRANDTRUTH_ARTIFACT_STORE: `file://PATH`, `s3://BUCKET/PREFIX`, or unset
    for `BRANDTRUTH_DATA_DIR/artifacts`. Raises ArtifactStoreUnavailable for any other form."""
    url = (settings.artifact_store or "").strip()
    if not url:
        return ArtifactStore(settings.artifacts_dir)
    if url.startswith("file://"):
        path = url.removeprefix("file://")
        if not path:
            raise ArtifactStoreUnavailable(f"BRANDTRUTH_ARTIFACT_STORE={url!r} names no directory")
        return ArtifactStore(Path(path))
    if url.startswith("s3://"):
        return _s3_store(url, tuple(os.environ.get(name) for name in _AWS_VARIABLES))
    raise ArtifactStoreUnavailable(f"BRANDTRUTH_ARTIFACT_STORE={url!r}: expected file://PATH or s3://BUCKET/PREFIX")
