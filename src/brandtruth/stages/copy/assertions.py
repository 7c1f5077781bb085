"""What a line of copy asserts: numbers, ratings, money, durations and the terms that make a claim.

`find_assertions` reduces a text to normalised `Atom`s (`12,000` ≈ `12k`; `4.8/5` ≈ `4.8 out of 5`;
`2 weeks` ≈ `14 days`), with the words next to each number, so the grounding check
(`grounding.py`) can compare copy with evidence value by value. Split from the grounding check
so each module holds one job: recognising assertions here, matching them to evidence there.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from brandtruth.claims import clear_caches as clear_claim_caches
from brandtruth.stages.copy.words import wordset as _wordset

# ---------------------------------------------------------------------------------------------
# Normalisation helpers
# ---------------------------------------------------------------------------------------------

_QUOTE_MAP = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "–": "-",
        "—": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


_SLASH_SPACES = re.compile(r"\s*/\s*")


@lru_cache(maxsize=16384)
def normalize_text(text: str) -> str:
    """Lower-cased, NFKC, straight quotes, plain dashes, single spaces, no spaces around "/":
    for containment tests ("$29 /user/month" on the site ≈ "$29/user/month" in the copy)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_MAP).lower()
    if "/" in text:
        text = _SLASH_SPACES.sub("/", text)
    return " ".join(text.split())


@lru_cache(maxsize=16384)
def loose_text(text: str) -> str:
    """Letters and digits only, single-spaced: for comparing quoted words across punctuation."""
    return " ".join(re.sub(r"[^\w]+", " ", normalize_text(text)).split())


_STOP = _wordset(
    """a an the and or but of to for with in on at by from your our you we us it its is are was
    be been being as via into onto that this these those their they them just only over up more
    than less all every per each any so if not no yes can will get has have had do does did
    out off about around nearly almost under within across plus new now"""
)


def stem_word(word: str) -> str:
    return word[:5]


def content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]{3,}", text.lower()) if w not in _STOP]


QUOTE_CLIP = 200


def clip_quote(quote: str) -> str:
    """Evidence quotes ride along in workflow payloads; keep each one short (the claim id has it all)."""
    return quote if len(quote) <= QUOTE_CLIP else quote[: QUOTE_CLIP - 1].rstrip() + "…"


def format_value(value: Decimal) -> str:
    """Canonical text of a number (no exponent), so `10` and `10.0` compare equal as units."""
    return format(value.normalize(), "f")


# ---------------------------------------------------------------------------------------------
# Atoms and assertions
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Atom:
    """A normalised unit of fact.

    kind: num | pct | money | rating | dur | mult | vague | term | quote
    unit: currency (money), scale (rating), base unit (dur: "sec"/"mon"), canonical word (term,
          vague), loose text (quote)
    qual: "" | more | less | limit | approx
    """

    kind: str
    value: Decimal | None = None
    unit: str = ""
    qual: str = ""


@dataclass(frozen=True)
class Assertion:
    category: str
    text: str
    start: int
    end: int
    atom: Atom
    context: tuple[str, ...] = ()


_NUM = (
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)"
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,])"
    r"|\d+,\d{1,2}(?![\d])"
    r"|\d+(?:\.\d+)?)"
)
_SCALE = r"(?:\s?(?:k|K|M|m|mn|bn|B)\b|\s(?:thousand|million|billion)\b)"
_SCALE_VALUES = {
    "k": Decimal(1000),
    "thousand": Decimal(1000),
    "m": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "b": Decimal(1_000_000_000),
    "bn": Decimal(1_000_000_000),
    "billion": Decimal(1_000_000_000),
}


def parse_number(raw: str, scale: str | None = None) -> Decimal | None:
    """`12,000` → 12000, `12 000` → 12000, `4,8` → 4.8, `1.2` + `M` → 1200000."""
    s = unicodedata.normalize("NFKC", raw).strip().replace("\u00a0", " ").replace("\u202f", " ")
    decimal_comma = re.fullmatch(r"\d+,\d{1,2}", s) is not None
    s = s.replace(",", ".") if decimal_comma else s.replace(",", "").replace(" ", "")
    try:
        value = Decimal(s)
    except InvalidOperation:
        return None
    if scale:
        key = scale.strip().lower()
        value *= _SCALE_VALUES.get(key, Decimal(1))
    return value.normalize()


_QUALIFIERS: tuple[tuple[str, str], ...] = (
    (r"up to|as much as|as little as|as low as|starting at|starts at|starting from|from", "limit"),
    (r"over|more than|at least|upwards of|in excess of|north of", "more"),
    (r"under|less than|fewer than|below|within|in under|in less than", "less"),
    (r"nearly|almost|about|around|approximately|roughly|~", "approx"),
)
_QUAL_RE = re.compile(r"(?:^|(?<=[\s(\"“']))(?P<q>" + "|".join(q for q, _ in _QUALIFIERS) + r")\s*$", re.IGNORECASE)
_QUAL_CLASS = {}
for _pattern, _cls in _QUALIFIERS:
    for _alt in _pattern.split("|"):
        _QUAL_CLASS[_alt] = _cls

_CURRENCY = {
    "$": "usd",
    "us$": "usd",
    "usd": "usd",
    "dollar": "usd",
    "dollars": "usd",
    "bucks": "usd",
    "a$": "aud",
    "aud": "aud",
    "c$": "cad",
    "cad": "cad",
    "€": "eur",
    "eur": "eur",
    "euro": "eur",
    "euros": "eur",
    "£": "gbp",
    "gbp": "gbp",
    "pound": "gbp",
    "pounds": "gbp",
    "¥": "jpy",
    "jpy": "jpy",
    "yen": "jpy",
    "₹": "inr",
    "inr": "inr",
    "rupees": "inr",
}

_DUR_UNITS = {
    "s": ("sec", 1),
    "sec": ("sec", 1),
    "secs": ("sec", 1),
    "second": ("sec", 1),
    "seconds": ("sec", 1),
    "min": ("sec", 60),
    "mins": ("sec", 60),
    "minute": ("sec", 60),
    "minutes": ("sec", 60),
    "h": ("sec", 3600),
    "hr": ("sec", 3600),
    "hrs": ("sec", 3600),
    "hour": ("sec", 3600),
    "hours": ("sec", 3600),
    "day": ("sec", 86400),
    "days": ("sec", 86400),
    "week": ("sec", 604800),
    "weeks": ("sec", 604800),
    "wk": ("sec", 604800),
    "wks": ("sec", 604800),
    "month": ("mon", 1),
    "months": ("mon", 1),
    "mo": ("mon", 1),
    "mos": ("mon", 1),
    "year": ("mon", 12),
    "years": ("mon", 12),
    "yr": ("mon", 12),
    "yrs": ("mon", 12),
}

_FLAGS = re.IGNORECASE

_QUOTE_RE = re.compile(r"[\"“”„«]([^\"“”„«»]{2,}?)[\"“”»]")
_RATING_RES = (
    re.compile(rf"(?P<n>{_NUM})\s*/\s*(?P<s>5|10|100)(?![\d/])(?:\s*-?\s*stars?\b)?", _FLAGS),
    re.compile(rf"(?P<n>{_NUM})\s+out\s+of\s+(?P<s>5|10|100)\b(?:\s*stars?\b)?", _FLAGS),
    re.compile(rf"(?P<n>{_NUM})\s+of\s+(?P<s>5)\s+stars?\b", _FLAGS),
    re.compile(rf"(?P<n>{_NUM})(?:\s*-\s*|\s+)?(?:stars?|★)(?!\w)", _FLAGS),
    re.compile(r"(?:rated|rating of|scores?d?|★)\s*(?P<n>\d(?:[.,]\d{1,2})?)(?![\d%])", _FLAGS),
)
_MONEY_RES = (
    re.compile(
        rf"(?P<c>US\$|A\$|C\$|[$€£¥₹]|\b(?:usd|eur|gbp|cad|aud|jpy|inr)\s?)\s?(?P<n>{_NUM})(?P<sc>{_SCALE})?",
        _FLAGS,
    ),
    re.compile(
        rf"(?P<n>{_NUM})(?P<sc>{_SCALE})?\s?(?:(?P<c>usd|eur|gbp|cad|aud|jpy|inr|dollars?|euros?|"
        rf"pounds|bucks|yen|rupees)\b|(?P<c2>[€£]))",
        _FLAGS,
    ),
)
_PCT_RE = re.compile(rf"(?P<n>{_NUM})\s?(?:%|percent\b|per\s?cent\b)", _FLAGS)
_MULT_RE = re.compile(rf"(?P<n>{_NUM})\s?(?:x|×)(?![\w])|(?P<n2>{_NUM})\s+times\b", _FLAGS)
_DUR_RE = re.compile(
    rf"(?P<n>{_NUM})(?:\s?-\s?|\s)?(?P<u>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|"
    rf"months?|mos?|years?|yrs?)\b|(?P<n2>{_NUM})(?P<u2>h)\b",
    _FLAGS,
)
_TWENTYFOUR_SEVEN = re.compile(r"\b24\s?/\s?7\b|\b24\s?x\s?7\b|\baround the clock\b", _FLAGS)
_PLAIN_RE = re.compile(rf"(?<![\w.])(?P<n>{_NUM})(?P<sc>{_SCALE})?(?P<plus>\s?\+)?", _FLAGS)
_VAGUE_RE = re.compile(r"\b(?P<w>hundreds|thousands|millions|billions|dozens)\s+of\b", _FLAGS)
VAGUE_RANGES = {
    "dozens": (Decimal(24), Decimal(100)),
    "hundreds": (Decimal(200), Decimal(1000)),
    "thousands": (Decimal(2000), Decimal(1_000_000)),
    "millions": (Decimal(2_000_000), Decimal(1_000_000_000)),
    "billions": (Decimal(2_000_000_000), Decimal(10) ** 15),
}

_EST_EXCLUDE = _wordset(
    """test rest interest guest request suggest honest modest forest invest west chest nest harvest
    protest contest manifest digest arrest quest conquest priest earnest latest attest pest vest
    zest crest jest lest midwest northwest southwest fest inquest bequest detest infest ingest
    divest unrest tempest behest pretest retest everest"""
)

# (category, pattern, canonical) — canonical may reference group 1 with "{1}".
_TERM_SPECS: tuple[tuple[str, str, str], ...] = (
    ("superlative", r"\btop[-\s]rated\b", "top-rated"),
    ("superlative", r"\btop[-\s]ranked\b", "top-ranked"),
    ("superlative", r"\bbest[-\s]?sell(?:ing|ers?)\b", "best-selling"),
    ("superlative", r"\b(?:industry|market|world|category)[-\s]lead(?:ing|ers?)\b", "leading"),
    ("superlative", r"\b(?:market|industry|category|global|world)\s+leaders?\b", "leading"),
    ("superlative", r"\bleading\b", "leading"),
    ("superlative", r"(?<!\bnot )\bonly\b", "only"),
    ("superlative", r"\bmost\s+(?!of\b|people\b)([^\W\d_]+)", "most {1}"),
    ("superlative", r"\bleast\s+([^\W\d_]+)", "least {1}"),
    ("superlative", r"\b(?:world|industry)[-\s]class\b", "world-class"),
    (
        "superlative",
        r"\b(?:unmatched|unbeatable|unrivall?ed|unparall?eled|second to none|best-in-class)\b",
        "unmatched",
    ),
    # "the first" as a ranking claim, not "in the first quarter" / "for the first year".
    (
        "superlative",
        r"\b(?:the|world'?s|america'?s|industry'?s|our)\s+first\b(?!\s+(?:\d|few|time|times|step|steps|"
        r"minute|minutes|hour|hours|day|days|week|weeks|month|months|quarter|quarters|year|years|order|"
        r"orders|visit|bag|box|session|lesson|call|draft|punch|thing)\b)",
        "first",
    ),
    ("superlative", r"\b([^\W\d_]{1,}est)\b", "{1}"),
    ("guarantee", r"\bguarantee(?:d|s)?\b|\bguaranteeing\b", "guarantee"),
    ("guarantee", r"\bmoney[-\s]back\b", "money-back"),
    ("guarantee", r"\brisk[-\s]free\b|\bno[-\s]risk\b", "risk-free"),
    ("guarantee", r"\bwarrant(?:y|ies)\b", "warranty"),
    ("award", r"\baward[-\s]winning\b|\bawards?\b|\bawarded\b", "award"),
    ("award", r"\bwinners?\b|\bprizes?\b", "winner"),
    ("certification", r"\bcertified\b|\bcertifications?\b|\bcertificates?\b", "certified"),
    ("certification", r"\baccredited\b|\baccreditations?\b", "accredited"),
    ("certification", r"\bcompliant\b|\bcompliance\b", "compliant"),
    ("certification", r"\b(iso|soc|hipaa|gdpr|pci[-\s]dss|fda|usda|ce)\b", "{1}"),
    ("comparison", r"\b(better|worse|cheaper|faster|more|less|fewer|[^\W\d_]{3,}er)\s+than\b", "{1} than"),
    ("comparison", r"\bvs\.?(?!\w)|\bversus\b", "vs"),
    ("comparison", r"\bcompared\s+(?:to|with)\b", "compared"),
    ("comparison", r"\bunlike\b", "unlike"),
    ("comparison", r"\btwice\s+as\b|\bhalf\s+the\b", "twice"),
    ("offer", r"(?<![-\w])free\b(?!\s+(?:to|of)\b)", "free"),
    ("offer", r"\btrials?\b", "trial"),
    ("offer", r"\bdiscount(?:s|ed)?\b|\bsale\b|\bcoupons?\b|\bpromo(?:tion)?\b", "discount"),
    ("offer", r"\bno\s+credit\s+card\b", "no credit card"),
)
_AtomBuilder = Callable[[re.Match[str]], "Atom | None"]
_TERM_RES = tuple((cat, re.compile(p, _FLAGS), canon) for cat, p, canon in _TERM_SPECS)
_COMPARISON_EXCLUDE = frozenset({"other", "rather", "whether", "together", "either", "neither"})
_COMPARISON_TAIL = re.compile(r"^\s*(?:ever|before|usual|you think|expected)\b", _FLAGS)


_NUMBER_ONE = re.compile(r"#\s?1\b|\bno\.?\s?1\b|\bnumber[-\s]one\b|№\s?1\b", _FLAGS)


def _qualifier(text: str, start: int) -> tuple[str, int]:
    """Qualifier class right before `start` and where it begins."""
    window_start = max(0, start - 24)
    while 0 < window_start < start and text[window_start - 1].isalnum():
        window_start += 1
    m = _QUAL_RE.search(text[window_start:start])
    if not m:
        return "", start
    return _QUAL_CLASS[m.group("q").lower()], window_start + m.start("q")


def _number_context(text: str, start: int, end: int, look_back: bool) -> tuple[str, ...]:
    """Content words right after a number (or, for rates, the one right before when none follow).

    They tie the number to what it counts: "12,000 teams" needs "teams" in the same quote, and
    "Save 40%" needs "save" there, so a "40% faster" quote cannot back it.
    """
    after = content_words(re.split(r"[.!?;:\n]", text[end : end + 40], maxsplit=1)[0])[:2]
    if after or not look_back:
        return tuple(after)
    before_text = re.split(r"[.!?;:\n]", text[max(0, start - 40) : start])[-1]
    before = content_words(before_text)[-1:]
    return tuple(before)


class _Scanner:
    """Finds assertions left to right by priority, masking what each pass has consumed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.work = list(text)
        self.found: list[Assertion] = []

    def free(self, start: int, end: int) -> bool:
        return all(ch != "\0" for ch in self.work[start:end])

    def take(self, category: str, start: int, end: int, atom: Atom, context: tuple[str, ...] = ()) -> None:
        self.found.append(Assertion(category, self.text[start:end], start, end, atom, context))
        for i in range(start, end):
            self.work[i] = "\0"

    def current(self) -> str:
        return "".join(self.work)


def find_assertions(text: str) -> list[Assertion]:
    """Every factual assertion in `text`, in order of appearance."""
    return list(_find_assertions(text)) if text else []


def clear_caches() -> None:
    """Forget memoised scans (for benchmarks that must measure a cold first run)."""
    _find_assertions.cache_clear()
    normalize_text.cache_clear()
    loose_text.cache_clear()
    clear_claim_caches()


@lru_cache(maxsize=8192)
def _find_assertions(text: str) -> tuple[Assertion, ...]:
    # Cached: a run checks the same body, description and RSA asset texts under many headlines.
    sc = _Scanner(text)

    for m in _QUOTE_RE.finditer(text):
        inner = m.group(1)
        if len(loose_text(inner).split()) >= 2:
            sc.take("testimonial", m.start(), m.end(), Atom("quote", unit=loose_text(inner)))

    cur = sc.current()
    for m in _TWENTYFOUR_SEVEN.finditer(cur):
        if sc.free(m.start(), m.end()):
            sc.take("duration", m.start(), m.end(), Atom("term", unit="24/7"))
    cur = sc.current()
    for m in _NUMBER_ONE.finditer(cur):
        if sc.free(m.start(), m.end()):
            sc.take("superlative", m.start(), m.end(), Atom("term", unit="#1"))

    def numeric(
        category: str,
        regex: re.Pattern[str],
        build: _AtomBuilder,
        context: str,
    ) -> None:
        cur = sc.current()
        for m in regex.finditer(cur):
            start, end = m.start(), m.end()
            if not sc.free(start, end):
                continue
            atom = build(m)
            if atom is None:
                continue
            qual, qstart = _qualifier(cur, start)
            if qual and not atom.qual:
                atom = Atom(atom.kind, atom.value, atom.unit, qual)
                start = qstart
            ctx = _number_context(text, m.start(), end, context == "around") if context else ()
            sc.take(category, start, end, atom, ctx)

    numeric("rating", _RATING_RES[0], _rating_atom, "")
    numeric("rating", _RATING_RES[1], _rating_atom, "")
    numeric("rating", _RATING_RES[2], _rating_atom, "")
    numeric("money", _MONEY_RES[0], _money_atom, "")
    numeric("money", _MONEY_RES[1], _money_atom, "")
    numeric("percentage", _PCT_RE, _pct_atom, "around")
    numeric("comparison", _MULT_RE, _mult_atom, "around")
    numeric("duration", _DUR_RE, _dur_atom, "around")
    numeric("rating", _RATING_RES[3], _rating_atom, "")
    numeric("rating", _RATING_RES[4], _rating_atom, "")
    numeric("count", _PLAIN_RE, _plain_atom, "after")

    cur = sc.current()
    for m in _VAGUE_RE.finditer(cur):
        if sc.free(m.start(), m.end()):
            sc.take("count", m.start(), m.end(), Atom("vague", unit=m.group("w").lower()))

    for category, regex, canon in _TERM_RES:
        cur = sc.current()
        for m in regex.finditer(cur):
            if not sc.free(m.start(), m.end()):
                continue
            word = m.group(1).lower() if m.groups() and m.group(1) else ""
            if canon == "{1}" and category == "superlative" and (len(word) < 4 or word in _EST_EXCLUDE):
                continue
            if category == "comparison" and word:
                if word in _COMPARISON_EXCLUDE:
                    continue
                tail = cur[m.end() :]
                if _COMPARISON_TAIL.match(tail) or re.match(r"\s*[\d$€£¥₹]", tail):
                    # "more than 10,000" is a qualified number, "faster than ever" is puffery.
                    continue
            value = canon.replace("{1}", word).lower()
            sc.take(category, m.start(), m.end(), Atom("term", unit=value))

    return tuple(sorted(sc.found, key=lambda a: a.start))


def _group(m: re.Match[str], *names: str) -> str | None:
    for name in names:
        if name in m.re.groupindex and m.group(name) is not None:
            return m.group(name)
    return None


def _rating_atom(m: re.Match[str]) -> Atom | None:
    value = parse_number(_group(m, "n") or "")
    scale_raw = _group(m, "s")
    scale = parse_number(scale_raw) if scale_raw else Decimal(5)
    if value is None or scale is None or value > scale:
        return None
    return Atom("rating", value, format_value(scale))


def _money_atom(m: re.Match[str]) -> Atom | None:
    value = parse_number(_group(m, "n") or "", _group(m, "sc"))
    cur = (_group(m, "c", "c2") or "").strip().lower()
    if value is None:
        return None
    return Atom("money", value, _CURRENCY.get(cur, cur))


def _pct_atom(m: re.Match[str]) -> Atom | None:
    value = parse_number(_group(m, "n") or "")
    return None if value is None else Atom("pct", value)


def _mult_atom(m: re.Match[str]) -> Atom | None:
    value = parse_number(_group(m, "n", "n2") or "")
    return None if value is None else Atom("mult", value)


def _dur_atom(m: re.Match[str]) -> Atom | None:
    value = parse_number(_group(m, "n", "n2") or "")
    unit_raw = (_group(m, "u", "u2") or "").lower()
    if value is None or unit_raw not in _DUR_UNITS:
        return None
    base, factor = _DUR_UNITS[unit_raw]
    return Atom("dur", (value * factor).normalize(), base)


def _plain_atom(m: re.Match[str]) -> Atom | None:
    value = parse_number(m.group("n"), m.group("sc"))
    if value is None:
        return None
    return Atom("num", value, qual="more" if m.group("plus") else "")
