"""Headline rules, the CTA table and casing: the failures a marketer saw on real pages."""

from __future__ import annotations

import pytest

from brandtruth.claims.headline_rules import SourceSentences
from brandtruth.models.copy import Platform
from brandtruth.platforms import CTA_LANGUAGES, PLATFORM_SPECS, cta_button, cta_label
from brandtruth.stages.copy import headlines
from brandtruth.stages.copy.fragments import _lower_first
from brandtruth.stages.copy.headlines import HeadlineJudge
from brandtruth.stages.copy.platforms import map_cta


@pytest.fixture
def judge() -> HeadlineJudge:
    return HeadlineJudge(
        "Belfusto",
        has_substance=True,
        actions=["Play Video", "Aceptar todo"],
        people=["Wes Bos", "Dawson Whitfield"],
        language="en",
        sections=["Opiniones de clientes"],
    )


@pytest.mark.parametrize(
    ("headline", "reason"),
    [
        ("Leave a Reply", headlines.COMMENT_PROMPT),
        ("Kommentar abschicken", headlines.COMMENT_PROMPT),
        ("No problem", headlines.EMPTY),
        ("Featured Work", headlines.SECTION_TITLE),
        ("Videos && Modules", headlines.SECTION_TITLE),
        ("Experience & Expertise", headlines.SECTION_TITLE),
        ("Opiniones de clientes", headlines.SECTION_TITLE),
        ("Meet Wes Bos", headlines.PERSON),
        ("Dawson Whitfield", headlines.PERSON),
        ("Belfusto", headlines.BRAND_ALONE),
        ("Meet Belfusto", headlines.BRAND_GLUE),
        ("Play Video", headlines.UI_LABEL),
        ("Aceptar todo", headlines.UI_LABEL),
        ("Buscar", headlines.UI_LABEL),
        ("Skip to main content", headlines.UI_LABEL),
        ("Mehr erfahren", headlines.UI_LABEL),
    ],
)
def test_rejected_with_reason(judge: HeadlineJudge, headline: str, reason: str) -> None:
    assert judge.reason(headline) == reason
    assert judge.rejections[headline] == reason


@pytest.mark.parametrize(
    "headline",
    [
        "Cut reporting time by 40%",
        "Rated 4.8/5 on G2",
        "Handmade in Guipúzcoa since 1958",
        "Frische Brötchen jeden Morgen",
        "Belfusto sofas, made to order",
        "Why wait?",
        "Una sartén para toda la vida",
        "Free Same-Day Delivery",  # title-cased, but an offer, not a section title
        "Envío Gratis en Pedidos",
    ],
)
def test_headlines_that_sell_pass(judge: HeadlineJudge, headline: str) -> None:
    assert judge.reason(headline) is None


def test_german_nouns_are_not_titles() -> None:
    german = HeadlineJudge("Krämer", True, [], [], language="de")
    assert german.reason("Drei Generationen Bäckerhandwerk") is None
    assert HeadlineJudge("Krämer", True, [], [], language="en").reason("Featured Work") == headlines.SECTION_TITLE


def test_brand_glue_is_the_fallback_of_a_site_with_nothing_else() -> None:
    assert HeadlineJudge("Quiet Brand", False, [], []).reason("Meet Quiet Brand") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cut reporting time by 40%", "cut reporting time by 40%"),
        ("Before and After Product-Market Fit", "Before and After Product-Market Fit"),
        ("Dawson Whitfield of Logojoy", "Dawson Whitfield of Logojoy"),
        ("SOC 2 Type II certified", "SOC 2 Type II certified"),
        ("Built with Google Sheets in mind", "Built with Google Sheets in mind"),
    ],
)
def test_lower_first_keeps_names_and_title_case(text: str, expected: str) -> None:
    assert _lower_first(text) == expected


def test_cta_table_covers_every_button_in_seven_languages() -> None:
    assert set(CTA_LANGUAGES) >= {"en", "de", "fr", "es", "it", "nl", "pt"}
    buttons = {b for spec in PLATFORM_SPECS.values() for b in spec.ctas}
    for language in CTA_LANGUAGES:
        labels = {cta_label(b, language) for b in buttons}
        for b in buttons:
            label = cta_label(b, language)
            assert cta_button(label) in buttons
            if language != "en":
                assert label != b, (language, b)
        assert len(labels) >= len(buttons) - 3  # a few buttons share a word (Apply / Apply Now)


@pytest.mark.parametrize(
    ("wording", "button"),
    [
        ("Jetzt Termin vereinbaren", "Book Now"),
        ("Añadir al carrito", "Shop Now"),
        ("Je réserve ma place", "Book Now"),
        ("Prenota ora", "Book Now"),
        ("Offerte aanvragen", "Get Quote"),
        ("Fale conosco", "Contact Us"),
        ("Kostenlos testen", "Get Started"),
    ],
)
def test_site_wording_in_any_language_maps_to_a_button(wording: str, button: str) -> None:
    assert map_cta(wording, Platform.META) == button


@pytest.mark.parametrize(
    ("headline", "reason"),
    [
        ("Roasted Tuesday", headlines.CUT_TAGLINE),  # words cut out of the middle
        ("Roasted to order", None),  # a leading run still reads
        ("Roasted to order every Tuesday", None),  # the whole tagline
        ("Geröstet jeden Dienstag", None),  # another sentence, not a cut
        ("Fresh beans roasted to order for cafés and kitchens across Leipzig", headlines.TOO_LONG),
    ],
)
def test_cut_taglines_and_long_lines_do_not_head_an_ad(headline: str, reason: str | None) -> None:
    judge = HeadlineJudge("Lind", True, [], [], language="en", tagline="Roasted to order every Tuesday")
    assert judge.reason(headline) == reason


def test_a_rating_headline_names_where_it_was_given() -> None:
    judge = HeadlineJudge("Harbour Dental", True, [], [], language="en", rating_sources=["Google"])
    assert judge.reason("Rated 4.9/5") == headlines.UNSOURCED_RATING
    assert judge.reason("4.9 out of 5 stars") == headlines.UNSOURCED_RATING
    assert judge.reason("Rated 4.9/5 on Google") is None
    # Without a known source there is nothing to name; a 24/7 service is no rating.
    assert HeadlineJudge("Harbour Dental", True, [], []).reason("Rated 4.9/5 by patients") is None
    assert judge.reason("24/7 emergency appointments") is None


def test_a_headline_cut_from_any_site_sentence_is_turned_down_with_its_reason() -> None:
    sources = SourceSentences(
        [
            "Small-batch specialty coffee, roasted to order in Duluth, Minnesota.",
            "Frisch gebackenes Brot aus dem Holzofen, jeden Morgen.",
            "Envío gratis en pedidos superiores a 50 €.",
        ]
    )
    judge = HeadlineJudge(
        "Ember & Oak", True, [], [], language="en", tagline="Coffee worth waking up for", sources=sources
    )
    for cut in [
        "Small-batch specialty coffee, roasted",  # a lone word of the clause after the comma
        "Ember & Oak: small-batch specialty coffee, roasted",  # the brand label hides nothing
        "Frisch gebackenes Brot aus dem",  # a dangling connector
        "Envío gratis en pedidos",  # stops inside its phrase
        "Specialty coffee Duluth",  # words cut from the middle
    ]:
        assert judge.reason(cut) == headlines.CUT_SENTENCE, cut
        assert judge.rejections[cut] == headlines.CUT_SENTENCE
    for whole in ["Small-batch specialty coffee, roasted to order", "Frisch gebackenes Brot", "Envío gratis"]:
        assert judge.reason(whole) is None, whole
    assert judge.reason("Coffee worth waking") == headlines.CUT_TAGLINE
