"""The CTA button table: every platform's buttons labelled in every language, and read back exactly."""

from __future__ import annotations

import pytest

from brandtruth.platforms import CTA_LANGUAGES, PLATFORM_SPECS, cta_button, cta_label

BUTTONS = sorted({button for spec in PLATFORM_SPECS.values() for button in spec.ctas})


@pytest.mark.parametrize("language", CTA_LANGUAGES)
def test_every_button_reads_back_from_its_label(language: str) -> None:
    for button in BUTTONS:
        label = cta_label(button, language)
        assert cta_button(label) == button, (language, button, label)
        if language != "en":
            assert cta_button(label.upper()) == button  # localised labels are matched case-insensitively


def test_labels_are_localised_and_english_is_the_button_name() -> None:
    assert cta_label("Book Now", "de") == "Jetzt buchen"
    assert cta_label("Book Now", "pt-BR") == "Reservar agora"
    for button in BUTTONS:
        assert cta_label(button, "en") == button
        assert all(cta_label(button, language) != button for language in CTA_LANGUAGES if language != "en")


def test_unknown_languages_and_labels_fall_back_unchanged() -> None:
    assert cta_label("Book Now", "ja") == "Book Now"
    assert cta_label("Not A Button", "de") == "Not A Button"
    assert cta_button("Mehr erfahren und so") == "Mehr erfahren und so"
