"""Words of a line: tokens, the closed lists of ad glue words, light stemming, a language guess.

Content coverage asks whether every content word of an ad line occurs in the site's evidence.
"Content" is everything but a small closed list per language: articles, prepositions, pronouns,
auxiliaries, conjunctions, and the ad glue any advertiser may add without stating a fact (CTA
verbs such as "book", "try", "discover"; "today", "now", "here"). Words are compared by Snowball
stem in every supported language, so "schedules" matches "scheduling" and "soignés" "soins"
needs no dictionary and nothing is downloaded.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

import snowballstemmer  # type: ignore[import-untyped]

LANGS = ("en", "de", "fr", "es", "it", "nl", "pt")
_STEMMER_NAMES = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "nl": "dutch",
    "pt": "portuguese",
}
_LOCAL = threading.local()


def _stemmer(lang: str) -> Any:
    """This thread's Snowball stemmer for `lang` (a stemmer object keeps state: not shareable)."""
    found: dict[str, Any] | None = getattr(_LOCAL, "stemmers", None)
    if found is None:
        found = {}
        _LOCAL.stemmers = found
    if lang not in found:
        found[lang] = snowballstemmer.stemmer(_STEMMER_NAMES[lang])
    return found[lang]


def stem_langs(*langs: str) -> tuple[str, ...]:
    """English plus the given languages, without repeats: whose stemmers compare a line with a site."""
    out = ["en"]
    for lang in langs:
        if lang in _STEMMER_NAMES and lang not in out:
            out.append(lang)
    return tuple(out)


def _ws(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words per language (also used for the language guess).
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _ws(
        """a an the and or but nor of to for with without in on at by from into onto over under up down
        out off about as via per than then that this these those there here it its is are was were be been
        being am do does did done has have had having can could will would shall should may might must
        not no yes so if when while where which who whom whose what why how you your yours yourself we us
        our ours they them their i me my he she him her his s t d ll re ve m o just only also too very
        every each all any some more most much many such own same other another both either neither"""
    ),
    "de": _ws(
        """der die das den dem des ein eine einen einem einer eines und oder aber mit ohne für von vom zu
        zum zur im in am an auf aus bei beim nach über unter vor hinter durch um bis seit ist sind war
        waren sein hat haben wird werden kann können soll sollen muss nicht kein keine ja so wenn wie
        was wer wo warum ihr ihre ihren ihrem ihrer ihres sie wir uns unser unsere unseren unserem
        unserer du dich dir dein deine es er man auch nur noch schon sehr alle jeder jede jedes mehr
        als dass daß diese dieser dieses denn doch"""
    ),
    "fr": _ws(
        """le la les l un une des du de d et ou mais avec sans pour par en au aux à a dans sur sous chez
        vers est sont être était ont avoir fait ce cet cette ces qui que qu quoi où comment pourquoi
        votre vos vous nous notre nos leur leurs ils elles il elle on se sa son ses ne pas plus moins
        très tout tous toute toutes même aussi y c s n j m t"""
    ),
    "es": _ws(
        """el la los las lo un una unos unas y e o u pero con sin para por en al del de a sobre bajo entre
        hasta desde es son ser está están era ha han hay tu tus te ti su sus nuestro nuestra nuestros
        nuestras nosotros vosotros usted ustedes que qué quien cuando donde cómo como porque no sí muy
        más menos todo todos toda todas mismo también se le les me mi mis"""
    ),
    "it": _ws(
        """il lo la i gli le un uno una di da in con su per tra fra e o ma del della dei delle al alla
        ai è sono essere ha hanno tuo tua tuoi vostro vostra nostro nostra noi voi che chi non più
        molto tutto tutti anche"""
    ),
    "nl": _ws(
        """de het een en of maar met zonder voor van naar in op aan bij uit door over onder is zijn was
        waren heeft hebben wordt worden kan kunnen je jouw jij u uw wij we ons onze hun die dat dit
        deze wat wie waar hoe niet geen ook nog meer alle elke"""
    ),
    "pt": _ws(
        """o a os as um uma uns umas e ou mas com sem para por em no na nos nas do da dos das de ao à
        é são ser está estão tem têm seu sua seus suas nosso nossa nossos nossas você vocês nós que
        quem quando onde como não sim muito mais menos todo todos toda todas também se"""
    ),
}

# Ad glue: calls to action, time words and filler that state no fact about the brand.
AD_GLUE: dict[str, frozenset[str]] = {
    "en": _ws(
        """get start started try book call shop order buy discover learn explore join see find visit sign
        contact download reserve request claim grab browse check read watch meet let make take give
        today now here yours soon ready go let's ask click tap come stop by away way more info made makes
        take look offers offer know met say hello yourself inside about numbers customers what use uses using"""
    ),
    "de": _ws(
        """jetzt heute hier entdecken entdecke entdeckt probieren probiere bestellen bestelle buchen buche
        anrufen ruf rufen besuchen besuche kaufen kaufe sichern sichere testen teste starten starte
        erfahren erfahre mehr kommen komm vorbei sehen sieh lernen finden finde informieren los"""
    ),
    "fr": _ws(
        """maintenant aujourd hui ici découvrez découvrir essayez essayer réservez réserver commandez
        commander appelez appeler prenez prendre profitez profiter visitez visiter venez venir
        contactez contacter achetez acheter inscrivez voir voyez trouvez trouver"""
    ),
    "es": _ws(
        """ahora hoy aquí ya descubre descubrir prueba probar reserva reservar pide pedir llama llamar
        compra comprar visita visitar ven venir contacta contactar encuentra encontrar mira"""
    ),
    "it": _ws("""ora oggi qui scopri prova prenota ordina chiama compra visita vieni contatta"""),
    "nl": _ws("""nu vandaag hier ontdek probeer boek bestel bel koop bezoek kom neem"""),
    "pt": _ws("""agora hoje aqui descubra experimente reserve peça ligue compre visite venha"""),
}

GLUE: frozenset[str] = frozenset().union(*FUNCTION_WORDS.values(), *AD_GLUE.values())

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def fold(text: str) -> str:
    """NFKC, lower case, typographic apostrophes straightened."""
    return unicodedata.normalize("NFKC", text).replace("’", "'").lower()


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Letter-only words with their offsets ("we'll" is one word, split at the apostrophe later)."""
    return [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]


def word_parts(word: str) -> list[str]:
    """A folded word split at apostrophes: "l'ordre" → ["l", "ordre"], "we'll" → ["we", "ll"]."""
    return [p for p in re.split(r"['’]", fold(word)) if p]


def is_glue(word: str) -> bool:
    return fold(word) in GLUE


@lru_cache(maxsize=65536)
def stems(word: str, langs: tuple[str, ...] = LANGS) -> frozenset[str]:
    """The word's Snowball stem in each of `langs` (and the folded word itself)."""
    w = fold(word)
    out = {w}
    for lang in langs:
        out.add(_stemmer(lang).stemWord(w))
    return frozenset(out)


_LANG_OF: dict[str, frozenset[str]] = {}
for _lang in LANGS:
    for _w in FUNCTION_WORDS[_lang] | AD_GLUE[_lang]:
        _LANG_OF[_w] = _LANG_OF.get(_w, frozenset()) | {_lang}
_PLAIN_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=16384)
def guess_language(text: str) -> str:
    """The supported language whose function words occur most in `text` ("en" on a tie or none)."""
    hits = dict.fromkeys(LANGS, 0)
    for w in _PLAIN_WORD.findall(fold(text)):
        for lang in _LANG_OF.get(w, ()):
            hits[lang] += 1
    best = max(LANGS, key=lambda lang: (hits[lang], lang == "en"))
    return best if hits[best] else "en"
