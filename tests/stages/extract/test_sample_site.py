"""End to end on the bundled sample site (Clearbeam): what `brandtruth up` shows a new user."""

from __future__ import annotations

import io

from PIL import Image

from brandtruth.stages.extract.colors import delta_e
from brandtruth.stages.extract.page import parse_page
from tests.stages.extract.conftest import Extractor
from tests.support.site_server import serve_sample_site


async def test_sample_site_profile(extract: Extractor) -> None:
    with serve_sample_site() as site:
        profile, ctx = await extract(site.url("/"), site.host_port)
        pages = {p.url: p for p in profile.pages}
        texts = {}
        for url in pages:
            import httpx

            async with httpx.AsyncClient() as client:
                html = (await client.get(url)).text
            texts[url] = parse_page(html, url).text

    assert profile.brand_name == "Clearbeam"
    assert profile.tagline == "Reporting your whole team can trust"
    assert profile.industry is not None and profile.industry.name == "software / SaaS"
    assert len(profile.pages) >= 5
    assert delta_e(profile.assets.color("primary") or "", "#0e7c66") < 10

    logo = profile.assets.logo
    assert logo is not None and logo.artifact is not None
    assert logo.artifact.path == "pipeline-test/brand/logo.png"
    with Image.open(io.BytesIO(ctx.store.read(logo.artifact))) as img:
        assert img.format == "PNG"

    assert profile.assets.images, "site images are downloaded"
    for image in profile.assets.images:
        assert image.artifact is not None and image.artifact.path.startswith("pipeline-test/site-images/")
        assert ctx.store.exists(image.artifact.path)
    assert any(i.section == "hero" for i in profile.assets.images)

    kinds = {c.kind.value for c in profile.claims}
    assert {"statistic", "guarantee", "testimonial", "award", "certification", "pricing"} <= kinds
    guarantee = next(c for c in profile.claims if c.kind.value == "guarantee")
    assert guarantee.risk.value == "high"
    for claim in profile.claims:
        for ev in claim.evidence:
            assert ev.quote in texts[ev.url], ev.quote
    t = profile.social_proof.testimonials[0]
    assert (t.author, t.role, t.company) == ("Priya Raman", "VP Finance", "Halcyon Freight")
    assert profile.social_proof.ratings[0].value == 4.8
    assert len(profile.model_dump_json()) < 100_000
