"""The truth gate's word-level rules: risk classes and content coverage (issue 12).

`grounding.SupportIndex.check_text` ties each number, price, rating and superlative of a copy
field to a quote; this module adds what that cannot see:

1. Risk classes (`brandtruth.claims.risk`, shared with the extractor). A policy class
   (health/medical, financial returns, guarantees/refunds) is refused even when the site states
   it, unless high-risk claims are allowed — then it must still be stated by the site, and it is
   flagged for review. Curing a disease and guaranteed returns are refused always. Every other
   class (endorsement, rating, award, certification, absolute, comparative, superlative) needs a
   quote that states the same cue about the same things (its neighbouring content words).
2. Content coverage (`brandtruth.claims.coverage`): every content word of the field occurs in
   the profile's own text; glue words (CTA verbs, pronouns, "today", "now") are free; a
   capitalised phrase must occur as a phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from brandtruth.claims.coverage import Vocabulary
from brandtruth.claims.numbers import Rewrite
from brandtruth.claims.risk import RiskClass, RiskHit, Severity, find_risks
from brandtruth.claims.words import is_glue, stems, word_parts, word_spans
from brandtruth.models.brand import BrandProfile, Risk

if TYPE_CHECKING:
    from brandtruth.stages.copy.grounding import GroundingReport


class CueSource(Protocol):
    @property
    def cues(self) -> frozenset[tuple[RiskClass, str]]: ...

    @property
    def plain(self) -> str: ...

    @property
    def wstems(self) -> frozenset[str]: ...

    @property
    def risk(self) -> Risk: ...


def text_stems(text: str, langs: tuple[str, ...]) -> frozenset[str]:
    """Snowball stems (in `langs`) of every word of `text`."""
    out: set[str] = set()
    for _, _, w in word_spans(text):
        for part in word_parts(w):
            out |= stems(part, langs)
    return frozenset(out)


def profile_texts(profile: BrandProfile) -> list[str]:
    """Everything the site itself says, as the profile holds it: the evidence vocabulary."""
    texts = [profile.brand_name, profile.tagline, profile.description, profile.target_audience]
    texts += profile.value_propositions + profile.key_terms + profile.site_ctas
    for c in profile.claims:
        texts.append(c.text)
        texts += [e.quote for e in c.evidence] + [e.section for e in c.evidence]
    sp = profile.social_proof
    for t in sp.testimonials:
        texts += [t.quote, t.author or "", t.role or "", t.company or "", t.location or ""]
        texts += [e.quote for e in t.evidence]
    for r in sp.ratings:
        texts += [r.platform or ""] + [e.quote for e in r.evidence]
    for cc in sp.customer_counts:
        texts += [cc.text] + [e.quote for e in cc.evidence]
    for lg in sp.customer_logos:
        texts += [lg.name] + [e.quote for e in lg.evidence]
    texts += [p.title for p in profile.pages]
    return [t for t in texts if t]


_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def site_sentences(profile: BrandProfile) -> list[str]:
    """Sentences of the tagline, description and value propositions (site text, not claims)."""
    out: list[str] = []
    for text in [profile.tagline, profile.description, *profile.value_propositions]:
        out += [s.strip() for s in _SENTENCE.split(text or "") if s.strip()]
    return [s for s in out if not any(h.severity is not Severity.CHECK for h in find_risks(s))]


_CLAUSE = re.compile(r"[.!?;:,()\[\]—–|·•]|\s(?:and|or|und|oder|et|ou|y|o|e|en|of)\s", re.I)
_WINDOW = 3


def window_words(
    text: str, start: int, end: int, whole_sentence: bool = False, skip: Sequence[tuple[int, int]] = ()
) -> list[str]:
    """Content words of the clause around a cue, up to three each side ("trusted by NASA" → NASA);
    for an offer, of the whole sentence (its conditions: "free shipping on all orders, no minimum").
    Words inside `skip` (numbers, other cues) are left to their own rules."""
    splitter = _SENTENCE if whole_sentence else _CLAUSE
    lo = start - len(splitter.split(text[:start])[-1])
    hi = end + len(splitter.split(text[end:])[0])

    def content(a: int, b: int) -> list[str]:
        return [
            w
            for s, e, w in word_spans(text[a:b])
            if not is_glue(w) and not any(x <= a + s and a + e <= y for x, y in skip)
        ]

    if whole_sentence:
        return content(lo, hi)
    return content(lo, start)[-_WINDOW:] + content(start, end) + content(end, hi)[:_WINDOW]


_CUE_WORDS = re.compile(r"[^\w]+")
_CANONICAL_CUES = frozenset({"#1", "x", "rating", "award", "cure", "guaranteed returns"})


def _stated_by(src: CueSource, hit: RiskHit, words: Iterable[str], langs: tuple[str, ...]) -> bool:
    literal = _CUE_WORDS.sub(" ", hit.cue.lower()).strip()
    if hit.cue not in _CANONICAL_CUES and f" {literal} " not in src.plain:
        return False  # cheap test first: a cue word the quote does not even contain
    if (hit.cls, hit.cue) not in src.cues:
        return False
    return all(any(bool(stems(p, langs) & src.wstems) for p in word_parts(w)) for w in words)


class TruthGate:
    """Risk-class and coverage rules for one profile (built once per run)."""

    def __init__(self, profile: BrandProfile, allow_high_risk: bool) -> None:
        self.allow_high_risk = allow_high_risk
        self.vocab = Vocabulary(profile_texts(profile))
        self.lang = self.vocab.lang
        self.langs = self.vocab.langs
        self._memo: dict[tuple[str, str], tuple[list[tuple[str, str, str, str]], list[str]]] = {}

    def check(
        self,
        field_name: str,
        original: str,
        digits: Rewrite,
        masked: str,
        assertion_spans: list[tuple[int, int]],
        sources: Sequence[CueSource],
        forbidden: Sequence[CueSource],
        report: GroundingReport,
    ) -> None:
        """Add the field's risk-class and coverage issues (spans quote `original`)."""
        from brandtruth.stages.copy.grounding import Issue

        key = (original, masked)
        found = self._memo.get(key)
        if found is None:
            # A run checks the same fragments under many headlines: judge each text once.
            found = self._findings(original, digits, masked, assertion_spans, sources, forbidden)
            self._memo[key] = found
        findings, flags = found
        for kind, span, reason, cls in findings:
            report.issues.append(Issue(field_name, kind, span, f"{field_name}: {reason}", cls))
        for flag in flags:
            text = f"{field_name}: {flag}"
            if text not in report.flags:
                report.flags.append(text)

    def _findings(
        self,
        original: str,
        digits: Rewrite,
        masked: str,
        assertion_spans: list[tuple[int, int]],
        sources: Sequence[CueSource],
        forbidden: Sequence[CueSource],
    ) -> tuple[list[tuple[str, str, str, str]], list[str]]:
        """(kind, span, reason, class) per problem, and review flags, for one text."""
        out: list[tuple[str, str, str, str]] = []
        flags: list[str] = []

        def shown(start: int, end: int) -> str:
            lo, hi = digits.span(start, end)
            return original[lo:hi]

        hits = find_risks(masked)
        # Words inside a number (its unit: "USD 49", "2 weeks") or inside a cue ("Number one") are
        # judged by the number or cue rules, not by coverage.
        checked = assertion_spans + [(h.start, h.end) for h in hits]
        for hit in hits:
            span = shown(hit.start, hit.end)
            others = [(h.start, h.end) for h in hits if h is not hit] + assertion_spans
            words = window_words(masked, hit.start, hit.end, hit.cls is RiskClass.OFFER, others)
            stated = any(_stated_by(s, hit, words, self.langs) for s in sources)
            cls = hit.cls.value
            if hit.severity is Severity.FORBIDDEN:
                out.append(("blocked", span, f"'{span}' is {hit.reason}; refused even when the site states it", cls))
            elif hit.severity is Severity.POLICY and not self.allow_high_risk:
                why = "refused by policy unless BRANDTRUTH_ALLOW_HIGH_RISK_CLAIMS=true"
                out.append(("blocked", span, f"'{span}' is {hit.reason}; {why}", cls))
            elif not stated and any(_stated_by(s, hit, words, self.langs) for s in forbidden):
                reason = f"'{span}' repeats a claim the profile marks high-risk or blocked"
                out.append(("high_risk_disallowed", span, reason, cls))
            elif not stated:
                reason = f"'{span}' ({hit.reason}) is not stated by the site about the same things"
                out.append(("unsupported", span, reason, cls))
            elif hit.severity is Severity.POLICY:
                flags.append(f"'{span}' is {hit.reason}; allowed by BRANDTRUTH_ALLOW_HIGH_RISK_CLAIMS, review it")
        for gap in self.vocab.gaps(masked, checked):
            span = shown(gap.start, gap.end)
            what = "names" if gap.kind == "entity" else "says"
            out.append(("unsupported", span, f"{what} '{span}', which the site's evidence never mentions", gap.kind))
        return out, flags
