"""BrandProfile builders for the copy-stage tests (imported by conftest.py and the test modules).

Profiles are built directly as models — the copy stage's contract is the `BrandProfile`, not
the extractor — with evidence quotes worded the way real sites word them.
"""

from __future__ import annotations

from pathlib import Path

from brandtruth.config import Settings
from brandtruth.models.brand import (
    BrandProfile,
    Claim,
    ClaimKind,
    CustomerCount,
    Evidence,
    Rating,
    Risk,
    SocialProof,
    Testimonial,
    Tone,
)
from brandtruth.models.copy import Platform
from brandtruth.models.stage_io import CopyInput
from brandtruth.stages.context import StageContext
from brandtruth.storage import ArtifactStore
from tests.support.settings import settings_from

SITE = "https://www.acme-scheduler.test/"


def ev(quote: str, page: str = "") -> list[Evidence]:
    return [Evidence(url=SITE + page, quote=quote, section="")]


def claim(cid: str, text: str, kind: ClaimKind, risk: Risk, quote: str, reason: str = "") -> Claim:
    return Claim(id=cid, text=text, kind=kind, risk=risk, risk_reason=reason, evidence=ev(quote))


def rich_profile() -> BrandProfile:
    """A SaaS brand with every kind of content, including claims that must never be used."""
    return BrandProfile(
        url=SITE,
        brand_name="Acme Scheduler",
        tagline="Scheduling that runs itself",
        description="Acme Scheduler books meetings for busy teams. It works with the calendars you already use.",
        target_audience="operations teams",
        value_propositions=[
            "Book meetings in seconds, not emails",
            "Syncs with Google and Outlook calendars",
            "Save 40% of admin time",  # no evidence for 40%: must never be used
            "Reminders that cut no-shows",
            "Set up in under 5 minutes",
        ],
        key_terms=["scheduling", "calendar sync", "reminders"],
        site_ctas=["Start free trial", "Book a demo", "Log in"],
        claims=[
            claim(
                "c1", "Trusted by 12,000+ teams", ClaimKind.STATISTIC, Risk.LOW, "Trusted by 12,000+ teams worldwide"
            ),
            claim(
                "c2",
                "Free 14-day trial, no credit card required",
                ClaimKind.PRICING,
                Risk.LOW,
                "Start your free 14-day trial. No credit card required.",
            ),
            claim(
                "c3",
                "The #1 scheduling app for teams",
                ClaimKind.SUPERLATIVE,
                Risk.HIGH,
                "The #1 scheduling app for teams",
                "unverifiable ranking",
            ),
            claim(
                "c4",
                "Cuts no-shows by 60%",
                ClaimKind.STATISTIC,
                Risk.MEDIUM,
                "Automatic reminders cut no-shows by 60%",
            ),
            claim(
                "c5",
                "Two-way calendar sync",
                ClaimKind.FEATURE,
                Risk.LOW,
                "Two-way calendar sync with Google and Outlook",
            ),
            claim(
                "c6",
                "Guaranteed to double your revenue",
                ClaimKind.GUARANTEE,
                Risk.BLOCKED,
                "Guaranteed to double your revenue",
                "outcome guarantee",
            ),
            claim(
                "c7",
                "Set up in under 5 minutes",
                ClaimKind.FEATURE,
                Risk.LOW,
                "Most teams are set up in under 5 minutes.",
            ),
        ],
        social_proof=SocialProof(
            ratings=[
                Rating(value=4.8, scale=5, count=2300, source="G2", evidence=ev("Rated 4.8/5 on G2 from 2,300 reviews"))
            ],
            testimonials=[
                Testimonial(
                    quote="We stopped playing email ping-pong the week we switched.",
                    author="Dana Lee",
                    company="Northwind",
                    evidence=ev("“We stopped playing email ping-pong the week we switched.” Dana Lee, Northwind"),
                )
            ],
            customer_counts=[
                CustomerCount(text="12,000+ teams", value=12000, evidence=ev("Trusted by 12,000+ teams worldwide"))
            ],
        ),
        tone=Tone(reading_ease=62.0, exclamation_rate=0.0, second_person_rate=0.05),
        avoided_terms=["cheap"],
    )


def bare_profile() -> BrandProfile:
    """A site that said almost nothing usable: a name, a URL, one button."""
    return BrandProfile(url="https://quietbrand.test/", brand_name="Quiet Brand", site_ctas=["Contact us"])


def make_settings(tmp: Path, **extra: object) -> Settings:
    values: dict[str, object] = {"BRANDTRUTH_DATA_DIR": tmp / "data"}
    values.update(extra)
    return settings_from(values)


def make_ctx(tmp: Path, **extra: object) -> StageContext:
    settings = make_settings(tmp, **extra)
    return StageContext(run_id="run-test", settings=settings, store=ArtifactStore(tmp / "artifacts"))


def copy_input(
    profile: BrandProfile,
    n: int = 3,
    platforms: list[Platform] | None = None,
    seed: int = 0,
    objective: str = "conversions",
) -> CopyInput:
    return CopyInput(
        run_id="run-test",
        profile=profile,
        num_variants=n,
        platforms=platforms if platforms is not None else [Platform.META],
        objective=objective,
        seed=seed,
    )
