"""`brandtruth score`: one file, a JSONL batch, and bad input that must fail on its own line."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from typer.testing import CliRunner

from brandtruth.cli import app
from tests.support.score_creatives import run_batch

pytestmark = pytest.mark.timeout(600)
HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "hostile" / "img"


def _ad(path: Path, seed: int) -> Path:
    """A plain ad: coloured background, a big headline and a CTA button (drawn, not composed)."""
    from font_roboto import RobotoBold
    from PIL import ImageFont

    img = Image.new("RGB", (1080, 1080), (20 + seed % 5 * 30, 60, 120))
    d = ImageDraw.Draw(img)
    d.text((80, 600), f"Save {10 + seed}% today", font=ImageFont.truetype(RobotoBold, 90), fill=(255, 255, 255))
    d.rounded_rectangle((80, 820, 480, 920), radius=18, fill=(255, 196, 0))
    d.text((120, 842), "Shop now", font=ImageFont.truetype(RobotoBold, 50), fill=(20, 20, 20))
    img.save(path)
    return path


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """The CLI reads settings once per process (cached); each test brings its own environment."""
    from brandtruth.config import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "BRANDTRUTH_DATA_DIR": str(tmp_path / "data")}


def test_single_image_json(tmp_path: Path) -> None:
    ad = _ad(tmp_path / "ad.png", 1)
    out = CliRunner().invoke(
        app, ["score", str(ad), "--headline", "Save 11% today", "--cta", "Shop now", "--json"],
        env={"BRANDTRUTH_DATA_DIR": str(tmp_path / "data")},
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert {"score", "tier", "band", "model", "factors", "policy_failures"} <= set(result)
    names = {f["name"] for f in result["factors"]}
    assert {"legibility", "cta_prominence", "sharpness", "text_coverage", "clutter"} <= names
    assert result["found_by"] == "pixels"
    roles = {e["role"] for e in result["elements"]}
    assert {"headline", "cta_button"} <= roles
    total = sum(round(f["contribution"] * 100) for f in result["factors"])
    assert total == round(result["score"] * 100)


def test_single_image_human_and_bad_file(tmp_path: Path) -> None:
    ad = _ad(tmp_path / "ad.png", 2)
    env = {"BRANDTRUTH_DATA_DIR": str(tmp_path / "data")}
    out = CliRunner().invoke(app, ["score", str(ad), "--headline", "Save 12% today"], env=env)
    assert out.exit_code == 0 and "Score " in out.output and "legibility" in out.output
    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    out = CliRunner().invoke(app, ["score", str(bad)], env=env)
    assert out.exit_code == 2 and "not an image" in out.output


def _bad_inputs(tmp: Path) -> dict[str, Path]:
    svg = tmp / "ad.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1080"><rect width="9" height="9"/></svg>'
    )
    tiny = tmp / "tiny.png"
    Image.new("RGB", (1, 1), (255, 0, 0)).save(tiny)
    huge = tmp / "huge.png"
    Image.new("1", (10_000, 10_000)).save(huge)  # 100 MP, a few KB on disk
    text = tmp / "readme.png"
    text.write_text("hello, not a picture")
    return {"svg": svg, "tiny": tiny, "huge": huge, "text": text, "bomb": HOSTILE / "bomb.png"}


def test_batch_fifty_lines_in_order_with_errors_on_their_lines(tmp_path: Path, env: dict[str, str]) -> None:
    lines: list[dict[str, object]] = []
    for i in range(45):
        lines.append(
            {"image": str(_ad(tmp_path / f"ad{i}.png", i)), "headline": f"Save {10 + i}% today", "cta": "Shop now"}
        )
    bad = _bad_inputs(tmp_path)
    lines.insert(7, {"image": str(bad["text"]), "headline": "x"})  # unreadable image
    lines.insert(20, {"image": str(tmp_path / "missing.png")})  # missing file
    lines.insert(30, {"image": str(bad["svg"])})
    lines.insert(40, {"image": str(bad["huge"])})
    lines.insert(45, {"image": str(bad["tiny"])})
    assert len(lines) == 50
    started = time.monotonic()
    code, results, _err = run_batch(lines, tmp_path, env)
    assert time.monotonic() - started < 500
    assert code == 1
    assert len(results) == 50
    assert [r["line"] for r in results] == list(range(1, 51))
    failed = {i for i, r in enumerate(results) if "error" in r}
    assert failed == {7, 20, 30, 40, 45}
    assert "not an image" in str(results[7]["detail"])
    assert "does not exist" in str(results[20]["detail"])
    assert "SVG" in str(results[30]["detail"])
    assert "MP" in str(results[40]["detail"])
    assert "1x1" in str(results[45]["detail"])
    for i, r in enumerate(results):
        if i not in failed:
            assert r["image"] == lines[i]["image"] and 0 <= float(r["score"]) <= 100


def test_decompression_bomb_and_garbage_lines_fail_alone(tmp_path: Path, env: dict[str, str]) -> None:
    ok = _ad(tmp_path / "ok.png", 3)
    batch = tmp_path / "b.jsonl"
    batch.write_text(
        json.dumps({"image": str(HOSTILE / "bomb.png")}) + "\n{not json\n" + json.dumps({"headline": "no image"}) + "\n"
        + json.dumps({"image": str(ok), "platform": "myspace"}) + "\n" + json.dumps({"image": str(ok)}) + "\n"
    )  # fmt: skip
    out = CliRunner().invoke(app, ["score", "--batch", str(batch), "--json"], env=env)
    assert out.exit_code == 1
    rows = [json.loads(x) for x in out.output.splitlines()]
    assert [("error" in r) for r in rows] == [True, True, True, True, False]
    assert "bomb" in rows[0]["detail"] or "too large" in rows[0]["detail"] or "MP" in rows[0]["detail"]
    assert rows[1]["error"] == "invalid_line" and rows[2]["error"] == "invalid_line"
    assert "platform" in rows[3]["detail"]


def test_brand_url_reads_the_palette_through_the_guard(tmp_path: Path) -> None:
    from font_roboto import RobotoBold
    from PIL import ImageFont

    from tests.support.site_server import serve_site

    def ad(fill: tuple[int, int, int]) -> Path:
        img = Image.new("RGB", (1080, 1080), (244, 237, 228))
        d = ImageDraw.Draw(img)
        d.text((80, 560), "Sleep-friendly decaf", font=ImageFont.truetype(RobotoBold, 90), fill=(43, 26, 18))
        d.rounded_rectangle((80, 820, 480, 920), radius=18, fill=fill)
        d.text((120, 842), "Shop decaf", font=ImageFont.truetype(RobotoBold, 50), fill=(20, 20, 20))
        path = tmp_path / f"ad-{fill[0]}.png"
        img.save(path)
        return path

    from brandtruth.config import get_settings

    with serve_site("shop") as site:
        env = {"BRANDTRUTH_DATA_DIR": str(tmp_path / "data"), "BRANDTRUTH_ALLOWED_HOSTS": site.host_port}
        get_settings.cache_clear()  # the CLI reads settings once per process; this test changes them
        quality = {}
        for name, fill in (("on", (233, 180, 76)), ("off", (0, 200, 90))):
            out = CliRunner().invoke(
                app, ["score", str(ad(fill)), "--cta", "Shop decaf", "--brand-url", site.url("/"), "--json"], env=env
            )
            assert out.exit_code == 0, out.output
            factors = {f["name"]: f for f in json.loads(out.output)["factors"]}
            quality[name] = factors["on_brand_color"]["quality"]
        assert quality["on"] == 1.0 and quality["off"] < 0.5
    get_settings.cache_clear()
    blocked = CliRunner().invoke(
        app,
        ["score", str(ad((0, 0, 0))), "--brand-url", "http://169.254.169.254/"],
        env={"BRANDTRUTH_DATA_DIR": str(tmp_path)},
    )
    assert blocked.exit_code == 2
    get_settings.cache_clear()
