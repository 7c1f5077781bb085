"""Text over a picture: a calm area takes the text directly; a busy one gets a scrim sized to the
text block (the picture outside it stays exactly as fitted), or a panel; the choice is recorded."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from brandtruth.formats import Zone
from brandtruth.models.common import Box
from brandtruth.models.creative import FORMAT_SIZES, AdFormat, CreativeLayout
from brandtruth.stages.compose.brand import Palette
from brandtruth.stages.compose.frame import frame_picture
from brandtruth.stages.compose.render import CopyText, RenderJob, render_creative

from .conftest import logo_image, photo, remeasure_contrast

pytestmark = pytest.mark.timeout(120)

PALETTE = Palette("Acme", (15, 118, 110), (8, 60, 56), (245, 158, 11), (255, 255, 255), (15, 23, 42))
COPY = CopyText("Plan delivery routes in minutes", ("Route planning for busy teams",), "Start free trial")
FEED = [AdFormat.SQUARE, AdFormat.PORTRAIT, AdFormat.STORY]


def render(fmt: AdFormat, base: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.uint8], CreativeLayout]:
    out = render_creative(RenderJob(fmt=fmt, base=base, palette=PALETTE, logo=logo_image(), copy=COPY, key="v1"))
    return out.pixels, out.layout


def outside(size: tuple[int, int], *boxes: Box | None) -> npt.NDArray[np.bool_]:
    """Mask of the canvas outside every given box."""
    w, h = size
    mask = np.ones((h, w), dtype=bool)
    for b in boxes:
        if b is not None:
            mask[b.top : b.bottom, b.left : b.right] = False
    return mask


def contains(outer: Box, inner: Box) -> bool:
    return (
        outer.left <= inner.left
        and outer.top <= inner.top
        and outer.right >= inner.right
        and outer.bottom >= inner.bottom
    )


def calm_picture(w: int, h: int) -> npt.NDArray[np.uint8]:
    """A dark, smooth dusk sky: nothing under the text needs calming."""
    ys = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
    top, bottom = np.array([18, 30, 62], np.float32), np.array([40, 52, 96], np.float32)
    sky = top * (1 - ys) + bottom * ys
    return np.ascontiguousarray(np.broadcast_to(sky, (h, w, 3)) + 0.5).astype(np.uint8)


@pytest.mark.parametrize("fmt", FEED)
def test_busy_picture_gets_a_scrim_sized_to_the_text_block(fmt: AdFormat) -> None:
    w, h = FORMAT_SIZES[fmt]
    base = np.asarray(photo(w, h, 21, busy=True), dtype=np.uint8)
    pixels, layout = render(fmt, base)
    assert layout.text_treatment == "scrim" and layout.scrim, fmt
    scrim = layout.scrim_box
    assert scrim is not None and layout.cta_box is not None
    assert layout.text_busyness is not None and layout.text_busyness > 2.5
    # It covers the whole text block: headline, body and button.
    for box in [t.box for t in layout.text_boxes if t.role in ("headline", "body")] + [layout.cta_box]:
        assert contains(scrim, box), (fmt, scrim, box)
    # ...and not the canvas: the picture shows untouched around it, pixel for pixel.
    assert scrim.width * scrim.height < 0.6 * w * h, (fmt, scrim)
    assert scrim.width < w or scrim.height < 0.6 * h, (fmt, scrim)
    untouched = outside((w, h), scrim, layout.logo_box)
    assert untouched.mean() > 0.4
    assert np.array_equal(pixels[untouched], base[untouched]), fmt
    # Inside it, the picture under the soft edge is darkened (or lightened) toward the text's
    # opposite, and the text is legible on the final pixels.
    for t in layout.text_boxes:
        if t.role in ("headline", "body"):
            assert remeasure_contrast(pixels, t.box, t.color) >= 4.5, (fmt, t.role)
    inside = ~outside((w, h), scrim) & outside((w, h), *[t.box for t in layout.text_boxes], layout.cta_box)
    assert not np.array_equal(pixels[inside], base[inside])


@pytest.mark.parametrize("fmt", FEED)
def test_calm_picture_takes_the_text_directly(fmt: AdFormat) -> None:
    w, h = FORMAT_SIZES[fmt]
    base = calm_picture(w, h)
    pixels, layout = render(fmt, base)
    assert layout.text_treatment == "direct" and not layout.scrim and not layout.panel, fmt
    assert layout.scrim_box is None and layout.panel_box is None
    # Nothing but our text, button and logo was drawn: the picture is unchanged everywhere else.
    boxes = [t.box for t in layout.text_boxes] + [layout.cta_box]
    padded = [Box(left=b.left - 6, top=b.top - 6, right=b.right + 6, bottom=b.bottom + 6) for b in boxes if b]
    untouched = outside((w, h), *padded, layout.logo_box)
    assert np.array_equal(pixels[untouched], base[untouched]), fmt
    for t in layout.text_boxes:
        if t.role in ("headline", "body"):
            assert remeasure_contrast(pixels, t.box, t.color) >= 4.5, (fmt, t.role)


def test_very_busy_picture_gets_a_solid_brand_panel() -> None:
    """Fine high-contrast texture (a scrim cannot calm it): a solid panel in the brand's colour."""
    w, h = FORMAT_SIZES[AdFormat.SQUARE]
    yy, xx = np.indices((h, w))
    board = (((yy // 4) + (xx // 4)) % 2 * 255).astype(np.uint8)
    base = np.stack([board] * 3, axis=-1)
    pixels, layout = render(AdFormat.SQUARE, base)
    assert layout.text_treatment == "panel" and layout.panel and layout.panel_box is not None
    assert layout.scrim_box is None
    pb = layout.panel_box
    m = 24  # clear of the panel's rounded corners
    inner = pixels[pb.top + m : pb.bottom - m, pb.left + m : pb.right - m]
    ours = [t.box for t in layout.text_boxes] + ([layout.cta_box] if layout.cta_box else [])
    shifted = [
        Box(
            left=b.left - pb.left - m, top=b.top - pb.top - m, right=b.right - pb.left - m, bottom=b.bottom - pb.top - m
        )
        for b in ours
    ]
    behind = outside((pb.width - 2 * m, pb.height - 2 * m), *shifted)
    colours = {tuple(int(v) for v in px) for px in inner[behind][::97]}
    assert colours == {PALETTE.field()}, colours  # one flat brand colour behind the text
    untouched = outside((w, h), pb, layout.logo_box)
    assert np.array_equal(pixels[untouched], base[untouched])


def test_the_same_input_gives_the_same_scrim() -> None:
    w, h = FORMAT_SIZES[AdFormat.SQUARE]
    base = np.asarray(photo(w, h, 33, busy=True), dtype=np.uint8)
    first, layout = render(AdFormat.SQUARE, base)
    again, layout2 = render(AdFormat.SQUARE, base.copy())
    assert layout.text_treatment == "scrim"
    assert np.array_equal(first, again) and layout == layout2
    Image.fromarray(first)  # a valid RGB image


@pytest.mark.parametrize("zone", [Zone.BOTTOM, Zone.TOP])
def test_scrim_on_a_framed_picture_stays_off_the_brand_field(zone: Zone) -> None:
    """A story framed on the brand field (the picture would need more than 1.5x): the text block
    reaches over the picture, which is calmed; the flat field is never tinted by a scrim."""
    fmt = AdFormat.STORY
    w, h = FORMAT_SIZES[fmt]
    source = np.asarray(photo(1600, 1000, 21, busy=True), dtype=np.uint8)
    framed = frame_picture(source, (1600, 1000), (0.5, 0.5), fmt, zone, PALETTE.field())
    job = RenderJob(
        fmt=fmt,
        base=framed.pixels,
        palette=PALETTE,
        logo=logo_image(),
        copy=COPY,
        key="v1",
        zone=zone,
        framed_box=framed.box,
        framed_whole=framed.whole,
    )
    out = render_creative(job)
    layout = out.layout
    assert layout.text_treatment in ("scrim", "panel"), layout.text_treatment
    if layout.text_treatment == "scrim":
        assert layout.scrim_box is not None and contains(framed.box, layout.scrim_box)
        ours = [t.box for t in layout.text_boxes] + [layout.cta_box, layout.logo_box]
        grown = [Box(left=b.left - 6, top=b.top - 6, right=b.right + 6, bottom=b.bottom + 6) for b in ours if b]
        field = outside((w, h), framed.box, *grown)
        assert field.mean() > 0.2
        assert np.array_equal(out.pixels[field], framed.pixels[field])
    for t in layout.text_boxes:
        if t.role in ("headline", "body"):
            assert remeasure_contrast(out.pixels, t.box, t.color) >= 4.5, t.role
