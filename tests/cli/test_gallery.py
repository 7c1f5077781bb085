"""`brandtruth gallery DIR`: a review page of every creative beside its layout record, site text escaped."""

from __future__ import annotations

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from brandtruth.cli.main import app
from brandtruth.models.brand import BrandProfile
from brandtruth.models.common import ArtifactRef, Box
from brandtruth.models.copy import Angle, CopyVariant, Platform
from brandtruth.models.creative import AdFormat, Creative, CreativeLayout, TextBox
from brandtruth.models.pipeline import PipelineRequest, PipelineResult, Stage, VariantResult

HOSTILE = "<script>alert(1)</script> Save 20%"


#: What each format's record says about legibility, and what the page must show for it.
TREATMENTS: dict[AdFormat, tuple[dict[str, object], str]] = {
    AdFormat.SQUARE: (
        {
            "text_treatment": "scrim",
            "scrim": True,
            "scrim_opacity": 0.62,
            "scrim_box": Box(left=0, top=600, right=1080, bottom=1010),
            "text_busyness": 7.4,
        },
        "scrim 0.62 over 1080×410 px (detail 7.4)",
    ),
    AdFormat.PORTRAIT: ({"text_treatment": "panel", "panel": True, "text_busyness": 11.2}, "panel (detail 11.2)"),
    AdFormat.STORY: ({"text_treatment": "split"}, "<td>split</td>"),
    AdFormat.LANDSCAPE: ({}, "direct"),
}


def _creative(vid: str, fmt: AdFormat) -> Creative:
    w, h = fmt.size
    layout = CreativeLayout(
        **TREATMENTS[fmt][0],
        safe_zone=Box(left=0, top=0, right=w, bottom=h),
        text_boxes=[
            TextBox(
                role="headline",
                text=HOSTILE,
                box=Box(left=10, top=10, right=200, bottom=60),
                font_size=64,
                contrast=7.1,
                font_family="Source Serif Pro",
            )
        ],
        cta_color="#8c3b2a",
        cta_text_color="#fff7ec",
        cta_radius=40,
        logo_kind="mark+name",
        logo_treatment="tile",
        layout_template="stack-bottom-framed",
        picture_scale=1.2,
        image_source="site",
    )
    ref = ArtifactRef(path=f"run/creatives/{vid}-{fmt.value}.png", sha256=hashlib.sha256(b"x").hexdigest(), size=1)
    return Creative(variant_id=vid, format=fmt, width=w, height=h, artifact=ref, layout=layout)


def test_gallery_page_shows_every_creative_with_its_record(tmp_path: Path) -> None:
    variant = CopyVariant(
        id="v1", platform=Platform.META, angle=Angle.OFFER, headline=HOSTILE, primary_text="p", cta="Order now"
    )
    creatives = [_creative("v1", f) for f in AdFormat]
    result = PipelineResult(
        workflow_id="pipeline-abc123",
        stage=Stage.AWAITING_APPROVAL,
        request=PipelineRequest(url="https://bakery.example/"),
        brand_profile=BrandProfile(url="https://bakery.example/", brand_name='Marlowe <img src=x onerror="x()">'),
        variants=[VariantResult(variant=variant, creatives=creatives, warnings=["story: <b>note</b>"])],
    )
    (tmp_path / "result.json").write_text(result.model_dump_json())
    for c in creatives[:3]:  # the landscape PNG is missing: it is left out, not a broken image
        (tmp_path / f"v1-{c.format.value}.png").write_bytes(b"\x89PNG")
    out = CliRunner().invoke(app, ["gallery", str(tmp_path)])
    assert out.exit_code == 0, out.output
    page = (tmp_path / "gallery.html").read_text("utf-8")
    for fmt in ("square", "portrait", "story"):
        assert f'src="v1-{fmt}.png"' in page
    assert "v1-landscape.png" not in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "<b>note</b>" not in page
    assert "Source Serif Pro" in page and "stack-bottom-framed" in page and "1.20×" in page
    assert "mark+name (tile)" in page and "#8c3b2a" in page
    for fmt in (AdFormat.SQUARE, AdFormat.PORTRAIT, AdFormat.STORY):  # the treatment the record names
        assert TREATMENTS[fmt][1] in page, fmt


def test_gallery_reads_records_from_before_text_treatment(tmp_path: Path) -> None:
    """A result.json written before `text_treatment` existed still shows its scrim."""
    creative = _creative("v1", AdFormat.LANDSCAPE)
    creative = creative.model_copy(
        update={"layout": creative.layout.model_copy(update={"scrim": True, "scrim_opacity": 0.5})}
    )
    variant = CopyVariant(id="v1", platform=Platform.META, angle=Angle.OFFER, headline="h", primary_text="p", cta="Go")
    result = PipelineResult(
        workflow_id="pipeline-old",
        stage=Stage.AWAITING_APPROVAL,
        request=PipelineRequest(url="https://bakery.example/"),
        variants=[VariantResult(variant=variant, creatives=[creative])],
    )
    (tmp_path / "result.json").write_text(result.model_dump_json())
    (tmp_path / "v1-landscape.png").write_bytes(b"\x89PNG")
    assert CliRunner().invoke(app, ["gallery", str(tmp_path)]).exit_code == 0
    assert "<td>scrim 0.5</td>" in (tmp_path / "gallery.html").read_text("utf-8")


def test_gallery_needs_a_result(tmp_path: Path) -> None:
    out = CliRunner().invoke(app, ["gallery", str(tmp_path)])
    assert out.exit_code == 2
