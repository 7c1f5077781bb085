"""The S3 backend against a real S3 endpoint: same contract as the local store, clear start-up errors."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from brandtruth.config import Settings
from brandtruth.errors import TransientError
from brandtruth.storage import ArtifactStore, ArtifactStoreUnavailable, UnsafeArtifactPath, open_artifact_store
from tests.support.s3_server import FaultRule, S3Server, faulty_proxy

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def _store(make_settings: Callable[..., Settings], url: str) -> ArtifactStore:
    return open_artifact_store(make_settings(BRANDTRUTH_ARTIFACT_STORE=url))


def test_roundtrip_under_the_prefix_with_sha(
    s3_env: S3Server, make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    bucket = s3_env.new_bucket()
    store = _store(make_settings, f"s3://{bucket}/team-a/runs")
    ref = store.put("pipeline-1/creatives/v1-square.png", PNG)
    assert ref.sha256 == hashlib.sha256(PNG).hexdigest() and ref.size == len(PNG)
    assert ref.content_type == "image/png"
    assert store.read(ref) == PNG
    assert store.exists("pipeline-1/creatives/v1-square.png")
    assert not store.exists("pipeline-1/creatives/v2-square.png")
    assert s3_env.keys(bucket) == {"team-a/runs/pipeline-1/creatives/v1-square.png"}
    head = s3_env.client().head_object(Bucket=bucket, Key="team-a/runs/pipeline-1/creatives/v1-square.png")
    assert head["ContentType"] == "image/png"
    assert not list(tmp_path.rglob("*.png")), "nothing of the run touches local disk"
    with pytest.raises(FileNotFoundError):
        store.read("pipeline-1/creatives/v2-square.png")
    with pytest.raises(UnsafeArtifactPath):
        store.path_of(ref)  # a bucket has no local path; callers must read through the store


@pytest.mark.parametrize("rel", ["../x", "a/../../x", "/etc/passwd", "a//b", "", "a/.hidden", "a\\..\\b"])
def test_paths_outside_the_prefix_are_refused(
    s3_env: S3Server, make_settings: Callable[..., Settings], rel: str
) -> None:
    bucket = s3_env.new_bucket()
    store = _store(make_settings, f"s3://{bucket}/inner")
    with pytest.raises(UnsafeArtifactPath):
        store.put(rel, b"x")
    assert not store.exists(rel)
    assert s3_env.keys(bucket) == set()


async def test_stream_returns_the_bytes_and_type(s3_env: S3Server, make_settings: Callable[..., Settings]) -> None:
    store = _store(make_settings, f"s3://{s3_env.new_bucket()}")
    store.put("run-1/sheet.png", PNG * 20)
    opened = await store.open_stream("run-1/sheet.png")
    assert opened is not None and opened.size == len(PNG) * 20 and opened.content_type == "image/png"
    assert b"".join([chunk async for chunk in opened.chunks]) == PNG * 20
    assert await store.open_stream("run-1/absent.png") is None


async def test_a_failing_request_is_a_transient_error_not_retried_by_the_client(
    s3_server: S3Server, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    bucket = s3_server.new_bucket()
    rule = FaultRule(lambda method, path: method == "PUT" and "/creatives/" in path, times=1)
    with faulty_proxy(s3_server.endpoint, rule) as proxy:
        for name, value in s3_server.env(proxy).items():
            monkeypatch.setenv(name, value)
        store = _store(make_settings, f"s3://{bucket}/p")
        with pytest.raises(TransientError, match="503"):
            store.put("run-1/creatives/v1-square.png", PNG)
        assert len(rule.hits) == 1, "one request: Temporal, not the S3 client, owns retries"
        store.put("run-1/creatives/v1-square.png", PNG)  # the next attempt goes through
    assert s3_server.keys(bucket) == {"p/run-1/creatives/v1-square.png"}


async def test_check_accepts_a_usable_bucket(s3_env: S3Server, make_settings: Callable[..., Settings]) -> None:
    bucket = s3_env.new_bucket()
    await _store(make_settings, f"s3://{bucket}/p").check()
    assert s3_env.keys(bucket) == set(), "the write probe is cleaned up"


async def test_check_names_a_missing_bucket(s3_env: S3Server, make_settings: Callable[..., Settings]) -> None:
    with pytest.raises(ArtifactStoreUnavailable) as err:
        await _store(make_settings, "s3://no-such-bucket-here/p").check()
    assert "BRANDTRUTH_ARTIFACT_STORE" in str(err.value) and "'no-such-bucket-here' does not exist" in str(err.value)


async def test_check_names_an_unreachable_endpoint(
    s3_env: S3Server, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # discard port: nothing listens
    with pytest.raises(ArtifactStoreUnavailable) as err:
        await _store(make_settings, "s3://some-bucket/p").check()
    assert "AWS_ENDPOINT_URL" in str(err.value) and "cannot reach" in str(err.value)


@pytest.mark.parametrize("url", ["s3://", "s3://bucket/../up", "ftp://host/x", "s3://bucket/p?x=1"])
def test_malformed_store_urls_are_refused(make_settings: Callable[..., Settings], url: str) -> None:
    with pytest.raises(ArtifactStoreUnavailable, match="BRANDTRUTH_ARTIFACT_STORE"):
        _store(make_settings, url)


def test_file_url_and_default_are_local(make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    default = open_artifact_store(make_settings())
    assert default.root == (tmp_path / "data" / "artifacts").resolve()
    explicit = _store(make_settings, f"file://{tmp_path / 'elsewhere'}")
    explicit.put("run/a.txt", b"x")
    assert (tmp_path / "elsewhere" / "run" / "a.txt").read_bytes() == b"x"
