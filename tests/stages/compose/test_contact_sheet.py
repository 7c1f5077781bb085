"""Contact sheet: every cell shows its creative (a faithful thumbnail), or says why it cannot."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from brandtruth.imaging.png import encode_png
from brandtruth.models.common import ArtifactRef, Box
from brandtruth.models.creative import FORMAT_SIZES, AdFormat, Creative, CreativeLayout
from brandtruth.stages.compose.sheet import BG, GUTTER, HEADER_H, LABEL_W, THUMB_H, render_contact_sheet, thumb_width

from .conftest import encode, photo

pytestmark = pytest.mark.timeout(60)

FORMATS = [AdFormat.SQUARE, AdFormat.STORY]


def creative(vid: str, fmt: AdFormat) -> Creative:
    w, h = FORMAT_SIZES[fmt]
    path = f"run/creatives/{vid}-{fmt.value}.png"
    return Creative(
        variant_id=vid,
        format=fmt,
        width=w,
        height=h,
        artifact=ArtifactRef(path=path, sha256="0" * 64, size=1, content_type="image/png"),
        layout=CreativeLayout(safe_zone=Box(left=0, top=0, right=w, bottom=h)),
    )


def cell(sheet: np.ndarray, row: int, fmt: AdFormat) -> np.ndarray:
    x = LABEL_W + GUTTER
    for f in FORMATS:
        if f is fmt:
            break
        x += thumb_width(f) + GUTTER
    y = HEADER_H + row * (THUMB_H + GUTTER)
    return sheet[y : y + THUMB_H, x : x + thumb_width(fmt)].astype(np.int16)


def test_cells_are_faithful_thumbnails_and_gaps_are_labelled() -> None:
    pictures: dict[str, Image.Image] = {}
    creatives: list[Creative] = []
    images: dict[str, bytes | None] = {}
    for i, (vid, fmt) in enumerate([("v1", AdFormat.SQUARE), ("v1", AdFormat.STORY), ("v2", AdFormat.SQUARE)]):
        made = creative(vid, fmt)
        pictures[made.artifact.path] = photo(*FORMAT_SIZES[fmt], seed=i, busy=True)
        picture = pictures[made.artifact.path]
        # As compose writes them (the fast reader) and as any other tool would (the general one).
        images[made.artifact.path] = encode_png(np.asarray(picture)) if i % 2 == 0 else encode(picture)
        creatives.append(made)
    broken = creative("v3", AdFormat.SQUARE)
    creatives.append(broken)
    images[broken.artifact.path] = b"\x89PNG\r\n\x1a\n not really"

    sheet = np.asarray(Image.open(io.BytesIO(render_contact_sheet("Run", creatives, images))).convert("RGB"))

    for row, vid in enumerate(["v1", "v2"]):
        for fmt in FORMATS:
            c = next((x for x in creatives if x.variant_id == vid and x.format is fmt), None)
            got = cell(sheet, row, fmt)
            if c is None:  # v2 has no story: an empty, outlined cell
                assert (got[THUMB_H // 4, 4:-4] == BG).all()
                continue
            reference = pictures[c.artifact.path].resize((thumb_width(fmt), THUMB_H), Image.Resampling.LANCZOS)
            diff = np.abs(got - np.asarray(reference, dtype=np.int16))
            # The border line is drawn over the outermost pixel; inside it, the reduced resample
            # matches a full Lanczos resample to well under one level on average.
            assert diff[1:-1, 1:-1].mean() < 1.0, (vid, fmt)
            others = [p for p in pictures if p != c.artifact.path]
            for other in others:
                o = pictures[other]
                if o.size == pictures[c.artifact.path].size:
                    alt = np.asarray(o.resize(reference.size, Image.Resampling.LANCZOS), dtype=np.int16)
                    assert np.abs(got - alt)[1:-1, 1:-1].mean() > 10, "each cell shows its own creative"
    unreadable = cell(sheet, 2, AdFormat.SQUARE)
    assert (unreadable[THUMB_H // 4, 4:-4] == BG).all(), "an unreadable creative is not drawn"
