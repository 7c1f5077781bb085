"""Width-aware text fitting, CTA mapping and limit checks against `brandtruth.platforms`.

Every generator (template or LLM) is held to the same `PlatformSpec` by `check_limits`, and the
template generator shortens with `fit_text`, which cuts at word boundaries and never leaves
dangling punctuation or a dangling "and".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from brandtruth.models.copy import CopyVariant, Platform
from brandtruth.platforms import (
    PlatformSpec,
    char_width,
    cta_button,
    display_width,
    spec_for,
)
from brandtruth.stages.copy.words import wordset as _wordset

_EMOJI_RANGES: tuple[tuple[int, int], ...] = (
    (0x1F000, 0x1FAFF),  # mahjong .. symbols & pictographs extended-A (incl. flags)
    (0x2600, 0x27BF),  # misc symbols, dingbats
    (0x2B00, 0x2BFF),  # arrows/stars used as emoji
    (0x1F1E6, 0x1F1FF),
    (0xE0020, 0xE007F),  # tag sequences
    (0xFE0F, 0xFE0F),
    (0x200D, 0x200D),
    (0x2300, 0x23FF),  # misc technical (watch, hourglass...)
)


def is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _EMOJI_RANGES)


def has_emoji(text: str) -> bool:
    return not text.isascii() and any(is_emoji(ch) for ch in text)


def strip_emoji(text: str) -> str:
    if text.isascii():
        return text
    return re.sub(r"\s{2,}", " ", "".join(ch for ch in text if not is_emoji(ch))).strip()


_DANGLING_WORDS = _wordset(
    "a an the and or but nor of to for with in on at by from as via into onto your our their its "
    "that which who whose than so if & not no without like just all is are"
)
_TRAILING_JUNK = " \t,;:-–—/&(\"'“‘«[{、，；：（「『"
_CJK_BREAK = re.compile(r"[\u3000-\u303f\uff00-\uffef]")


def _tidy_end(text: str) -> str:
    """Strip dangling punctuation, connector words and unmatched openers left by a cut.

    Repeats until nothing changes: dropping an unmatched "(" can expose another connector word.
    """
    prev = None
    while prev != text:
        prev = text
        text = text.rstrip(_TRAILING_JUNK)
        words = text.split(" ")
        if words[-1].lower().strip(".,;:!?") in _DANGLING_WORDS:
            text = " ".join(words[:-1])
            continue
        # Unbalanced brackets/quotes opened inside the kept part: drop the unmatched opener's clause.
        for opener, closer in (("(", ")"), ("“", "”"), ("[", "]")):
            if text.count(opener) > text.count(closer):
                text = text[: text.rfind(opener)]
        if text.count('"') % 2 == 1:
            text = text[: text.rfind('"')]
    return text


def fit_text(text: str, limit: int) -> str:
    """Shorten `text` to at most `limit` display columns at a word boundary.

    Returns the text unchanged when it fits. A cut never ends on punctuation other than a full
    stop/question/exclamation mark, nor on a connector word. Text without spaces (e.g. Japanese)
    is cut at a character boundary, preferring CJK punctuation.
    """
    text = " ".join(text.split())
    if display_width(text) <= limit:
        return text
    # Largest prefix within the width.
    width = 0
    cut = 0
    for i, ch in enumerate(text):
        w = char_width(ch)
        if width + w > limit:
            break
        width += w
        cut = i + 1
    head = text[:cut]
    if cut < len(text) and text[cut] == " ":
        candidate = head
    else:
        space = head.rfind(" ")
        wide = any(char_width(ch) == 2 for ch in head)
        if space > 0 and not (wide and space < len(head) // 2):
            candidate = head[:space]
        else:
            # No usable word boundary (CJK): prefer a CJK punctuation break.
            marks = [m.end() for m in _CJK_BREAK.finditer(head)]
            candidate = head[: marks[-1]] if marks and marks[-1] > len(head) // 2 else head
    return _tidy_end(candidate)


_CLAUSE_BREAK = re.compile(r"\s*(?:,|;| —| –| - )\s+|(?<=[、，；])")


def fit_clause(text: str, limit: int) -> str:
    """The longest run of whole leading clauses that fits, or "" when even the first does not.

    "Free 14-day trial, no credit card required" → "Free 14-day trial" rather than a cut that
    ends in "no credit".
    """
    text = " ".join(text.split())
    if display_width(text) <= limit:
        return text
    best = ""
    for m in _CLAUSE_BREAK.finditer(text):
        head = text[: m.start()].rstrip(_TRAILING_JUNK)
        if display_width(head) > limit:
            break
        best = head
    return best


def fit_sentences(sentences: list[str], limit: int) -> str:
    """Pack whole sentences in order while they fit; cut the first one only if it must be.

    Skips a sentence that does not fit and tries later (shorter) ones, so a long optional
    sentence does not crowd out a short CTA line.
    """
    text = ""
    for raw in sentences:
        s = " ".join(raw.split())
        if not s:
            continue
        # No space after a full-width sentence end (Japanese/Chinese run sentences together).
        joined = f"{text}{s}" if not text or char_width(text[-1]) == 2 else f"{text} {s}"
        if display_width(joined) <= limit:
            text = joined
        elif not text:
            text = fit_text(s, limit)
    return text


_CTA_RULES: tuple[tuple[tuple[str, ...], dict[Platform, str]], ...] = (
    (
        ("demo",),
        {
            Platform.META: "Book Now",
            Platform.GOOGLE_RSA: "Book Now",
            Platform.LINKEDIN: "Request Demo",
            Platform.TIKTOK: "Book Now",
        },
    ),
    (
        (
            "quote",
            "estimate",
            "angebot anfordern",
            "kostenvoranschlag",
            "devis",
            "presupuesto",
            "cotiza",
            "preventivo",
            "offerte",
            "orçamento",
        ),
        {
            Platform.META: "Get Quote",
            Platform.GOOGLE_RSA: "Get Quote",
            Platform.LINKEDIN: "View Quote",
            Platform.TIKTOK: "Get Quote",
        },
    ),
    (
        # Ordering ahead in the site's own language ("Jetzt vorbestellen", "Commander").
        ("bestell", "vorbestell", "commander", "pedir", "ordina", "bestel", "encomend"),
        {
            Platform.META: "Order Now",
            Platform.GOOGLE_RSA: "Order Now",
            Platform.LINKEDIN: "Learn More",
            Platform.TIKTOK: "Order Now",
        },
    ),
    (
        (
            "shop",
            "buy",
            "order",
            "cart",
            "collection",
            "store",
            "purchase",
            "carrito",
            "añadir",
            "panier",
            "ajouter",
            "warenkorb",
            "carrello",
            "winkelwagen",
            "carrinho",
            "kaufen",
            "einkaufen",
            "acheter",
            "boutique",
            "comprar",
            "tienda",
            "acquista",
            "negozio",
            "kopen",
            "winkel",
            "loja",
        ),
        {
            Platform.META: "Shop Now",
            Platform.GOOGLE_RSA: "Shop Now",
            Platform.LINKEDIN: "Learn More",
            Platform.TIKTOK: "Shop Now",
        },
    ),
    (
        (
            "book",
            "reserve",
            "appointment",
            "schedule a",
            "table",
            "survey",
            "consultation",
            "assessment",
            "buchen",
            "termin",
            "reservier",
            "réserv",
            "rendez-vous",
            "reserv",
            "cita",
            "prenot",
            "appuntamento",
            "boek",
            "afspraak",
            "agendar",
            "marcar",
        ),
        {
            Platform.META: "Book Now",
            Platform.GOOGLE_RSA: "Book Now",
            # LinkedIn has no booking button; "Register" would promise an event.
            Platform.LINKEDIN: "Learn More",
            Platform.TIKTOK: "Book Now",
        },
    ),
    (
        ("download", "install", "app store", "get the app", "herunterlad", "télécharg", "descarg", "scarica", "baixar"),
        {
            Platform.META: "Download",
            Platform.GOOGLE_RSA: "Download",
            Platform.LINKEDIN: "Download",
            Platform.TIKTOK: "Download",
        },
    ),
    (
        ("subscribe", "newsletter", "abonnier", "abonner", "suscrib", "iscriv", "abonneren", "assinar", "assine"),
        {
            Platform.META: "Subscribe",
            Platform.GOOGLE_RSA: "Subscribe",
            Platform.LINKEDIN: "Subscribe",
            Platform.TIKTOK: "Subscribe",
        },
    ),
    (
        ("apply", "careers", "job", "bewerb", "postuler", "candidat", "solliciteer", "solicitar empleo"),
        {
            Platform.META: "Apply Now",
            Platform.GOOGLE_RSA: "Apply Now",
            Platform.LINKEDIN: "Apply",
            Platform.TIKTOK: "Apply Now",
        },
    ),
    (
        ("register", "webinar", "event", "attend", "rsvp"),
        {
            Platform.META: "Sign Up",
            Platform.GOOGLE_RSA: "Sign Up",
            Platform.LINKEDIN: "Register",
            Platform.TIKTOK: "Sign Up",
        },
    ),
    (
        (
            "sign up",
            "signup",
            "join",
            "create account",
            "create an account",
            "register",
            "registrier",
            "anmeld",
            "inscri",
            "registr",
            "iscriviti",
            "aanmeld",
            "cadastr",
        ),
        {
            Platform.META: "Sign Up",
            Platform.GOOGLE_RSA: "Sign Up",
            Platform.LINKEDIN: "Sign Up",
            Platform.TIKTOK: "Sign Up",
        },
    ),
    (
        (
            "trial",
            "get started",
            "start",
            "try",
            "testen",
            "essai",
            "essayer",
            "commencer",
            "prueba",
            "empezar",
            "comenzar",
            "prova",
            "inizia",
            "probeer",
            "proberen",
            "experiment",
            "começar",
            "comece",
        ),
        {
            Platform.META: "Get Started",
            Platform.GOOGLE_RSA: "Get Started",
            Platform.LINKEDIN: "Sign Up",
            Platform.TIKTOK: "Sign Up",
        },
    ),
    (
        (
            "offer",
            "deal",
            "discount",
            "coupon",
            "promo",
            "claim",
            "angebot",
            "offre",
            "oferta",
            "offerta",
            "aanbieding",
        ),
        {
            Platform.META: "Get Offer",
            Platform.GOOGLE_RSA: "Get Offer",
            Platform.LINKEDIN: "Learn More",
            Platform.TIKTOK: "Shop Now",
        },
    ),
    (
        (
            "contact",
            "talk to",
            "call",
            "get in touch",
            "sales",
            "message",
            "kontakt",
            "anrufen",
            "appeler",
            "llam",
            "chiama",
            "contatt",
            "contato",
            "fale",
            "bel ons",
        ),
        {
            Platform.META: "Contact Us",
            Platform.GOOGLE_RSA: "Contact Us",
            Platform.LINKEDIN: "Learn More",
            Platform.TIKTOK: "Contact Us",
        },
    ),
    (
        ("watch", "video", "ansehen", "regarder", "guarda", "bekijk", "assistir"),
        {
            Platform.META: "Watch More",
            Platform.GOOGLE_RSA: "Learn More",
            Platform.LINKEDIN: "Learn More",
            Platform.TIKTOK: "Watch Now",
        },
    ),
)


def map_cta(site_cta: str, platform: Platform) -> str | None:
    """Map a site's button wording ("Start your free trial") to the platform's CTA button.

    Returns None when nothing in the wording points to a specific action; callers then use
    "Learn More", which is true of every site.
    """
    spec = spec_for(platform)
    low = " ".join(site_cta.lower().split())
    for button in spec.ctas:
        if low == button.lower():
            return button
    for keys, per_platform in _CTA_RULES:
        if any(re.search(r"\b" + re.escape(k), low) for k in keys):
            return per_platform[platform]
    if re.search(
        r"\b(learn|discover|explore|read|see|more|find out|how it works|mehr|erfahren|entdeck|en savoir|découvr|"
        r"más información|descubr|scopri|meer|ontdek|saiba|conheça)",
        low,
    ):
        return "Learn More"
    return None


def normalize_cta(cta: str, platform: Platform) -> str | None:
    """The platform's exact button label for `cta` (case-insensitive), else a mapped one."""
    return map_cta(cta, platform)


@dataclass(frozen=True)
class LimitIssue:
    field: str
    message: str


def check_limits(variant: CopyVariant, spec: PlatformSpec) -> tuple[list[LimitIssue], list[str]]:
    """Hard violations and soft warnings of `variant` against `spec`."""
    issues: list[LimitIssue] = []
    warnings: list[str] = []

    def over(field: str, text: str, limit: int) -> None:
        w = display_width(text)
        if w > limit:
            issues.append(LimitIssue(field, f"{field} is {w} wide, limit {limit}"))

    if not variant.headline.strip():
        issues.append(LimitIssue("headline", "headline is empty"))
    if not variant.primary_text.strip():
        issues.append(LimitIssue("primary_text", "primary_text is empty"))
    over("headline", variant.headline, spec.headline_max)
    over("primary_text", variant.primary_text, spec.primary_max)
    over("description", variant.description, spec.description_max)
    if display_width(variant.primary_text) < spec.primary_min:
        issues.append(LimitIssue("primary_text", f"primary_text is shorter than {spec.primary_min} characters"))
    if spec.headline_soft_max is not None and display_width(variant.headline) > spec.headline_soft_max:
        warnings.append(
            f"headline is {display_width(variant.headline)} wide; {spec.label} may truncate "
            f"above {spec.headline_soft_max}"
        )
    if variant.cta not in spec.ctas and cta_button(variant.cta) not in spec.ctas:
        issues.append(LimitIssue("cta", f"CTA {variant.cta!r} is not a {spec.label} button"))
    if spec.forbid_emoji_and_hash:
        for field, text in (
            ("headline", variant.headline),
            ("primary_text", variant.primary_text),
            ("description", variant.description),
        ):
            if "#" in text:
                issues.append(LimitIssue(field, f"{field} contains '#' ({spec.label} forbids it)"))
            if has_emoji(text):
                issues.append(LimitIssue(field, f"{field} contains emoji ({spec.label} forbids it)"))
    if spec.is_rsa:
        hs, ds = variant.headlines, variant.descriptions
        if not spec.rsa_headlines_min <= len(hs) <= spec.rsa_headlines_max:
            issues.append(
                LimitIssue(
                    "headlines",
                    f"{len(hs)} headlines; need {spec.rsa_headlines_min}-{spec.rsa_headlines_max}",
                )
            )
        if not spec.rsa_descriptions_min <= len(ds) <= spec.rsa_descriptions_max:
            issues.append(
                LimitIssue(
                    "descriptions",
                    f"{len(ds)} descriptions; need {spec.rsa_descriptions_min}-{spec.rsa_descriptions_max}",
                )
            )
        for i, h in enumerate(hs):
            over(f"headlines[{i}]", h, spec.rsa_headline_max)
            if not h.strip():
                issues.append(LimitIssue(f"headlines[{i}]", "empty headline"))
        for i, d in enumerate(ds):
            over(f"descriptions[{i}]", d, spec.rsa_description_max)
            if not d.strip():
                issues.append(LimitIssue(f"descriptions[{i}]", "empty description"))
        folded = [" ".join(h.lower().split()) for h in hs]
        if len(set(folded)) != len(folded):
            issues.append(LimitIssue("headlines", "RSA headlines must be distinct"))
        over("path1", variant.path1, spec.path_max)
        over("path2", variant.path2, spec.path_max)
        for field, path in (("path1", variant.path1), ("path2", variant.path2)):
            if re.search(r"[\s/]", path):
                issues.append(LimitIssue(field, f"{field} must be one URL path segment"))
    elif variant.headlines or variant.descriptions:
        issues.append(LimitIssue("headlines", "asset lists are only for google_rsa"))
    return issues, warnings
