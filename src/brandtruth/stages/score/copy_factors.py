"""Copy factors: measured on the ad's words, with or without the brand profile.

With a profile (the pipeline), specificity only counts numbers and claims that the site's own
evidence backs; without one (a row of the calibration CSV, i.e. an ad that already ran) every
number in the copy counts as a specific. Everything here is pure CPU work (textstat, VADER,
regexes): async callers run it in a thread.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from brandtruth.models.brand import BrandProfile, ClaimKind, Risk
from brandtruth.models.copy import ClaimUse, CopyVariant, Platform
from brandtruth.platforms import cta_button, display_width, spec_for
from brandtruth.stages.readability import flesch_reading_ease
from brandtruth.stages.score.factors import Measurement, clip01, ramp


def visible_limits(platform: Platform) -> dict[str, int]:
    """Display columns a placement shows before truncating, per field.

    Taken from the copy stage's `PlatformSpec` so that generation and scoring agree; where a
    placement truncates earlier than it accepts (Meta's headline: 40 accepted, ~27 visible on
    mobile feed) the visible limit is used, since cut-off words are not seen.
    """
    spec = spec_for(platform)
    limits = {
        "headline": spec.headline_soft_max or spec.headline_max,
        "primary_text": spec.primary_max,
        "description": spec.description_max,
    }
    if spec.is_rsa:
        limits |= {"headlines": spec.rsa_headline_max, "descriptions": spec.rsa_description_max}
        limits |= {"path1": spec.path_max, "path2": spec.path_max}
    return limits


ACTION_VERBS = frozenset(
    [
        "get",
        "start",
        "try",
        "shop",
        "buy",
        "book",
        "claim",
        "join",
        "download",
        "sign",
        "order",
        "save",
        "discover",
        "grab",
        "unlock",
        "reserve",
        "register",
        "subscribe",
        "request",
        "schedule",
        "create",
        "build",
        "see",
        "explore",
        "apply",
        "upgrade",
        "install",
        "watch",
        "play",
        "donate",
        "contact",
        "call",
        "compare",
        "find",
        "switch",
        "learn",
        "plan",
        "cut",
        "boost",
        "launch",
        "ship",
        "meet",
        "stop",
        "make",
        "protect",
        "automate",
        "hire",
    ]
)
WEAK_CTAS = frozenset(
    ["learn more", "click here", "submit", "more", "read more", "go", "continue", "ok", "enter", "next"]
)
VALUE_WORDS = frozenset(
    [
        "free",
        "now",
        "today",
        "trial",
        "demo",
        "instant",
        "off",
        "discount",
        "guide",
        "quote",
        "sample",
        "bonus",
        "exclusive",
        "my",
        "minutes",
        "fast",
        "risk-free",
        "offer",
        "quote",
    ]
)
HOOK_VERBS = ACTION_VERBS | frozenset(["imagine", "tired", "need", "want", "meet", "stop", "why", "how", "what"])
WEAK_OPENERS = frozenset(["we", "our", "introducing", "welcome"])

_NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s*(%|x|×|k|m|\+)?", re.IGNORECASE)
# Hosts, URLs and IP addresses carry digits that are not claims ("127.0.0.1", "web3.example").
_URLISH = re.compile(
    r"https?://\S+|\bwww\.\S+|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?",
    re.IGNORECASE,
)
_RATING = re.compile(r"\b[0-5](?:\.\d)?\s*(?:/\s*5|out of 5|stars?)|★", re.IGNORECASE)
_PROOF_WORDS = re.compile(
    r"\b(?:customers|clients|users|teams|companies|businesses|brands|members|reviews?|rated|"
    r"trusted by|loved by|used by|award(?:-winning)?|testimonials?)\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[“\"][^”\"]{12,}[”\"]")
_WORD = re.compile(r"[\w'’-]+")
# Concrete benefits that count as specifics even without a number (calibration rows only).
_NAMED_BENEFITS = re.compile(
    r"\b(?:free shipping|money-back|guarantee[d]?|24/7|same-day|next-day|no credit card|cancel anytime)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CopyText:
    """The words of one ad, as the pipeline or a calibration CSV row has them."""

    platform: Platform
    headline: str
    primary_text: str
    description: str = ""
    cta: str | None = None
    brand_name: str | None = None
    headlines: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()
    path1: str = ""
    path2: str = ""
    claims_used: tuple[ClaimUse, ...] = field(default_factory=tuple)

    @classmethod
    def from_variant(cls, variant: CopyVariant, brand_name: str | None) -> CopyText:
        return cls(
            platform=variant.platform,
            headline=variant.headline,
            primary_text=variant.primary_text,
            description=variant.description,
            cta=variant.cta,
            brand_name=brand_name,
            headlines=tuple(variant.headlines),
            descriptions=tuple(variant.descriptions),
            path1=variant.path1,
            path2=variant.path2,
            claims_used=tuple(variant.claims_used),
        )

    @property
    def body(self) -> str:
        """Headline + primary text + description: what a viewer reads."""
        parts = [self.headline, self.primary_text, self.description, *self.headlines, *self.descriptions]
        return " ".join(p.strip() for p in parts if p.strip())


_vader_lock = threading.Lock()
_vader: SentimentIntensityAnalyzer | None = None


def _analyzer() -> SentimentIntensityAnalyzer:
    """One VADER analyser per process: loading its lexicon costs ~10 ms, scoring is pure."""
    global _vader
    with _vader_lock:
        if _vader is None:
            _vader = SentimentIntensityAnalyzer()
        return _vader


def norm(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold().replace("’", "'")))


def _numbers(text: str) -> list[str]:
    """Numbers as written, normalised ('2,000' -> '2000', '40 %' -> '40%')."""
    out: list[str] = []
    for m in _NUMBER.finditer(_URLISH.sub(" ", text)):
        num = m.group(1).replace(",", "").rstrip(".")
        unit = (m.group(2) or "").lower().replace("×", "x")
        out.append(num + (unit if unit == "%" else ""))
    return out


def measure_length(copy: CopyText) -> Measurement:
    limits = visible_limits(copy.platform)
    fields: list[tuple[str, str]] = [
        ("headline", copy.headline),
        ("primary_text", copy.primary_text),
        ("description", copy.description),
        ("path1", copy.path1),
        ("path2", copy.path2),
    ]
    fields += [("headlines", h) for h in copy.headlines]
    fields += [("descriptions", d) for d in copy.descriptions]
    worst_ratio = 0.0
    over: list[str] = []
    for name, text in fields:
        limit = limits.get(name)
        if limit is None or not text.strip():
            continue
        width = display_width(text.strip())
        ratio = width / limit
        worst_ratio = max(worst_ratio, ratio)
        if ratio > 1.0:
            over.append(f"{name} {width}/{limit}")
    target = "≤ 100% of the visible limit"
    if not copy.headline.strip():
        return Measurement("copy_length", worst_ratio, 0.3, target, "No headline.", "Add a headline of 5-8 words.")
    if not over:
        return Measurement(
            "copy_length",
            worst_ratio,
            1.0,
            target,
            f"Everything fits before truncation on {copy.platform.value} "
            f"(longest field at {worst_ratio:.0%} of its limit).",
        )
    quality = clip01(1.0 - (worst_ratio - 1.0) * 1.5)
    return Measurement(
        "copy_length",
        worst_ratio,
        quality,
        target,
        f"Truncated on {copy.platform.value}: {', '.join(over)} characters; the cut-off words are not seen.",
        "Shorten the truncated fields so the key message ends before the visible limit.",
    )


def measure_reading_ease(copy: CopyText) -> Measurement | None:
    """Flesch reading ease (textstat 0.7.8, offline). Not measured for copy without Latin-script
    words: the formula counts English syllables and means nothing for, say, Japanese."""
    sentences = [s.strip() for s in (copy.headline, copy.primary_text, copy.description) if s.strip()]
    text = " ".join(s if s[-1] in ".!?" else s + "." for s in sentences)
    target = "Flesch reading ease ≥ 65"
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or sum(ch.isascii() for ch in letters) < 0.6 * len(letters):
        return None
    fre = flesch_reading_ease(text)
    quality = ramp(fre, 25.0, 65.0)
    if quality >= 1.0:
        return Measurement("reading_ease", fre, quality, target, f"Plain language (Flesch {fre:.0f}).")
    return Measurement(
        "reading_ease",
        fre,
        quality,
        target,
        f"Hard to read at a glance (Flesch {fre:.0f}): long words or long sentences.",
        "Use shorter sentences and everyday words (one idea per sentence).",
    )


def cta_strength(cta: str) -> tuple[float, str]:
    """0..1 strength of a CTA text and why: verb first, concrete value, short enough for a button.

    A platform button in another language ("Jetzt buchen", "Réserver") is judged as the button it
    stands for (`platforms.cta_button`), so a German ad's "Jetzt buchen" is as strong as "Book Now";
    its length is still the label's own."""
    button = cta_button(cta.strip())
    words = norm(button).split()
    if not words:
        return 0.0, "No call to action."
    phrase = " ".join(words)
    has_value = any(w in VALUE_WORDS for w in words) or "%" in cta
    if phrase in WEAK_CTAS:
        value, reason = 0.35, f"'{cta}' is generic; it says nothing about what the click gets."
    elif words[0] in ACTION_VERBS:
        value = 1.0 if has_value else 0.7
        reason = f"'{cta}' starts with an action verb" + (" and names the value." if has_value else ".")
    else:
        value = 0.6 if has_value else 0.45
        reason = f"'{cta}' does not start with an action verb."
    if len(cta) > 25:
        value = max(0.0, value - 0.2)
        reason += f" At {len(cta)} characters it may be cut on a button."
    return value, reason


def measure_cta(copy: CopyText) -> Measurement | None:
    if copy.cta is None:
        return None
    value, reason = cta_strength(copy.cta.strip())
    target = "action verb + concrete value (e.g. 'Start free trial')"
    fix: str | None = None
    if value < 1.0:
        spec = spec_for(copy.platform)
        better = sorted((c for c in spec.ctas if cta_strength(c)[0] > value), key=lambda c: -cta_strength(c)[0])
        options = f" {spec.label} buttons that do: {', '.join(repr(c) for c in better[:4])}." if better else ""
        fix = "Lead with a verb and name what the click gets (e.g. 'Start free trial')." + options
    return Measurement("cta_strength", value, value, target, reason, fix)


def _backing_corpus(profile: BrandProfile) -> str:
    """All text the site's evidence vouches for: claims, their quotes, social proof."""
    parts: list[str] = []
    for claim in profile.claims:
        if claim.risk is Risk.BLOCKED:
            continue
        parts.append(claim.text)
        parts.extend(e.quote for e in claim.evidence)
    sp = profile.social_proof
    for t in sp.testimonials:
        parts.append(t.quote)
        parts.extend(e.quote for e in t.evidence)
    for r in sp.ratings:
        parts.append(f"{r.value:g}")
        parts.extend(e.quote for e in r.evidence)
    for c in sp.customer_counts:
        parts.append(c.text)
        parts.extend(e.quote for e in c.evidence)
    return " ".join(parts)


def valid_claims(copy: CopyText, profile: BrandProfile | None) -> list[ClaimUse]:
    """Claims used that exist in the profile, are not blocked, and whose span is in the copy."""
    if profile is None:
        return []
    body = norm(copy.body)
    out: list[ClaimUse] = []
    for use in copy.claims_used:
        claim = profile.claim(use.claim_id)
        if claim is None or claim.risk is Risk.BLOCKED:
            continue
        if norm(use.span) and norm(use.span) in body:
            out.append(use)
    return out


def measure_specificity(copy: CopyText, profile: BrandProfile | None) -> Measurement:
    numbers = list(dict.fromkeys(_numbers(copy.body)))
    target = "≥ 2 evidence-backed specifics (numbers, named benefits)"
    if profile is None:
        specifics = len(numbers) + len(_NAMED_BENEFITS.findall(copy.body))
        unbacked: list[str] = []
        claims = 0
    else:
        backing = set(_numbers(_backing_corpus(profile)))
        backed = [n for n in numbers if n in backing]
        unbacked = [n for n in numbers if n not in backing]
        claims = len(valid_claims(copy, profile))
        specifics = claims + len(backed)
    quality = clip01(min(1.0, 0.25 + 0.375 * specifics) - 0.25 * len(unbacked))
    if profile is None:
        reason = f"{specifics} specific(s) (numbers, named benefits) in the copy."
    else:
        reason = f"{claims} evidence-backed claim(s) and {specifics - claims} backed number(s) in the copy."
    if unbacked:
        reason += f" Not found in the site's evidence: {', '.join(unbacked)}."
    fix: str | None = None
    if unbacked:
        fix = "Remove or source the numbers the site does not back: " + ", ".join(unbacked) + "."
    elif quality < 1.0:
        fix = "Add a concrete, evidence-backed number or named benefit from the brand's claims."
    return Measurement("specificity", float(specifics), quality, target, reason, fix)


def measure_social_proof(copy: CopyText, profile: BrandProfile | None) -> Measurement:
    body = copy.body
    signals: list[str] = []
    if profile is not None:
        proof_kinds = {ClaimKind.TESTIMONIAL, ClaimKind.AWARD, ClaimKind.CERTIFICATION}
        for use in valid_claims(copy, profile):
            claim = profile.claim(use.claim_id)
            if claim is not None and claim.kind in proof_kinds:
                signals.append(f"{claim.kind.value} claim")
        nbody = norm(body)
        for logo in profile.social_proof.customer_logos:
            if norm(logo.name) and f" {norm(logo.name)} " in f" {nbody} ":
                signals.append(f"customer {logo.name}")
    if _RATING.search(body):
        signals.append("rating")
    if _QUOTE.search(body):
        signals.append("quote")
    m = _PROOF_WORDS.search(body)
    if m:
        signals.append(f"'{m.group(0)}'")
    target = "a rating, customer count, testimonial or award"
    if signals:
        return Measurement("social_proof", 1.0, 1.0, target, "Social proof present: " + ", ".join(signals[:3]) + ".")
    return Measurement(
        "social_proof",
        0.0,
        0.0,
        target,
        "No social proof in the copy.",
        "Add a backed rating, customer count or short testimonial from the site.",
    )


def measure_brand_name(copy: CopyText) -> Measurement | None:
    if not copy.brand_name or not norm(copy.brand_name):
        return None
    present = f" {norm(copy.brand_name)} " in f" {norm(copy.body)} "
    target = "brand named in the copy"
    if present:
        return Measurement("brand_name", 1.0, 1.0, target, f"'{copy.brand_name}' is named.")
    return Measurement(
        "brand_name",
        0.0,
        0.0,
        target,
        f"'{copy.brand_name}' is not named in the copy.",
        f"Name '{copy.brand_name}' in the headline or the first line.",
    )


def _tone(compound: float) -> str:
    if compound <= -0.05:
        return "negative"
    return "neutral" if compound < 0.05 else "only mildly positive"


def measure_sentiment(copy: CopyText) -> Measurement:
    text = " ".join(s for s in (copy.headline, copy.primary_text) if s.strip())
    compound = float(_analyzer().polarity_scores(text)["compound"]) if text else 0.0
    quality = ramp(compound, -0.3, 0.5)
    target = "VADER compound ≥ 0.5"
    if quality >= 1.0:
        return Measurement("sentiment", compound, quality, target, f"Positive tone ({compound:+.2f}).")
    return Measurement(
        "sentiment",
        compound,
        quality,
        target,
        f"Tone is {_tone(compound)} ({compound:+.2f}).",
        "Frame the outcome positively: what the customer gains, not only the pain.",
    )


def measure_hook(copy: CopyText, profile: BrandProfile | None) -> Measurement:
    opener = copy.headline if copy.headline.strip() else copy.primary_text
    words = norm(opener).split()[:7]
    first = " ".join(words)
    signals: list[str] = []
    if any(ch.isdigit() for ch in first):
        signals.append("a number")
    if {"you", "your", "you're", "yours"} & set(words):
        signals.append("'you'")
    if "?" in opener.split(".")[0]:
        signals.append("a question")
    if words and words[0] in HOOK_VERBS:
        signals.append(f"opens with '{words[0]}'")
    if profile is not None:
        terms = [norm(t) for t in profile.key_terms[:10] if norm(t)]
        hit = next((t for t in terms if f" {t} " in f" {first} "), None)
        if hit:
            signals.append(f"key term '{hit}'")
    score = float(len(signals))
    if words and words[0] in WEAK_OPENERS:
        score -= 0.5
    quality = clip01(score / 2.0)
    target = "≥ 2 hooks in the first 7 words (number, 'you', question, verb)"
    what = ", ".join(signals) if signals else "no hook"
    reason = f"First words '{first}': {what}."
    if words and words[0] in WEAK_OPENERS:
        reason += f" Opening with '{words[0]}' talks about the brand, not the reader."
    fix = (
        None
        if quality >= 1.0
        else "Open with the reader's outcome: a number, 'you', or a verb (e.g. 'Cut your ... by 40%')."
    )
    return Measurement("hook", score, quality, target, reason, fix)


def measure_copy(copy: CopyText, profile: BrandProfile | None) -> list[Measurement]:
    """All copy factors that can be measured for this copy (CTA/brand need their inputs)."""
    out: list[Measurement | None] = [
        measure_length(copy),
        measure_reading_ease(copy),
        measure_cta(copy),
        measure_specificity(copy, profile),
        measure_social_proof(copy, profile),
        measure_brand_name(copy),
        measure_sentiment(copy),
        measure_hook(copy, profile),
    ]
    return [m for m in out if m is not None]
