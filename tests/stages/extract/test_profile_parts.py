"""Field precedence, industry, tone, structured data and payload size of the assembled profile."""

from __future__ import annotations

from brandtruth.models.brand import BrandAssets, Claim, ClaimKind, Evidence, FieldSource, Risk
from brandtruth.stages.extract.brand_name import choose_brand_name
from brandtruth.stages.extract.industry import classify_industry
from brandtruth.stages.extract.page import parse_page
from brandtruth.stages.extract.profile import analyse_pages, assemble_profile
from brandtruth.stages.extract.structured import extract_structured, organization
from brandtruth.stages.extract.tone import measure_tone
from tests.support.pages import html_page


def test_brand_name_precedence() -> None:
    sources: dict[str, FieldSource] = {}
    jsonld = """<html><head><title>Home | Wrong</title><meta property="og:site_name" content="OG Name">
    <script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization","name":"Acme &amp; Co",
    "slogan":"Tools that last","logo":{"@type":"ImageObject","url":"/logo.png"}}</script></head><body></body></html>"""
    docs = [parse_page(jsonld, "https://acme.example/")]
    structured = [extract_structured(jsonld, "https://acme.example/")]
    assert choose_brand_name(docs, structured, sources) == "Acme &amp; Co"
    assert sources["brand_name"].source == "json-ld"
    assert organization(structured[0]) is not None

    titled = [
        parse_page("<title>Pricing — Northwind</title><body></body>", "https://northwind.example/pricing"),
        parse_page("<title>About us — Northwind</title><body></body>", "https://northwind.example/about"),
    ]
    assert choose_brand_name(titled, [extract_structured("", "")] * 2, sources) == "Northwind"
    bare = [parse_page("<title>Loading…</title><body></body>", "https://fresh-roast.example/")]
    assert choose_brand_name(bare, [extract_structured("", "")], sources) == "Fresh Roast"
    ip = [parse_page("<title>Loading…</title><body></body>", "http://127.0.0.1:8001/")]
    assert choose_brand_name(ip, [extract_structured("", "")], sources) == ""


def test_analysis_of_a_small_site() -> None:
    html = """<html><head><title>Brewly — Coffee for people who code</title>
    <meta name="description" content="Brewly roasts coffee for developers and ships it fresh.">
    <script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"Brewly Beans",
    "aggregateRating":{"@type":"AggregateRating","ratingValue":"4.6","bestRating":"5","reviewCount":"210"}}</script>
    </head><body><main><h1>Coffee for people who code</h1>
    <p>Rated 4.6 out of 5 by 210 developers.</p><ul class="features"><li>Roasted every Monday</li>
    <li>Ships in 24 hours</li><li>Organic dark roast coffee</li></ul>
    <a class="btn" href="/shop">Shop beans</a></main></body></html>"""
    analysis = analyse_pages([html_page(html)])
    assert analysis.brand_name == "Brewly"
    assert analysis.tagline == "Coffee for people who code"
    assert analysis.description.startswith("Brewly roasts coffee")
    assert analysis.target_audience == "people who code"
    assert analysis.social_proof.ratings[0].value == 4.6 and analysis.social_proof.ratings[0].count == 210
    assert analysis.social_proof.ratings[0].evidence[0].quote == "Rated 4.6 out of 5 by 210 developers."
    assert "Shop beans" in analysis.site_ctas
    assert analysis.industry is not None and analysis.industry.name == "food & beverage"


def test_industry_taxonomy() -> None:
    saas = classify_industry("our software platform has integrations and a dashboard", ["softwareapplication"])
    assert saas is not None and saas.name == "software / SaaS" and "schema:softwareapplication" in saas.matched_terms
    assert classify_industry("hello there", []) is None
    shop = classify_industry("shop our coffee, freshly roast and organic, add to cart", ["product", "offer"])
    assert shop is not None and shop.name == "food & beverage"


def test_tone_markers() -> None:
    tone = measure_tone(
        "You will love it! Your team saves hours every week.\nWe build simple tools. They work well for you."
    )
    assert tone.second_person_rate is not None and tone.second_person_rate > 0.1
    assert tone.exclamation_rate == 0.25
    assert tone.sentiment is not None and tone.sentiment > 0
    assert tone.reading_ease is not None and tone.reading_ease > 60
    assert "speaks directly to the reader" in tone.summary.lower()
    assert measure_tone("Hi.").summary.startswith("Not enough text")


def test_payload_is_trimmed_under_the_limit() -> None:
    html = "<html><head><title>X — Y</title></head><body><p>Trusted by 5,000 teams.</p></body></html>"
    page = html_page(html)
    analysis = analyse_pages([page])
    quote = "a" * 300
    analysis.claims = [
        Claim(
            id=f"c{i}",
            text=quote,
            kind=ClaimKind.FEATURE,
            risk=Risk.LOW,
            evidence=[Evidence(url=page.url + "x" * 200, quote=quote, section="s" * 200)] * 3,
        )
        for i in range(120)
    ]
    profile = assemble_profile(page.url, [page], analysis, BrandAssets(), [])
    assert len(profile.model_dump_json().encode()) < 100_000
    assert "trimmed" in profile.warnings[-1]
    assert profile.sources["claims"].confidence > 0


def test_warm_up_runs() -> None:
    from brandtruth.stages.extract import warm_up

    warm_up()
