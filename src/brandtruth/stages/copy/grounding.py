"""The grounding check: every factual assertion in ad copy must rest on the brand's own evidence.

One module, used for every generator (template and LLM alike), so "never invents a fact" is
enforced in one place rather than trusted to each writer.

How it works:
1. `find_assertions` scans a text for factual assertions — numbers, percentages, money, ratings,
   counts, durations, multipliers, vague magnitudes ("thousands of"), superlatives (best, #1,
   fastest, leading, only, ...), guarantees, awards, certifications, comparisons ("faster than"),
   offers ("free", "trial") and quoted testimonials — and reduces each to a normalised `Atom`
   (`12,000` ≈ `12k` ≈ `12 000`; `4.8/5` ≈ `4.8 out of 5`; `2 weeks` ≈ `14 days`).
2. `SupportIndex` runs the same scan over the *evidence quotes* of the profile's claims (and of
   its social-proof items), one source per quote, admitting low/medium-risk claims always,
   high-risk claims only when the setting allows it, blocked claims never.
3. `check_variant` requires each assertion of the copy to match an atom of one source (same
   value and unit; qualifiers such as "up to" may not be dropped and "over" may not be added;
   the noun next to a number must appear in that same quote), and also rejects the text of
   blocked (or disallowed high-risk) claims and the profile's avoided terms.

The check is deliberately conservative: an assertion it cannot tie to evidence fails, which
costs at worst a rewritten or dropped variant, never an invented claim in a live ad.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from urllib.parse import urlsplit

from brandtruth.claims.numbers import spelled_to_digits
from brandtruth.claims.risk import RiskClass, cues_of
from brandtruth.claims.words import stem_langs
from brandtruth.models.brand import BrandProfile, Claim, Evidence, Risk
from brandtruth.models.copy import ClaimUse, CopyVariant, ProofUse
from brandtruth.stages.copy.assertions import (
    VAGUE_RANGES,
    Assertion,
    Atom,
    clip_quote,
    content_words,
    find_assertions,
    format_value,
    loose_text,
    parse_number,
    stem_word,
)
from brandtruth.stages.copy.truth import TruthGate, site_sentences, text_stems
from brandtruth.stages.copy.words import wordset as _wordset

# ---------------------------------------------------------------------------------------------
# Sources of support
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One verbatim quote that can support assertions, with the claim it belongs to."""

    claim_id: str
    risk: Risk
    quote: str
    url: str
    loose: str
    stems: frozenset[str]
    atoms: tuple[Atom, ...]
    offer_only: bool = False
    # (kind, 0-based index) when this quote belongs to a social-proof item rather than a claim.
    proof: tuple[str, int] | None = None
    # " loose words of the unmasked quote ", for finding the phrase of the copy it supports.
    plain: str = ""
    # The quote with spelled numbers as digits (its risk cues are read from it on demand), and
    # the Snowball stems of its words: the truth gate's view.
    digits: str = ""
    wstems: frozenset[str] = frozenset()

    @property
    def cues(self) -> frozenset[tuple[RiskClass, str]]:
        return cues_of(self.digits)

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(a.unit for a in self.atoms if a.kind == "term")


_RISK_ORDER = {Risk.LOW: 0, Risk.MEDIUM: 1, Risk.HIGH: 2, Risk.BLOCKED: 3}


def _mask(text: str, masks: tuple[re.Pattern[str], ...]) -> str:
    for rx in masks:
        text = rx.sub(lambda m: "·" * len(m.group(0)), text)
    return text


def _make_source(
    claim_id: str,
    risk: Risk,
    quote: str,
    url: str,
    masks: tuple[re.Pattern[str], ...],
    extra: tuple[Atom, ...] = (),
    offer_only: bool = False,
    proof: tuple[str, int] | None = None,
    lang: str = "en",
) -> Source:
    digits = spelled_to_digits(quote, lang).text
    masked = _mask(digits, masks)
    atoms = tuple(a.atom for a in find_assertions(masked)) + extra
    stems = frozenset(stem_word(w) for w in content_words(masked))
    return Source(
        claim_id,
        risk,
        quote,
        url,
        loose_text(masked),
        stems,
        atoms,
        offer_only,
        proof,
        f" {loose_text(quote)} ",
        digits,
        text_stems(masked, stem_langs(lang)),
    )


@dataclass
class Issue:
    """Why a piece of copy fails the grounding check."""

    field: str
    kind: str  # unsupported | blocked | avoided | high_risk_disallowed
    text: str
    message: str
    # What the span is: a risk class ("health", "endorsement", ...), "content", "entity", "number", ...
    cls: str = ""


@dataclass
class GroundingReport:
    issues: list[Issue] = field(default_factory=list)
    claims_used: list[ClaimUse] = field(default_factory=list)
    proof_used: list[ProofUse] = field(default_factory=list)
    high_risk: list[str] = field(default_factory=list)
    # Policy-class wording allowed only because high-risk claims are allowed: flagged for review.
    flags: list[str] = field(default_factory=list)
    assertions: int = 0

    @property
    def ok(self) -> bool:
        return not self.issues

    def summary(self, limit: int = 4) -> str:
        parts = [i.message for i in self.issues[:limit]]
        more = len(self.issues) - limit
        if more > 0:
            parts.append(f"and {more} more")
        return "; ".join(parts)


def _brand_masks(profile: BrandProfile) -> tuple[re.Pattern[str], ...]:
    # The domain first: masking the brand name first would leave "acme-scheduler.test" half-masked.
    masks: list[re.Pattern[str]] = []
    host = urlsplit(profile.url).hostname or ""
    if host:
        bare = host[4:] if host.startswith("www.") else host
        masks.append(re.compile(r"(?:www\.)?" + re.escape(bare), re.IGNORECASE))
    name = profile.brand_name.strip()
    if name:
        masks.append(re.compile(re.escape(name), re.IGNORECASE))
    return tuple(masks)


class SupportIndex:
    """The evidence a run may rely on, pre-scanned once so checks stay fast."""

    def __init__(self, profile: BrandProfile, allow_high_risk: bool) -> None:
        self.profile = profile
        self.allow_high_risk = allow_high_risk
        self.masks = _brand_masks(profile)
        self.truth = TruthGate(profile, allow_high_risk)
        lang = self.truth.lang
        self.sources: list[Source] = []
        self.claims: dict[str, Claim] = {c.id: c for c in profile.claims}
        self.forbidden: list[Claim] = [
            c for c in profile.claims if c.risk is Risk.BLOCKED or (c.risk is Risk.HIGH and not allow_high_risk)
        ]
        forbidden_quotes = {loose_text(e.quote) for c in self.forbidden for e in c.evidence}
        self._forbidden_phrases = self._forbidden_patterns()

        allowed = sorted((c for c in profile.claims if c not in self.forbidden), key=lambda c: _RISK_ORDER[c.risk])
        for claim in allowed:
            for ev in claim.evidence:
                self.sources.append(_make_source(claim.id, claim.risk, ev.quote, ev.url, self.masks, lang=lang))

        # Social proof items carry their own verbatim evidence; they count as support unless the
        # same sentence was classified as a forbidden claim.
        proof = profile.social_proof

        def proof_sources(kind: str, i: int, evidence: list[Evidence], extra: tuple[Atom, ...] = ()) -> None:
            for ev in evidence:
                if loose_text(ev.quote) in forbidden_quotes:
                    continue
                self.sources.append(
                    _make_source(
                        f"proof-{kind}-{i + 1}",
                        Risk.LOW,
                        ev.quote,
                        ev.url,
                        self.masks,
                        extra=extra,
                        proof=(kind, i),
                        lang=lang,
                    )
                )

        for i, t in enumerate(proof.testimonials):
            if t.evidence and not any(
                loose_text(t.quote) in fq or fq in loose_text(t.quote) for fq in forbidden_quotes
            ):
                proof_sources("testimonial", i, t.evidence)
                self.sources.append(
                    _make_source(
                        f"proof-testimonial-{i + 1}",
                        Risk.LOW,
                        t.quote,
                        t.evidence[0].url,
                        self.masks,
                        proof=("testimonial", i),
                        lang=lang,
                    )
                )
        for i, r in enumerate(proof.ratings):
            scale = parse_number(f"{r.scale:g}") or Decimal(5)
            value = parse_number(f"{r.value:g}")
            extra_atoms: tuple[Atom, ...] = ()
            if value is not None:
                extra_atoms = (Atom("rating", value, format_value(scale)),)
            proof_sources("rating", i, r.evidence, extra_atoms)
        for i, cc in enumerate(proof.customer_counts):
            proof_sources("customer_count", i, cc.evidence)
        for i, logo in enumerate(proof.customer_logos):
            proof_sources("customer_logo", i, logo.evidence)
        # The site's own tagline, description and value propositions, sentence by sentence, unless
        # a sentence states a policy class or repeats a forbidden claim.
        for i, sentence in enumerate(site_sentences(profile), 1):
            if loose_text(sentence) not in forbidden_quotes:
                src = _make_source(f"site-text-{i}", Risk.LOW, sentence, profile.url, self.masks, lang=lang)
                # Words and cues only: a figure in a tagline or description is not an extracted claim.
                self.sources.append(replace(src, atoms=()))
        self.forbidden_sources = [
            _make_source(c.id, c.risk, ev.quote, ev.url, self.masks, lang=lang)
            for c in self.forbidden
            for ev in c.evidence
        ]
        # Site button wording ("Start free trial") may support offer words only.
        for i, cta in enumerate(profile.site_ctas, 1):
            self.sources.append(
                _make_source(f"site-cta-{i}", Risk.LOW, cta, profile.url, self.masks, offer_only=True, lang=lang)
            )
        self.avoided = [
            (t, re.compile(r"(?<!\w)" + re.escape(t.strip()) + r"(?!\w)", re.IGNORECASE))
            for t in profile.avoided_terms
            if t.strip()
        ]

    def _forbidden_patterns(self) -> list[tuple[Claim, str, frozenset[str]]]:
        out: list[tuple[Claim, str, frozenset[str]]] = []
        for c in self.forbidden:
            phrases = [c.text] + [e.quote for e in c.evidence]
            for p in phrases:
                loose = loose_text(_mask(p, self.masks))
                if len(loose.split()) >= 2:
                    words = frozenset(stem_word(w) for w in content_words(loose))
                    out.append((c, loose, words))
        return out

    # -- assertion support ----------------------------------------------------------------

    def support(self, a: Assertion) -> Source | None:
        """The first (lowest-risk) source whose evidence contains assertion `a`."""
        for src in self.sources:
            if src.offer_only and a.category != "offer":
                continue
            if _supports(src, a):
                return src
        return None

    def supporters(self, a: Assertion) -> list[Source]:
        """Every source whose evidence contains assertion `a`, lowest risk first."""
        return [src for src in self.sources if (not src.offer_only or a.category == "offer") and _supports(src, a)]

    def mask(self, text: str) -> str:
        return _mask(text, self.masks)

    # -- whole-variant check --------------------------------------------------------------

    def check_text(self, field_name: str, text: str, report: GroundingReport) -> None:
        if not text:
            return
        # Spelled-out numbers are checked as digits ("forty percent" ≈ "40%"), on both sides.
        digits = spelled_to_digits(text, self.truth.lang)
        original, text = text, digits.text
        masked = self.mask(text)
        tokens: list[tuple[int, int]] | None = None
        for a in find_assertions(masked):
            report.assertions += 1
            shown_start, shown_end = digits.span(a.start, a.end)
            shown = original[shown_start:shown_end]
            found = self.supporters(a)
            if not found:
                report.issues.append(
                    Issue(
                        field_name,
                        "unsupported",
                        shown,
                        f"{field_name}: '{shown}' ({a.category}) is not supported by the site's evidence",
                        cls="number" if a.atom.value is not None else a.category,
                    )
                )
                continue
            if tokens is None:
                tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
            claim_src, claim_run, proof_src, proof_run = _best_sources(text, tokens, a, found)
            if proof_src is not None and proof_src.proof is not None:
                kind, idx = proof_src.proof
                span = _span_text(text, tokens, proof_run) if proof_run else shown
                if not any(p.kind == kind and p.index == idx and span in p.span for p in report.proof_used):
                    report.proof_used.append(
                        ProofUse(kind=kind, index=idx, span=span, quote=clip_quote(proof_src.quote), url=proof_src.url)
                    )
            if claim_src is None:
                continue
            if claim_src.risk is Risk.HIGH and claim_src.claim_id not in report.high_risk:
                report.high_risk.append(claim_src.claim_id)
            span = _claim_span(text, tokens, a, claim_run)
            if not any(u.claim_id == claim_src.claim_id and span in u.span for u in report.claims_used):
                report.claims_used.append(
                    ClaimUse(
                        claim_id=claim_src.claim_id, span=span, quote=clip_quote(claim_src.quote), url=claim_src.url
                    )
                )
        loose = loose_text(masked)
        words = frozenset(stem_word(w) for w in content_words(masked))
        for claim, phrase, phrase_words in self._forbidden_phrases:
            hit = phrase in loose
            if not hit and len(phrase_words) >= 3:
                hit = len(phrase_words & words) / len(phrase_words) >= 0.75
            if hit:
                kind = "blocked" if claim.risk is Risk.BLOCKED else "high_risk_disallowed"
                report.issues.append(
                    Issue(
                        field_name,
                        kind,
                        _closest_sentence(original, phrase),
                        f"{field_name}: repeats {claim.risk.value}-risk claim {claim.id} ('{claim.text}')",
                    )
                )
                break
        spans = [(a.start, a.end) for a in find_assertions(masked)]
        self.truth.check(field_name, original, digits, masked, spans, self.sources, self.forbidden_sources, report)
        for term, rx in self.avoided:
            if rx.search(original):
                report.issues.append(Issue(field_name, "avoided", term, f"{field_name}: uses avoided term '{term}'"))

    def check_variant(self, variant: CopyVariant) -> GroundingReport:
        report = GroundingReport()
        for name, text in variant_fields(variant):
            self.check_text(name, text, report)
        return report


def _closest_sentence(text: str, phrase: str) -> str:
    """The sentence of the copy that repeats a forbidden claim (the claim's own wording may differ)."""
    words = set(phrase.split())
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    return max(sentences, key=lambda s: len(words & set(loose_text(s).split())), default=text)


def variant_fields(variant: CopyVariant) -> list[tuple[str, str]]:
    """Every piece of text an ad platform would show (the CTA button label excepted)."""
    fields = [
        ("headline", variant.headline),
        ("primary_text", variant.primary_text),
        ("description", variant.description),
    ]
    fields += [(f"headlines[{i}]", h) for i, h in enumerate(variant.headlines)]
    fields += [(f"descriptions[{i}]", d) for i, d in enumerate(variant.descriptions)]
    fields += [("path1", variant.path1.replace("-", " ")), ("path2", variant.path2.replace("-", " "))]
    return fields


# ---------------------------------------------------------------------------------------------
# Which source, and which words of the copy
# ---------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?;:][\"”’)]*$")
_Run = tuple[int, int]


def _run_in(text: str, tokens: list[tuple[int, int]], i: int, j: int, plain: str) -> bool:
    words = loose_text(text[tokens[i][0] : tokens[j][1]])
    return bool(words) and f" {words} " in plain


def _common_run(text: str, tokens: list[tuple[int, int]], a: Assertion, plain: str) -> _Run | None:
    """The longest run of whole words around assertion `a` that the quote also contains.

    "Every plan starts with a 14-day free trial." against the quote "Every plan starts with a
    14-day free trial." gives the whole sentence; the run never crosses a sentence end of the
    copy. None when the assertion's own words are not in the quote (e.g. "4.8/5" against
    "4.8 out of 5").
    """
    covering = [k for k, (s, e) in enumerate(tokens) if e > a.start and s < a.end]
    if not covering:
        return None
    i, j = covering[0], covering[-1]
    if not _run_in(text, tokens, i, j, plain):
        return None
    while i > 0 and not _SENTENCE_END.search(text[tokens[i - 1][0] : tokens[i - 1][1]]):
        if not _run_in(text, tokens, i - 1, j, plain):
            break
        i -= 1
    while j + 1 < len(tokens) and not _SENTENCE_END.search(text[tokens[j][0] : tokens[j][1]]):
        if not _run_in(text, tokens, i, j + 1, plain):
            break
        j += 1
    return i, j


def _run_words(run: _Run | None) -> int:
    return 0 if run is None else run[1] - run[0] + 1


def _best_sources(
    text: str, tokens: list[tuple[int, int]], a: Assertion, found: list[Source]
) -> tuple[Source | None, _Run | None, Source | None, _Run | None]:
    """The claim and the social-proof item that best support `a`: lowest risk class (a high-risk
    claim only when nothing else supports it), then the longest shared wording, so the copy is
    traced to the quote it was actually written from."""
    claims = [s for s in found if s.proof is None and not s.offer_only]
    proofs = [s for s in found if s.proof is not None]
    safe = [s for s in claims if s.risk is not Risk.HIGH]
    pool = safe or ([] if proofs else claims)

    def best(sources: list[Source]) -> tuple[Source | None, _Run | None]:
        chosen: Source | None = None
        chosen_run: _Run | None = None
        for src in sources:
            run = _common_run(text, tokens, a, src.plain)
            if chosen is None or _run_words(run) > _run_words(chosen_run):
                chosen, chosen_run = src, run
        return chosen, chosen_run

    claim_src, claim_run = best(pool)
    proof_src, proof_run = best(proofs)
    return claim_src, claim_run, proof_src, proof_run


_EDGE_PUNCT = " ,;:.!?—–-"


def _span_text(text: str, tokens: list[tuple[int, int]], run: _Run) -> str:
    span = text[tokens[run[0]][0] : tokens[run[1]][1]].strip(_EDGE_PUNCT)
    for opener, closer in (("“", "”"), ("(", ")"), ("„", "“")):
        if span.startswith(opener) and closer not in span:
            span = span[1:]
        if span.endswith(closer) and opener not in span:
            span = span[:-1]
    return span.strip(_EDGE_PUNCT) or text[tokens[run[0]][0] : tokens[run[1]][1]]


_CLAUSE_EDGE = re.compile(r"[.!?;:,]$|^[—–]$")
_EDGE_WORDS = _wordset("a an the and or but of to for with in on at by from as so if that which who your our its")
# Words a span does not reach past: they start another clause or point elsewhere ("at example.com").
_STOP_EDGE = _wordset("at and or but so if that which who because with while when where")


def _claim_span(text: str, tokens: list[tuple[int, int]], a: Assertion, run: _Run | None) -> str:
    """The words of the copy that rest on a claim: a whole phrase, not a lone number or word.

    The run of words shared with the claim's quote when it has at least two words; otherwise
    the assertion with up to two words before and three after it, within its clause, not past a
    clause connector and not ending on one ("Start free trial at example.com" → "Start free
    trial"; "4.8/5 from 2,140 reviews" stays whole).
    """
    covering = [k for k, (s, e) in enumerate(tokens) if e > a.start and s < a.end]
    if not covering:
        return text[a.start : a.end]
    i0, i1 = covering[0], covering[-1]

    def word(k: int) -> str:
        return text[tokens[k][0] : tokens[k][1]]

    if run is not None and _run_words(run) >= 2:
        lo, hi = run
        # "a 14-day free trial" → "14-day free trial": no article or connector at either end.
        while lo < i0 and loose_text(word(lo)) in _EDGE_WORDS:
            lo += 1
        while hi > i1 and loose_text(word(hi)) in _EDGE_WORDS:
            hi -= 1
        if hi > lo:
            return _span_text(text, tokens, (lo, hi))

    lo = i0
    while lo > max(0, i0 - 2) and not _CLAUSE_EDGE.search(word(lo - 1)) and loose_text(word(lo - 1)) not in _EDGE_WORDS:
        lo -= 1
    hi = i1
    while (
        hi + 1 < min(len(tokens), i1 + 4)
        and not _CLAUSE_EDGE.search(word(hi))
        and loose_text(word(hi + 1)) not in _STOP_EDGE
    ):
        hi += 1
    while hi > i1 and loose_text(word(hi)) in _EDGE_WORDS:
        hi -= 1
    return _span_text(text, tokens, (lo, hi))


# ---------------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------------

_RATING_WORDS = re.compile(r"rat|star|review|★|score", re.IGNORECASE)


def _qual_ok(copy: Atom, ev: Atom) -> bool:
    """May the copy's qualified value be said, given the evidence's qualified value?"""
    assert copy.value is not None and ev.value is not None
    if ev.qual == "limit" and copy.qual != "limit":
        return False  # dropping "up to" / "from" overstates
    if copy.value == ev.value:
        if copy.qual in ("", "limit"):
            return ev.qual in ("", "more", "less", "limit")
        if copy.qual == "approx":
            return True
        return copy.qual == ev.qual
    if copy.kind == "money":
        return False  # "orders over $20" does not follow from "orders over $35"
    if copy.qual == "more":
        return ev.value > copy.value and ev.qual in ("", "more")
    if copy.qual == "less":
        return ev.value < copy.value and ev.qual in ("", "less")
    return False


def _atom_matches(copy: Atom, ev: Atom, src: Source) -> bool:
    if copy.kind == "term":
        return ev.kind == "term" and ev.unit == copy.unit
    if copy.kind == "vague":
        if ev.kind == "vague":
            return ev.unit == copy.unit
        lo, hi = VAGUE_RANGES[copy.unit]
        return ev.kind == "num" and ev.value is not None and lo <= ev.value < hi
    if copy.kind == "quote":
        return False  # handled by text containment
    if copy.value is None or ev.value is None:
        return False
    if copy.kind == "num":
        if ev.kind == "rating" and ev.value == copy.value and not copy.qual:
            return True
        if ev.kind != "num":
            return False
        return _qual_ok(copy, ev)
    if copy.kind == "rating":
        if ev.kind == "rating":
            return ev.value == copy.value and ev.unit == copy.unit
        return (
            ev.kind == "num" and ev.value == copy.value and copy.unit == "5" and bool(_RATING_WORDS.search(src.quote))
        )
    if copy.kind != ev.kind or copy.unit != ev.unit:
        return False
    return _qual_ok(copy, ev)


def _supports(src: Source, a: Assertion) -> bool:
    atom = a.atom
    if atom.kind == "quote":
        fragments = [f.strip() for f in re.split(r"\.\.\.|…", a.text.strip('"“”„«» ')) if f.strip()]
        fragments = [loose_text(f) for f in fragments]
        return bool(fragments) and all(f and f in src.loose for f in fragments)
    if not any(_atom_matches(atom, ev, src) for ev in src.atoms):
        return False
    if a.context:
        return any(stem_word(w) in src.stems for w in a.context)
    return True
