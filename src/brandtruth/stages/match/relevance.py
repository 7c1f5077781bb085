"""Lexical relevance of an image's text context to a copy variant.

Images on a brand site come with words around them (alt text, caption, file name, the heading
and paragraph they sit under). A TF-IDF model fitted on all candidate documents and all variants
of the run scores how much of a variant's copy those words share, with sublinear term frequency
and a light suffix stemmer so "runners"/"running"/"run" meet. Fitting on the whole run (not one
variant) keeps the scores identical in every per-variant activity.

The model is scikit-learn's `TfidfVectorizer` (smooth idf, sublinear tf, l2 norm) written out in
numpy for a corpus of a few dozen short documents, with its English stop-word list: importing
scikit-learn's text module costs a worker ~80 MB of memory for what is a few lines here (the
tests compare both on the same corpora).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import numpy as np
import numpy.typing as npt

from brandtruth.models.copy import Angle, CopyVariant

#: scikit-learn's ENGLISH_STOP_WORDS (318 words, from the Glasgow Information Retrieval Group).
_STOP_WORDS = (
    "a about above across after afterwards again against all almost alone along already also although "
    "always am among amongst amoungst amount an and another any anyhow anyone anything anyway "
    "anywhere are around as at back be became because become becomes becoming been before beforehand "
    "behind being below beside besides between beyond bill both bottom but by call can cannot cant co "
    "con could couldnt cry de describe detail do done down due during each eg eight either eleven "
    "else elsewhere empty enough etc even ever every everyone everything everywhere except few "
    "fifteen fifty fill find fire first five for former formerly forty found four from front full "
    "further get give go had has hasnt have he hence her here hereafter hereby herein hereupon hers "
    "herself him himself his how however hundred i ie if in inc indeed interest into is it its itself "
    "keep last latter latterly least less ltd made many may me meanwhile might mill mine more "
    "moreover most mostly move much must my myself name namely neither never nevertheless next nine "
    "no nobody none noone nor not nothing now nowhere of off often on once one only onto or other "
    "others otherwise our ours ourselves out over own part per perhaps please put rather re same see "
    "seem seemed seeming seems serious several she should show side since sincere six sixty so some "
    "somehow someone something sometime sometimes somewhere still such system take ten than that the "
    "their them themselves then thence there thereafter thereby therefore therein thereupon these "
    "they thick thin third this those though three through throughout thru thus to together too top "
    "toward towards twelve twenty two un under until up upon us very via was we well were what "
    "whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever "
    "whether which while whither who whoever whole whom whose why will with within without would yet "
    "you your yours yourself yourselves"
)
ENGLISH_STOP_WORDS = frozenset(_STOP_WORDS.split())
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
    matrix = tfidf_rows([tokenize(doc) for doc in corpus])
    docs = matrix[: len(documents)]
    qs = matrix[len(documents) :]
    sims = qs @ docs.T
    out: npt.NDArray[np.float64] = np.clip(sims, 0.0, 1.0)
    return out


def tfidf_rows(token_lists: list[list[str]]) -> npt.NDArray[np.float64]:
    """One l2-normalised row per document: (1 + ln tf) x (ln((1 + n) / (1 + df)) + 1)."""
    vocabulary: dict[str, int] = {}
    for tokens in token_lists:
        for t in tokens:
            vocabulary.setdefault(t, len(vocabulary))
    counts = np.zeros((len(token_lists), len(vocabulary)), dtype=np.float64)
    for row, tokens in enumerate(token_lists):
        for t in tokens:
            counts[row, vocabulary[t]] += 1.0
    n = len(token_lists)
    df = np.count_nonzero(counts, axis=0)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    present = counts > 0
    weights = np.zeros_like(counts)
    weights[present] = np.log(counts[present]) + 1.0
    weights *= idf
    norms = np.sqrt((weights**2).sum(axis=1, keepdims=True))
    rows: npt.NDArray[np.float64] = np.divide(weights, norms, out=np.zeros_like(weights), where=norms > 0)
    return rows
