"""The on-image headline rules both the copy and the compose stage apply: a phrase of the tagline
that reads on its own may head an ad, a tagline with words cut out or stopped mid-phrase may not,
in any of the supported languages; a supporting line never says the headline again."""

from __future__ import annotations

import pytest

from brandtruth.claims.headline_rules import (
    SourceSentences,
    is_cut_tagline,
    opens_with,
    phrase_ends_after,
    repeats,
    source_sentences,
)


@pytest.mark.parametrize(
    ("text", "tagline"),
    [
        ("Handmade stoneware", "Handmade stoneware for slow mornings"),  # stops before "for …"
        ("Roasted to order", "Roasted to order every Tuesday"),
        ("Roasted to order every Tuesday", "Roasted to order every Tuesday and Friday"),
        ("Roasted fresh", "Roasted fresh, shipped free"),  # stops at the comma
        ("For slow mornings", "Handmade stoneware for slow mornings"),  # a phrase of its own
        ("Paddle Puget Sound with a guide", "Paddle Puget Sound with a local guide"),  # an edit
        ("Roasted to order every Tuesday", "Roasted to order every Tuesday"),  # the whole tagline
        ("Frisch geröstet", "Frisch geröstet für Ihren Morgen"),
        ("Café de spécialité", "Café de spécialité pour les matins lents"),
        ("Cerámica hecha a mano", "Cerámica hecha a mano para mañanas tranquilas"),
        ("Ceramica fatta a mano", "Ceramica fatta a mano per mattine lente"),
        ("Verse koffie", "Verse koffie voor elke ochtend"),
        ("Café torrado na hora", "Café torrado na hora para manhãs calmas"),
        ("Geröstet jeden Dienstag", "Roasted to order every Tuesday"),  # another line, not a cut
    ],
)
def test_a_phrase_that_reads_is_not_a_cut_tagline(text: str, tagline: str) -> None:
    assert not is_cut_tagline(text, tagline)


@pytest.mark.parametrize(
    ("text", "tagline"),
    [
        ("Roasted Tuesday", "Roasted to order every Tuesday and Friday"),  # words cut from the middle
        ("Coffee worth waking", "Coffee worth waking up for"),  # its tail is "up for": no phrase
        ("Coffee worth waking up", "Coffee worth waking up for"),
        ("Handmade stoneware for", "Handmade stoneware for slow mornings"),  # ends on a connector
        ("Handmade", "Handmade stoneware for slow mornings"),  # "stoneware" continues the phrase
        ("mornings", "Handmade stoneware for slow mornings"),  # starts mid-phrase
        ("Specialty coffee, roasted", "Specialty coffee, roasted to order in Duluth"),  # a lone word
        ("Frisch geröstet für", "Frisch geröstet für Ihren Morgen"),
        ("Café spécialité", "Café de spécialité pour les matins lents"),
        ("Cerámica hecha para", "Cerámica hecha a mano para mañanas tranquilas"),
        ("Verse voor", "Verse koffie voor elke ochtend"),
    ],
)
def test_a_tagline_that_no_longer_reads_is_a_cut_tagline(text: str, tagline: str) -> None:
    assert is_cut_tagline(text, tagline)


def test_unspaced_scripts_are_compared_by_clause() -> None:
    assert not is_cut_tagline("手作りの器", "手作りの器、ゆっくりした朝に")
    assert not is_cut_tagline("手作りの器", "手作りの器でゆっくりした朝を")  # no word boundary known


def test_a_phrase_ends_before_what_starts_a_phrase_of_its_own() -> None:
    assert phrase_ends_after("Tacoma’s trusted plumbers, day or night.", 3)
    assert phrase_ends_after("Envío gratis en pedidos superiores a 50 €.", 2)
    assert not phrase_ends_after("Small-batch coffee, roasted to order in Duluth.", 4)  # "small", "batch"
    assert not phrase_ends_after("Handmade stoneware mugs and bowls.", 2)
    assert not phrase_ends_after("Short.", 2)


def test_a_supporting_line_does_not_say_the_headline_again() -> None:
    assert repeats("Plan delivery routes in minutes", "Plan your delivery routes in minutes!")
    assert not repeats("Plan delivery routes in minutes", "Rated 4.8/5 on G2 by dispatch teams")
    assert opens_with("Power your home with sunshine. Get a free site survey.", "Power your home")
    assert opens_with("Drain cleaning from $149. Free estimate.", "Drain cleaning from $149")
    assert not opens_with("Get a free site survey. Power your home with sunshine.", "Power your home")
    assert not opens_with("Anything", "")


# Sentences a headline may be drawn from, in several languages: claims, descriptions, quotes.
SITE = [
    "Small-batch specialty coffee, roasted to order in Duluth, Minnesota. Rated 4.8 out of 5 from 2,314 reviews.",
    "Over 9,000 homes served since 2006.",
    "Frisch gebackenes Sauerteigbrot aus dem Holzofen, jeden Morgen ab 6 Uhr.",
    "Plus de 3 400 professionnels formés depuis 2019.",
    "Envío gratis en pedidos superiores a 50 €, devoluciones en 30 días.",
    "Consegna gratuita in tutta Italia per ordini sopra i 40 euro.",
    "Wij bezorgen verse bloemen door heel Nederland.",
    "Entrega grátis em todo o Brasil para pedidos acima de R$ 99.",
]


@pytest.mark.parametrize(
    "text",
    [
        "Small-batch specialty coffee",  # a leading phrase that reads on its own
        "Small-batch specialty coffee, roasted to order",  # stops before "in Duluth"
        "Rated 4.8 out of 5",  # "4.8" is one number, not a phrase break
        "Over 9,000 homes served",  # stops before "since 2006"
        "Frisch gebackenes Sauerteigbrot",  # stops before "aus dem Holzofen"
        "Plus de 3 400 professionnels formés",  # stops before "depuis 2019"
        "Envío gratis",
        "Devoluciones en 30 días",  # a clause of its own after the comma
        "Consegna gratuita in tutta Italia",
        "Wij bezorgen verse bloemen",
        "Entrega grátis em todo o Brasil",
        "Over 9,000 homes served since 2006",  # the whole sentence
        "Free shipping on every order",  # not the site's words in order: another line
    ],
)
def test_a_phrase_of_any_site_sentence_that_reads_is_no_cut(text: str) -> None:
    assert SourceSentences(SITE).cut_of(text) is None


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("Small-batch specialty coffee, roasted", SITE[0]),  # a lone word after the comma
        ("Small-batch coffee roasted", SITE[0]),  # words cut from the middle
        ("Specialty coffee, roasted to", SITE[0]),  # a dangling connector
        ("Frisch gebackenes Sauerteigbrot aus dem", SITE[2]),
        ("Sauerteigbrot Holzofen", SITE[2]),
        ("Plus de 3 400 professionnels", SITE[3]),  # stops before the word its phrase needs
        ("Envío gratis en pedidos", SITE[4]),  # stops inside "pedidos superiores a 50 €"
        ("Consegna gratuita Italia", SITE[5]),
        ("Wij bezorgen verse", SITE[6]),
        ("Entrega grátis em", SITE[7]),
    ],
)
def test_a_cut_of_any_site_sentence_is_found(text: str, sentence: str) -> None:
    assert SourceSentences(SITE).cut_of(text) in source_sentences([sentence])


def test_a_wording_the_writer_was_given_is_no_cut() -> None:
    assert SourceSentences(SITE).cut_of("Coffee roasted in Duluth") is not None
    # A grounded wording of the same item (a fragment's alternative) is whole, not a cut.
    assert SourceSentences(SITE, exact=["Coffee roasted in Duluth"]).cut_of("Coffee roasted in Duluth") is None


def test_a_rating_reads_as_the_writer_words_it() -> None:
    for text in ["Rated 4.8/5", "Rated 4.8/5 from 2,314 reviews", "4,6/5", "4.8/5 stars"]:
        assert SourceSentences([*SITE, "4,6 de 5 estrellas · 327 opiniones", "4.8 out of 5 stars"]).cut_of(text) is None


def test_a_phrase_of_one_sentence_is_no_cut_of_another_holding_the_same_words() -> None:
    sources = SourceSentences(
        ["Harbor City is a licensed and insured plumber.", "Licensed and insured: WA license 812."]
    )
    assert sources.cut_of("Licensed and insured") is None
    assert SourceSentences(["Harbor City is a licensed and insured plumber."]).cut_of("Licensed and insured")


def test_sentences_are_read_one_by_one_without_markup() -> None:
    assert source_sentences(["Power your home with sunshine <script>x()</script>. Free survey!", "Free survey!"]) == [
        "Power your home with sunshine .",
        "Free survey!",
    ]
    # The quarter-of-the-sentence rule is read per sentence: a paragraph around it changes nothing.
    assert SourceSentences(SITE).cut_of("Rated 4.8 out of 5 from 2,314 reviews") is None
