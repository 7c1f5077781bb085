"""Risk classes of a claim, one table for the site's sentences and for ad copy alike.

Each class is a list of cues in en/de/fr/es (and the commonest it/nl/pt ones). A hit carries the
class, where it is, and a canonical cue ("trusted by", "best", "never") so a copy line's cue can be
matched against the same cue in the site's evidence.

Policy classes (`POLICY_CLASSES`: health/medical, financial returns, guarantees/refunds) are
refused in ad copy even when the site states them, unless the operator allows high-risk claims.
Two kinds are never allowed at all (`Severity.FORBIDDEN`): curing/treating a disease and
guaranteed investment returns. The other classes (endorsements, ratings, awards, certifications,
absolutes, comparatives, superlatives) are allowed when the site's evidence states the same cue
about the same things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from brandtruth.claims.patterns import any_word


class RiskClass(StrEnum):
    HEALTH = "health"
    FINANCIAL = "financial"
    GUARANTEE = "guarantee"
    ENDORSEMENT = "endorsement"
    RATING = "rating"
    AWARD = "award"
    CERTIFICATION = "certification"
    ABSOLUTE = "absolute"
    COMPARATIVE = "comparative"
    SUPERLATIVE = "superlative"
    OFFER = "offer"


class Severity(StrEnum):
    CHECK = "check"  # allowed when the evidence supports it
    POLICY = "policy"  # refused unless high-risk claims are allowed
    FORBIDDEN = "forbidden"  # refused always


POLICY_CLASSES = frozenset({RiskClass.HEALTH, RiskClass.FINANCIAL, RiskClass.GUARANTEE})


@dataclass(frozen=True)
class RiskHit:
    cls: RiskClass
    start: int
    end: int
    cue: str
    severity: Severity
    reason: str


_DISEASE = (
    r"cancer|tumou?rs?|diabetes|alzheimer'?s|dementia|arthritis|covid(?:-19)?|hiv|aids|depression|anxiety|"
    r"autism|adhd|asthma|heart disease|hypertension|high blood pressure|obesity|insomnia|psoriasis|eczema|acne|"
    r"infections?|flu|influenza|parkinson'?s|lupus|hepatitis|herpes|migraines?|disease|diseases|illness|"
    r"sleep disorders?|back pain|chronic pain|pain|krebs|diabetes|schlaflosigkeit|krankheit(?:en)?|"
    r"verdauungsprobleme|schmerzen|rückenschmerzen|bluthochdruck|entzündung(?:en)?|maladies?|cancer|"
    r"insomnie|douleurs?|caries|diabète|enfermedad(?:es)?|dolor(?:es)?|insomnio|diabetes|caries|"
    r"malattie|malattia|dolore|ziekte|ziekten|pijn|doença|doenças|dor"
)
_CURE_VERBS = (
    r"cures?|cured|curing|heals?|healed|healing|treats?|treating|prevents?|preventing|reverses?|reversing|"
    r"eliminates?|eradicates?|fights?|relieves?|heilt|heilen|lindert|verhindert|beugt|bekämpft|guérit|guérir|"
    r"soigne|prévient|prévenir|soulage|cura|curar|previene|prevenir|alivia|elimina|guarisce|previene|geneest|"
    r"voorkomt|cura|previne|alivia"
)
_CURE = re.compile(rf"\b(?:{_CURE_VERBS})\b.{{0,60}}?\b(?:{_DISEASE})\b", re.I)
_CURE_GATE = re.compile(rf"\b(?:{_CURE_VERBS})\b", re.I)
_NO_DISEASE = re.compile(
    r"\b(?:pain|schmerz|douleur|dolor|dolore)[-\s]?(?:free|frei|los)\b|\bsans douleur\b|\bsin dolor\b|"
    r"\bschmerzfrei\b|\bindolore\b",
    re.I,
)
_HEALTH = any_word(
    r"lose weight|weight[- ]loss|lose \d+\s?(?:lbs?|pounds|kg)|burns? fat|fat[- ]burning",
    r"clinically (?:proven|tested)|scientifically proven|medically proven|doctors? recommend(?:ed|s)?",
    r"doctor[- ]recommended|dermatologist[- ]\w+|boosts? (?:your )?(?:immunity|immune|energy|metabolism)",
    r"immune (?:system )?boost|anti[- ]aging|detox|lowers? (?:your )?(?:cholesterol|blood (?:pressure|sugar))",
    r"medical[- ]grade|reduces? (?:stress|anxiety|inflammation|pain)",
    r"supports? (?:your )?(?:heart|immune|gut|brain|joint|digestive|bone|skin|liver|kidney) health",
    r"antioxidants?|gentle on (?:sensitive |your )?(?:stomachs?|digestion|gut|skin)",
    r"(?:improves?|better) (?:sleep|digestion|focus|mood|memory)|sleep (?:better|through the night)",
    r"sharper (?:focus|mind|memory)|(?:more|twice the|double the) energy|heal(?:thy|thier) (?:skin|gut|heart)",
    r"klinisch (?:getestet|geprüft|bewiesen)|senkt (?:den |ihren )?(?:blutdruck|cholesterin|blutzucker)",
    r"stärkt (?:das |ihr )?immunsystem|abnehmen|gesünder|bessere verdauung|ärztlich empfohlen",
    r"cliniquement (?:prouvé|testé)e?s?|scientifiquement prouvé|recommandé par les (?:médecins|dentistes)",
    r"perte de poids|maigrir|renforce (?:le |votre )?système immunitaire",
    r"clínicamente (?:probado|comprobado)|científicamente probado|recomendado por (?:médicos|dentistas)",
    r"pérdida de peso|adelgazar|baja la presión|clinicamente testato|clinicamente comprovado",
    r"klinisch bewezen|gezonder|sans douleur|pain[- ]free|schmerzfrei|sin dolor|indolore",
)
_RETURNS = re.compile(
    r"\b(?:guarantee[ds]?|garantiert[e]?|garantis?|garantizad[oa]s?)\b.{0,40}\b(?:returns?|profits?|income|yield|"
    r"gains|rendite|gewinne?|rendement|bénéfices?|rentabilidad|beneficios?|ganancias)\b|"
    r"\b(?:risk[- ]free|guaranteed) (?:returns?|profits?|income|investment)\b|"
    r"\b(?:returns?|rendite|rendement|rentabilidad) (?:on|auf|sur|de)\b.{0,30}\b(?:guarantee[ds]?|garantiert|"
    r"garanti[es]?|garantizad[oa])\b",
    re.I,
)
_FINANCIAL = re.compile(
    r"\b(?:earn|make|verdienen?|gagnez|gagner|gana|ganar|guadagna)\b.{0,25}(?:money|\$|€|£|\d|income|geld|"
    r"argent|dinero|soldi)|\bpassive income\b|\bpassives einkommen\b|\brevenu passif\b|\bingresos pasivos\b|"
    r"\bget rich\b|\bdouble your (?:money|revenue|income|sales)\b|\b2x your (?:money|revenue|income|sales)\b|"
    r"\b(?:returns?|profits?|roi) (?:of|on)\b|\bfinancial freedom\b|"
    r"\b(?:increases?|boosts?|raises?) (?:your )?(?:home|property|resale) values?\b|"
    r"\b(?:cut|cuts|reduce|reduces|reducing|lower|lowers|slash|slashes|save|saves|saving)\b[\w ,$%]{0,30}?"
    r"\b(?:costs?|bills?|spend|spending|expenses?|overhead|fees|taxes)\b|"
    r"\b(?:senken|senkt|sparen|spart)\b[\w ,€%]{0,30}?\b(?:kosten|rechnung|ausgaben)\b|"
    r"\b(?:réduisez|réduit|économisez|baissez)\b[\w ,€%]{0,30}?\b(?:coûts?|factures?|dépenses)\b|"
    r"\b(?:reduce|reduzca|ahorra|ahorre)\b[\w ,€%]{0,30}?\b(?:costes|costos|facturas?|gastos)\b",
    re.I,
)
_GUARANTEE = any_word(
    r"guarantee[ds]?|guaranteeing|money[- ]back|risk[- ]free|refunds?|refunded|refund you|warrant(?:y|ies)",
    r"satisfaction (?:assured|guaranteed)|(?:your )?money (?:back|returned)|or it'?s free",
    r"or (?:your|the) [\w ]{0,30}\b(?:is|are) free|or we'?ll (?:replace|refund|redo)|no questions asked",
    r"garantie|garantien|garantiert|geld[- ]zur(?:ü|ue)ck(?:[- ]garantie)?|zufriedenheitsgarantie",
    r"garanti|garantis|garantie|garanties|satisfait ou remboursé|remboursé|remboursement",
    r"garantía|garantías|garantizad[oa]s?|devolvemos (?:el|tu) dinero|devolución|reembolso",
    r"garanzia|garantit[oa]|rimborsat[oa]|rimborso|gegarandeerd|geld terug|garantia|garantid[oa]",
    # "… or it's free" in other languages: a refund promise worded as a condition.
    r"ou (?:votre|vos|la|le|les) [\w ]{0,30}\b(?:est|sont) (?:offert|gratuit|rembours)\w*",
    r"o (?:tu|su|la|el) [\w ]{0,30}\bes gratis|oder (?:ihr|dein|die|der|das) [\w ]{0,30}\bist (?:gratis|kostenlos)",
)
_ENDORSEMENT = any_word(
    r"trusted by|loved by|used by|chosen by|relied on by|recommended by|endorsed by|approved by|backed by",
    r"as (?:seen|featured) (?:in|on)|featured (?:in|on)|seen (?:in|on)",
    r"official (?:partner|sponsor|supplier|dealer|retailer|distributor|reseller)",
    r"partner of|(?:doctors|dentists|experts|chefs|pros|professionals) (?:recommend|trust|choose|love)",
    r"bekannt aus|empfohlen von|vertrauen (?:auf|uns)|offizieller (?:partner|sponsor)|partner von",
    r"vu (?:dans|sur|à)|recommandé par|approuvé par|partenaire (?:officiel|de)",
    r"como se vio en|visto en|recomendado por|aprobado por",
    r"(?:taller|socio|distribuidor|concesionario|servicio técnico|proveedor|patrocinador) oficial",
    r"fiducia di|visto su|gebruikt door|aanbevolen door|confiam em|recomendado por",
)
_RATING = re.compile(
    r"\b(?:\d(?:[.,]\d)?[- ]?(?:stars?|sterne?n?|étoiles?|estrellas?|stelle)|rated|rating|ratings|reviews?|"
    r"bewertet|bewertung(?:en)?|noté|note|avis|valorad[oa]|valoración|opiniones|reseñas|recensioni)\b|★",
    re.I,
)
_AWARD = any_word(
    r"awards?|award[- ]winning|awarded|winners?|won|prizes?|medals?|finalist|editor'?s choice",
    r"preis|preise|gewinner|auszeichnung(?:en)?|ausgezeichnet|goldmedaille|prix|lauréat|médaille|primé",
    r"premio|premios|ganador|medalla|premiato|vincitore|prijs|winnaar|prêmio|vencedor",
)
_CERTIFICATION = re.compile(
    r"\b(?:certified|certification|certificate|accredited|accreditation|compliant|compliance|licensed|insured|"
    r"bonded|iso ?\d{3,5}|soc ?2|hipaa|gdpr|pci[- ]dss|fda[- ]\w+|usda|kosher|halal|non-gmo|b ?corp|"
    r"zertifiziert|zertifikat|geprüft|certifié|certifiée|certifiés|agréé|certificad[oa]s?|homologad[oa]|"
    r"certificat[oa]|gecertificeerd|certificad[oa])\b|[- ]zertifiziert\b|[- ]certified\b",
    re.I,
)
_ABSOLUTE = re.compile(
    r"\b(?:zero|never|always|forever|ever|100\s?%|nobody|no one|nothing|everyone|anything|every time|"
    r"nie|niemals|immer|null|für immer|jamais|toujours|zéro|personne|nunca|siempre|cero|jamás|"
    r"mai|sempre|nooit|altijd)\b|100\s?%",
    re.I,
)
_COMPARATIVE = re.compile(
    r"\b(?:[^\W\d_]{3,}er|more|less|fewer|better|worse)\s+than\b|\bcompared (?:to|with)\b|\bvs\.?(?!\w)|"
    r"\bversus\b|\bunlike\b|\boutperforms?\b|\b\d+(?:[.,]\d+)?\s?x\b|"
    r"\b[^\W\d_]{3,}er\s+als\b|\b(?:mehr|weniger|besser)\s+als\b|"
    r"\b(?:plus|moins)\s+[^\W\d_]+(?:\s+[^\W\d_]+)?\s+(?:que|qu')|\bmeilleur que\b|"
    r"\b(?:más|menos)\s+[^\W\d_]+\s+que\b|\bmejor que\b|"
    r"\b(?:più|meno)\s+[^\W\d_]+\s+(?:di|che)\b|\b[^\W\d_]{3,}er\s+dan\b|"
    r"\b(?:mais|menos)\s+[^\W\d_]+\s+(?:que|do que)\b",
    re.I,
)
_SUPERLATIVE = re.compile(
    r"#\s?1\b|\bno\.?\s?1\b|\bnr\.?\s?1\b|n°\s?1\b|\bnumber[- ]one\b|\bnummer\s?(?:1|eins)\b|\bnuméro\s?1\b|"
    r"\bnúmero\s?1\b|\b(?:best|finest|greatest|leading|top[- ]rated|best[- ]\w+|unbeatable|unmatched|"
    r"world'?s|most \w+|[^\W\d_]{3,}est|beste[nrs]?|führend(?:e[nrs]?)?|meilleure?s?|leader|mejor(?:es)?|"
    r"líder|migliore|migliori|melhor(?:es)?)\b",
    re.I,
)
_EST_WORDS = frozenset(
    [
        "test",
        "rest",
        "interest",
        "guest",
        "request",
        "suggest",
        "honest",
        "modest",
        "forest",
        "invest",
        "west",
        "chest",
        "nest",
        "harvest",
        "protest",
        "contest",
        "manifest",
        "digest",
        "arrest",
        "quest",
        "conquest",
        "priest",
        "earnest",
        "attest",
        "pest",
        "vest",
        "zest",
        "crest",
        "jest",
        "lest",
        "midwest",
        "northwest",
        "southwest",
        "fest",
        "inquest",
        "bequest",
        "detest",
        "infest",
        "ingest",
        "divest",
        "unrest",
        "tempest",
        "behest",
        "pretest",
        "retest",
        "everest",
        "latest",
    ]
)
_COMPARATIVE_SKIP = frozenset({"other", "rather", "whether", "together", "either", "neither", "more", "less"})

_OFFER = any_word(
    r"free|gratis|kostenlos|kostenfrei|gratuit|gratuite|offert|offerte|gratuito|gratuita|gratuitos|gratuitas|gratuiti",
    r"discount|rabatt|remise|descuento|sconto|korting|desconto",
)

_TABLE: tuple[tuple[RiskClass, re.Pattern[str], str], ...] = (
    (RiskClass.GUARANTEE, _GUARANTEE, "a guarantee or refund promise binds the advertiser"),
    (RiskClass.HEALTH, _HEALTH, "a health or medical outcome"),
    (RiskClass.FINANCIAL, _FINANCIAL, "a financial return or saving"),
    (RiskClass.ENDORSEMENT, _ENDORSEMENT, "an endorsement or press mention"),
    (RiskClass.RATING, _RATING, "a rating or review count"),
    (RiskClass.AWARD, _AWARD, "an award"),
    (RiskClass.CERTIFICATION, _CERTIFICATION, "a certification or licence"),
    (RiskClass.ABSOLUTE, _ABSOLUTE, "an absolute (zero/never/always/100 %)"),
    (RiskClass.COMPARATIVE, _COMPARATIVE, "a comparison with alternatives"),
    (RiskClass.SUPERLATIVE, _SUPERLATIVE, "a superlative or #1 claim"),
    (RiskClass.OFFER, _OFFER, "an offer (free, discount)"),
)


def _cue(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


@lru_cache(maxsize=32768)
def find_risks(text: str) -> tuple[RiskHit, ...]:
    """Every risk-class cue in `text`, in order (a span may carry several classes)."""
    hits: list[RiskHit] = []
    for m in _CURE.finditer(text) if _CURE_GATE.search(text) else ():
        if not _NO_DISEASE.search(m.group(0)):
            hits.append(
                RiskHit(
                    RiskClass.HEALTH,
                    m.start(),
                    m.end(),
                    "cure",
                    Severity.FORBIDDEN,
                    "claims to cure, treat or prevent a disease (unverifiable medical claim)",
                )
            )
    for m in _RETURNS.finditer(text):
        hits.append(
            RiskHit(
                RiskClass.FINANCIAL,
                m.start(),
                m.end(),
                "guaranteed returns",
                Severity.FORBIDDEN,
                "promises guaranteed financial returns",
            )
        )
    for cls, rx, reason in _TABLE:
        for m in rx.finditer(text):
            cue = _cue(m.group(0))
            if (
                cls is RiskClass.SUPERLATIVE
                and cue.endswith("est")
                and cue not in {"best", "finest", "greatest"}
                and (len(cue) < 5 or cue in _EST_WORDS)
            ):
                continue
            if cls is RiskClass.COMPARATIVE and cue.endswith(" than"):
                first = cue.split()[0]
                if first in _COMPARATIVE_SKIP - {"more", "less"}:
                    continue
                if first in {"more", "less"} and re.match(r"\s*[\d$€£]", text[m.end() : m.end() + 4]):
                    continue  # "more than 10,000" is a qualified number, checked as a number
            severity = Severity.POLICY if cls in POLICY_CLASSES else Severity.CHECK
            hits.append(RiskHit(cls, m.start(), m.end(), _canonical(cls, cue), severity, reason))
    hits.sort(key=lambda h: (h.start, h.end))
    return tuple(hits)


def _canonical(cls: RiskClass, cue: str) -> str:
    """One spelling per cue, so "#1", "No. 1" and "Nummer 1" compare equal."""
    if cls is RiskClass.SUPERLATIVE and re.search(r"1|one|eins", cue):
        return "#1"
    if cls is RiskClass.COMPARATIVE and re.fullmatch(r"\d+(?:[.,]\d+)?\s?x", cue):
        return "x"
    if cls is RiskClass.RATING:
        return "rating"  # "rated", "4 stars", "★", "reviews": the figures themselves are checked as numbers
    if cls is RiskClass.AWARD:
        return "award"  # the award's name and year must still be in the same quote
    return cue


def policy_hits(text: str) -> list[RiskHit]:
    return [h for h in find_risks(text) if h.severity is not Severity.CHECK]


@lru_cache(maxsize=16384)
def cues_of(text: str) -> frozenset[tuple[RiskClass, str]]:
    """The (class, canonical cue) pairs a piece of evidence states."""
    return frozenset((h.cls, h.cue) for h in find_risks(text))
