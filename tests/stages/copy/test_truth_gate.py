"""The issue's own examples, end to end: the real claim extractor on a small page, then the gate."""

from __future__ import annotations

import pytest

from brandtruth.models.brand import BrandProfile
from brandtruth.stages.copy.grounding import SupportIndex
from brandtruth.stages.copy.verdict import check_line
from brandtruth.stages.extract.claims import extract_claims
from brandtruth.stages.extract.page import parse_page

SITE = "https://studio.example/"


def profile_of(body: str, brand: str = "Acme") -> BrandProfile:
    doc = parse_page(f"<html><head><title>{brand}</title></head><body><main>{body}</main></body></html>", SITE)
    return BrandProfile(url=SITE, brand_name=brand, claims=extract_claims([doc]))


THIN = profile_of('<section class="features"><h2>Book meetings fast</h2><p>Acme books meetings fast.</p></section>')


@pytest.mark.parametrize(
    ("line", "verdict"),
    [
        ("Save up to forty percent", "unsupported"),
        ("Nine out of ten teams prefer Acme", "unsupported"),
        ("Five-star rated", "unsupported"),
        ("Lowers blood pressure", "blocked"),
        ("Cures insomnia", "blocked"),
        ("Clinically proven", "blocked"),
        ("Doctors recommend Acme", "blocked"),
        ("Trusted by NASA", "unsupported"),
        ("As featured in Forbes", "unsupported"),
        ("Zero downtime", "unsupported"),
        ("Satisfaction assured or your money returned", "blocked"),
        ("Book meetings fast", "supported"),
    ],
)
def test_lines_the_old_gate_let_through(line: str, verdict: str) -> None:
    assert check_line(SupportIndex(THIN, False), line).verdict == verdict


RICH = profile_of(
    """<section class="about"><p>Founded in 2017 by two architects in Rotterdam.</p>
    <p>Voted Best Roaster in Portland 2024</p></section>
    <section class="contact"><h2>Visit us</h2><p>Open Monday to Friday, 8:00 to 18:00.</p>
    <p>Witte de Withstraat 42, 3012 BR Rotterdam.</p><p>Call +31 10 555 0199.</p></section>
    <section class="features"><ul><li>Pain-free dentistry guaranteed or your visit is free.</li></ul></section>"""
)


@pytest.mark.parametrize(
    "line",
    [
        "Founded in 2017 by two architects in Rotterdam",
        "Voted Best Roaster in Portland 2024",
        "Open Monday to Friday, 8:00 to 18:00.",
        "Call +31 10 555 0199.",
        "Witte de Withstraat 42, 3012 BR Rotterdam.",
    ],
)
def test_true_lines_verbatim_on_the_site_pass(line: str) -> None:
    verdict = check_line(SupportIndex(RICH, False), line)
    assert verdict.verdict == "supported", verdict.issues
    assert verdict.evidence and verdict.evidence[0].url == SITE


def test_a_policy_block_stays_a_block_even_when_the_site_states_it() -> None:
    line = "Pain-free dentistry guaranteed or your visit is free."
    denied = check_line(SupportIndex(RICH, False), line)
    assert denied.verdict == "blocked"
    assert {i.cls for i in denied.issues} >= {"health", "guarantee"}
    allowed = check_line(SupportIndex(RICH, True), line)
    assert allowed.verdict == "supported", allowed.issues
    assert allowed.warnings  # flagged for review
    invented = check_line(SupportIndex(THIN, True), "Pain-free meetings guaranteed")
    assert invented.verdict == "unsupported"
