"""The numpy TF-IDF gives scikit-learn's TfidfVectorizer numbers (without importing it in a worker)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as SKLEARN_STOP_WORDS
from sklearn.feature_extraction.text import TfidfVectorizer

from brandtruth.stages.match.relevance import ENGLISH_STOP_WORDS, relevance_matrix, tokenize

WORDS = [
    "trail",
    "running",
    "shoes",
    "runner",
    "coffee",
    "roastery",
    "bikes",
    "mountain",
    "city",
    "delivery",
    "routes",
    "planning",
    "team",
    "customers",
    "happy",
    "dashboard",
    "alerts",
    "integrations",
    "office",
    "map",
    "fresh",
    "bread",
    "bakery",
    "morning",
    "bake",
]


def sklearn_matrix(queries: list[str], documents: list[str]) -> np.ndarray:
    vectorizer = TfidfVectorizer(tokenizer=tokenize, lowercase=False, token_pattern=None, sublinear_tf=True, norm="l2")
    matrix = vectorizer.fit_transform(documents + queries)
    sims = (matrix[len(documents) :] @ matrix[: len(documents)].T).toarray()
    clipped: np.ndarray = np.clip(sims, 0.0, 1.0)
    return clipped


def test_stop_words_are_scikit_learns() -> None:
    assert ENGLISH_STOP_WORDS == SKLEARN_STOP_WORDS


@pytest.mark.parametrize("seed", range(8))
def test_same_cosines_as_scikit_learn(seed: int) -> None:
    rng = np.random.default_rng(seed)

    def text(n: int) -> str:
        return " ".join(str(w) for w in rng.choice(WORDS, n)) + " the and of"

    documents = [text(int(rng.integers(1, 12))) for _ in range(int(rng.integers(1, 30)))]
    documents.append("img_0042.jpg")  # nothing left after tokenising: a zero row
    queries = [text(int(rng.integers(3, 25))) for _ in range(3)]
    ours = relevance_matrix(queries, documents)
    assert ours.shape == (3, len(documents))
    np.testing.assert_allclose(ours, sklearn_matrix(queries, documents), rtol=0, atol=1e-12)
