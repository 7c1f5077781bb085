"""What goes on the picture: a short headline that is never a cut tagline or a bare section
heading, a supporting line that does not repeat it, ratings with their source."""

from __future__ import annotations

from brandtruth.claims.headline_rules import is_cut_tagline, repeats
from brandtruth.models.brand import BrandProfile, Claim, ClaimKind, Evidence, Rating, Risk, SocialProof
from brandtruth.models.copy import Angle
from brandtruth.stages.compose.canvas_copy import canvas_bodies, canvas_headline
from brandtruth.stages.compose.stage import prepare_copy
from brandtruth.stages.copy.headlines import CUT_TAGLINE, HeadlineJudge

from .conftest import variant


def profile(tagline: str = "", platform: str | None = None, section: str = "") -> BrandProfile:
    claims = []
    if section:
        evidence = [Evidence(url="https://b.test/", quote="Roasted to order every Tuesday.", section=section)]
        claims.append(Claim(id="c1", text="Roasted to order", kind=ClaimKind.FEATURE, risk=Risk.LOW, evidence=evidence))
    ratings = [Rating(value=4.8, platform=platform)] if platform or platform == "" else []
    return BrandProfile(
        url="https://b.test/",
        brand_name="Ember & Oak",
        tagline=tagline,
        claims=claims,
        social_proof=SocialProof(ratings=ratings),
    )


def test_a_cut_tagline_is_never_the_headline() -> None:
    brand = profile(tagline="Roasted to order every Tuesday and Friday")
    assert is_cut_tagline("Roasted Tuesday", brand.tagline)
    assert not is_cut_tagline("Roasted to order every Tuesday and Friday", brand.tagline)
    assert is_cut_tagline("Coffee worth waking", "Coffee worth waking up for")
    assert not is_cut_tagline("Paddle Puget Sound with a guide", "Paddle Puget Sound with a local guide")
    v = variant("v1", headline="Roasted Tuesday", description="Small-batch coffee, shipped free over $35")
    headline, note = canvas_headline(v, brand)
    assert headline == "Small-batch coffee, shipped free over $35" and note is not None


def test_a_long_headline_gives_way_to_a_short_line_of_the_same_variant() -> None:
    v = variant(
        "v1",
        headline="Plan every delivery route for your whole team in just a few minutes",
        description="Routes planned in minutes",
    )
    headline, note = canvas_headline(v, profile())
    assert headline == "Routes planned in minutes" and note
    # A single endless "word" is not a short line either.
    blob = variant(
        "v3", headline="Plan every delivery route for your whole team today", description="A" * 300, primary="B" * 300
    )
    assert canvas_headline(blob, profile())[0].startswith("Plan every delivery")
    short = variant("v2", headline="Plan delivery routes in minutes")
    assert canvas_headline(short, profile()) == ("Plan delivery routes in minutes", None)


def test_a_bare_section_heading_is_not_a_headline() -> None:
    v = variant("v1", headline="Our story", description="Roasted to order in Duluth")
    assert canvas_headline(v, profile(section="Our story"))[0] == "Roasted to order in Duluth"


def test_the_subline_never_repeats_the_headline() -> None:
    assert repeats("Plan delivery routes in minutes", "Plan your delivery routes in minutes!")
    bodies = canvas_bodies(
        ["Plan delivery routes in minutes.", "Route planning for busy teams"], "Plan delivery routes in minutes", None
    )
    assert bodies == ["Route planning for busy teams"]


def test_a_rating_keeps_its_source() -> None:
    v = variant("v1", headline="Rated 4.8/5 by dispatch teams", angle=Angle.SOCIAL_PROOF)
    assert canvas_headline(v, profile(platform="G2"))[0] == "Rated 4.8/5 on G2 by dispatch teams"
    # No known source: the rating is not put on the picture; a line without one is used instead.
    assert canvas_headline(v, profile())[0] == "Route planning for busy teams"
    assert canvas_bodies(["Rated 4.8/5"], "Plan routes", profile()) == []
    assert canvas_bodies(["Rated 4.8 out of 5 on Capterra"], "Plan routes", profile()) == [
        "Rated 4.8 out of 5 on Capterra"
    ]


def test_prepare_copy_uses_the_canvas_choice_and_says_so() -> None:
    warnings: list[str] = []
    v = variant("v1", headline="Roasted Tuesday", description="Small-batch coffee, roasted to order")
    copy = prepare_copy(v, "Ember & Oak", warnings, profile(tagline="Roasted to order every Tuesday"))
    assert copy.headline == "Small-batch coffee, roasted to order"
    assert copy.headline not in copy.bodies
    assert any("on-image headline" in w for w in warnings)


def test_compose_keeps_a_tagline_phrase_the_copy_judge_allowed() -> None:
    """One rule for both stages: what the copy stage let head an ad, compose puts on the picture,
    and what it turned down as a cut tagline, compose replaces."""
    tagline = "Handmade stoneware for slow mornings"
    judge = HeadlineJudge("Kiln & Co", True, [], [], language="en", tagline=tagline)
    brand = profile(tagline=tagline)
    for headline in ["Handmade stoneware", "For slow mornings", "Handmade stoneware for", "Stoneware mornings"]:
        v = variant("v1", headline=headline, description="Glazed by hand in small batches")
        kept = canvas_headline(v, brand) == (headline, None)
        assert kept == (judge.reason(headline) != CUT_TAGLINE), headline
    assert canvas_headline(variant("v1", headline="Handmade stoneware"), brand) == ("Handmade stoneware", None)


def test_a_cut_of_any_site_sentence_is_never_the_picture_headline() -> None:
    """Not only the tagline: a claim's sentence cut mid-phrase gives way to a line that reads."""
    evidence = [Evidence(url="https://b.test/", quote="Small-batch specialty coffee, roasted to order in Duluth.")]
    claim = Claim(id="c1", text=evidence[0].quote, kind=ClaimKind.FEATURE, risk=Risk.LOW, evidence=evidence)
    brand = BrandProfile(url="https://b.test/", brand_name="Ember & Oak", claims=[claim])
    cut = variant("v1", headline="Small-batch specialty coffee, roasted", description="Small-batch specialty coffee")
    assert canvas_headline(cut, brand)[0] == "Small-batch specialty coffee"
    whole = variant("v2", headline="Small-batch specialty coffee, roasted to order")
    assert canvas_headline(whole, brand) == ("Small-batch specialty coffee, roasted to order", None)
