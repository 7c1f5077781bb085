"""The copy stage's cue lists read kinds of sentence, not one fixture's words."""

from __future__ import annotations

import pytest

from brandtruth.stages.copy.fragments import _PAIN_WORDS, _PRAISE


@pytest.mark.parametrize(
    "text",
    [
        "Burst pipes and sewage backups, any hour, same flat rates.",
        "Frozen pipes at 3am? We answer the phone.",
        "Clogged drains slow your whole house down.",
        "Spreadsheets break at the worst moment.",
        "Tired of no-shows eating your afternoon?",
    ],
)
def test_problem_sentences_are_pain(text: str) -> None:
    assert _PAIN_WORDS.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "Automatic daily backups to a second region.",
        "A burst of citrus in every cup.",
        "Plans for teams of every size.",
    ],
)
def test_features_and_flavour_are_not_pain(text: str) -> None:
    assert not _PAIN_WORDS.search(text)


def test_praise_is_judgement_or_a_cost_that_fell_not_scene_setting() -> None:
    assert _PRAISE.search("Overtime dropped the first month we switched.")
    assert _PRAISE.search("My favourite coffee, hands down.")
    assert not _PRAISE.search("Water heater died on a Sunday night.")
