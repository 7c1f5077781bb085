"""The artifact store writes atomically and never leaves its root."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from brandtruth.storage import ArtifactStore, UnsafeArtifactPath


def test_put_read_roundtrip_with_sha(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    ref = store.put("pipeline-1/creatives/v1-square.png", b"\x89PNG data")
    assert ref.sha256 == hashlib.sha256(b"\x89PNG data").hexdigest()
    assert ref.content_type == "image/png" and ref.size == 9
    assert store.read(ref) == b"\x89PNG data"
    assert not [p for p in (tmp_path / "pipeline-1" / "creatives").iterdir() if p.name.startswith(".tmp")]


@pytest.mark.parametrize(
    "rel", ["../x", "a/../../x", "/etc/passwd", "a//b", "", ".", "a/./b", "a/.hidden", "a\\..\\b", "a/b\x00"]
)
def test_paths_outside_or_odd_are_refused(tmp_path: Path, rel: str) -> None:
    store = ArtifactStore(tmp_path / "root")
    with pytest.raises(UnsafeArtifactPath):
        store.put(rel, b"x")
    assert not store.exists(rel)


def test_overwrite_is_atomic_replace(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    store.put("run/a.txt", b"old")
    store.put("run/a.txt", b"new")
    assert store.read("run/a.txt") == b"new"
