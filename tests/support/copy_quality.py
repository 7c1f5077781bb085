"""Reader's checks on generated copy, written independently of the generator's own rules.

Each function returns a list of problems (empty when the copy reads well), so a failing test
names the exact variant and words. They encode what a marketer rejects on sight: a headline
that stops mid-phrase, an address nobody can visit, a section heading run as a sentence,
markup spacing, one-word claim citations, social proof that quotes no one.
"""

from __future__ import annotations

import re

from brandtruth.models.brand import BrandProfile, ClaimKind
from brandtruth.models.copy import Angle, CopyResult, CopyVariant


# A phrase cannot end on these.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


DANGLING_END = _words(
    """a an the and or but nor of to for with in on at by from as via into onto your our their its my
    that which who whose than so if not no is are was were be been has have had do does can will
    every each any some very more most per vs"""
)
# A shortened phrase may stop right before one of these: a trailing modifier starts there.
MODIFIER_START = _words(
    """in on at for with across since into without through via during after while so that which who
    where when because to"""
)
HOST_LITERAL = re.compile(
    r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|\blocalhost(?::\d+)?\b|\b(?:[a-z0-9-]+\.)+[a-z]{2,}:\d{2,5}\b",
    re.IGNORECASE,
)
MARKUP_SPACING = re.compile(r"\w /\w|\w/ \w|\s[,.;:!?](?:\s|$)")


def texts_of(v: CopyVariant) -> list[str]:
    return [v.headline, v.primary_text, v.description, *v.headlines, *v.descriptions]


def headlines_of(v: CopyVariant) -> list[str]:
    return [v.headline, *v.headlines]


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("·", ".").replace("•", ".")
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return " ".join(text.lower().split()).rstrip(" .!")


def site_wording(profile: BrandProfile) -> list[str]:
    """Everything the site says, as the generator may quote it."""
    out = [profile.tagline, profile.description, *profile.value_propositions]
    out += re.split(r"(?<=[.!?])\s+", profile.description)
    for c in profile.claims:
        out.append(c.text)
        out += [e.quote for e in c.evidence]
    sp = profile.social_proof
    out += [t.quote for t in sp.testimonials]
    out += [c.text for c in sp.customer_counts]
    # The reader sees no markup: "Power your home with sunshine <script>…</script>" ends at "sunshine".
    out = [re.sub(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", "", t, flags=re.IGNORECASE | re.DOTALL) for t in out]
    return [t.strip() for t in out if t.strip()]


def cut_headline_problems(result: CopyResult, profile: BrandProfile) -> list[str]:
    """Headlines that stop on a connector, or are a site phrase cut off inside a phrase.

    A headline that starts a longer piece of site wording must end where that wording has a
    clause break or where a trailing modifier begins ("Trusted by 12,000 teams | in 40
    countries"), not before the noun its last word belongs to ("teams at fast-growing |
    companies").
    """
    wording = [_norm(t) for t in site_wording(profile)]
    brand = profile.brand_name.lower()
    problems: list[str] = []
    for v in result.variants:
        for h in headlines_of(v):
            if not h:
                continue
            last = re.sub(r"[^\w'’-]", "", h.split()[-1].lower())
            if last in DANGLING_END:
                problems.append(f"{v.id}: headline {h!r} ends on {last!r}")
            hn = _norm(h)
            if hn.startswith(f"{brand}: "):
                hn = hn[len(brand) + 2 :]
            if hn == brand or any(w == hn for w in wording):
                continue
            for w in wording:
                if not w.startswith(hn) or len(w) == len(hn):
                    continue
                rest = w[len(hn) :]
                if rest[0] in ",;:.!?)" or rest.startswith((" —", " –", " -")):
                    continue
                if not rest.startswith(" "):
                    problems.append(f"{v.id}: headline {h!r} cuts a word of {w!r}")
                    break
                following = rest.split()[0].strip(",.;:")
                if following not in MODIFIER_START:
                    problems.append(f"{v.id}: headline {h!r} cuts {w!r} before {following!r}")
                    break
    return problems


def address_problems(result: CopyResult) -> list[str]:
    return [
        f"{v.id}: {m.group(0)!r} in {t!r}"
        for v in result.variants
        for t in texts_of(v)
        if (m := HOST_LITERAL.search(t))
    ]


def filler_problems(result: CopyResult, profile: BrandProfile) -> list[str]:
    """Sentences that say nothing: a section heading run as a sentence, "That's Brand."."""
    brand = profile.brand_name
    problems: list[str] = []
    for v in result.variants:
        for t in texts_of(v):
            for sentence in re.split(r"(?<=[.!?])\s+", t):
                s = sentence.strip()
                if s in (f"That's {brand}.", f"That’s {brand}.") or f"{brand} in one line" in s:
                    problems.append(f"{v.id}: filler {s!r}")
                elif re.match(r"^(?:why|what|how)\b", s, re.IGNORECASE) and s.endswith("."):
                    problems.append(f"{v.id}: heading run as a sentence {s!r}")
    return problems


def spacing_problems(result: CopyResult) -> list[str]:
    return [
        f"{v.id}: markup spacing in {t!r}" for v in result.variants for t in texts_of(v) if MARKUP_SPACING.search(t)
    ]


def span_problems(result: CopyResult) -> list[str]:
    """Claim citations that are a lone word ("free", "Winner") instead of the phrase they support."""
    return [
        f"{v.id}: claim {u.claim_id} cited by the single word {u.span!r}"
        for v in result.variants
        for u in v.claims_used
        if len(u.span.split()) < 2
    ]


def proof_markers(profile: BrandProfile) -> list[str]:
    """Words that show a variant repeats the site's social proof: testimonial authors, rating
    values, review and customer counts."""
    sp = profile.social_proof
    out = [t.author for t in sp.testimonials if t.author and t.evidence]
    for r in sp.ratings:
        if r.evidence:
            out.append(f"{r.value:g}")
            if r.count:
                out.append(f"{r.count:,}")
    for cc in sp.customer_counts:
        if cc.evidence and cc.value:
            out.append(f"{cc.value:,}")
    return out


def social_proof_problems(result: CopyResult, profile: BrandProfile) -> list[str]:
    """Social-proof variants that quote neither a testimonial's author nor a rating or count (an
    award or a testimonial claim of the profile also counts), or that do not record the social
    proof they repeat."""
    markers = proof_markers(profile)
    proof_claims = {c.id for c in profile.claims if c.kind in (ClaimKind.AWARD, ClaimKind.TESTIMONIAL)}
    problems: list[str] = []
    for v in result.variants:
        if v.angle is not Angle.SOCIAL_PROOF or not markers:
            continue
        shown = " ".join(texts_of(v))
        if any(m in shown for m in markers):
            if not v.proof_used:
                problems.append(f"{v.id}: social proof variant records no proof_used")
        elif not any(u.claim_id in proof_claims for u in v.claims_used):
            problems.append(f"{v.id}: social proof without a testimonial, rating, count or award: {v.primary_text!r}")
    return problems
