"""Spelled-out numbers, rewritten as digits so one number grammar serves every language.

"Save up to forty percent" → "Save up to 40%", "nine out of ten" → "9 out of 10", "twelve
thousand" → "12000", "zehnmal schneller" → "10x schneller", "la mitad" → "la 0.5x", "deux fois"
→ "2x". The digit scanner of the copy gate then treats the spelled and the written forms alike,
on the site's evidence and in the copy. `Rewrite.origin` maps an offset of the rewritten text
back to the original, so issues still quote the words the writer used.

A lone "one"/"a"/"ein"/"un" is not rewritten ("all in one place" states no number), and words
that are numbers only in some languages ("once", "due", "neuf", "cent") count only when the text
is in that language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from brandtruth.claims.words import guess_language


def _table(spec: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in spec.split():
        word, value = item.split("=")
        out[word] = int(value)
    return out


# Morphemes per language: word=value. Values ≥ 100 marked in _SCALES multiply what precedes them.
_WORDS: dict[str, dict[str, int]] = {
    "en": _table(
        """zero=0 one=1 two=2 three=3 four=4 five=5 six=6 seven=7 eight=8 nine=9 ten=10 eleven=11
        twelve=12 thirteen=13 fourteen=14 fifteen=15 sixteen=16 seventeen=17 eighteen=18 nineteen=19
        twenty=20 thirty=30 forty=40 fourty=40 fifty=50 sixty=60 seventy=70 eighty=80 ninety=90
        hundred=100 thousand=1000 million=1000000 billion=1000000000 dozen=12"""
    ),
    "de": _table(
        """null=0 ein=1 eins=1 eine=1 einen=1 zwei=2 zwo=2 drei=3 vier=4 fünf=5 sechs=6 sieben=7 acht=8
        neun=9 zehn=10 elf=11 zwölf=12 dreizehn=13 vierzehn=14 fünfzehn=15 sechzehn=16 siebzehn=17
        achtzehn=18 neunzehn=19 zwanzig=20 dreißig=30 dreissig=30 vierzig=40 fünfzig=50 sechzig=60
        siebzig=70 achtzig=80 neunzig=90 hundert=100 tausend=1000 million=1000000 millionen=1000000
        milliarde=1000000000 milliarden=1000000000 dutzend=12"""
    ),
    "fr": _table(
        """zéro=0 un=1 une=1 deux=2 trois=3 quatre=4 cinq=5 six=6 sept=7 huit=8 neuf=9 dix=10 onze=11
        douze=12 treize=13 quatorze=14 quinze=15 seize=16 vingt=20 vingts=20 trente=30 quarante=40
        cinquante=50 soixante=60 quatre-vingt=80 quatre-vingts=80 cent=100 cents=100 mille=1000
        million=1000000 millions=1000000 milliard=1000000000 milliards=1000000000 douzaine=12"""
    ),
    "es": _table(
        """cero=0 un=1 uno=1 una=1 dos=2 tres=3 cuatro=4 cinco=5 seis=6 siete=7 ocho=8 nueve=9 diez=10
        once=11 doce=12 trece=13 catorce=14 quince=15 dieciséis=16 dieciseis=16 diecisiete=17
        dieciocho=18 diecinueve=19 veinte=20 veinti=20 treinta=30 cuarenta=40 cincuenta=50 sesenta=60
        setenta=70 ochenta=80 noventa=90 cien=100 ciento=100 doscientos=200 doscientas=200
        trescientos=300 cuatrocientos=400 quinientos=500 seiscientos=600 setecientos=700
        ochocientos=800 novecientos=900 mil=1000 millón=1000000 millones=1000000 docena=12"""
    ),
    "it": _table(
        """zero=0 uno=1 una=1 due=2 tre=3 quattro=4 cinque=5 sei=6 sette=7 otto=8 nove=9 dieci=10
        undici=11 dodici=12 tredici=13 quattordici=14 quindici=15 sedici=16 diciassette=17 diciotto=18
        diciannove=19 venti=20 vent=20 trenta=30 trent=30 quaranta=40 quarant=40 cinquanta=50 cinquant=50
        sessanta=60 settanta=70 ottanta=80 novanta=90 cento=100 mille=1000 mila=1000 milione=1000000
        milioni=1000000"""
    ),
    "nl": _table(
        """nul=0 een=1 één=1 twee=2 drie=3 vier=4 vijf=5 zes=6 zeven=7 acht=8 negen=9 tien=10 elf=11
        twaalf=12 dertien=13 veertien=14 vijftien=15 zestien=16 zeventien=17 achttien=18 negentien=19
        twintig=20 dertig=30 veertig=40 vijftig=50 zestig=60 zeventig=70 tachtig=80 negentig=90
        honderd=100 duizend=1000 miljoen=1000000"""
    ),
    "pt": _table(
        """zero=0 um=1 uma=1 dois=2 duas=2 três=3 quatro=4 cinco=5 seis=6 sete=7 oito=8 nove=9 dez=10
        onze=11 doze=12 treze=13 catorze=14 quinze=15 dezesseis=16 dezessete=17 dezoito=18 dezenove=19
        vinte=20 trinta=30 quarenta=40 cinquenta=50 sessenta=60 setenta=70 oitenta=80 noventa=90 cem=100
        cento=100 duzentos=200 trezentos=300 quinhentos=500 mil=1000 milhão=1000000 milhões=1000000"""
    ),
}
_HEADS = frozenset(w[:2] for table in _WORDS.values() for w in table)
_SCALES = frozenset({100, 1000, 1000000, 1000000000})
_ONES = frozenset({"one", "a", "an", "ein", "eine", "einen", "eins", "un", "une", "uno", "una", "um", "uma", "een"})
_CONNECTORS = frozenset({"and", "und", "et", "y", "e", "en"})
# Glue inside one-word compounds: "zweiundvierzig", "veintiocho", "quatre-vingt-dix".
_COMPOUND_GLUE = ("und", "en", "y", "e")

_PERCENT_WORDS = re.compile(
    r"^\s*(?:percent|per\s?cent|prozent|pour\s?cent|por\s?ciento|per\s?cento|procent|por\s?cento)\b", re.I
)
_OUT_OF_GAP = re.compile(r"\s+(?:von|sur|de\s+cada|su|op|em\s+cada|sobre)\s+", re.I)
_TIMES_AFTER = re.compile(r"^\s*(?:times|mal|fois|veces|volte|keer|vezes)\b", re.I)
_MULTIPLIERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:twice|double|doubles|doubled|doppelt|zweimal|doble|doppio|dubbel|dobro)\b", re.I), "2x"),
    (re.compile(r"\b(?:triple|triples|tripled|thrice|dreimal|triplo|triplo)\b", re.I), "3x"),
    (re.compile(r"\b(?:half|halb|halbe|halben|hälfte|moitié|mitad|metà|helft|metade)\b", re.I), "0.5x"),
    (re.compile(r"\b(?:deux fois)\b", re.I), "2x"),
)
# "in one day", "eine Stunde", "une heure": a lone "one" before a unit of time is a number.
_ONE_UNIT = re.compile(
    r"\b(one|a single|ein|eine|einer|einem|un|une|uno|una|um|uma)\s+(?=(?:day|hour|minute|second|week|month|year|"
    r"tag|stunde|minute|woche|monat|jahr|jour|heure|semaine|mois|an|année|día|hora|minuto|semana|mes|año)s?\b)",
    re.I,
)
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_DIGIT_PERCENT = re.compile(
    r"\b(\d[\d.,]*)\s*(?:percent|per\s?cent|prozent|pour\s?cent|por\s?ciento|per\s?cento)\b", re.I
)
_A_DOZEN = re.compile(r"\b(?:a|one|ein|un|une)\s+(?:dozen|dutzend|douzaine)\b", re.I)
_MAL = re.compile(r"\b([^\W\d_]+)mal\b", re.I)


@dataclass(frozen=True)
class Rewrite:
    """A text with its spelled numbers as digits, and where each character came from."""

    text: str
    source: str
    # starts[i] / ends[i]: the original span of character i of `text` (empty when unchanged).
    starts: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of text[start:end]."""
        if not self.starts or end <= start:
            return start, end
        return self.starts[start], self.ends[end - 1]


def _parse_word(word: str, tables: list[dict[str, int]]) -> list[int] | None:
    """A number word as its morpheme values: "zweiundvierzig" → [2, 40], "twenty" → [20]."""
    if word[:2] not in _HEADS:
        return None  # no number word in any language starts like this: skip the compound search
    for table in tables:
        if word in table:
            return [table[word]]
    if "-" in word:
        return None
    for table in tables:
        parts = _split_compound(word, table)
        if parts:
            return parts
    return None


@lru_cache(maxsize=8192)
def _split_compound_cached(word: str, lang_key: str) -> tuple[int, ...] | None:
    table = _WORDS[lang_key]
    if not word:
        return ()
    for cut in range(len(word), 1, -1):
        head = word[:cut]
        if head in table:
            rest = _split_compound_cached(word[cut:], lang_key)
            if rest is not None:
                return (table[head], *rest)
        if head in _COMPOUND_GLUE and cut < len(word):
            rest = _split_compound_cached(word[cut:], lang_key)
            if rest:
                return rest
    return None


def _split_compound(word: str, table: dict[str, int]) -> list[int] | None:
    key = next(k for k, v in _WORDS.items() if v is table)
    parts = _split_compound_cached(word.replace("-", ""), key)
    return list(parts) if parts and len(parts) > 1 else None


def _parse_hyphenated(word: str, tables: list[dict[str, int]]) -> tuple[list[int] | None, int]:
    """The number at the head of a hyphenated word and how many characters it spans:
    "quatre-vingt-dix" → ([80, 10], 16), "five-star" → ([5], 4), "best-seller" → (None, 0)."""
    parts = word.split("-")
    values: list[int] = []
    i, used = 0, 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            sub = _parse_word("-".join(parts[i:j]), tables)
            if sub is not None:
                values += sub
                used = len("-".join(parts[:j]))
                i = j
                break
        else:
            break
    return (values or None), used


def _value(parts: list[int]) -> int:
    total, current = 0, 0
    for v in parts:
        if v in _SCALES and v >= 1000:
            total += max(current, 1) * v
            current = 0
        elif v == 100:
            current = max(current, 1) * 100
        elif v == 12 and current:  # "two dozen"
            current *= 12
        else:
            current += v
    return total + current


def _tables(text: str, hint: str) -> list[dict[str, int]]:
    langs = ["en"]
    for lang in (guess_language(text), hint):
        if lang in _WORDS and lang not in langs:
            langs.append(lang)
    return [_WORDS[lang] for lang in langs]


@lru_cache(maxsize=16384)
def spelled_to_digits(text: str, hint: str = "en") -> Rewrite:
    """`text` with spelled-out numbers, percent words and multiplier words as digits."""
    tables = _tables(text, hint)
    pieces: list[tuple[int, int, str]] = []  # (start, end, replacement) in the original text
    tokens = list(_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        parts: list[int] = []
        j = i
        last = i - 1
        while j < len(tokens):
            word = tokens[j].group(0).lower()
            gap = text[tokens[j - 1].end() : tokens[j].start()] if j > i else ""
            if j > i and gap.strip(" -"):
                break
            if j > i and word in _CONNECTORS and parts:
                j += 1
                continue
            sub = _parse_word(word, tables)
            prefix_end = tokens[j].end()
            if sub is None and "-" in word:
                sub, used = _parse_hyphenated(word, tables)
                prefix_end = tokens[j].start() + used
            if sub is None:
                break
            if prefix_end < tokens[j].end():
                # "five-star", "forty-eight-hour": the number is the head of a compound.
                parts += sub
                pieces.append((tokens[i].start(), prefix_end, str(_value(parts))))
                parts = []
                last = j
                break
            parts += sub
            last = j
            j += 1
        if last >= i and not parts:
            i = last + 1
            continue
        if last >= i:
            words = [tokens[k].group(0).lower() for k in range(i, last + 1)]
            lone_one = len(words) == 1 and words[0] in _ONES
            lone_dozen = words == ["dozen"]
            if not lone_one and not lone_dozen:
                pieces.append((tokens[i].start(), tokens[last].end(), str(_value(parts))))
            elif words[0] in _ONES and len(tokens) > last + 1 and tokens[last + 1].group(0).lower() == "dozen":
                pieces.append((tokens[i].start(), tokens[last + 1].end(), "12"))
                last += 1
            i = last + 1
        else:
            i += 1
    return _apply(text, _post_pieces(text, pieces))


def _post_pieces(text: str, pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Percent words, "X out of Y" in other languages, "-mal"/"fois" multipliers, twice/half."""
    out = list(pieces)
    for _start, end, _rep in pieces:
        tail = text[end:]
        m = _PERCENT_WORDS.match(tail)
        if m:
            out.append((end, end + m.end(), "%"))
            continue
        m = _TIMES_AFTER.match(tail)
        if m:
            out.append((end, end + m.end(), "x"))
    for m in re.finditer(
        r"\b(\d[\d.,]*)\s*(?:percent|per\s?cent|prozent|pour\s?cent|por\s?ciento|per\s?cento)\b", text, re.I
    ):
        out.append((m.end(1), m.end(), "%"))
    for m in _A_DOZEN.finditer(text):
        out.append((m.start(), m.end(), "12"))
    for m in _ONE_UNIT.finditer(text):
        out.append((m.start(1), m.end(1), "1"))
    for rx, rep in _MULTIPLIERS:
        for m in rx.finditer(text):
            out.append((m.start(), m.end(), rep))
    for m in _MAL.finditer(text):
        word = m.group(1).lower()
        value = _parse_word(word, _tables(text, "de"))
        if value is not None:
            out.append((m.start(), m.end(), f"{_value(value)}x"))
    # "neun von zehn", "4,9 sur 5", "nueve de cada diez" → "… out of …" (the rating grammar).
    starts = {p[0] for p in pieces}
    ends = {p[1] for p in pieces}
    for m in _OUT_OF_GAP.finditer(text):
        left_ok = m.start() in ends or text[m.start() - 1 : m.start()].isdigit()
        right_ok = m.end() in starts or text[m.end() : m.end() + 1].isdigit()
        if left_ok and right_ok:
            out.append((m.start(), m.end(), " out of "))
    # Drop overlaps, keeping the earliest-starting (then longest) piece.
    out.sort(key=lambda p: (p[0], -(p[1] - p[0])))
    kept: list[tuple[int, int, str]] = []
    for p in out:
        if kept and p[0] < kept[-1][1]:
            continue
        kept.append(p)
    return kept


def _apply(text: str, pieces: list[tuple[int, int, str]]) -> Rewrite:
    if not pieces:
        return Rewrite(text, text)
    buf: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for start, end, rep in pieces:
        buf.append(text[pos:start])
        starts.extend(range(pos, start))
        ends.extend(range(pos + 1, start + 1))
        buf.append(rep)
        starts.extend([start] * len(rep))
        ends.extend([end] * len(rep))
        pos = end
    buf.append(text[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    return Rewrite("".join(buf), text, tuple(starts), tuple(ends))


def number_value(raw: str) -> Decimal | None:
    """The value of a number written in words alone ("forty-two" → 42), or None."""
    rw = spelled_to_digits(raw)
    digits = rw.text.strip()
    if re.fullmatch(r"\d+", digits):
        return Decimal(digits)
    return None
