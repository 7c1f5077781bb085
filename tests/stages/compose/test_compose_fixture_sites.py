"""End to end on the fixture brand sites' real images, palettes and logos (no crawling: the
profile is built here from the files and the alt text the pages carry)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brandtruth.models.brand import BrandAssets, BrandColor, BrandProfile, ImageAsset, LogoAsset
from brandtruth.models.creative import AdFormat
from brandtruth.models.stage_io import ContactSheetInput
from brandtruth.stages.compose import compose_contact_sheet

from .conftest import RUN_ID, Kit, variant
from .test_compose_creatives import check_creative_pixels, compose_for

pytestmark = pytest.mark.timeout(240)
SITES = Path(__file__).resolve().parents[2] / "fixtures" / "sites"

SHOP_IMAGES = {
    "assets/img/latte-top.jpg": ("Latte with a rosetta pattern in a white cup on a walnut table", "hero"),
    "assets/img/bag-house-blend.jpg": (
        "Bag of Ember & Oak House Blend whole bean coffee with beans scattered in front",
        "feature",
    ),
    "assets/img/bag-moonlight.jpg": ("Bag of Moonlight Decaf with chamomile on a light studio background", "feature"),
    "assets/img/bag-yirgacheffe.jpg": ("Bag of Ethiopia Yirgacheffe single-origin coffee", "feature"),
}
SERVICE_IMAGES = {
    "images/van.jpg": ("Harbor City Plumbing service van parked on a residential street in Tacoma", "hero"),
    "images/bathroom-sink.jpg": (
        "Bathroom vanity with new copper supply lines and a chrome faucet installed by Harbor City Plumbing",
        "feature",
    ),
    "images/house.jpg": ("Craftsman house in a Tacoma neighborhood at golden hour", "other"),
}


def site_profile(kit: Kit, site: str, images: dict[str, tuple[str, str]], logo: str) -> BrandProfile:
    root = SITES / site
    if not root.is_dir():
        pytest.skip(f"fixture site {site} not present")
    expected = json.loads((root / "expected.json").read_text())
    assets = []
    for rel, (alt, section) in images.items():
        ref = kit.put((root / rel).read_bytes(), f"{site}-{Path(rel).name}", "image/jpeg")
        assets.append(ImageAsset(url=f"https://{site}.test/{rel}", alt=alt, section=section, artifact=ref))
    logo_ref = kit.put((root / logo).read_bytes(), f"{site}-logo.png")
    return BrandProfile(
        url=f"https://{site}.test/",
        brand_name=expected["brand_name"],
        assets=BrandAssets(
            logo=LogoAsset(url=f"https://{site}.test/{logo}", artifact=logo_ref),
            colors=[BrandColor(role=r, hex=h) for r, h in expected.get("colors", {}).items()],
            images=assets,
        ),
    )


async def test_coffee_shop(kit: Kit) -> None:
    profile = site_profile(kit, "shop", SHOP_IMAGES, "assets/logo.png")
    variants = [
        variant(
            "v1",
            headline="Sleep-friendly decaf, full flavor",
            description="Moonlight Decaf with chamomile notes",
            primary="Our Moonlight Decaf keeps the flavor and skips the jitters.",
            cta="Shop decaf",
        ),
        variant(
            "v2",
            headline="Meet our House Blend",
            description="Whole bean, roasted to order",
            primary="The House Blend bag our regulars reorder every month.",
            cta="Shop now",
        ),
        variant(
            "v3",
            headline="Single-origin from Yirgacheffe",
            description="Bright, floral Ethiopia coffee",
            primary="Ethiopia Yirgacheffe, roasted in small batches.",
            cta="Try it",
        ),
    ]
    creatives = []
    for v in variants:
        result = await compose_for(kit, profile, variants, v.id)
        check_creative_pixels(kit, result, None)
        creatives.extend(result.creatives)
    chosen = {c.variant_id: c.layout.image_id for c in creatives if c.format is AdFormat.SQUARE}
    by_name = {a.url.rsplit("/", 1)[-1]: f"site-{a.artifact.sha256[:12]}" for a in profile.assets.images if a.artifact}
    assert chosen == {
        "v1": by_name["bag-moonlight.jpg"],
        "v2": by_name["bag-house-blend.jpg"],
        "v3": by_name["bag-yirgacheffe.jpg"],
    }
    sheet = await compose_contact_sheet(ContactSheetInput(run_id=RUN_ID, creatives=creatives), kit.ctx)
    assert kit.store.exists(sheet.path)


async def test_local_plumber(kit: Kit) -> None:
    profile = site_profile(kit, "local_service", SERVICE_IMAGES, "images/logo.png")
    variants = [
        variant(
            "v1",
            headline="Leaky faucet? Fixed today",
            description="Licensed plumbers across Tacoma",
            primary="Same-day faucet and sink repairs.",
            cta="Book a plumber",
        ),
        variant("v2", headline="Our vans are in your neighborhood", primary="Service across Tacoma.", cta="Call now"),
    ]
    for v in variants:
        result = await compose_for(kit, profile, variants, v.id)
        check_creative_pixels(kit, result, None)
        assert all(c.layout.image_source == "site" for c in result.creatives)
