"""Site chrome: the parts of a page that are not what the brand says, found by structure.

A marketer reading a page skips the cookie banner, the menus, the search box, the comment and
newsletter forms, the share buttons, the footer's link farm, skip links, language pickers and
pagination without reading them. The parser marks the text and the actions inside such parts with
a chrome kind, so claims, value propositions and CTAs are read from the content only.

The rules look at structure, not at wording: HTML landmarks and elements (`<nav>`, `<footer>`,
`<dialog>`, `<search>`), ARIA roles and states (`role="search"`, `aria-modal`, `aria-expanded`,
`aria-controls`), what a form asks for (a search field, a password, a comment box, one email
address), link targets (share intents, `hreflang`, account and cart paths), and the class and id
names that site builders and consent/comment/share plugins give these parts ("cookie", "consent",
"comment", "share", "newsletter", "breadcrumb", "pagination", "sr-only"). Words of the page's own
language are never needed, so the same rules hold for every language.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

# Chrome kinds (the values of `Block.chrome`, `Link.chrome`, `Action.chrome`).
NAVIGATION = "navigation"
FOOTER = "footer"
CONSENT = "consent"
DIALOG = "dialog"
SEARCH = "search"
COMMENTS = "comments"
NEWSLETTER = "newsletter"
LOGIN = "login"
CONTACT_FORM = "contact form"
SHARE = "share"
BREADCRUMB = "breadcrumb"
PAGINATION = "pagination"
LANGUAGE = "language picker"
SCREEN_READER = "screen-reader text"
CONTROL = "control"
MEDIA = "media control"
ACCOUNT = "account"
SIDEBAR = "sidebar"
# Found across pages rather than in one page's markup (see repeated.py).
REPEATED = "repeated across pages"

# Class/id names given to these parts by themes, page builders and plugins (OneTrust, Cookiebot,
# Didomi, Usercentrics, WordPress comments, Disqus, AddThis, ShareThis, Mailchimp, Klaviyo …).
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        CONSENT,
        re.compile(
            # "cookie" only as a whole name or beside a UI word: a bakery's "cookie-recipes" is content.
            r"(?<![a-z])cookies?(?:[-_]?(?:banner|notice|consent|bar|law|popup|modal|box|policy|settings|"
            r"preferences|accept|dialog|overlay|message|notification|info|wrapper|container|window|alert|"
            r"disclaimer|hint|warning|layer|compliance|wall|control)|(?![a-z]|[-_][a-z]))|"
            r"consent|gdpr|\bcmp\b|onetrust|ot-sdk|cookiebot|didomi|usercentrics|(?<![a-z])truste(?![a-z])|"
            r"cc-(?:banner|window)|iubenda|borlabs|complianz|privacy-banner"
        ),
    ),
    (COMMENTS, re.compile(r"comment|\brespond\b|disqus|\breplies\b|reply-title|discussion")),
    (
        SHARE,
        # "share" as a word of its own (share-buttons, sharebar), not inside "shareholder" or "timeshare".
        re.compile(
            r"(?<![a-z])share(?:s|bar|box|buttons?|links?|icons?|tools?|daddy)?(?![a-z])|sharing|sharer|addthis|"
            r"sharethis|shariff|social-(?:links|icons|share)"
        ),
    ),
    (NEWSLETTER, re.compile(r"newsletter|mailchimp|mc_embed|mc-embed|klaviyo|subscribe-form|signup-form|optin")),
    (BREADCRUMB, re.compile(r"breadcrumb")),
    (PAGINATION, re.compile(r"paginat|\bpager\b|page-numbers|nav-links")),
    (SCREEN_READER, re.compile(r"skip-link|skip-to|skiplink|screen-reader|\bsr-only\b|visually-hidden|visuallyhidden")),
    (
        LANGUAGE,
        re.compile(r"lang-?switch|language-?(?:switch|select|picker|menu)|locale-?(?:switch|select)|wpml|polylang"),
    ),
    (SEARCH, re.compile(r"(?<![a-z])search")),  # not "research"
    # Not a bare "menu": a restaurant's menu is content.
    (
        NAVIGATION,
        re.compile(
            # WordPress names a menu "menu-main", "menu-primary-menu-container"; "menu-main-courses" is food.
            r"mega-?menu|menu-?(?:toggle|wrapper|container)|"
            r"menu-?(?:main|primary)(?:-(?:menu|nav|navigation|container|wrapper|items?))*(?![a-z0-9-])|"
            r"\bnavbar\b|\bnavigation\b|offcanvas"
        ),
    ),
)
# One pass to tell the (common) element without any cue from one that needs the ordered look-up.
_ANY_CUE = re.compile("|".join(f"(?:{p.pattern})" for _, p in _CUES))
_SCREEN_READER_CUE = next(p for k, p in _CUES if k == SCREEN_READER)
_NEWSLETTER_CUE = next(p for k, p in _CUES if k == NEWSLETTER)
_CONSENT_CUE = next(p for k, p in _CUES if k == CONSENT)
_ROLES = {
    "navigation": NAVIGATION,
    "menubar": NAVIGATION,
    "menu": NAVIGATION,
    "contentinfo": FOOTER,
    "search": SEARCH,
    "dialog": DIALOG,
    "alertdialog": DIALOG,
    "tablist": CONTROL,
}
# Elements whose class names speak for a region (a `<span class="search-icon">` does not).
_REGION_TAGS = frozenset(
    {"div", "section", "aside", "form", "ul", "ol", "nav", "header", "footer", "dialog", "article", "p", "li"}
)
_ACCOUNT_PATH = re.compile(
    r"/(?:log-?in|sign-?in|signin|my-?account|account|customer/account|wp-login\.php|cart|basket|warenkorb|"
    r"panier|carrito|carrello|winkelwagen|carrinho|checkout|kasse|wishlist|register|connexion|mon-compte|"
    r"mein-konto|konto|mi-cuenta|iniciar-sesion|accedi|mio-account|inloggen|mijn-account|minha-conta|entrar)"
    r"(?:[/?.#]|$)",
    re.IGNORECASE,
)
_SHARE_HOSTS = re.compile(
    r"facebook\.com/sharer|twitter\.com/(?:intent|share)|x\.com/intent|linkedin\.com/(?:share|shareArticle)|"
    r"pinterest\.[a-z.]+/pin/create|reddit\.com/submit|wa\.me/|api\.whatsapp\.com/send|t\.me/share|"
    r"tumblr\.com/share|xing\.com/spi/shares",
    re.IGNORECASE,
)
_MEDIA_CUE = re.compile(r"\bplay|video|player|lightbox|modal-open|popup-video")
_CAROUSEL_CUE = re.compile(r"carousel|slider|slick|swiper|splide|glide|flickity|\bdots?\b|\barrow")


@lru_cache(maxsize=8192)
def has_cue(hint: str) -> bool:
    """Does an element's id/class/label carry any chrome cue at all? (The cheap first check.)"""
    return _ANY_CUE.search(hint) is not None


def region_kind(tag: str, attrs: dict[str, str | None], hint: str) -> str:
    """The chrome kind an element opens, or "" when it is (or may be) content."""
    role = (attrs.get("role") or "").lower().strip()
    # Pages repeat the same tag/class combinations thousands of times: decide each once.
    return _region_kind(tag, role, attrs.get("aria-modal") == "true", hint)


@lru_cache(maxsize=4096)
def _region_kind(tag: str, role: str, modal: bool, hint: str) -> str:
    if tag == "nav":
        return BREADCRUMB if "breadcrumb" in hint else PAGINATION if "paginat" in hint else NAVIGATION
    if tag == "search":
        return SEARCH
    if tag == "dialog" or modal or role in ("dialog", "alertdialog"):
        return CONSENT if _CONSENT_CUE.search(hint) else DIALOG
    if role in _ROLES:
        return _ROLES[role]
    if _SCREEN_READER_CUE.search(hint):
        return SCREEN_READER  # skip links and visually hidden labels, whatever the element
    if tag not in _REGION_TAGS:
        return ""
    found = _ANY_CUE.search(hint)
    if found is None:
        return ""
    for kind, pattern in _CUES:
        if pattern.search(hint):
            return kind
    return ""


def form_kind(node: LexborNode, hint: str) -> str:
    """What a form is for, when that makes it chrome: search, login, comments, a contact form or
    a newsletter sign-up. A sign-up form for the product itself ("Start your free trial" with a
    work email) is content: "" — its button is an action like any other."""
    fields = node.css("input, textarea")
    types = [(f.attributes.get("type") or ("textarea" if f.tag == "textarea" else "text")).lower() for f in fields]
    names = " ".join(
        f"{f.attributes.get('name') or ''} {f.attributes.get('id') or ''} {f.attributes.get('autocomplete') or ''}"
        for f in fields
    ).lower()
    action = (node.attributes.get("action") or "").lower()
    if "search" in types or re.search(r"(?:^|\s)(?:q|s|query|search|keywords?|suche)(?:\s|$)", names):
        return SEARCH
    if "password" in types:
        return LOGIN
    if "textarea" in types:
        return COMMENTS if ("comment" in hint or "comment" in action or "comment" in names) else CONTACT_FORM
    visible = [t for t in types if t not in ("hidden", "submit", "button", "checkbox", "radio", "image", "reset")]
    email_only = bool(visible) and len(visible) <= 2 and all(t == "email" or "email" in names for t in visible)
    if email_only and (_NEWSLETTER_CUE.search(hint) or "list-manage" in action or "subscribe" in action):
        return NEWSLETTER
    return ""


def link_kind(href: str, attrs: dict[str, str | None]) -> str:
    """Chrome links by where they go: share intents, language versions, account and cart pages.
    (A link to the brand's own social profile in the content is an action: "Follow along".)"""
    if attrs.get("hreflang") is not None:
        return LANGUAGE
    if _SHARE_HOSTS.search(href):
        return SHARE
    path = urlsplit(href).path if "://" in href or href.startswith("/") else href
    if _ACCOUNT_PATH.search(path):
        return ACCOUNT
    return ""


def control_kind(tag: str, attrs: dict[str, str | None], hint: str) -> str:
    """Buttons that operate the page rather than act for the reader: menu and accordion toggles,
    tabs, carousel arrows and dots, play buttons, resets."""
    if tag == "button" and (attrs.get("type") or "").lower() == "reset":
        return CONTROL
    if any(attrs.get(a) is not None for a in ("aria-expanded", "aria-controls", "aria-haspopup", "aria-pressed")):
        return CONTROL
    if (attrs.get("role") or "").lower() in ("tab", "switch", "menuitem", "option"):
        return CONTROL
    if any(attrs.get(a) is not None for a in ("data-toggle", "data-bs-toggle", "data-dismiss", "data-bs-dismiss")):
        return CONTROL
    if _MEDIA_CUE.search(hint):
        return MEDIA
    if _CAROUSEL_CUE.search(hint):
        return CONTROL
    return ""


def is_label_only(text: str) -> bool:
    """Text no action has: a bare number ("3"), a single symbol, an arrow."""
    t = text.strip()
    return not t or t.isdigit() or not any(ch.isalpha() for ch in t)
