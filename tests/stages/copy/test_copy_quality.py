"""What the default generator must never do, each on a small hand-built profile.

One test per defect marketers rejected in real output: headlines cut mid-phrase, loopback
addresses, section headings run as sentences, a caption quoted as social proof, markup
spacing, a demo button where the brand's main action is a trial, one-word claim spans.
"""

from __future__ import annotations

import re

from brandtruth.models.brand import (
    BrandProfile,
    ClaimKind,
    CustomerCount,
    Rating,
    Risk,
    SocialProof,
)
from brandtruth.models.brand import (
    Testimonial as SiteTestimonial,
)
from brandtruth.models.copy import Angle, CopyVariant, Platform
from brandtruth.platforms import spec_for
from brandtruth.stages.copy.checks import validate_variant
from brandtruth.stages.copy.grounding import SupportIndex
from brandtruth.stages.copy.stage import template_run
from tests.stages.copy.test_copy_template import assert_valid
from tests.support.copy_builders import SITE, claim, copy_input, ev, rich_profile
from tests.support.copy_quality import (
    address_problems,
    cut_headline_problems,
    filler_problems,
    social_proof_problems,
    spacing_problems,
    span_problems,
    texts_of,
)

ALL = list(Platform)


def reporting_profile(url: str = SITE) -> BrandProfile:
    """A reporting SaaS worded the way its site is: a long audience line, a section heading
    among the value propositions, an image caption extracted as a statistic, markup spacing in
    a price, a demo button listed before the trial button."""
    return BrandProfile(
        url=url,
        brand_name="Acme",
        tagline="Reporting your whole team can trust",
        value_propositions=[
            "Finance and ops teams at fast-growing companies run on Acme",
            "Why teams switch to Acme",
            "Reports that update themselves",
            "Alerts before problems grow",
            "Connect every source in minutes",
        ],
        key_terms=["reporting", "live reports"],
        site_ctas=["Book a demo", "Start free trial"],
        claims=[
            claim(
                "c1",
                "The Acme overview dashboard: MRR, growth and spend by team, refreshed every 15 minutes.",
                ClaimKind.STATISTIC,
                Risk.MEDIUM,
                "The Acme overview dashboard: MRR, growth and spend by team, refreshed every 15 minutes.",
            ),
            claim("c2", "No credit card required.", ClaimKind.PRICING, Risk.LOW, "No credit card required."),
            claim("c3", "$29 /user/month", ClaimKind.PRICING, Risk.LOW, "$29 /user/month"),
            claim(
                "c4",
                "Every plan starts with a 14-day free trial.",
                ClaimKind.PRICING,
                Risk.LOW,
                "Every plan starts with a 14-day free trial.",
            ),
            claim(
                "c5",
                "Trusted by 12,000 teams in 40 countries",
                ClaimKind.STATISTIC,
                Risk.MEDIUM,
                "Trusted by 12,000 teams in 40 countries",
            ),
            claim(
                "c6",
                "Rated 4.8 out of 5 on G2 from 1,276 reviews",
                ClaimKind.STATISTIC,
                Risk.MEDIUM,
                "Rated 4.8 out of 5 on G2 from 1,276 reviews",
            ),
        ],
        social_proof=SocialProof(
            testimonials=[
                SiteTestimonial(
                    quote="We replaced 30 spreadsheets with four live reports.",
                    author="Marcus Oyelaran",
                    role="Head of Operations",
                    company="Lumen Retail",
                    evidence=ev("We replaced 30 spreadsheets with four live reports."),
                )
            ],
            ratings=[
                Rating(
                    value=4.8,
                    scale=5,
                    count=1276,
                    source="json-ld",
                    evidence=ev("Rated 4.8 out of 5 on G2 from 1,276 reviews"),
                )
            ],
            customer_counts=[
                CustomerCount(
                    text="12,000 Trusted by 12,000 teams in 40 countries",
                    value=12000,
                    evidence=ev("12,000 Trusted by 12,000 teams in 40 countries"),
                )
            ],
        ),
    )


def test_loopback_and_port_addresses_are_never_printed() -> None:
    profile = reporting_profile(url="http://127.0.0.1:8123/")
    result = template_run(copy_input(profile, n=6, platforms=ALL), False)
    assert result.variants
    assert not address_problems(result)
    assert not any("127.0.0.1" in t for v in result.variants for t in texts_of(v))
    # A real domain may close the ad where it reads naturally.
    named = template_run(copy_input(reporting_profile(url="https://www.acme-reports.test/"), n=6), False)
    assert any("acme-reports.test" in v.primary_text for v in named.variants)
    assert not any("www." in t for v in named.variants for t in texts_of(v))


def test_validation_rejects_host_literals_from_any_writer() -> None:
    index = SupportIndex(rich_profile(), False)
    for text in ("Book a demo at 127.0.0.1.", "See localhost:8000 today.", "Visit shop.acme.test:8443 now."):
        variant = CopyVariant(
            id="v1",
            platform=Platform.META,
            angle=Angle.BENEFIT,
            headline="Book meetings",
            primary_text=text,
            cta="Sign Up",
        )
        check = validate_variant(variant, spec_for(Platform.META), index)
        assert any("network address" in i for i in check.issues), (text, check.issues)


def test_headlines_are_whole_phrases_and_fit_the_meta_feed() -> None:
    profile = reporting_profile()
    for seed in range(4):
        result = template_run(copy_input(profile, n=4, platforms=ALL, seed=seed), False)
        assert_valid(result, profile)
        assert not cut_headline_problems(result, profile)
        heads = [h for v in result.variants for h in [v.headline, *v.headlines]]
        assert "Finance and ops teams at fast-growing" not in heads
        meta = [v for v in result.variants if v.platform is Platform.META]
        assert not [v.headline for v in meta if any("may truncate" in w for w in v.warnings)]


def test_section_headings_and_filler_are_not_copy() -> None:
    profile = reporting_profile()
    result = template_run(copy_input(profile, n=6, platforms=ALL), False)
    assert not filler_problems(result, profile)
    assert not any("Why teams switch" in t for v in result.variants for t in texts_of(v))


def test_social_proof_quotes_customers_not_captions() -> None:
    profile = reporting_profile()
    result = template_run(copy_input(profile, n=6, platforms=ALL), False)
    assert_valid(result, profile)
    proof = [v for v in result.variants if v.angle is Angle.SOCIAL_PROOF]
    assert proof
    assert not social_proof_problems(result, profile)
    # The message of a social-proof ad (not just its RSA asset pool) never rests on a caption.
    assert not any("overview dashboard" in f"{v.headline} {v.primary_text} {v.description}" for v in proof)
    shown = " ".join(t for v in result.variants for t in texts_of(v))
    assert "json-ld" not in shown
    quoted = [v for v in proof if "— Marcus Oyelaran, Lumen Retail" in v.primary_text]
    assert quoted and all(any(p.kind == "testimonial" for p in v.proof_used) for v in quoted)
    # The customer count is quoted as the site words it, not as the stat block's glued label.
    assert "12,000 Trusted" not in shown


def test_markup_spacing_is_normalised_and_still_grounded() -> None:
    profile = BrandProfile(
        url=SITE,
        brand_name="Acme",
        value_propositions=["Reports that update themselves", "Alerts before problems grow"],
        site_ctas=["Start free trial"],
        claims=[
            claim(
                "c1",
                "Starter: $29 /user/month , billed annually",
                ClaimKind.PRICING,
                Risk.LOW,
                "Starter: $29 /user/month , billed annually",
            ),
            claim(
                "c2", "Free shipping · 30-day returns", ClaimKind.PRICING, Risk.LOW, "Free shipping · 30-day returns"
            ),
        ],
    )
    result = template_run(copy_input(profile, n=4, platforms=ALL), False)
    assert_valid(result, profile)
    assert not spacing_problems(result)
    shown = [t for v in result.variants for t in texts_of(v)]
    assert any("$29/user/month, billed annually" in t for t in shown), shown
    assert not any("$29 /" in t or " ," in t or "·" in t for t in shown)
    quotes = {u.quote for v in result.variants for u in v.claims_used if u.claim_id == "c1"}
    assert quotes == {"Starter: $29 /user/month , billed annually"}  # the evidence stays verbatim


def test_saas_main_action_is_the_trial_not_the_demo() -> None:
    profile = reporting_profile()
    result = template_run(copy_input(profile, n=6, platforms=ALL), False)
    ctas = {p: {v.cta for v in result.variants if v.platform is p} for p in ALL}
    assert ctas[Platform.META] == {"Get Started"}
    assert ctas[Platform.LINKEDIN] == {"Sign Up"}
    assert not any(re.search(r"\bBook a demo\b", v.primary_text) for v in result.variants)


def test_a_plumbers_booking_button_is_not_a_linkedin_event_registration() -> None:
    profile = BrandProfile(
        url="https://harbor-plumbing.test/",
        brand_name="Harbor Plumbing",
        value_propositions=["Leak detection and repair", "Water heater installation"],
        site_ctas=["Book now", "Call (253) 555-0147"],
    )
    result = template_run(copy_input(profile, n=3, platforms=[Platform.LINKEDIN, Platform.META]), False)
    assert {v.cta for v in result.variants if v.platform is Platform.LINKEDIN} <= {"Learn More"}
    assert {v.cta for v in result.variants if v.platform is Platform.META} <= {"Book Now", "Contact Us"}
    # A phone number is never followed by a web address.
    assert not any("555-0147 at" in v.primary_text for v in result.variants)


def test_claim_spans_are_phrases() -> None:
    for profile in (rich_profile(), reporting_profile()):
        result = template_run(copy_input(profile, n=10, platforms=ALL), False)
        assert not span_problems(result)
        spans = {u.span for v in result.variants for u in v.claims_used}
        assert "free" not in spans and "Free" not in spans


def test_non_english_site_uses_only_its_own_wording() -> None:
    profile = BrandProfile(
        url="https://www.loewenzahn.test/",
        brand_name="Bäckerei Löwenzahn",
        tagline="Frische Brötchen, süße Stückchen und Café crème – seit 1952.",
        description="Drei Generationen Bäckerhandwerk in der Freiburger Altstadt.",
        value_propositions=["Das sagen unsere Gäste"],
        site_ctas=["Jetzt vorbestellen"],
        social_proof=SocialProof(
            testimonials=[
                SiteTestimonial(
                    quote="Die Laugenbrezeln sind ein Traum.",
                    author="Jürgen Maier",
                    role="Stammkunde seit 1998",
                    evidence=ev("„Die Laugenbrezeln sind ein Traum.“ Jürgen Maier, Stammkunde seit 1998"),
                )
            ]
        ),
    )
    result = template_run(copy_input(profile, n=4, platforms=ALL), False)
    assert_valid(result, profile)
    shown = [t for v in result.variants for t in texts_of(v)]
    assert not any(re.search(r"\b(Meet|Discover|Why|Curious|Learn more|Today|That's)\b", t) for t in shown), shown
    assert not any("Das sagen unsere Gäste" in t for t in shown)  # a section heading
    # The unsupported year is dropped, the rest of the tagline is kept.
    assert any(t.startswith("Frische Brötchen, süße Stückchen und Café crème") for t in shown)
    assert any("„Die Laugenbrezeln sind ein Traum.“ — Jürgen Maier." in t for t in shown)
    assert {v.cta for v in result.variants if v.platform is Platform.META} == {"Order Now"}
