"""A version that will be replaced by a framed one is not drawn; every kept creative is unchanged."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image, ImageDraw

import brandtruth.stages.compose.stage as compose_stage
from brandtruth.stages.compose.frame import MAX_SCALE
from brandtruth.stages.compose.render import Rendered, RenderJob, render_creative, render_unless_enlarged

from .conftest import Kit, encode, logo_image, variant
from .test_compose_creatives import compose_for
from .test_compose_placement import studio_shot

pytestmark = pytest.mark.timeout(180)


def small_product() -> bytes:
    """A small product on a studio sweep: moved clear of a story's text it is enlarged past
    MAX_SCALE, so the story is framed instead."""
    size = 1000
    ys = np.linspace(240, 210, size, dtype=np.float32)[:, None, None]
    bg = np.broadcast_to(np.concatenate([ys, ys - 4, ys - 10], axis=2), (size, size, 3)).astype(np.uint8)
    img = Image.fromarray(np.ascontiguousarray(bg), "RGB")
    ImageDraw.Draw(img).rounded_rectangle((440, 400, 560, 700), radius=16, fill=(30, 80, 200))
    return encode(img, "JPEG", quality=92)


def studio_jpeg() -> bytes:
    return encode(studio_shot(), "JPEG", quality=92)


@pytest.mark.parametrize("shot", [studio_jpeg, small_product])
async def test_skips_only_what_would_be_replaced(
    kit: Kit, monkeypatch: pytest.MonkeyPatch, shot: Callable[[], bytes]
) -> None:
    outcomes: list[bool] = []

    def checked(job: RenderJob, max_scale: float) -> Rendered | None:
        out = render_unless_enlarged(job, max_scale)
        full = render_creative(job)
        scale = full.layout.picture_scale
        replaced = scale is not None and scale > MAX_SCALE + 1e-6
        assert (out is None) == replaced, (job.fmt, scale)
        if out is not None:
            assert out.layout == full.layout and np.array_equal(out.pixels, full.pixels)
        outcomes.append(out is None)
        return out

    monkeypatch.setattr(compose_stage, "render_unless_enlarged", checked)
    images = [kit.image_asset(shot(), alt="product")]
    profile = kit.profile(images=images, logo=logo_image())
    result = await compose_for(kit, profile, [variant("v1")])
    assert len(outcomes) == len(result.creatives)
    if shot is small_product:
        assert any(outcomes), "the framed story is drawn once, not twice"
    for c in result.creatives:
        assert c.layout.picture_scale is None or c.layout.picture_scale <= MAX_SCALE + 1e-3
