"""Creatives compose wrote are read back by the fast PNG reader, with exactly the same scores."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

import brandtruth.stages.score.visual as visual
from brandtruth.imaging import png
from brandtruth.imaging.png import encode_png
from brandtruth.models.creative import AdFormat
from brandtruth.models.stage_io import ScoreInput
from brandtruth.stages.context import StageContext
from brandtruth.stages.score import score_variant
from brandtruth.storage.artifacts import ArtifactStore

from .conftest import CreativeSpec, MakeInput

pytestmark = pytest.mark.timeout(120)


def rewritten(inp: ScoreInput, store: ArtifactStore) -> ScoreInput:
    """The same creatives, stored as the compose stage writes them (same pixels, other bytes)."""
    creatives = []
    for c in inp.creatives.creatives:
        with Image.open(io.BytesIO(store.read(c.artifact))) as img:
            pixels = np.asarray(img.convert("RGB"))
        ref = store.put(c.artifact.path.replace(".png", "-own.png"), encode_png(pixels), "image/png")
        creatives.append(c.model_copy(update={"artifact": ref}))
    return inp.model_copy(update={"creatives": inp.creatives.model_copy(update={"creatives": creatives})})


async def test_own_pngs_score_exactly_like_any_png(
    make_input: MakeInput, ctx: StageContext, store: ArtifactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    inp = make_input(specs=[CreativeSpec(fmt=f, seed=i) for i, f in enumerate(AdFormat)])
    general = await score_variant(inp, ctx)

    fast_reads = []
    real = png.decode_own_png  # what the score stage calls it through

    def counting(data: bytes) -> np.ndarray | None:
        out = real(data)
        fast_reads.append(out is not None)
        return out

    monkeypatch.setattr(visual, "decode_own_png", counting)
    own = await score_variant(rewritten(inp, store), ctx)
    assert fast_reads == [True] * len(AdFormat)
    assert own.model_dump() == general.model_dump()
