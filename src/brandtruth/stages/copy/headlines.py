"""What may head an ad: a benefit, an offer, proof or the product — never a label.

Site wording that reaches the template is already grounded, but grounded is not the same as worth
running: a page's section titles ("Featured Work", "Experience & Expertise"), its controls ("Play
Video", "Leave a Reply"), a reviewer's name or the brand's name on its own are all "on the site"
and none of them sells anything. `HeadlineJudge` decides, for every candidate the writer
considers, whether it may be a headline, and keeps the reason for every one it turns down so the
result can say why a headline was not used.

The rules read structure first (the site's own button labels and reviewer names, title-cased
short phrases, the brand name) and fall back on a small closed list of interface words in the
languages the CTA table covers (en, de, fr, es, it, nl, pt), for labels that reached the profile
without markup around them. The rules compose applies on the picture too (length, cut tagline)
live in `brandtruth.claims.headline_rules`, so both stages judge a headline the same way.
"""

from __future__ import annotations

import re

from brandtruth.claims.headline_rules import MAX_HEADLINE_WORDS, SourceSentences, is_cut_tagline
from brandtruth.stages.copy.assertions import normalize_text
from brandtruth.stages.copy.fragments import is_offer_wording
from brandtruth.stages.copy.phrasing import is_heading

BRAND_ALONE = "the brand name alone"
BRAND_GLUE = "only the brand name in a template phrase"
PERSON = "a person's name alone"
UI_LABEL = "a UI label or control"
COMMENT_PROMPT = "a comment prompt"
SECTION_TITLE = "a section title"
EMPTY = "says nothing (fewer than two content words)"
CUT_TAGLINE = "a cut-down tagline"
CUT_SENTENCE = "a cut piece of a site sentence"
TOO_LONG = "too long to read on a picture (more than 7 words)"
UNSOURCED_RATING = "a rating without where it was given"

# Interface words of the languages the CTA table covers: labels of controls, not statements.
_UI = re.compile(
    r"^(?:read more|learn more|more|menu|search|close|back|next|previous|prev|submit|send|subscribe|sign ?up|"
    r"sign ?in|log ?in|log ?out|register|accept(?: all)?|reject(?: all)?|decline|cookies?(?: settings)?|"
    r"play(?: video)?|watch(?: video| now)?|share|tweet|pin it|post comment|reply|skip to (?:main )?content|"
    r"load more|view all|see all|show more|continue|ok|got it|home|cart|checkout|save|print|subscribe now|"
    r"navigation|navigation öffnen|open menu|toggle navigation|"
    r"speichern|drucken|guardar|imprimir|enregistrer|imprimer|salva|stampa|opslaan|printen|salvar|"
    r"weiterlesen|mehr(?: erfahren| lesen)?|suchen?|senden|absenden|anmelden|abmelden|abonnieren|"
    r"alle akzeptieren|akzeptieren|ablehnen|zurück|weiter|schließen|warenkorb|startseite|"
    r"leer más|más información|ver más|buscar|enviar|suscribirse|aceptar(?: todo| todas)?|rechazar|volver|"
    r"siguiente|anterior|cerrar|carrito|inicio|"
    r"en savoir plus|lire la suite|rechercher|envoyer|s'abonner|accepter(?: tout)?|tout accepter|refuser|"
    r"retour|suivant|précédent|fermer|panier|accueil|"
    r"leggi di più|scopri di più|cerca|invia|iscriviti|accetta(?: tutto| tutti)?|rifiuta|indietro|chiudi|"
    r"carrello|"
    r"lees meer|meer informatie|zoeken|verzenden|aanmelden|accepteren|alles accepteren|weigeren|terug|"
    r"sluiten|winkelwagen|"
    r"saiba mais|leia mais|pesquisar|assinar|aceitar(?: tudo)?|recusar|voltar|fechar|carrinho)$",
    re.IGNORECASE,
)
_COMMENT = re.compile(
    r"\b(?:leave a (?:reply|comment)|post (?:a )?comment|add a comment|join the discussion|"
    r"\d+ (?:comments?|responses?|replies)|what do you think|write a review|"
    r"kommentar(?:e|\s+schreiben|\s+abschicken)?|antwort hinterlassen|schreibe einen kommentar|"
    r"deja (?:un|una) (?:comentario|respuesta)|comentarios|"
    r"laisser un commentaire|laisser une réponse|commentaires|"
    r"lascia un commento|lascia una risposta|commenti|"
    r"laat een reactie achter|reacties|geef een reactie|"
    r"deixe um comentário|deixe uma resposta|comentários)\b",
    re.IGNORECASE,
)
_GLUE = re.compile(
    r"^(?:meet|discover|get to know|say hello to|have you met|see what|what customers say about)\s+(?P<rest>.+?)"
    r"(?:\s+can do)?\??$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+")
_RATING = re.compile(r"\b\d(?:[.,]\d)?\s*(?:/\s*(?:5|10)\b|out of (?:5|10)\b|stars?\b|★)", re.IGNORECASE)
_SMALL = frozenset({"&", "&&", "and", "und", "et", "y", "e", "en", "of", "the", "for", "to", "a", "an", "-", "–", "|"})


def _title_case_label(text: str) -> bool:
    """ "Featured Work", "Experience & Expertise", "Videos && Modules": two to four capitalised
    words, no number, no sentence punctuation."""
    words = text.split()
    if not 2 <= len(words) <= 4 or re.search(r"\d|[.!?:,]$", text):
        return False
    content = [w for w in words if w.lower() not in _SMALL]
    return bool(content) and all(w[:1].isupper() for w in content)


def _latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if c.isascii() or "LATIN" in _uname(c)) >= 0.5 * len(letters)


def _uname(ch: str) -> str:
    import unicodedata

    return unicodedata.name(ch, "")


def is_ui_label(text: str) -> bool:
    """A whole text that is an interface word ("Speichern", "Subscribe Now", "Aceptar todo")."""
    return _UI.match(text.strip().strip(" .!")) is not None


class HeadlineJudge:
    """Turns down headlines that do not sell, and remembers why (for `CopyResult`)."""

    def __init__(
        self,
        brand: str,
        has_substance: bool,
        actions: list[str],
        people: list[str],
        language: str = "",
        sections: list[str] | None = None,
        tagline: str = "",
        rating_sources: list[str] | None = None,
        sources: SourceSentences | None = None,
    ) -> None:
        self.brand = brand
        self.tagline = tagline
        # Every sentence the writer draws headlines from: none may head an ad cut mid-phrase.
        self.sources = sources
        # Where the site's ratings were given ("G2", "Google"): a rating headline names it.
        self.rating_sources = [r.casefold() for r in rating_sources or [] if r]
        # German capitalises every noun: a capitalised phrase there is not a sign of a title.
        self.title_case_means_title = language != "de"
        self.brand_key = normalize_text(brand)
        self.has_substance = has_substance
        self.actions = {normalize_text(a).rstrip(".!") for a in actions if a}
        self.people = {normalize_text(p) for p in people if p and len(p.split()) <= 4}
        # Headings that head several items on the site (a reviews section, a card grid): titles
        # of sections, whatever the language.
        self.sections = {normalize_text(t).rstrip(".!:") for t in sections or [] if len(t.split()) <= 6}
        self.rejections: dict[str, str] = {}
        self._cache: dict[str, str | None] = {}

    def reason(self, headline: str) -> str | None:
        """Why `headline` may not head an ad, or None when it may."""
        found = self._cache.get(headline, "")
        if found != "":
            return found
        found = self._judge(headline)
        self._cache[headline] = found
        if found is not None:
            self.rejections.setdefault(headline, found)
        return found

    def allows(self, headline: str) -> bool:
        return self.reason(headline) is None

    def _unlabelled(self, text: str) -> str:
        """The site's words of a "Brand: …" headline (the label is the writer's, not a cut)."""
        if self.brand and text.startswith(f"{self.brand}:"):
            return text[len(self.brand) + 1 :].strip()
        return text

    def _judge(self, headline: str) -> str | None:
        text = headline.strip().strip(" .!")
        key = normalize_text(text).rstrip(".!?")
        if not key:
            return EMPTY
        if key == self.brand_key:
            return BRAND_ALONE
        glue = _GLUE.match(text)
        if glue:
            rest = normalize_text(glue.group("rest")).rstrip("?")
            if rest in self.people:
                return PERSON
            if rest == self.brand_key:
                # The honest fallback of a site that said nothing else ("Meet Quiet Brand").
                return BRAND_GLUE if self.has_substance else None
        if key in self.people:
            return PERSON
        if _COMMENT.search(text):
            return COMMENT_PROMPT
        if _UI.match(text) or (key in self.actions and len(text.split()) <= 3):
            return UI_LABEL
        if key in self.sections:
            return SECTION_TITLE
        if self.tagline and is_cut_tagline(text, self.tagline):
            return CUT_TAGLINE
        if self.sources is not None and self.sources.cut_of(self._unlabelled(text)):
            return CUT_SENTENCE
        if len(text.split()) > MAX_HEADLINE_WORDS:
            return TOO_LONG
        if self.rating_sources and _RATING.search(text) and not any(r in text.casefold() for r in self.rating_sources):
            return UNSOURCED_RATING
        if not _latin(text):
            return None  # the word rules below read Latin-script text only
        # US sites title-case their offers too ("Free Same-Day Delivery"): an offer is not a title.
        if (
            self.title_case_means_title
            and self.brand_key not in key
            and _title_case_label(text)
            and not is_offer_wording(text)
        ):
            return SECTION_TITLE
        if is_heading(text, self.brand) and not text.endswith("?"):
            return SECTION_TITLE
        if not re.search(r"\d", text) and len([w for w in _WORD.findall(text) if len(w) >= 3]) < 2:
            return EMPTY
        return None
