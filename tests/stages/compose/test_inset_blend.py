"""The inset's feathered blend: only the feather bands are blended, with the same result to the bit."""

from __future__ import annotations

import numpy as np
import pytest

from brandtruth.models.common import Box
from brandtruth.stages.compose.placement import _feather_mask, _feathered


def full_float_blend(under: np.ndarray, over: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The blend as a whole-canvas float computation (how it was done before)."""
    a = alpha[..., None]
    out = under.astype(np.float32) * (1 - a) + over.astype(np.float32) * a
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


@pytest.mark.parametrize(
    ("box", "canvas"),
    [
        (Box(left=100, top=200, right=700, bottom=900), (1080, 1080)),  # inside: feathered all round
        (Box(left=-50, top=300, right=900, bottom=1500), (1080, 1350)),  # off the left edge
        (Box(left=0, top=0, right=1080, bottom=1920), (1080, 1920)),  # covers the canvas: no feather
        (Box(left=500, top=-400, right=1300, bottom=700), (1200, 628)),  # off top and right
    ],
)
def test_matches_the_whole_canvas_blend(box: Box, canvas: tuple[int, int]) -> None:
    rng = np.random.default_rng(box.left + box.top)
    w, h = canvas
    nw, nh = box.right - box.left, box.bottom - box.top
    left, top, right, bottom = max(0, box.left), max(0, box.top), min(w, box.right), min(h, box.bottom)
    alpha = _feather_mask(nw, nh, box, canvas)[top - box.top : bottom - box.top, left - box.left : right - box.left]
    under = rng.integers(0, 256, (bottom - top, right - left, 3), dtype=np.uint8)
    over = rng.integers(0, 256, (bottom - top, right - left, 3), dtype=np.uint8)
    assert np.array_equal(_feathered(under, over, alpha), full_float_blend(under, over, alpha))
