"""Drafting copy: the writer that turns pools of fragments into drafts per angle."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from brandtruth.models.copy import Angle, ClaimUse, Platform
from brandtruth.platforms import PlatformSpec, char_width, cta_label, display_width, spec_for
from brandtruth.stages.copy.assertions import normalize_text
from brandtruth.stages.copy.fragments import (
    _BEFORE_STATE,
    _LEANING,
    _PHONE,
    _PRAISE,
    _PRONOUN_START,
    Draft,
    Fragment,
    _cap,
    _content,
    _interleave,
    _lower_first,
    _mostly_non_latin,
    _sentences,
)
from brandtruth.stages.copy.headlines import HeadlineJudge
from brandtruth.stages.copy.packing import (
    _complete,
    _fit_sentence,
    _pack,
)
from brandtruth.stages.copy.phrasing import (
    ends_complete,
    inner_phrases,
    shorter_phrases,
)
from brandtruth.stages.copy.platforms import map_cta
from brandtruth.stages.copy.pools import (
    Pools,
    _cta_rank,
)
from brandtruth.stages.copy.words import wordset as _wordset

_T = TypeVar("_T")


# (required sentences, optional sentences) of one body phrasing.
_Bodies = list[tuple[list[str], list[str]]]


@dataclass
class _DraftContext:
    """What every draft of one angle on one item shares."""

    angle: Angle
    item: Fragment | None
    slot: int
    key: str
    cta: tuple[str, str]
    base_uses: list[ClaimUse]
    descriptions: list[str]
    alternates: list[Fragment]


# Key terms that make a natural "Need help with …?" question: activities ("scheduling",
# "drain cleaning"), plurals ("live reports") and a few mass nouns. A singular countable noun
# ("water heater") or a proper name would read wrongly.
_MASS_NOUNS = _wordset(
    "sync support payroll billing security compliance maintenance insurance marketing training plumbing "
    "accounting hiring reporting analytics bookkeeping landscaping roofing"
)


# Action words every CTA has; a CTA "names what an item is about" only through other words.
_CTA_VERBS = frozenset({"book", "start", "shop", "call", "order", "join", "sign", "learn", "more", "today", "demo"})


def _question_term(term: str, corpus: str) -> str | None:
    """The key term as the object of a question ("Need help with scheduling?"), or None.

    Only activities ("scheduling", "drain cleaning") and a few mass nouns ("calendar sync")
    qualify — "How much of your week goes into rooftop systems?" does not read — and only when
    the site itself writes the term in lower case somewhere ("Arizona homes" is a name).
    """
    words = term.split()
    if not words or any(w[:1].isupper() for w in words[1:]) or not all(w.isalpha() for w in words):
        return None
    if term.lower() not in corpus:
        return None
    last = words[-1].lower()
    if last.endswith("ing") and len(last) > 5:
        return _lower_first(term)
    if last in _MASS_NOUNS:
        return _lower_first(term)
    return None


class _HeadlineAssets:
    """An RSA headline asset pool being filled: complete, distinct lines within the width."""

    def __init__(
        self, spec: PlatformSpec, brand: str, cap: Callable[[str], str], judge: HeadlineJudge | None = None
    ) -> None:
        self.judge = judge
        self.limit = spec.rsa_headline_max
        self.room = spec.rsa_headlines_max + 3
        self.brand = brand
        self.cap = cap
        self.out: list[str] = []
        self.seen: set[str] = set()

    def add(self, text: str, judged: bool = True) -> None:
        """Add a line if it fits and is new; `judged` lines must also pass the headline rules
        (the brand line and the site's own action are asset lines Google Ads expects, not headlines
        quoted from the page)."""
        t = text.rstrip(" .")
        if not t or display_width(t) > self.limit or not _complete(t, self.brand):
            return
        if judged and self.judge is not None and not self.judge.allows(self.cap(t)):
            return
        # One word is a label ("Availability"), not a headline — unless it is the brand.
        if len(t.split()) < 2 and normalize_text(t) != normalize_text(self.brand) and not _mostly_non_latin(t):
            return
        k = normalize_text(t)
        # "Rated 4.8/5" adds nothing next to "Rated 4.8/5 on G2".
        if any(o.startswith(k) or k.startswith(o) for o in self.seen):
            return
        if k not in self.seen and len(self.out) < self.room:
            self.seen.add(k)
            self.out.append(self.cap(t))


class _Writer:
    """Produces drafts for one platform from the pools, with seeded phrasing choices."""

    def __init__(self, pools: Pools, platform: Platform, rng: random.Random) -> None:
        self.p = pools
        self.platform = platform
        self.rng = rng
        self.ctas = self._ctas()
        self._rsa_pool: list[str] | None = None
        # Headlines this platform already runs (any angle): another one is preferred.
        self.used_heads: set[str] = set()

    # -- CTA -------------------------------------------------------------------------------

    def _ctas(self) -> list[tuple[str, str, str]]:
        """(button, closing line, site wording), best fit first: the site's own actions mapped
        to the platform's buttons."""
        out: list[tuple[str, str, str]] = []
        end = "!" if self.p.exclaim and not self.p.verbatim else "."
        for wording in self.p.site_ctas:
            button = map_cta(wording, self.platform)
            if button is None:
                if not self.p.verbatim:
                    continue
                button = "Learn More"
            if self.p.verbatim:
                stop = "。" if char_width(wording[-1]) == 2 else "."
                line = f"{wording}{stop}"
            else:
                where = f" at {self.p.domain}" if self.p.domain and not _PHONE.search(wording) else ""
                line = f"{wording[0].upper()}{wording[1:]}{where}{end}"
            # The button in the page's language ("Jetzt bestellen" on a German site).
            button = cta_label(button, self.p.language)
            if all(b != button for b, _, _ in out):
                out.append((button, line, wording))
        for wording in self.p.button_ctas:
            mapped = map_cta(wording, self.platform)
            if mapped is not None and mapped != "Learn More":
                button = cta_label(mapped, self.p.language)
                if all(b != button for b, _, _ in out):
                    out.append((button, "", wording))
        if not out:
            line = f"Learn more at {self.p.domain}{end}" if self.p.domain and not self.p.verbatim else ""
            out.append((cta_label("Learn More", self.p.language), line, ""))
        return out

    def cta(self, item: Fragment | None, slot: int) -> tuple[str, str]:
        """The button and closing line for a variant about `item`.

        A site action that names what the item is about ("Subscribe & save 15%" for the
        subscription offer) wins; otherwise the site's main action, rotating only among equally
        good ones (a plumber's "Book now" and "Call …").
        """
        if item is not None and len(self.ctas) > 1:
            words = _content(item.text) - _CTA_VERBS
            for button, line, wording in self.ctas:
                if wording and words & (_content(wording) - _CTA_VERBS):
                    return button, line
        best = self.main_rank()
        top = [(b, line) for b, line, w in self.ctas if (_cta_rank(w) if w else 3) == best]
        return top[slot % len(top)]

    def main_rank(self) -> int:
        return _cta_rank(self.ctas[0][2]) if self.ctas[0][2] else 3

    def main_buttons(self) -> list[str]:
        """The buttons of the site's main action(s) (a trial, not the demo behind it)."""
        return [b for b, _, w in self.ctas if (_cta_rank(w) if w else 3) == self.main_rank()]

    # -- helpers ---------------------------------------------------------------------------

    def shuffled(self, options: list[_T]) -> list[_T]:
        order = list(range(len(options)))
        self.rng.shuffle(order)
        return [options[i] for i in order]

    @staticmethod
    def rotate(options: list[_T], slot: int) -> list[_T]:
        if not options:
            return options
        k = slot % len(options)
        return options[k:] + options[:k]

    def cap(self, text: str) -> str:
        return text if text.startswith(self.p.brand) else _cap(text)

    def fresh_first(self, groups: list[list[str]]) -> list[str]:
        """Headlines not yet used on this platform first within each group (stable otherwise)."""
        used = self.used_heads
        out: list[str] = []
        for g in groups:
            out += [h for h in g if normalize_text(h) not in used] + [h for h in g if normalize_text(h) in used]
        return out

    def names_brand(self, f: Fragment) -> bool:
        return normalize_text(self.p.brand) in normalize_text(f.text)

    def brand_led(self, f: Fragment) -> bool:
        """May this fragment be said as "Brand: …"? Not when it names the brand already, speaks
        as "our/we", is a question or a quote, or the site is not in English."""
        if self.p.verbatim or f.is_quote or f.text.endswith("?"):
            return False
        if normalize_text(self.p.brand) in normalize_text(f.text):
            return False
        return not _PRONOUN_START.match(f.text)

    def others(self, pool: list[Fragment], exclude: Fragment | None, slot: int, k: int = 4) -> list[Fragment]:
        """Up to `k` other fragments of `pool`, rotated by slot: candidates for the one supporting
        sentence of a body (the first that fits is used)."""
        gone = exclude.text if exclude else ""
        rest = [v for v in pool if v is not exclude and v.text != gone and not v.is_quote]
        return self.rotate(rest, slot)[:k]

    def related(self, term_words: set[str], pools: Iterable[Fragment], exclude: Fragment | None) -> Fragment | None:
        for f in pools:
            if f is not exclude and not f.is_quote and term_words & _content(f.text):
                return f
        return None

    def key_terms_for_questions(self) -> list[str]:
        return [q for t in self.p.key_terms if (q := _question_term(t, self.p.corpus))]

    # -- angles ----------------------------------------------------------------------------

    def items(self, angle: Angle) -> list[Fragment | None]:
        """Distinct pieces of content an angle can rest on (None = brand-only wording)."""
        p = self.p
        if p.verbatim:
            if angle is Angle.PROBLEM_SOLUTION:
                return []  # needs an English question
            if angle is Angle.CURIOSITY:
                own: list[Fragment | None] = [f for f in [p.tagline, *p.about[:1]] if f is not None]
                return own or [None]
        if angle is Angle.BENEFIT:
            return list(p.vps) or ([p.tagline] if p.tagline else [])
        if angle is Angle.SOCIAL_PROOF:
            return list(_interleave(self.fitting_testimonials(), [*p.proof, *p.trust]))
        if angle is Angle.PROBLEM_SOLUTION:
            out: list[Fragment | None] = list(p.problems)
            answers = p.vps or p.features
            if answers:
                # A question about something the brand does; never a content-free "Ready for a
                # change?".
                out += [Fragment(q, section="question") for q in self.key_terms_for_questions()[:3]]
            return out if answers else []
        if angle is Angle.FEATURE:
            return [*p.features, *p.minor]
        if angle is Angle.OFFER:
            return list(p.offers)
        # Curiosity always has the brand itself to talk about, in a few honest ways.
        cur: list[Fragment | None] = []
        if p.tagline:
            cur.append(p.tagline)
        cur.extend(p.about[:1])
        cur.extend([None] * (3 if not p.has_substance else 1))
        return cur

    def fitting_testimonials(self) -> list[Fragment]:
        """Testimonials that can be quoted whole on this platform first, then those with a
        sentence that stands on its own, then the rest (site order otherwise)."""
        budget = spec_for(self.platform).primary_max

        def rank(f: Fragment) -> int:
            lines = self.testimonial_lines(f)
            if display_width(lines[0]) <= budget:
                return 0
            return 1 if any(display_width(x) <= budget for x in lines[1:]) else 2

        return sorted(self.p.testimonials, key=rank)

    def same_angle(self, angle: Angle) -> list[Fragment]:
        """Other content of the same kind, whose short phrases can head an angle's variants."""
        p = self.p
        if angle is Angle.BENEFIT:
            return [*p.vps, *([p.tagline] if p.tagline else [])]
        if angle is Angle.SOCIAL_PROOF:
            return [*p.proof, *p.trust]
        if angle is Angle.OFFER:
            return [*p.offers, *p.offer_alts]
        if angle is Angle.FEATURE:
            return [*p.features, *p.vps, *([p.tagline] if p.tagline else [])]
        if angle is Angle.PROBLEM_SOLUTION:
            return list(p.vps)
        return [f for f in [p.tagline, *p.about] if f is not None]

    def descriptions(self, angle: Angle, item: Fragment | None, slot: int) -> list[str]:
        """Short lines for the description slot (Meta shows it under the headline), rotated.

        What the rest of the ad does not already say: an offer under proof, proof under an
        offer, an offer or proof under everything else.
        """
        p = self.p
        offers = [f for f in p.offers if f is not item]
        proof = [f for f in [*p.proof, *p.trust] if f is not item]
        vps = [f for f in p.vps if f is not item]
        if angle is Angle.OFFER:
            order = [*proof, *offers, *vps]
        elif angle is Angle.SOCIAL_PROOF:
            order = [*offers, *proof, *vps]
        else:
            order = [*offers, *proof, *vps]
        out: list[str] = []
        for f in [*order, *p.prices]:
            for form in f.forms()[:4]:
                if ends_complete(form) and form not in out:
                    out.append(form)
        return self.rotate(out, slot)

    def testimonial_lines(self, f: Fragment) -> list[str]:
        """The whole testimonial, then those of its sentences that stand on their own, each
        with who said it.

        A sentence that leans on the one before ("That never happens.", "With it we close in
        three") or only describes the time before the brand ("Month-end used to take us eight
        days.") would change what the customer said, so it is not quoted alone.
        """
        inner = f.text[1:-1] if len(f.text) > 2 else f.text
        parts = _sentences(inner)
        options = [inner]
        if len(parts) > 1:
            options += [s for s in parts if _PRAISE.search(s) and not _LEANING.match(s) and not _BEFORE_STATE.search(s)]
        by = f" — {f.author}." if f.author else ""
        return [f"{f.open_quote}{o}{f.close_quote}{by}" for o in options]

    def quote_headlines(self, f: Fragment) -> list[str]:
        inner = f.text[1:-1] if len(f.text) > 2 else f.text
        return [f"{f.open_quote}{s}{f.close_quote}" for s in sorted(_sentences(inner), key=len)]

    def verbatim_drafts(self, angle: Angle, item: Fragment | None, slot: int) -> Iterator[Draft]:
        """Drafts made only of the site's own sentences (sites not written in English)."""
        brand = self.p.brand
        cta = self.cta(item, slot)
        key = f"{angle.value}:{item.text if item else '-'}"
        if item is None:
            opener = self.p.tagline or (self.p.vps[0] if self.p.vps else None)
            required = [opener.sentence] if opener else [brand]
            yield Draft(angle, key, [brand], required, [], self.descriptions(angle, None, slot), cta=cta)
            return
        support = self.others([*self.p.vps, *self.p.about], item, slot)
        optional = [f.sentence for f in support]
        uses = list(item.uses) + [u for f in support for u in f.uses]
        own = list(item.forms()) if not item.is_quote else self.quote_headlines(item)
        others = [x for f in self.same_angle(angle) if f is not item for x in f.forms()]
        heads = [*own, *others, brand]
        leads = self.testimonial_lines(item) if item.is_quote else [item.sentence]
        for lead in leads:
            for opt in self.shuffled([optional, []]):
                yield Draft(angle, key, heads, [lead], opt, self.descriptions(angle, item, slot), uses, cta)

    def drafts(self, angle: Angle, item: Fragment | None, slot: int) -> Iterator[Draft]:
        """Drafts for `angle` resting on `item`, phrasings in seeded order."""
        if self.p.verbatim:
            yield from self.verbatim_drafts(angle, item, slot)
            return
        ctx = _DraftContext(
            angle=angle,
            item=item,
            slot=slot,
            key=f"{angle.value}:{item.text if item else '-'}",
            cta=self.cta(item, slot),
            base_uses=list(item.uses) if item else [],
            descriptions=self.descriptions(angle, item, slot),
            alternates=[f for f in self.same_angle(angle) if f is not item],
        )
        if angle is Angle.BENEFIT and item:
            yield from self.benefit_drafts(ctx, item)
        elif angle is Angle.SOCIAL_PROOF and item:
            yield from self.proof_drafts(ctx, item)
        elif angle is Angle.PROBLEM_SOLUTION:
            yield from self.problem_drafts(ctx, item)
        elif angle is Angle.FEATURE and item:
            yield from self.feature_drafts(ctx, item)
        elif angle is Angle.OFFER and item:
            yield from self.offer_drafts(ctx, item)
        elif angle is Angle.CURIOSITY:
            yield from self.curiosity_drafts(ctx, item)

    def mk(
        self,
        ctx: _DraftContext,
        heads: list[str],
        bodies: _Bodies,
        extra: Iterable[Fragment | None] | None = None,
        pinned: int = 0,
    ) -> Iterator[Draft]:
        """One draft per body phrasing (seeded order), all sharing the headline candidates."""
        uses = ctx.base_uses + [u for e in (extra or []) if e for u in e.uses]
        for required, optional in self.shuffled(bodies):
            yield Draft(
                ctx.angle,
                ctx.key,
                [self.cap(h) for h in heads if h],
                [self.cap(r) for r in required],
                [self.cap(o) for o in optional if o],
                ctx.descriptions,
                uses,
                ctx.cta,
                pinned,
            )

    def headline_tiers(
        self, ctx: _DraftContext, lead: Fragment | None, extra_first: list[str] | None = None
    ) -> list[str]:
        """Whole short phrases before cut ones: the lead's own, then the same angle's other
        content, then the lead's shortened forms, then brand-led forms."""
        out: list[str] = list(extra_first or [])
        if lead is not None and not lead.is_quote:
            forms = lead.forms()
            out.append(forms[0])
            out += [x for x in forms[1:] if x in inner_phrases(lead.phrase)]
        rotated = [f for f in self.rotate(ctx.alternates, ctx.slot) if not f.is_quote]
        out += [f.phrase for f in rotated]
        out += [x for f in rotated for x in inner_phrases(f.phrase)]
        if lead is not None and not lead.is_quote:
            out += list(lead.forms()[1:])
            if self.brand_led(lead):
                out.append(f"{self.p.brand}: {lead.lower}")
        return out

    def benefit_drafts(self, ctx: _DraftContext, item: Fragment) -> Iterator[Draft]:
        brand = self.p.brand
        support = self.others(self.p.vps, item, ctx.slot + 1)
        second = [f.sentence for f in support]
        bodies: _Bodies = [([item.sentence], second)]
        if self.brand_led(item):
            bodies.append(([f"{brand}: {item.lower}."], second))
        yield from self.mk(ctx, self.headline_tiers(ctx, item), bodies, support)

    def proof_drafts(self, ctx: _DraftContext, item: Fragment) -> Iterator[Draft]:
        brand = self.p.brand
        if item.is_quote:
            # A rating or count heads the quote; then a short line of the quote itself.
            heads = [x for f in self.p.proof for x in f.forms()]
            heads += self.quote_headlines(item)
            heads += [x for f in self.p.trust for x in f.forms()]
            heads.append(f"What customers say about {brand}")
            # A count or rating the headline does not already give may follow the quote.
            backing = [f.sentence for f in self.p.proof]
            for line in self.testimonial_lines(item):
                yield from self.mk(ctx, heads, [([line], backing)], self.p.proof)
            return
        support = self.others([*self.p.proof, *self.p.trust], item, ctx.slot)
        testimonials = self.p.testimonials
        quote = testimonials[ctx.slot % len(testimonials)] if testimonials else None
        optional = [f.sentence for f in support]
        bodies: _Bodies = [([item.sentence], optional)]
        if quote:
            bodies += [([item.sentence, line], []) for line in self.testimonial_lines(quote)[1:3]]
        if self.brand_led(item):
            bodies.append(([f"{brand}: {item.lower}."], optional))
        yield from self.mk(ctx, self.headline_tiers(ctx, item), bodies, [*support, quote])

    def feature_drafts(self, ctx: _DraftContext, item: Fragment) -> Iterator[Draft]:
        support = self.others(self.p.features, item, ctx.slot)
        second = [f.sentence for f in support]
        bodies: _Bodies = [([item.sentence], second)]
        if self.brand_led(item):
            bodies.append(([f"{self.p.brand}: {item.lower}."], second))
        yield from self.mk(ctx, self.headline_tiers(ctx, item), bodies, support)

    def offer_drafts(self, ctx: _DraftContext, item: Fragment) -> Iterator[Draft]:
        brand, slot = self.p.brand, ctx.slot
        # Another offer backs an offer best ("No credit card required"); a benefit otherwise.
        support = self.others(self.p.offers, item, slot) + self.others(self.p.vps, item, slot)
        if not support:
            support = self.others([f for f in [self.p.tagline, *self.p.about] if f], item, slot)
        second = [f.sentence for f in support]
        own = list(item.forms())
        if self.brand_led(item):
            own += [f"{brand}: {_lower_first(form)}" for form in own[:3]]
        heads = [*own, *self.headline_tiers(ctx, item)]
        if len(item.phrase.split()) <= 5 and self.brand_led(item):
            heads.append(f"{item.phrase} at {brand}")
        bodies: _Bodies = [([item.sentence], second)]
        if self.brand_led(item):
            bodies.append(([f"{brand}: {item.lower}."], second))
        # The offer's own terms head it: a headline about another offer would confuse.
        yield from self.mk(ctx, heads, bodies, support, len(own))

    def curiosity_drafts(self, ctx: _DraftContext, item: Fragment | None) -> Iterator[Draft]:
        brand, domain, slot = self.p.brand, self.p.domain, ctx.slot
        generic = [f"Meet {brand}", f"Discover {brand}", f"See what {brand} can do", f"Get to know {brand}"]
        if not self.p.formal:
            generic += [f"Say hello to {brand}", f"Have you met {brand}?"]
        # The brand's own words head it; "Meet Brand" only when the site gave nothing else.
        p = self.p
        everything = [*p.vps, *p.proof, *p.offers, *p.features, *p.trust]
        own = self.headline_tiers(ctx, item) if item else [f.phrase for f in everything if not f.is_quote]
        heads = [*own, *self.rotate(generic, slot + self.rng.randrange(len(generic)))]
        if item:
            bodies: _Bodies = [([item.sentence], [])]
            if not self.names_brand(item):
                bodies.append(([f"Curious about {brand}? {item.sentence}"], []))
            yield from self.mk(ctx, heads, bodies)
            return
        vp = self.p.vps[slot % len(self.p.vps)] if self.p.vps else None
        if vp:
            bodies = [([f"Curious about {brand}? {vp.sentence}"], [])] if not self.names_brand(vp) else []
            if domain:
                bodies.append(([vp.sentence, f"Find out how at {domain}."], []))
        else:
            bodies = self.rotate(
                [
                    ([f"Take a look at what {brand} offers."], []),
                    ([f"Curious about {brand}? Take a look."], []),
                    ([f"Find out what {brand} is about."], []),
                    ([f"See {brand} for yourself."], []),
                ],
                slot,
            )
        yield from self.mk(ctx, heads, bodies, [vp])

    def problem_drafts(self, ctx: _DraftContext, item: Fragment | None) -> Iterator[Draft]:
        """A problem the site names (or a question about what the brand does), then the answer."""
        brand, slot = self.p.brand, ctx.slot
        answers_pool = [*self.p.vps, *self.p.features]
        if item is not None and item.section != "question":
            # The answer the site gives next to the problem comes first.
            same = [f for f in answers_pool if f.section and f.section == item.section and f is not item]
            answers = [*same, *self.rotate([f for f in self.p.vps if f not in same], slot)][:3]
            for answer in answers:
                # The answer heads the ad; the problem itself, then other benefits, if it cannot.
                own = [*answer.forms(), *item.forms()]
                heads = [*own, *self.headline_tiers(ctx, answer, [])]
                bodies: _Bodies = [([item.sentence, answer.sentence], [])]
                if self.brand_led(answer):
                    bodies.append(([item.sentence, f"{brand}: {answer.lower}."], []))
                yield from self.mk(ctx, heads, bodies, [answer], len(own))
            return
        if item is None:
            return
        term = item.text
        question_forms = [
            f"Need help with {term}?",
            f"Looking for a simpler way to handle {term}?",
            f"How much of your week goes into {term}?",
        ]
        if not self.p.formal:
            question_forms.append(f"Thinking about {term}?")
        q = question_forms[(slot + self.rng.randrange(len(question_forms))) % len(question_forms)]
        ans = self.related(_content(term), [*self.p.vps, *self.p.features, *self.p.offers], None)
        if ans is None:
            ans = (
                self.p.vps[slot % len(self.p.vps)] if self.p.vps else (self.p.features[0] if self.p.features else None)
            )
        if ans is None:
            return
        bodies = [([q, ans.sentence], [])]
        if self.brand_led(ans):
            bodies += [([q, f"{brand}: {ans.lower}."], []), ([q, f"Meet {brand}. {ans.sentence}"], [])]
        heads = [q, *ans.forms(), *self.headline_tiers(ctx, ans, [])]
        yield from self.mk(ctx, heads, bodies, [ans], 1 + len(ans.forms()))

    # -- RSA asset pools -------------------------------------------------------------------

    def rsa_headlines(self, spec: PlatformSpec) -> list[str]:
        """The brand's asset pool of complete headlines: whole phrases first, then shortened
        forms, then brand and action lines (computed once per platform)."""
        if self._rsa_pool is not None:
            return self._rsa_pool
        assets = _HeadlineAssets(spec, self.p.brand, self.cap, self.p.judge)
        add = assets.add
        p = self.p
        pools = [*p.vps, *p.proof, *p.offers, *p.features]
        if p.tagline:
            pools.insert(0, p.tagline)
        # Whole phrases first, then the shortened forms.
        for f in pools:
            if not f.is_quote:
                add(f.phrase)
        for f in pools:
            if not f.is_quote:
                for form in (*shorter_phrases(f.phrase, f.conditional, False), *inner_phrases(f.phrase)):
                    add(form)
        brand = p.brand
        add(brand, judged=False)
        if not p.verbatim:
            add(f"Meet {brand}")
            add(f"Discover {brand}")
            for button in self.main_buttons():
                add(f"{button} Today", judged=False)
        # The site's own action ("Jetzt vorbestellen") and short lines of its testimonials are
        # assets in any language.
        for _, _, wording in self.ctas:
            if wording and not _PHONE.search(wording) and _cta_rank(wording) == self.main_rank():
                add(wording, judged=False)
        for f in p.testimonials:
            for line in self.quote_headlines(f):
                add(line)
        if p.domain:
            add(p.domain, judged=False)
        self._rsa_pool = assets.out
        return assets.out

    def rsa_descriptions(self, draft: Draft, spec: PlatformSpec) -> list[str]:
        limit = spec.rsa_description_max
        out: list[str] = []
        seen: set[str] = set()
        _, cta_line = draft.cta
        lead = _pack(draft.required, draft.optional, cta_line, limit, self.p.verbatim)
        candidates = [lead] if lead else []
        p = self.p
        # The angle's own kind of content first (proof under a proof ad), then the rest.
        # (Other wordings of an offer already said are headline material, not new descriptions.)
        own = [f.sentence for f in self.same_angle(draft.angle) if not f.is_quote and f not in p.offer_alts]
        candidates += own + [f.sentence for f in [*p.vps, *p.proof, *p.offers, *p.features]]
        if p.tagline:
            candidates.append(p.tagline.sentence)
        if cta_line:
            candidates.append(cta_line)
        if not p.verbatim:
            candidates.append(f"Take a look at what {p.brand} offers.")
        fitted = [t for c in candidates if (t := _fit_sentence(c, limit, p.verbatim))]
        # Each description says something the others do not; a line already inside another is
        # used only when the set would otherwise be too small.
        for strict in (True, False):
            for t in fitted:
                k = normalize_text(t)
                if k in seen or (strict and any(k in o or o in k for o in seen)):
                    continue
                if len(out) < spec.rsa_descriptions_max:
                    seen.add(k)
                    out.append(t)
            if len(out) >= spec.rsa_descriptions_min:
                break
        return out
