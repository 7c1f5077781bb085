"""The on-image headline rules both the copy and the compose stage apply: a phrase of the tagline
that reads on its own may head an ad, a tagline with words cut out or stopped mid-phrase may not,
in any of the supported languages; a supporting line never says the headline again."""

from __future__ import annotations

import pytest

from brandtruth.claims.headline_rules import is_cut_tagline, opens_with, phrase_ends_after, repeats


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
