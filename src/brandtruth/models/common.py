"""Small value types used across the models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    """Base model: forbid unknown fields so typos in payloads fail loudly."""

    model_config = ConfigDict(extra="forbid")


class ArtifactRef(Model):
    """A file in the artifact store. Workflow payloads carry these, never the bytes."""

    path: str = Field(description="Path relative to the artifact root, e.g. 'pipeline-ab12/creatives/v1-square.png'")
    sha256: str
    size: int = Field(ge=0)
    content_type: str = "application/octet-stream"


class Box(Model):
    """An axis-aligned pixel rectangle: left, top, right (exclusive), bottom (exclusive)."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top
