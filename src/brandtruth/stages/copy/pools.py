"""Collecting what the template may say: every usable, grounded fragment of a profile, by kind."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from urllib.parse import urlsplit

from brandtruth.models.brand import BrandProfile, ClaimKind, Evidence
from brandtruth.models.copy import ClaimUse
from brandtruth.platforms import display_width
from brandtruth.stages.copy.fragments import (
    _COMPANY_PAGE,
    _FIRST_PERSON,
    _MARKUP,
    _NAV_CTA,
    _NEGATED_START,
    _NUMBER,
    _OFFER_KINDS,
    _OFFER_WORDS,
    _PAIN_WORDS,
    _PHONE,
    _PLAN_PAGE,
    _PRICE_START,
    _PROOF_WORDS,
    _RESOLUTION,
    _RESULT_WORDS,
    _UNIT,
    Fragment,
    _bare_price,
    _content,
    _mostly_non_latin,
    _numbers,
    _sentences,
)
from brandtruth.stages.copy.grounding import GroundingReport, SupportIndex, normalize_text
from brandtruth.stages.copy.phrasing import (
    display_domain,
    inner_phrases,
    is_heading,
    looks_english,
    shorter_phrases,
    tidy,
)


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
    return 3


_STRONG_OFFER = re.compile(r"\b((?<![-\w])free|trial|save|discount|deal)\b|%", re.IGNORECASE)


def _offer_rank(text: str) -> int:
    """Trials, free things and discounts lead; no-card/guarantee terms next; prices with their
    context after; pricing small print without an offer or a price is not ad material (3)."""
    if _STRONG_OFFER.search(text):
        return 0
    if _OFFER_WORDS.search(text):
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


def _claim_category(kind: ClaimKind, text: str, url: str, named_customer: bool) -> str:
    """Where a (non-offer) claim belongs: proof, trust, result, problem, minor or feature."""
    if named_customer or kind is ClaimKind.AWARD:
        return "proof"
    if kind in (ClaimKind.STATISTIC, ClaimKind.SUPERLATIVE, ClaimKind.COMPARISON) and _PROOF_WORDS.search(text):
        return "proof"
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


def build_pools(profile: BrandProfile, index: SupportIndex) -> Pools:
    """Collect and pre-check every usable fragment of the profile, best first."""
    skipped = 0
    seen: set[str] = set()
    sample = " ".join([profile.tagline, profile.description, *profile.value_propositions])
    sample += " " + " ".join(c.text for c in profile.claims[:12])
    non_latin = _mostly_non_latin(sample)
    verbatim = non_latin or not looks_english(sample)
    # Quotes as the site writes them: „German“ or “English”.
    quoted_text = " ".join(
        [sample, *(t.quote for t in profile.social_proof.testimonials)]
        + [e.quote for t in profile.social_proof.testimonials for e in t.evidence]
        + [c.text for c in profile.claims if c.kind is ClaimKind.TESTIMONIAL]
    )
    opening, closing = ("„", "“") if "„" in quoted_text else ("“", "”")
    brand = tidy(profile.brand_name)

    def frag(
        text: str,
        claim_id: str | None = None,
        author: str = "",
        max_width: int = 150,
        conditional: bool = False,
        section: str = "",
        allow_heading: bool = False,
        clause_fallback: bool = False,
    ) -> Fragment | None:
        nonlocal skipped
        text = tidy(text)
        if len(text) < 3 or display_width(text) > max_width:
            return None
        if not allow_heading and is_heading(text, brand):
            return None
        key = normalize_text(text).rstrip(".!")
        if key in seen:
            return None
        report = _grounded(index, text)
        if report is None and clause_fallback:
            # "Frische Brötchen, süße Stückchen und Café crème – seit 1952": the year has no
            # evidence, the leading clause says nothing that needs any.
            for short in shorter_phrases(text.rstrip(".!"), True):
                key = normalize_text(short)
                if key not in seen and (report := _grounded(index, short)) is not None:
                    text = short
                    break
        if report is None:
            skipped += 1
            return None
        seen.add(key)
        uses = list(report.claims_used)
        if claim_id and not any(u.claim_id == claim_id for u in uses):
            uses.insert(0, ClaimUse(claim_id=claim_id, span=text.rstrip(" .")))
        return Fragment(text, tuple(uses), author, conditional, section, opening, closing)

    def quoted(quote: str, claim_id: str | None = None, author: str = "") -> Fragment | None:
        inner = tidy(quote).strip('"“”„«»')
        if not inner:
            return None
        return frag(f"{opening}{inner}{closing}", claim_id, author=author, max_width=400, allow_heading=True)

    sp = profile.social_proof
    # Testimonials: the site's own (with who said it) before the bare testimonial claims, so the
    # attribution survives de-duplication.
    testimonials: list[Fragment] = []
    for tm in sp.testimonials:
        if not tm.evidence:
            continue
        # "Jürgen Maier, Stammkunde seit 1998": a year in the byline would be a claim of its own.
        second = tm.company or (tm.role if tm.role and not re.search(r"\d", tm.role) else None)
        who = ", ".join(tidy(x) for x in (tm.author, second) if x)
        if (f := quoted(tm.quote, author=who)) is not None:
            testimonials.append(f)

    proof: list[Fragment] = []
    for r in sp.ratings:
        if not r.evidence:
            continue
        where = _rating_platform([e.quote for e in r.evidence], r.source)
        passing = [o for o in _rating_options(r.value, r.scale, r.count, where) if _grounded(index, o) is not None]
        if passing and (f := frag(passing[0])) is not None:
            # The other wordings ("Rated 4.8/5") are shorter headlines for the same rating.
            proof.append(replace(f, alts=tuple(passing[1:])))
    for cc in sp.customer_counts:
        if not cc.evidence:
            continue
        text = _count_phrase(tidy(cc.text))
        # "12,000+ teams" is a label; the site's own "Trusted by 12,000+ teams" is a sentence.
        options = [text, *inner_phrases(text)]
        if _PRICE_START.match(text) or text[:1].isdigit():
            options = [p for e in cc.evidence for p in inner_phrases(tidy(e.quote))] + options
        for option in options:
            if (f := frag(option)) is not None:
                proof.append(f)
                break

    logos = {normalize_text(lg.name) for lg in sp.customer_logos if lg.name}
    logos |= {normalize_text(t.company) for t in sp.testimonials if t.company}

    def named_customer(text: str) -> bool:
        low = normalize_text(text)
        return any(low.startswith(name) for name in logos if name)

    features: list[Fragment] = []
    # Company facts (headcount, offices) and plan limits ("5 data sources"): true, but only
    # worth a feature ad of their own after everything else, never a headline elsewhere.
    minor: list[Fragment] = []
    offers: list[tuple[int, Fragment]] = []
    results: list[Fragment] = []
    problems: list[Fragment] = []
    claim_proof: list[Fragment] = []
    certifications: list[Fragment] = []
    prices: list[Fragment] = []
    forbidden = {c.id for c in index.forbidden}
    vp_keys = {normalize_text(tidy(v)).rstrip(".!") for v in profile.value_propositions}
    # A value proposition that is only the heading of claims the run may not use ("Good for
    # you" above a health claim) would imply that claim, so it is not said either.
    allowed_sections = {normalize_text(e.section) for c in profile.claims if c.id not in forbidden for e in c.evidence}
    implied = {normalize_text(e.section).rstrip(".!") for c in index.forbidden for e in c.evidence} - allowed_sections
    vp_claims: dict[str, Fragment] = {}
    for claim in profile.claims:
        if claim.id in forbidden:
            continue
        ev: Evidence = claim.evidence[0]
        if claim.kind is ClaimKind.TESTIMONIAL:
            for q in [claim.text, *(e.quote for e in claim.evidence)]:
                if (f := quoted(q, claim.id)) is not None:
                    testimonials.append(f)
                    break
            continue
        text = tidy(claim.text)
        if verbatim and len(text.split()) <= 3 and normalize_text(text) == normalize_text(ev.section):
            continue  # a section title ("Süße Stückchen") in a language the heading rules do not read
        is_offer = claim.kind in _OFFER_KINDS or bool(_OFFER_WORDS.search(text))
        f = None
        for t in [claim.text, *sorted((e.quote for e in claim.evidence), key=len)]:
            f = frag(t, claim.id, conditional=is_offer, section=ev.section)
            if f is not None:
                break
        if f is None:
            continue
        kind = "offer" if is_offer else _claim_category(claim.kind, f.text, ev.url, named_customer(f.text))
        key = normalize_text(f.text).rstrip(".!")
        if key in vp_keys and kind in ("feature", "result", "minor", "problem"):
            vp_claims[key] = f  # said as the value proposition it also is
            continue
        if kind == "offer":
            if _bare_price(f.text):
                # Without the product it buys, a price is at most a description line, and only
                # with its unit ("$29/user/month", never a bare "3,20 €").
                if _UNIT.search(f.text):
                    prices.append(f)
                continue
            rank = _offer_rank(f.text)
            if rank < 3:
                offers.append((rank, f))
        else:
            {
                "proof": claim_proof,
                "trust": certifications,
                "result": results,
                "problem": problems,
                "minor": minor,
                "feature": features,
            }[kind].append(f)

    # The same rating or count said three ways on a site is one piece of proof, not three.
    proof_all: list[Fragment] = []
    signatures: list[frozenset[Decimal]] = []
    for f in [*proof, *claim_proof]:
        nums = _numbers(" ".join([f.text, *f.alts]))
        if nums and any(nums <= s for s in signatures):
            continue
        if nums:
            signatures.append(nums)
        proof_all.append(f)

    vps: list[Fragment] = []
    for v in profile.value_propositions:
        key = normalize_text(tidy(v)).rstrip(".!")
        if key in implied:
            continue
        f = vp_claims.pop(key, None) or frag(v, clause_fallback=True)
        if f is None:
            continue
        if _OFFER_WORDS.search(f.text):
            offers.append((_offer_rank(f.text), Fragment(f.text, f.uses, conditional=True)))
        elif _PROOF_WORDS.search(f.text) and _NUMBER.search(f.text):
            proof_all.append(f)
        else:
            vps.append(f)
    vps += results

    # "Start free for 14 days", "Every plan starts with a 14-day free trial", "Try it free for
    # 14 days": one offer said three ways is one item; the other wordings can still head it.
    offer_items: list[Fragment] = []
    offer_alts: list[Fragment] = []
    offer_sigs: list[tuple[frozenset[Decimal], frozenset[str]]] = []
    cta_words = [_content(c) for c in profile.site_ctas]
    for _, f in sorted(offers, key=lambda x: x[0]):
        if len(f.text.split()) <= 3 and not _NUMBER.search(f.text) and any(_content(f.text) <= w for w in cta_words):
            offer_alts.append(f)  # "Start free." is the site's button, not an offer to lead with
            continue
        sig = (_numbers(f.text), frozenset(m.group(0).lower() for m in _OFFER_WORDS.finditer(f.text)))
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
            offer_items.append(f)
        elif len(f.text) > len(offer_items[same].text) and len(f.text.split()) <= 12:
            # The fullest wording of one offer leads ("Every plan starts with a 14-day free
            # trial." over "Start free for 14 days."); the others can still head it.
            offer_alts.append(offer_items[same])
            offer_items[same] = f
        else:
            offer_alts.append(f)

    tagline = frag(profile.tagline, clause_fallback=True) if profile.tagline else None
    about: list[Fragment] = []
    for sentence in _sentences(tidy(profile.description))[:3]:
        if (f := frag(sentence, clause_fallback=True)) is None:
            continue
        if _OFFER_WORDS.search(f.text) and _offer_rank(f.text) < 3:
            offer_items.append(replace(f, conditional=True))  # "Free site survey." is an offer
        else:
            about.append(f)
    if tagline is None and about:
        tagline = about.pop(0)

    markup = " ".join(m.group(0).lower() for t in (profile.tagline, profile.description) for m in _MARKUP.finditer(t))
    key_terms: list[str] = []
    for term in profile.key_terms:
        t = tidy(term)
        if (
            t
            and len(t) <= 30
            and normalize_text(t) != normalize_text(profile.brand_name)
            and t.lower() not in markup
            and _grounded(index, t) is not None
            and normalize_text(t) not in (normalize_text(k) for k in key_terms)
        ):
            key_terms.append(t)

    site_ctas: list[str] = []
    for cta in profile.site_ctas:
        c = tidy(cta)
        if (
            c
            and len(c) <= 32
            and not _NAV_CTA.search(c)
            and _grounded(index, c) is not None
            and normalize_text(c) not in (normalize_text(x) for x in site_ctas)
        ):
            site_ctas.append(c)
    site_ctas.sort(key=_cta_rank)

    tone = profile.tone
    return Pools(
        brand=brand or display_domain(profile.url) or (urlsplit(profile.url).hostname or ""),
        domain=display_domain(profile.url),
        vps=vps,
        proof=proof_all,
        testimonials=testimonials,
        features=features,
        minor=minor,
        offers=offer_items,
        offer_alts=offer_alts,
        prices=prices,
        trust=certifications,
        about=about,
        tagline=tagline,
        key_terms=key_terms,
        site_ctas=site_ctas,
        exclaim=(tone.exclamation_rate or 0.0) >= 0.15,
        verbatim=verbatim,
        formal=(tone.reading_ease is not None and tone.reading_ease < 40) or "formal" in tone.summary.lower(),
        problems=problems,
        corpus=" ".join([sample, *(e.quote for c in profile.claims for e in c.evidence)]),
        skipped=skipped,
    )
