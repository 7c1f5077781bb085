"""Claims: sentences of the site that state something an ad could repeat, with kind and risk.

A claim is one sentence (or a heading / list item) cut verbatim from a text block, so its evidence
quote is a substring of the page text. Detection is rule-based and deterministic (no LLM). English
rules, plus the most common German/French/Spanish words for certifications, awards, guarantees
and superlatives.

Kinds (first matching rule wins, most specific first):
  testimonial    a quotation in a testimonial/review/quote container
  guarantee      guarantee(d), money-back, risk-free, refund, warranty, "or we'll replace it",
                 "or your first hour is free"
  award          award(s)/awarded, winner/won, medal, finalist, "best of <year>", editor's choice
  pricing        a currency amount, "per month", "/mo", "free trial", "free for students",
                 "% off", "free shipping"
  comparison     "<adjective>-er than", "more/less … than", compared to, unlike, outperforms, "3x faster"
  statistic      a number that counts or measures: %, ×, k/M, "+", "4.8 out of 5", or a number
                 followed by a counted noun ("8,500 restaurants", "48 hours"); a number that only
                 names a period ("over 25 years", "for 60 days", "since 2012") is not the figure,
                 and a figure caption without a verb ("Typical savings over 25 years", "Our
                 largest project") is a label, not a statistic or superlative claim
  certification  certified, SOC 2, ISO 27001, HIPAA, GDPR/PCI compliant, FDA, USDA Organic,
                 licence/licensed/insured/bonded, accredited, B Corp, Fair Trade
  superlative    best, #1, number one, leading, top-rated, best-rated, fastest, most <adj>, world's
  feature        what the product/service does: a list item in the main content, or a heading or
                 sentence in a features/services/product section or page. A sentence that makes a
                 health, financial or medical promise is a feature claim even outside those places,
                 so its risk is never lost.

Risk (`risk_reason` says which rule fired; the highest applicable level wins):
  blocked  an unverifiable medical claim: cures/treats/heals/prevents/reverses a disease or
           condition, or guaranteed investment returns. Never usable in an ad.
  high     guarantees, warranties and refund promises; health outcomes ("supports heart health",
           "gentle on sensitive stomachs", weight loss, "clinically proven"); financial outcomes
           ("reduce overtime costs by 23%", "cut your electric bill by 90%", earn money);
           "#1", "best", "best-rated", "fastest", "leading"… without a cited source ("according
           to", "rated by", "source:", a footnote mark; an award title names its own source);
           comparisons against alternatives without a cited test.
  medium   statistics carrying a number, awards, certifications and licences, testimonials,
           sourced superlatives and comparisons: usable, but they need substantiation.
  low      plain features and pricing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from brandtruth.claims.risk import RiskClass, Severity, policy_hits
from brandtruth.models.brand import Claim, ClaimKind, Evidence, Risk
from brandtruth.stages.extract.page import Block, PageDoc, sentences

MAX_CLAIMS = 60
MAX_QUOTE = 300
MAX_EVIDENCE = 3

_DIGIT = re.compile(r"\d")
_I = re.IGNORECASE
# Section cues in the (lower-cased) tags/classes/ids around a block; matched case-sensitively on
# lower-cased text, which is several times faster than re.IGNORECASE on long hint strings.
TESTIMONIAL_HINT = re.compile(r"testimonial|review|quote|blockquote|customer-stor|wall-of-love|endorse")
FEATURE_HINT = re.compile(r"feature|benefit|service|product|how-it-works|capabilit|card|usp|why")
_QUOTED = re.compile(r"^[\"“‘'«„‚»]")

_GUARANTEE = re.compile(
    r"(\b(guarantee[ds]?|money[- ]back|risk[- ]free|refunds?|refunded|warrant(y|ies)|we promise|garantie|"
    r"geld[- ]zur(ü|ue)ck|satisfaction guaranteed)\b|"
    r"\bor (we['’]ll|we will) (replace|refund|redo|fix|re-?do)\b|\bor (your|the) [\w ]{0,30}\b(is|are) free\b|"
    r"\bor it['’]?s free\b|\bor your money back\b)",
    _I,
)
_CERTIFICATION = re.compile(
    r"\b(certified|certification|soc ?2|iso ?\d{4,5}|hipaa|gdpr|pci[- ]dss|pci compliant|"
    r"fda[- ](approved|cleared|registered)|usda|organic certified|certified organic|accredited|accreditation|"
    r"licen[sc]ed?|insured|bonded|b ?corp|fair ?trade|cruelty[- ]free|leaping bunny|compliant|zertifiziert|"
    r"zertifikat|certifié|certificado|[- ]certified)\b",
    _I,
)
_AWARD = re.compile(
    r"\b(awards?|awarded|winners?|won|finalist|best of \d{4}|editor'?s'? choice|recogni[sz]ed|voted|"
    r"named (one of |a )?.{0,40}\bby|(gold|silver|bronze) medal|medals?|goldmedaille|medaille|preistr(ä|ae)ger|"
    r"ausgezeichnet|auszeichnung|premio)\b",
    _I,
)
_PRICING = re.compile(
    r"([$€£¥]\s?\d|\d+(?:[.,]\d+)?\s?(€|£|usd|eur|gbp|dollars\b|euro\b)|\bper (month|year|user|seat|visit|hour)\b|"
    r"/\s?(mo|month|yr|year|user)\b|\bfree trial\b|\bfree for \d+ days\b|\bstart(s)? free\b|\b\d+% off\b|"
    r"\bfree for (students|teams|individuals|nonprofits|everyone)\b|"
    r"\bfree shipping\b|\bno credit card\b|\bfree (plan|tier|quote|estimate|consultation)\b)",
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
    r"languages|templates|apps|products|sold|served|saved|stars?|"
    # The commonest counted nouns in German, French, Spanish and Italian.
    r"stunden|minuten|tage[n]?|wochen|monate[n]?|jahre[n]?|kunden|heures|minutes|jours|semaines|mois|ans|"
    r"clients|patients|horas|minutos|días|semanas|meses|años|clientes|pacientes|ore|minuti|giorni|anni|clienti"
)
_STATISTIC = re.compile(
    r"(\d+(?:[.,]\d+)*\s?(%|percent|×|x\b|k\b|m\b|million|billion|thousand|\+)|"
    r"\b\d+(?:[.,]\d+)*\+?\s+(?:[a-z-]+\s){0,2}(?:" + _COUNTED + r")\b|"
    r"\b(?:by|from|over|across|with|than|of|serving|for)\s+\d[\d,.]*\+?\s+(?:[a-z-]+\s){0,2}[a-z]{3,}s\b|"
    r"\b\d(?:\.\d)?\s?(/|out of)\s?(5|10)\b)",
    _I,
)
_SUPERLATIVE = re.compile(
    r"(#\s?1\b|\bno\.? ?1\b|\bnumber one\b|\bbest\b|\bleading\b|\btop[- ]rated\b|\bfastest\b|\beasiest\b|"
    r"\bcheapest\b|\blowest\b|\bhighest\b|\blargest\b|\bbiggest\b|\bmost (trusted|popular|advanced|loved|"
    r"reliable|affordable|powerful|accurate|secure|comprehensive)\b|\bworld'?s\b|\bunbeatable\b|\bunmatched\b|"
    r"\bultimate\b|\bperfect\b|\bbest-rated\b|\bbeste[nrs]?\b|\bmeilleure?s?\b|\bmejor(es)?\b|\bnr\.? ?1\b)",
    _I,
)
_UNSOURCED_SUPERLATIVE = re.compile(
    r"(#\s?1\b|\bno\.? ?1\b|\bnumber one\b|\bbest\b|\bbest-\w+|\bleading\b|\btop[- ]rated\b|\bfastest\b|"
    r"\bcheapest\b|\blargest\b|\bworld'?s\b|\bunbeatable\b|\bunmatched\b|\bbeste[nrs]?\b|\bmeilleure?s?\b|"
    r"\bmejor(es)?\b|\bnr\.? ?1\b)",
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
    r"herpes|migraines?|kidney disease|liver disease|disease|illness|sleep disorders?|ibs|gerd|acid reflux"
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
    r"reduces? (stress|anxiety|inflammation|pain)|supports? (your )?(heart|immune|gut|brain|joint|digestive|bone|"
    r"skin|liver|kidney) health|antioxidants?|gentle on (sensitive |your )?stomachs?|"
    r"(improves?|better) (sleep|digestion|focus|mood|memory)|sleep (better|through the night)|"
    r"boosts? (your )?(energy|metabolism)|relieves?|heal(thy|thier) (skin|gut|heart))\b",
    _I,
)
_FINANCIAL_OUTCOME = re.compile(
    r"\b(earn|make) (up to |an extra |more )?(money|\$|€|£|\d)|\b(passive )?income\b|\bget rich\b|"
    r"\bdouble your money\b|\b(returns?|profits?) of\b|\bfinancial freedom\b|"
    r"\b(cut|cuts|reduce|reduces|reducing|lower|lowers|slash|slashes|save|saves|saving)\b[\w ,$]{0,30}?"
    r"\b(costs?|bills?|spend|spending|expenses?|overhead|fees|taxes|payroll costs)\b",
    _I,
)
_NOISE = re.compile(r"(©|\bcopyright\b|all rights reserved|@[\w-]+\.\w|cookies?\b.*\b(accept|consent))", _I)
_LEADING_FIGURE = re.compile(r"^([$€£]?(\d[\d.,]*)(?:/\d+)?\s?[%+kKmMx×]?\+?)\s*(?=[A-Z])")


@dataclass
class _Candidate:
    text: str
    kind: ClaimKind
    risk: Risk
    reason: str
    evidence: list[Evidence]
    order: tuple[int, int, int]
    tag: str = "p"


def classify_kind(text: str, block: Block | None = None, *, feature_page: bool = False) -> ClaimKind | None:
    """The claim kind of a sentence, or None if it states nothing an ad could use.

    `feature_page` says the block is on a features/services/product page, where descriptive
    sentences are features.
    """
    if block is not None and is_testimonial_block(block):
        return ClaimKind.TESTIMONIAL
    kind = _text_kind(text)
    if kind is not None:
        return kind
    if block is not None and _is_feature(text, block, feature_page):
        return ClaimKind.FEATURE
    if _promises_outcome(text):
        return ClaimKind.FEATURE  # a promise about outcomes is a claim wherever it appears
    if block is not None and _DIGIT.search(text) and is_business_fact(text):
        return ClaimKind.FACT  # where, when, since when: true lines an ad may repeat verbatim
    return None


# Pages repeat sentences (cards, footers, every product tile), so the regex work is cached per
# sentence; cheap substring gates skip the slower patterns for the many sentences that cannot match.
_SUPERLATIVE_GATE = (
    "best",
    "#",
    "no",
    "number one",
    "lead",
    "top",
    "fast",
    "eas",
    "cheap",
    "low",
    "high",
    "larg",
    "big",
    "most",
    "world",
    "unbeat",
    "unmatch",
    "ultimate",
    "perfect",
    "meilleur",
    "mejor",
    "nr",
)
_PRICING_GATE = ("$", "€", "£", "¥", "free", "per ", "/", "off", "usd", "eur", "gbp", "dollar", "no credit")


@lru_cache(maxsize=16384)
def _text_kind(text: str) -> ClaimKind | None:
    low = text.lower()
    has_digit = bool(_DIGIT.search(text))
    if _GUARANTEE.search(text) or any(h.cls is RiskClass.GUARANTEE for h in policy_hits(text)):
        return ClaimKind.GUARANTEE
    if _AWARD.search(text):
        return ClaimKind.AWARD
    if any(g in low for g in _PRICING_GATE) and _PRICING.search(text):
        return ClaimKind.PRICING
    comparative = has_digit or any(g in low for g in (" than", "compared", "unlike", "outperform"))
    if comparative and _COMPARISON.search(text):
        return ClaimKind.COMPARISON
    if has_digit and _STATISTIC.search(text) and not _only_years(text) and _has_measured_number(text):
        return ClaimKind.STATISTIC
    if _CERTIFICATION.search(text):
        return ClaimKind.CERTIFICATION
    if any(g in low for g in _SUPERLATIVE_GATE) and _SUPERLATIVE.search(text):
        return ClaimKind.SUPERLATIVE
    return None


_DAYS = (
    r"mon(?:day)?s?|tue(?:s|sday)?s?|wed(?:nesday)?s?|thu(?:rs|rsday)?s?|fri(?:day)?s?|sat(?:urday)?s?|"
    r"sun(?:day)?s?|weekdays|montags?|dienstags?|mittwochs?|donnerstags?|freitags?|samstags?|sonntags?|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábados?|"
    r"domingos?|lunedì|martedì|venerdì|sabato|domenica|maandag|vrijdag|zaterdag|zondag|segunda|sexta|sábado"
)
_HOURS = re.compile(rf"\b(?:{_DAYS})\b.{{0,60}}?\b\d{{1,2}}(?:[:.h]\d{{2}}|\s?(?:am|pm|uhr|h)\b)", _I)
_FOUNDED = re.compile(
    r"\b(?:founded|established|started|opened|since|est\.|gegründet|seit|fondée?s?|fondé|depuis|fundad[oa]s?|"
    r"desde|fondat[oa]|opgericht|sinds|fundad[oa]|aberto)\b.{0,80}?\b(?:1[89]\d\d|20\d\d)\b",
    _I,
)
_PHONE = re.compile(
    r"(?:\b(?:call|phone|tel|telephone|telefon|téléphone|teléfono|telefono|appelez|llama|anrufen)\b.{0,20}?"
    r"(?:\+?\d[\d\s().-]{6,18}\d))|\(\d{3}\)\s?\d{3}-\d{4}",
    _I,
)
_ADDRESS = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][\w'’-]+\s){1,3}(?i:street|st\.|avenue|ave\.?|road|rd\.|boulevard|blvd|lane|drive|way)\b|"
    r"\b(?:rue|avenue|boulevard|calle|avenida|plaza|via|piazza|rua)\b[^.]{0,40}?\d|"
    r"(?:straße|strasse|straat|weg|laan|platz|plein|gasse|gracht)\b\s+\d|"
    r"\b\d{5}\s+[A-ZÄÖÜ][\w-]+",
)


@lru_cache(maxsize=16384)
def is_business_fact(text: str) -> bool:
    """An address, opening hours, a phone number or a founding year: a plain fact an ad may repeat.
    An attribution line ("— Jürgen Maier, Stammkunde seit 1998") is not one."""
    if text.lstrip()[:1] in {"—", "–", "-", "~"}:
        return False
    if _FOUNDED.search(text) or _HOURS.search(text) or _ADDRESS.search(text):
        return True
    # A phone number makes a contact line a fact; a sentence that also says more is classified by that.
    phone = _PHONE.search(text)
    return phone is not None and len(_PHONE.sub(" ", text).split()) <= 4


@lru_cache(maxsize=16384)
def _promises_outcome(text: str) -> bool:
    if _MEDICAL_CURE.search(text) or _HEALTH_OUTCOME.search(text) or _FINANCIAL_OUTCOME.search(text):
        return True
    return any(h.cls in (RiskClass.HEALTH, RiskClass.FINANCIAL) for h in policy_hits(text))


@lru_cache(maxsize=4096)
def _hinted(pattern: re.Pattern[str], hints: str) -> bool:
    return bool(pattern.search(hints))


@lru_cache(maxsize=16384)
def _is_section_title(text: str) -> bool:
    return bool(_SECTION_TITLE.search(text))


# "over 25 years", "for 60 days", "since 2012": a number that only says over what period something
# holds. It is not the statistic itself; a sentence whose only numbers are such periods
# ("Typical savings over 25 years") has lost the figure it is about and is no statistic.
_PERIOD = re.compile(
    r"\b(?:over|for|during|across|throughout|after)\s+(?:the\s+(?:last|past|first|next)\s+)?\d+\s*"
    r"(?:-\s*)?(?:years?|months?|weeks?|days?|decades?)\b|\bsince\s+(?:19|20)\d\d\b",
    _I,
)


def _has_measured_number(text: str) -> bool:
    """True when a number in the text is a measured figure rather than a period or a year."""
    rest = _PERIOD.sub(" ", text)
    return bool(_DIGIT.search(rest)) and bool(_STATISTIC.search(rest)) and not _only_years(rest)


# A figure caption names what the image shows ("Our largest commercial project", "Savings chart");
# it states something only when it is a sentence with a verb. Without a part-of-speech tagger,
# a verb is recognised by the auxiliaries and modals, an -ed/-ing form or a common present-tense
# verb; a caption with none of them is a label and yields no statistic or superlative claim.
_CAPTION_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|do|does|did|can|could|will|would|shall|should|may|"
    r"might|must|won't|can't|isn't|aren't|wasn't|weren't|doesn't|don't|'s|'re|'ve|’s|’re|’ve|"
    r"keeps?|gets?|makes?|saves?|cuts?|helps?|lets?|runs?|takes?|gives?|shows?|uses?|needs?|means?|"
    r"pays?|works?|lasts?|stays?|brings?|turns?|becomes?|produces?|generates?|delivers?|covers?|"
    r"[a-z]{3,}ed|[a-z]{3,}ing)\b",
    _I,
)


def _is_bare_caption(text: str, block: Block) -> bool:
    return block.tag == "figcaption" and not _CAPTION_VERB.search(text)


def _only_years(text: str) -> bool:
    """True when every number in the text is a year (no real statistic)."""
    numbers = re.findall(r"\d[\d.,]*%?\+?", text)
    return bool(numbers) and all(re.fullmatch(r"(19|20)\d\d", n) for n in numbers)


_SECTION_TITLE = re.compile(
    r"^(why|what|how|who|our|meet|about|frequently|get|see|join|read|explore|learn|contact|shop all)\b|\?$|"
    r"\b(says?|testimonials|reviews|faq|pricing|plans|questions|love it)\b",
    _I,
)
# Pages that list what the product or service does: their path names the topic, or the page sits
# under /products/ (a product detail page).
FEATURE_PAGE = re.compile(
    r"(^|/)(features?|services|products?|shop|store|sortiment|leistungen|angebot|menu|collections?|solutions|"
    r"platform|how-it-works|produkte|produits|productos)(\.\w+)?(/|$)",
    _I,
)


def _is_feature(text: str, block: Block, feature_page: bool) -> bool:
    """A list item in the main content, or a heading/sentence in a features context."""
    words = len(text.split())
    if block.landmark in {"nav", "footer", "header"} or block.in_link:
        return False
    context = feature_page or _hinted(FEATURE_HINT, f"{block.hints} {block.heading.lower()}")
    if block.tag == "li":
        # Two capitalised words ("Gig Harbor", "Federal Way") are names in a list, not features.
        names_only = words == 2 and all(w[:1].isupper() for w in text.split())
        return 2 <= words <= 16 and not names_only and not _is_section_title(text)
    if block.tag in {"h2", "h3", "h4"}:
        return context and 2 <= words <= 12 and not _is_section_title(text)
    return block.tag in {"p", "dd", "div", "span", "figcaption", "meta"} and context and 4 <= words <= 45


@lru_cache(maxsize=16384)
def assess_risk(text: str, kind: ClaimKind) -> tuple[Risk, str]:
    """The risk level of a claim and the rule behind it (see the module docstring)."""
    if _MEDICAL_CURE.search(text):
        return Risk.BLOCKED, "claims to cure, treat or prevent a disease (unverifiable medical claim)"
    if _GUARANTEED_RETURNS.search(text):
        return Risk.BLOCKED, "promises guaranteed financial returns"
    for hit in policy_hits(text):
        # The claim model shared with the copy gate (all languages it knows).
        if hit.severity is Severity.FORBIDDEN:
            return Risk.BLOCKED, hit.reason
    if kind is ClaimKind.GUARANTEE:
        return Risk.HIGH, "a guarantee binds the advertiser; state its exact terms"
    if _HEALTH_OUTCOME.search(text):
        return Risk.HIGH, "promises a health outcome"
    if _FINANCIAL_OUTCOME.search(text):
        return Risk.HIGH, "promises a financial outcome"
    shared = policy_hits(text)
    if shared:
        return Risk.HIGH, f"{shared[0].reason} (policy class {shared[0].cls.value})"
    sourced = bool(_SOURCE.search(text))
    low = text.lower()
    superlative = any(g in low for g in _SUPERLATIVE_GATE) and bool(_UNSOURCED_SUPERLATIVE.search(text))
    if superlative and not sourced and kind is not ClaimKind.AWARD:
        return Risk.HIGH, "superlative (#1/best/leading) without a cited source"
    if kind is ClaimKind.COMPARISON and not sourced:
        return Risk.HIGH, "comparison against alternatives without a cited test"
    if kind is ClaimKind.TESTIMONIAL:
        return Risk.MEDIUM, "testimonial: must be genuine and typical of results"
    if kind in {ClaimKind.STATISTIC, ClaimKind.COMPARISON}:
        return Risk.MEDIUM, "figures and comparisons need substantiation"
    if kind is ClaimKind.AWARD:
        return Risk.MEDIUM, "awards must be real and current"
    if kind is ClaimKind.CERTIFICATION:
        return Risk.MEDIUM, "certifications must be current"
    if kind is ClaimKind.PRICING:
        return Risk.LOW, "price or offer stated by the site (check it is current before running)"
    if kind is ClaimKind.SUPERLATIVE:
        return Risk.MEDIUM, "sourced superlative"
    if kind is ClaimKind.FACT:
        return Risk.LOW, "a fact about the business (address, hours, phone, founding year): check it is current"
    return Risk.LOW, "descriptive"


def trim_quote(text: str, limit: int = MAX_QUOTE) -> str:
    """Cut at a word boundary to at most `limit` characters (still a verbatim substring)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut


def is_testimonial_block(block: Block) -> bool:
    """A quotation in a testimonial/review container: quoted text, or a full sentence in a
    <blockquote> (an attribution line such as "Maria Delgado, General Manager" is not one)."""
    if block.tag not in {"p", "blockquote", "q", "div", "span"} or not _hinted(TESTIMONIAL_HINT, block.hints):
        return False
    if _QUOTED.match(block.text):
        return True
    return "blockquote" in block.hints and len(block.text.split()) >= 8 and block.text.endswith(_SENTENCE_ENDS)


_SENTENCE_ENDS = (".", "!", "?", "”", '"', "’")


def _claim_units(block: Block) -> Iterable[str]:
    """Sentences of a block, with a leading stand-alone figure removed when the sentence repeats it
    ("12,000 Trusted by 12,000 teams" → "Trusted by 12,000 teams"). A testimonial stays whole."""
    if is_testimonial_block(block):
        yield block.text
        return
    for sentence in sentences(block.text):
        yield strip_leading_figure(sentence)


def strip_leading_figure(sentence: str) -> str:
    """Drop a stand-alone figure glued in front of a sentence that states it again.

    Stat cards put the number in its own element (`<strong>12,000</strong> Trusted by 12,000
    teams`), and block text joins the two; the site's own sentence is the part after the figure.
    The result is still a verbatim substring of the page. A figure the sentence does not repeat
    ("150+ Native integrations") is the statement's number and stays.
    """
    match = _LEADING_FIGURE.match(sentence)
    if match and match.group(2).rstrip(".,") in sentence[match.end() :]:
        return sentence[match.end() :]
    return sentence


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9%$€£]+", " ", text.lower()).strip()


MIN_VISIBLE_CLAIMS = 3


def _drop_contained(candidates: list[_Candidate]) -> list[_Candidate]:
    """Drop a claim whose text is part of a longer claim ("From $149" inside "Drain cleaning from
    $149"): the longer one says the same with its context, and its own evidence quotes it."""
    keys = sorted(((f" {_key(c.text)} ", i) for i, c in enumerate(candidates)), key=lambda t: len(t[0]))
    dropped: set[int] = set()
    for position, (key, index) in enumerate(keys):
        if any(len(longer) > len(key) and key in longer for longer, _ in keys[position + 1 :]):
            dropped.add(index)
    return [c for i, c in enumerate(candidates) if i not in dropped]


def _page_candidates(page: PageDoc, page_no: int, blocks: list[Block], feature_page: bool) -> list[_Candidate]:
    out: list[_Candidate] = []
    seen: set[tuple[str, str, str, str, bool, bool]] = set()
    for block in blocks:
        if block.landmark == "nav" or block.in_link:
            continue
        # A block repeated verbatim in the same context (product tiles, repeated sections) would
        # only yield the same claims again, which de-duplication would then drop.
        signature = (
            block.text,
            block.tag,
            block.heading,
            block.landmark,
            _hinted(TESTIMONIAL_HINT, block.hints),
            _hinted(FEATURE_HINT, f"{block.hints} {block.heading.lower()}"),
        )
        if signature in seen:
            continue
        seen.add(signature)
        for sent_no, sentence in enumerate(_claim_units(block)):
            words = len(sentence.split())
            if words < 2 or len(sentence) < 6 or _NOISE.search(sentence):
                continue
            kind = classify_kind(sentence, block, feature_page=feature_page or block.tag == "meta")
            if kind is None:
                continue
            if kind in {ClaimKind.STATISTIC, ClaimKind.SUPERLATIVE} and _is_bare_caption(sentence, block):
                continue
            # Two-word labels ("Best sellers", "Most popular") are badges, not claims; short
            # certifications, prices and feature titles ("GDPR compliant", "Works offline") are.
            short_ok = kind in {ClaimKind.CERTIFICATION, ClaimKind.PRICING} or (
                kind is ClaimKind.FEATURE and block.tag in {"h2", "h3", "h4", "li"}
            )
            if words < 3 and not short_ok:
                continue
            if kind is ClaimKind.FEATURE and block.landmark == "footer":
                continue
            quote = trim_quote(sentence)
            risk, reason = assess_risk(sentence, kind)
            evidence = Evidence(url=page.url, quote=quote, section=block.heading or block.landmark)
            out.append(_Candidate(quote, kind, risk, reason, [evidence], (page_no, block.index, sent_no), block.tag))
    return out


def extract_claims(pages: list[PageDoc]) -> list[Claim]:
    """Claims from all pages: de-duplicated (evidence merged), capped, ids c1…cN in site order.

    A page whose body yields fewer than MIN_VISIBLE_CLAIMS claims also contributes claims from its
    description metadata (section "meta description" / "og:description"). Within the MAX_CLAIMS
    cap, every non-feature claim (statistics, guarantees, awards…) is kept first; the remaining
    slots go to features, shared evenly between pages so one long page cannot crowd out the others.
    """
    by_key: dict[str, _Candidate] = {}
    for page_no, page in enumerate(pages):
        feature_page = bool(FEATURE_PAGE.search(urlsplit(page.url).path))
        found = _page_candidates(page, page_no, page.blocks, feature_page)
        if len(found) < MIN_VISIBLE_CLAIMS and page.meta_blocks:
            found += _page_candidates(page, page_no, page.meta_blocks, feature_page)
        for cand in found:
            key = _key(cand.text)
            if not key:
                continue
            existing = by_key.get(key)
            if existing is None:
                by_key[key] = cand
            elif len(existing.evidence) < MAX_EVIDENCE and all(e.url != page.url for e in existing.evidence):
                # The same sentence on another page is more evidence, not another claim.
                existing.evidence.append(cand.evidence[0])
    candidates = _drop_contained(sorted(by_key.values(), key=lambda c: c.order))
    # Risky features (health, financial, medical promises) are kept with the other claims: their
    # risk is exactly what later stages must see.
    priority = [c for c in candidates if c.kind is not ClaimKind.FEATURE or c.risk in {Risk.HIGH, Risk.BLOCKED}]
    kept = priority[:MAX_CLAIMS]
    kept_ids = {id(c) for c in kept}
    features_by_page: dict[int, list[_Candidate]] = {}
    for cand in candidates:
        if id(cand) not in kept_ids and cand.kind is ClaimKind.FEATURE:
            features_by_page.setdefault(cand.order[0], []).append(cand)
    for queue in features_by_page.values():
        # Feature titles and bullet points first: they name a feature; sentences explain it.
        queue.sort(key=lambda c: (0 if c.tag in {"li", "h2", "h3", "h4"} else 1, c.order))
    queues = [features_by_page[p] for p in sorted(features_by_page)]
    while len(kept) < MAX_CLAIMS and any(queues):
        for queue in queues:
            if queue and len(kept) < MAX_CLAIMS:
                kept.append(queue.pop(0))
    kept.sort(key=lambda c: c.order)
    return [
        Claim(
            id=f"c{number}",
            text=cand.text,
            kind=cand.kind,
            risk=cand.risk,
            risk_reason=cand.reason,
            evidence=cand.evidence,
        )
        for number, cand in enumerate(kept, start=1)
    ]
