"""The default copy generator: offline, deterministic, and built only from what the site says.

It never needs a network or a model. Copy is assembled from the profile's value propositions,
allowed (low/medium-risk, or high-risk when enabled) claims, social proof, key terms, tagline and
site CTAs, with several phrasings per angle chosen by a seeded RNG: the same profile and seed
always give the same variants, another seed gives other phrasings.

Every fragment is grounding-checked *before* use (a value proposition that states an
unsupported number is simply not used), and every assembled variant is validated again by
`checks.validate_variant`; a candidate that fails is replaced by the next phrasing, and a slot
with no passing candidate is recorded as dropped.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

from brandtruth.models.brand import BrandProfile, ClaimKind
from brandtruth.models.copy import Angle, ClaimUse, CopyVariant, DroppedVariant, Platform
from brandtruth.stages.copy.checks import RunRegistry, merge_claims, merge_proof, validate_variant
from brandtruth.stages.copy.grounding import GroundingReport, SupportIndex, normalize_text
from brandtruth.stages.copy.platforms import (
    PlatformSpec,
    char_width,
    display_width,
    fit_clause,
    fit_sentences,
    fit_text,
    map_cta,
    spec_for,
    strip_emoji,
)

GENERATOR_NAME = "template"
_T = TypeVar("_T")

# Which angles lead, by campaign objective.
_OBJECTIVE_ORDER: dict[str, tuple[Angle, ...]] = {
    "conversions": (
        Angle.BENEFIT,
        Angle.OFFER,
        Angle.SOCIAL_PROOF,
        Angle.PROBLEM_SOLUTION,
        Angle.FEATURE,
        Angle.CURIOSITY,
    ),
    "leads": (
        Angle.PROBLEM_SOLUTION,
        Angle.BENEFIT,
        Angle.SOCIAL_PROOF,
        Angle.OFFER,
        Angle.FEATURE,
        Angle.CURIOSITY,
    ),
    "awareness": (
        Angle.BENEFIT,
        Angle.CURIOSITY,
        Angle.SOCIAL_PROOF,
        Angle.FEATURE,
        Angle.PROBLEM_SOLUTION,
        Angle.OFFER,
    ),
    "traffic": (
        Angle.CURIOSITY,
        Angle.BENEFIT,
        Angle.FEATURE,
        Angle.SOCIAL_PROOF,
        Angle.PROBLEM_SOLUTION,
        Angle.OFFER,
    ),
}

_PROOF_KINDS = {
    ClaimKind.STATISTIC,
    ClaimKind.SUPERLATIVE,
    ClaimKind.AWARD,
    ClaimKind.CERTIFICATION,
    ClaimKind.COMPARISON,
}
_OFFER_KINDS = {ClaimKind.PRICING, ClaimKind.GUARANTEE}
_OFFER_WORDS = re.compile(r"\b(free|trial|discount|save|off|offer|deal|guarantee|refund)\b", re.IGNORECASE)
_NAV_CTA = re.compile(
    r"\b(log ?in|sign ?in|my account|cart|menu|search|close|skip|cookie|accept|privacy|back)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Fragment:
    """A piece of site wording that passed the grounding check on its own."""

    text: str
    uses: tuple[ClaimUse, ...] = ()
    author: str = ""

    @property
    def phrase(self) -> str:
        """Headline form: no closing full stop."""
        return self.text.rstrip(" .")

    @property
    def sentence(self) -> str:
        t = self.text.strip()
        if t[-1:] in '.!?…”"。！？':
            return t
        return t + ("。" if t and char_width(t[-1]) == 2 else ".")

    @property
    def lower(self) -> str:
        return _lower_first(self.phrase)


@dataclass
class Draft:
    """One way of writing one angle on one piece of content, before fitting to a platform."""

    angle: Angle
    key: str
    headlines: list[str]
    body: list[str]
    descriptions: list[str] = field(default_factory=list)
    uses: list[ClaimUse] = field(default_factory=list)
    # Words the packed body must still contain, so a variant never loses the content it is about.
    must: str = ""


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word looks like a name or acronym."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        first = text.split(" ", 1)[0]
        if first.lower() not in ("i",) and not any(c.isupper() for c in first[1:]):
            return text[0].lower() + text[1:]
    return text


def _prefixed(text: str, brand: str) -> bool:
    """ "Acme: ...", "Inside Acme: ...", "Why Acme? ..." — the brand-led phrasings."""
    low = text.lower()
    b = brand.lower()
    return low.startswith((f"{b}:", f"inside {b}:", f"why {b}?", f"meet {b}.")) or f"{b} in one line" in low


def _cap(text: str) -> str:
    """Sentence-initial capital (a lower-case brand like "eBay" is left alone by the caller)."""
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def _clean(text: str) -> str:
    text = strip_emoji(text or "")
    text = re.sub(r"[<>{}\[\]|\\^`]", "", text)
    return " ".join(text.split()).strip(" -–—:;,")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?。！？])\s*", text) if s.strip()]


def _mostly_non_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 4:
        return False
    latin = sum(1 for ch in letters if ch.isascii() or "LATIN" in unicodedata.name(ch, ""))
    return latin / len(letters) < 0.5


def _slug(text: str, limit: int) -> str:
    words = re.findall(r"[^\W_]+", text)
    out = ""
    for w in words:
        cand = f"{out}-{w.capitalize()}" if out else w.capitalize()
        if display_width(cand) > limit:
            break
        out = cand
    return out


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
    site_ctas: list[str]
    exclaim: bool
    # The site is not written in a Latin script (e.g. Japanese): the English connective
    # phrasings would produce mixed-language copy, so only the site's own sentences are used.
    verbatim: bool
    formal: bool
    skipped: int = 0

    @property
    def has_substance(self) -> bool:
        return bool(self.vps or self.proof or self.testimonials or self.features or self.offers)


def _grounded(index: SupportIndex, text: str) -> GroundingReport | None:
    report = GroundingReport()
    index.check_text("fragment", text, report)
    return report if report.ok else None


def build_pools(profile: BrandProfile, index: SupportIndex) -> Pools:
    """Collect and pre-check every usable fragment of the profile, best first."""
    skipped = 0
    seen: set[str] = set()

    def frag(text: str, claim_id: str | None = None, author: str = "", max_width: int = 150) -> Fragment | None:
        nonlocal skipped
        text = _clean(text)
        if len(text) < 3 or display_width(text) > max_width:
            return None
        key = normalize_text(text).rstrip(".!")
        if key in seen:
            return None
        report = _grounded(index, text)
        if report is None:
            skipped += 1
            return None
        seen.add(key)
        uses = list(report.claims_used)
        if claim_id and not any(u.claim_id == claim_id for u in uses):
            uses.insert(0, ClaimUse(claim_id=claim_id, span=text.rstrip(" .")))
        return Fragment(text, tuple(uses), author)

    def claim_fragment(claim_id: str, texts: list[str]) -> Fragment | None:
        for t in texts:
            f = frag(t, claim_id)
            if f is not None:
                return f
        return None

    vps = [f for v in profile.value_propositions if (f := frag(v)) is not None]
    proof: list[Fragment] = []
    testimonials: list[Fragment] = []
    features: list[Fragment] = []
    offers: list[Fragment] = []
    forbidden = {c.id for c in index.forbidden}
    for claim in profile.claims:
        if claim.id in forbidden:
            continue
        quotes = sorted((e.quote for e in claim.evidence), key=len)
        if claim.kind is ClaimKind.TESTIMONIAL:
            for q in [claim.text, *quotes]:
                quoted = _clean(q).strip('"“”')
                f = frag(f"“{quoted}”", claim.id, max_width=400)
                if f is not None:
                    testimonials.append(f)
                    break
            continue
        f = claim_fragment(claim.id, [claim.text, *quotes])
        if f is None:
            continue
        if claim.kind in _OFFER_KINDS or _OFFER_WORDS.search(f.text):
            offers.append(f)
        elif claim.kind in _PROOF_KINDS:
            proof.append(f)
        else:
            features.append(f)

    sp = profile.social_proof
    for r in sp.ratings:
        if not r.evidence:
            continue
        base = f"Rated {r.value:g}/{r.scale:g}"
        options = [f"{base} from {r.count:,} reviews", base] if r.count else [base]
        if r.source:
            options.insert(0, f"{base} on {r.source}")
        for option in options:
            f = frag(option)
            if f is not None:
                proof.append(f)
                break
    for cc in sp.customer_counts:
        if cc.evidence and (f := frag(cc.text)) is not None:
            proof.append(f)
    for tm in sp.testimonials:
        if not tm.evidence:
            continue
        author = ", ".join(x for x in (tm.author, tm.company) if x)
        quoted = _clean(tm.quote).strip('"“”')
        f = frag(f"“{quoted}”", author=_clean(author), max_width=400)
        if f is not None:
            testimonials.append(f)

    tagline = frag(profile.tagline) if profile.tagline else None
    about = [f for s in _sentences(profile.description)[:3] if (f := frag(s)) is not None]
    if tagline is None and about:
        tagline = about.pop(0)

    key_terms: list[str] = []
    for term in profile.key_terms:
        t = _clean(term)
        if (
            t
            and len(t) <= 30
            and normalize_text(t) != normalize_text(profile.brand_name)
            and _grounded(index, t) is not None
            and normalize_text(t) not in (normalize_text(k) for k in key_terms)
        ):
            key_terms.append(t)

    site_ctas: list[str] = []
    for cta in profile.site_ctas:
        c = _clean(cta)
        if (
            c
            and len(c) <= 32
            and not _NAV_CTA.search(c)
            and _grounded(index, c) is not None
            and normalize_text(c) not in (normalize_text(x) for x in site_ctas)
        ):
            site_ctas.append(c)

    tone = profile.tone
    host = urlsplit(profile.url).hostname or ""
    domain = host[4:] if host.startswith("www.") else host
    return Pools(
        brand=_clean(profile.brand_name) or domain,
        domain=domain,
        vps=vps,
        proof=proof,
        testimonials=testimonials,
        features=features,
        offers=offers,
        about=about,
        tagline=tagline,
        key_terms=key_terms,
        site_ctas=site_ctas,
        exclaim=(tone.exclamation_rate or 0.0) >= 0.15,
        verbatim=_mostly_non_latin(" ".join([profile.tagline, profile.description, *profile.value_propositions])),
        formal=(tone.reading_ease is not None and tone.reading_ease < 40) or "formal" in tone.summary.lower(),
        skipped=skipped,
    )


# ---------------------------------------------------------------------------------------------
# Drafts per angle
# ---------------------------------------------------------------------------------------------


class _Writer:
    """Produces drafts for one platform from the pools, with seeded phrasing choices."""

    def __init__(self, pools: Pools, platform: Platform, rng: random.Random) -> None:
        self.p = pools
        self.platform = platform
        self.rng = rng
        self.ctas = self._ctas()

    # -- CTA -------------------------------------------------------------------------------

    def _ctas(self) -> list[tuple[str, str]]:
        """(button, sentence) pairs: site wording mapped to the platform's button list."""
        out: list[tuple[str, str]] = []
        if self.p.verbatim:
            # The site's own button wording, as a closing line in its own language.
            for wording in self.p.site_ctas:
                label = map_cta(wording, self.platform) or "Learn More"
                stop = "。" if char_width(wording[-1]) == 2 else "."
                if all(b != label for b, _ in out):
                    out.append((label, f"{wording}{stop}"))
            return out or [("Learn More", "")]
        end = "!" if self.p.exclaim else "."
        where = f" at {self.p.domain}" if self.p.domain else ""
        for wording in self.p.site_ctas:
            button = map_cta(wording, self.platform)
            if button is None:
                continue
            sentence = f"{wording[0].upper()}{wording[1:]}{where}{end}"
            if all(b != button for b, _ in out):
                out.append((button, sentence))
        if not out:
            out.append(("Learn More", f"Learn more{where}{end}" if where else f"Find out more{end}"))
        return out

    def cta(self, slot: int) -> tuple[str, str]:
        return self.ctas[slot % len(self.ctas)]

    # -- helpers ---------------------------------------------------------------------------

    def other_vp(self, exclude: Fragment | None, slot: int) -> Fragment | None:
        rest = [v for v in self.p.vps if v is not exclude]
        return rest[slot % len(rest)] if rest else None

    def shuffled(self, options: list[list[str]]) -> list[list[str]]:
        order = list(range(len(options)))
        self.rng.shuffle(order)
        return [options[i] for i in order]

    def key_term(self, slot: int) -> str | None:
        """A key term that reads as an activity or a thing ("scheduling", "shift swaps").

        Single plain nouns from keyword extraction ("managers") make nonsense questions, so
        only "-ing" words and multi-word terms are used.
        """
        usable = [t for t in self.p.key_terms if " " in t.strip() or t.lower().endswith("ing")]
        if not usable:
            return None
        return _lower_first(usable[slot % len(usable)])

    # -- angles ----------------------------------------------------------------------------

    def items(self, angle: Angle) -> list[Fragment | None]:
        """Distinct pieces of content an angle can rest on (None = brand-only wording)."""
        p = self.p
        if p.verbatim and angle is Angle.PROBLEM_SOLUTION:
            return []  # needs an English question
        if p.verbatim and angle is Angle.FEATURE:
            return list(p.features)
        if p.verbatim and angle is Angle.CURIOSITY:
            own: list[Fragment | None] = [f for f in [p.tagline, *p.about[:1]] if f is not None]
            return own or [None]
        if angle is Angle.BENEFIT:
            return list(p.vps) or ([p.tagline] if p.tagline else [])
        if angle is Angle.SOCIAL_PROOF:
            return [*p.proof, *p.testimonials]
        if angle is Angle.PROBLEM_SOLUTION:
            return list(p.vps) if (p.key_terms or p.vps) else []
        if angle is Angle.FEATURE:
            items: list[Fragment | None] = list(p.features)
            if len(p.key_terms) >= 2:
                items.append(None)
            return items
        if angle is Angle.OFFER:
            return list(p.offers)
        # Curiosity always has the brand itself to talk about, in a few honest ways.
        cur: list[Fragment | None] = []
        if p.tagline:
            cur.append(p.tagline)
        cur.extend(p.about[:1])
        cur.extend([None] * (3 if not p.has_substance else 1))
        return cur

    def cap(self, text: str) -> str:
        return text if text.startswith(self.p.brand) else _cap(text)

    def verbatim_drafts(self, angle: Angle, item: Fragment | None, slot: int) -> Iterator[Draft]:
        """Drafts made only of the site's own sentences (non-Latin-script sites)."""
        brand = self.p.brand
        _, cta_sentence = self.cta(slot)
        key = f"{angle.value}:{item.text if item else '-'}"
        closing = [cta_sentence] if cta_sentence else []
        if item is None:
            lead = self.p.tagline or (self.p.vps[0] if self.p.vps else None)
            body = [lead.sentence] if lead else [brand]
            yield Draft(angle, key, [brand], [*body, *closing], self.descriptions(None, slot))
            return
        vp = self.other_vp(item, slot)
        text = f"{item.text} — {item.author}" if item.author else item.sentence
        bodies = [[text, *([vp.sentence] if vp else [])], [text]]
        uses = list(item.uses) + (list(vp.uses) if vp else [])
        for body in self.shuffled(bodies):
            yield Draft(angle, key, [item.phrase, brand], [*body, *closing], self.descriptions(item, slot), uses)

    def drafts(self, angle: Angle, item: Fragment | None, slot: int) -> Iterator[Draft]:
        """Drafts for `angle` resting on `item`, phrasings in seeded order."""
        if self.p.verbatim:
            yield from self.verbatim_drafts(angle, item, slot)
            return
        brand = self.p.brand
        domain = self.p.domain
        _, cta_sentence = self.cta(slot)
        base_uses = list(item.uses) if item else []
        key = f"{angle.value}:{item.text if item else '-'}"

        def short(f: Fragment) -> bool:
            return len(f.phrase.split()) <= 5

        # The item's opening words must survive fitting; an item that already starts with the
        # brand name is not prefixed with it again.
        must = " ".join(item.phrase.split()[:4]) if item else ""
        named = bool(item) and normalize_text(item.phrase if item else "").startswith(normalize_text(brand))

        def mk(headlines: list[str], bodies: list[list[str]], extra: Fragment | None = None) -> Iterator[Draft]:
            heads = [self.cap(h) for h in headlines if h and not (named and _prefixed(h, brand))]
            bodies = [b for b in bodies if not (named and any(_prefixed(x, brand) for x in b))] or bodies
            uses = base_uses + (list(extra.uses) if extra else [])
            for raw in self.shuffled(bodies):
                body = [self.cap(b) for b in raw if b]
                # A body that already sends the reader to the site needs no second CTA line.
                if not (domain and domain in " ".join(body)):
                    body.append(cta_sentence)
                yield Draft(angle, key, heads, body, self.descriptions(item, slot), uses, must)

        if angle is Angle.BENEFIT and item:
            vp2 = self.other_vp(item, slot)
            second = [vp2.sentence] if vp2 else []
            heads = [item.phrase, f"{brand}: {item.lower}"]
            if short(item):
                heads.append(f"{item.phrase}, with {brand}")
            yield from mk(
                self.rotate(heads, slot),
                [
                    [item.sentence, *second],
                    [f"{brand}: {item.lower}.", *second],
                    [f"Why {brand}? {item.sentence}", *second],
                    [f"{item.sentence} That's {brand}."],
                ],
                vp2,
            )
        elif angle is Angle.SOCIAL_PROOF and item:
            vp = self.other_vp(None, slot)
            second = [vp.sentence] if vp else []
            if item.text.startswith("“"):
                by = f" — {item.author}" if item.author else ""
                heads = [item.phrase, f"What people say about {brand}", f"In their words: {brand}"]
                yield from mk(self.rotate(heads, slot), [[f"{item.text}{by}"], [f"{item.text}{by}", *second]], vp)
            else:
                heads = [item.phrase, f"{brand}: {item.lower}"]
                bodies = [[item.sentence, *second], [f"{brand}: {item.lower}.", *second]]
                if domain:
                    bodies.append([f"{item.sentence} See why at {domain}."])
                yield from mk(self.rotate(heads, slot), bodies, vp)
        elif angle is Angle.PROBLEM_SOLUTION and item:
            kt = self.key_term(slot)
            if kt:
                questions = [
                    f"Need help with {kt}?",
                    f"Looking for a simpler way to handle {kt}?",
                    f"How much of your week goes into {kt}?",
                ]
                if not self.p.formal:
                    questions.append(f"Thinking about {kt}?")
            else:
                questions = ["Looking for a simpler way?", "Ready for a change?"]
            q = questions[(slot + self.rng.randrange(len(questions))) % len(questions)]
            heads = [q, item.phrase, f"{brand}: {item.lower}"]
            yield from mk(
                self.rotate(heads, slot),
                [
                    [q, f"{brand}: {item.lower}."],
                    [q, f"{item.sentence} That's {brand}."],
                    [q, f"Meet {brand}. {item.sentence}"],
                ],
            )
        elif angle is Angle.FEATURE:
            if item:
                vp = self.other_vp(None, slot)
                second = [vp.sentence] if vp else []
                heads = [item.phrase, f"{brand}: {item.lower}", f"Inside {brand}: {item.lower}"]
                yield from mk(
                    self.rotate(heads, slot),
                    [[item.sentence, *second], [f"Inside {brand}: {item.lower}.", *second]],
                    vp,
                )
            else:
                kts = self.p.key_terms[:3]
                listing = f"{', '.join(kts[:-1])} and {kts[-1]}"
                heads = [f"{brand}: {_lower_first(listing)}", listing]
                bodies = [[f"Explore {_lower_first(listing)} with {brand}."]]
                if domain:
                    bodies.append([f"{listing}, all on {domain}."])
                yield from mk(self.rotate(heads, slot), bodies)
        elif angle is Angle.OFFER and item:
            vp = self.other_vp(None, slot)
            second = [vp.sentence] if vp else []
            heads = [item.phrase, f"{brand}: {item.lower}"]
            if short(item):
                heads.append(f"{item.phrase} at {brand}")
            yield from mk(
                self.rotate(heads, slot),
                [[item.sentence, *second], [f"{brand}: {item.lower}.", *second]],
                vp,
            )
        elif angle is Angle.CURIOSITY:
            generic = [f"Meet {brand}", f"Discover {brand}", f"See what {brand} can do", f"Get to know {brand}"]
            if not self.p.formal:
                generic += [f"Say hello to {brand}", f"Have you met {brand}?"]
            heads = self.rotate(generic, slot + self.rng.randrange(len(generic)))
            if item:
                yield from mk(
                    heads,
                    [
                        [item.sentence],
                        [f"Curious about {brand}? {item.sentence}"],
                        [f"{brand} in one line: {item.lower}."],
                    ],
                )
            else:
                vp = self.p.vps[slot % len(self.p.vps)] if self.p.vps else None
                if vp:
                    bodies = [[f"Curious about {brand}? {vp.sentence}"]]
                    if domain:
                        bodies.append([f"{vp.sentence} Find out how at {domain}."])
                else:
                    bodies = self.rotate(
                        [
                            [f"Take a look at what {brand} offers."],
                            [f"Curious about {brand}? Take a look."],
                            [f"Find out what {brand} is about."],
                            [f"See {brand} for yourself."],
                        ],
                        slot,
                    )
                yield from mk(heads, bodies, vp)

    @staticmethod
    def rotate(options: list[_T], slot: int) -> list[_T]:
        if not options:
            return options
        k = slot % len(options)
        return options[k:] + options[:k]

    def descriptions(self, item: Fragment | None, slot: int) -> list[str]:
        """Short lines for the description slot (Meta shows it under the headline), rotated."""
        out = [f.phrase for f in [*self.p.offers, *self.p.vps, *self.p.proof] if f is not item]
        out = self.rotate(out, slot)
        if self.p.domain:
            out.append(self.p.domain)
        return out

    # -- RSA asset pools -------------------------------------------------------------------

    def rsa_headlines(self, draft: Draft, spec: PlatformSpec) -> list[str]:
        limit = spec.rsa_headline_max
        out: list[str] = []
        seen: set[str] = set()

        def add(text: str, allow_cut: bool = False) -> None:
            t = text if display_width(text) <= limit else (fit_clause(text, limit) if allow_cut else "")
            t = t.rstrip(" .")
            if not t:
                return
            k = normalize_text(t)
            if k not in seen and len(out) < spec.rsa_headlines_max:
                seen.add(k)
                out.append(t)

        own = headline_options(draft.headlines, limit, None, self.p.brand, word_cuts=False)
        if not own:
            # The angle's own headline leads the asset set, shortened if it must be.
            own = headline_options(draft.headlines, limit, None, self.p.brand)[:1]
        for h in own:
            add(h)
        brand = self.p.brand
        for f in [*self.p.vps, *self.p.proof, *self.p.offers, *self.p.features]:
            add(f.phrase, allow_cut=True)
        for kt in self.p.key_terms:
            add(_cap(kt))
        add(brand)
        add(f"{brand} Official Site")
        add(f"Meet {brand}")
        add(f"Discover {brand}")
        for button, _ in self.ctas:
            add(f"{button} Today")
        add(self.p.domain)
        return [self.cap(h) for h in out]

    def rsa_descriptions(self, draft: Draft, spec: PlatformSpec) -> list[str]:
        limit = spec.rsa_description_max
        out: list[str] = []
        seen: set[str] = set()
        candidates = [*draft.body]
        candidates += [f.sentence for f in [*self.p.vps, *self.p.proof, *self.p.offers]]
        candidates += [self.cta(0)[1]]
        if self.p.tagline:
            candidates.append(self.p.tagline.sentence)
        for c in candidates:
            t = fit_sentences([c], limit)
            if not t or (t != c and len(t.split()) < 4):
                continue
            k = normalize_text(t)
            if k not in seen and len(out) < spec.rsa_descriptions_max:
                seen.add(k)
                out.append(t)
        return out


# ---------------------------------------------------------------------------------------------
# Fitting a draft to a platform
# ---------------------------------------------------------------------------------------------


def headline_options(
    candidates: list[str], limit: int, soft: int | None, brand: str, word_cuts: bool = True
) -> list[str]:
    """Headlines to try, best first: whole ones (within the soft limit first), then whole
    leading clauses, then — last resort — word-boundary cuts that keep at least three words."""
    whole = [c.rstrip(" .") for c in candidates if display_width(c) <= limit]
    if soft is not None:
        whole = [c for c in whole if display_width(c) <= soft] + [c for c in whole if display_width(c) > soft]
    clauses = [fit_clause(c, limit) for c in candidates if display_width(c) > limit]
    cuts = [fit_text(c, limit) for c in candidates if word_cuts and display_width(c) > limit]
    out: list[str] = []
    # A cut must keep some substance: three words, or (unspaced CJK) at least eight characters.
    kept = [c for c in cuts if len(c.split()) >= 3 or (" " not in c and len(c) >= 8)]
    for h in [*whole, *clauses, *kept]:
        if h and h not in out:
            out.append(h)
    # The bare brand name is a last resort.
    bare = normalize_text(brand)
    return [h for h in out if normalize_text(h) != bare] + [h for h in out if normalize_text(h) == bare]


def _variants_from_draft(
    draft: Draft, writer: _Writer, spec: PlatformSpec, slot: int
) -> Iterator[tuple[CopyVariant, list[ClaimUse]]]:
    button, _ = writer.cta(slot)
    if spec.is_rsa:
        heads = writer.rsa_headlines(draft, spec)
        descs = writer.rsa_descriptions(draft, spec)
        path1 = _slug(writer.p.key_terms[0], spec.path_max) if writer.p.key_terms else ""
        path2 = _slug(button, spec.path_max)
        for i in range(min(3, len(heads))):
            ordered = [heads[i], *heads[:i], *heads[i + 1 :]]
            yield (
                CopyVariant(
                    id="v0",
                    platform=spec.platform,
                    angle=draft.angle,
                    headline=ordered[0],
                    primary_text=descs[0] if descs else "",
                    description=descs[1] if len(descs) > 1 else "",
                    cta=button,
                    headlines=ordered,
                    descriptions=descs,
                    path1=path1,
                    path2=path2,
                    generator=GENERATOR_NAME,
                ),
                draft.uses,
            )
        return
    body = fit_sentences(draft.body, spec.primary_max)
    if spec.forbid_emoji_and_hash:
        body = body.replace("#", "")
    if draft.must and normalize_text(draft.must) not in normalize_text(body):
        return
    if display_width(body) < spec.primary_min:
        return
    description = ""
    if spec.platform in (Platform.META, Platform.LINKEDIN):
        description = next(
            (
                d
                for d in draft.descriptions
                if display_width(d) <= spec.description_max and normalize_text(d) not in normalize_text(body)
            ),
            "",
        )
    for headline in headline_options(draft.headlines, spec.headline_max, spec.headline_soft_max, writer.p.brand):
        if spec.forbid_emoji_and_hash and "#" in headline:
            continue
        yield (
            CopyVariant(
                id="v0",
                platform=spec.platform,
                angle=draft.angle,
                headline=headline,
                primary_text=body,
                description=description,
                cta=button,
                generator=GENERATOR_NAME,
            ),
            draft.uses,
        )


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


@dataclass
class TemplateOutput:
    variants: list[CopyVariant]
    dropped: list[DroppedVariant]
    warnings: list[str]


def _rng(profile: BrandProfile, seed: int, platform: Platform) -> random.Random:
    digest = hashlib.sha256(f"{seed}|{profile.url}|{profile.brand_name}|{platform.value}".encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def angle_capacity(pools: Pools, platform: Platform) -> dict[Angle, int]:
    """How many distinct pieces of content each angle can rest on, for this profile."""
    writer = _Writer(pools, platform, random.Random(0))
    return {a: len(writer.items(a)) for a in Angle}


def angle_plan(pools_items: dict[Angle, int], objective: str, count: int) -> list[Angle]:
    """Spread `count` slots over the angles that have content, round-robin in objective order."""
    order = _OBJECTIVE_ORDER.get(objective.lower(), _OBJECTIVE_ORDER["conversions"])
    remaining = {a: pools_items.get(a, 0) for a in order}
    plan: list[Angle] = []
    while len(plan) < count and any(remaining.values()):
        for angle in order:
            if len(plan) >= count:
                break
            if remaining[angle] > 0:
                plan.append(angle)
                remaining[angle] -= 1
    return plan


def _place(
    writer: _Writer,
    spec: PlatformSpec,
    index: SupportIndex,
    registry: RunRegistry,
    angle: Angle,
    slot: int,
    used_items: dict[Angle, int],
) -> tuple[CopyVariant | None, str]:
    """The first candidate for `angle` that is new to the run and passes every check."""
    items = writer.items(angle)
    start = used_items.get(angle, 0)
    reason = f"no content for the {angle.value} angle"
    # This angle's next unused content item first, then the others.
    for offset in range(len(items)):
        idx = (start + offset) % len(items)
        for draft in writer.drafts(angle, items[idx], slot):
            for variant, declared in _variants_from_draft(draft, writer, spec, slot):
                dup = registry.duplicate_reason(variant)
                if dup:
                    reason = dup
                    continue
                check = validate_variant(variant, spec, index)
                if not check.ok:
                    reason = "; ".join(check.issues[:3])
                    continue
                variant.claims_used = merge_claims(variant, declared, check.report, index)
                variant.proof_used = merge_proof(variant, check.report)
                variant.warnings = check.warnings
                registry.add(variant)
                used_items[angle] = idx + 1
                return variant, reason
    return None, reason


class PlatformWriter:
    """Fills one platform's slots one at a time, so a run can interleave platforms fairly."""

    def __init__(
        self,
        profile: BrandProfile,
        platform: Platform,
        count: int,
        seed: int,
        objective: str,
        index: SupportIndex,
        registry: RunRegistry,
        pools: Pools,
        angles: list[Angle] | None = None,
    ) -> None:
        self.platform = platform
        self.count = count
        self.index = index
        self.registry = registry
        self.spec = spec_for(platform)
        self.writer = _Writer(pools, platform, _rng(profile, seed, platform))
        self.capacity = {a: len(self.writer.items(a)) for a in Angle}
        self.fixed_angles = angles is not None
        self.plan = angles if angles is not None else angle_plan(self.capacity, objective, count)
        self.order = _OBJECTIVE_ORDER.get(objective.lower(), _OBJECTIVE_ORDER["conversions"])
        self.used_items: dict[Angle, int] = {}
        self.variants: list[CopyVariant] = []
        self.dropped: list[DroppedVariant] = []

    def fill(self, slot: int) -> None:
        """Write slot `slot` of the plan (no-op past its end)."""
        if slot >= len(self.plan):
            return
        angle = self.plan[slot]
        # The planned angle first; if none of its content yields a new, valid variant (say,
        # every headline is taken on another platform), any other angle with content may fill
        # the slot. Only when all fail is the slot dropped.
        tries = [angle]
        if not self.fixed_angles:
            tries += [a for a in self.order if a is not angle and self.capacity.get(a, 0) > 0]
        last_reason = f"no content for the {angle.value} angle"
        for try_angle in tries:
            placed, reason = _place(self.writer, self.spec, self.index, self.registry, try_angle, slot, self.used_items)
            if placed is not None:
                self.variants.append(placed)
                return
            if try_angle is angle:
                last_reason = reason
        self.dropped.append(DroppedVariant(platform=self.platform, angle=angle, reason=last_reason))

    def output(self) -> TemplateOutput:
        warnings: list[str] = []
        if len(self.variants) < self.count:
            warnings.append(
                f"{self.platform.value}: {len(self.variants)} distinct variant(s) instead of {self.count} — "
                "the profile does not support more without repeating an angle and headline"
            )
        return TemplateOutput(self.variants, self.dropped, warnings)


def generate_template(
    profile: BrandProfile,
    platform: Platform,
    count: int,
    seed: int,
    objective: str,
    index: SupportIndex,
    registry: RunRegistry,
    pools: Pools | None = None,
    angles: list[Angle] | None = None,
) -> TemplateOutput:
    """Up to `count` validated variants for one platform (ids are assigned by the caller)."""
    pw = PlatformWriter(
        profile, platform, count, seed, objective, index, registry, pools or build_pools(profile, index), angles
    )
    for slot in range(len(pw.plan)):
        pw.fill(slot)
    return pw.output()
