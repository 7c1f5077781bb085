"""Social proof: testimonials, ratings, customer counts and customer logos, each with evidence.

Sources, strongest first: JSON-LD / microdata (`AggregateRating`, `Review`), then visible text in
testimonial-like containers (class/id/aria-label mentioning testimonial, review or quote, or a
`<blockquote>`), then patterns in any text ("4.8 out of 5", "Trusted by 12,000 teams"). Evidence
quotes are always cut from a page's text blocks, so they are verbatim; a JSON-LD rating whose number
does not appear in the visible text is kept without evidence (it is still the site's own statement).

`Rating.source` says how a rating was read ("json-ld" or "text"); `Rating.platform` says where it
comes from ("G2", "Google", "Trustpilot"…) when the JSON-LD or the rating's sentence names it.
A testimonial's attribution separates employer (`company`) from place (`location`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from brandtruth.models.brand import CustomerCount, CustomerLogo, Evidence, Rating, SocialProof, Testimonial
from brandtruth.stages.extract.claims import TESTIMONIAL_HINT, is_testimonial_block, strip_leading_figure, trim_quote
from brandtruth.stages.extract.page import Block, PageDoc, sentences
from brandtruth.stages.extract.structured import StructuredData, number_of, text_of

_DIGIT = re.compile(r"\d")
MAX_TESTIMONIALS = 8
MAX_LOGOS = 12

_RATING_TEXT = re.compile(
    r"(?:rated\s+)?(?P<value>\d(?:[.,]\d{1,2})?)\s*(?:/|out of|of)\s*(?P<scale>5|10)(?:\s*stars?)?"
    r"(?:[^.]{0,40}?(?:from|based on|across|with)?\s*"
    r"(?P<count>\d[\d,.]*\s?[kK]?\+?)\s*(?:reviews|ratings|customers))?",
    re.IGNORECASE,
)
_STARS_TEXT = re.compile(
    r"(?P<value>\d(?:\.\d)?)\s*(?:★|stars?)\s*(?:\(|from|based on)?\s*"
    r"(?P<count>\d[\d,.]*\s?[kK]?\+?)?\s*(?:reviews|ratings)?",
    re.IGNORECASE,
)
_CUSTOMER_COUNT = re.compile(
    r"(?P<num>\d[\d,.]*\s?(?:k|K|m|M|million|thousand)?\+?)\s+(?:[a-zA-Z-]+\s){0,3}?"
    r"(?P<noun>customers|users|clients|members|shoppers|homeowners|families|patients|students|subscribers|"
    r"households|homes|restaurants|stores|shops|cafés|cafes|researchers|universities|schools|clinics|"
    r"hospitals|practices|agencies|nonprofits|hotels|gyms|studios|salons|readers|listeners|players|"
    r"teams|companies|businesses|brands|people|organi[sz]ations|merchants|creators|developers)\b",
)
# Nouns that only count as customers when the sentence says so ("140 people" may be the staff).
_WEAK_NOUNS = frozenset(
    {
        "teams",
        "companies",
        "businesses",
        "brands",
        "people",
        "organizations",
        "organisations",
        "merchants",
        "creators",
        "developers",
    }
)
_CUSTOMER_VERB = re.compile(
    r"\b(trusted|trust|join|joined|used by|loved by|chosen|chose|served|serving|rely|relied|customers|happy|"
    r"use us|run on|switched)\b",
    re.IGNORECASE,
)
_QUOTE_MARKS = "\"“”‘’'«»"
_ATTRIBUTION_SPLIT = re.compile(r"\s*(?:,|—|–|-|\|| at )\s*")
_LOGO_SECTION = re.compile(r"logo|customers|clients|trusted|partners|brands|as-seen|press|featured")


def _parse_count(text: str) -> int | None:
    raw = text.strip().rstrip("+").replace(",", "").strip()
    multiplier = 1
    lowered = raw.lower()
    for suffix, factor in (("million", 1_000_000), ("thousand", 1000), ("k", 1000), ("m", 1_000_000)):
        if lowered.endswith(suffix):
            multiplier = factor
            raw = raw[: -len(suffix)].strip()
            break
    try:
        return int(float(raw) * multiplier)
    except ValueError:
        return None


def _evidence(page: PageDoc, block: Block, quote: str) -> Evidence:
    return Evidence(url=page.url, quote=trim_quote(quote), section=block.heading or block.landmark)


@dataclass
class Attribution:
    author: str | None = None
    role: str | None = None
    company: str | None = None
    location: str | None = None


# Two-letter US state / Canadian province codes and state/country names: "Austin, TX" is a place.
_REGION = re.compile(
    r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|"
    r"OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|UK|USA|U\.S\.?|"
    r"Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    r"Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|"
    r"Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|"
    r"North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|"
    r"South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|"
    r"Ontario|Quebec|British Columbia|Alberta|England|Scotland|Wales|Ireland|Canada|Australia)"
)
# Roles of people who buy as private persons: what follows them is where they live, not an employer
# ("Jennifer S., Homeowner, North End Tacoma"; "Karen, subscriber since 2021, Minneapolis").
_PRIVATE_ROLE = re.compile(
    r"^(?:verified\s+)?(?:home\s?owners?|homeowner|subscribers?|customers?|buyers?|purchasers?|shoppers?|"
    r"residents?|renters?|tenants?|patients?|parents?|mom|mum|dad|mother|father|students?|guests?|"
    r"members?|clients?|travell?ers?|diners?|readers?|listeners?|fans?|retirees?|users?|owners? of (?:a|an|the) "
    r"(?:home|house|condo|dog|cat))\b",
    re.IGNORECASE,
)
# A part reads as an organisation when it ends in an organisation word ("Copper Pot Bistro", "Halcyon
# Freight Inc") or starts "University of …"; "University Place" (a town) does neither.
_ORG_WORD = re.compile(
    r"(?:\b(?:inc|llc|ltd|gmbh|corp|co|company|group|labs?|studios?|bistro|café|cafe|restaurant|bank|university|"
    r"college|school|hospital|clinic|agency|partners|holdings|foods|grocers|fitness|rentals|realty|institute|"
    r"foundation)\.?$|^(?:university|college|school|institute) of\b)",
    re.IGNORECASE,
)


def _is_region(part: str) -> bool:
    return _REGION.fullmatch(part) is not None


def _split_attribution(text: str) -> Attribution:
    """ "Priya Raman, VP Finance, Halcyon Freight" → author, role, company; "Karen Lindqvist,
    subscriber since 2021, Minneapolis" and "Sam Lee — Austin, TX" → author, role, location.

    A trailing "City, ST" (state/province code or name) is a place. After a private person's role
    (homeowner, subscriber, verified buyer…) the rest is where they live: such people name a town,
    not an employer, unless the part reads as an organisation ("… Bistro", "… Inc").
    """
    cleaned = text.strip().lstrip("—–-~ ").strip()
    if not cleaned or len(cleaned) > 120:
        return Attribution()
    parts = [p.strip() for p in _ATTRIBUTION_SPLIT.split(cleaned) if p.strip()]
    if not parts:
        return Attribution()
    out = Attribution(author=parts[0])
    rest = parts[1:]
    if len(rest) >= 2 and _is_region(rest[-1]):
        out.location = ", ".join(rest[-2:])
        rest = rest[:-2]
    elif len(rest) == 1 and _is_region(rest[0]):
        out.location, rest = rest[0], []
    if rest:
        out.role = rest[0]
        others = rest[1:]
        if len(rest) == 1:
            owner_of = _OWNER_OF.match(out.role)  # "owner of Northbound Café"
            if owner_of:
                out.role, out.company = owner_of.group(1), owner_of.group(2)
        elif others:
            joined = ", ".join(others)
            if out.location is None and _PRIVATE_ROLE.match(out.role) and not _ORG_WORD.search(joined):
                out.location = joined
            else:
                out.company = joined
    return out


_OWNER_OF = re.compile(
    r"^(owner|co-?owner|founder|co-?founder|ceo|president|chef|partner|proprietor) of (\S.+)$", re.IGNORECASE
)


def _looks_like_attribution(block: Block) -> bool:
    words = len(block.text.split())
    return 1 <= words <= 14 and not block.text.endswith((".", "!", "?")) and block.text[0] not in _QUOTE_MARKS


def testimonials(pages: list[PageDoc], structured: list[StructuredData]) -> list[Testimonial]:
    out: list[Testimonial] = []
    seen: set[str] = set()
    for page in pages:
        blocks = page.blocks
        for i, block in enumerate(blocks):
            if not is_testimonial_block(block) or len(block.text.split()) < 4:
                continue
            quote = block.text.strip(_QUOTE_MARKS + " ")
            key = quote.lower()[:80]
            if key in seen or not quote:
                continue
            seen.add(key)
            who = Attribution()
            for follower in blocks[i + 1 : i + 3]:
                if TESTIMONIAL_HINT.search(follower.hints) and _looks_like_attribution(follower):
                    who = _split_attribution(follower.text)
                    break
            out.append(
                Testimonial(
                    quote=trim_quote(quote),
                    author=who.author,
                    role=who.role,
                    company=who.company,
                    location=who.location,
                    evidence=[_evidence(page, block, quote)],
                )
            )
            if len(out) >= MAX_TESTIMONIALS:
                return out
    # JSON-LD reviews whose body is visible on a page (otherwise they are not verbatim evidence).
    for page, data in zip(pages, structured, strict=False):
        for review in data.of_type("review"):
            body = text_of(review.get("reviewBody") or review.get("description"))
            if not body or body.lower()[:80] in seen:
                continue
            holder = next((b for b in page.blocks if body in b.text), None)
            if holder is None:
                continue
            seen.add(body.lower()[:80])
            out.append(
                Testimonial(
                    quote=trim_quote(body),
                    author=text_of(review.get("author")) or None,
                    evidence=[_evidence(page, holder, body)],
                )
            )
            if len(out) >= MAX_TESTIMONIALS:
                return out
    return out


def _find_sentence(page: PageDoc, needle_pattern: re.Pattern[str]) -> tuple[Block, str] | None:
    for block in page.blocks:
        if needle_pattern.search(block.text):
            for sentence in sentences(block.text):
                sentence = strip_leading_figure(sentence)
                if needle_pattern.search(sentence):
                    return block, sentence
    return None


# Review platforms a rating may come from, as sites write them. Case-sensitive on purpose: "Google
# reviews" names the platform, "google it" does not. Longer names first ("Google Play" before "Google").
_PLATFORMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("Google Play", r"\bGoogle Play\b"),
        ("App Store", r"\bApp Store\b"),
        ("Software Advice", r"\bSoftware Advice\b"),
        ("Product Hunt", r"\bProduct ?Hunt\b"),
        ("G2", r"\bG2(?: Crowd)?\b"),
        ("Google", r"\bGoogle\b"),
        ("Trustpilot", r"\b(?:Trustpilot|TrustPilot)\b"),
        ("Capterra", r"\bCapterra\b"),
        ("GetApp", r"\bGetApp\b"),
        ("TrustRadius", r"\bTrustRadius\b"),
        ("Yelp", r"\bYelp\b"),
        ("Amazon", r"\bAmazon\b"),
        ("Facebook", r"\bFacebook\b"),
        ("Tripadvisor", r"\b(?:Tripadvisor|TripAdvisor)\b"),
        ("Feefo", r"\bFeefo\b"),
        ("Reviews.io", r"\bReviews\.io\b"),
        ("Yotpo", r"\bYotpo\b"),
        ("Judge.me", r"\bJudge\.me\b"),
        ("Bazaarvoice", r"\bBazaarvoice\b"),
        ("Glassdoor", r"\bGlassdoor\b"),
        ("Houzz", r"\bHouzz\b"),
        ("Angi", r"\bAngi(?:'s List)?\b"),
        ("HomeAdvisor", r"\bHomeAdvisor\b"),
        ("Thumbtack", r"\bThumbtack\b"),
        ("Checkatrade", r"\bCheckatrade\b"),
        ("Zocdoc", r"\b(?:Zocdoc|ZocDoc)\b"),
        ("Healthgrades", r"\bHealthgrades\b"),
        ("OpenTable", r"\bOpenTable\b"),
        ("Booking.com", r"\bBooking\.com\b"),
        ("Etsy", r"\bEtsy\b"),
    )
)


def rating_platform(*texts: str) -> str | None:
    """The review platform named in the first text that names one (JSON-LD author/publisher, then
    the rating's own sentence), or None: a rating the page does not attribute stays unattributed."""
    for text in texts:
        if not text:
            continue
        for name, pattern in _PLATFORMS:
            if pattern.search(text):
                return name
    return None


def _structured_ratings(page: PageDoc, data: StructuredData, pages: list[PageDoc]) -> list[Rating]:
    out: list[Rating] = []
    for item in data.of_type("aggregaterating"):
        value = number_of(item.get("ratingValue"))
        if value is None:
            continue
        scale = number_of(item.get("bestRating")) or 5.0
        count = number_of(item.get("ratingCount") or item.get("reviewCount"))
        value_text = text_of(item.get("ratingValue"))
        near = re.compile(rf"(?<![\d.]){re.escape(value_text)}(?![\d]).{{0,24}}(/|out of|star|★)", re.IGNORECASE)
        evidence: list[Evidence] = []
        for candidate in [page, *(p for p in pages if p is not page)]:  # this page first
            found = _find_sentence(candidate, near)
            if found is not None:
                evidence = [_evidence(candidate, found[0], found[1])]
                break
        named_by = " ".join(text_of(item.get(key)) for key in ("author", "publisher", "provider", "name"))
        out.append(
            Rating(
                value=value,
                scale=scale,
                count=int(count) if count is not None else None,
                source="json-ld",
                platform=rating_platform(named_by, *(e.quote for e in evidence)),
                evidence=evidence,
            )
        )
    return out


def _text_ratings(page: PageDoc) -> list[Rating]:
    out: list[Rating] = []
    seen: set[str] = set()
    for block in page.blocks:
        if block.landmark == "nav" or block.text in seen or not _DIGIT.search(block.text):
            continue
        seen.add(block.text)
        taken: list[tuple[int, int]] = []  # spans already read, so "4.9 out of 5 stars" is one rating
        for pattern in (_RATING_TEXT, _STARS_TEXT):
            for match in pattern.finditer(block.text):
                if any(match.start() < end and start < match.end() for start, end in taken):
                    continue
                taken.append(match.span())
                try:
                    value = float(match.group("value").replace(",", "."))
                    scale = float(match.groupdict().get("scale") or 5)
                except (TypeError, ValueError):
                    continue
                if value > scale or value <= 0:
                    continue
                count_text = match.group("count")
                sentence = next((s for s in sentences(block.text) if match.group(0).strip() in s), block.text)
                sentence = strip_leading_figure(sentence)
                out.append(
                    Rating(
                        value=value,
                        scale=scale,
                        count=_parse_count(count_text) if count_text else None,
                        source="text",
                        platform=rating_platform(sentence),
                        evidence=[_evidence(page, block, sentence)],
                    )
                )
    return out


def ratings(pages: list[PageDoc], structured: list[StructuredData]) -> list[Rating]:
    """Ratings in page order (the start page's first, so the site-wide rating leads); on each page
    the structured AggregateRating first, then ratings stated in the text. Duplicates (same value
    and scale) keep the first, with the count filled in from a later duplicate if missing."""
    out: list[Rating] = []
    for index, page in enumerate(pages):
        data = structured[index] if index < len(structured) else StructuredData()
        for rating in [*_structured_ratings(page, data, pages), *_text_ratings(page)]:
            same = next(
                (
                    r
                    for r in out
                    if (r.value, r.scale) == (rating.value, rating.scale)
                    and (r.platform is None or rating.platform is None or r.platform == rating.platform)
                ),
                None,
            )
            if same is None:
                out.append(rating)
            else:
                if same.count is None and rating.count is not None:
                    same.count = rating.count
                if not same.evidence and rating.evidence:
                    same.evidence = rating.evidence
                if same.platform is None and rating.platform is not None:
                    same.platform = rating.platform
    return out[:6]


_CLAUSE_BREAK = re.compile(r"\s*(?:[;:·|•]|\s[—–]\s|,\s)\s*")


def _count_phrase(sentence: str, match: re.Match[str]) -> str:
    """The site's own words for a customer count: the whole sentence when it is short, otherwise
    the clause holding the number ("Trusted by 12,000 finance and ops teams"), never a bare regex
    match. Both are verbatim substrings of the sentence, so they can be quoted as evidence."""
    if len(sentence) <= 160:
        return sentence
    start, end = 0, len(sentence)
    for brk in _CLAUSE_BREAK.finditer(sentence):
        if brk.end() <= match.start():
            start = brk.end()
        elif brk.start() >= match.end():
            end = brk.start()
            break
    clause = sentence[start:end].strip()
    return clause if len(clause) <= 160 else trim_quote(sentence[match.start() :], 160)


def customer_counts(pages: list[PageDoc]) -> list[CustomerCount]:
    """Customer counts ("Trusted by 8,500 restaurants"): `text` is a verbatim phrase of the page
    (a stat card's glued figure removed, see `strip_leading_figure`) and `value` the parsed number."""
    out: list[CustomerCount] = []
    seen: set[int] = set()
    for page in pages:
        for block in page.blocks:
            if block.landmark == "nav" or block.in_link or not _DIGIT.search(block.text):
                continue
            for sentence in sentences(block.text):
                sentence = strip_leading_figure(sentence)
                match = _CUSTOMER_COUNT.search(sentence)
                if match is None:
                    continue
                if match.group("noun").lower() in _WEAK_NOUNS and not _CUSTOMER_VERB.search(sentence):
                    continue
                value = _parse_count(match.group("num"))
                if value is None or value < 10 or value in seen:
                    continue
                seen.add(value)
                phrase = _count_phrase(sentence, match)
                out.append(CustomerCount(text=phrase, value=value, evidence=[_evidence(page, block, phrase)]))
    return out[:6]


def customer_logos(pages: list[PageDoc]) -> list[CustomerLogo]:
    out: list[CustomerLogo] = []
    seen: set[str] = set()
    for page in pages:
        for image in page.images:
            context = f"{image.hints} {image.heading}"
            if not _LOGO_SECTION.search(context.lower()) or image.landmark in {"header", "nav"}:
                continue
            if "logo" in image.hints and "brand" in image.hints:
                continue  # the site's own logo
            name = re.sub(r"\blogo\b", "", image.alt, flags=re.IGNORECASE).strip(" -–|")
            if not name or name.lower() in seen or len(name) > 60:
                continue
            seen.add(name.lower())
            out.append(CustomerLogo(name=name, url=image.src))
            if len(out) >= MAX_LOGOS:
                return out
    return out


def extract_social_proof(pages: list[PageDoc], structured: list[StructuredData]) -> SocialProof:
    return SocialProof(
        testimonials=testimonials(pages, structured),
        ratings=ratings(pages, structured),
        customer_counts=customer_counts(pages),
        customer_logos=customer_logos(pages),
    )


def json_value(item: dict[str, Any], *keys: str) -> str:
    for key in keys:
        text = text_of(item.get(key))
        if text:
            return text
    return ""
