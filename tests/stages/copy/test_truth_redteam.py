"""The truth gate against the red-team corpus (issue 12), on profiles the real extractor builds.

Targets: no invented line is "supported", every blocked-class line is "blocked", at least 97 %
of the true lines are "supported". The corpus was written from categories before the gate was
tuned (see redteam/README.md); failures are printed so a regression names its lines.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

import pytest

from brandtruth.claims.risk import RiskClass
from brandtruth.models.brand import BrandProfile
from brandtruth.stages.copy.grounding import SupportIndex
from brandtruth.stages.copy.verdict import LineVerdict, check_line
from tests.support.redteam import CorpusLine, extract_site, load_corpus

pytestmark = pytest.mark.timeout(240)

CORPUS = load_corpus()
SITES = sorted({row.site for row in CORPUS})


@pytest.fixture(scope="module")
async def verdicts() -> AsyncIterator[list[tuple[CorpusLine, LineVerdict]]]:
    profiles: dict[str, BrandProfile] = {name: await extract_site(name) for name in SITES}
    indexes = {name: SupportIndex(p, allow_high_risk=False) for name, p in profiles.items()}
    yield [(row, check_line(indexes[row.site], row.text)) for row in CORPUS]


def _report(failed: list[tuple[CorpusLine, LineVerdict]]) -> str:
    return "\n".join(
        f"[{row.site}/{row.category}] {row.text!r} -> {v.verdict}: " + "; ".join(f"{i.cls}:{i.span}" for i in v.issues)
        for row, v in failed
    )


def test_corpus_has_the_required_breadth() -> None:
    counts = Counter(row.expect for row in CORPUS)
    assert counts["invented"] >= 300 and counts["supported"] >= 150
    assert len(SITES) >= 6
    assert len({row.lang for row in CORPUS}) >= 3
    assert len({row.lang for row in CORPUS if row.expect == "supported"}) >= 3
    categories = {row.category for row in CORPUS}
    wanted = {"health", "financial", "guarantee", "endorsement", "press", "rating", "review_count", "award"}
    wanted |= {"certification", "absolute", "comparative", "superlative", "number_words", "entity", "feature"}
    wanted |= {"outcome", "paraphrase"}
    assert wanted <= categories, wanted - categories
    assert {c.value for c in RiskClass} - {"offer"} <= categories | {"health", "financial"}


def test_no_invented_line_is_supported(verdicts: list[tuple[CorpusLine, LineVerdict]]) -> None:
    failed = [(r, v) for r, v in verdicts if r.expect in {"invented", "blocked"} and v.verdict == "supported"]
    assert not failed, _report(failed)


def test_every_blocked_class_line_is_blocked(verdicts: list[tuple[CorpusLine, LineVerdict]]) -> None:
    failed = [(r, v) for r, v in verdicts if r.expect == "blocked" and v.verdict != "blocked"]
    assert not failed, _report(failed)


def test_true_lines_are_supported(verdicts: list[tuple[CorpusLine, LineVerdict]]) -> None:
    true_lines = [(r, v) for r, v in verdicts if r.expect == "supported"]
    failed = [(r, v) for r, v in true_lines if v.verdict != "supported"]
    rate = 1 - len(failed) / len(true_lines)
    assert rate >= 0.97, f"{rate:.1%} supported; failing:\n{_report(failed)}"


def test_every_issue_names_its_span_and_class(verdicts: list[tuple[CorpusLine, LineVerdict]]) -> None:
    for row, v in verdicts:
        for issue in v.issues:
            assert issue.span and issue.span in row.text, (row.text, issue)
            assert issue.cls and issue.reason
        if v.verdict == "supported":
            assert not v.issues
