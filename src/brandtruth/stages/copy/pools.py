"""Collecting what the template may say: every usable, grounded fragment of a profile, by kind."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from urllib.parse import urlsplit

from brandtruth.claims.headline_rules import SourceSentences, site_sentences
from brandtruth.models.brand import BrandProfile, ClaimKind, Evidence
from brandtruth.models.copy import ClaimUse, Platform
from brandtruth.platforms import display_width
from brandtruth.stages.copy.assertions import normalize_text
from brandtruth.stages.copy.fragments import (
    _COMPANY_PAGE,
    _FIRST_PERSON,
    _MARKUP,
    _NAV_CTA,
    _NEGATED_START,
    _NUMBER,
    _OFFER_KINDS,
    _OFFER_TERMS_INTL,
    _OFFER_WORDS,
    _PAIN_WORDS,
    _PHONE,
    _PLAN_PAGE,
    _PRICE_START,
    _PROOF_WORDS,
    _RESOLUTION,
    _RESULT_WORDS,
    _STRONG_OFFER_INTL,
    _UNIT,
    Fragment,
    _bare_price,
    _content,
    _mostly_non_latin,
    _numbers,
    _sentences,
    is_offer_wording,
)
from brandtruth.stages.copy.grounding import GroundingReport, SupportIndex
from brandtruth.stages.copy.headlines import HeadlineJudge, is_ui_label
from brandtruth.stages.copy.phrasing import (
    display_domain,
    inner_phrases,
    is_heading,
    looks_english,
    shorter_phrases,
    tidy,
)
from brandtruth.stages.copy.platforms import map_cta


@dataclass
class Pools:
    """Everything the template may say about the brand, each item already grounded."""

    brand: str
    domain: str
    vps: list[Fragment]
    proof: list[Fragment]
    testimonials: list[Fragment]
    features: list[Fragment]
    offers: list[Fragment]
    about: list[Fragment]
    tagline: Fragment | None
    key_terms: list[str]
    # Site CTA wording, best fit for the brand first.
    site_ctas: list[str]
    exclaim: bool
    # The site is not written in English (e.g. German or Japanese): the English connective
    # phrasings would produce mixed-language copy, so only the site's own sentences are used.
    verbatim: bool
    formal: bool
    problems: list[Fragment] = field(default_factory=list)
    minor: list[Fragment] = field(default_factory=list)
    # The site's own wording, as written (for telling a name from a common phrase).
    corpus: str = ""
    offer_alts: list[Fragment] = field(default_factory=list)
    prices: list[Fragment] = field(default_factory=list)
    # Certifications and compliance ("SOC 2 Type II certified"): proof of trust, quoted after
    # what customers say and how they rate the brand.
    trust: list[Fragment] = field(default_factory=list)
    skipped: int = 0
    # Decides what may head an ad; shared by every platform of a run so its rejections add up.
    judge: HeadlineJudge = field(default_factory=lambda: HeadlineJudge("", False, [], []))
    language: str = ""
    # Site actions whose wording may not be quoted (it states an unsupported fact), but whose
    # button they map to is still the site's main action.
    button_ctas: list[str] = field(default_factory=list)

    @property
    def has_substance(self) -> bool:
        return bool(self.vps or self.proof or self.testimonials or self.features or self.offers or self.trust)


def _grounded(index: SupportIndex, text: str) -> GroundingReport | None:
    report = GroundingReport()
    index.check_text("fragment", text, report)
    return report if report.ok else None


def _cta_rank(wording: str) -> int:
    """How well a site CTA fits as the ad's main action (lower is better).

    Starting a trial, signing up, shopping or booking a visit is what a user of the site came to
    do; a demo request or "contact sales" is the second choice; "learn more" the last.
    """
    low = wording.lower()
    if re.search(r"\bdemo\b|\bcontact\b|\btalk to\b|\bsales\b", low):
        return 2
    if re.search(r"\b(free|trial|try|get started|start|sign ?up|join|create|register|shop|buy|order|bestell)", low):
        return 0
    if re.search(r"\b(book|reserve|appointment|call|quote|estimate|survey)\b", low) or _PHONE.search(low):
        return 0
    if re.search(r"\bsubscribe\b", low):
        return 1
    # Other languages: rank by the platform button the wording maps to ("Jetzt buchen" → Book Now).
    return _BUTTON_RANK.get(map_cta(wording, Platform.META) or "", 3)


_BUTTON_RANK = {
    "Sign Up": 0,
    "Shop Now": 0,
    "Get Started": 0,
    "Book Now": 0,
    "Order Now": 0,
    "Get Quote": 0,
    "Get Offer": 0,
    "Subscribe": 1,
    "Contact Us": 2,
}


_STRONG_OFFER = re.compile(r"\b((?<![-\w])free|trial|save|discount|deal)\b|%", re.IGNORECASE)


def _offer_rank(text: str) -> int:
    """Trials, free things and discounts lead; no-card/guarantee terms next; prices with their
    context after; pricing small print without an offer or a price is not ad material (3)."""
    if _STRONG_OFFER.search(text) or _STRONG_OFFER_INTL.search(text):
        return 0
    if _OFFER_WORDS.search(text) or _OFFER_TERMS_INTL.search(text):
        return 1
    return 2 if _NUMBER.search(text) else 3


def _count_phrase(text: str) -> str:
    """ "12,000 Trusted by 12,000 teams" (a stat block's number glued to its label) → the label."""
    m = re.match(r"^([\d.,]+\+?)\s+(.*)$", text)
    if m and m.group(1).rstrip("+") in m.group(2):
        return m.group(2)
    return text


def _rating_options(value: float, scale: float, count: int | None, platform: str) -> list[str]:
    base = f"{value:g}/{scale:g}"
    out: list[str] = []
    if platform:
        out.append(f"Rated {base} on {platform}")
    if count:
        out += [f"Rated {base} from {count:,} reviews", f"{base} from {count:,} reviews"]
    out.append(f"Rated {base}")
    return out


def _rating_platform(quotes: list[str], source: str) -> str:
    """Where the rating was given ("G2", "Google"), as the evidence itself names it.

    `Rating.source` is often how the extractor found the rating ("json-ld", "text"), which is
    not a name to print.
    """
    for q in quotes:
        m = re.search(r"\bon ([A-Z][\w.&-]*(?: [A-Z][\w.&-]*)?)", q) or re.search(r"\b([A-Z][\w.&-]+) reviews\b", q)
        if m:
            return m.group(1)
    if source and source[:1].isupper() and source.lower() not in ("json-ld", "microdata", "rdfa", "text", "meta"):
        return source
    return ""


# Other people choosing the brand, in the other languages of the CTA table: customers, reviews
# and stars, satisfied or trained people, subscribers, households, awards.
_PROOF_WORDS_INTL = re.compile(
    r"\b(?:clients?|clientes?|kunden|klanten|avis|bewertungen|rezensionen|opiniones|reseñas|recensioni|"
    r"recensies|beoordelingen|avaliações|étoiles|sternen?|estrellas|stelle|sterren|estrelas|"
    r"satisfaits?|zufriedene[n]?|satisfech[oa]s|soddisfatti|tevreden|satisfeit[oa]s|"
    r"formés|formées|geschult|ausgebildet|formad[oa]s|formati|opgeleid|élèves|schüler(?:innen)?|alumn[oa]s|"
    r"studenti|leerlingen|alunos|participants|teilnehmer(?:innen)?|participantes|partecipanti|deelnemers|"
    r"abonnés|abonnenten|suscriptores|iscritti|abonnees|assinantes|haushalte|foyers|hogares|famiglie|"
    r"huishoudens|famílias|familles|familien|familias|auszeichnung(?:en)?|ausgezeichnet|récompens\w*|"
    r"premiad[oa]s?|premiat[oa]|bekroond)\b",
    re.IGNORECASE,
)


def is_proof_wording(text: str) -> bool:
    """Whether the text speaks of other people choosing the brand, in any CTA-table language."""
    return bool(_PROOF_WORDS.search(text) or _PROOF_WORDS_INTL.search(text))


def _claim_category(kind: ClaimKind, text: str, url: str, named_customer: bool) -> str:
    """Where a (non-offer) claim belongs: proof, trust, result, problem, minor or feature."""
    if named_customer or kind is ClaimKind.AWARD:
        return "proof"
    if kind is not ClaimKind.CERTIFICATION and is_proof_wording(text) and _NUMBER.search(text):
        return "proof"  # "4,8 de 5 estrellas · 327 opiniones", "Plus de 3 400 professionnels formés"
    if kind is ClaimKind.CERTIFICATION:
        return "trust"
    if kind in (ClaimKind.STATISTIC, ClaimKind.COMPARISON) and _RESULT_WORDS.search(text):
        return "result"
    if _is_problem(text):
        return "problem"
    path = urlsplit(url).path
    if _COMPANY_PAGE.search(path) or _PLAN_PAGE.search(path):
        return "minor"
    return "feature"


def _is_problem(text: str) -> bool:
    """A sentence naming a pain in the reader's world ("Spreadsheets break at the worst moment."),
    not the brand describing itself ("we roast …", "keeps working during outages")."""
    return (
        text.endswith(".")
        and len(text.split()) >= 4
        and _PAIN_WORDS.search(text) is not None
        and _NEGATED_START.match(text) is None
        and _FIRST_PERSON.search(text) is None
        and _RESOLUTION.search(text) is None
    )


def _menu_row(text: str) -> bool:
    """ "HARDWARE BUYING GUIDES": a short all-capitals row is a menu or section label."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters) and len(text.split()) <= 5


class PoolBuilder:
    """Collects the profile's fragments source by source; `build` runs them in a fixed order.

    The order matters: a fragment said once is not said again (`seen`), so the source that
    collects an item first (a testimonial with its author before the bare testimonial claim)
    keeps it.
    """

    def __init__(self, profile: BrandProfile, index: SupportIndex) -> None:
        self.profile = profile
        self.index = index
        self.skipped = 0
        self.seen: set[str] = set()
        self.rating_sources: list[str] = []
        sample = " ".join([profile.tagline, profile.description, *profile.value_propositions])
        sample += " " + " ".join(c.text for c in profile.claims[:12])
        self.sample = sample
        # The template's connective phrasings are English: any other language gets only the
        # site's own sentences. The profile's detected language decides; the text when unknown.
        self.language = (profile.language or "").lower()[:2]
        if self.language:
            self.verbatim = self.language != "en" or _mostly_non_latin(sample)
        else:
            self.verbatim = _mostly_non_latin(sample) or not looks_english(sample)
        # Quotes as the site writes them: „German“ or “English”.
        quoted_text = " ".join(
            [sample, *(t.quote for t in profile.social_proof.testimonials)]
            + [e.quote for t in profile.social_proof.testimonials for e in t.evidence]
            + [c.text for c in profile.claims if c.kind is ClaimKind.TESTIMONIAL]
        )
        self.opening, self.closing = ("„", "“") if "„" in quoted_text else ("“", "”")
        self.brand = tidy(profile.brand_name)
        self.forbidden = {c.id for c in index.forbidden}
        self.testimonials: list[Fragment] = []
        self.proof: list[Fragment] = []
        self.features: list[Fragment] = []
        # Company facts (headcount, offices) and plan limits ("5 data sources"): true, but only
        # worth a feature ad of their own after everything else, never a headline elsewhere.
        self.minor: list[Fragment] = []
        self.offers: list[tuple[int, Fragment]] = []
        self.results: list[Fragment] = []
        self.problems: list[Fragment] = []
        self.claim_proof: list[Fragment] = []
        self.certifications: list[Fragment] = []
        self.prices: list[Fragment] = []
        self.vp_claims: dict[str, Fragment] = {}
        self.proof_all: list[Fragment] = []
        self.vps: list[Fragment] = []
        self.offer_items: list[Fragment] = []
        self.offer_alts: list[Fragment] = []
        self.tagline: Fragment | None = None
        self.about: list[Fragment] = []

    # -- one fragment ------------------------------------------------------------------------

    def frag(
        self,
        text: str,
        claim_id: str | None = None,
        author: str = "",
        max_width: int = 150,
        conditional: bool = False,
        section: str = "",
        allow_heading: bool = False,
        clause_fallback: bool = False,
    ) -> Fragment | None:
        """The tidied, grounded fragment for `text`, or None (said already, a heading, too long,
        or unsupported — the last counts as skipped)."""
        text = tidy(text)
        if len(text) < 3 or display_width(text) > max_width:
            return None
        if not allow_heading and (is_heading(text, self.brand) or _menu_row(text)):
            return None
        key = normalize_text(text).rstrip(".!")
        if key in self.seen:
            return None
        report = _grounded(self.index, text)
        if report is None and clause_fallback:
            # "Frische Brötchen, süße Stückchen und Café crème – seit 1952": the year has no
            # evidence, the leading clause says nothing that needs any.
            for short in shorter_phrases(text.rstrip(".!"), True):
                key = normalize_text(short)
                if key not in self.seen and (report := _grounded(self.index, short)) is not None:
                    text = short
                    break
        if report is None:
            self.skipped += 1
            return None
        self.seen.add(key)
        uses = list(report.claims_used)
        if claim_id and not any(u.claim_id == claim_id for u in uses):
            uses.insert(0, ClaimUse(claim_id=claim_id, span=text.rstrip(" .")))
        return Fragment(text, tuple(uses), author, conditional, section, self.opening, self.closing)

    def quoted(self, quote: str, claim_id: str | None = None, author: str = "") -> Fragment | None:
        inner = tidy(quote).strip('"“”„«»')
        if not inner:
            return None
        return self.frag(
            f"{self.opening}{inner}{self.closing}", claim_id, author=author, max_width=400, allow_heading=True
        )

    # -- collectors, one per source ----------------------------------------------------------

    def collect_testimonials(self) -> None:
        """The site's own testimonials (with who said it) before the bare testimonial claims,
        so the attribution survives de-duplication."""
        for tm in self.profile.social_proof.testimonials:
            if not tm.evidence:
                continue
            # "Jürgen Maier, Stammkunde seit 1998": a year in the byline would be a claim of its own.
            second = tm.company or (tm.role if tm.role and not re.search(r"\d", tm.role) else None)
            who = ", ".join(tidy(x) for x in (tm.author, second) if x)
            if (f := self.quoted(tm.quote, author=who)) is not None:
                self.testimonials.append(f)

    def collect_ratings(self) -> None:
        for r in self.profile.social_proof.ratings:
            if not r.evidence:
                continue
            where = r.platform or _rating_platform([e.quote for e in r.evidence], r.source)
            options = _rating_options(r.value, r.scale, r.count, where)
            if where and _grounded(self.index, options[0]) is not None:
                # A rating keeps its source: "Rated 4.8/5" alone is not said when "on G2" can be.
                options = [o for o in options if where in o]
                self.rating_sources.append(where)
            if self.verbatim:
                # "4,8/5 bei Trusted Shops": the site's own wording of its rating, not English glue.
                quotes = [q for e in r.evidence if (q := tidy(e.quote)) and len(q.split()) <= 12]
                # Its shorter form ends on where it was given ("4,8/5 bei Trusted Shops").
                shorter = [q[: q.index(where) + len(where)] for q in quotes if where and where in q]
                options = [*quotes, *(x for x in shorter if x not in quotes)]
            passing = [o for o in options if _grounded(self.index, o) is not None]
            if passing and (f := self.frag(passing[0])) is not None:
                # The other wordings ("Rated 4.8/5") are shorter headlines for the same rating.
                self.proof.append(replace(f, alts=tuple(passing[1:])))

    def collect_customer_counts(self) -> None:
        for cc in self.profile.social_proof.customer_counts:
            if not cc.evidence:
                continue
            text = _count_phrase(tidy(cc.text))
            # "12,000+ teams" is a label; the site's own "Trusted by 12,000+ teams" is a sentence.
            options = [text, *inner_phrases(text)]
            if _PRICE_START.match(text) or text[:1].isdigit():
                options = [p for e in cc.evidence for p in inner_phrases(tidy(e.quote))] + options
            for option in options:
                if (f := self.frag(option)) is not None:
                    self.proof.append(f)
                    break

    def collect_claims(self) -> None:
        """Claims sorted by what they are: testimonial, offer, price, proof, trust, result,
        problem, minor fact or feature."""
        sp = self.profile.social_proof
        logos = {normalize_text(lg.name) for lg in sp.customer_logos if lg.name}
        logos |= {normalize_text(t.company) for t in sp.testimonials if t.company}
        vp_keys = {normalize_text(tidy(v)).rstrip(".!") for v in self.profile.value_propositions}
        for claim in self.profile.claims:
            if claim.id in self.forbidden:
                continue
            ev: Evidence = claim.evidence[0]
            if claim.kind is ClaimKind.TESTIMONIAL:
                for q in [claim.text, *(e.quote for e in claim.evidence)]:
                    if (f := self.quoted(q, claim.id)) is not None:
                        self.testimonials.append(f)
                        break
                continue
            text = tidy(claim.text)
            if self.verbatim and len(text.split()) <= 3 and normalize_text(text) == normalize_text(ev.section):
                continue  # a section title ("Süße Stückchen") in a language the heading rules do not read
            is_offer = claim.kind in _OFFER_KINDS or is_offer_wording(text)
            f = None
            for t in [claim.text, *sorted((e.quote for e in claim.evidence), key=len)]:
                f = self.frag(t, claim.id, conditional=is_offer, section=ev.section)
                if f is not None:
                    break
            if f is None:
                continue
            low = normalize_text(f.text)
            named = any(low.startswith(name) for name in logos if name)
            kind = "offer" if is_offer else _claim_category(claim.kind, f.text, ev.url, named)
            key = low.rstrip(".!")
            if key in vp_keys and kind in ("feature", "result", "minor", "problem"):
                self.vp_claims[key] = f  # said as the value proposition it also is
                continue
            self.file_claim(kind, f)

    def file_claim(self, kind: str, f: Fragment) -> None:
        if kind == "offer":
            if _bare_price(f.text):
                # Without the product it buys, a price is at most a description line, and only
                # with its unit ("$29/user/month", never a bare "3,20 €").
                if _UNIT.search(f.text):
                    self.prices.append(f)
                return
            rank = _offer_rank(f.text)
            if rank < 3:
                self.offers.append((rank, f))
            return
        {
            "proof": self.claim_proof,
            "trust": self.certifications,
            "result": self.results,
            "problem": self.problems,
            "minor": self.minor,
            "feature": self.features,
        }[kind].append(f)

    def merge_proof(self) -> None:
        """The same rating or count said three ways on a site is one piece of proof, not three."""
        signatures: list[frozenset[Decimal]] = []
        for f in [*self.proof, *self.claim_proof]:
            nums = _numbers(" ".join([f.text, *f.alts]))
            if nums and any(nums <= s for s in signatures):
                continue
            if nums:
                signatures.append(nums)
            self.proof_all.append(f)

    def collect_value_propositions(self) -> None:
        # A value proposition that is only the heading of claims the run may not use ("Good for
        # you" above a health claim) would imply that claim, so it is not said either.
        claims = self.profile.claims
        allowed_sections = {normalize_text(e.section) for c in claims if c.id not in self.forbidden for e in c.evidence}
        implied = {normalize_text(e.section).rstrip(".!") for c in self.index.forbidden for e in c.evidence}
        implied -= allowed_sections
        for v in self.profile.value_propositions:
            key = normalize_text(tidy(v)).rstrip(".!")
            if key in implied:
                continue
            f = self.vp_claims.pop(key, None) or self.frag(v, clause_fallback=True)
            if f is None:
                continue
            if is_offer_wording(f.text):
                self.offers.append((_offer_rank(f.text), Fragment(f.text, f.uses, conditional=True)))
            elif is_proof_wording(f.text) and _NUMBER.search(f.text):
                self.proof_all.append(f)
            else:
                self.vps.append(f)
        self.vps += self.results

    def merge_offers(self) -> None:
        """ "Start free for 14 days", "Every plan starts with a 14-day free trial", "Try it free
        for 14 days": one offer said three ways is one item; the other wordings can still head it."""
        offer_sigs: list[tuple[frozenset[Decimal], frozenset[str]]] = []
        cta_words = [_content(c) for c in self.profile.site_ctas]
        items, alts = self.offer_items, self.offer_alts
        for _, f in sorted(self.offers, key=lambda x: x[0]):
            short = len(f.text.split()) <= 3 and not _NUMBER.search(f.text)
            if short and any(_content(f.text) <= w for w in cta_words):
                alts.append(f)  # "Start free." is the site's button, not an offer to lead with
                continue
            words = [m.group(0).lower() for r in (_OFFER_WORDS, _STRONG_OFFER_INTL) for m in r.finditer(f.text)]
            sig = (_numbers(f.text), frozenset(words))
            same = next(
                (
                    k
                    for k, (s0, s1) in enumerate(offer_sigs)
                    if (sig[0] or sig[1]) and sig[0] == s0 and (sig[1] & s1 or not sig[1])
                ),
                None,
            )
            if same is None:
                offer_sigs.append(sig)
                items.append(f)
            elif len(f.text) > len(items[same].text) and len(f.text.split()) <= 12:
                # The fullest wording of one offer leads ("Every plan starts with a 14-day free
                # trial." over "Start free for 14 days."); the others can still head it.
                alts.append(items[same])
                items[same] = f
            else:
                alts.append(f)

    def fragments(self) -> list[Fragment]:
        """Every fragment collected so far: the sentences the writer draws headlines from."""
        pools = [self.vps, self.proof_all, self.testimonials, self.features, self.minor, self.offer_items]
        pools += [self.offer_alts, self.prices, self.certifications, self.about, self.problems]
        out = [f for pool in pools for f in pool]
        return [self.tagline, *out] if self.tagline is not None else out

    def collect_tagline_and_about(self) -> None:
        profile = self.profile
        self.tagline = self.frag(profile.tagline, clause_fallback=True) if profile.tagline else None
        for sentence in _sentences(tidy(profile.description))[:3]:
            if (f := self.frag(sentence, clause_fallback=True)) is None:
                continue
            if is_offer_wording(f.text) and _offer_rank(f.text) < 3:
                self.offer_items.append(replace(f, conditional=True))  # "Free site survey." is an offer
            else:
                self.about.append(f)
        if self.tagline is None and self.about:
            self.tagline = self.about.pop(0)

    def key_terms(self) -> list[str]:
        profile = self.profile
        markup = " ".join(
            m.group(0).lower() for t in (profile.tagline, profile.description) for m in _MARKUP.finditer(t)
        )
        out: list[str] = []
        for term in profile.key_terms:
            t = tidy(term)
            if (
                t
                and len(t) <= 30
                and normalize_text(t) != normalize_text(profile.brand_name)
                and t.lower() not in markup
                and _grounded(self.index, t) is not None
                and normalize_text(t) not in (normalize_text(k) for k in out)
            ):
                out.append(t)
        return out

    def site_ctas(self) -> tuple[list[str], list[str]]:
        """(wordings the copy may quote, wordings that only choose the button). A button whose
        wording states something the evidence does not cover ("Start your free 14-day trial"
        without a trial claim) still says what the site's main action is."""
        quotable: list[str] = []
        buttons: list[str] = []
        primary = tidy(self.profile.primary_action)
        wordings = [primary, *self.profile.site_ctas] if primary else self.profile.site_ctas
        for cta in wordings:
            c = tidy(cta)
            if not c or len(c) > 32 or _NAV_CTA.search(c) or is_ui_label(c):
                continue
            if normalize_text(c) in (normalize_text(x) for x in [*quotable, *buttons]):
                continue
            (quotable if _grounded(self.index, c) is not None else buttons).append(c)
        # The page's main action leads among equally good ones (a stable sort keeps it first).
        quotable.sort(key=_cta_rank)
        buttons.sort(key=_cta_rank)
        return quotable, buttons

    def build(self) -> Pools:
        self.collect_testimonials()
        self.collect_ratings()
        self.collect_customer_counts()
        self.collect_claims()
        self.merge_proof()
        self.collect_value_propositions()
        self.merge_offers()
        self.collect_tagline_and_about()
        profile = self.profile
        tone = profile.tone
        quotable, buttons = self.site_ctas()
        has_substance = bool(
            self.vps or self.proof_all or self.testimonials or self.features or self.offer_items or self.certifications
        )
        sp = profile.social_proof
        people = [t.author for t in sp.testimonials if t.author]
        # A heading several claims or testimonials sit under is the title of their section.
        # Two quotes under one heading make it the title of a reviews section; three claims under
        # a short heading ("Water heaters") make it a category, not a benefit.
        quotes = [c.evidence[:1] for c in profile.claims if c.kind is ClaimKind.TESTIMONIAL]
        quotes += [t.evidence[:1] for t in sp.testimonials]
        heads_quotes = Counter(normalize_text(e.section) for ev in quotes for e in ev if e.section)
        heads_claims = Counter(normalize_text(c.evidence[0].section) for c in profile.claims if c.evidence[0].section)
        sections = [s for s, n in heads_quotes.items() if n >= 2]
        sections += [s for s, n in heads_claims.items() if n >= 3 and len(s.split()) <= 3]
        judge = HeadlineJudge(
            self.brand,
            has_substance,
            [*profile.site_ctas, profile.primary_action],
            people,
            self.language,
            sections,
            tagline=tidy(profile.tagline),
            rating_sources=self.rating_sources,
            sources=SourceSentences(
                [*site_sentences(profile), *(f.text for f in self.fragments())],
                exact=[a for f in self.fragments() for a in (f.text, *f.alts)],
            ),
        )
        return Pools(
            brand=self.brand or display_domain(profile.url) or (urlsplit(profile.url).hostname or ""),
            domain=display_domain(profile.url),
            vps=self.vps,
            proof=self.proof_all,
            testimonials=self.testimonials,
            features=self.features,
            minor=self.minor,
            offers=self.offer_items,
            offer_alts=self.offer_alts,
            prices=self.prices,
            trust=self.certifications,
            about=self.about,
            tagline=self.tagline,
            key_terms=self.key_terms(),
            site_ctas=quotable,
            button_ctas=buttons,
            exclaim=(tone.exclamation_rate or 0.0) >= 0.15,
            verbatim=self.verbatim,
            formal=(tone.reading_ease is not None and tone.reading_ease < 40) or "formal" in tone.summary.lower(),
            problems=self.problems,
            corpus=" ".join([self.sample, *(e.quote for c in profile.claims for e in c.evidence)]),
            skipped=self.skipped,
            judge=judge,
            language=self.language,
        )


def build_pools(profile: BrandProfile, index: SupportIndex) -> Pools:
    """Collect and pre-check every usable fragment of the profile, best first."""
    return PoolBuilder(profile, index).build()
