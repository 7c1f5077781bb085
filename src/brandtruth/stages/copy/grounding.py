"""The grounding check: every factual assertion in ad copy must rest on the brand's own evidence.

One module, used for every generator (template and LLM alike), so "never invents a fact" is
enforced in one place rather than trusted to each writer.

How it works:
1. `find_assertions` scans a text for factual assertions — numbers, percentages, money, ratings,
   counts, durations, multipliers, vague magnitudes ("thousands of"), superlatives (best, #1,
   fastest, leading, only, ...), guarantees, awards, certifications, comparisons ("faster than"),
   offers ("free", "trial") and quoted testimonials — and reduces each to a normalised `Atom`
   (`12,000` ≈ `12k` ≈ `12 000`; `4.8/5` ≈ `4.8 out of 5`; `2 weeks` ≈ `14 days`).
2. `SupportIndex` runs the same scan over the *evidence quotes* of the profile's claims (and of
   its social-proof items), one source per quote, admitting low/medium-risk claims always,
   high-risk claims only when the setting allows it, blocked claims never.
3. `check_variant` requires each assertion of the copy to match an atom of one source (same
   value and unit; qualifiers such as "up to" may not be dropped and "over" may not be added;
   the noun next to a number must appear in that same quote), and also rejects the text of
   blocked (or disallowed high-risk) claims and the profile's avoided terms.

The check is deliberately conservative: an assertion it cannot tie to evidence fails, which
costs at worst a rewritten or dropped variant, never an invented claim in a live ad.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from urllib.parse import urlsplit

from brandtruth.claims import clear_caches as clear_claim_caches
from brandtruth.claims.numbers import spelled_to_digits
from brandtruth.claims.risk import RiskClass, cues_of
from brandtruth.claims.words import stem_langs
from brandtruth.models.brand import BrandProfile, Claim, Evidence, Risk
from brandtruth.models.copy import ClaimUse, CopyVariant, ProofUse
from brandtruth.stages.copy.truth import TruthGate, site_sentences, text_stems
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
def _loose(text: str) -> str:
    """Letters and digits only, single-spaced: for comparing quoted words across punctuation."""
    return " ".join(re.sub(r"[^\w]+", " ", normalize_text(text)).split())


_STOP = _wordset(
    """a an the and or but of to for with in on at by from your our you we us it its is are was
    be been being as via into onto that this these those their they them just only over up more
    than less all every per each any so if not no yes can will get has have had do does did
    out off about around nearly almost under within across plus new now"""
)


def _stem(word: str) -> str:
    return word[:5]


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]{3,}", text.lower()) if w not in _STOP]


QUOTE_CLIP = 200


def clip_quote(quote: str) -> str:
    """Evidence quotes ride along in workflow payloads; keep each one short (the claim id has it all)."""
    return quote if len(quote) <= QUOTE_CLIP else quote[: QUOTE_CLIP - 1].rstrip() + "…"


def _fmt(value: Decimal) -> str:
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
_VAGUE_RANGES = {
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
    after = _content_words(re.split(r"[.!?;:\n]", text[end : end + 40], maxsplit=1)[0])[:2]
    if after or not look_back:
        return tuple(after)
    before_text = re.split(r"[.!?;:\n]", text[max(0, start - 40) : start])[-1]
    before = _content_words(before_text)[-1:]
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
    _loose.cache_clear()
    clear_claim_caches()


@lru_cache(maxsize=8192)
def _find_assertions(text: str) -> tuple[Assertion, ...]:
    # Cached: a run checks the same body, description and RSA asset texts under many headlines.
    sc = _Scanner(text)

    for m in _QUOTE_RE.finditer(text):
        inner = m.group(1)
        if len(_loose(inner).split()) >= 2:
            sc.take("testimonial", m.start(), m.end(), Atom("quote", unit=_loose(inner)))

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
    return Atom("rating", value, _fmt(scale))


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


# ---------------------------------------------------------------------------------------------
# Sources of support
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One verbatim quote that can support assertions, with the claim it belongs to."""

    claim_id: str
    risk: Risk
    quote: str
    url: str
    loose: str
    stems: frozenset[str]
    atoms: tuple[Atom, ...]
    offer_only: bool = False
    # (kind, 0-based index) when this quote belongs to a social-proof item rather than a claim.
    proof: tuple[str, int] | None = None
    # " loose words of the unmasked quote ", for finding the phrase of the copy it supports.
    plain: str = ""
    # The quote with spelled numbers as digits (its risk cues are read from it on demand), and
    # the Snowball stems of its words: the truth gate's view.
    digits: str = ""
    wstems: frozenset[str] = frozenset()

    @property
    def cues(self) -> frozenset[tuple[RiskClass, str]]:
        return cues_of(self.digits)

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(a.unit for a in self.atoms if a.kind == "term")


_RISK_ORDER = {Risk.LOW: 0, Risk.MEDIUM: 1, Risk.HIGH: 2, Risk.BLOCKED: 3}


def _mask(text: str, masks: tuple[re.Pattern[str], ...]) -> str:
    for rx in masks:
        text = rx.sub(lambda m: "·" * len(m.group(0)), text)
    return text


def _make_source(
    claim_id: str,
    risk: Risk,
    quote: str,
    url: str,
    masks: tuple[re.Pattern[str], ...],
    extra: tuple[Atom, ...] = (),
    offer_only: bool = False,
    proof: tuple[str, int] | None = None,
    lang: str = "en",
) -> Source:
    digits = spelled_to_digits(quote, lang).text
    masked = _mask(digits, masks)
    atoms = tuple(a.atom for a in find_assertions(masked)) + extra
    stems = frozenset(_stem(w) for w in _content_words(masked))
    return Source(
        claim_id,
        risk,
        quote,
        url,
        _loose(masked),
        stems,
        atoms,
        offer_only,
        proof,
        f" {_loose(quote)} ",
        digits,
        text_stems(masked, stem_langs(lang)),
    )


@dataclass
class Issue:
    """Why a piece of copy fails the grounding check."""

    field: str
    kind: str  # unsupported | blocked | avoided | high_risk_disallowed
    text: str
    message: str
    # What the span is: a risk class ("health", "endorsement", ...), "content", "entity", "number", ...
    cls: str = ""


@dataclass
class GroundingReport:
    issues: list[Issue] = field(default_factory=list)
    claims_used: list[ClaimUse] = field(default_factory=list)
    proof_used: list[ProofUse] = field(default_factory=list)
    high_risk: list[str] = field(default_factory=list)
    # Policy-class wording allowed only because high-risk claims are allowed: flagged for review.
    flags: list[str] = field(default_factory=list)
    assertions: int = 0

    @property
    def ok(self) -> bool:
        return not self.issues

    def summary(self, limit: int = 4) -> str:
        parts = [i.message for i in self.issues[:limit]]
        more = len(self.issues) - limit
        if more > 0:
            parts.append(f"and {more} more")
        return "; ".join(parts)


def _brand_masks(profile: BrandProfile) -> tuple[re.Pattern[str], ...]:
    # The domain first: masking the brand name first would leave "acme-scheduler.test" half-masked.
    masks: list[re.Pattern[str]] = []
    host = urlsplit(profile.url).hostname or ""
    if host:
        bare = host[4:] if host.startswith("www.") else host
        masks.append(re.compile(r"(?:www\.)?" + re.escape(bare), re.IGNORECASE))
    name = profile.brand_name.strip()
    if name:
        masks.append(re.compile(re.escape(name), re.IGNORECASE))
    return tuple(masks)


class SupportIndex:
    """The evidence a run may rely on, pre-scanned once so checks stay fast."""

    def __init__(self, profile: BrandProfile, allow_high_risk: bool) -> None:
        self.profile = profile
        self.allow_high_risk = allow_high_risk
        self.masks = _brand_masks(profile)
        self.truth = TruthGate(profile, allow_high_risk)
        lang = self.truth.lang
        self.sources: list[Source] = []
        self.claims: dict[str, Claim] = {c.id: c for c in profile.claims}
        self.forbidden: list[Claim] = [
            c for c in profile.claims if c.risk is Risk.BLOCKED or (c.risk is Risk.HIGH and not allow_high_risk)
        ]
        forbidden_quotes = {_loose(e.quote) for c in self.forbidden for e in c.evidence}
        self._forbidden_phrases = self._forbidden_patterns()

        allowed = sorted((c for c in profile.claims if c not in self.forbidden), key=lambda c: _RISK_ORDER[c.risk])
        for claim in allowed:
            for ev in claim.evidence:
                self.sources.append(_make_source(claim.id, claim.risk, ev.quote, ev.url, self.masks, lang=lang))

        # Social proof items carry their own verbatim evidence; they count as support unless the
        # same sentence was classified as a forbidden claim.
        proof = profile.social_proof

        def proof_sources(kind: str, i: int, evidence: list[Evidence], extra: tuple[Atom, ...] = ()) -> None:
            for ev in evidence:
                if _loose(ev.quote) in forbidden_quotes:
                    continue
                self.sources.append(
                    _make_source(
                        f"proof-{kind}-{i + 1}",
                        Risk.LOW,
                        ev.quote,
                        ev.url,
                        self.masks,
                        extra=extra,
                        proof=(kind, i),
                        lang=lang,
                    )
                )

        for i, t in enumerate(proof.testimonials):
            if t.evidence and not any(_loose(t.quote) in fq or fq in _loose(t.quote) for fq in forbidden_quotes):
                proof_sources("testimonial", i, t.evidence)
                self.sources.append(
                    _make_source(
                        f"proof-testimonial-{i + 1}",
                        Risk.LOW,
                        t.quote,
                        t.evidence[0].url,
                        self.masks,
                        proof=("testimonial", i),
                        lang=lang,
                    )
                )
        for i, r in enumerate(proof.ratings):
            scale = parse_number(f"{r.scale:g}") or Decimal(5)
            value = parse_number(f"{r.value:g}")
            extra_atoms: tuple[Atom, ...] = ()
            if value is not None:
                extra_atoms = (Atom("rating", value, _fmt(scale)),)
            proof_sources("rating", i, r.evidence, extra_atoms)
        for i, cc in enumerate(proof.customer_counts):
            proof_sources("customer_count", i, cc.evidence)
        for i, logo in enumerate(proof.customer_logos):
            proof_sources("customer_logo", i, logo.evidence)
        # The site's own tagline, description and value propositions, sentence by sentence, unless
        # a sentence states a policy class or repeats a forbidden claim.
        for i, sentence in enumerate(site_sentences(profile), 1):
            if _loose(sentence) not in forbidden_quotes:
                src = _make_source(f"site-text-{i}", Risk.LOW, sentence, profile.url, self.masks, lang=lang)
                # Words and cues only: a figure in a tagline or description is not an extracted claim.
                self.sources.append(replace(src, atoms=()))
        self.forbidden_sources = [
            _make_source(c.id, c.risk, ev.quote, ev.url, self.masks, lang=lang)
            for c in self.forbidden
            for ev in c.evidence
        ]
        # Site button wording ("Start free trial") may support offer words only.
        for i, cta in enumerate(profile.site_ctas, 1):
            self.sources.append(
                _make_source(f"site-cta-{i}", Risk.LOW, cta, profile.url, self.masks, offer_only=True, lang=lang)
            )
        self.avoided = [
            (t, re.compile(r"(?<!\w)" + re.escape(t.strip()) + r"(?!\w)", re.IGNORECASE))
            for t in profile.avoided_terms
            if t.strip()
        ]

    def _forbidden_patterns(self) -> list[tuple[Claim, str, frozenset[str]]]:
        out: list[tuple[Claim, str, frozenset[str]]] = []
        for c in self.forbidden:
            phrases = [c.text] + [e.quote for e in c.evidence]
            for p in phrases:
                loose = _loose(_mask(p, self.masks))
                if len(loose.split()) >= 2:
                    words = frozenset(_stem(w) for w in _content_words(loose))
                    out.append((c, loose, words))
        return out

    # -- assertion support ----------------------------------------------------------------

    def support(self, a: Assertion) -> Source | None:
        """The first (lowest-risk) source whose evidence contains assertion `a`."""
        for src in self.sources:
            if src.offer_only and a.category != "offer":
                continue
            if _supports(src, a):
                return src
        return None

    def supporters(self, a: Assertion) -> list[Source]:
        """Every source whose evidence contains assertion `a`, lowest risk first."""
        return [src for src in self.sources if (not src.offer_only or a.category == "offer") and _supports(src, a)]

    def mask(self, text: str) -> str:
        return _mask(text, self.masks)

    # -- whole-variant check --------------------------------------------------------------

    def check_text(self, field_name: str, text: str, report: GroundingReport) -> None:
        if not text:
            return
        # Spelled-out numbers are checked as digits ("forty percent" ≈ "40%"), on both sides.
        digits = spelled_to_digits(text, self.truth.lang)
        original, text = text, digits.text
        masked = self.mask(text)
        tokens: list[tuple[int, int]] | None = None
        for a in find_assertions(masked):
            report.assertions += 1
            shown_start, shown_end = digits.span(a.start, a.end)
            shown = original[shown_start:shown_end]
            found = self.supporters(a)
            if not found:
                report.issues.append(
                    Issue(
                        field_name,
                        "unsupported",
                        shown,
                        f"{field_name}: '{shown}' ({a.category}) is not supported by the site's evidence",
                        cls="number" if a.atom.value is not None else a.category,
                    )
                )
                continue
            if tokens is None:
                tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
            claim_src, claim_run, proof_src, proof_run = _best_sources(text, tokens, a, found)
            if proof_src is not None and proof_src.proof is not None:
                kind, idx = proof_src.proof
                span = _span_text(text, tokens, proof_run) if proof_run else shown
                if not any(p.kind == kind and p.index == idx and span in p.span for p in report.proof_used):
                    report.proof_used.append(
                        ProofUse(kind=kind, index=idx, span=span, quote=clip_quote(proof_src.quote), url=proof_src.url)
                    )
            if claim_src is None:
                continue
            if claim_src.risk is Risk.HIGH and claim_src.claim_id not in report.high_risk:
                report.high_risk.append(claim_src.claim_id)
            span = _claim_span(text, tokens, a, claim_run)
            if not any(u.claim_id == claim_src.claim_id and span in u.span for u in report.claims_used):
                report.claims_used.append(
                    ClaimUse(
                        claim_id=claim_src.claim_id, span=span, quote=clip_quote(claim_src.quote), url=claim_src.url
                    )
                )
        loose = _loose(masked)
        words = frozenset(_stem(w) for w in _content_words(masked))
        for claim, phrase, phrase_words in self._forbidden_phrases:
            hit = phrase in loose
            if not hit and len(phrase_words) >= 3:
                hit = len(phrase_words & words) / len(phrase_words) >= 0.75
            if hit:
                kind = "blocked" if claim.risk is Risk.BLOCKED else "high_risk_disallowed"
                report.issues.append(
                    Issue(
                        field_name,
                        kind,
                        _closest_sentence(original, phrase),
                        f"{field_name}: repeats {claim.risk.value}-risk claim {claim.id} ('{claim.text}')",
                    )
                )
                break
        spans = [(a.start, a.end) for a in find_assertions(masked)]
        self.truth.check(field_name, original, digits, masked, spans, self.sources, self.forbidden_sources, report)
        for term, rx in self.avoided:
            if rx.search(original):
                report.issues.append(Issue(field_name, "avoided", term, f"{field_name}: uses avoided term '{term}'"))

    def check_variant(self, variant: CopyVariant) -> GroundingReport:
        report = GroundingReport()
        for name, text in variant_fields(variant):
            self.check_text(name, text, report)
        return report


def _closest_sentence(text: str, phrase: str) -> str:
    """The sentence of the copy that repeats a forbidden claim (the claim's own wording may differ)."""
    words = set(phrase.split())
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    return max(sentences, key=lambda s: len(words & set(_loose(s).split())), default=text)


def variant_fields(variant: CopyVariant) -> list[tuple[str, str]]:
    """Every piece of text an ad platform would show (the CTA button label excepted)."""
    fields = [
        ("headline", variant.headline),
        ("primary_text", variant.primary_text),
        ("description", variant.description),
    ]
    fields += [(f"headlines[{i}]", h) for i, h in enumerate(variant.headlines)]
    fields += [(f"descriptions[{i}]", d) for i, d in enumerate(variant.descriptions)]
    fields += [("path1", variant.path1.replace("-", " ")), ("path2", variant.path2.replace("-", " "))]
    return fields


# ---------------------------------------------------------------------------------------------
# Which source, and which words of the copy
# ---------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?;:][\"”’)]*$")
_Run = tuple[int, int]


def _run_in(text: str, tokens: list[tuple[int, int]], i: int, j: int, plain: str) -> bool:
    words = _loose(text[tokens[i][0] : tokens[j][1]])
    return bool(words) and f" {words} " in plain


def _common_run(text: str, tokens: list[tuple[int, int]], a: Assertion, plain: str) -> _Run | None:
    """The longest run of whole words around assertion `a` that the quote also contains.

    "Every plan starts with a 14-day free trial." against the quote "Every plan starts with a
    14-day free trial." gives the whole sentence; the run never crosses a sentence end of the
    copy. None when the assertion's own words are not in the quote (e.g. "4.8/5" against
    "4.8 out of 5").
    """
    covering = [k for k, (s, e) in enumerate(tokens) if e > a.start and s < a.end]
    if not covering:
        return None
    i, j = covering[0], covering[-1]
    if not _run_in(text, tokens, i, j, plain):
        return None
    while i > 0 and not _SENTENCE_END.search(text[tokens[i - 1][0] : tokens[i - 1][1]]):
        if not _run_in(text, tokens, i - 1, j, plain):
            break
        i -= 1
    while j + 1 < len(tokens) and not _SENTENCE_END.search(text[tokens[j][0] : tokens[j][1]]):
        if not _run_in(text, tokens, i, j + 1, plain):
            break
        j += 1
    return i, j


def _run_words(run: _Run | None) -> int:
    return 0 if run is None else run[1] - run[0] + 1


def _best_sources(
    text: str, tokens: list[tuple[int, int]], a: Assertion, found: list[Source]
) -> tuple[Source | None, _Run | None, Source | None, _Run | None]:
    """The claim and the social-proof item that best support `a`: lowest risk class (a high-risk
    claim only when nothing else supports it), then the longest shared wording, so the copy is
    traced to the quote it was actually written from."""
    claims = [s for s in found if s.proof is None and not s.offer_only]
    proofs = [s for s in found if s.proof is not None]
    safe = [s for s in claims if s.risk is not Risk.HIGH]
    pool = safe or ([] if proofs else claims)

    def best(sources: list[Source]) -> tuple[Source | None, _Run | None]:
        chosen: Source | None = None
        chosen_run: _Run | None = None
        for src in sources:
            run = _common_run(text, tokens, a, src.plain)
            if chosen is None or _run_words(run) > _run_words(chosen_run):
                chosen, chosen_run = src, run
        return chosen, chosen_run

    claim_src, claim_run = best(pool)
    proof_src, proof_run = best(proofs)
    return claim_src, claim_run, proof_src, proof_run


_EDGE_PUNCT = " ,;:.!?—–-"


def _span_text(text: str, tokens: list[tuple[int, int]], run: _Run) -> str:
    span = text[tokens[run[0]][0] : tokens[run[1]][1]].strip(_EDGE_PUNCT)
    for opener, closer in (("“", "”"), ("(", ")"), ("„", "“")):
        if span.startswith(opener) and closer not in span:
            span = span[1:]
        if span.endswith(closer) and opener not in span:
            span = span[:-1]
    return span.strip(_EDGE_PUNCT) or text[tokens[run[0]][0] : tokens[run[1]][1]]


_CLAUSE_EDGE = re.compile(r"[.!?;:,]$|^[—–]$")
_EDGE_WORDS = _wordset("a an the and or but of to for with in on at by from as so if that which who your our its")
# Words a span does not reach past: they start another clause or point elsewhere ("at example.com").
_STOP_EDGE = _wordset("at and or but so if that which who because with while when where")


def _claim_span(text: str, tokens: list[tuple[int, int]], a: Assertion, run: _Run | None) -> str:
    """The words of the copy that rest on a claim: a whole phrase, not a lone number or word.

    The run of words shared with the claim's quote when it has at least two words; otherwise
    the assertion with up to two words before and three after it, within its clause, not past a
    clause connector and not ending on one ("Start free trial at example.com" → "Start free
    trial"; "4.8/5 from 2,140 reviews" stays whole).
    """
    covering = [k for k, (s, e) in enumerate(tokens) if e > a.start and s < a.end]
    if not covering:
        return text[a.start : a.end]
    i0, i1 = covering[0], covering[-1]

    def word(k: int) -> str:
        return text[tokens[k][0] : tokens[k][1]]

    if run is not None and _run_words(run) >= 2:
        lo, hi = run
        # "a 14-day free trial" → "14-day free trial": no article or connector at either end.
        while lo < i0 and _loose(word(lo)) in _EDGE_WORDS:
            lo += 1
        while hi > i1 and _loose(word(hi)) in _EDGE_WORDS:
            hi -= 1
        if hi > lo:
            return _span_text(text, tokens, (lo, hi))

    lo = i0
    while lo > max(0, i0 - 2) and not _CLAUSE_EDGE.search(word(lo - 1)) and _loose(word(lo - 1)) not in _EDGE_WORDS:
        lo -= 1
    hi = i1
    while (
        hi + 1 < min(len(tokens), i1 + 4)
        and not _CLAUSE_EDGE.search(word(hi))
        and _loose(word(hi + 1)) not in _STOP_EDGE
    ):
        hi += 1
    while hi > i1 and _loose(word(hi)) in _EDGE_WORDS:
        hi -= 1
    return _span_text(text, tokens, (lo, hi))


# ---------------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------------

_RATING_WORDS = re.compile(r"rat|star|review|★|score", re.IGNORECASE)


def _qual_ok(copy: Atom, ev: Atom) -> bool:
    """May the copy's qualified value be said, given the evidence's qualified value?"""
    assert copy.value is not None and ev.value is not None
    if ev.qual == "limit" and copy.qual != "limit":
        return False  # dropping "up to" / "from" overstates
    if copy.value == ev.value:
        if copy.qual in ("", "limit"):
            return ev.qual in ("", "more", "less", "limit")
        if copy.qual == "approx":
            return True
        return copy.qual == ev.qual
    if copy.kind == "money":
        return False  # "orders over $20" does not follow from "orders over $35"
    if copy.qual == "more":
        return ev.value > copy.value and ev.qual in ("", "more")
    if copy.qual == "less":
        return ev.value < copy.value and ev.qual in ("", "less")
    return False


def _atom_matches(copy: Atom, ev: Atom, src: Source) -> bool:
    if copy.kind == "term":
        return ev.kind == "term" and ev.unit == copy.unit
    if copy.kind == "vague":
        if ev.kind == "vague":
            return ev.unit == copy.unit
        lo, hi = _VAGUE_RANGES[copy.unit]
        return ev.kind == "num" and ev.value is not None and lo <= ev.value < hi
    if copy.kind == "quote":
        return False  # handled by text containment
    if copy.value is None or ev.value is None:
        return False
    if copy.kind == "num":
        if ev.kind == "rating" and ev.value == copy.value and not copy.qual:
            return True
        if ev.kind != "num":
            return False
        return _qual_ok(copy, ev)
    if copy.kind == "rating":
        if ev.kind == "rating":
            return ev.value == copy.value and ev.unit == copy.unit
        return (
            ev.kind == "num" and ev.value == copy.value and copy.unit == "5" and bool(_RATING_WORDS.search(src.quote))
        )
    if copy.kind != ev.kind or copy.unit != ev.unit:
        return False
    return _qual_ok(copy, ev)


def _supports(src: Source, a: Assertion) -> bool:
    atom = a.atom
    if atom.kind == "quote":
        fragments = [f.strip() for f in re.split(r"\.\.\.|…", a.text.strip('"“”„«» ')) if f.strip()]
        fragments = [_loose(f) for f in fragments]
        return bool(fragments) and all(f and f in src.loose for f in fragments)
    if not any(_atom_matches(atom, ev, src) for ev in src.atoms):
        return False
    if a.context:
        return any(_stem(w) in src.stems for w in a.context)
    return True
