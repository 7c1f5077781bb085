"""Lexical relevance of an image's text context to a copy variant.

Images on a brand site come with words around them (alt text, caption, file name, the heading
and paragraph they sit under). A TF-IDF model fitted on all candidate documents and all variants
of the run scores how much of a variant's copy those words share, with sublinear term frequency
and a light suffix stemmer so "runners"/"running"/"run" meet. Fitting on the whole run (not one
variant) keeps the scores identical in every per-variant activity.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from brandtruth.models.copy import Angle, CopyVariant

_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_SUFFIXES = ("ingly", "edly", "ness", "ment", "ings", "ing", "ers", "ies", "ied", "est", "ed", "er", "es", "ly", "s")
_NOISE = {
    "img",
    "image",
    "jpg",
    "jpeg",
    "png",
    "webp",
    "gif",
    "svg",
    "photo",
    "pic",
    "hero",
    "banner",
    "copy",
    "final",
    "large",
    "small",
    "thumb",
    "thumbnail",
    "resized",
    "scaled",
    "min",
    "web",
    "www",
    "https",
    "http",
    "com",
    "cdn",
    "assets",
    "uploads",
    "static",
    "media",
    "files",
}

#: Extra query words per angle: images of people suit social proof, products suit features.
ANGLE_HINTS: dict[Angle, str] = {
    Angle.SOCIAL_PROOF: "customer customers people team happy review testimonial",
    Angle.FEATURE: "product feature detail",
    Angle.BENEFIT: "",
    Angle.PROBLEM_SOLUTION: "",
    Angle.OFFER: "product",
    Angle.CURIOSITY: "",
}


def stem(word: str) -> str:
    """A deliberately small suffix stripper: enough to join plural and -ing forms."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case words, stop words and file-name noise removed, stemmed."""
    out: list[str] = []
    for match in _WORD.finditer(text.lower()):
        word = match.group(0)
        if word in ENGLISH_STOP_WORDS or word in _NOISE:
            continue
        out.append(stem(word))
    return out


def filename_words(url: str) -> str:
    """Words of the last path segment of an image URL ('/img/trail-runner_02.jpg' -> 'trail runner')."""
    try:
        name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    except ValueError:
        return ""
    name = name.rsplit(".", 1)[0]
    words = [w for w in re.split(r"[\s\-_.+,]+", name) if w.isalpha() and len(w) > 1]
    # Hash-like segments ('a8f3c9e1') are not words.
    return " ".join(w for w in words if not (len(w) >= 8 and sum(ch in "aeiou" for ch in w.lower()) <= 1))


def variant_query(variant: CopyVariant) -> str:
    """The words of a variant that an image should echo; the headline counts double."""
    parts = [variant.headline, variant.headline, variant.primary_text, variant.description]
    parts.extend(variant.headlines[:3])
    parts.append(ANGLE_HINTS.get(variant.angle, ""))
    return " ".join(p for p in parts if p)


def relevance_matrix(queries: list[str], documents: list[str]) -> npt.NDArray[np.float64]:
    """Cosine similarity (queries x documents) in [0, 1]; zeros when there is no shared vocabulary."""
    if not queries or not documents:
        return np.zeros((len(queries), len(documents)))
    corpus = documents + queries
    if not any(tokenize(doc) for doc in corpus):
        return np.zeros((len(queries), len(documents)))
    vectorizer = TfidfVectorizer(tokenizer=tokenize, lowercase=False, token_pattern=None, sublinear_tf=True, norm="l2")
    matrix = vectorizer.fit_transform(corpus)
    docs = matrix[: len(documents)]
    qs = matrix[len(documents) :]
    sims = np.asarray((qs @ docs.T).toarray(), dtype=np.float64)
    out: npt.NDArray[np.float64] = np.clip(sims, 0.0, 1.0)
    return out
