"""Rules every on-image headline obeys, written once for the copy and compose stages.

The copy stage's `HeadlineJudge` turns candidates down with these rules, and the compose stage
applies the same rules when it picks what goes on the picture, so compose never replaces a
headline copy judged fine (nor keeps one copy would have turned down).

- A headline is short: at most `MAX_HEADLINE_WORDS` words (read in a second on a feed).
- It is never a *cut tagline*: the tagline's words with words missing so that it no longer
  reads ("Roasted Tuesday" of "Roasted to order every Tuesday", "Coffee worth waking" of "Coffee
  worth waking up for"). A phrase of the tagline that stands on its own is fine ("Handmade
  stoneware" of "Handmade stoneware for slow mornings").
- The same holds for every other sentence a headline may be drawn from (claims, value
  propositions, descriptions, hero text, testimonials): `SourceSentences` judges a headline
  against all of them, so "Small-batch specialty coffee, roasted" (of "…, roasted to order in
  Duluth.") is as much a cut as a cut tagline. A headline that is one of those sentences, or a
  wording the writer was given for one (`exact`), is never a cut.
- A supporting line (subline, description, the body's opening) never says the headline again.

Phrase boundaries are read from punctuation and the closed function-word lists of
`brandtruth.claims.words` (en, de, fr, es, it, nl, pt, taken together: a tagline's language is
not always known, and the lists rarely collide on a tagline's boundary words). Scripts written
without spaces are compared as whole clauses only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from brandtruth.claims.words import FUNCTION_WORDS
from brandtruth.models.brand import BrandProfile

MAX_HEADLINE_WORDS = 7

# Words as a reader counts them: "4.8/5" splits, but "$149", "40%" and "we're" stay whole.
_WORD = re.compile(r"[\w'’%$€£]+", re.UNICODE)
# Punctuation that closes a phrase: a tagline cut there leaves a phrase that reads.
_BREAK = re.compile(r"[,;:.!?…|–—()\[\]/·•★、。，；：！？「」]|\s-\s")

_FUNCTION: frozenset[str] = frozenset().union(*FUNCTION_WORDS.values())
# Words that need what follows them: a phrase ending on one dangles ("Handmade stoneware for").
# Articles, prepositions, conjunctions, possessives and relatives, not pronouns or adverbs that
# may close a phrase ("Made for you", "Do more"); words that end phrases in another language too
# (pt "no", "do": "Never say no", "What we do") are left out.
_CONNECTOR_WORDS = """a an the and or but nor of to for with without in on at by from into onto over under
    via per than that which who whose where when while your our their my his its every each
    der die das den dem des ein eine einen einem einer eines und oder aber mit ohne für von vom zu
    zum zur im in am an auf aus bei beim nach über unter vor durch um bis seit ihr ihre unser unsere
    dein deine jeder jede jedes als dass
    le la les l un une des du de d et ou mais avec sans pour par en au aux à dans sur sous chez vers
    qui que qu votre vos notre nos leur leurs chaque
    el los las lo una unos unas y e o u pero con sin para por al del entre hasta desde tu tus su sus
    nuestro nuestra nuestros nuestras cada
    il gli i uno di da su per tra fra ma della dei delle alla ai tuo tua nostro nostra ogni
    het een van naar op aan bij uit door onder jouw uw onze elke
    os as um umas na nas da dos das ao em com sem pelo pela pelos pelas seu sua seus suas nosso nossa"""
_CONNECTORS: frozenset[str] = frozenset(_CONNECTOR_WORDS.split())
# Prepositions that open a trailing modifier but are not in the function-word lists (those hold
# the commonest words only): a phrase may stop before one ("Over 9,000 homes served | since 2006",
# "Plus de 3 400 professionnels formés | depuis 2019").
_MODIFIER_WORDS = """since across through throughout during after before until within around near beyond inside
    outside along among against toward towards behind
    seit während ab gegen innerhalb außerhalb ohne
    depuis pendant après avant dès jusqu entre contre selon partout
    durante después antes tras según desde hacia
    dopo prima entro senza verso presso
    sinds tijdens na binnen buiten tot tegen
    após até antes desde durante"""
_OPENERS: frozenset[str] = _FUNCTION | frozenset(_MODIFIER_WORDS.split())
# Punctuation inside a number ("9,000", "4.8/5", "24/7") closes no phrase.
_IN_NUMBER = re.compile(r"[.,/:]")


def words(text: str) -> list[str]:
    """The lower-cased words of `text`, as the rules compare them."""
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=4096)
def _tokens(tagline: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """The text's words, and for each whether punctuation closes a phrase right after it."""
    found = list(_WORD.finditer(tagline))
    tokens = tuple(m.group(0).lower() for m in found)

    def closes(i: int) -> bool:
        gap = tagline[found[i].end() : found[i + 1].start() if i + 1 < len(found) else len(tagline)]
        if (
            i + 1 < len(found)
            and _IN_NUMBER.fullmatch(gap)
            and tokens[i][-1:].isdigit()
            and tokens[i + 1][:1].isdigit()
        ):
            return False
        return bool(_BREAK.search(gap))

    return tokens, tuple(closes(i) for i in range(len(found)))


def _clean_end(tokens: tuple[str, ...], breaks: tuple[bool, ...], end: int) -> bool:
    """Whether a phrase of the tagline may stop before word `end`: it does not end on a connector,
    and what it leaves out starts a phrase of its own (after punctuation, or at a function word
    followed by a content word before the clause ends: "for slow mornings", not "up for"). One
    word of a clause that goes on is no phrase."""
    if end >= len(tokens):
        return True
    if tokens[end - 1] in _CONNECTORS:
        return False
    if breaks[end - 1]:
        return True
    if end == 1 or breaks[end - 2]:
        return False  # a lone word of a clause the text goes on with ("…, roasted" of "…, roasted to order")
    if tokens[end] not in _OPENERS:
        return False
    for i in range(end, len(tokens)):
        if tokens[i] not in _OPENERS:
            return True
        if breaks[i]:
            return False
    return False


def phrase_ends_after(text: str, count: int) -> bool:
    """Whether the first `count` words of `text` end a phrase, so the rest can be read on its own
    ("Tacoma's trusted plumbers | , day or night", "Free shipping | on orders over €50"), not
    mid-phrase ("Power your | home")."""
    tokens, breaks = _tokens(text)
    return 0 < count <= len(tokens) and _clean_end(tokens, breaks, count)


def _clean_start(tokens: tuple[str, ...], breaks: tuple[bool, ...], start: int) -> bool:
    """Whether a phrase of the tagline may begin at word `start`: after punctuation, after a
    function word ("slow mornings" after "for"), or at one ("for slow mornings")."""
    return start == 0 or breaks[start - 1] or tokens[start - 1] in _FUNCTION or tokens[start] in _FUNCTION


def _positions(mine: list[str], tokens: tuple[str, ...]) -> list[int] | None:
    """Where `mine` occurs in `tokens` in order (first fit), or None."""
    positions: list[int] = []
    at = 0
    for w in mine:
        try:
            at = tokens.index(w, at) + 1
        except ValueError:
            return None
        positions.append(at - 1)
    return positions


def is_cut_tagline(text: str, tagline: str) -> bool:
    """Whether `text` is the tagline cut down so that it no longer reads.

    Only text made of the tagline's words in order is judged. It is a cut tagline when:
    - words are missing from inside it and a quarter or more of the tagline is gone ("Roasted
      Tuesday" of "Roasted to order every Tuesday"; dropping one word of seven is an edit), or
    - it is a run of the tagline that ends mid-phrase: on a connector ("Handmade stoneware for"),
      before a word that continues the phrase ("Coffee" of "Coffee worth waking up for"), or
      before a tail of function words only ("Coffee worth waking" of "... waking up for"), or
    - it is a run that starts mid-phrase and leaves out a quarter or more of the tagline
      ("mornings" of "Handmade stoneware for slow mornings").
    """
    mine = words(text)
    tokens, breaks = _tokens(tagline)
    if not mine or not tokens or tuple(mine) == tokens:
        return False
    positions = _positions(mine, tokens)
    if positions is None:
        return False  # not the tagline's words in order: another line, not a cut
    start, end = positions[0], positions[-1] + 1
    most = len(mine) >= 0.75 * len(tokens)
    if end - start > len(mine):
        return not most  # words cut from inside it
    if not _clean_end(tokens, breaks, end):
        return True
    return not most and not _clean_start(tokens, breaks, start)


# Sentence ends: the quarter-of-the-sentence rule is read per sentence, not per paragraph.
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")
_RATING_WORDS = re.compile(
    r"(\d(?:[.,]\d)?)\s+(?:out of|of|von|sur|de|su|van|em)\s+(5|10)\b"
    r"(\s+(?:stars?|sterne|étoiles|estrellas|stelle|sterren|estrelas)\b)?",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)


def source_sentences(texts: Iterable[str]) -> list[str]:
    """The sentences of `texts` (markup dropped, as the reader never sees it), each once."""
    out: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        if "<" in text:
            text = _MARKUP.sub(" ", text)
        for part in _SENTENCE_END.split(text):
            part = " ".join(part.split())
            if part:
                out.setdefault(part, None)
                # A rating as the writer words it: "Rated 4.8/5 on G2" of "Rated 4.8 out of 5 on G2".
                out.setdefault(_RATING_WORDS.sub(r"\1/\2\3", part), None)
                out.setdefault(_RATING_WORDS.sub(r"\1/\2", part), None)
    return list(out)


def site_sentences(profile: BrandProfile) -> list[str]:
    """What the site says that a headline may be drawn from: tagline, description, value
    propositions, claims and the quotes they rest on, testimonials, customer counts."""
    sp = profile.social_proof
    texts = [profile.tagline, profile.description, *profile.value_propositions]
    for claim in profile.claims:
        texts += [claim.text, *(e.quote for e in claim.evidence)]
    texts += [t.quote for t in sp.testimonials]
    texts += [c.text for c in sp.customer_counts]
    return source_sentences(texts)


class SourceSentences:
    """Every sentence a headline may be drawn from, to judge whether it is a cut of one of them.

    A word index keeps this cheap: only sentences holding all of the headline's words are read.
    """

    def __init__(self, sentences: Iterable[str], exact: Iterable[str] = ()) -> None:
        self.sentences = source_sentences(sentences)
        self._index: dict[str, set[int]] = {}
        for i, sentence in enumerate(self.sentences):
            for w in words(sentence):
                self._index.setdefault(w, set()).add(i)
        # Whole sentences and the writer's own wordings of them ("Rated 4.8/5"): never a cut.
        self._whole = {tuple(words(t)) for t in [*self.sentences, *source_sentences(exact), *exact]}

    def cut_of(self, text: str) -> str | None:
        """The source sentence `text` is a cut of (see `is_cut_tagline`), or None."""
        mine = words(text)
        if not mine or tuple(mine) in self._whole:
            return None
        found: set[int] | None = None
        for w in set(mine):
            hits = self._index.get(w)
            if not hits:
                return None  # a word of its own: not a piece of any one sentence
            found = set(hits) if found is None else found & hits
            if not found:
                return None
        # Drawn from whichever sentence it reads as a phrase of ("Licensed and insured" of
        # "Licensed and insured: …"), it is no cut of another that happens to hold the same words
        # ("… is a licensed and insured plumber").
        cut: str | None = None
        for i in sorted(found or ()):
            sentence = self.sentences[i]
            if _positions(mine, _tokens(sentence)[0]) is None:
                continue
            if not is_cut_tagline(text, sentence):
                return None
            cut = cut or sentence
        return cut


def repeats(a: str, b: str) -> bool:
    """Whether `b` says what `a` says: 70 % or more of the shorter one's words are in the other
    ("Plan your delivery routes in minutes!" under "Plan delivery routes in minutes")."""
    wa, wb = set(words(a)), set(words(b))
    return bool(wa and wb) and len(wa & wb) >= 0.7 * min(len(wa), len(wb))


def opens_with(line: str, headline: str) -> bool:
    """Whether `line` (a body, a description) opens with the headline's words, so a reader meets
    them twice in a row ("Power your home" over "Power your home with sunshine. …")."""
    head, body = words(headline), words(line)
    return bool(head) and body[: len(head)] == head
