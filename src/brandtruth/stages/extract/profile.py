"""Assembling the BrandProfile: which signal each field comes from, and how sure we are.

`analyse_pages` is the CPU-bound half (parse, structured data, claims, social proof, tone, industry,
key terms, language, the main action) and runs in a worker thread. Claims, social proof, value
propositions and the tagline are read from the pages without their site chrome (`chrome.py`: consent
banners, menus, search, comment and newsletter forms, share widgets …). `assemble_profile` adds the
downloaded assets, records a `FieldSource` per field, an overall confidence and the warnings, and
keeps the payload compact (it travels through Temporal history, so it stays well under 100 KB).

Field precedence (first available wins; confidence in brackets):
  brand_name   JSON-LD Organization name (0.95) › og:site_name (0.9) › application-name (0.8) ›
               the title segment shared by all pages (0.7) › the header logo's accessible name (0.65) ›
               start page title's brand segment (0.5) › domain name (0.3); never a file name or an
               article title, with a warning when only the title or domain named it (brand_name.py)
  language     <html lang> / Content-Language / og:locale, checked against the text (language.py)
  primary_action  the first content button at or after the main heading (actions.py)
  tagline      JSON-LD slogan (0.9) › start page <h1> unless it is the brand name (0.8) ›
               title segment beside the brand name (0.6) › og:title minus the brand (0.5) ›
               first sentence of the meta description (0.4)
  description  meta description (0.85) › og:description (0.8) › JSON-LD description (0.75) ›
               first substantial paragraph of the main text (0.5)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from brandtruth.models.brand import (
    BrandAssets,
    BrandProfile,
    Claim,
    ClaimKind,
    FieldSource,
    Industry,
    PageInfo,
    Risk,
    SocialProof,
    Tone,
)
from brandtruth.stages.extract import chrome
from brandtruth.stages.extract.actions import button_classes, primary_action, site_ctas
from brandtruth.stages.extract.brand_name import choose_brand_name, title_parts
from brandtruth.stages.extract.claims import assess_risk, classify_kind, extract_claims
from brandtruth.stages.extract.colors import CssFacts
from brandtruth.stages.extract.industry import classify_industry
from brandtruth.stages.extract.language import page_language
from brandtruth.stages.extract.page import HEADING_TAGS, PageDoc, normalise_ws, parse_page, sentences
from brandtruth.stages.extract.repeated import mark_repeated
from brandtruth.stages.extract.social_proof import extract_social_proof
from brandtruth.stages.extract.structured import StructuredData, extract_structured, organization, text_of
from brandtruth.stages.extract.tone import measure_tone
from brandtruth.web.fetcher import FetchedPage

MAX_PAYLOAD_BYTES = 90_000
_AUDIENCE = re.compile(
    r"\b(?:built for|designed for|made for|for|helps|helping)\s+"
    r"((?:[A-Za-z][\w'’-]*,?\s+(?:and\s+|&\s+)?){0,5}?"
    r"(?:teams|companies|businesses|startups|founders|marketers|developers|engineers|parents|families|homeowners|"
    r"owners|people|professionals|creators|brands|retailers|shops|agencies|clinics|patients|students|teachers|"
    r"schools|restaurants|cooks|runners|athletes|travellers|travelers|pets|dogs|cats|women|men|kids|"
    r"organi[sz]ations|nonprofits|leaders|managers|freelancers|households|drinkers|lovers|enthusiasts)\b"
    r"(?:\s+(?:who|that)\s+[\w'’-]+(?:\s+[\w'’-]+){0,3})?)",
    re.IGNORECASE,
)
_GENERIC_HEADINGS = re.compile(
    r"(\bsays?\b|testimonials|reviews|pricing|plans|faq|frequently asked|questions|contact|get started|"
    r"sign up|newsletter|subscribe|follow us|our team|careers|blog|news|menu|product|company|resources|legal)",
    re.IGNORECASE,
)


# Class names of review and testimonial sections: their heading introduces what customers say.
_PROOF_SECTION = re.compile(
    r"review|testimoni|t[eé]moign|opinion|rezension|bewertung|kundenstimme|avis|recensioni|ervaring|depoimento|quote",
    re.IGNORECASE,
)

_GENERIC_WORDS = frozenset(
    {
        "free",
        "time",
        "today",
        "start",
        "learn",
        "more",
        "every",
        "first",
        "great",
        "years",
        "people",
        "things",
        "works",
        "using",
        "makes",
        "better",
        "world",
        "team",
        "teams",
        "price",
        "plans",
        "support",
        "customers",
    }
)


@dataclass
class Analysis:
    """Everything derived from page text and markup, before any asset download."""

    docs: list[PageDoc]
    structured: list[StructuredData]
    brand_name: str
    tagline: str
    description: str
    target_audience: str
    value_propositions: list[str]
    key_terms: list[str]
    site_ctas: list[str]
    industry: Industry | None
    claims: list[Claim]
    social_proof: SocialProof
    tone: Tone
    main_text: str
    primary_action: str = ""
    language: str = ""
    sources: dict[str, FieldSource] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _source(sources: dict[str, FieldSource], name: str, source: str, confidence: float) -> None:
    sources[name] = FieldSource(source=source, confidence=round(confidence, 2))


def _same_text(a: str, b: str) -> bool:
    return re.sub(r"\W+", "", a.lower()) == re.sub(r"\W+", "", b.lower())


def choose_tagline(
    docs: list[PageDoc], structured: list[StructuredData], brand: str, sources: dict[str, FieldSource]
) -> str:
    start = docs[0]
    org = organization(structured[0]) if structured else None
    if org is not None and text_of(org.get("slogan")):
        _source(sources, "tagline", "json-ld slogan", 0.9)
        return text_of(org.get("slogan"))[:200]
    h1s = [b for b in start.headings("h1") if b.landmark not in {"nav", "footer"}]
    for h1 in h1s[:2]:
        words = len(h1.text.split())
        if not _same_text(h1.text, brand) and 2 <= words <= 18:
            _source(sources, "tagline", "h1", 0.8)
            return h1.text[:200]
    for part in title_parts(start.title):
        if not _same_text(part, brand) and len(part.split()) >= 2 and brand.lower() not in part.lower():
            _source(sources, "tagline", "title", 0.6)
            return part[:200]
    og_title = start.meta.get("og:title", "")
    for part in title_parts(og_title):
        if not _same_text(part, brand) and len(part.split()) >= 2:
            _source(sources, "tagline", "og:title", 0.5)
            return part[:200]
    description = start.meta.get("description", "")
    if description:
        _source(sources, "tagline", "meta description", 0.4)
        return sentences(description)[0][:200]
    return ""


def choose_description(
    docs: list[PageDoc], structured: list[StructuredData], main_text: str, sources: dict[str, FieldSource]
) -> str:
    start = docs[0]
    for key, label, confidence in (
        ("description", "meta description", 0.85),
        ("og:description", "og:description", 0.8),
    ):
        value = start.meta.get(key) or (structured[0].opengraph.get(key) if structured else None)
        if value:
            _source(sources, "description", label, confidence)
            return value[:500]
    org = organization(structured[0]) if structured else None
    if org is not None and text_of(org.get("description")):
        _source(sources, "description", "json-ld description", 0.75)
        return text_of(org.get("description"))[:500]
    for block in start.blocks:
        if block.tag == "p" and block.landmark not in {"nav", "footer", "header"} and len(block.text.split()) >= 12:
            _source(sources, "description", "first paragraph", 0.5)
            return block.text[:500]
    if main_text:
        _source(sources, "description", "main text", 0.3)
        return normalise_ws(main_text)[:300]
    return ""


def choose_audience(texts: list[str], sources: dict[str, FieldSource]) -> str:
    for text in texts:
        match = _AUDIENCE.search(text)
        if match:
            _source(sources, "target_audience", "text pattern 'for …'", 0.5)
            return normalise_ws(match.group(1)).rstrip(",")[:120]
    return ""


def value_propositions(docs: list[PageDoc], tagline: str, brand: str) -> list[str]:
    """Benefit-style headings (h2/h3) of the first pages, minus section titles, CTAs and risky claims."""
    out: list[str] = []
    ctas = {text.lower() for doc in docs for text, _ in doc.buttons}
    for doc in docs[:3]:
        for block in doc.blocks:
            if block.tag not in {"h2", "h3"} or block.landmark in {"nav", "footer", "header"} or block.in_link:
                continue
            if _PROOF_SECTION.search(block.hints):
                continue  # the title over reviews or testimonials ("Opiniones de clientes")
            text = block.text
            words = len(text.split())
            if not 3 <= words <= 14 or text.endswith("?") or _GENERIC_HEADINGS.search(text):
                continue
            if text.lower() in ctas or re.match(r"(founded|established|since) ", text, re.IGNORECASE):
                continue
            if _same_text(text, tagline) or _same_text(text, brand) or any(_same_text(text, o) for o in out):
                continue
            # A value proposition is something copy may lean on: no unsourced superlatives,
            # guarantees or medical/financial promises.
            kind = classify_kind(text) or ClaimKind.FEATURE
            if assess_risk(text, kind)[0] in {Risk.HIGH, Risk.BLOCKED}:
                continue
            out.append(text)
            if len(out) >= 6:
                return out
    return out


MAX_KEY_TERMS = 10
_TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year", "decade"})
# Imperatives that open CTA fragments ("Start free", "Book a visit"), not topics.
_LEAD_VERBS = frozenset(
    {"start", "learn", "get", "try", "see", "join", "book", "call", "shop", "sign", "discover", "explore", "find"}
    | {"read", "request", "contact", "buy", "order", "download", "watch", "view", "click"}
)
_TERM_EDGE = "\"'“”‘’()[]{}.,;:!?-–—·|/"


def _stem(token: str) -> str:
    """A crude English stem, enough to see "report", "reports" and "reporting" as one term."""
    word = token.lower()
    for suffix in ("ing", "ies", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word.rstrip("e") if len(word) > 4 else word


def _participle(token: str) -> bool:
    return len(token) > 3 and token.endswith("ed") and not token.endswith("eed")


def filter_key_terms(candidates: list[str], brand: str, stopwords: frozenset[str]) -> list[str]:
    """Keep the candidates (best first, as yake ranks them) that read as 1–3 word topics.

    Dropped: terms longer than three words; terms holding a stop word or a number (clause fragments
    such as "Tuesday and Friday", "Power your home" or "in 10 minutes"); terms opening or closing
    with a past participle ("installed rooftop", "Water heater died": verb fragments, not noun
    phrases) or opening with an imperative ("Start free");
    the brand's own name and phrases built around it; single words that are generic, time units,
    adverbs or shorter than four letters; and near-duplicates: a term whose stemmed words equal
    a kept one's ("live report" after "live reports"), contain or are contained in a kept phrase's
    ("Water Process" next to "Swiss Water Process") or, for a single word, appear inside a kept
    phrase ("report" after "live reports"). Multi-word phrases say more about a brand than single
    words, so up to seven phrases come first.
    """
    brand_words = {w.lower() for w in brand.split()}
    phrases: list[tuple[str, frozenset[str]]] = []
    words: list[tuple[str, frozenset[str]]] = []
    for raw in candidates:
        term = normalise_ws(raw).strip(_TERM_EDGE + " ")
        tokens = term.split()
        if not tokens or len(tokens) > 3 or len(term) < 3 or _same_text(term, brand):
            continue
        lowered = [t.lower() for t in tokens]
        if any(t in stopwords for t in lowered):
            continue  # "Tuesday and Friday", "Power your home": clause fragments, not noun phrases
        if any(any(c.isdigit() for c in t) for t in lowered):
            continue
        if any(t in brand_words for t in lowered):
            continue  # "Shiftwise builds": the brand plus a verb is not a topic
        key = frozenset(_stem(t) for t in lowered)
        if any(_participle(t) for t in (lowered[0], lowered[-1])) or lowered[0] in _LEAD_VERBS:
            continue  # "installed rooftop", "Water heater died", "Start free": verb fragments
        if len(tokens) > 1:
            if any(key <= other or other <= key for _, other in phrases):
                continue  # "Water Process" next to "Swiss Water Process": one topic, keep the better ranked
            phrases.append((term, key))
        else:
            word = lowered[0]
            if len(word) < 4 or word in _GENERIC_WORDS or word.endswith("ly") or word.rstrip("s") in _TIME_UNITS:
                continue
            words.append((term, key))
    kept = [term for term, _ in phrases[:7]]
    covered = {stem for _, key in phrases[:7] for stem in key}
    seen_words: set[frozenset[str]] = set()
    for term, key in words:
        if key <= covered or key in seen_words:
            continue
        seen_words.add(key)
        kept.append(term)
    return kept[:MAX_KEY_TERMS]


_YAKE_LANGS = frozenset({"en", "de", "fr", "es", "it", "nl", "pt", "sv", "da", "no", "fi", "pl"})


def key_terms(text: str, brand: str, lang: str = "en") -> list[str]:
    """Topic words and phrases of the main text: yake candidates (up to three words, with the stop
    words of the page's language when yake has them) cleaned by `filter_key_terms`."""
    if len(text.split()) < 20:
        return []
    import yake

    code = lang.lower()[:2]
    extractor = yake.KeywordExtractor(lan=code if code in _YAKE_LANGS else "en", n=3, dedupLim=0.7, top=40)
    candidates = [str(term) for term, _score in extractor.extract_keywords(text[:4000])]
    return filter_key_terms(candidates, brand, frozenset(extractor.stopword_set))


def main_text_of(doc: PageDoc, *, prose_only: bool = False) -> str:
    """Body copy without navigation, footer, link lists or buttons (for tone and key terms).

    Blocks become separate lines, and a full stop is added after headings and list items that
    lack one, so sentence-based measures do not run a heading into the next paragraph.
    `prose_only` keeps paragraphs and list items only (for tone: headings are not sentences).
    """
    parts = []
    for b in doc.blocks:
        if b.landmark in {"nav", "footer"} or b.chrome or b.in_link or b.tag in {"button", "label"}:
            continue
        if prose_only and (b.tag in HEADING_TAGS or len(b.text.split()) < 4):
            continue
        parts.append(b.text if b.text.endswith((".", "!", "?", "”", '"', ":")) else b.text + ".")
    return "\n".join(parts)


def _trafilatura_text(html: str, url: str) -> str:
    """Main text by trafilatura for pages small enough that it is fast (it is slow on megabytes)."""
    if len(html) > 250_000:
        return ""
    try:
        import trafilatura

        text = str(trafilatura.extract(html, url=url, fast=True, include_comments=False) or "")
    except Exception:  # trafilatura is a best-effort helper here
        return ""
    # One block per line; end headings and list items with a full stop, as main_text_of does.
    lines = [normalise_ws(line) for line in text.splitlines()]
    return "\n".join(line if line.endswith((".", "!", "?", "”", '"', ":")) else line + "." for line in lines if line)


def is_js_shell(doc: PageDoc) -> bool:
    """A page whose content is rendered by JavaScript: almost no text, but scripts or an app root."""
    visible = len(main_text_of(doc)) + len(" ".join(b.text for b in doc.blocks if b.landmark == "nav"))
    return visible < 200 and (doc.script_count > 0 or doc.has_app_root)


def analyse_pages(pages: list[FetchedPage], docs: list[PageDoc] | None = None, css: CssFacts | None = None) -> Analysis:
    """Parse and analyse already-fetched pages (CPU-bound; run in a thread). `pages[0]` is the start page.

    `css` (the site's parsed stylesheets) lets links styled as buttons count as CTAs.
    """
    if docs is None:
        docs = [parse_page(p.html, p.url) for p in pages]
    structured = [extract_structured(p.html, p.url) for p in pages]
    sources: dict[str, FieldSource] = {}
    warnings: list[str] = []
    # Claims, proof and value propositions are read from the content only: the cookie banner,
    # the search box and the comment form say nothing about the brand.
    # So is what most pages repeat word for word (an unmarked footer blurb or newsletter box).
    marked = mark_repeated(docs)
    content = [content_doc(d) for d in marked]
    # An app shell's only "text" is its <noscript> apology; that is not the brand's copy.
    shell = is_js_shell(docs[0])
    main_text = "" if shell else (_trafilatura_text(pages[0].html, pages[0].url) or main_text_of(docs[0]))
    all_main = "\n".join([main_text, *(main_text_of(d) for d in marked[1:])])
    brand = choose_brand_name(docs, structured, sources, warnings)
    tagline = choose_tagline(content, structured, brand, sources)
    description = choose_description(content, structured, main_text, sources)
    hero = [b.text for b in content[0].blocks[:12] if b.landmark not in {"nav", "footer"}]
    audience = choose_audience([tagline, description, *hero, docs[0].meta.get("og:description", "")], sources)
    schema_types = [t for s in structured for t in s.types]
    body_text = "\n".join(main_text_of(d) for d in docs)
    industry_text = " ".join([docs[0].title, description, *(b.text for d in content for b in d.headings()), body_text])
    industry = classify_industry(industry_text, schema_types)
    if industry is not None:
        typed = any(t.startswith("schema:") for t in industry.matched_terms)
        _source(sources, "industry", "schema.org type + terms" if typed else "taxonomy terms", 0.8 if typed else 0.55)
    tone = measure_tone("\n".join(main_text_of(d, prose_only=True) for d in docs))
    if tone.reading_ease is not None:
        _source(sources, "tone", "main text (textstat, VADER)", 0.7)
    start = docs[0]
    language, how = page_language(
        start.lang,
        start.meta.get("content-language", ""),
        start.meta.get("og:locale", ""),
        body_text,
        header=pages[0].content_language,
    )
    if language:
        _source(sources, "language", how, 0.9 if how.startswith("html") else 0.7)
    else:
        warnings.append("the site's language could not be told from its markup or text")
    claims = extract_claims(content)
    terms = key_terms(all_main, brand, language or "en")
    if terms:
        _source(sources, "key_terms", "yake over main text", 0.6)
    main_action = primary_action(start, button_classes(css))
    if not main_action:
        warnings.append("no main action found on the start page (no button in its content outside site chrome)")
    return Analysis(
        docs=docs,
        structured=structured,
        brand_name=brand,
        tagline=tagline,
        description=description,
        target_audience=audience,
        value_propositions=value_propositions(content, tagline, brand),
        key_terms=terms,
        site_ctas=site_ctas(docs, css),
        industry=industry,
        claims=claims,
        social_proof=extract_social_proof(content, structured),
        tone=tone,
        main_text=main_text,
        primary_action=main_action,
        language=language,
        sources=sources,
        warnings=warnings,
    )


def content_doc(doc: PageDoc) -> PageDoc:
    """The page without its chrome blocks (the footer stays: claims treat it on their own, and a
    local business's licence and address live there)."""
    if not any(b.chrome and b.chrome != chrome.FOOTER for b in doc.blocks):
        return doc
    return replace(doc, blocks=[b for b in doc.blocks if not b.chrome or b.chrome == chrome.FOOTER])


def _overall_confidence(profile: BrandProfile, js_shell: bool) -> float:
    def conf(name: str) -> float:
        source = profile.sources.get(name)
        return source.confidence if source else 0.0

    score = (
        0.25 * conf("brand_name")
        + 0.15 * conf("tagline")
        + 0.1 * conf("description")
        + 0.15 * (0.9 if profile.assets.logo else 0.0)
        + 0.1 * (0.8 if profile.assets.color("primary") else 0.0)
        + 0.15 * min(1.0, len(profile.claims) / 8)
        + 0.1 * min(1.0, len(profile.pages) / 3)
    )
    if js_shell:
        score = min(score, 0.3)
    return round(max(0.0, min(1.0, score)), 2)


def _payload_size(profile: BrandProfile) -> int:
    return len(json.dumps(profile.model_dump(mode="json"), ensure_ascii=False).encode("utf-8"))


def _fit_payload(profile: BrandProfile) -> BrandProfile:
    """Trim the least valuable parts until the serialised profile is under MAX_PAYLOAD_BYTES."""
    if _payload_size(profile) <= MAX_PAYLOAD_BYTES:
        return profile
    data = profile.model_copy(deep=True)
    for claim in data.claims:
        claim.evidence = claim.evidence[:1]
    if _payload_size(data) > MAX_PAYLOAD_BYTES:
        data.claims = [c for c in data.claims if c.kind.value != "feature"]
    while _payload_size(data) > MAX_PAYLOAD_BYTES and (data.claims or data.assets.images):
        if len(data.assets.images) > 6:
            data.assets.images.pop()
        elif data.claims:
            data.claims.pop()
        else:
            data.assets.images.pop()
    data.warnings.append("profile trimmed to stay under the workflow payload limit")
    return data


def assemble_profile(
    url: str,
    pages: list[FetchedPage],
    analysis: Analysis,
    assets: BrandAssets,
    warnings: list[str],
    *,
    js_shell: bool = False,
) -> BrandProfile:
    sources = dict(analysis.sources)
    if analysis.claims:
        _source(sources, "claims", "rules over page text (kinds and risks in claims.py)", 0.75)
    proof = analysis.social_proof
    if proof.testimonials or proof.ratings or proof.customer_counts or proof.customer_logos:
        structured = any(r.source == "json-ld" for r in proof.ratings)
        _source(
            sources, "social_proof", "json-ld + page text" if structured else "page text", 0.8 if structured else 0.65
        )
    if analysis.value_propositions:
        _source(sources, "value_propositions", "benefit headings (h2/h3)", 0.55)
    if analysis.site_ctas:
        _source(sources, "site_ctas", "buttons and button-styled links outside site chrome", 0.8)
    if analysis.primary_action:
        _source(sources, "primary_action", "first content button at or after the main heading", 0.7)
    if assets.fonts:
        _source(sources, "fonts", "css font-family", 0.7)
    if assets.images:
        _source(sources, "images", "<img> elements and og:image, downloaded and validated", 0.85)
    if assets.logo is not None:
        _source(
            sources,
            "logo",
            assets.logo.source,
            0.9 if assets.logo.source in {"json-ld", "header-img", "header-svg"} else 0.6,
        )
    primary = next((c for c in assets.colors if c.role == "primary"), None)
    if primary is not None:
        _source(
            sources,
            "primary_color",
            primary.source or "css",
            0.8 if "token" in primary.source or "theme" in primary.source else 0.6,
        )
    profile = BrandProfile(
        url=url,
        brand_name=analysis.brand_name,
        tagline=analysis.tagline,
        description=analysis.description,
        industry=analysis.industry,
        target_audience=analysis.target_audience,
        value_propositions=analysis.value_propositions,
        key_terms=analysis.key_terms,
        site_ctas=analysis.site_ctas,
        primary_action=analysis.primary_action,
        language=analysis.language,
        pages=[
            PageInfo(url=p.url, title=d.title[:200], fetched_at=p.fetched_at, status=p.status)
            for p, d in zip(pages, analysis.docs, strict=False)
        ],
        claims=analysis.claims,
        social_proof=analysis.social_proof,
        tone=analysis.tone,
        assets=assets,
        sources=sources,
        warnings=list(dict.fromkeys([*analysis.warnings, *warnings]))[:30],
    )
    profile.confidence = _overall_confidence(profile, js_shell)
    return _fit_payload(profile)
