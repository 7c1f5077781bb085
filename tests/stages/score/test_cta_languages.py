"""cta_strength reads a platform button in the page's language as the button it is."""

from __future__ import annotations

import pytest

from brandtruth.platforms import CTA_LANGUAGES, cta_label
from brandtruth.stages.score.copy_factors import cta_strength

OTHER_LANGUAGES = [lang for lang in CTA_LANGUAGES if lang != "en"]


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_localised_buttons_score_like_their_english_buttons(language: str) -> None:
    book, learn = cta_label("Book Now", language), cta_label("Learn More", language)
    assert book != "Book Now"  # the table has a label for it
    # The label's own length still counts, so compare with the same length penalty removed.
    if len(book) <= 25:
        assert cta_strength(book)[0] == cta_strength("Book Now")[0]
    # "Mehr dazu" is as generic as "Learn more": below a booking button in the same language.
    assert cta_strength(learn)[0] < cta_strength(book)[0]


def test_german_booking_button_is_an_action_not_an_unknown_phrase() -> None:
    value, reason = cta_strength("Jetzt buchen")
    assert value >= 0.7, reason
    assert "Jetzt buchen" in reason
