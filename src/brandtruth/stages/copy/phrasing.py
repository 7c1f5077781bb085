"""Reading site wording as a copywriter would: what is a sentence, a heading, a complete phrase.

The template generator builds ads from the site's own words. Those words arrive with the
marks of their markup (`$29 /user/month`, `· ` separators, stray tags), include section
headings that are not statements ("Why teams switch to Clearbeam", "What our customers say"),
and are often longer than a headline slot. This module holds the small, deterministic rules
that decide:

- how site wording is tidied for display (`tidy`) — evidence in the profile stays verbatim and
  the grounding check compares both sides loosely, so tidying never changes what is supported;
- whether a piece of wording is a heading rather than something worth saying (`is_heading`);
- whether a shortened phrase still reads as a complete phrase (`ends_complete`), and which
  shorter complete phrases a long one contains (`shorter_phrases`): cuts happen only at clause
  boundaries or before a trailing prepositional/relative phrase, never inside a noun phrase;
- whether the site is written in English (`looks_english`), because the connective phrasings
  of the template ("Meet …", "Why …?") are English and must not be mixed into other languages;
- which addresses must never be printed (`HOST_LITERAL`, `display_domain`).

Everything here is pure string work with precompiled patterns: the generator calls it for
every candidate and must stay within its 50 ms budget.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

from brandtruth.stages.copy.platforms import strip_emoji
from brandtruth.stages.copy.words import wordset as _words

# ---------------------------------------------------------------------------------------------
# Tidying
# ---------------------------------------------------------------------------------------------

_SCRIPT_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_JUNK_CHARS = re.compile(r"[<>{}\[\]|\\^`*†‡]")
_SLASH = re.compile(r"(?<=\S)[ \t]*/[ \t]*(?=\S)")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[,.;:!?%)\]”’])")
_SPACE_AFTER_OPEN = re.compile(r"(?<=[(\[“])\s+")
_DOT_SEPARATOR = re.compile(r"\s+[·•]\s+")


def tidy(text: str) -> str:
    """Site wording as it should read in an ad: no markup, no markup-spacing, no emoji.

    `$29 /user/month` → `$29/user/month`, `40 %` → `40%`, `a · b` → `a. B`, tags and script
    bodies removed. The grounding check compares copy and evidence by their letters and
    numbers, so none of this changes what the evidence supports.
    """
    if not text:
        return ""
    if "<" in text:
        text = _SCRIPT_BLOCK.sub(" ", text)
        text = _TAG.sub(" ", text)
    text = strip_emoji(text)
    text = _JUNK_CHARS.sub("", text)
    text = " ".join(text.split())
    if "/" in text:
        text = _SLASH.sub("/", text)
    if "·" in text or "•" in text:
        parts = _DOT_SEPARATOR.split(text)
        text = ". ".join(p[:1].upper() + p[1:] for p in parts if p)
    text = _SPACE_BEFORE_PUNCT.sub("", text)
    text = _SPACE_AFTER_OPEN.sub("", text)
    return text.strip(" -–—:;,·•")


# ---------------------------------------------------------------------------------------------
# Headings
# ---------------------------------------------------------------------------------------------

_INTERROGATIVE = re.compile(r"^(?:why|what|how|who|where|when|which)\b", re.IGNORECASE)
# "What managers say", "Das sagen unsere Gäste", "Ce que disent nos clients": section titles
# that introduce testimonials rather than say anything themselves.
_SAY_HEADING = re.compile(r"\b(?:say|says|said|sagen|sagt|disent|dicen|dicono|zeggen)\b", re.IGNORECASE)
_SECTION_WORDS = _words(
    """features feature pricing prices plans plan faq faqs questions about contact testimonials reviews
    stories story studies resources blog news careers jobs team overview integrations security trust
    recognition gallery guide guides services products collection collections menu press partners
    support help docs documentation downloads locations areas shop store catalog catalogue category
    categories overview highlights benefits results customers clients numbers"""
)
_SECTION_PHRASES = frozenset(
    {
        "how it works",
        "get started",
        "learn more",
        "read more",
        "see more",
        "our story",
        "our team",
        "our mission",
        "our values",
        "about us",
        "contact us",
        "sign up",
        "log in",
        "shop all",
        "case studies",
        "customer stories",
        "frequently asked questions",
        "choose your plan",
    }
)


def is_heading(text: str, brand: str = "") -> bool:
    """True for section headings and labels that are not statements worth running as copy.

    "Why teams switch to Clearbeam", "Why Ember & Oak", "What managers say", "Customer
    stories", "Plumbing services", the bare brand name. A real question ("Why wait?") ends with
    a question mark and is kept.
    """
    t = " ".join(text.split()).strip(" .!:;,")
    if not t:
        return True
    low = t.lower()
    b = brand.strip().lower()
    if b and low in (b, f"why {b}", f"about {b}", f"meet {b}", f"{b} in numbers", f"inside {b}"):
        return True
    if _INTERROGATIVE.match(t) and not text.rstrip().endswith("?"):
        return True
    if _SAY_HEADING.search(t) and not any(q in t for q in '"“”„«»'):
        return True
    if low in _SECTION_PHRASES:
        return True
    words = re.findall(r"[^\W\d_]+", low)
    return 0 < len(words) <= 3 and words[-1] in _SECTION_WORDS and not re.search(r"\d", t)


# ---------------------------------------------------------------------------------------------
# Complete phrases
# ---------------------------------------------------------------------------------------------

# Words a phrase cannot end on: articles, prepositions, conjunctions, determiners, auxiliaries.
DANGLING = _words(
    """a an the and or but nor of to for with in on at by from as via into onto over under than
    that which who whose whom where when while so if & not no without like just all is are was
    were be been being has have had do does did can could will would should may might must your
    our their its my his her this these those every each any some both either neither such very
    more most less least per plus vs versus including include includes about around within across
    through during after before since until toward towards upon whether also only even then"""
)
# Words that, left at the end of a *cut*, show the cut fell inside a noun phrase or verb phrase.
_ADJECTIVES = _words(
    """new free best fast faster small big great good easy simple real live full other own first last
    next whole same top high low fresh local daily weekly monthly annual early late key main major
    better smarter quick quicker clear true open busy modern smart total extra secure safe"""
)
_VERBS = _words(
    """run runs work works rely relies switch switches count counts depend depends focus focuses live
    lives come comes go goes get gets turn turns look looks move moves start starts stay stays
    belong belongs trust trusts choose chooses help helps let lets make makes keep keeps need needs
    use uses love loves want wants take takes give gives find finds build builds see sees say says
    everyone everybody anyone anybody someone somebody nobody it they we you he she up out down off
    back"""
)
# A shortened phrase may end right before one of these (a trailing modifier starts there).
_CUT_BEFORE = _words(
    """in on at for with across since into without through via during after while so that which who
    where when because to depuis seit desde sinds dal"""
)
_CLAUSE_BREAK = re.compile(r"(?:,|;|:|\s[—–-])\s+|(?<=[.!?])\s+")


def _bare(word: str) -> str:
    return word.strip(".,;:!?\"'“”‘’()[]").lower()


def ends_complete(phrase: str, cut: bool = False) -> bool:
    """Does `phrase` end like a finished phrase?

    Always: not on a connector/article/preposition/possessive, not on a bare number, not on an
    unclosed bracket or quote. For a phrase that was *cut* from a longer one, also not on an
    adjective, participle, hyphenated modifier or common verb, which would leave the noun or
    object it belonged to behind ("teams at fast-growing", "companies run").
    """
    words = phrase.split()
    if not words:
        return False
    last_raw = words[-1]
    last = _bare(last_raw)
    if not last or last in DANGLING:
        return False
    if last.endswith(("'s", "’s")) or last_raw.endswith(("'", "’")):
        return False
    if re.fullmatch(r"[\d.,]+\+?", last) and not re.search(r"[%$€£¥₹]", last_raw):
        return False
    # German quotes open with „ and close with “, which opens an English quote.
    quotes = ("„", "“") if "„" in phrase else ("“", "”")
    for opener, closer in (("(", ")"), quotes, ("[", "]")):
        if phrase.count(opener) > phrase.count(closer):
            return False
    if phrase.count('"') % 2:
        return False
    if not cut:
        return True
    if last in _ADJECTIVES or last in _VERBS:
        return False
    # "fast-growing", "NABCEP-certified": a hyphenated modifier whose noun was cut off.
    return not ("-" in last and not last.endswith("s"))


_CONJ = re.compile(r"\s(?:and|or|&)\s")


def _inside_list(head: str, rest: str) -> bool:
    """Is the comma between `head` and `rest` one between list items ("Board packs, cash-flow
    forecasts and team scorecards refresh…"), so that cutting there would drop the list's end?

    It is when the following comma-separated segments are short items ending in one joined by
    "and"/"or" ("…Toast, Square, Clover and Lightspeed"), while the head's own last segment is a
    lone item.
    """
    sentence = re.split(r"(?<=[.!?])\s", rest, maxsplit=1)[0]
    segments = re.split(r"[,;:]\s*", sentence)
    m = None
    segment = ""
    for segment in segments:
        m = _CONJ.search(segment)
        if m or len(segment.split()) > 3:
            break
    if not m:
        return False
    before = segment[: m.start()].split()
    after = segment[m.end() :].split()
    last = re.split(r"[,;:]", head)[-1]
    if len(before) > 3 or _CONJ.search(f" {last} "):
        return False
    # "… forecasts and team scorecards refresh every 15 minutes": the sentence goes on after the
    # list. "Toast, Square, Clover and Lightspeed", "honey, cocoa and dried apple": an "and"
    # list. ("plumbers, day or night" is not a list.)
    return (
        len(after) > 3
        or m.group(0).strip() in ("and", "&")
        or (bool(before) and bool(after) and before[0][:1].isupper() and after[0][:1].isupper())
    )


def _open_aside(text: str) -> bool:
    """Does `text` stop inside a dashed aside ("numbers that everyone — from the CFO")?"""
    return (text.count(" — ") + text.count(" – ")) % 2 == 1


def _strip_end(text: str) -> str:
    return text.rstrip(" ,;:-–—/&(“‘\"'").rstrip(".")


@lru_cache(maxsize=4096)
def shorter_phrases(text: str, conditional: bool = False, prepositional: bool = True) -> tuple[str, ...]:
    """Shorter complete phrases that `text` starts with, longest first.

    Cuts fall at clause boundaries ("Free 14-day trial, no credit card required" → "Free 14-day
    trial") or before a trailing prepositional or relative phrase ("Trusted by 12,000 teams in
    40 countries" → "Trusted by 12,000 teams"). Never before "of", "and", "than" or a quantity
    qualifier, never leaving fewer than two words, never inside a dashed aside. When
    `conditional` (offers and prices, whose small print is part of the claim) or not
    `prepositional`, only whole clauses count.
    """
    text = " ".join(text.split()).rstrip(" .!")
    out: list[str] = []

    def add(candidate: str) -> None:
        c = _strip_end(candidate)
        if c and c != text and len(c.split()) >= 2 and ends_complete(c, cut=True) and c not in out:
            out.append(c)

    colon = text.find(": ")
    for m in _CLAUSE_BREAK.finditer(text):
        # After "Label: a, b, c" the commas separate list items, not clauses.
        head = text[: m.start()]
        if text[m.start()] == "," and ((colon >= 0 and m.start() > colon) or _inside_list(head, text[m.end() :])):
            continue
        if not _open_aside(head):
            add(head)
    if not conditional and prepositional:
        words = text.split(" ")
        for i in range(2, len(words)):
            if _bare(words[i]) in _CUT_BEFORE and words[i][:1].islower() and not words[i - 1].endswith(","):
                head = " ".join(words[:i])
                if not _open_aside(head):
                    add(head)
    return tuple(sorted(out, key=len, reverse=True))


# Short, self-contained offer and proof phrases found *inside* longer wording: these read as
# complete headlines on their own and keep the offer's own terms.
_NUM = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
# "Trusted by 8,500 restaurants and retail stores": the noun is the first of a list, not the end.
_NOT_LISTED = r"(?!\s+(?:and|or|&)\s)"
_INNER_PHRASES = (
    re.compile(r"\b(?:free\s+)?\d+[-\s]day\s+(?:free\s+)?trial\b", re.IGNORECASE),
    re.compile(r"\bno\s+credit\s+card(?:\s+(?:required|needed))?\b", re.IGNORECASE),
    re.compile(r"\bfree\s+shipping(?:\s+on\s+orders\s+(?:over|above)\s+[$€£]?\d+(?:[.,]\d+)?[$€£]?)?", re.IGNORECASE),
    re.compile(r"\bfree\s+(?:estimates?|quotes?|consultations?|site\s+surveys?|returns)\b", re.IGNORECASE),
    re.compile(r"\b\d+[-\s]day\s+money[-\s]back\s+guarantee\b", re.IGNORECASE),
    re.compile(
        rf"\b(?:trusted|used|loved|chosen)\s+by\s+(?:over\s+|more\s+than\s+)?(?:{_NUM})\+?\s+[a-z]+\b{_NOT_LISTED}",
        re.IGNORECASE,
    ),
    re.compile(rf"\bjoin\s+(?:over\s+|more\s+than\s+)?(?:{_NUM})\+?\s+[a-z]+\b{_NOT_LISTED}", re.IGNORECASE),
    # The same free things in the other languages of the CTA table ("Envío gratis", "Kostenloser
    # Versand", "Livraison offerte", "Gratis verzending"): the offer's core, for a headline whose
    # ad body states its terms.
    re.compile(
        r"\b(?:envíos?|entrega|devoluci(?:ón|ones)|presupuesto|consulta|prueba|livraison|retours?|devis|essai|"
        r"spedizione|consegna|resi|reso|preventivo|consulenza|prova|frete|envio|devolução|orçamento|teste)\s+"
        r"(?:gratis|gratuit[aeo]?s?|grátis|offert[e]?s?|gratuiti)\b",
        re.IGNORECASE,
    ),
    re.compile(
        # German only where the ending is the nominative's ("nach kostenloser Besichtigung" is not).
        r"\b(?:kostenloser\s+(?:Versand|Rückversand)|kostenlose\s+(?:Lieferung|Rücksendung|Beratung|Erstberatung|"
        r"Besichtigung|Probefahrt|Testphase)|kostenloses\s+Angebot|"
        r"gratis\s+(?:verzending|levering|retour(?:en)?|offerte|proefperiode|advies)|versandkostenfrei)\b",
        re.IGNORECASE,
    ),
)


@lru_cache(maxsize=4096)
def inner_phrases(text: str) -> tuple[str, ...]:
    """Offer/proof phrases inside `text`, capitalised: "Every plan starts with a 14-day free
    trial" → ("14-day free trial",)."""
    out: list[str] = []
    for rx in _INNER_PHRASES:
        for m in rx.finditer(text):
            p = m.group(0).strip()
            p = p[:1].upper() + p[1:]
            if p.rstrip(".") != text.rstrip(" .") and p not in out:
                out.append(p)
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Language
# ---------------------------------------------------------------------------------------------

_ENGLISH = _words(
    """the and to of for is on that with your you our we it are by from at as be this or every more
    all can has have get not day what how why who will just into than when"""
)
_OTHER_LANGUAGES = _words(
    """der die das und ist mit für von den dem des ein eine einer nicht auf sie wir unser unsere
    unseren bei seit jeden jetzt auch zum zur le la les et des une du est pour avec vous nous
    notre nos dans sur au aux el los las y para con una por es del al su sus il di che per gli
    della nel het een van op voor met zijn ons onze om não uma com os às"""
)


def looks_english(text: str) -> bool:
    """Is the site's own wording English? (Ties and too little text count as English.)"""
    tokens = re.findall(r"[^\W\d_]+", text.lower())
    en = sum(1 for t in tokens if t in _ENGLISH)
    other = sum(1 for t in tokens if t in _OTHER_LANGUAGES)
    return other <= en or other < 2


# ---------------------------------------------------------------------------------------------
# Addresses
# ---------------------------------------------------------------------------------------------

# An IPv4 address, or a host name with a port: things a reader cannot visit and an ad must
# never show (they come from staging or loopback URLs).
HOST_LITERAL = re.compile(
    r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?!\w|\.\d)"
    r"|\b(?:localhost|(?=[a-z0-9-]*[a-z])[a-z0-9-]+(?:\.[a-z0-9-]+)+):\d{2,5}\b"
    r"|\[[0-9a-f:]+\](?::\d+)?",
    re.IGNORECASE,
)
_LOCAL_SUFFIXES = ("localhost", "local", "internal", "lan", "home.arpa", "invalid", "intranet")


def display_domain(url: str) -> str:
    """The bare domain to print in copy ("clearbeam.com"), or "" when it is not one a reader
    could type: an IP address, a host with an explicit port, a single-label or local name."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().rstrip(".")
    if port is not None or "." not in host:
        return ""
    try:
        ipaddress.ip_address(host)
        return ""
    except ValueError:
        pass
    if host.endswith(_LOCAL_SUFFIXES):
        return ""
    return host[4:] if host.startswith("www.") else host
