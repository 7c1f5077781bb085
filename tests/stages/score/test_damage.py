"""What an art director rejects must score lower: real fixture creatives against damaged copies,
and on-brand renders against off-brand twins, all scored from the files alone through
`brandtruth score --batch`, as a marketer would."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.support.score_creatives import DAMAGES, FixtureCreative, compose_fixture_creatives, run_batch

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def creatives(tmp_path_factory: pytest.TempPathFactory) -> list[FixtureCreative]:
    return compose_fixture_creatives(tmp_path_factory.mktemp("score-fixtures"))


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "BRANDTRUTH_DATA_DIR": str(tmp_path / "data")}


def _line(c: FixtureCreative, image: Path) -> dict[str, object]:
    return {"image": str(image), "platform": "meta", "profile": str(c.profile), **c.copy}


def test_originals_beat_every_damaged_copy(
    creatives: list[FixtureCreative], tmp_path: Path, env: dict[str, str]
) -> None:
    lines: list[dict[str, object]] = []
    for c in creatives:
        lines.append(_line(c, c.image))
        with Image.open(c.image) as img:
            rgb = img.convert("RGB")
            for name, damage in DAMAGES.items():
                path = tmp_path / f"{c.image.stem}-{name}.png"
                damage(rgb, c.layout).save(path)
                lines.append(_line(c, path))
    code, results, stderr = run_batch(lines, tmp_path, env)
    assert code == 0, stderr
    assert len(results) == len(lines)
    assert [r["line"] for r in results] == list(range(1, len(lines) + 1))
    per = len(DAMAGES) + 1
    gaps: list[float] = []
    worse: list[str] = []
    for i, c in enumerate(creatives):
        orig = results[i * per]
        assert orig["image"] == str(c.image)
        for j, name in enumerate(DAMAGES, start=1):
            damaged = results[i * per + j]
            gap = float(orig["score"]) - float(damaged["score"])
            gaps.append(gap)
            if gap <= 0:
                worse.append(f"{c.site} {c.format.value} {name}: {orig['score']} vs {damaged['score']}")
    assert len(worse) <= 0.05 * len(gaps), worse
    assert float(np.mean(gaps)) >= 8.0, gaps
    # No damaged copy is "excellent": every damage is a visible defect.
    for i in range(len(creatives)):
        for j in range(1, per):
            assert results[i * per + j]["tier"] != "excellent", results[i * per + j]


def _off_brand(c: FixtureCreative, out: Path) -> Path:
    """The same creative with its CTA button repainted far from the palette and the logo lock-up removed."""
    with Image.open(c.image) as img:
        a = np.asarray(img.convert("RGB")).copy()
    assert c.layout.cta_box is not None and c.layout.logo_box is not None
    b = c.layout.cta_box
    region = a[b.top : b.bottom, b.left : b.right].astype(np.int16)
    fill = np.median(region.reshape(-1, 3), axis=0)
    button = np.abs(region - fill).sum(axis=2) < 60  # the button's fill, not its label
    far = np.array([0, 200, 90] if fill[1] < 150 else [200, 0, 200], np.int16)  # a green/magenta no palette here uses
    region[button] = far
    a[b.top : b.bottom, b.left : b.right] = region.astype(np.uint8)
    # The whole lock-up goes: the logo and, where the brand name is set beside it, the name too.
    brand_boxes = [c.layout.logo_box, *(t.box for t in c.layout.text_boxes if t.role == "brand")]
    pad = 6
    for lg in brand_boxes:
        y0, y1, x0, x1 = max(0, lg.top - pad), lg.bottom + pad, max(0, lg.left - pad), lg.right + pad
        ring = np.concatenate([a[max(0, y0 - 4) : y0, x0:x1].reshape(-1, 3), a[y1 : y1 + 4, x0:x1].reshape(-1, 3)])
        a[y0:y1, x0:x1] = np.median(ring, axis=0).astype(np.uint8)
    path = out / f"{c.image.stem}-off-brand.png"
    Image.fromarray(a).save(path)
    return path


def test_off_brand_twins_score_lower(creatives: list[FixtureCreative], tmp_path: Path, env: dict[str, str]) -> None:
    lines: list[dict[str, object]] = []
    for c in creatives:
        lines += [_line(c, c.image), _line(c, _off_brand(c, tmp_path))]
    code, results, stderr = run_batch(lines, tmp_path, env)
    assert code == 0, stderr
    lowered = 0
    for k in range(0, len(results), 2):
        on, off = results[k], results[k + 1]
        assert float(off["score"]) < float(on["score"]), (on["image"], on["score"], off["score"])
        fo = {f["name"]: f for f in off["factors"]}
        fn = {f["name"]: f for f in on["factors"]}
        assert fo["brand_presence"]["quality"] <= fn["brand_presence"]["quality"]
        lowered += fo["brand_presence"]["quality"] < fn["brand_presence"]["quality"]
        assert fo["on_brand_color"]["quality"] < 0.5, fo["on_brand_color"]
        assert fo["on_brand_color"]["fix"]
    # Where the picture carries other lettering near an edge, a wordmark may still be read as the brand.
    assert lowered >= 0.75 * (len(results) // 2), f"brand presence fell in only {lowered} of {len(results) // 2} twins"
