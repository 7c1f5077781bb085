"""Rules every on-image headline obeys, written once for the copy and compose stages.

The copy stage's `HeadlineJudge` turns candidates down with these rules, and the compose stage
applies the same rules when it picks what goes on the picture, so compose never replaces a
headline copy judged fine (nor keeps one copy would have turned down).

- A headline is short: at most `MAX_HEADLINE_WORDS` words (read in a second on a feed).
- It is never a *cut tagline*: the tagline's words with words missing so that it no longer
  reads ("Roasted Tuesday" of "Roasted to order every Tuesday", "Coffee worth waking" of "Coffee
  worth waking up for"). A phrase of the tagline that stands on its own is fine ("Handmade
  stoneware" of "Handmade stoneware for slow mornings").
- A supporting line (subline, description, the body's opening) never says the headline again.

Phrase boundaries are read from punctuation and the closed function-word lists of
`brandtruth.claims.words` (en, de, fr, es, it, nl, pt, taken together: a tagline's language is
not always known, and the lists rarely collide on a tagline's boundary words). Scripts written
without spaces are compared as whole clauses only.
"""

from __future__ import annotations

import re
from functools import lru_cache

from brandtruth.claims.words import FUNCTION_WORDS

MAX_HEADLINE_WORDS = 7

# Words as a reader counts them: "4.8/5" splits, but "$149", "40%" and "we're" stay whole.
_WORD = re.compile(r"[\w'’%$€£]+", re.UNICODE)
# Punctuation that closes a phrase: a tagline cut there leaves a phrase that reads.
_BREAK = re.compile(r"[,;:.!?…|–—()\[\]/、。，；：！？「」]|\s-\s")

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
    os as um umas na nas da dos das ao seu sua seus suas nosso nossa"""
_CONNECTORS: frozenset[str] = frozenset(_CONNECTOR_WORDS.split())


def words(text: str) -> list[str]:
    """The lower-cased words of `text`, as the rules compare them."""
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=512)
def _tokens(tagline: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """The text's words, and for each whether punctuation closes a phrase right after it."""
    found = list(_WORD.finditer(tagline))
    tokens = tuple(m.group(0).lower() for m in found)
    breaks = tuple(
        bool(_BREAK.search(tagline[m.end() : found[i + 1].start() if i + 1 < len(found) else len(tagline)]))
        for i, m in enumerate(found)
    )
    return tokens, breaks


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
    if tokens[end] not in _FUNCTION:
        return False
    for i in range(end, len(tokens)):
        if tokens[i] not in _FUNCTION:
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
    positions: list[int] = []
    at = 0
    for w in mine:
        try:
            at = tokens.index(w, at) + 1
        except ValueError:
            return False  # not the tagline's words in order: another line, not a cut
        positions.append(at - 1)
    start, end = positions[0], positions[-1] + 1
    most = len(mine) >= 0.75 * len(tokens)
    if end - start > len(mine):
        return not most  # words cut from inside it
    if not _clean_end(tokens, breaks, end):
        return True
    return not most and not _clean_start(tokens, breaks, start)


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
