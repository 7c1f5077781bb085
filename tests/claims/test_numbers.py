"""Spelled-out numbers become digits in en/de/fr/es (+ it/nl/pt), with offsets back to the words."""

from __future__ import annotations

import pytest

from brandtruth.claims.numbers import spelled_to_digits


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Save up to forty percent", "en", "Save up to 40%"),
        ("Nine out of ten teams prefer Acme", "en", "9 out of 10 teams prefer Acme"),
        ("twelve thousand teams", "en", "12000 teams"),
        ("two hundred and fifty users", "en", "250 users"),
        ("Trusted by eighty-five hundred restaurants", "en", "Trusted by 8500 restaurants"),
        ("Five-star rated", "en", "5-star rated"),
        ("Half the cost", "en", "0.5x the cost"),
        ("Twice as fast", "en", "2x as fast"),
        ("a dozen formats", "en", "12 formats"),
        ("Close your books in one day", "en", "Close your books in 1 day"),
        ("Seit neunzehnhundertzweiundfünfzig frisch gebacken", "de", "Seit 1952 frisch gebacken"),
        ("Zehnmal frischer", "de", "10x frischer"),
        ("Neun von zehn Kunden", "de", "9 out of 10 Kunden"),
        ("Zwölftausend Kunden", "de", "12000 Kunden"),
        ("hundert Prozent Geschmack", "de", "100% Geschmack"),
        ("Plus de quatre mille patients", "fr", "Plus de 4000 patients"),
        ("quatre-vingt-dix clients", "fr", "90 clients"),
        ("Deux fois moins cher", "fr", "2x moins cher"),
        ("Noté 4,9 sur 5", "fr", "Noté 4,9 out of 5"),
        ("por cuarenta y cinco euros", "es", "por 45 euros"),
        ("en veinticuatro horas", "es", "en 24 horas"),
        ("Nueve de cada diez clientes", "es", "9 out of 10 clientes"),
        ("dodicimila team", "it", "12000 team"),
        ("twintigduizend restaurants", "nl", "20000 restaurants"),
    ],
)
def test_spelled_numbers_become_digits(text: str, lang: str, expected: str) -> None:
    assert spelled_to_digits(text, lang).text == expected


@pytest.mark.parametrize(
    "text",
    ["All in one place", "The one app your team needs", "refund every cent", "Once a week we roast", "A new way"],
)
def test_words_that_only_look_like_numbers_stay(text: str) -> None:
    assert spelled_to_digits(text, "en").text == text


def test_offsets_map_back_to_the_spelled_words() -> None:
    rw = spelled_to_digits("Save up to forty percent now", "en")
    start = rw.text.index("40%")
    lo, hi = rw.span(start, start + 3)
    assert rw.source[lo:hi] == "forty percent"
    lo, hi = rw.span(0, 4)
    assert rw.source[lo:hi] == "Save"
