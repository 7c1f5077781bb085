"""Image matches and composed creatives."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from brandtruth.models.common import ArtifactRef, Box, Model


class AdFormat(StrEnum):
    SQUARE = "square"
    PORTRAIT = "portrait"
    STORY = "story"
    LANDSCAPE = "landscape"

    @property
    def size(self) -> tuple[int, int]:
        return FORMAT_SIZES[self]


FORMAT_SIZES: dict[AdFormat, tuple[int, int]] = {
    AdFormat.SQUARE: (1080, 1080),
    AdFormat.PORTRAIT: (1080, 1350),
    AdFormat.STORY: (1080, 1920),
    AdFormat.LANDSCAPE: (1200, 628),
}


class ImageSource(StrEnum):
    SITE = "site"
    STOCK = "stock"
    GENERATED = "generated"


class ImageCandidate(Model):
    id: str
    source: ImageSource
    url: str | None = None
    artifact: ArtifactRef | None = None
    width: int
    height: int
    alt: str = ""
    context: str = ""
    attribution: str | None = None
    text_regions: list[Box] | None = Field(
        None,
        description="Text baked into the image (full-size pixels), which compose keeps its own text off; "
        "None when not analysed",
    )


class MatchBreakdown(Model):
    relevance: float = Field(ge=0.0, le=1.0)
    fit: float = Field(ge=0.0, le=1.0)
    text_room: float = Field(ge=0.0, le=1.0)
    diversity: float = Field(ge=0.0, le=1.0)
    total: float = Field(ge=0.0, le=1.0)
    notes: list[str] = Field(default_factory=list)
    baked_text: float | None = Field(
        None, ge=0.0, le=1.0, description="Text baked into the image, 0 (none) .. 1 (a social card); lowers the total"
    )


class ImageMatch(Model):
    variant_id: str
    format: AdFormat
    candidate: ImageCandidate
    score: MatchBreakdown
    crop: Box | None = None
    text_zone: str | None = Field(
        None, description="top, bottom, left or right: the calm side of the crop, where compose puts text"
    )


class VariantMatches(Model):
    variant_id: str
    matches: list[ImageMatch] = Field(description="Best first; the first per format is used")
    warnings: list[str] = Field(default_factory=list)


class TextBox(Model):
    role: str = Field(description="headline, body, cta")
    text: str
    box: Box
    font_size: int
    contrast: float = Field(description="Measured WCAG contrast against the pixels behind it")
    color: str | None = Field(None, description="Text colour as #rrggbb, to re-measure contrast")
    font_family: str | None = Field(None, description="The family the text is set in (site or bundled)")
    font_file: str | None = Field(None, description="The font file's name (a bundled file, or the site font's hash)")


class CreativeLayout(Model):
    text_boxes: list[TextBox] = Field(default_factory=list)
    logo_box: Box | None = None
    cta_box: Box | None = None
    safe_zone: Box
    crop_box: Box | None = None
    image_id: str | None = None
    scrim: bool = False
    scrim_opacity: float | None = Field(None, description="Peak opacity of the scrim, if any")
    panel: bool = Field(False, description="Text sits on a solid panel (busy image, scrim not enough)")
    panel_box: Box | None = None
    text_zone: str | None = Field(None, description="top, bottom, left or right: where the text block sits")
    image_source: str | None = Field(None, description="site, stock or generated")
    attribution: str | None = Field(None, description="Photographer credit for stock images")
    image_box: Box | None = Field(
        None, description="Where the picture sits when inset on a backdrop to keep it clear of the text"
    )
    cta_color: str | None = Field(None, description="CTA button fill as #rrggbb (one per brand)")
    avoided_text: list[Box] = Field(
        default_factory=list, description="Text baked into the picture (canvas pixels) that our text was kept off"
    )
    cta_text_color: str | None = Field(None, description="CTA label colour as #rrggbb")
    cta_radius: int | None = Field(None, description="CTA corner radius in px")
    logo_kind: str | None = Field(None, description="logo (the full logo), mark+name, or name (no usable logo)")
    logo_treatment: str | None = Field(None, description="tile or none: one per brand")
    layout_template: str | None = Field(
        None,
        description="stack-top, stack-bottom, column-left, column-right, with -inset or -framed when the picture moved",
    )
    picture_scale: float | None = Field(
        None, description="Canvas px per source px of the picture (≤ 1.5: pictures are never enlarged more)"
    )
    text_treatment: str | None = Field(
        None,
        description="How the text is kept legible: direct (calm picture), scrim (sized to the text block), "
        "panel (solid brand colour) or split (text on the brand field beside the picture)",
    )
    scrim_box: Box | None = Field(
        None, description="The scrim's extent (text block, margin and soft edge); the picture outside is untouched"
    )
    text_busyness: float | None = Field(
        None, description="Fine detail of the picture under the text block (mean absolute high-pass of luminance)"
    )


class Creative(Model):
    variant_id: str
    format: AdFormat
    width: int
    height: int
    artifact: ArtifactRef
    layout: CreativeLayout


class VariantCreatives(Model):
    variant_id: str
    creatives: list[Creative]
    warnings: list[str] = Field(default_factory=list)
