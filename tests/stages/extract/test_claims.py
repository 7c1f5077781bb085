"""Claim kinds and the risk rules, sentence by sentence."""

from __future__ import annotations

import pytest

from brandtruth.models.brand import ClaimKind, Risk
from brandtruth.stages.extract.claims import assess_risk, classify_kind, extract_claims, trim_quote
from brandtruth.stages.extract.page import parse_page


@pytest.mark.parametrize(
    ("text", "kind", "risk"),
    [
        ("30-day money-back guarantee on every paid plan.", ClaimKind.GUARANTEE, Risk.HIGH),
        ("Love your first bag or we’ll replace it free.", ClaimKind.GUARANTEE, Risk.HIGH),
        ("Same-day service or your first hour is free.", ClaimKind.GUARANTEE, Risk.HIGH),
        ("Winner of the 2025 SaaS Awards for Best Financial Reporting Tool", ClaimKind.AWARD, Risk.MEDIUM),
        ("$29 /user/month", ClaimKind.PRICING, Risk.LOW),
        ("Free for students.", ClaimKind.PRICING, Risk.LOW),
        ("It is 3x faster than building schedules in spreadsheets.", ClaimKind.COMPARISON, Risk.HIGH),
        ("Trusted by 8,500 restaurants and retail stores", ClaimKind.STATISTIC, Risk.MEDIUM),
        ("Cuts reporting time by 40% in the first quarter", ClaimKind.STATISTIC, Risk.MEDIUM),
        ("Customers reduce overtime costs by 23% on average", ClaimKind.STATISTIC, Risk.HIGH),
        ("Cut your electric bill by up to 90%", ClaimKind.STATISTIC, Risk.HIGH),
        ("99.9% caffeine-free, certified by the Swiss Water Process.", ClaimKind.STATISTIC, Risk.MEDIUM),
        ("SOC 2 Type II certified", ClaimKind.CERTIFICATION, Risk.MEDIUM),
        ("WA Plumbing Contractor License #HARBOCP812KT", ClaimKind.CERTIFICATION, Risk.MEDIUM),
        ("The #1 rated scheduling app for restaurants", ClaimKind.SUPERLATIVE, Risk.HIGH),
        ("Tacoma’s best-rated plumber, three years running.", ClaimKind.SUPERLATIVE, Risk.HIGH),
        ("The best coffee in Duluth, according to the Duluth News Tribune.", ClaimKind.SUPERLATIVE, Risk.MEDIUM),
        ("Moonlight Decaf cures insomnia naturally.", ClaimKind.FEATURE, Risk.BLOCKED),
        ("Our light roasts are packed with antioxidants that support heart health.*", ClaimKind.FEATURE, Risk.HIGH),
        ("Guaranteed returns of 12% a year.", ClaimKind.GUARANTEE, Risk.BLOCKED),
    ],
)
def test_kind_and_risk(text: str, kind: ClaimKind, risk: Risk) -> None:
    assert classify_kind(text) is kind
    assert assess_risk(text, kind)[0] is risk


def test_plain_sentences_are_not_claims() -> None:
    assert classify_kind("We were founded in 2012.") is None
    assert classify_kind("Read our blog for more.") is None


def test_extract_claims_end_to_end() -> None:
    doc = parse_page(
        """<html><head><meta name="description" content="Handmade mugs from Asheville."></head><body><main>
        <section class="stats"><ul><li><strong>12,000</strong> Trusted by 12,000 teams</li></ul></section>
        <section class="features"><h3>Works offline</h3><p>Notes sync when you reconnect to the internet.</p></section>
        <section class="testimonials"><blockquote><p>“Best tool we ever bought, full stop.”</p>
        <footer>Ann Lee, CTO, Acme</footer></blockquote></section>
        <p>Best sellers</p><p>30-day money-back guarantee.</p></main>
        <footer><p>© 2026 Example Inc. All rights reserved.</p></footer></body></html>""",
        "https://x.example/",
    )
    claims = extract_claims([doc])
    by_text = {c.text: c for c in claims}
    assert by_text["Trusted by 12,000 teams"].kind is ClaimKind.STATISTIC
    assert by_text["Works offline"].kind is ClaimKind.FEATURE
    assert by_text["“Best tool we ever bought, full stop.”"].kind is ClaimKind.TESTIMONIAL
    assert by_text["30-day money-back guarantee."].risk is Risk.HIGH
    assert "Best sellers" not in by_text and not any("©" in t for t in by_text)
    assert [c.id for c in claims] == [f"c{i}" for i in range(1, len(claims) + 1)]
    for claim in claims:
        assert claim.risk_reason
        for ev in claim.evidence:
            assert ev.quote in doc.text and ev.url == "https://x.example/"
    assert not any(e.section == "meta description" for c in claims for e in c.evidence)


def test_thin_pages_fall_back_to_their_description() -> None:
    doc = parse_page(
        """<html><head><meta property="og:description" content="Stoneware bowls, thrown and glazed by hand in
        Asheville, North Carolina."></head><body><p>Coming soon.</p></body></html>""",
        "https://x.example/",
    )
    claims = extract_claims([doc])
    assert claims and claims[0].evidence[0].section == "og:description"
    assert claims[0].evidence[0].quote in doc.text


def test_duplicates_merge_evidence_and_cap_is_respected() -> None:
    body = "".join(f"<li>Feature number {i} does a useful thing</li>" for i in range(100))
    pages = [
        parse_page(f"<body><main><p>Trusted by 5,000 teams.</p><ul>{body}</ul></main></body>", f"https://x.example/{n}")
        for n in range(2)
    ]
    claims = extract_claims(pages)
    assert len(claims) == 60
    trusted = next(c for c in claims if c.text == "Trusted by 5,000 teams.")
    assert [e.url for e in trusted.evidence] == ["https://x.example/0", "https://x.example/1"]


def test_trim_quote_stays_a_substring() -> None:
    text = "word " * 100
    cut = trim_quote(text.strip(), 50)
    assert len(cut) <= 50 and cut in text
