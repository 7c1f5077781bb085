"""Fragments of site wording and the small text helpers every part of the template writer shares."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from brandtruth.claims.patterns import any_word
from brandtruth.models.brand import ClaimKind
from brandtruth.models.copy import Angle, ClaimUse
from brandtruth.platforms import char_width, display_width
from brandtruth.stages.copy.assertions import parse_number
from brandtruth.stages.copy.phrasing import (
    inner_phrases,
    shorter_phrases,
)

_OFFER_KINDS = {ClaimKind.PRICING, ClaimKind.GUARANTEE}
_OFFER_WORDS = re.compile(
    r"(?:\d\s?%|[$€£]\d+)\s?off\b|"
    r"\b((?<![-\w])free|try|trial|discount|save|saving|offer|deal|guarantee|refund|money-back|"
    r"no credit card)\b",
    re.IGNORECASE,
)
# The same offers in the other languages the CTA table covers (de, fr, es, it, nl, pt): free
# things, trials and discounts; then guarantees and refunds. Word stems, so "kostenloser",
# "gratuite" and "descuentos" all count.
_STRONG_OFFER_INTL = re.compile(
    r"\b(?:kostenlos\w*|gratis|gratuit\w*|grátis|gratuito\w*|rabatt\w*|remise\w*|réduction\w*|"
    r"descuento\w*|rebaja\w*|sconto|sconti|korting\w*|desconto\w*|"
    r"promo|promoción|promociones|promozione|promotie|promoção|"
    r"probe(?:abo|monat|woche|paket)\w*|proefperiode|période d'essai|periodo de prueba|periodo di prova|"
    r"sparen|économisez|ahorra\w*|risparmia\w*|bespaar\w*|economize|"
    r"versandkostenfrei|livraison offerte|envío gratis|spedizione gratuita|frete grátis)\b",
    re.IGNORECASE,
)
_OFFER_TERMS_INTL = re.compile(
    r"\b(?:garantie\w*|garantía|garanzia|garantia|geld[- ]zurück\w*|rückgabe\w*|remboursé\w*|"
    r"reembolso|rimborso|geld[- ]terug\w*|devolução|satisfait ou remboursé)\b",
    re.IGNORECASE,
)


def is_offer_wording(text: str) -> bool:
    """Whether the text states an offer, in any of the languages the CTA table covers."""
    return bool(_OFFER_WORDS.search(text) or _STRONG_OFFER_INTL.search(text) or _OFFER_TERMS_INTL.search(text))


# Statements that are about other people choosing the brand: what the social-proof angle quotes.
_PROOF_WORDS = any_word(
    r"trusted|customers?|clients?|reviews|rated|rating|stars?|users|members|subscribers|served|join",
    r"homes|households|businesses|brands|award|awards|awarded|winner|won|featured|as seen",
)
# Measured outcomes ("cuts reporting time by 40%", "3 hours saved"): benefits with a number.
_RESULT_WORDS = any_word(
    r"cut|cuts|save|saves|saved|faster|reduce|reduces|reduced|boost|boosts|increase|increases|fewer|less",
)
# Pain the site itself names ("Spreadsheets break at the worst moment"): openers for
# problem/solution ads.
_PAIN_WORDS = any_word(
    r"break|breaks|broke|broken|crash|crashes|waste|wasted|wasting|tired|stuck|chaos|hassle|headaches?",
    r"worst|missed|slow|errors?|mistakes?|stress|stressful|guesswork|scramble",
    r"chasing|struggle|struggling|frustrat\w*|overwhelm\w*|painful|outages?|downtime|no-shows?",
    # Household breakdowns a trade is called out for ("Burst pipes and sewage backups, any hour").
    r"(?:burst|frozen|leaking|blocked|clogged) (?:pipes?|drains?|toilets?|boilers?|water heaters?)",
)
_LEANING = re.compile(
    r"^(?:that|this|these|those|it|it's|they|them|then|now|so|and|but|or|also|with|plus|which|since|because)\b",
    re.IGNORECASE,
)
# A sentence quoted on its own must itself say something good ("Customers noticed the
# difference in a week"), not set the scene ("Water heater died on a Sunday night").
_PRAISE = any_word(
    r"love[sd]?|great|excellent|amazing|fantastic|perfect|easy|easier|simple|fast|faster|quick|finally",
    r"recommend\w*|saved?|saves|best|happy|glad|worth|noticed|gone|smooth|agrees?|always|trust\w*",
    r"reliable|helpful|friendly|fair|on time|changed|replaced|no more|favou?rite|delicious",
    # A cost that went down is praise in a testimonial ("Overtime dropped the first month").
    r"dropped|halved",
)
_BEFORE_STATE = re.compile(r"\b(?:used to|before|previously|had to|was|were)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:we|we're|we’re|our|us|i|my)\b", re.IGNORECASE)
_RESOLUTION = any_word(
    r"keeps?|works?|prevents?|stops?|stopped|without|no more|never|saves?|handles?|fixe[sd]|finds?",
    r"automatically|protects?|instead",
)
_NEGATED_START = re.compile(r"^(?:no|never|without|zero|nothing|none)\b", re.IGNORECASE)
_PRONOUN_START = re.compile(r"^(?:our|we|we're|we’re|you|your|i|my|us)\b", re.IGNORECASE)
_NAV_CTA = any_word(
    r"log ?in|sign ?in|my account|cart|menu|search|close|skip|cookie|accept|privacy|back|view details|follow",
)
_PHONE = re.compile(r"\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}|\+\d[\d\s().-]{7,}")
# Pages whose facts are about the company rather than the offer (headcount, offices, investors).
_COMPANY_PAGE = re.compile(r"/(?:about|team|company|careers|jobs|press|story|investors)\b", re.IGNORECASE)
_PLAN_PAGE = re.compile(r"/(?:pricing|plans)\b", re.IGNORECASE)
_PRICE_START = re.compile(r"^(?:from\s+)?(?:[$€£¥₹]\s?\d|\d[\d.,]*\s?[$€£¥₹])", re.IGNORECASE)


def _bare_price(text: str) -> bool:
    """ "$29/user/month", "3,20 €", "From $189": a price with nothing said about what it buys."""
    return bool(_PRICE_START.match(text)) and len(text.split()) <= 4


_UNIT = re.compile(r"/|\bper\b|\b(?:oz|kg|g|lb|ml|l|month|mo|year|yr|user|seat|hour|hr)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?")
_MARKUP = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Fragment:
    """A piece of site wording that passed the grounding check on its own."""

    text: str
    uses: tuple[ClaimUse, ...] = ()
    author: str = ""
    # Offers and prices: their small print is part of the claim, so they are only ever
    # shortened at a whole clause, never before a trailing condition.
    conditional: bool = False
    section: str = ""
    open_quote: str = "“"
    close_quote: str = "”"
    # Other grounded wordings of the same item, shortest last ("Rated 4.8/5").
    alts: tuple[str, ...] = ()

    @property
    def phrase(self) -> str:
        """Headline form: no closing full stop."""
        return self.text.rstrip(" .")

    @property
    def sentence(self) -> str:
        t = self.text.strip()
        if t[-1:] in '.!?…”"“。！？':
            return t
        return t + ("。" if t and char_width(t[-1]) == 2 else ".")

    @property
    def lower(self) -> str:
        return _lower_first(self.phrase)

    @property
    def is_quote(self) -> bool:
        return self.text.startswith(("“", "„", "«", '"'))

    def forms(self) -> tuple[str, ...]:
        """Complete phrases this fragment can be said as, longest (most informative) first."""
        if self.is_quote:
            return ()
        forms = _forms(self.phrase, self.conditional)
        return forms + tuple(a for a in self.alts if a not in forms)


def _forms(phrase: str, conditional: bool) -> tuple[str, ...]:
    out = [phrase]
    for p in (*shorter_phrases(phrase, conditional), *inner_phrases(phrase)):
        if p not in out:
            out.append(p)
    return tuple(out)


@dataclass
class Draft:
    """One way of writing one angle on one piece of content, before fitting to a platform."""

    angle: Angle
    key: str
    headlines: list[str]
    # Sentences the body must contain, in order; then optional ones, packed while they fit.
    required: list[str]
    optional: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    uses: list[ClaimUse] = field(default_factory=list)
    cta: tuple[str, str] = ("Learn More", "")
    # How many leading headlines say exactly what the body says (an offer's own terms, the
    # answer of a problem ad): they are tried before shorter but unrelated ones.
    pinned: int = 0


def _lower_first(text: str) -> str:
    """Lower-case the first letter, as the site would write the phrase mid-sentence — unless the
    first word is a name or acronym ("Dawson Whitfield of Logojoy", "SOC 2") or the phrase is in
    title case ("Before and After Product-Market Fit"): then its casing is the site's, kept as is."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        words = text.split()
        first = words[0]
        if first.lower() in ("i",) or any(c.isupper() for c in first[1:]):
            return text
        following = [w for w in words[1:] if w[:1].isalpha() and len(w) > 3]
        if following and following[0][:1].isupper():
            return text  # "Dawson Whitfield", "Indie Hackers": a name, or a title-cased phrase
        if following and sum(1 for w in following if w[:1].isupper()) * 2 >= len(following):
            return text
        return text[0].lower() + text[1:]
    return text


def _cap(text: str) -> str:
    """Sentence-initial capital (a lower-case brand like "eBay" is left alone by the caller)."""
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?。！？])\s*", text) if s.strip()]


def _mostly_non_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 4:
        return False
    latin = sum(1 for ch in letters if ch.isascii() or "LATIN" in unicodedata.name(ch, ""))
    return latin / len(letters) < 0.5


def _slug(text: str, limit: int) -> str:
    words = re.findall(r"[^\W_]+", text)
    out = ""
    for w in words:
        cand = f"{out}-{w.capitalize()}" if out else w.capitalize()
        if display_width(cand) > limit:
            break
        out = cand
    return out


def _numbers(text: str) -> frozenset[Decimal]:
    out: set[Decimal] = set()
    for m in _NUMBER.finditer(text):
        value = parse_number(m.group(0))
        if value is not None:
            out.add(value)
    return frozenset(out)


_FUNCTION_WORDS = frozenset(
    {"that", "this", "with", "your", "from", "they", "them", "have", "will", "into", "more", "than", "what", "when"}
)


def _content(text: str) -> set[str]:
    """Five-letter stems of the content words: for "does this say something new?" tests."""
    return {w[:5] for w in re.findall(r"[^\W\d_]{4,}", text.lower()) if w not in _FUNCTION_WORDS}


def _interleave(*lists: list[Fragment]) -> list[Fragment]:
    out: list[Fragment] = []
    for i in range(max((len(x) for x in lists), default=0)):
        for x in lists:
            if i < len(x) and x[i] not in out:
                out.append(x[i])
    return out
