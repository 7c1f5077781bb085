"""`POST /workflow/score` on a real server: a multipart upload scored like `brandtruth score`."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from font_roboto import RobotoBold
from PIL import Image, ImageDraw, ImageFont

from brandtruth.config import Settings
from brandtruth.models.brand import BrandAssets, BrandColor, BrandProfile
from tests.api.conftest import serve_api

pytestmark = pytest.mark.timeout(180)


def _ad(cta_fill: tuple[int, int, int] = (255, 196, 0)) -> bytes:
    img = Image.new("RGB", (1080, 1080), (24, 60, 120))
    d = ImageDraw.Draw(img)
    d.text((80, 600), "Save 40% today", font=ImageFont.truetype(RobotoBold, 90), fill=(255, 255, 255))
    d.rounded_rectangle((80, 820, 480, 920), radius=18, fill=cta_fill)
    d.text((120, 842), "Shop now", font=ImageFont.truetype(RobotoBold, 50), fill=(20, 20, 20))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
async def http(make_settings: Callable[..., Settings]) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(BRANDTRUTH_API_KEY="k3y")
    async with (
        serve_api(settings) as api,
        httpx.AsyncClient(base_url=api, timeout=60, headers={"Authorization": "Bearer k3y"}) as client,
    ):
        yield client


async def test_scores_an_upload_with_factors_and_heatmap(http: httpx.AsyncClient) -> None:
    r = await http.post(
        "/workflow/score",
        files={"image": ("ad.png", _ad(), "image/png")},
        data={"headline": "Save 40% today", "cta": "Shop now", "platform": "meta", "include_heatmap": "true"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert {"score", "tier", "band", "model", "factors", "policy_failures", "fixes"} <= set(body)
    assert body["found_by"] == "pixels" and body["width"] == 1080
    assert sum(round(f["contribution"] * 100) for f in body["factors"]) == round(body["score"] * 100)
    assert body["heatmap"].startswith("data:image/png;base64,")
    heat = Image.open(io.BytesIO(base64.b64decode(body["heatmap"].split(",", 1)[1])))
    assert heat.size == (1080, 1080)


async def test_palette_from_a_profile_flags_an_off_brand_cta(http: httpx.AsyncClient) -> None:
    profile = BrandProfile(
        url="https://brand.test/",
        brand_name="Brand",
        assets=BrandAssets(
            colors=[BrandColor(role="primary", hex="#183c78"), BrandColor(role="accent", hex="#ffc400")]
        ),
    ).model_dump_json()
    scores = {}
    for name, fill in (("on", (255, 196, 0)), ("off", (0, 200, 90))):
        r = await http.post(
            "/workflow/score",
            files={"image": ("ad.png", _ad(fill), "image/png")},
            data={"cta": "Shop now", "profile": profile},
        )
        assert r.status_code == 200, r.text
        scores[name] = r.json()
    quality = {k: next(f for f in v["factors"] if f["name"] == "on_brand_color")["quality"] for k, v in scores.items()}
    assert quality["on"] == 1.0 and quality["off"] < 0.5
    assert scores["off"]["score"] < scores["on"]["score"]


@pytest.mark.parametrize(
    ("files", "data", "fragment"),
    [
        ({"image": ("a.png", b"hello", "image/png")}, {}, "not an image"),
        ({"image": ("a.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml")}, {}, "SVG"),
        ({"image": ("a.png", _ad(), "image/png")}, {"platform": "myspace"}, "platform"),
        ({"image": ("a.png", _ad(), "image/png")}, {"profile": "{}"}, "profile"),
        ({"image": ("a.png", _ad(), "image/png")}, {"brand_url": "http://169.254.169.254/"}, "brand_url"),
        ({}, {"headline": "no image"}, "image"),
    ],
)
async def test_bad_input_is_422(
    http: httpx.AsyncClient, files: dict[str, tuple[str, bytes, str]], data: dict[str, str], fragment: str
) -> None:
    r = await http.post("/workflow/score", files=files or None, data=data)
    assert r.status_code == 422, r.text
    assert fragment in r.json()["detail"]


async def test_tiny_image_and_auth_and_size_limit(http: httpx.AsyncClient) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buf, "PNG")
    r = await http.post("/workflow/score", files={"image": ("t.png", buf.getvalue(), "image/png")})
    assert r.status_code == 422 and "1x1" in r.json()["detail"]
    r = await http.post(
        "/workflow/score", files={"image": ("a.png", _ad(), "image/png")}, headers={"Authorization": "Bearer wrong"}
    )
    assert r.status_code == 401
    r = await http.post("/workflow/score", files={"image": ("big.png", b"\0" * (26 * 1024 * 1024), "image/png")})
    assert r.status_code == 413
    schema = (await http.get("/openapi.json")).json()
    assert {"200", "401", "413", "422"} <= set(schema["paths"]["/workflow/score"]["post"]["responses"])
    assert json.dumps(schema)  # the document stays serialisable with the upload route in it
