"""Defects the copy stage found in real profiles, each pinned to the extraction rule that fixes it:
glued customer-count text, rating platform vs extraction method, places taken for companies,
figure captions taken for statistics, and noisy key terms."""

from __future__ import annotations

import pytest

from brandtruth.models.brand import ClaimKind
from brandtruth.stages.extract.claims import classify_kind, extract_claims
from brandtruth.stages.extract.page import parse_page
from brandtruth.stages.extract.profile import filter_key_terms
from brandtruth.stages.extract.social_proof import (
    _split_attribution,
    customer_counts,
    rating_platform,
    ratings,
)
from brandtruth.stages.extract.structured import extract_structured

URL = "http://127.0.0.1:8000/"


def _page(body: str, head: str = "") -> str:
    return f"<html><head><title>Acme</title>{head}</head><body><main>{body}</main></body></html>"


def test_customer_count_text_is_the_sites_sentence_not_the_glued_figure() -> None:
    doc = parse_page(
        _page(
            '<section class="stats"><ul><li><strong>12,000</strong> Trusted by 12,000 finance and ops teams</li>'
            "<li><strong>40%</strong> Cuts reporting time by 40%</li></ul></section>"
        ),
        URL,
    )
    [count] = customer_counts([doc])
    assert (count.text, count.value) == ("Trusted by 12,000 finance and ops teams", 12000)
    assert count.evidence[0].quote == count.text and count.text in doc.text


def test_customer_count_in_a_long_sentence_keeps_its_clause() -> None:
    sentence = (
        "From ten-person startups to public companies in every region of the world, trusted by 12,000 finance "
        "and ops teams, Acme turns the data you already have into live reports your board will actually read"
    )
    doc = parse_page(_page(f"<p>{sentence}.</p>"), URL)
    [count] = customer_counts([doc])
    assert count.text == "trusted by 12,000 finance and ops teams" and count.value == 12000
    assert count.text in doc.text


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        ("Rated 4.8 out of 5 on G2 from 1,276 reviews", "G2"),
        ("4.9 out of 5 stars from 612 Google reviews", "Google"),
        ("4.7/5 on Trustpilot", "Trustpilot"),
        ("4.6 stars on Google Play", "Google Play"),
        ("Rated 4.8 out of 5 from 2,314 reviews", None),
        ("google it: 4.5 out of 5", None),
    ],
)
def test_rating_platform_is_named_only_when_the_page_names_it(text: str, platform: str | None) -> None:
    assert rating_platform(text) == platform


def test_json_ld_rating_platform_from_its_publisher_and_source_stays_the_method() -> None:
    head = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product", "name": "Acme",'
        ' "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.6", "reviewCount": "88",'
        ' "publisher": {"@type": "Organization", "name": "Capterra"}}}</script>'
    )
    html = _page("<p>Loved by small teams.</p>", head)
    doc = parse_page(html, URL)
    [rating] = ratings([doc], [extract_structured(html, URL)])
    assert (rating.value, rating.count, rating.source, rating.platform) == (4.6, 88, "json-ld", "Capterra")


@pytest.mark.parametrize(
    ("line", "author", "role", "company", "location"),
    [
        (
            "— Karen Lindqvist, subscriber since 2021, Minneapolis",
            "Karen Lindqvist",
            "subscriber since 2021",
            None,
            "Minneapolis",
        ),
        ("Jennifer S., Homeowner, North End Tacoma", "Jennifer S.", "Homeowner", None, "North End Tacoma"),
        ("Sam Lee — Austin, TX", "Sam Lee", None, None, "Austin, TX"),
        ("Dana Cole, Verified buyer, Portland, Oregon", "Dana Cole", "Verified buyer", None, "Portland, Oregon"),
        ("Priya Raman, VP Finance, Halcyon Freight", "Priya Raman", "VP Finance", "Halcyon Freight", None),
        (
            "Maria Delgado, General Manager, Copper Pot Bistro",
            "Maria Delgado",
            "General Manager",
            "Copper Pot Bistro",
            None,
        ),
        ("Ana Ruiz, Customer, Ruiz Family Bakery LLC", "Ana Ruiz", "Customer", "Ruiz Family Bakery LLC", None),
        ("Tomás Herrera, owner of Northbound Café", "Tomás Herrera", "owner", "Northbound Café", None),
    ],
)
def test_attribution_tells_a_place_from_a_company(
    line: str, author: str, role: str | None, company: str | None, location: str | None
) -> None:
    who = _split_attribution(line)
    assert (who.author, who.role, who.company, who.location) == (author, role, company, location)


def test_a_figure_caption_that_states_nothing_is_not_a_claim() -> None:
    doc = parse_page(
        _page(
            "<section><h2>Project gallery</h2>"
            '<figure><img src="/a.jpg" alt="Savings chart">'
            "<figcaption>Typical savings over 25 years.</figcaption></figure>"
            '<figure><img src="/b.jpg" alt="Carport"><figcaption>Our largest commercial project.</figcaption></figure>'
            '<figure><img src="/c.jpg" alt="Meter">'
            "<figcaption>Homeowners saved 38% on power bills in 2024.</figcaption></figure></section>"
        ),
        URL,
    )
    texts = [c.text for c in extract_claims([doc])]
    assert not [t for t in texts if "Typical savings" in t or "largest commercial" in t], texts
    assert "Homeowners saved 38% on power bills in 2024." in texts


def test_a_statistic_keeps_its_number() -> None:
    # The only number is the period the figure covers: the figure itself is missing.
    assert classify_kind("Typical savings over 25 years.") is not ClaimKind.STATISTIC
    assert classify_kind("Try any paid plan for 60 days.") is not ClaimKind.STATISTIC
    assert classify_kind("Homeowners save 38% over 25 years.") is ClaimKind.STATISTIC
    assert classify_kind("99.9% uptime over the last 24 months") is ClaimKind.STATISTIC
    assert classify_kind("Every bag is roasted within 48 hours of shipping.") is ClaimKind.STATISTIC


def test_key_terms_drop_fragments_numbers_and_near_duplicates() -> None:
    stopwords = frozenset({"and", "your", "in", "of", "the", "with", "every"})
    candidates = [
        "live reports",
        "live report",
        "report",
        "Tuesday and Friday",
        "Power your home",
        "installed rooftop",
        "Water heater died",
        "in 10 minutes",
        "24/7 support",
        "minutes",
        "Start free",
        "Swiss Water Process",
        "Water Process",
        "board pack",
        "Acme",
        "Acme builds",
        "quickly",
        "the cost of ownership and support",
        "Salesforce",
    ]
    assert filter_key_terms(candidates, "Acme", stopwords) == [
        "live reports",
        "Swiss Water Process",
        "board pack",
        "Salesforce",
    ]
