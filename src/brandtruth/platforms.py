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


# Every button any platform offers, once, in the order the platforms above list them.
_BUTTONS: tuple[str, ...] = tuple(dict.fromkeys((*META_CTAS, *GOOGLE_CTAS, *LINKEDIN_CTAS, *TIKTOK_CTAS)))

# The buttons' labels in the languages the copy stage writes CTAs in. The platforms show their
# buttons in the viewer's language; these are the same actions worded as the platforms' own
# localisations do, so a German ad's creative and preview say "Jetzt buchen", not "Book Now".
# One row per button; columns in the order of `_LABEL_LANGUAGES`.
_LABEL_LANGUAGES: tuple[str, ...] = ("de", "fr", "es", "it", "nl", "pt")
_LABELS: dict[str, tuple[str, ...]] = {
    "Learn More": ("Mehr dazu", "En savoir plus", "Más información", "Scopri di più", "Meer informatie", "Saiba mais"),
    "Sign Up": ("Registrieren", "S'inscrire", "Registrarte", "Iscriviti", "Aanmelden", "Cadastre-se"),
    "Shop Now": ("Jetzt einkaufen", "Acheter", "Comprar", "Acquista ora", "Nu kopen", "Comprar agora"),
    "Get Started": ("Jetzt starten", "Commencer", "Empezar", "Inizia", "Aan de slag", "Começar"),
    "Book Now": ("Jetzt buchen", "Réserver", "Reservar", "Prenota ora", "Nu boeken", "Reservar agora"),
    "Contact Us": ("Kontakt aufnehmen", "Nous contacter", "Contactar", "Contattaci", "Contact opnemen", "Fale conosco"),
    "Download": ("Herunterladen", "Télécharger", "Descargar", "Scarica", "Downloaden", "Baixar"),
    "Get Offer": (
        "Angebot sichern",
        "Profiter de l'offre",
        "Obtener oferta",
        "Ottieni l'offerta",
        "Aanbieding bekijken",
        "Obter oferta",
    ),
    "Subscribe": ("Abonnieren", "S'abonner", "Suscribirte", "Abbonati", "Abonneren", "Assinar"),
    "Get Quote": (
        "Angebot anfordern",
        "Demander un devis",
        "Pedir presupuesto",
        "Richiedi preventivo",
        "Offerte aanvragen",
        "Pedir orçamento",
    ),
    "Apply Now": ("Jetzt bewerben", "Postuler", "Solicitar ahora", "Candidati ora", "Nu solliciteren", "Candidatar-se"),
    "Order Now": ("Jetzt bestellen", "Commander", "Pedir ahora", "Ordina ora", "Nu bestellen", "Pedir agora"),
    "Donate Now": ("Jetzt spenden", "Faire un don", "Donar", "Dona ora", "Nu doneren", "Doar agora"),
    "Watch More": ("Mehr ansehen", "Voir plus", "Ver más", "Guarda altro", "Meer bekijken", "Ver mais"),
    "See Menu": ("Speisekarte ansehen", "Voir le menu", "Ver menú", "Vedi menu", "Menu bekijken", "Ver cardápio"),
    "Request Time": (
        "Termin anfragen",
        "Demander un horaire",
        "Solicitar hora",
        "Richiedi orario",
        "Tijd aanvragen",
        "Solicitar horário",
    ),
    "Listen Now": ("Jetzt anhören", "Écouter", "Escuchar", "Ascolta ora", "Nu luisteren", "Ouvir agora"),
    "Play Game": ("Jetzt spielen", "Jouer", "Jugar", "Gioca", "Game spelen", "Jogar"),
    "Install Now": ("Jetzt installieren", "Installer", "Instalar", "Installa ora", "Nu installeren", "Instalar agora"),
    "Register": ("Anmelden", "Créer un compte", "Registrarse", "Registrati", "Registreren", "Registrar"),
    "Request Demo": (
        "Demo anfragen",
        "Demander une démo",
        "Solicitar demo",
        "Richiedi demo",
        "Demo aanvragen",
        "Solicitar demonstração",
    ),
    "Join": ("Beitreten", "Rejoindre", "Unirte", "Unisciti", "Lid worden", "Participar"),
    "Apply": ("Bewerben", "Candidater", "Solicitar", "Candidati", "Solliciteren", "Candidatar"),
    "Attend": ("Teilnehmen", "Participer", "Asistir", "Partecipa", "Deelnemen", "Inscrever-se"),
    "View Quote": (
        "Angebot ansehen",
        "Voir le devis",
        "Ver presupuesto",
        "Vedi preventivo",
        "Offerte bekijken",
        "Ver orçamento",
    ),
    "Watch Now": ("Jetzt ansehen", "Regarder", "Ver ahora", "Guarda ora", "Nu bekijken", "Assistir agora"),
    "Read More": ("Weiterlesen", "Lire la suite", "Leer más", "Leggi di più", "Meer lezen", "Leia mais"),
    "Visit Store": (
        "Shop besuchen",
        "Visiter la boutique",
        "Visitar tienda",
        "Visita lo store",
        "Winkel bezoeken",
        "Visitar loja",
    ),
}
CTA_LANGUAGES: tuple[str, ...] = ("en", *_LABEL_LANGUAGES)
_TO_LABEL: dict[str, dict[str, str]] = {
    lang: {button: _LABELS[button][column] for button in _BUTTONS} for column, lang in enumerate(_LABEL_LANGUAGES)
}
# No label stands for two buttons (tests/test_platforms.py), so reading a label back is unambiguous.
_TO_BUTTON: dict[str, str] = {
    label.casefold(): button for labels in _TO_LABEL.values() for button, label in labels.items()
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
