"""In-process memory of analyses: once per image per worker process, bounded, and exact."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import brandtruth.stages.match.candidates as candidates
from brandtruth.models.creative import AdFormat, VariantMatches
from brandtruth.models.stage_io import MatchInput
from brandtruth.stages.context import StageContext
from brandtruth.stages.match import match_images
from brandtruth.stages.match.memory import BoundedLRU

from .conftest import Kit, encode, fresh_worker, scene, variant
from .test_match_analysis_cache import CountingDecode, decodes  # noqa: F401  (fixture)

pytestmark = pytest.mark.timeout(120)

VARIANTS = [variant(f"v{i}", f"Headline number {i}", "Trail bikes and coffee") for i in (1, 2)]


def photos(n: int, offset: int = 0) -> list[bytes]:
    return [encode(scene(900 + 40 * i, 700, 90 + offset + i), "JPEG") for i in range(n)]


def site(root: Path, run_id: str, data: list[bytes]) -> tuple[Kit, object]:
    kit = Kit(root)
    kit.ctx = StageContext(run_id=run_id, settings=kit.ctx.settings, store=kit.store)
    return kit, kit.profile([kit.asset(d, alt=f"bike photo {i}") for i, d in enumerate(data)])


async def match(kit: Kit, profile, vid: str = "v1") -> VariantMatches:
    return await match_images(
        MatchInput(run_id=kit.ctx.run_id, profile=profile, variants=VARIANTS, variant_id=vid, formats=list(AdFormat)),
        kit.ctx,
    )


async def test_a_later_run_of_the_same_images_analyses_nothing(tmp_path: Path, decodes: CountingDecode) -> None:  # noqa: F811
    data = photos(3)
    first_kit, first_profile = site(tmp_path / "a", "pipeline-first", data)
    await match(first_kit, first_profile)
    assert decodes.calls == 3

    kit, profile = site(tmp_path / "b", "pipeline-second", data)
    remembered = await match(kit, profile, "v2")
    assert decodes.calls == 3, "a second run in the same process reuses the analyses"

    fresh_worker()
    fresh_kit, fresh_profile = site(tmp_path / "c", "pipeline-second", data)
    fresh = await match(fresh_kit, fresh_profile, "v2")
    assert decodes.calls == 6
    assert remembered.model_dump() == fresh.model_dump(), "remembered analyses and fits give the same plan"


async def test_memory_stays_within_its_bound(
    tmp_path: Path,
    decodes: CountingDecode,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one = candidates._analysis_bytes(candidates._analyse_bytes(photos(1)[0], (255, 255, 255)))
    monkeypatch.setattr(candidates, "_memory", BoundedLRU(int(2.5 * one), candidates._analysis_bytes))
    decodes.calls = 0
    data = photos(5, offset=10)
    kit, profile = site(tmp_path / "a", "pipeline-bounded", data)
    await match(kit, profile)
    assert decodes.calls == 5
    assert len(candidates._memory) == 2 and candidates._memory.nbytes <= candidates._memory.max_bytes

    # The oldest images were forgotten: another run analyses them again (from its own bytes).
    again, again_profile = site(tmp_path / "b", "pipeline-bounded-2", data)
    await match(again, again_profile)
    assert decodes.calls >= 5 + 3


async def test_remembered_analyses_are_read_only(kit: Kit) -> None:
    asset = kit.asset(photos(1)[0])
    assert asset.artifact is not None
    analysis = candidates.image_analysis(kit.store, asset.artifact.path, asset.artifact.sha256, (255, 255, 255), None)
    again = candidates.image_analysis(kit.store, asset.artifact.path, asset.artifact.sha256, (255, 255, 255), None)
    assert again is analysis
    with pytest.raises(ValueError):
        analysis.saliency[0, 0] = np.float32(1.0)
    on_black = candidates.image_analysis(kit.store, asset.artifact.path, asset.artifact.sha256, (0, 0, 0), None)
    assert on_black is not analysis, "the background the image is flattened on is part of the key"


def test_lru_evicts_least_recently_used_first() -> None:
    lru: BoundedLRU[str, bytes] = BoundedLRU(10, len)
    lru.put("a", b"1234")
    lru.put("b", b"1234")
    assert lru.get("a") == b"1234"  # "a" is now the most recent
    lru.put("c", b"1234")
    assert lru.get("b") is None and lru.get("a") == b"1234" and lru.get("c") == b"1234"
    lru.put("huge", b"x" * 11)
    assert lru.get("huge") is None and lru.nbytes == 8
