"""Property tests over generated brand profiles: the template run never says an unsupported thing."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brandtruth.models.brand import (
    BrandProfile,
    Claim,
    ClaimKind,
    Evidence,
    Rating,
    Risk,
    SocialProof,
)
from brandtruth.models.brand import (
    Testimonial as SiteTestimonial,
)
from brandtruth.models.copy import CopyResult, Platform
from brandtruth.models.stage_io import CopyInput
from brandtruth.platforms import display_width, spec_for
from brandtruth.stages.copy.checks import validate_variant
from brandtruth.stages.copy.grounding import GroundingReport, SupportIndex
from brandtruth.stages.copy.platforms import _TRAILING_JUNK, fit_text
from brandtruth.stages.copy.stage import template_run

SITE = "https://www.brand.test/"
WORDS = ["teams", "bakers", "clinics", "stores", "riders", "schools", "shops", "growers", "studios"]
NOUNS = ["scheduling", "delivery", "billing", "payroll", "coffee", "bikes", "tea", "yoga", "ceramics"]
CTAS = ["Start free trial", "Shop now", "Book a demo", "Contact sales", "Sign up", "Learn more", "Log in", "Order"]

numbers = st.integers(min_value=2, max_value=250_000)


@st.composite
def claim_texts(draw: st.DrawFn) -> tuple[str, ClaimKind]:
    n = draw(numbers)
    word = draw(st.sampled_from(WORDS))
    noun = draw(st.sampled_from(NOUNS))
    options = [
        (f"Trusted by {n:,} {word}", ClaimKind.STATISTIC),
        (f"Over {n:,} {word} use us", ClaimKind.STATISTIC),
        (f"Cuts {noun} costs by {n % 90 + 5}%", ClaimKind.STATISTIC),
        (f"Plans from ${n % 200 + 1} per month", ClaimKind.PRICING),
        (f"Free {n % 30 + 1}-day trial", ClaimKind.PRICING),
        (f"The fastest {noun} app", ClaimKind.SUPERLATIVE),
        (f"Award-winning {noun}", ClaimKind.AWARD),
        (f"{n % 60 + 1}-day money-back guarantee", ClaimKind.GUARANTEE),
        (f"Set up {noun} in {n % 50 + 1} minutes", ClaimKind.FEATURE),
        (f"Works with every {noun} tool", ClaimKind.FEATURE),
        (f"Rated {n % 10 / 10 + 4:.1f}/5 by {word}", ClaimKind.STATISTIC),
    ]
    return draw(st.sampled_from(options))


@st.composite
def profiles(draw: st.DrawFn) -> BrandProfile:
    brand = draw(st.sampled_from(["Acme", "Blue Fern", "Nordlicht", "Kite & Co", "Studio 54", "Zest"]))
    claims: list[Claim] = []
    for i in range(draw(st.integers(0, 8))):
        text, kind = draw(claim_texts())
        quote = draw(st.sampled_from([text, f"{text}.", f"Since day one: {text.lower()}"]))
        claims.append(
            Claim(
                id=f"c{i + 1}",
                text=text,
                kind=kind,
                risk=draw(st.sampled_from(list(Risk))),
                evidence=[Evidence(url=SITE, quote=quote)],
            )
        )
    vps = []
    for _ in range(draw(st.integers(0, 6))):
        noun = draw(st.sampled_from(NOUNS))
        vps.append(
            draw(
                st.sampled_from(
                    [
                        f"Simple {noun} for busy people",
                        f"Save {draw(numbers) % 95 + 1}% on {noun}",  # usually unsupported
                        f"The best {noun} in town",  # unsupported superlative
                        f"{noun.capitalize()} without the hassle",
                        f"Join {draw(numbers):,} happy customers",
                        f"Your {noun}, handled",
                        f"Cheap {noun} that works",
                    ]
                )
            )
        )
    proof = SocialProof()
    if draw(st.booleans()):
        value = draw(st.sampled_from([4.5, 4.7, 4.9]))
        proof.ratings.append(
            Rating(value=value, evidence=[Evidence(url=SITE, quote=f"{value}/5 average from our customers")])
        )
    if draw(st.booleans()):
        proof.testimonials.append(
            SiteTestimonial(
                quote="It just works, every single day.",
                author="Sam",
                evidence=[Evidence(url=SITE, quote="“It just works, every single day.” — Sam")],
            )
        )
    return BrandProfile(
        url=SITE,
        brand_name=brand,
        tagline=draw(st.sampled_from(["", "Made for makers", "Better since 1999", "The #1 choice"])),
        value_propositions=vps,
        key_terms=draw(st.lists(st.sampled_from(NOUNS), max_size=4, unique=True)),
        site_ctas=draw(st.lists(st.sampled_from(CTAS), max_size=3, unique=True)),
        claims=claims,
        social_proof=proof,
        avoided_terms=draw(st.lists(st.sampled_from(["cheap", "hassle", "busy"]), max_size=2, unique=True)),
    )


def _numbers_in(text: str) -> set[str]:
    return {re.sub(r"[,\s]", "", m) for m in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def _all_text(result: CopyResult) -> list[tuple[str, str]]:
    out = []
    for v in result.variants:
        for t in [v.headline, v.primary_text, v.description, *v.headlines, *v.descriptions, v.path1, v.path2]:
            out.append((v.id, t))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    profile=profiles(),
    n=st.integers(1, 10),
    platforms=st.lists(st.sampled_from(list(Platform)), min_size=1, max_size=4, unique=True),
    seed=st.integers(0, 2**31),
    allow_high=st.booleans(),
)
def test_template_runs_are_grounded_within_limits_and_distinct(
    profile: BrandProfile, n: int, platforms: list[Platform], seed: int, allow_high: bool
) -> None:
    inp = CopyInput(run_id="prop", profile=profile, num_variants=n, platforms=platforms, seed=seed)
    result = template_run(inp, allow_high)

    # Ids unique and sequential; never two variants with the same angle and headline.
    assert [v.id for v in result.variants] == [f"v{i}" for i in range(1, len(result.variants) + 1)]
    keys = [(v.angle, v.headline.lower()) for v in result.variants]
    assert len(keys) == len(set(keys))
    bodies = [(v.platform, v.primary_text) for v in result.variants]
    assert len(bodies) == len(set(bodies))
    # A page with one fact cannot head ads on four placements without repeating itself or
    # padding with the bare brand name: it gets fewer variants, and a warning says so.
    assert result.variants
    for p in platforms:
        assert 0 <= sum(v.platform is p for v in result.variants) <= n
        if sum(v.platform is p for v in result.variants) < n:
            assert any(w.startswith(f"{p.value}:") for w in result.warnings)

    # The shared validator finds nothing: limits met, zero unsupported assertions.
    index = SupportIndex(profile, allow_high)
    for v in result.variants:
        check = validate_variant(v, spec_for(v.platform), index)
        assert check.ok, (v, check.issues)
        for use in v.claims_used:
            claim = profile.claim(use.claim_id)
            assert claim is not None and claim not in index.forbidden, use

    # Independent oracle: every number shown appears in the evidence of a usable claim or proof.
    usable = {
        Risk.LOW,
        Risk.MEDIUM,
        *([Risk.HIGH] if allow_high else []),
    }
    evidence_numbers: set[str] = set()
    for c in profile.claims:
        if c.risk in usable:
            for e in c.evidence:
                evidence_numbers |= _numbers_in(e.quote)
    for r in profile.social_proof.ratings:
        for e in r.evidence:
            evidence_numbers |= _numbers_in(e.quote)
    blocked = [c.text.lower() for c in profile.claims if c.risk not in usable]
    for vid, text in _all_text(result):
        shown = _numbers_in(text.replace(profile.brand_name, ""))
        assert shown <= evidence_numbers, (vid, text, shown - evidence_numbers)
        for b in blocked:
            assert b not in text.lower(), (vid, text, b)
        for term in profile.avoided_terms:
            assert not re.search(rf"\b{re.escape(term)}\b", text, re.IGNORECASE), (vid, text, term)

    # Deterministic.
    assert template_run(inp, allow_high) == result


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1_000, 9_999_999), m=st.integers(1_000, 9_999_999), style=st.integers(0, 2))
def test_number_formats_are_equivalent_and_distinct_numbers_are_not(n: int, m: int, style: int) -> None:
    grouped = f"{n:,}"
    formats = [grouped, grouped.replace(",", " "), grouped.replace(",", "\u202f")]
    if n % 1000 == 0:
        formats.append(f"{n // 1000}k")
    profile = BrandProfile(
        url=SITE,
        brand_name="Acme",
        claims=[
            Claim(
                id="c1",
                text="x",
                kind=ClaimKind.STATISTIC,
                risk=Risk.LOW,
                evidence=[Evidence(url=SITE, quote=f"Trusted by {formats[style % len(formats)]} teams")],
            )
        ],
    )
    index = SupportIndex(profile, False)
    for fmt in formats:
        report = GroundingReport()
        index.check_text("t", f"Join {fmt} teams", report)
        assert report.ok, (fmt, report.summary())
    if m != n:
        report = GroundingReport()
        index.check_text("t", f"Join {m:,} teams", report)
        assert not report.ok


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.sampled_from([*"abcdefghij ,.;:-()—抹茶和菓子", "the ", "and ", "with ", "word "]), min_size=1, max_size=120
    ).map("".join),
    limit=st.integers(5, 130),
)
def test_fit_text_respects_width_and_never_ends_on_junk(text: str, limit: int) -> None:
    out = fit_text(text, limit)
    assert display_width(out) <= limit
    normalized = " ".join(text.split())
    assert normalized.startswith(out)
    if out != normalized and out:
        assert out[-1] not in _TRAILING_JUNK
        assert out.split(" ")[-1].lower() not in {"the", "and", "with"}
