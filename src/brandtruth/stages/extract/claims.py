"""Claims: sentences of the site that state something an ad could repeat, with kind and risk.

A claim is one sentence (or a short heading / list item) cut verbatim from a text block, so its
evidence quote is a substring of the page text. Detection is rule-based and deterministic.

Kinds (first matching rule wins, most specific first):
  testimonial    the sentence sits in a testimonial/review/quote container or is a quotation there
  guarantee      guarantee(d), money-back, risk-free, refund, warranty, "we promise"
  certification  certified, SOC 2, ISO 27001, HIPAA, GDPR/PCI compliant, FDA, USDA Organic,
                 licensed/insured/bonded, accredited, B Corp
  award          award(s)/awarded, winner/won, finalist, "best of <year>", editor's choice,
                 recognised/named … by
  pricing        a currency amount, "per month", "/mo", "free trial", "% off", "free shipping"
  comparison     than / vs / versus / compared to / unlike / outperforms, "3x faster"
  statistic      a number with %, ×, k/M, "+", or a counted noun (customers, teams, hours, …)
  superlative    best, #1, number one, leading, top-rated, fastest, easiest, most <adj>, world's …
  feature        a heading or sentence in a features/product section describing what it does

Risk (`risk_reason` says which rule fired; the highest applicable level wins):
  blocked  an unverifiable medical claim: cures/treats/heals/prevents/reverses a named disease,
           or guaranteed investment returns. Never usable in an ad.
  high     any guarantee; health outcomes (weight loss, "clinically proven", immunity, anti-aging,
           detox); financial outcomes (earn/make money, income, profit, returns); "#1", "best",
           "number one", "leading", "top-rated", "fastest"… stated without a source
           ("according to", "rated by", "source:", a footnote mark, or an award context).
  medium   statistics, comparisons, awards, certifications, pricing, testimonials and sourced
           superlatives: usable, but they need substantiation or can go stale.
  low      features and other plain descriptions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from brandtruth.models.brand import Claim, ClaimKind, Evidence, Risk
from brandtruth.stages.extract.text import Block, PageDoc, sentences

MAX_CLAIMS = 40
MAX_QUOTE = 300
MAX_EVIDENCE = 3

_I = re.IGNORECASE
TESTIMONIAL_HINT = re.compile(r"testimonial|review|quote|blockquote|customer-stor|wall-of-love|endorse", _I)
FEATURE_HINT = re.compile(r"feature|benefit|service|product|how-it-works|capabilit|card|usp|why", _I)
_QUOTED = re.compile(r"^[\"“‘'«]")

_GUARANTEE = re.compile(r"\b(guarantee[ds]?|money[- ]back|risk[- ]free|refunds?|warrant(y|ies)|we promise)\b", _I)
_CERTIFICATION = re.compile(
    r"\b(certified|certification|soc ?2|iso ?\d{4,5}|hipaa|gdpr|pci[- ]dss|pci compliant|"
    r"fda[- ](approved|cleared|registered)|usda|organic certified|certified organic|accredited|accreditation|"
    r"licensed|insured|bonded|b ?corp|fair ?trade|cruelty[- ]free|leaping bunny|compliant)\b",
    _I,
)
_AWARD = re.compile(
    r"\b(awards?|awarded|winners?|won|finalist|best of \d{4}|editor'?s'? choice|recogni[sz]ed|"
    r"named (one of |a )?.{0,40}\bby)\b",
    _I,
)
_PRICING = re.compile(
    r"([$€£¥]\s?\d|\d+(?:[.,]\d+)?\s?(usd|eur|gbp|dollars)\b|\bper (month|year|user|seat|visit|hour)\b|"
    r"/\s?(mo|month|yr|year|user)\b|\bfree trial\b|\bfree for \d+ days\b|\bstart(s)? free\b|\b\d+% off\b|"
    r"\bfree shipping\b|\bno credit card\b|\bpricing\b|\bfree (plan|tier|quote|estimate|consultation)\b)",
    _I,
)
_COMPARISON = re.compile(
    r"\b((\w+er|more \w+|less \w+|fewer \w+) than|compared (to|with)|unlike|outperforms?|"
    r"\d+(\.\d+)?\s?(x|×|times) (faster|more|better|cheaper|less|quicker))\b",
    _I,
)
_COUNTED = (
    r"customers?|users?|teams?|companies|businesses|brands|clients|members|people|shoppers|homeowners|families|"
    r"patients|students|countries|cities|states|integrations|hours?|minutes?|days?|weeks?|years?|reviews?|"
    r"ratings?|downloads|installs|orders|projects|jobs|homes|locations|stores|employees|experts|partners|"
    r"languages|templates|apps|products|sold|served|saved|stars?"
)
_STATISTIC = re.compile(
    r"(\d+(?:[.,]\d+)*\s?(%|percent|×|x\b|k\b|m\b|million|billion|thousand|\+)|"
    r"\b\d+(?:[.,]\d+)*\+?\s+(?:[a-z-]+\s){0,2}(?:" + _COUNTED + r")\b|"
    r"\b\d(?:\.\d)?\s?(/|out of)\s?(5|10)\b)",
    _I,
)
_SUPERLATIVE = re.compile(
    r"(#\s?1\b|\bno\.? ?1\b|\bnumber one\b|\bbest\b|\bleading\b|\btop[- ]rated\b|\bfastest\b|\beasiest\b|"
    r"\bcheapest\b|\blowest\b|\bhighest\b|\blargest\b|\bbiggest\b|\bmost (trusted|popular|advanced|loved|"
    r"reliable|affordable|powerful|accurate|secure|comprehensive)\b|\bworld'?s\b|\bunbeatable\b|\bunmatched\b|"
    r"\bultimate\b|\bperfect\b)",
    _I,
)
_UNSOURCED_SUPERLATIVE = re.compile(
    r"(#\s?1\b|\bno\.? ?1\b|\bnumber one\b|\bbest\b|\bleading\b|\btop[- ]rated\b|\bfastest\b|\bcheapest\b|"
    r"\blargest\b|\bworld'?s\b|\bunbeatable\b|\bunmatched\b)",
    _I,
)
_SOURCE = re.compile(
    r"(according to|rated by|source:|as seen in|named by|awarded by|survey|study|[*†‡¹²³]|\bby [A-Z][\w&.]+|"
    r"\b(19|20)\d\d\b.*award|award.*\b(19|20)\d\d\b)",
)
_DISEASE = (
    r"cancer|tumou?rs?|diabetes|alzheimer'?s|dementia|arthritis|covid(-19)?|coronavirus|hiv|aids|depression|"
    r"anxiety disorder|autism|adhd|asthma|heart disease|hypertension|high blood pressure|obesity|insomnia|"
    r"psoriasis|eczema|acne|infections?|the flu|influenza|parkinson'?s|multiple sclerosis|ms\b|lupus|hepatitis|"
    r"herpes|migraines?|kidney disease|liver disease|disease|illness"
)
_MEDICAL_CURE = re.compile(
    r"\b(cures?|cured|curing|heals?|healing|treats?|treating|prevents?|preventing|reverses?|reversing|"
    r"eliminates?|eradicates?|fights?)\b.{0,60}\b(" + _DISEASE + r")",
    _I,
)
_GUARANTEED_RETURNS = re.compile(
    r"\bguarantee(d|s)?\b.{0,40}\b(returns?|profits?|income|yield|gains)\b|"
    r"\b(risk[- ]free|guaranteed) (returns?|profits?|income|investment)",
    _I,
)
_HEALTH_OUTCOME = re.compile(
    r"\b(lose (weight|\d+\s?(lbs?|pounds|kg|kilos))|weight loss|burns? fat|fat[- ]burning|"
    r"clinically (proven|tested)|boosts? (your )?(immunity|immune)|immune (system )?boost|anti[- ]aging|detox|"
    r"doctor[- ]recommended|lowers? (cholesterol|blood (pressure|sugar))|medical[- ]grade|"
    r"reduces? (stress|anxiety|inflammation|pain))\b",
    _I,
)
_FINANCIAL_OUTCOME = re.compile(
    r"\b(earn|make) (up to |an extra |more )?(money|\$|€|£|\d)|\b(passive )?income\b|\bget rich\b|"
    r"\bdouble your money\b|\b(returns?|profits?) of\b|\bfinancial freedom\b",
    _I,
)
_NOISE = re.compile(r"(©|\bcopyright\b|all rights reserved|@[\w-]+\.\w|cookies?\b.*\b(accept|consent))", _I)
_LEADING_FIGURE = re.compile(r"^([$€£]?\d[\d.,]*\s?[%+kKmMx×]?\+?)\s+(?=\S)")


@dataclass
class _Candidate:
    text: str
    kind: ClaimKind
    risk: Risk
    reason: str
    evidence: list[Evidence]
    order: tuple[int, int, int]


def classify_kind(text: str, block: Block | None = None) -> ClaimKind | None:
    """The claim kind of a sentence, or None if it states nothing an ad could use."""
    hints = f"{block.hints} {block.heading}" if block is not None else ""
    if block is not None and is_testimonial_block(block):
        return ClaimKind.TESTIMONIAL
    if _GUARANTEE.search(text):
        return ClaimKind.GUARANTEE
    if _CERTIFICATION.search(text):
        return ClaimKind.CERTIFICATION
    if _AWARD.search(text):
        return ClaimKind.AWARD
    if _PRICING.search(text):
        return ClaimKind.PRICING
    if _COMPARISON.search(text):
        return ClaimKind.COMPARISON
    if _STATISTIC.search(text) and not _only_years(text):
        return ClaimKind.STATISTIC
    if _SUPERLATIVE.search(text):
        return ClaimKind.SUPERLATIVE
    if block is not None and _is_feature(text, block, hints):
        return ClaimKind.FEATURE
    return None


def _only_years(text: str) -> bool:
    """True when every number in the text is a year or a version-ish figure (no real statistic)."""
    numbers = re.findall(r"\d[\d.,]*%?\+?", text)
    return bool(numbers) and all(re.fullmatch(r"(19|20)\d\d", n) for n in numbers)


def _is_feature(text: str, block: Block, hints: str) -> bool:
    words = len(text.split())
    if block.landmark in {"nav", "footer"} or block.in_link:
        return False
    if block.tag in {"h2", "h3", "h4"} and 2 <= words <= 12 and FEATURE_HINT.search(hints):
        return True
    return block.tag in {"p", "li", "dd"} and 5 <= words <= 45 and bool(FEATURE_HINT.search(hints))


def assess_risk(text: str, kind: ClaimKind) -> tuple[Risk, str]:
    """The risk level of a claim and the rule behind it (see the module docstring)."""
    if _MEDICAL_CURE.search(text):
        return Risk.BLOCKED, "claims to cure, treat or prevent a disease (unverifiable medical claim)"
    if _GUARANTEED_RETURNS.search(text):
        return Risk.BLOCKED, "promises guaranteed financial returns"
    if kind is ClaimKind.GUARANTEE:
        return Risk.HIGH, "a guarantee binds the advertiser; state its exact terms"
    if _HEALTH_OUTCOME.search(text):
        return Risk.HIGH, "promises a health outcome"
    if _FINANCIAL_OUTCOME.search(text):
        return Risk.HIGH, "promises a financial outcome"
    if _UNSOURCED_SUPERLATIVE.search(text) and not _SOURCE.search(text) and kind is not ClaimKind.AWARD:
        return Risk.HIGH, "superlative (#1/best/leading) without a stated source"
    if kind is ClaimKind.TESTIMONIAL:
        return Risk.MEDIUM, "testimonial: must be genuine and typical of results"
    if kind in {ClaimKind.STATISTIC, ClaimKind.COMPARISON}:
        return Risk.MEDIUM, "figures and comparisons need substantiation"
    if kind is ClaimKind.AWARD:
        return Risk.MEDIUM, "awards must be real and current"
    if kind is ClaimKind.CERTIFICATION:
        return Risk.MEDIUM, "certifications must be current"
    if kind is ClaimKind.PRICING:
        return Risk.MEDIUM, "prices and offers change; check before running"
    if kind is ClaimKind.SUPERLATIVE:
        return Risk.MEDIUM, "sourced superlative"
    return Risk.LOW, "descriptive"


def trim_quote(text: str, limit: int = MAX_QUOTE) -> str:
    """Cut at a word boundary to at most `limit` characters (still a verbatim substring)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut


def is_testimonial_block(block: Block) -> bool:
    return (
        bool(TESTIMONIAL_HINT.search(block.hints))
        and block.tag in {"p", "blockquote", "q", "div"}
        and (bool(_QUOTED.match(block.text)) or "blockquote" in block.hints)
    )


def _claim_units(block: Block) -> Iterable[str]:
    """Sentences of a block, with a leading stand-alone figure removed when the sentence repeats it
    ("12,000 Trusted by 12,000 teams" → "Trusted by 12,000 teams"). A testimonial stays whole."""
    if is_testimonial_block(block):
        yield block.text
        return
    for sentence in sentences(block.text):
        match = _LEADING_FIGURE.match(sentence)
        if match and match.group(1).rstrip("+") in sentence[match.end() :]:
            sentence = sentence[match.end() :]
        yield sentence


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9%$€£]+", " ", text.lower()).strip()


def extract_claims(pages: list[PageDoc]) -> list[Claim]:
    """Claims from all pages: de-duplicated (evidence merged), capped, ids c1…cN in site order."""
    by_key: dict[str, _Candidate] = {}
    for page_no, page in enumerate(pages):
        for block in page.blocks:
            if block.landmark == "nav" or block.in_link:
                continue
            for sent_no, sentence in enumerate(_claim_units(block)):
                words = len(sentence.split())
                if words < 2 or len(sentence) < 8 or _NOISE.search(sentence):
                    continue
                kind = classify_kind(sentence, block)
                if kind is None:
                    continue
                if kind is ClaimKind.FEATURE and block.landmark == "footer":
                    continue
                quote = trim_quote(sentence)
                risk, reason = assess_risk(sentence, kind)
                evidence = Evidence(url=page.url, quote=quote, section=block.heading or block.landmark)
                key = _key(quote)
                if not key:
                    continue
                existing = by_key.get(key)
                if existing is not None:
                    # The same sentence on another page is more evidence, not another claim.
                    if len(existing.evidence) < MAX_EVIDENCE and all(e.url != page.url for e in existing.evidence):
                        existing.evidence.append(evidence)
                    continue
                by_key[key] = _Candidate(quote, kind, risk, reason, [evidence], (page_no, block.index, sent_no))
    candidates = sorted(by_key.values(), key=lambda c: c.order)
    non_feature = [c for c in candidates if c.kind is not ClaimKind.FEATURE]
    feature = [c for c in candidates if c.kind is ClaimKind.FEATURE]
    kept = non_feature[:MAX_CLAIMS]
    kept += feature[: MAX_CLAIMS - len(kept)]
    kept.sort(key=lambda c: c.order)
    claims: list[Claim] = []
    for number, cand in enumerate(kept, start=1):
        claims.append(
            Claim(
                id=f"c{number}",
                text=cand.text,
                kind=cand.kind,
                risk=cand.risk,
                risk_reason=cand.reason,
                evidence=cand.evidence,
            )
        )
    return claims
