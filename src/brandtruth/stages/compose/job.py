"""What one render is given and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from PIL import Image

from brandtruth.formats import (
    Zone,
)
from brandtruth.imaging.png import encode_png
from brandtruth.models.common import Box
from brandtruth.models.creative import AdFormat, CreativeLayout
from brandtruth.stages.compose.brand import Palette
from brandtruth.stages.compose.faces import DEFAULT_FACES, Faces
from brandtruth.stages.compose.placement import Subject


@dataclass(frozen=True)
class CopyText:
    """Cleaned copy: the headline, supporting lines to try in order, the CTA label."""

    headline: str
    bodies: tuple[str, ...]
    cta: str


@dataclass
class RenderJob:
    fmt: AdFormat
    base: npt.NDArray[np.uint8] | None  # canvas-sized RGB, or None for the brand background
    palette: Palette
    logo: Image.Image | None  # RGBA
    copy: CopyText
    key: str
    image_id: str | None = None
    image_source: str | None = None
    crop_box: Box | None = None
    zone: Zone | None = None  # from the match; chosen from the pixels when absent
    attribution: str | None = None
    #: The whole decoded image (uncropped), for zooming out when the subject is under the text.
    source: npt.NDArray[np.uint8] | None = None
    source_subject: Subject | None = None  # find_subject(source), computed once per image
    #: Text baked into the source image, as (left, top, right, bottom) fractions of the source.
    text_regions: tuple[tuple[float, float, float, float], ...] = ()
    #: The part of the source `base` shows, as fractions (None: all of it).
    source_crop: tuple[float, float, float, float] | None = None
    faces: Faces = DEFAULT_FACES
    #: Words the logo itself spells out (an SVG wordmark's text).
    logo_text: str = ""
    #: How much `base` enlarges the source picture (canvas px per source px), for the record.
    picture_scale: float | None = None
    #: The source picture's full size in px (to report an inset picture's scale).
    source_size: tuple[int, int] | None = None
    #: `base` already shows the picture framed on a brand field (`image_box`): never move it.
    framed_box: Box | None = None
    #: Where the whole source would lie on the canvas at the framed scale (maps its text regions).
    framed_whole: Box | None = None


@dataclass
class Rendered:
    pixels: npt.NDArray[np.uint8]
    layout: CreativeLayout
    warnings: list[str] = field(default_factory=list)

    def png(self) -> bytes:
        return encode_png(self.pixels)
