"""Artifact storage (local directory by default)."""

from brandtruth.storage.artifacts import ArtifactStore, UnsafeArtifactPath

__all__ = ["ArtifactStore", "UnsafeArtifactPath"]
