"""The grounding check: what counts as a factual assertion and what supports it."""

from __future__ import annotations

import pytest

from brandtruth.models.brand import BrandProfile, ClaimKind, Rating, Risk, SocialProof
from brandtruth.models.copy import Angle, CopyVariant, Platform
from brandtruth.stages.copy.assertions import find_assertions, parse_number
from brandtruth.stages.copy.grounding import GroundingReport, SupportIndex
from tests.support.copy_builders import SITE, claim, ev, rich_profile


def check(profile: BrandProfile, text: str, allow_high: bool = False) -> GroundingReport:
    index = SupportIndex(profile, allow_high)
    report = GroundingReport()
    index.check_text("primary_text", text, report)
    return report


def one_claim(quote: str, risk: Risk = Risk.LOW, kind: ClaimKind = ClaimKind.STATISTIC) -> BrandProfile:
    return BrandProfile(url=SITE, brand_name="Acme", claims=[claim("c1", quote, kind, risk, quote)])


@pytest.mark.parametrize(
    ("raw", "scale", "expected"),
    [
        ("12,000", None, "12000"),
        ("12 000", None, "12000"),
        ("12", "k", "12000"),
        ("1.2", "M", "1200000"),
        ("4,8", None, "4.8"),
        ("49.00", None, "49"),
    ],
)
def test_numbers_normalise(raw: str, scale: str | None, expected: str) -> None:
    value = parse_number(raw, scale)
    assert value is not None and value == parse_number(expected)


@pytest.mark.parametrize(
    ("evidence", "copy"),
    [
        ("Trusted by 12,000 teams", "Join 12k teams"),
        ("Trusted by 12k teams", "Trusted by 12,000 teams"),
        ("Trusted by 12 000 teams", "12,000 teams use it"),
        ("Rated 4.8 out of 5 by our users", "Rated 4.8/5"),
        ("Rated 4.8/5 on G2", "4.8 out of 5 stars"),
        ("Plans start at $49 per month", "Plans start at USD 49"),
        ("Cancel any time within 14 days", "Cancel within 2 weeks"),
        ("Save up to 40% on your energy bill", "Save up to 40 percent"),
        ("Over 12,000 teams use Acme", "Over 10,000 teams"),
        ("The fastest way to book meetings", "The fastest way to meet"),
        ("Award-winning support", "Our award-winning support"),
        ("Twice as fast as email and 3x faster than spreadsheets", "3x faster than spreadsheets"),
        ("“It saved us hours every week” — Jo", "“It saved us hours every week”"),
        ("“It saved us hours every single week, no kidding” — Jo", "“It saved us hours…no kidding”"),
        ("Support 24/7, every day of the year", "Support is there 24/7"),
        ("The #1 rated app for teams", "Number one rated app"),
    ],
)
def test_supported_assertions_pass(evidence: str, copy: str) -> None:
    report = check(one_claim(evidence), copy)
    assert report.ok, report.summary()
    assert report.assertions >= 1
    assert all(u.claim_id == "c1" and u.quote == evidence for u in report.claims_used)


@pytest.mark.parametrize(
    ("evidence", "copy", "why"),
    [
        ("Trusted by 12,000 teams", "Trusted by 13,000 teams", "other number"),
        ("Trusted by 12,000 teams", "Trusted by 12,000 customers", "number about something else"),
        ("Cut reporting time by up to 40%", "Cut reporting time by 40%", "dropped 'up to'"),
        ("Trusted by 12,000 teams", "Over 12,000 teams", "added 'over'"),
        ("Cuts costs by 40%", "40% faster", "same number, other fact"),
        ("Rated 4.8/5 on G2", "Rated 4.9/5", "other rating"),
        ("Rated 4.8/5 on G2", "Rated 4.8/10", "other scale"),
        ("Plans from $49 per month", "Plans at €49", "other currency"),
        ("Plans from $49 per month", "Plans at $49", "dropped 'from'"),
        ("Book meetings fast", "The best way to book meetings", "superlative"),
        ("Book meetings fast", "The only scheduler you need", "only"),
        ("Book meetings fast", "The #1 scheduler", "#1"),
        ("Book meetings fast", "Faster than email", "comparison"),
        ("Book meetings fast", "Award-winning scheduling", "award"),
        ("Book meetings fast", "SOC 2 certified", "certification"),
        ("Book meetings fast", "Thousands of happy teams", "vague count"),
        ("Book meetings fast", "Start your free trial", "offer"),
        ("Book meetings fast", "Set up in 5 minutes", "duration"),
        ("Book meetings fast", "“Best tool we ever bought”", "invented testimonial"),
        ("“It saved us hours every week” — Jo", "“It saved us days every week”", "altered testimonial"),
    ],
)
def test_unsupported_assertions_fail(evidence: str, copy: str, why: str) -> None:
    report = check(one_claim(evidence), copy)
    assert not report.ok, why
    assert all(i.kind == "unsupported" for i in report.issues)


def test_plain_wording_has_no_assertions() -> None:
    assert find_assertions("Book meetings without the back-and-forth. Learn more at acme.test.") == []
    assert find_assertions("Feel free to ask. Hassle-free setup, rather than chaos.") == []


def test_brand_name_and_domain_digits_are_not_claims() -> None:
    profile = BrandProfile(
        url="https://www.37signals.test/", brand_name="37signals", description="37signals makes software."
    )
    assert check(profile, "37signals makes software. Visit 37signals.test").ok
    assert not check(profile, "37signals makes software for 37 teams").ok


def test_blocked_claims_never_pass_even_with_support_elsewhere() -> None:
    profile = rich_profile()
    report = check(profile, "Guaranteed to double your revenue")
    assert not report.ok
    assert {i.kind for i in report.issues} >= {"blocked"}
    # Paraphrase that keeps most of the blocked claim's words is caught too.
    assert not check(profile, "Acme Scheduler will double revenue, guaranteed").ok


def test_high_risk_claims_need_the_setting_and_are_flagged() -> None:
    profile = rich_profile()
    denied = check(profile, "The #1 scheduling app for teams")
    assert not denied.ok
    allowed = check(profile, "The #1 scheduling app for teams", allow_high=True)
    assert allowed.ok, allowed.summary()
    assert allowed.high_risk == ["c3"]


def test_avoided_terms_are_rejected_case_insensitively() -> None:
    report = check(rich_profile(), "Not CHEAP, just simple")
    assert "avoided" in [i.kind for i in report.issues]
    assert [i.text for i in report.issues if i.kind == "avoided"] == ["cheap"]


def test_social_proof_items_with_evidence_support_copy() -> None:
    profile = BrandProfile(
        url=SITE,
        brand_name="Acme",
        social_proof=SocialProof(ratings=[Rating(value=4.7, scale=5, evidence=ev("4.7 ★ average rating"))]),
    )
    report = check(profile, "Rated 4.7/5")
    assert report.ok, report.summary()
    assert report.claims_used == []  # not a claim of the profile: traced as social proof instead
    assert [(p.kind, p.index, p.span) for p in report.proof_used] == [("rating", 0, "4.7/5")]
    assert report.proof_used[0].quote == "4.7 ★ average rating"
    # A rating with no evidence supports nothing.
    no_ev = BrandProfile(url=SITE, brand_name="Acme", social_proof=SocialProof(ratings=[Rating(value=4.7)]))
    assert not check(no_ev, "Rated 4.7/5").ok


def test_check_variant_covers_every_field() -> None:
    index = SupportIndex(rich_profile(), allow_high_risk=False)
    variant = CopyVariant(
        id="v1",
        platform=Platform.GOOGLE_RSA,
        angle=Angle.BENEFIT,
        headline="Book meetings in seconds",
        primary_text="Book meetings in seconds.",
        cta="Learn More",
        headlines=["Book meetings in seconds", "Rated 4.8/5", "Best scheduler"],
        descriptions=["Trusted by 12,000+ teams.", "Used by 99 banks."],
        path1="Scheduling",
    )
    report = index.check_variant(variant)
    fields = sorted({i.field for i in report.issues})
    assert fields == ["descriptions[1]", "headlines[2]"]


@pytest.mark.parametrize(
    ("evidence", "copy", "span"),
    [
        ("Every plan starts with a 14-day free trial.", "Every plan starts with a 14-day free trial.", None),
        ("Every plan starts with a 14-day free trial.", "Get a 14-day free trial today.", "14-day free trial"),
        (
            "Start your free 14-day trial. No credit card required.",
            "Start free trial at acme-scheduler.test.",
            "Start free trial",
        ),
        ("Rated 4.8 out of 5 from 2,140 reviews", "4.8/5 from 2,140 reviews", "4.8/5 from 2,140 reviews"),
    ],
)
def test_claim_spans_are_the_phrase_not_the_token(evidence: str, copy: str, span: str | None) -> None:
    report = check(one_claim(evidence, kind=ClaimKind.PRICING), copy)
    assert report.ok, report.summary()
    spans = [u.span for u in report.claims_used]
    assert spans and all(len(s.split()) >= 2 for s in spans), spans
    assert (span or copy.rstrip(".")) in spans


def test_copy_is_traced_to_the_quote_it_was_written_from() -> None:
    """Two claims support "40%" (both also say "reporting time"): the one whose wording the copy
    repeats is cited, even though the other is lower-risk."""
    profile = BrandProfile(
        url=SITE,
        brand_name="Acme",
        claims=[
            claim(
                "c1",
                "Nonprofits save 40% on reporting time",
                ClaimKind.PRICING,
                Risk.LOW,
                "Nonprofits save 40% on reporting time",
            ),
            claim("c2", "Cuts reporting time by 40%", ClaimKind.STATISTIC, Risk.MEDIUM, "Cuts reporting time by 40%"),
        ],
    )
    report = check(profile, "Cuts reporting time by 40%.")
    assert [u.claim_id for u in report.claims_used] == ["c2"]


def test_the_first_quarter_is_not_a_ranking() -> None:
    assert not [
        a for a in find_assertions("Cuts reporting time by 40% in the first quarter") if a.category == "superlative"
    ]
    assert [a.category for a in find_assertions("The first scheduling app built for teams")] == ["superlative"]


def test_markup_spacing_does_not_change_what_is_supported() -> None:
    profile = one_claim("Starter $29 /user/month", kind=ClaimKind.PRICING)
    assert check(profile, "Starter $29/user/month").ok
    assert not check(profile, "Starter $39/user/month").ok


def test_policy_classes_are_blocked_even_when_the_site_states_them() -> None:
    profile = one_claim("30-day money-back guarantee", kind=ClaimKind.GUARANTEE)
    denied = check(profile, "Try it with a 30-day money-back guarantee")
    assert not denied.ok
    assert {i.kind for i in denied.issues} == {"blocked"}
    assert {i.cls for i in denied.issues} == {"guarantee"}
    allowed = check(profile, "Try it with a 30-day money-back guarantee", allow_high=True)
    assert allowed.ok, allowed.summary()
    assert allowed.flags and "review" in allowed.flags[0]
    # Allowed only when the site states it: an invented guarantee stays unsupported.
    invented = check(one_claim("Book meetings fast"), "Money-back guarantee", allow_high=True)
    assert not invented.ok
    assert {i.kind for i in invented.issues} == {"unsupported"}
