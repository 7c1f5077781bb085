"""Artifacts in an S3-compatible bucket (AWS S3, MinIO, Ceph, R2, GCS in S3 mode) through obstore.

Why obstore: stages call the store from worker threads (next to their Pillow work), and the API
streams from it on the event loop; obstore has both a blocking and an async API over one Rust
client (no per-thread event loop, the GIL released during I/O), reads the standard AWS variables
(`AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
`AWS_DEFAULT_REGION`, web identity, ECS and instance credentials) and is one small wheel.
Named profiles (`AWS_PROFILE`, `~/.aws/config`) go through boto3's resolver when boto3 is installed.

The client never retries: Temporal is the one retry layer. A failed request raises
`ArtifactStoreError` (a TransientError), so the activity fails retryably and runs again.
"""

from __future__ import annotations

import importlib
import os
import socket
import uuid
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import obstore
from obstore.exceptions import BaseError as ObstoreError
from obstore.store import S3Store

from brandtruth.errors import TransientError
from brandtruth.storage.artifacts import (
    STREAM_CHUNK,
    ArtifactStoreUnavailable,
    ArtifactStream,
    UnsafeArtifactPath,
    validate_path,
)

if TYPE_CHECKING:
    from obstore.store import ClientConfig

STORE_VARIABLE = "BRANDTRUTH_ARTIFACT_STORE"


class ArtifactStoreError(TransientError):
    """The bucket could not be read or written just now (network, 5xx, throttling, auth)."""


def _endpoint(env: Mapping[str, str]) -> str | None:
    for name in ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_ENDPOINT"):
        if env.get(name):
            return env[name]
    return None


def parse_s3_url(url: str) -> tuple[str, str]:
    """`s3://bucket/prefix` → (bucket, prefix); the prefix is validated like any artifact path."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise ArtifactStoreUnavailable(f"{STORE_VARIABLE}={url!r} is not of the form s3://BUCKET/PREFIX")
    prefix = parts.path.strip("/")
    if prefix:
        try:
            validate_path(prefix)
        except UnsafeArtifactPath:
            raise ArtifactStoreUnavailable(f"{STORE_VARIABLE}={url!r} has an unusable prefix {prefix!r}") from None
    return parts.netloc, prefix


def _credential_provider(env: Mapping[str, str]) -> Any:
    """boto3's resolver for a named profile; None when the environment carries what obstore reads."""
    if not env.get("AWS_PROFILE") or env.get("AWS_ACCESS_KEY_ID"):
        return None
    try:
        boto3 = importlib.import_module("boto3")
        from obstore.auth.boto3 import Boto3CredentialProvider
    except ImportError:
        raise ArtifactStoreUnavailable(
            "AWS_PROFILE is set but boto3 is not installed: `pip install boto3`, or set "
            "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY instead"
        ) from None
    return Boto3CredentialProvider(boto3.Session(profile_name=env["AWS_PROFILE"]))


class S3Backend:
    """Objects under `s3://bucket/prefix/`; one client per process, shared by all threads."""

    def __init__(self, url: str, env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        self.bucket, self.prefix = parse_s3_url(url)
        self.endpoint = _endpoint(env)
        self.location = f"s3://{self.bucket}/{self.prefix}".rstrip("/") + (
            f" at {self.endpoint}" if self.endpoint else ""
        )
        options: ClientConfig = {"connect_timeout": "5s", "timeout": "60s"}
        if self.endpoint and self.endpoint.startswith("http://"):
            options["allow_http"] = True
        provider = _credential_provider(env)
        self._store = S3Store(
            self.bucket,
            prefix=self.prefix or None,
            client_options=options,
            retry_config={"max_retries": 0},
            credential_provider=provider,
            # The service verifies every upload against its sha256, so a bit flipped in transit is refused.
            checksum_algorithm="sha256",
            config={"endpoint": self.endpoint} if self.endpoint else None,
        )

    def _fail(self, action: str, rel: str, exc: ObstoreError) -> ArtifactStoreError:
        first = str(exc).split("\n", 1)[0][:300]
        return ArtifactStoreError(f"artifact store {self.location}: {action} {rel} failed: {first}")

    def put(self, rel: str, data: bytes, content_type: str) -> None:
        # A single PUT is atomic in S3: readers see the previous object or this one, never a part.
        try:
            obstore.put(self._store, rel, data, attributes={"Content-Type": content_type}, use_multipart=False)
        except ObstoreError as exc:
            raise self._fail("write", rel, exc) from exc

    def read(self, rel: str) -> bytes:
        try:
            return bytes(obstore.get(self._store, rel).bytes())
        except FileNotFoundError:
            raise
        except ObstoreError as exc:
            raise self._fail("read", rel, exc) from exc

    def exists(self, rel: str) -> bool:
        try:
            obstore.head(self._store, rel)
        except FileNotFoundError:
            return False
        except ObstoreError as exc:
            raise self._fail("look up", rel, exc) from exc
        return True

    def local_path(self, rel: str) -> Path | None:
        return None

    async def open_stream(self, rel: str) -> ArtifactStream | None:
        try:
            got = await obstore.get_async(self._store, rel)
        except FileNotFoundError:
            return None
        except ObstoreError as exc:
            raise self._fail("read", rel, exc) from exc
        ctype = str(got.attributes.get("Content-Type") or "application/octet-stream")

        async def chunks() -> AsyncIterator[bytes]:
            async for block in got.stream(min_chunk_size=STREAM_CHUNK):
                yield bytes(block)

        return ArtifactStream(size=int(got.meta["size"]), content_type=ctype, chunks=chunks())

    async def check(self) -> None:
        """List, write and delete a probe object: the bucket exists and these credentials may write."""
        probe = f"healthcheck/{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            await obstore.list(self._store, "healthcheck", chunk_size=1).collect_async()
            await obstore.put_async(self._store, probe, b"ok", use_multipart=False)
            await obstore.delete_async(self._store, probe)
        except ObstoreError as exc:
            raise ArtifactStoreUnavailable(self._explain(exc)) from exc

    def _explain(self, exc: ObstoreError) -> str:
        text = str(exc)
        where = f"{STORE_VARIABLE}=s3://{self.bucket}/{self.prefix}".rstrip("/")
        endpoint = self.endpoint or "the AWS default endpoint"
        if "NoSuchBucket" in text:
            return f"{where}: bucket {self.bucket!r} does not exist at {endpoint}; create it or fix {STORE_VARIABLE}"
        if any(code in text for code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403")):
            return (
                f"{where}: {endpoint} refused these credentials; check AWS_ACCESS_KEY_ID / "
                "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) and the bucket policy"
            )
        if "error sending request" in text or "timed out" in text.lower() or "Connection" in text:
            return f"{where}: cannot reach the S3 endpoint {endpoint} (AWS_ENDPOINT_URL); is it running?"
        return f"{where}: the store at {endpoint} is not usable: {text.splitlines()[0][:300]}"
