"""Small value types used across the models."""

from __future__ import annotations

from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field, model_validator

ARTIFACTS_ROUTE = "/workflow/artifacts/"


class Model(BaseModel):
    """Base model: forbid unknown fields so typos in payloads fail loudly."""

    model_config = ConfigDict(extra="forbid")


class ArtifactRef(Model):
    """A file in the artifact store. Workflow payloads carry these, never the bytes."""

    path: str = Field(description="Path relative to the artifact root, e.g. 'pipeline-ab12/creatives/v1-square.png'")
    sha256: str
    size: int = Field(ge=0)
    content_type: str = "application/octet-stream"
    url: str = Field(
        "",
        description="Where to GET the file: a path on the API (/workflow/artifacts/<path>), or a file name "
        "relative to result.json in a `brandtruth generate --out` directory",
    )

    @model_validator(mode="after")
    def _fill_url(self) -> ArtifactRef:
        if not self.url:
            self.url = ARTIFACTS_ROUTE + quote(self.path, safe="/")
        return self


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
