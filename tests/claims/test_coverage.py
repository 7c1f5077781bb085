"""Content coverage: new words and new names are found; inflections and glue words are not."""

from __future__ import annotations

from brandtruth.claims.coverage import Vocabulary
from brandtruth.claims.words import guess_language

VOCAB = Vocabulary(
    [
        "Staff scheduling software for restaurants and retail.",
        "Shift swaps approved from your phone",
        "Trusted by Copper Pot Bistro and Greenline Grocers",
    ]
)


def gap_words(text: str) -> list[str]:
    return [g.text for g in VOCAB.gaps(text)]


def test_inflections_and_glue_are_covered() -> None:
    assert gap_words("Schedule your restaurant staff today") == []
    assert gap_words("Approve shift swaps from your phone now") == []


def test_new_words_and_names_are_gaps() -> None:
    assert gap_words("Scheduling software for hospitals") == ["hospitals"]
    assert gap_words("Trusted by NASA") == ["NASA"]
    assert "Copper Grocers" in gap_words("Loved by Copper Grocers and friends")


def test_questions_assert_nothing_but_title_case_is_not_a_name() -> None:
    assert gap_words("Looking for a simpler way to handle payroll?") == []
    assert gap_words("Shift Swaps From Your Phone") == []


def test_language_guess() -> None:
    assert guess_language("Die Laugenbrezeln sind ein Traum") == "de"
    assert guess_language("Des soins dentaires doux pour toute la famille") == "fr"
    assert guess_language("Reparamos tu bicicleta en el centro de Bilbao") == "es"
    assert guess_language("Book a demo with our team") == "en"
