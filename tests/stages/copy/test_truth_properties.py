"""Property tests of the truth gate: any invented number (digits or words) or unknown name inserted
into a supported line makes it unsupported."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from brandtruth.stages.copy.grounding import SupportIndex
from brandtruth.stages.copy.verdict import check_line
from tests.support.copy_builders import rich_profile

PROFILE = rich_profile()
INDEX = SupportIndex(PROFILE, allow_high_risk=False)
SUPPORTED = [
    "Book meetings in seconds, not emails",
    "Scheduling that runs itself",
    "Trusted by 12,000+ teams",
    "Rated 4.8/5 on G2",
    "Two-way calendar sync with Google and Outlook",
]
_ALL_TEXT = PROFILE.model_dump_json().lower()
_EVIDENCE_NUMBERS = {int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", _ALL_TEXT) if n.replace(",", "")}

_ONES = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
    *("thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def english(n: int) -> str:
    """An independent number speller (not the gate's parser) for 0 ≤ n < 1,000,000."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + english(rest))
    rest = n % 1000
    return english(n // 1000) + " thousand" + ("" if rest == 0 else " " + english(rest))


def test_supported_lines_are_supported() -> None:
    for line in SUPPORTED:
        verdict = check_line(INDEX, line)
        assert verdict.verdict == "supported", (line, verdict.issues)


def _insert(line: str, at: int, words: str) -> str:
    parts = line.split(" ")
    at = at % (len(parts) + 1)
    return " ".join([*parts[:at], words, *parts[at:]])


@settings(max_examples=150, deadline=None)
@given(
    line=st.sampled_from(SUPPORTED),
    n=st.integers(2, 999_999),
    spelled=st.booleans(),
    noun=st.sampled_from(["teams", "meetings", "", "hours", "percent"]),
    at=st.integers(0, 12),
)
def test_an_invented_number_makes_a_line_unsupported(line: str, n: int, spelled: bool, noun: str, at: int) -> None:
    assume(n not in _EVIDENCE_NUMBERS)
    number = english(n) if spelled else f"{n:,}"
    text = _insert(line, at, f"{number} {noun}".strip())
    assert check_line(INDEX, text).verdict != "supported", text


_NAME = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=3, max_size=5).flatmap(
    lambda consonants: st.just("".join(c + v for c, v in zip(consonants, "aeiouy" * 2, strict=False)))
)


@settings(max_examples=150, deadline=None)
@given(
    line=st.sampled_from(SUPPORTED),
    name=_NAME,
    suffix=st.sampled_from(["", " Labs", " Group", " Health"]),
    lead=st.sampled_from(["with", "for", "by", "at", "and"]),
    at=st.integers(0, 12),
)
def test_an_unknown_name_makes_a_line_unsupported(line: str, name: str, suffix: str, lead: str, at: int) -> None:
    entity = name.capitalize() + suffix
    assume(name.lower() not in _ALL_TEXT)
    text = _insert(line, at, f"{lead} {entity}")
    verdict = check_line(INDEX, text)
    assert verdict.verdict != "supported", text
    assert any(i.cls in {"entity", "content"} for i in verdict.issues), (text, verdict.issues)
