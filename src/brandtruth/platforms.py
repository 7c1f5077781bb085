"""What each ad platform allows: text limits, CTA button lists, and how width is counted.

Shared facts: the copy stage writes to these limits and the score stage checks against them.
Limits are measured as *display width*, not code points: the ad platforms count a full-width
(CJK) character as two, so a 40-"character" Meta headline holds only 20 kanji.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from brandtruth.errors import BadInputError
from brandtruth.models.copy import Platform


@dataclass(frozen=True)
class PlatformSpec:
    """The text limits of one placement (widths in display columns)."""

    platform: Platform
    label: str
    headline_max: int
    headline_soft_max: int | None
    primary_max: int
    primary_min: int
    description_max: int
    ctas: tuple[str, ...]
    # Google RSA asset set.
    rsa_headline_max: int = 0
    rsa_headlines_min: int = 0
    rsa_headlines_max: int = 0
    rsa_description_max: int = 0
    rsa_descriptions_min: int = 0
    rsa_descriptions_max: int = 0
    path_max: int = 0
    forbid_emoji_and_hash: bool = False

    @property
    def is_rsa(self) -> bool:
        return self.platform is Platform.GOOGLE_RSA


# Meta's call-to-action button list (feed placements).
META_CTAS: tuple[str, ...] = (
    "Learn More",
    "Sign Up",
    "Shop Now",
    "Get Started",
    "Book Now",
    "Contact Us",
    "Download",
    "Get Offer",
    "Subscribe",
    "Get Quote",
    "Apply Now",
    "Order Now",
    "Donate Now",
    "Watch More",
    "See Menu",
    "Request Time",
    "Listen Now",
    "Play Game",
    "Install Now",
)

# Google RSA has no button; the CTA is used by later stages (the creative's button) and in
# the description text, so it is kept to plain, widely used phrases.
GOOGLE_CTAS: tuple[str, ...] = (
    "Learn More",
    "Sign Up",
    "Shop Now",
    "Get Started",
    "Book Now",
    "Contact Us",
    "Download",
    "Get Offer",
    "Subscribe",
    "Get Quote",
    "Apply Now",
    "Order Now",
)

# LinkedIn Sponsored Content CTA buttons.
LINKEDIN_CTAS: tuple[str, ...] = (
    "Learn More",
    "Sign Up",
    "Register",
    "Request Demo",
    "Download",
    "Subscribe",
    "Join",
    "Apply",
    "Attend",
    "View Quote",
)

# TikTok in-feed ad CTA buttons.
TIKTOK_CTAS: tuple[str, ...] = (
    "Learn More",
    "Shop Now",
    "Sign Up",
    "Download",
    "Contact Us",
    "Apply Now",
    "Book Now",
    "Order Now",
    "Subscribe",
    "Get Quote",
    "Watch Now",
    "Read More",
    "Visit Store",
    "Play Game",
    "Install Now",
)

PLATFORM_SPECS: dict[Platform, PlatformSpec] = {
    Platform.META: PlatformSpec(
        platform=Platform.META,
        label="Meta feed",
        headline_max=40,
        headline_soft_max=27,
        primary_max=125,
        primary_min=1,
        description_max=30,
        ctas=META_CTAS,
    ),
    Platform.GOOGLE_RSA: PlatformSpec(
        platform=Platform.GOOGLE_RSA,
        label="Google responsive search ad",
        headline_max=30,
        headline_soft_max=None,
        primary_max=90,
        primary_min=1,
        description_max=90,
        ctas=GOOGLE_CTAS,
        rsa_headline_max=30,
        rsa_headlines_min=3,
        rsa_headlines_max=15,
        rsa_description_max=90,
        rsa_descriptions_min=2,
        rsa_descriptions_max=4,
        path_max=15,
    ),
    Platform.LINKEDIN: PlatformSpec(
        platform=Platform.LINKEDIN,
        label="LinkedIn sponsored content",
        headline_max=70,
        headline_soft_max=None,
        primary_max=150,
        primary_min=1,
        description_max=70,
        ctas=LINKEDIN_CTAS,
    ),
    # TikTok has no headline field; ours is the on-creative overlay line, held to a short,
    # emoji-free 40 columns like the ad text rules.
    Platform.TIKTOK: PlatformSpec(
        platform=Platform.TIKTOK,
        label="TikTok in-feed",
        headline_max=40,
        headline_soft_max=None,
        primary_max=100,
        primary_min=12,
        description_max=40,
        ctas=TIKTOK_CTAS,
        forbid_emoji_and_hash=True,
    ),
}


def spec_for(platform: Platform) -> PlatformSpec:
    return PLATFORM_SPECS[platform]


def char_width(ch: str) -> int:
    """Display columns of one code point: wide/full-width count 2, combining marks 0."""
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufe0e\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Width as the ad platforms count it (CJK and other wide characters count double)."""
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


# The buttons' labels in the languages the copy stage writes CTAs in. The platforms show their
# buttons in the viewer's language; these are the same actions worded as the platforms' own
# localisations do, so a German ad's creative and preview say "Jetzt buchen", not "Book Now".
# Order of each row: the English button names of `_BUTTONS`.
_BUTTONS: tuple[str, ...] = (
    "Learn More",
    "Sign Up",
    "Shop Now",
    "Get Started",
    "Book Now",
    "Contact Us",
    "Download",
    "Get Offer",
    "Subscribe",
    "Get Quote",
    "Apply Now",
    "Order Now",
    "Donate Now",
    "Watch More",
    "See Menu",
    "Request Time",
    "Listen Now",
    "Play Game",
    "Install Now",
    "Register",
    "Request Demo",
    "Join",
    "Apply",
    "Attend",
    "View Quote",
    "Watch Now",
    "Read More",
    "Visit Store",
)
_LABELS: dict[str, tuple[str, ...]] = {
    "de": (
        "Mehr dazu",
        "Registrieren",
        "Jetzt einkaufen",
        "Jetzt starten",
        "Jetzt buchen",
        "Kontakt aufnehmen",
        "Herunterladen",
        "Angebot sichern",
        "Abonnieren",
        "Angebot anfordern",
        "Jetzt bewerben",
        "Jetzt bestellen",
        "Jetzt spenden",
        "Mehr ansehen",
        "Speisekarte ansehen",
        "Termin anfragen",
        "Jetzt anhören",
        "Jetzt spielen",
        "Jetzt installieren",
        "Anmelden",
        "Demo anfragen",
        "Beitreten",
        "Bewerben",
        "Teilnehmen",
        "Angebot ansehen",
        "Jetzt ansehen",
        "Weiterlesen",
        "Shop besuchen",
    ),
    "fr": (
        "En savoir plus",
        "S'inscrire",
        "Acheter",
        "Commencer",
        "Réserver",
        "Nous contacter",
        "Télécharger",
        "Profiter de l'offre",
        "S'abonner",
        "Demander un devis",
        "Postuler",
        "Commander",
        "Faire un don",
        "Voir plus",
        "Voir le menu",
        "Demander un horaire",
        "Écouter",
        "Jouer",
        "Installer",
        "Créer un compte",
        "Demander une démo",
        "Rejoindre",
        "Candidater",
        "Participer",
        "Voir le devis",
        "Regarder",
        "Lire la suite",
        "Visiter la boutique",
    ),
    "es": (
        "Más información",
        "Registrarte",
        "Comprar",
        "Empezar",
        "Reservar",
        "Contactar",
        "Descargar",
        "Obtener oferta",
        "Suscribirte",
        "Pedir presupuesto",
        "Solicitar ahora",
        "Pedir ahora",
        "Donar",
        "Ver más",
        "Ver menú",
        "Solicitar hora",
        "Escuchar",
        "Jugar",
        "Instalar",
        "Registrarse",
        "Solicitar demo",
        "Unirte",
        "Solicitar",
        "Asistir",
        "Ver presupuesto",
        "Ver ahora",
        "Leer más",
        "Visitar tienda",
    ),
    "it": (
        "Scopri di più",
        "Iscriviti",
        "Acquista ora",
        "Inizia",
        "Prenota ora",
        "Contattaci",
        "Scarica",
        "Ottieni l'offerta",
        "Abbonati",
        "Richiedi preventivo",
        "Candidati ora",
        "Ordina ora",
        "Dona ora",
        "Guarda altro",
        "Vedi menu",
        "Richiedi orario",
        "Ascolta ora",
        "Gioca",
        "Installa ora",
        "Registrati",
        "Richiedi demo",
        "Unisciti",
        "Candidati",
        "Partecipa",
        "Vedi preventivo",
        "Guarda ora",
        "Leggi di più",
        "Visita lo store",
    ),
    "nl": (
        "Meer informatie",
        "Aanmelden",
        "Nu kopen",
        "Aan de slag",
        "Nu boeken",
        "Contact opnemen",
        "Downloaden",
        "Aanbieding bekijken",
        "Abonneren",
        "Offerte aanvragen",
        "Nu solliciteren",
        "Nu bestellen",
        "Nu doneren",
        "Meer bekijken",
        "Menu bekijken",
        "Tijd aanvragen",
        "Nu luisteren",
        "Game spelen",
        "Nu installeren",
        "Registreren",
        "Demo aanvragen",
        "Lid worden",
        "Solliciteren",
        "Deelnemen",
        "Offerte bekijken",
        "Nu bekijken",
        "Meer lezen",
        "Winkel bezoeken",
    ),
    "pt": (
        "Saiba mais",
        "Cadastre-se",
        "Comprar agora",
        "Começar",
        "Reservar agora",
        "Fale conosco",
        "Baixar",
        "Obter oferta",
        "Assinar",
        "Pedir orçamento",
        "Candidatar-se",
        "Pedir agora",
        "Doar agora",
        "Ver mais",
        "Ver cardápio",
        "Solicitar horário",
        "Ouvir agora",
        "Jogar",
        "Instalar agora",
        "Registrar",
        "Solicitar demonstração",
        "Participar",
        "Candidatar",
        "Inscrever-se",
        "Ver orçamento",
        "Assistir agora",
        "Leia mais",
        "Visitar loja",
    ),
}
CTA_LANGUAGES: tuple[str, ...] = ("en", *_LABELS)
_TO_LABEL: dict[str, dict[str, str]] = {lang: dict(zip(_BUTTONS, row, strict=True)) for lang, row in _LABELS.items()}
_TO_BUTTON: dict[str, str] = {
    label.casefold(): button for row in _LABELS.values() for button, label in zip(_BUTTONS, row, strict=True)
}


def cta_label(button: str, language: str) -> str:
    """The platform button `button` ("Book Now") as labelled in `language` ("de" → "Jetzt buchen");
    the English name for English, unknown languages and unknown buttons."""
    return _TO_LABEL.get(language.lower()[:2], {}).get(button, button)


def cta_button(label: str) -> str:
    """The English platform button a label stands for ("Jetzt buchen" → "Book Now"); the label
    itself when it is already a button name or unknown."""
    return _TO_BUTTON.get(label.casefold(), label)


PLATFORM_ALIASES = {"facebook": "meta", "instagram": "meta", "google": "google_rsa", "google_ads": "google_rsa"}


def parse_platform(value: str) -> Platform:
    """A platform named the way a marketer would type it ("Meta", "instagram", "google-rsa")."""
    key = value.strip().lower().replace("-", "_")
    try:
        return Platform(PLATFORM_ALIASES.get(key, key))
    except ValueError:
        raise BadInputError(f"unknown platform {value!r} (use one of {', '.join(p.value for p in Platform)})") from None
