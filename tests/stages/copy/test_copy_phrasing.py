"""The wording rules the template relies on: tidy display text, headings, complete phrases, addresses."""

from __future__ import annotations

import pytest

from brandtruth.stages.copy.phrasing import (
    HOST_LITERAL,
    display_domain,
    ends_complete,
    inner_phrases,
    is_heading,
    looks_english,
    shorter_phrases,
    tidy,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$29 /user/month", "$29/user/month"),
        ("$4 per user / month", "$4 per user/month"),
        ("Save 40 % today", "Save 40% today"),
        ("Free shipping on orders over $35 · roasted to order", "Free shipping on orders over $35. Roasted to order"),
        ("Power your home with sunshine <script>alert(1)</script>", "Power your home with sunshine"),
        ("Fresh bread ( daily ) , baked here", "Fresh bread (daily), baked here"),
    ],
)
def test_tidy_removes_markup_marks(raw: str, expected: str) -> None:
    assert tidy(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Why teams switch to Clearbeam",
        "Why Ember & Oak",
        "What our customers say",
        "Das sagen unsere Gäste",
        "Customer stories",
        "Plumbing services",
        "How it works",
        "Clearbeam",
    ],
)
def test_section_headings_are_recognised(text: str) -> None:
    assert is_heading(text, "Clearbeam")


@pytest.mark.parametrize(
    "text", ["Why wait?", "Reports that update themselves", "Loved by coffee people", "Customers first, always"]
)
def test_statements_are_not_headings(text: str) -> None:
    assert not is_heading(text, "Clearbeam")


@pytest.mark.parametrize(
    ("text", "shorter"),
    [
        ("Trusted by 12,000 teams in 40 countries", ["Trusted by 12,000 teams"]),
        ("Free 14-day trial, no credit card required", ["Free 14-day trial"]),
        ("Join 12,000 teams who trust their numbers", ["Join 12,000 teams"]),
        (
            "Winner of the 2025 Restaurant Tech Awards for Best Workforce Platform",
            ["Winner of the 2025 Restaurant Tech Awards"],
        ),
        ("Tacoma’s trusted plumbers, day or night", ["Tacoma’s trusted plumbers"]),
        # Never inside a noun phrase, a list or a dashed aside.
        ("Finance and ops teams at fast-growing companies run on Clearbeam", ["Finance and ops teams"]),
        ("Connects to Toast, Square, Clover and Lightspeed", []),
        ("Notes of honey, cocoa and dried apple", []),
        ("Numbers that everyone — from the CFO to the newest hire — can rely on", []),
    ],
)
def test_shorter_phrases_end_at_phrase_boundaries(text: str, shorter: list[str]) -> None:
    assert list(shorter_phrases(text)) == shorter


def test_offers_are_only_shortened_at_whole_clauses() -> None:
    text = "Registered nonprofits get 50% off the Growth plan for the first year"
    assert shorter_phrases(text, conditional=True) == ()
    assert inner_phrases("Every plan starts with a 14-day free trial.") == ("14-day free trial",)
    assert inner_phrases("Trusted by 8,500 restaurants and retail stores") == ()


@pytest.mark.parametrize(
    ("phrase", "cut", "complete"),
    [
        ("Finance and ops teams at", False, False),
        ("Reports for the", False, False),
        ("Small-batch beans from 14", False, False),
        ("Tacoma’s", False, False),
        ("Finance and ops teams at fast-growing", True, False),
        ("Our NABCEP-certified", True, False),
        ("Finance and ops teams at fast-growing companies run", True, False),
        ("Trusted by 12,000 teams", True, True),
        ("$29/user/month", True, True),
        ("„Besser geht’s nicht.“", False, True),
    ],
)
def test_ends_complete(phrase: str, cut: bool, complete: bool) -> None:
    assert ends_complete(phrase, cut=cut) is complete


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("http://127.0.0.1:46807/", ""),
        ("http://localhost/", ""),
        ("https://shop.example.com:8443/", ""),
        ("http://[::1]:8000/", ""),
        ("https://www.clearbeam.com/pricing", "clearbeam.com"),
    ],
)
def test_display_domain_only_for_addresses_a_reader_can_type(url: str, domain: str) -> None:
    assert display_domain(url) == domain


def test_host_literals() -> None:
    for text in ("at 127.0.0.1.", "localhost:8000", "shop.example.com:8080/x", "[::1]:8000"):
        assert HOST_LITERAL.search(text), text
    for text in ("Rated 4.8/5", "Open 9:30 to 5", "clearbeam.com", "v2.0 is out"):
        assert not HOST_LITERAL.search(text), text


def test_language_detection() -> None:
    assert looks_english("Reporting your whole team can trust. Start your free trial.")
    assert not looks_english("Frische Brötchen und Café crème. Das sagen unsere Gäste. Jeden Morgen für Sie.")
    assert looks_english("")
