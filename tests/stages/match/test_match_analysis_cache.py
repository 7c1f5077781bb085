"""Per-image analysis is done once per run and reused by every per-variant match activity."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PIL import Image

import brandtruth.stages.match.candidates as candidates
from brandtruth.imaging.decode import decode_image
from brandtruth.models.brand import ImageAsset
from brandtruth.models.copy import CopyVariant
from brandtruth.models.creative import AdFormat, VariantMatches
from brandtruth.models.stage_io import MatchInput
from brandtruth.stages.match import match_images
from brandtruth.storage import ArtifactStore

from .conftest import RUN_ID, Kit, encode, fresh_worker, scene, variant

pytestmark = pytest.mark.timeout(120)


class CountingDecode:
    """Stands in for `decode_image` in the candidates module and counts the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, data: bytes, *, min_size: tuple[int, int] | None = None) -> Image.Image:
        self.calls += 1
        return decode_image(data, min_size=min_size)


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> CountingDecode:
    counter = CountingDecode()
    monkeypatch.setattr(candidates, "decode_image", counter)
    return counter


class CountingStore(ArtifactStore):
    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.puts: list[str] = []

    def put(self, rel: str, data: bytes, content_type: str | None = None):
        self.puts.append(rel)
        return super().put(rel, data, content_type)


def variants() -> list[CopyVariant]:
    return [variant(f"v{i}", f"Headline number {i}", "Trail bikes and coffee") for i in (1, 2, 3)]


async def match(kit: Kit, profile, vid: str) -> VariantMatches:
    return await match_images(
        MatchInput(run_id=RUN_ID, profile=profile, variants=variants(), variant_id=vid, formats=list(AdFormat)),
        kit.ctx,
    )


def images(kit: Kit) -> list[ImageAsset]:
    good = [kit.asset(encode(scene(1300 + 50 * i, 1000, 60 + i), "JPEG"), alt=f"photo {i}") for i in range(4)]
    return [*good, kit.asset(b"\x89PNG\r\n\x1a\nbroken", alt="corrupt")]


async def test_second_variant_decodes_nothing(tmp_path: Path, decodes: CountingDecode) -> None:
    kit = Kit(tmp_path / "a")
    assert kit.store.root is not None
    store = CountingStore(kit.store.root)
    kit.store = store
    kit.ctx = type(kit.ctx)(run_id=RUN_ID, settings=kit.ctx.settings, store=store)
    assets = images(kit)
    profile = kit.profile(assets)

    first = await match(kit, profile, "v1")
    assert decodes.calls == 4  # the corrupt file fails before decoding gets anywhere
    written = [p for p in store.puts if "/analysis/" in p]
    assert sorted(written) == sorted(f"{RUN_ID}/analysis/{a.artifact.sha256}.json" for a in assets if a.artifact)

    second = await match(kit, profile, "v2")
    third = await match(kit, profile, "v3")
    assert decodes.calls == 4, "later variants must reuse the cached analyses"
    assert [p for p in store.puts if "/analysis/" in p] == written, "each analysis is written once"
    # The unusable image is remembered too, with the same warning for every variant.
    for vm in (first, second, third):
        assert sum("corrupt" in w or "5 (" in w for w in vm.warnings) == 1, vm.warnings

    # Same plan as a run that analyses everything afresh (cached numbers are exact).
    fresh_worker()
    fresh_kit = Kit(tmp_path / "b")
    fresh_assets = [fresh_kit.asset(kit.store.read(a.artifact), alt=a.alt) for a in assets if a.artifact is not None]
    fresh_profile = fresh_kit.profile(fresh_assets)
    fresh = await match(fresh_kit, fresh_profile, "v2")
    assert fresh.model_dump() == second.model_dump()


async def test_parallel_variants_analyse_each_image_once(kit: Kit, decodes: CountingDecode) -> None:
    profile = kit.profile(images(kit))
    results = await asyncio.gather(*(match(kit, profile, v.id) for v in variants()))
    assert decodes.calls == 4
    chosen = [next(m.candidate.id for m in vm.matches if m.format is AdFormat.SQUARE) for vm in results]
    assert len(set(chosen)) == 3


async def test_stale_or_damaged_cache_is_recomputed(kit: Kit, decodes: CountingDecode) -> None:
    assets = images(kit)[:2]
    profile = kit.profile(assets)
    before = await match(kit, profile, "v1")
    assert decodes.calls == 2
    first, second = (a.artifact for a in assets)
    assert first is not None and second is not None
    kit.store.put(f"{RUN_ID}/analysis/{first.sha256}.json", b"{not json", "application/json")
    kit.store.put(f"{RUN_ID}/analysis/{second.sha256}.json", b'{"version": 0}', "application/json")
    fresh_worker()  # the next activity runs on another worker, which has only the store
    after = await match(kit, profile, "v1")
    assert decodes.calls == 4
    assert after.model_dump() == before.model_dump()
    assert b'"version"' in kit.store.read(f"{RUN_ID}/analysis/{first.sha256}.json")
