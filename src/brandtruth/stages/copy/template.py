"""The default copy generator: offline, deterministic, and built only from what the site says.

It never needs a network or a model. Copy is assembled from the profile's value propositions,
allowed (low/medium-risk, or high-risk when enabled) claims, social proof, tagline and site
CTAs, with several phrasings per angle chosen by a seeded RNG: the same profile and seed always
give the same variants, another seed gives other phrasings.

How it reads like an ad rather than a pile of site fragments:
- Site wording is tidied (`phrasing.tidy`) and section headings are left out ("Why teams switch
  to Clearbeam" is a heading, not a sentence to run).
- Content is sorted by what it is: social proof (testimonials with their authors, ratings,
  customer counts, awards, named customer results) is what the social-proof angle quotes;
  offers keep their small print; problem statements from the site open problem/solution ads.
- Headlines are whole phrases. A short phrase of the same angle is preferred to shortening a
  long one, and a shortened headline ends at a clause boundary or before a trailing modifier,
  never inside a noun phrase (`phrasing.shorter_phrases`). Bodies are whole sentences.
- The CTA button is the platform button that best fits the site's own main action (a SaaS
  trial before a demo), and the closing line names a domain only when a reader could type it.

Every fragment is grounding-checked *before* use (a value proposition that states an
unsupported number is simply not used), and every assembled variant is validated again by
`checks.validate_variant`; a candidate that fails is replaced by the next phrasing, and a slot
with no passing candidate is recorded as dropped.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TypeVar
from urllib.parse import urlsplit

from brandtruth.models.brand import BrandProfile, ClaimKind, Evidence
from brandtruth.models.copy import Angle, ClaimUse, CopyVariant, DroppedVariant, Platform
from brandtruth.platforms import PlatformSpec, char_width, display_width, spec_for
from brandtruth.stages.copy.checks import RunRegistry, merge_claims, merge_proof, validate_variant
from brandtruth.stages.copy.grounding import GroundingReport, SupportIndex, normalize_text, parse_number
from brandtruth.stages.copy.phrasing import (
    display_domain,
    ends_complete,
    inner_phrases,
    is_heading,
    looks_english,
    shorter_phrases,
    tidy,
)
from brandtruth.stages.copy.platforms import fit_text, map_cta
from brandtruth.stages.copy.words import wordset as _wordset

GENERATOR_NAME = "template"
_T = TypeVar("_T")

# Which angles lead, by campaign objective.
_OBJECTIVE_ORDER: dict[str, tuple[Angle, ...]] = {
    "conversions": (
        Angle.BENEFIT,
        Angle.OFFER,
        Angle.SOCIAL_PROOF,
        Angle.PROBLEM_SOLUTION,
        Angle.FEATURE,
        Angle.CURIOSITY,
    ),
    "leads": (
        Angle.PROBLEM_SOLUTION,
        Angle.BENEFIT,
        Angle.SOCIAL_PROOF,
        Angle.OFFER,
        Angle.FEATURE,
        Angle.CURIOSITY,
    ),
    "awareness": (
        Angle.BENEFIT,
        Angle.CURIOSITY,
        Angle.SOCIAL_PROOF,
        Angle.FEATURE,
        Angle.PROBLEM_SOLUTION,
        Angle.OFFER,
    ),
    "traffic": (
        Angle.CURIOSITY,
        Angle.BENEFIT,
        Angle.FEATURE,
        Angle.SOCIAL_PROOF,
        Angle.PROBLEM_SOLUTION,
        Angle.OFFER,
    ),
}

_OFFER_KINDS = {ClaimKind.PRICING, ClaimKind.GUARANTEE}
_OFFER_WORDS = re.compile(
    r"(?:\d\s?%|[$€£]\d+)\s?off\b|"
    r"\b((?<![-\w])free|try|trial|discount|save|saving|offer|deal|guarantee|refund|money-back|"
    r"no credit card)\b",
    re.IGNORECASE,
)
# Statements that are about other people choosing the brand: what the social-proof angle quotes.
_PROOF_WORDS = re.compile(
    r"\b(trusted|customers?|clients?|reviews|rated|rating|stars?|users|members|subscribers|served|join|"
    r"homes|households|businesses|brands|award|awards|awarded|winner|won|featured|as seen)\b",
    re.IGNORECASE,
)
# Measured outcomes ("cuts reporting time by 40%", "3 hours saved"): benefits with a number.
_RESULT_WORDS = re.compile(
    r"\b(cut|cuts|save|saves|saved|faster|reduce|reduces|reduced|boost|boosts|increase|increases|"
    r"fewer|less)\b",
    re.IGNORECASE,
)
# Pain the site itself names ("Spreadsheets break at the worst moment"): openers for
# problem/solution ads.
_PAIN_WORDS = re.compile(
    r"\b(break|breaks|broke|broken|crash|crashes|waste|wasted|wasting|tired|stuck|chaos|hassle|headaches?|"
    r"worst|missed|slow|errors?|mistakes?|stress|stressful|guesswork|scramble|"
    r"chasing|struggle|struggling|frustrat\w*|overwhelm\w*|painful|burst|backups?|outages?|downtime|"
    r"no-shows?|squint)\b",
    re.IGNORECASE,
)
_LEANING = re.compile(
    r"^(?:that|this|these|those|it|it's|they|them|then|now|so|and|but|or|also|with|plus|which|since|because)\b",
    re.IGNORECASE,
)
# A sentence quoted on its own must itself say something good ("Customers noticed the
# difference in a week"), not set the scene ("Water heater died on a Sunday night").
_PRAISE = re.compile(
    r"\b(?:love[sd]?|great|excellent|amazing|fantastic|perfect|easy|easier|simple|fast|faster|quick|finally|"
    r"recommend\w*|saved?|saves|best|happy|glad|worth|noticed|gone|smooth|ritual|agrees?|always|trust\w*|"
    r"reliable|helpful|friendly|fair|on time|changed|replaced|caught|dropped|no more|favou?rite|delicious)\b",
    re.IGNORECASE,
)
_BEFORE_STATE = re.compile(r"\b(?:used to|before|previously|had to|was|were)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:we|we're|we’re|our|us|i|my)\b", re.IGNORECASE)
_RESOLUTION = re.compile(
    r"\b(?:keeps?|works?|prevents?|stops?|stopped|without|no more|never|saves?|handles?|fixe[sd]|finds?|"
    r"automatically|protects?|instead)\b",
    re.IGNORECASE,
)
_NEGATED_START = re.compile(r"^(?:no|never|without|zero|nothing|none)\b", re.IGNORECASE)
_PRONOUN_START = re.compile(r"^(?:our|we|we're|we’re|you|your|i|my|us)\b", re.IGNORECASE)
_NAV_CTA = re.compile(
    r"\b(log ?in|sign ?in|my account|cart|menu|search|close|skip|cookie|accept|privacy|back|view details|"
    r"follow)\b",
    re.IGNORECASE,
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
    """Lower-case the first letter unless the first word looks like a name or acronym."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        first = text.split(" ", 1)[0]
        if first.lower() not in ("i",) and not any(c.isupper() for c in first[1:]):
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


@dataclass
class Pools:
    """Everything the template may say about the brand, each item already grounded."""

    brand: str
    domain: str
    vps: list[Fragment]
    proof: list[Fragment]
    testimonials: list[Fragment]
    features: list[Fragment]
    offers: list[Fragment]
    about: list[Fragment]
    tagline: Fragment | None
    key_terms: list[str]
    # Site CTA wording, best fit for the brand first.
    site_ctas: list[str]
    exclaim: bool
    # The site is not written in English (e.g. German or Japanese): the English connective
    # phrasings would produce mixed-language copy, so only the site's own sentences are used.
    verbatim: bool
    formal: bool
    problems: list[Fragment] = field(default_factory=list)
    minor: list[Fragment] = field(default_factory=list)
    # The site's own wording, as written (for telling a name from a common phrase).
    corpus: str = ""
    offer_alts: list[Fragment] = field(default_factory=list)
    prices: list[Fragment] = field(default_factory=list)
    # Certifications and compliance ("SOC 2 Type II certified"): proof of trust, quoted after
    # what customers say and how they rate the brand.
    trust: list[Fragment] = field(default_factory=list)
    skipped: int = 0

    @property
    def has_substance(self) -> bool:
        return bool(self.vps or self.proof or self.testimonials or self.features or self.offers or self.trust)


def _grounded(index: SupportIndex, text: str) -> GroundingReport | None:
    report = GroundingReport()
    index.check_text("fragment", text, report)
    return report if report.ok else None


def _cta_rank(wording: str) -> int:
    """How well a site CTA fits as the ad's main action (lower is better).

    Starting a trial, signing up, shopping or booking a visit is what a user of the site came to
    do; a demo request or "contact sales" is the second choice; "learn more" the last.
    """
    low = wording.lower()
    if re.search(r"\bdemo\b|\bcontact\b|\btalk to\b|\bsales\b", low):
        return 2
    if re.search(r"\b(free|trial|try|get started|start|sign ?up|join|create|register|shop|buy|order|bestell)", low):
        return 0
    if re.search(r"\b(book|reserve|appointment|call|quote|estimate|survey)\b", low) or _PHONE.search(low):
        return 0
    if re.search(r"\bsubscribe\b", low):
        return 1
    return 3


_STRONG_OFFER = re.compile(r"\b((?<![-\w])free|trial|save|discount|deal)\b|%", re.IGNORECASE)


def _offer_rank(text: str) -> int:
    """Trials, free things and discounts lead; no-card/guarantee terms next; prices with their
    context after; pricing small print without an offer or a price is not ad material (3)."""
    if _STRONG_OFFER.search(text):
        return 0
    if _OFFER_WORDS.search(text):
        return 1
    return 2 if _NUMBER.search(text) else 3


def _count_phrase(text: str) -> str:
    """ "12,000 Trusted by 12,000 teams" (a stat block's number glued to its label) → the label."""
    m = re.match(r"^([\d.,]+\+?)\s+(.*)$", text)
    if m and m.group(1).rstrip("+") in m.group(2):
        return m.group(2)
    return text


def _rating_options(value: float, scale: float, count: int | None, platform: str) -> list[str]:
    base = f"{value:g}/{scale:g}"
    out: list[str] = []
    if platform:
        out.append(f"Rated {base} on {platform}")
    if count:
        out += [f"Rated {base} from {count:,} reviews", f"{base} from {count:,} reviews"]
    out.append(f"Rated {base}")
    return out


def _rating_platform(quotes: list[str], source: str) -> str:
    """Where the rating was given ("G2", "Google"), as the evidence itself names it.

    `Rating.source` is often how the extractor found the rating ("json-ld", "text"), which is
    not a name to print.
    """
    for q in quotes:
        m = re.search(r"\bon ([A-Z][\w.&-]*(?: [A-Z][\w.&-]*)?)", q) or re.search(r"\b([A-Z][\w.&-]+) reviews\b", q)
        if m:
            return m.group(1)
    if source and source[:1].isupper() and source.lower() not in ("json-ld", "microdata", "rdfa", "text", "meta"):
        return source
    return ""


def _claim_category(kind: ClaimKind, text: str, url: str, named_customer: bool) -> str:
    """Where a (non-offer) claim belongs: proof, trust, result, problem, minor or feature."""
    if named_customer or kind is ClaimKind.AWARD:
        return "proof"
    if kind in (ClaimKind.STATISTIC, ClaimKind.SUPERLATIVE, ClaimKind.COMPARISON) and _PROOF_WORDS.search(text):
        return "proof"
    if kind is ClaimKind.CERTIFICATION:
        return "trust"
    if kind in (ClaimKind.STATISTIC, ClaimKind.COMPARISON) and _RESULT_WORDS.search(text):
        return "result"
    if _is_problem(text):
        return "problem"
    path = urlsplit(url).path
    if _COMPANY_PAGE.search(path) or _PLAN_PAGE.search(path):
        return "minor"
    return "feature"


def _is_problem(text: str) -> bool:
    """A sentence naming a pain in the reader's world ("Spreadsheets break at the worst moment."),
    not the brand describing itself ("we roast …", "keeps working during outages")."""
    return (
        text.endswith(".")
        and len(text.split()) >= 4
        and _PAIN_WORDS.search(text) is not None
        and _NEGATED_START.match(text) is None
        and _FIRST_PERSON.search(text) is None
        and _RESOLUTION.search(text) is None
    )


def build_pools(profile: BrandProfile, index: SupportIndex) -> Pools:
    """Collect and pre-check every usable fragment of the profile, best first."""
    skipped = 0
    seen: set[str] = set()
    sample = " ".join([profile.tagline, profile.description, *profile.value_propositions])
    sample += " " + " ".join(c.text for c in profile.claims[:12])
    non_latin = _mostly_non_latin(sample)
    verbatim = non_latin or not looks_english(sample)
    # Quotes as the site writes them: „German“ or “English”.
    quoted_text = " ".join(
        [sample, *(t.quote for t in profile.social_proof.testimonials)]
        + [e.quote for t in profile.social_proof.testimonials for e in t.evidence]
        + [c.text for c in profile.claims if c.kind is ClaimKind.TESTIMONIAL]
    )
    opening, closing = ("„", "“") if "„" in quoted_text else ("“", "”")
    brand = tidy(profile.brand_name)

    def frag(
        text: str,
        claim_id: str | None = None,
        author: str = "",
        max_width: int = 150,
        conditional: bool = False,
        section: str = "",
        allow_heading: bool = False,
        clause_fallback: bool = False,
    ) -> Fragment | None:
        nonlocal skipped
        text = tidy(text)
        if len(text) < 3 or display_width(text) > max_width:
            return None
        if not allow_heading and is_heading(text, brand):
            return None
        key = normalize_text(text).rstrip(".!")
        if key in seen:
            return None
        report = _grounded(index, text)
        if report is None and clause_fallback:
            # "Frische Brötchen, süße Stückchen und Café crème – seit 1952": the year has no
            # evidence, the leading clause says nothing that needs any.
            for short in shorter_phrases(text.rstrip(".!"), True):
                key = normalize_text(short)
                if key not in seen and (report := _grounded(index, short)) is not None:
                    text = short
                    break
        if report is None:
            skipped += 1
            return None
        seen.add(key)
        uses = list(report.claims_used)
        if claim_id and not any(u.claim_id == claim_id for u in uses):
            uses.insert(0, ClaimUse(claim_id=claim_id, span=text.rstrip(" .")))
        return Fragment(text, tuple(uses), author, conditional, section, opening, closing)

    def quoted(quote: str, claim_id: str | None = None, author: str = "") -> Fragment | None:
        inner = tidy(quote).strip('"“”„«»')
        if not inner:
            return None
        return frag(f"{opening}{inner}{closing}", claim_id, author=author, max_width=400, allow_heading=True)

    sp = profile.social_proof
    # Testimonials: the site's own (with who said it) before the bare testimonial claims, so the
    # attribution survives de-duplication.
    testimonials: list[Fragment] = []
    for tm in sp.testimonials:
        if not tm.evidence:
            continue
        # "Jürgen Maier, Stammkunde seit 1998": a year in the byline would be a claim of its own.
        second = tm.company or (tm.role if tm.role and not re.search(r"\d", tm.role) else None)
        who = ", ".join(tidy(x) for x in (tm.author, second) if x)
        if (f := quoted(tm.quote, author=who)) is not None:
            testimonials.append(f)

    proof: list[Fragment] = []
    for r in sp.ratings:
        if not r.evidence:
            continue
        where = _rating_platform([e.quote for e in r.evidence], r.source)
        passing = [o for o in _rating_options(r.value, r.scale, r.count, where) if _grounded(index, o) is not None]
        if passing and (f := frag(passing[0])) is not None:
            # The other wordings ("Rated 4.8/5") are shorter headlines for the same rating.
            proof.append(replace(f, alts=tuple(passing[1:])))
    for cc in sp.customer_counts:
        if not cc.evidence:
            continue
        text = _count_phrase(tidy(cc.text))
        # "12,000+ teams" is a label; the site's own "Trusted by 12,000+ teams" is a sentence.
        options = [text, *inner_phrases(text)]
        if _PRICE_START.match(text) or text[:1].isdigit():
            options = [p for e in cc.evidence for p in inner_phrases(tidy(e.quote))] + options
        for option in options:
            if (f := frag(option)) is not None:
                proof.append(f)
                break

    logos = {normalize_text(lg.name) for lg in sp.customer_logos if lg.name}
    logos |= {normalize_text(t.company) for t in sp.testimonials if t.company}

    def named_customer(text: str) -> bool:
        low = normalize_text(text)
        return any(low.startswith(name) for name in logos if name)

    features: list[Fragment] = []
    # Company facts (headcount, offices) and plan limits ("5 data sources"): true, but only
    # worth a feature ad of their own after everything else, never a headline elsewhere.
    minor: list[Fragment] = []
    offers: list[tuple[int, Fragment]] = []
    results: list[Fragment] = []
    problems: list[Fragment] = []
    claim_proof: list[Fragment] = []
    certifications: list[Fragment] = []
    prices: list[Fragment] = []
    forbidden = {c.id for c in index.forbidden}
    vp_keys = {normalize_text(tidy(v)).rstrip(".!") for v in profile.value_propositions}
    # A value proposition that is only the heading of claims the run may not use ("Good for
    # you" above a health claim) would imply that claim, so it is not said either.
    allowed_sections = {normalize_text(e.section) for c in profile.claims if c.id not in forbidden for e in c.evidence}
    implied = {normalize_text(e.section).rstrip(".!") for c in index.forbidden for e in c.evidence} - allowed_sections
    vp_claims: dict[str, Fragment] = {}
    for claim in profile.claims:
        if claim.id in forbidden:
            continue
        ev: Evidence = claim.evidence[0]
        if claim.kind is ClaimKind.TESTIMONIAL:
            for q in [claim.text, *(e.quote for e in claim.evidence)]:
                if (f := quoted(q, claim.id)) is not None:
                    testimonials.append(f)
                    break
            continue
        text = tidy(claim.text)
        if verbatim and len(text.split()) <= 3 and normalize_text(text) == normalize_text(ev.section):
            continue  # a section title ("Süße Stückchen") in a language the heading rules do not read
        is_offer = claim.kind in _OFFER_KINDS or bool(_OFFER_WORDS.search(text))
        f = None
        for t in [claim.text, *sorted((e.quote for e in claim.evidence), key=len)]:
            f = frag(t, claim.id, conditional=is_offer, section=ev.section)
            if f is not None:
                break
        if f is None:
            continue
        kind = "offer" if is_offer else _claim_category(claim.kind, f.text, ev.url, named_customer(f.text))
        key = normalize_text(f.text).rstrip(".!")
        if key in vp_keys and kind in ("feature", "result", "minor", "problem"):
            vp_claims[key] = f  # said as the value proposition it also is
            continue
        if kind == "offer":
            if _bare_price(f.text):
                # Without the product it buys, a price is at most a description line, and only
                # with its unit ("$29/user/month", never a bare "3,20 €").
                if _UNIT.search(f.text):
                    prices.append(f)
                continue
            rank = _offer_rank(f.text)
            if rank < 3:
                offers.append((rank, f))
        else:
            {
                "proof": claim_proof,
                "trust": certifications,
                "result": results,
                "problem": problems,
                "minor": minor,
                "feature": features,
            }[kind].append(f)

    # The same rating or count said three ways on a site is one piece of proof, not three.
    proof_all: list[Fragment] = []
    signatures: list[frozenset[Decimal]] = []
    for f in [*proof, *claim_proof]:
        nums = _numbers(" ".join([f.text, *f.alts]))
        if nums and any(nums <= s for s in signatures):
            continue
        if nums:
            signatures.append(nums)
        proof_all.append(f)

    vps: list[Fragment] = []
    for v in profile.value_propositions:
        key = normalize_text(tidy(v)).rstrip(".!")
        if key in implied:
            continue
        f = vp_claims.pop(key, None) or frag(v, clause_fallback=True)
        if f is None:
            continue
        if _OFFER_WORDS.search(f.text):
            offers.append((_offer_rank(f.text), Fragment(f.text, f.uses, conditional=True)))
        elif _PROOF_WORDS.search(f.text) and _NUMBER.search(f.text):
            proof_all.append(f)
        else:
            vps.append(f)
    vps += results

    # "Start free for 14 days", "Every plan starts with a 14-day free trial", "Try it free for
    # 14 days": one offer said three ways is one item; the other wordings can still head it.
    offer_items: list[Fragment] = []
    offer_alts: list[Fragment] = []
    offer_sigs: list[tuple[frozenset[Decimal], frozenset[str]]] = []
    cta_words = [_content(c) for c in profile.site_ctas]
    for _, f in sorted(offers, key=lambda x: x[0]):
        if len(f.text.split()) <= 3 and not _NUMBER.search(f.text) and any(_content(f.text) <= w for w in cta_words):
            offer_alts.append(f)  # "Start free." is the site's button, not an offer to lead with
            continue
        sig = (_numbers(f.text), frozenset(m.group(0).lower() for m in _OFFER_WORDS.finditer(f.text)))
        same = next(
            (
                k
                for k, (s0, s1) in enumerate(offer_sigs)
                if (sig[0] or sig[1]) and sig[0] == s0 and (sig[1] & s1 or not sig[1])
            ),
            None,
        )
        if same is None:
            offer_sigs.append(sig)
            offer_items.append(f)
        elif len(f.text) > len(offer_items[same].text) and len(f.text.split()) <= 12:
            # The fullest wording of one offer leads ("Every plan starts with a 14-day free
            # trial." over "Start free for 14 days."); the others can still head it.
            offer_alts.append(offer_items[same])
            offer_items[same] = f
        else:
            offer_alts.append(f)

    tagline = frag(profile.tagline, clause_fallback=True) if profile.tagline else None
    about: list[Fragment] = []
    for sentence in _sentences(tidy(profile.description))[:3]:
        if (f := frag(sentence, clause_fallback=True)) is None:
            continue
        if _OFFER_WORDS.search(f.text) and _offer_rank(f.text) < 3:
            offer_items.append(replace(f, conditional=True))  # "Free site survey." is an offer
        else:
            about.append(f)
    if tagline is None and about:
        tagline = about.pop(0)

    markup = " ".join(m.group(0).lower() for t in (profile.tagline, profile.description) for m in _MARKUP.finditer(t))
    key_terms: list[str] = []
    for term in profile.key_terms:
        t = tidy(term)
        if (
            t
            and len(t) <= 30
            and normalize_text(t) != normalize_text(profile.brand_name)
            and t.lower() not in markup
            and _grounded(index, t) is not None
            and normalize_text(t) not in (normalize_text(k) for k in key_terms)
        ):
            key_terms.append(t)

    site_ctas: list[str] = []
    for cta in profile.site_ctas:
        c = tidy(cta)
        if (
            c
            and len(c) <= 32
            and not _NAV_CTA.search(c)
            and _grounded(index, c) is not None
            and normalize_text(c) not in (normalize_text(x) for x in site_ctas)
        ):
            site_ctas.append(c)
    site_ctas.sort(key=_cta_rank)

    tone = profile.tone
    return Pools(
        brand=brand or display_domain(profile.url) or (urlsplit(profile.url).hostname or ""),
        domain=display_domain(profile.url),
        vps=vps,
        proof=proof_all,
        testimonials=testimonials,
        features=features,
        minor=minor,
        offers=offer_items,
        offer_alts=offer_alts,
        prices=prices,
        trust=certifications,
        about=about,
        tagline=tagline,
        key_terms=key_terms,
        site_ctas=site_ctas,
        exclaim=(tone.exclamation_rate or 0.0) >= 0.15,
        verbatim=verbatim,
        formal=(tone.reading_ease is not None and tone.reading_ease < 40) or "formal" in tone.summary.lower(),
        problems=problems,
        corpus=" ".join([sample, *(e.quote for c in profile.claims for e in c.evidence)]),
        skipped=skipped,
    )


# ---------------------------------------------------------------------------------------------
# Drafts per angle
# ---------------------------------------------------------------------------------------------

# (required sentences, optional sentences) of one body phrasing.
_Bodies = list[tuple[list[str], list[str]]]
_Mk = Callable[[list[str], _Bodies, Iterable[Fragment | None] | None, int], Iterator[Draft]]
_Tiers = Callable[[Fragment | None, list[str] | None], list[str]]

# Key terms that make a natural "Need help with …?" question: activities ("scheduling",
# "drain cleaning"), plurals ("live reports") and a few mass nouns. A singular countable noun
# ("water heater") or a proper name would read wrongly.
_MASS_NOUNS = _wordset(
    "sync support payroll billing security compliance maintenance insurance marketing training plumbing "
    "accounting hiring reporting analytics bookkeeping landscaping roofing"
)


# Action words every CTA has; a CTA "names what an item is about" only through other words.
_CTA_VERBS = frozenset({"book", "start", "shop", "call", "order", "join", "sign", "learn", "more", "today", "demo"})


def _question_term(term: str, corpus: str) -> str | None:
    """The key term as the object of a question ("Need help with scheduling?"), or None.

    Only activities ("scheduling", "drain cleaning") and a few mass nouns ("calendar sync")
    qualify — "How much of your week goes into rooftop systems?" does not read — and only when
    the site itself writes the term in lower case somewhere ("Arizona homes" is a name).
    """
    words = term.split()
    if not words or any(w[:1].isupper() for w in words[1:]) or not all(w.isalpha() for w in words):
        return None
    if term.lower() not in corpus:
        return None
    last = words[-1].lower()
    if last.endswith("ing") and len(last) > 5:
        return _lower_first(term)
    if last in _MASS_NOUNS:
        return _lower_first(term)
    return None


class _Writer:
    """Produces drafts for one platform from the pools, with seeded phrasing choices."""

    def __init__(self, pools: Pools, platform: Platform, rng: random.Random) -> None:
        self.p = pools
        self.platform = platform
        self.rng = rng
        self.ctas = self._ctas()
        self._rsa_pool: list[str] | None = None
        # Headlines this platform already runs (any angle): another one is preferred.
        self.used_heads: set[str] = set()

    # -- CTA -------------------------------------------------------------------------------

    def _ctas(self) -> list[tuple[str, str, str]]:
        """(button, closing line, site wording), best fit first: the site's own actions mapped
        to the platform's buttons."""
        out: list[tuple[str, str, str]] = []
        end = "!" if self.p.exclaim and not self.p.verbatim else "."
        for wording in self.p.site_ctas:
            button = map_cta(wording, self.platform)
            if button is None:
                if not self.p.verbatim:
                    continue
                button = "Learn More"
            if self.p.verbatim:
                stop = "。" if char_width(wording[-1]) == 2 else "."
                line = f"{wording}{stop}"
            else:
                where = f" at {self.p.domain}" if self.p.domain and not _PHONE.search(wording) else ""
                line = f"{wording[0].upper()}{wording[1:]}{where}{end}"
            if all(b != button for b, _, _ in out):
                out.append((button, line, wording))
        if not out:
            line = f"Learn more at {self.p.domain}{end}" if self.p.domain and not self.p.verbatim else ""
            out.append(("Learn More", line, ""))
        return out

    def cta(self, item: Fragment | None, slot: int) -> tuple[str, str]:
        """The button and closing line for a variant about `item`.

        A site action that names what the item is about ("Subscribe & save 15%" for the
        subscription offer) wins; otherwise the site's main action, rotating only among equally
        good ones (a plumber's "Book now" and "Call …").
        """
        if item is not None and len(self.ctas) > 1:
            words = _content(item.text) - _CTA_VERBS
            for button, line, wording in self.ctas:
                if wording and words & (_content(wording) - _CTA_VERBS):
                    return button, line
        best = self.main_rank()
        top = [(b, line) for b, line, w in self.ctas if (_cta_rank(w) if w else 3) == best]
        return top[slot % len(top)]

    def main_rank(self) -> int:
        return _cta_rank(self.ctas[0][2]) if self.ctas[0][2] else 3

    def main_buttons(self) -> list[str]:
        """The buttons of the site's main action(s) (a trial, not the demo behind it)."""
        return [b for b, _, w in self.ctas if (_cta_rank(w) if w else 3) == self.main_rank()]

    # -- helpers ---------------------------------------------------------------------------

    def shuffled(self, options: list[_T]) -> list[_T]:
        order = list(range(len(options)))
        self.rng.shuffle(order)
        return [options[i] for i in order]

    @staticmethod
    def rotate(options: list[_T], slot: int) -> list[_T]:
        if not options:
            return options
        k = slot % len(options)
        return options[k:] + options[:k]

    def cap(self, text: str) -> str:
        return text if text.startswith(self.p.brand) else _cap(text)

    def fresh_first(self, groups: list[list[str]]) -> list[str]:
        """Headlines not yet used on this platform first within each group (stable otherwise)."""
        used = self.used_heads
        out: list[str] = []
        for g in groups:
            out += [h for h in g if normalize_text(h) not in used] + [h for h in g if normalize_text(h) in used]
        return out

    def names_brand(self, f: Fragment) -> bool:
        return normalize_text(self.p.brand) in normalize_text(f.text)

    def brand_led(self, f: Fragment) -> bool:
        """May this fragment be said as "Brand: …"? Not when it names the brand already, speaks
        as "our/we", is a question or a quote, or the site is not in English."""
        if self.p.verbatim or f.is_quote or f.text.endswith("?"):
            return False
        if normalize_text(self.p.brand) in normalize_text(f.text):
            return False
        return not _PRONOUN_START.match(f.text)

    def others(self, pool: list[Fragment], exclude: Fragment | None, slot: int, k: int = 4) -> list[Fragment]:
        """Up to `k` other fragments of `pool`, rotated by slot: candidates for the one supporting
        sentence of a body (the first that fits is used)."""
        gone = exclude.text if exclude else ""
        rest = [v for v in pool if v is not exclude and v.text != gone and not v.is_quote]
        return self.rotate(rest, slot)[:k]

    def related(self, term_words: set[str], pools: Iterable[Fragment], exclude: Fragment | None) -> Fragment | None:
        for f in pools:
            if f is not exclude and not f.is_quote and term_words & _content(f.text):
                return f
        return None

    def key_terms_for_questions(self) -> list[str]:
        return [q for t in self.p.key_terms if (q := _question_term(t, self.p.corpus))]

    # -- angles ----------------------------------------------------------------------------

    def items(self, angle: Angle) -> list[Fragment | None]:
        """Distinct pieces of content an angle can rest on (None = brand-only wording)."""
        p = self.p
        if p.verbatim:
            if angle is Angle.PROBLEM_SOLUTION:
                return []  # needs an English question
            if angle is Angle.CURIOSITY:
                own: list[Fragment | None] = [f for f in [p.tagline, *p.about[:1]] if f is not None]
                return own or [None]
        if angle is Angle.BENEFIT:
            return list(p.vps) or ([p.tagline] if p.tagline else [])
        if angle is Angle.SOCIAL_PROOF:
            return list(_interleave(self.fitting_testimonials(), [*p.proof, *p.trust]))
        if angle is Angle.PROBLEM_SOLUTION:
            out: list[Fragment | None] = list(p.problems)
            answers = p.vps or p.features
            if answers:
                # A question about something the brand does; never a content-free "Ready for a
                # change?".
                out += [Fragment(q, section="question") for q in self.key_terms_for_questions()[:3]]
            return out if answers else []
        if angle is Angle.FEATURE:
            return [*p.features, *p.minor]
        if angle is Angle.OFFER:
            return list(p.offers)
        # Curiosity always has the brand itself to talk about, in a few honest ways.
        cur: list[Fragment | None] = []
        if p.tagline:
            cur.append(p.tagline)
        cur.extend(p.about[:1])
        cur.extend([None] * (3 if not p.has_substance else 1))
        return cur

    def fitting_testimonials(self) -> list[Fragment]:
        """Testimonials that can be quoted whole on this platform first, then those with a
        sentence that stands on its own, then the rest (site order otherwise)."""
        budget = spec_for(self.platform).primary_max

        def rank(f: Fragment) -> int:
            lines = self.testimonial_lines(f)
            if display_width(lines[0]) <= budget:
                return 0
            return 1 if any(display_width(x) <= budget for x in lines[1:]) else 2

        return sorted(self.p.testimonials, key=rank)

    def same_angle(self, angle: Angle) -> list[Fragment]:
        """Other content of the same kind, whose short phrases can head an angle's variants."""
        p = self.p
        if angle is Angle.BENEFIT:
            return [*p.vps, *([p.tagline] if p.tagline else [])]
        if angle is Angle.SOCIAL_PROOF:
            return [*p.proof, *p.trust]
        if angle is Angle.OFFER:
            return [*p.offers, *p.offer_alts]
        if angle is Angle.FEATURE:
            return [*p.features, *p.vps, *([p.tagline] if p.tagline else [])]
        if angle is Angle.PROBLEM_SOLUTION:
            return list(p.vps)
        return [f for f in [p.tagline, *p.about] if f is not None]

    def descriptions(self, angle: Angle, item: Fragment | None, slot: int) -> list[str]:
        """Short lines for the description slot (Meta shows it under the headline), rotated.

        What the rest of the ad does not already say: an offer under proof, proof under an
        offer, an offer or proof under everything else.
        """
        p = self.p
        offers = [f for f in p.offers if f is not item]
        proof = [f for f in [*p.proof, *p.trust] if f is not item]
        vps = [f for f in p.vps if f is not item]
        if angle is Angle.OFFER:
            order = [*proof, *offers, *vps]
        elif angle is Angle.SOCIAL_PROOF:
            order = [*offers, *proof, *vps]
        else:
            order = [*offers, *proof, *vps]
        out: list[str] = []
        for f in [*order, *p.prices]:
            for form in f.forms()[:4]:
                if ends_complete(form) and form not in out:
                    out.append(form)
        return self.rotate(out, slot)

    def testimonial_lines(self, f: Fragment) -> list[str]:
        """The whole testimonial, then those of its sentences that stand on their own, each
        with who said it.

        A sentence that leans on the one before ("That never happens.", "With it we close in
        three") or only describes the time before the brand ("Month-end used to take us eight
        days.") would change what the customer said, so it is not quoted alone.
        """
        inner = f.text[1:-1] if len(f.text) > 2 else f.text
        parts = _sentences(inner)
        options = [inner]
        if len(parts) > 1:
            options += [s for s in parts if _PRAISE.search(s) and not _LEANING.match(s) and not _BEFORE_STATE.search(s)]
        by = f" — {f.author}." if f.author else ""
        return [f"{f.open_quote}{o}{f.close_quote}{by}" for o in options]

    def quote_headlines(self, f: Fragment) -> list[str]:
        inner = f.text[1:-1] if len(f.text) > 2 else f.text
        return [f"{f.open_quote}{s}{f.close_quote}" for s in sorted(_sentences(inner), key=len)]

    def verbatim_drafts(self, angle: Angle, item: Fragment | None, slot: int) -> Iterator[Draft]:
        """Drafts made only of the site's own sentences (sites not written in English)."""
        brand = self.p.brand
        cta = self.cta(item, slot)
        key = f"{angle.value}:{item.text if item else '-'}"
        if item is None:
            opener = self.p.tagline or (self.p.vps[0] if self.p.vps else None)
            required = [opener.sentence] if opener else [brand]
            yield Draft(angle, key, [brand], required, [], self.descriptions(angle, None, slot), cta=cta)
            return
        support = self.others([*self.p.vps, *self.p.about], item, slot)
        optional = [f.sentence for f in support]
        uses = list(item.uses) + [u for f in support for u in f.uses]
        own = list(item.forms()) if not item.is_quote else self.quote_headlines(item)
        others = [x for f in self.same_angle(angle) if f is not item for x in f.forms()]
        heads = [*own, *others, brand]
        leads = self.testimonial_lines(item) if item.is_quote else [item.sentence]
        for lead in leads:
            for opt in self.shuffled([optional, []]):
                yield Draft(angle, key, heads, [lead], opt, self.descriptions(angle, item, slot), uses, cta)

    def drafts(self, angle: Angle, item: Fragment | None, slot: int) -> Iterator[Draft]:
        """Drafts for `angle` resting on `item`, phrasings in seeded order."""
        if self.p.verbatim:
            yield from self.verbatim_drafts(angle, item, slot)
            return
        brand = self.p.brand
        domain = self.p.domain
        cta = self.cta(item, slot)
        base_uses = list(item.uses) if item else []
        key = f"{angle.value}:{item.text if item else '-'}"
        descriptions = self.descriptions(angle, item, slot)
        alternates = [f for f in self.same_angle(angle) if f is not item]

        def mk(
            heads: list[str],
            bodies: list[tuple[list[str], list[str]]],
            extra: Iterable[Fragment | None] | None = None,
            pinned: int = 0,
        ) -> Iterator[Draft]:
            uses = base_uses + [u for e in (extra or []) if e for u in e.uses]
            for required, optional in self.shuffled(bodies):
                yield Draft(
                    angle,
                    key,
                    [self.cap(h) for h in heads if h],
                    [self.cap(r) for r in required],
                    [self.cap(o) for o in optional if o],
                    descriptions,
                    uses,
                    cta,
                    pinned,
                )

        def headline_tiers(lead: Fragment | None, extra_first: list[str] | None = None) -> list[str]:
            """Whole short phrases before cut ones: the lead's own, then the same angle's other
            content, then the lead's shortened forms, then brand-led forms."""
            out: list[str] = list(extra_first or [])
            if lead is not None and not lead.is_quote:
                forms = lead.forms()
                out.append(forms[0])
                out += [x for x in forms[1:] if x in inner_phrases(lead.phrase)]
            rotated = [f for f in self.rotate(alternates, slot) if not f.is_quote]
            out += [f.phrase for f in rotated]
            out += [x for f in rotated for x in inner_phrases(f.phrase)]
            if lead is not None and not lead.is_quote:
                out += list(lead.forms()[1:])
                if self.brand_led(lead):
                    out.append(f"{brand}: {lead.lower}")
            return out

        if angle is Angle.BENEFIT and item:
            support = self.others(self.p.vps, item, slot + 1)
            second = [f.sentence for f in support]
            bodies: list[tuple[list[str], list[str]]] = [([item.sentence], second)]
            if self.brand_led(item):
                bodies.append(([f"{brand}: {item.lower}."], second))
            if not item.text.endswith("?") and not self.names_brand(item):
                bodies.append(([f"Why {brand}? {item.sentence}"], second))
            yield from mk(headline_tiers(item), bodies, support)
        elif angle is Angle.SOCIAL_PROOF and item:
            if item.is_quote:
                # A rating or count heads the quote; then a short line of the quote itself.
                heads = [x for f in self.p.proof for x in f.forms()]
                heads += self.quote_headlines(item)
                heads += [x for f in self.p.trust for x in f.forms()]
                heads.append(f"What customers say about {brand}")
                # A count or rating the headline does not already give may follow the quote.
                backing = [f.sentence for f in self.p.proof]
                for line in self.testimonial_lines(item):
                    yield from mk(heads, [([line], backing)], self.p.proof)
            else:
                support = self.others([*self.p.proof, *self.p.trust], item, slot)
                quote = self.p.testimonials[slot % len(self.p.testimonials)] if self.p.testimonials else None
                optional = [f.sentence for f in support]
                bodies = [([item.sentence], optional)]
                if quote:
                    bodies += [([item.sentence, line], []) for line in self.testimonial_lines(quote)[1:3]]
                if self.brand_led(item):
                    bodies.append(([f"{brand}: {item.lower}."], optional))
                yield from mk(headline_tiers(item), bodies, [*support, quote])
        elif angle is Angle.PROBLEM_SOLUTION:
            yield from self.problem_drafts(item, slot, mk, headline_tiers)
        elif angle is Angle.FEATURE and item:
            support = self.others(self.p.features, item, slot)
            second = [f.sentence for f in support]
            bodies = [([item.sentence], second)]
            if self.brand_led(item):
                bodies.append(([f"Inside {brand}: {item.lower}."], second))
            yield from mk(headline_tiers(item), bodies, support)
        elif angle is Angle.OFFER and item:
            # Another offer backs an offer best ("No credit card required"); a benefit otherwise.
            support = self.others(self.p.offers, item, slot) + self.others(self.p.vps, item, slot)
            if not support:
                support = self.others([f for f in [self.p.tagline, *self.p.about] if f], item, slot)
            second = [f.sentence for f in support]
            own = list(item.forms())
            if self.brand_led(item):
                own += [f"{brand}: {_lower_first(form)}" for form in own[:3]]
            heads = [*own, *headline_tiers(item)]
            if len(item.phrase.split()) <= 5 and self.brand_led(item):
                heads.append(f"{item.phrase} at {brand}")
            bodies = [([item.sentence], second)]
            if self.brand_led(item):
                bodies.append(([f"{brand}: {item.lower}."], second))
            # The offer's own terms head it: a headline about another offer would confuse.
            yield from mk(heads, bodies, support, len(own))
        elif angle is Angle.CURIOSITY:
            generic = [f"Meet {brand}", f"Discover {brand}", f"See what {brand} can do", f"Get to know {brand}"]
            if not self.p.formal:
                generic += [f"Say hello to {brand}", f"Have you met {brand}?"]
            heads = self.rotate(generic, slot + self.rng.randrange(len(generic)))
            if item:
                bodies = [([item.sentence], [])]
                if not self.names_brand(item):
                    bodies.append(([f"Curious about {brand}? {item.sentence}"], []))
                yield from mk(heads, bodies)
            else:
                vp = self.p.vps[slot % len(self.p.vps)] if self.p.vps else None
                if vp:
                    bodies = [([f"Curious about {brand}? {vp.sentence}"], [])] if not self.names_brand(vp) else []
                    if domain:
                        bodies.append(([vp.sentence, f"Find out how at {domain}."], []))
                else:
                    bodies = self.rotate(
                        [
                            ([f"Take a look at what {brand} offers."], []),
                            ([f"Curious about {brand}? Take a look."], []),
                            ([f"Find out what {brand} is about."], []),
                            ([f"See {brand} for yourself."], []),
                        ],
                        slot,
                    )
                yield from mk(heads, bodies, [vp])

    def problem_drafts(self, item: Fragment | None, slot: int, mk: _Mk, tiers: _Tiers) -> Iterator[Draft]:
        """A problem the site names (or a question about what the brand does), then the answer."""
        brand = self.p.brand
        answers_pool = [*self.p.vps, *self.p.features]
        if item is not None and item.section != "question":
            # The answer the site gives next to the problem comes first.
            same = [f for f in answers_pool if f.section and f.section == item.section and f is not item]
            answers = [*same, *self.rotate([f for f in self.p.vps if f not in same], slot)][:3]
            for answer in answers:
                # The answer heads the ad; the problem itself, then other benefits, if it cannot.
                own = [*answer.forms(), *item.forms()]
                heads = [*own, *tiers(answer, [])]
                bodies: list[tuple[list[str], list[str]]] = [([item.sentence, answer.sentence], [])]
                if self.brand_led(answer):
                    bodies.append(([item.sentence, f"{brand}: {answer.lower}."], []))
                yield from mk(heads, bodies, [answer], len(own))
            return
        ans: Fragment | None
        if item is not None:
            term = item.text
            q_words = _content(term)
            question_forms = [
                f"Need help with {term}?",
                f"Looking for a simpler way to handle {term}?",
                f"How much of your week goes into {term}?",
            ]
            if not self.p.formal:
                question_forms.append(f"Thinking about {term}?")
            q = question_forms[(slot + self.rng.randrange(len(question_forms))) % len(question_forms)]
            ans = self.related(q_words, [*self.p.vps, *self.p.features, *self.p.offers], None)
        else:
            return
        if ans is None:
            ans = (
                self.p.vps[slot % len(self.p.vps)] if self.p.vps else (self.p.features[0] if self.p.features else None)
            )
        if ans is None:
            return
        bodies = [([q, ans.sentence], [])]
        if self.brand_led(ans):
            bodies += [([q, f"{brand}: {ans.lower}."], []), ([q, f"Meet {brand}. {ans.sentence}"], [])]
        yield from mk([q, *ans.forms(), *tiers(ans, [])], bodies, [ans], 1 + len(ans.forms()))

    # -- RSA asset pools -------------------------------------------------------------------

    def rsa_headlines(self, spec: PlatformSpec) -> list[str]:
        """The brand's asset pool of complete headlines: whole phrases first, then shortened
        forms, then brand and action lines (computed once per platform)."""
        if self._rsa_pool is not None:
            return self._rsa_pool
        limit = spec.rsa_headline_max
        out: list[str] = []
        seen: set[str] = set()

        def add(text: str) -> None:
            t = text.rstrip(" .")
            if not t or display_width(t) > limit or not _complete(t, self.p.brand):
                return
            # One word is a label ("Availability"), not a headline — unless it is the brand.
            if len(t.split()) < 2 and normalize_text(t) != normalize_text(self.p.brand) and not _mostly_non_latin(t):
                return
            k = normalize_text(t)
            # "Rated 4.8/5" adds nothing next to "Rated 4.8/5 on G2".
            if any(o.startswith(k) or k.startswith(o) for o in seen):
                return
            if k not in seen and len(out) < spec.rsa_headlines_max + 3:
                seen.add(k)
                out.append(self.cap(t))

        p = self.p
        pools = [*p.vps, *p.proof, *p.offers, *p.features]
        if p.tagline:
            pools.insert(0, p.tagline)
        # Whole phrases first, then the shortened forms.
        for f in pools:
            if not f.is_quote:
                add(f.phrase)
        for f in pools:
            if not f.is_quote:
                for form in (*shorter_phrases(f.phrase, f.conditional, False), *inner_phrases(f.phrase)):
                    add(form)
        brand = p.brand
        add(brand)
        if not p.verbatim:
            add(f"Meet {brand}")
            add(f"Discover {brand}")
            for button in self.main_buttons():
                add(f"{button} Today")
        # The site's own action ("Jetzt vorbestellen") and short lines of its testimonials are
        # assets in any language.
        for _, _, wording in self.ctas:
            if wording and not _PHONE.search(wording) and _cta_rank(wording) == self.main_rank():
                add(wording)
        for f in p.testimonials:
            for line in self.quote_headlines(f):
                add(line)
        if p.domain:
            add(p.domain)
        self._rsa_pool = out
        return out

    def rsa_descriptions(self, draft: Draft, spec: PlatformSpec) -> list[str]:
        limit = spec.rsa_description_max
        out: list[str] = []
        seen: set[str] = set()
        _, cta_line = draft.cta
        lead = _pack(draft.required, draft.optional, cta_line, limit, self.p.verbatim)
        candidates = [lead] if lead else []
        p = self.p
        # The angle's own kind of content first (proof under a proof ad), then the rest.
        # (Other wordings of an offer already said are headline material, not new descriptions.)
        own = [f.sentence for f in self.same_angle(draft.angle) if not f.is_quote and f not in p.offer_alts]
        candidates += own + [f.sentence for f in [*p.vps, *p.proof, *p.offers, *p.features]]
        if p.tagline:
            candidates.append(p.tagline.sentence)
        if cta_line:
            candidates.append(cta_line)
        if not p.verbatim:
            candidates.append(f"Take a look at what {p.brand} offers.")
        fitted = [t for c in candidates if (t := _fit_sentence(c, limit, p.verbatim))]
        # Each description says something the others do not; a line already inside another is
        # used only when the set would otherwise be too small.
        for strict in (True, False):
            for t in fitted:
                k = normalize_text(t)
                if k in seen or (strict and any(k in o or o in k for o in seen)):
                    continue
                if len(out) < spec.rsa_descriptions_max:
                    seen.add(k)
                    out.append(t)
            if len(out) >= spec.rsa_descriptions_min:
                break
        return out


# ---------------------------------------------------------------------------------------------
# Fitting a draft to a platform
# ---------------------------------------------------------------------------------------------


def _join(parts: list[str]) -> str:
    text = ""
    for s in parts:
        if not s:
            continue
        text = s if not text else (f"{text}{s}" if char_width(text[-1]) == 2 else f"{text} {s}")
    return text


def _fit_sentence(sentence: str, limit: int, verbatim: bool) -> str:
    """The sentence if it fits; else its longest complete leading clause (at least four words)
    as a sentence; else "" — a body never ends mid-phrase."""
    s = " ".join(sentence.split())
    if display_width(s) <= limit:
        return s
    if " " not in s:
        # Unspaced (CJK) text: cut at a character boundary, preferring its own punctuation.
        cut = fit_text(s, limit - 1)
        return cut + "。" if len(cut) >= 8 else ""
    if s.startswith(("“", "„", '"')):
        return ""
    # Whole clauses only: a trailing "for the first year" is part of what the sentence says.
    for short in shorter_phrases(s.rstrip(".!?"), True):
        if len(short.split()) >= 4 and display_width(short) + 1 <= limit:
            return short + "."
    return ""


def _same_start(text: str, required: list[str]) -> bool:
    return bool(required) and normalize_text(text).startswith(normalize_text(required[0])[:20])


def _complete(phrase: str, brand: str) -> bool:
    """A complete phrase, or one that ends on the brand's own name ("Meet Studio 54")."""
    return ends_complete(phrase) or (bool(brand) and phrase.rstrip(" ?!.").endswith(brand))


def _pack(required: list[str], optional: list[str], cta_line: str, limit: int, verbatim: bool) -> str:
    """Required sentences (shortened at a clause if they must be), one supporting sentence and
    the closing CTA line, in that reading order, as far as they fit.

    When not everything fits, the closing line first loses its domain ("Start free trial at
    example.com." → "Start free trial."), then the supporting sentence gives way to it, then
    the closing line goes: the button says it anyway.
    """
    req = [" ".join(r.split()) for r in required if r.strip()]
    if not req:
        return ""
    if display_width(_join(req)) > limit:
        if len(req) > 1:
            return ""
        one = _fit_sentence(req[0], limit, verbatim)
        if not one:
            return ""
        req = [one]
    said = normalize_text(_join(req))
    # A supporting sentence must add something: not one mostly made of words already said.
    said_words = _content(said)
    extras = [
        e
        for x in optional
        if (e := " ".join(x.split()))
        and normalize_text(e).rstrip(".!?") not in said
        and len(_content(e) & said_words) * 2 <= len(_content(e))
    ]
    # The closing line is left out when the body already says it ("Subscribe and save 15%.").
    lines: list[str] = []
    if cta_line and not _content(cta_line) <= _content(said):
        lines = [cta_line]
        short = re.sub(r" at [\w.-]+\.[a-z]{2,}(?=[.!]$)", "", cta_line)
        if short != cta_line:
            lines.append(short)
    # One supporting sentence: an ad makes one point well.
    for tail in [*([x] for x in lines), []]:
        for e in extras:
            if display_width(_join([*req, e, *tail])) <= limit:
                return _join([*req, e, *tail])
    for tail in [[x] for x in lines]:
        if display_width(_join([*req, *tail])) <= limit:
            return _join([*req, *tail])
    return _join(req)


def headline_options(
    candidates: list[str], limit: int, soft: int | None, brand: str, verbatim: bool, pinned: int = 0
) -> list[list[str]]:
    """Headlines to try, in groups, best first: the draft's first `pinned` candidates that fit
    (an offer's own terms head it even a little over the soft width), then complete ones within
    the soft limit in the draft's order, then those within the hard limit; unspaced (CJK) text
    may be cut at a character boundary. The bare brand name comes last."""
    lead = {c.rstrip(" .") for c in candidates[:pinned]}
    whole: list[str] = []
    for c in candidates:
        h = c.rstrip(" .") if not c.endswith("?") else c
        if h and display_width(h) <= limit and _complete(h, brand) and h not in whole:
            whole.append(h)
    if not whole or verbatim:
        for c in candidates:
            if " " not in c and display_width(c) > limit:
                cut = fit_text(c, limit)
                if len(cut) >= 8 and cut not in whole:
                    whole.append(cut)
    bare = normalize_text(brand)
    last = [h for h in whole if normalize_text(h) == bare]
    whole = [h for h in whole if normalize_text(h) != bare]
    pinned_heads = [h for h in whole if h in lead]
    rest = [h for h in whole if h not in lead]
    if soft is None:
        return [pinned_heads, rest, last]

    def by_width(hs: list[str]) -> list[list[str]]:
        return [[h for h in hs if display_width(h) <= soft], [h for h in hs if display_width(h) > soft]]

    return [*by_width(pinned_heads), *by_width(rest), last]


def _variants_from_draft(
    draft: Draft, writer: _Writer, spec: PlatformSpec, slot: int, pinned_only: bool = False
) -> Iterator[tuple[CopyVariant, list[ClaimUse]]]:
    """Variants of one draft, one per usable headline, best first (only the draft's pinned
    headlines when `pinned_only`)."""
    button, cta_line = draft.cta
    verbatim = writer.p.verbatim
    if spec.is_rsa:
        pool = writer.rsa_headlines(spec)
        descs = writer.rsa_descriptions(draft, spec)
        if not descs or not _same_start(descs[0], draft.required):
            return  # the ad's own message did not fit a description; another draft will
        terms = [t for t in writer.p.key_terms if " " in t] or writer.p.key_terms
        path1 = _slug(terms[0], spec.path_max) if terms else ""
        path2 = _slug(button, spec.path_max)
        groups = headline_options(draft.headlines, spec.rsa_headline_max, None, writer.p.brand, verbatim, draft.pinned)
        if pinned_only and draft.pinned:
            groups = groups[:1]
        own = [writer.cap(h) for h in writer.fresh_first(groups)[:4]]
        for lead in own:
            key = normalize_text(lead)
            rest = [h for h in pool if not normalize_text(h).startswith(key) and not key.startswith(normalize_text(h))]
            ordered = [lead, *rest]
            ordered = ordered[: spec.rsa_headlines_max]
            if len(ordered) < spec.rsa_headlines_min:
                continue
            yield (
                CopyVariant(
                    id="v0",
                    platform=spec.platform,
                    angle=draft.angle,
                    headline=ordered[0],
                    primary_text=descs[0] if descs else "",
                    description=descs[1] if len(descs) > 1 else "",
                    cta=button,
                    headlines=ordered,
                    descriptions=descs,
                    path1=path1,
                    path2=path2,
                    generator=GENERATOR_NAME,
                ),
                draft.uses,
            )
        return
    groups = headline_options(
        draft.headlines, spec.headline_max, spec.headline_soft_max, writer.p.brand, verbatim, draft.pinned
    )
    if pinned_only and draft.pinned:
        groups = groups[: 1 if spec.headline_soft_max is None else 2]
    for headline in writer.fresh_first(groups):
        if spec.forbid_emoji_and_hash and "#" in headline:
            continue
        # The headline is not said again as an optional sentence of the body.
        hk = normalize_text(headline).rstrip(".!?")
        optional = [
            o for o in draft.optional if hk not in normalize_text(o) and normalize_text(o).rstrip(".!?") not in hk
        ]
        body = _pack(draft.required, optional, cta_line, spec.primary_max, verbatim)
        if spec.forbid_emoji_and_hash:
            body = body.replace("#", "")
        if not body or display_width(body) < spec.primary_min:
            return
        description = ""
        if spec.platform in (Platform.META, Platform.LINKEDIN):
            shown = normalize_text(f"{headline} {body}")
            shown_numbers = _numbers(shown)
            description = next(
                (
                    d
                    for d in draft.descriptions
                    if display_width(d) <= spec.description_max
                    and normalize_text(d) not in shown
                    and not _numbers(d) & shown_numbers
                ),
                "",
            )
        yield (
            CopyVariant(
                id="v0",
                platform=spec.platform,
                angle=draft.angle,
                headline=headline,
                primary_text=body,
                description=description,
                cta=button,
                generator=GENERATOR_NAME,
            ),
            draft.uses,
        )


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


@dataclass
class TemplateOutput:
    variants: list[CopyVariant]
    dropped: list[DroppedVariant]
    warnings: list[str]


def _rng(profile: BrandProfile, seed: int, platform: Platform) -> random.Random:
    digest = hashlib.sha256(f"{seed}|{profile.url}|{profile.brand_name}|{platform.value}".encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def angle_capacity(pools: Pools, platform: Platform) -> dict[Angle, int]:
    """How many distinct pieces of content each angle can rest on, for this profile."""
    writer = _Writer(pools, platform, random.Random(0))
    return {a: len(writer.items(a)) for a in Angle}


def angle_plan(pools_items: dict[Angle, int], objective: str, count: int) -> list[Angle]:
    """Spread `count` slots over the angles that have content, round-robin in objective order."""
    order = _OBJECTIVE_ORDER.get(objective.lower(), _OBJECTIVE_ORDER["conversions"])
    remaining = {a: pools_items.get(a, 0) for a in order}
    plan: list[Angle] = []
    while len(plan) < count and any(remaining.values()):
        for angle in order:
            if len(plan) >= count:
                break
            if remaining[angle] > 0:
                plan.append(angle)
                remaining[angle] -= 1
    return plan


def _place(
    writer: _Writer,
    spec: PlatformSpec,
    index: SupportIndex,
    registry: RunRegistry,
    angle: Angle,
    slot: int,
    used_items: dict[Angle, int],
) -> tuple[CopyVariant | None, str]:
    """The first candidate for `angle` that is new to the run and passes every check."""
    reason = f"no content for the {angle.value} angle"
    # This angle's next unused content item first, then the others. An item whose own words
    # can still head it (an offer's terms) is preferred to one that would borrow a headline.
    for pinned_only in (True, False):
        variant_and_reason = _place_pass(writer, spec, index, registry, angle, slot, used_items, pinned_only)
        if variant_and_reason[0] is not None:
            return variant_and_reason
        reason = variant_and_reason[1] or reason
    return None, reason


def _place_pass(
    writer: _Writer,
    spec: PlatformSpec,
    index: SupportIndex,
    registry: RunRegistry,
    angle: Angle,
    slot: int,
    used_items: dict[Angle, int],
    pinned_only: bool,
) -> tuple[CopyVariant | None, str]:
    items = writer.items(angle)
    start = used_items.get(angle, 0)
    reason = ""
    for offset in range(len(items)):
        idx = (start + offset) % len(items)
        for draft in writer.drafts(angle, items[idx], slot):
            if not pinned_only and not draft.pinned:
                continue  # tried in full in the first pass
            for variant, declared in _variants_from_draft(draft, writer, spec, slot, pinned_only):
                dup = registry.duplicate_reason(variant)
                if dup:
                    reason = dup
                    continue
                check = validate_variant(variant, spec, index)
                if not check.ok:
                    reason = "; ".join(check.issues[:3])
                    continue
                variant.claims_used = merge_claims(variant, declared, check.report, index)
                variant.proof_used = merge_proof(variant, check.report)
                variant.warnings = check.warnings
                registry.add(variant)
                writer.used_heads.add(normalize_text(variant.headline))
                used_items[angle] = idx + 1
                return variant, reason
    return None, reason


class PlatformWriter:
    """Fills one platform's slots one at a time, so a run can interleave platforms fairly."""

    def __init__(
        self,
        profile: BrandProfile,
        platform: Platform,
        count: int,
        seed: int,
        objective: str,
        index: SupportIndex,
        registry: RunRegistry,
        pools: Pools,
        angles: list[Angle] | None = None,
    ) -> None:
        self.platform = platform
        self.count = count
        self.index = index
        self.registry = registry
        self.spec = spec_for(platform)
        self.writer = _Writer(pools, platform, _rng(profile, seed, platform))
        self.capacity = {a: len(self.writer.items(a)) for a in Angle}
        self.fixed_angles = angles is not None
        self.plan = angles if angles is not None else angle_plan(self.capacity, objective, count)
        self.order = _OBJECTIVE_ORDER.get(objective.lower(), _OBJECTIVE_ORDER["conversions"])
        self.used_items: dict[Angle, int] = {}
        self.variants: list[CopyVariant] = []
        self.dropped: list[DroppedVariant] = []

    def fill(self, slot: int) -> None:
        """Write slot `slot` of the plan (no-op past its end)."""
        if slot >= len(self.plan):
            return
        angle = self.plan[slot]
        # The planned angle first; if none of its content yields a new, valid variant (say,
        # every headline is taken on another platform), any other angle with content may fill
        # the slot. Only when all fail is the slot dropped.
        tries = [angle]
        if not self.fixed_angles:
            tries += [a for a in self.order if a is not angle and self.capacity.get(a, 0) > 0]
        last_reason = f"no content for the {angle.value} angle"
        for try_angle in tries:
            placed, reason = _place(self.writer, self.spec, self.index, self.registry, try_angle, slot, self.used_items)
            if placed is not None:
                self.variants.append(placed)
                return
            if try_angle is angle:
                last_reason = reason
        self.dropped.append(DroppedVariant(platform=self.platform, angle=angle, reason=last_reason))

    def output(self) -> TemplateOutput:
        warnings: list[str] = []
        if len(self.variants) < self.count:
            warnings.append(
                f"{self.platform.value}: {len(self.variants)} distinct variant(s) instead of {self.count} — "
                "the profile does not support more without repeating an angle and headline"
            )
        return TemplateOutput(self.variants, self.dropped, warnings)


def generate_template(
    profile: BrandProfile,
    platform: Platform,
    count: int,
    seed: int,
    objective: str,
    index: SupportIndex,
    registry: RunRegistry,
    pools: Pools | None = None,
    angles: list[Angle] | None = None,
) -> TemplateOutput:
    """Up to `count` validated variants for one platform (ids are assigned by the caller)."""
    pw = PlatformWriter(
        profile, platform, count, seed, objective, index, registry, pools or build_pools(profile, index), angles
    )
    for slot in range(len(pw.plan)):
        pw.fill(slot)
    return pw.output()
