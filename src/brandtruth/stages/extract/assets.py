"""Brand assets: the logo (downloaded, validated, rasterised to PNG), palette, fonts and site images.

Logo candidates, in order of trust:
  1. JSON-LD `logo` of the Organization (the site's own statement),
  2. a header/nav `<img>` whose class, id, alt or src mentions "logo" (or sits in a `.brand` link),
  3. an inline `<svg>` in the header marked as logo/brand,
  4. `apple-touch-icon`, 5. an SVG or large PNG `icon`, 6. `og:image` only if its URL says "logo",
  7. `/favicon.ico`.
The first candidate that downloads and decodes wins; it is stored as `<run_id>/brand/logo.png`.

Site images: `<img>` elements of the fetched pages minus the logo, customer logos, icons and
tracking pixels (declared ≤ 48 px, known tracker paths, data: URIs), each classified by section
(hero / feature / testimonial / other) with its heading and nearby text, downloaded, validated
(`imaging.validate_image`) and stored under `<run_id>/site-images/`.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import brandtruth.stages.extract.colors as colors_mod
from brandtruth.errors import BrandTruthError
from brandtruth.models.brand import BrandAssets, ImageAsset, LogoAsset
from brandtruth.stages.context import StageContext
from brandtruth.stages.extract.claims import TESTIMONIAL_HINT
from brandtruth.stages.extract.imaging import ImageRejected, dominant_colors, logo_png, validate_image
from brandtruth.stages.extract.structured import StructuredData, organization, url_of
from brandtruth.stages.extract.text import ImageRef, PageDoc, same_site
from brandtruth.web.fetcher import Fetcher

MAX_IMAGES = 12
MAX_IMAGE_ATTEMPTS = 18
MAX_STYLESHEETS = 4
_TRACKER = re.compile(
    r"(pixel|track|beacon|analytics|doubleclick|facebook\.com/tr|/1x1|spacer|blank\.gif|transparent\.gif|"
    r"googletagmanager|google-analytics|bat\.bing|/collect\?)",
    re.IGNORECASE,
)
_ICONISH = re.compile(r"(icon|sprite|favicon|emoji|badge-|arrow|chevron|caret|avatar-placeholder)", re.IGNORECASE)
_LOGO_WORD = re.compile(r"logo", re.IGNORECASE)
_CUSTOMER_SECTION = re.compile(r"logo-wall|logos|customers-logos|clients|partners|trusted|as-seen|press", re.IGNORECASE)
_HERO = re.compile(r"\b(hero|banner|jumbotron|masthead|splash|intro|above-the-fold)\b|hero", re.IGNORECASE)
_FEATURE = re.compile(r"feature|benefit|product|service|card|how-it-works|gallery|showcase|solution", re.IGNORECASE)


@dataclass
class LogoCandidate:
    url: str
    source: str
    inline_svg: str = ""


def logo_candidates(pages: list[PageDoc], structured: list[StructuredData], brand_name: str) -> list[LogoCandidate]:
    start = pages[0]
    out: list[LogoCandidate] = []
    org = organization(structured[0]) if structured else None
    if org is not None:
        url = url_of(org.get("logo"), start.url)
        if url:
            out.append(LogoCandidate(url, "json-ld"))
    brand_lower = brand_name.lower()
    header_imgs = [i for i in start.images if i.landmark in {"header", "nav", ""}]
    for image in header_imgs:
        hints = f"{image.hints} {image.alt} {image.src}"
        named = _LOGO_WORD.search(hints) or (brand_lower and image.alt.lower().strip() == brand_lower)
        if named and not _CUSTOMER_SECTION.search(image.hints):
            out.append(LogoCandidate(image.src, "header-img"))
            break
    for hints, markup in start.inline_svgs:
        if "logo" in hints or "brand" in hints:
            out.append(LogoCandidate(f"{start.url}#inline-svg", "header-svg", inline_svg=markup))
            break
    icons: list[tuple[int, LogoCandidate]] = []
    for rel, href, mime, sizes in start.link_rels:
        rels = set(rel.split())
        if "apple-touch-icon" in rels or "apple-touch-icon-precomposed" in rels:
            icons.append((0, LogoCandidate(href, "apple-touch-icon")))
        elif "icon" in rels:
            big = (
                "svg" in mime
                or href.lower().endswith(".svg")
                or any(int(s.split("x")[0]) >= 96 for s in re.findall(r"\d+x\d+", sizes))
            )
            icons.append((1 if big else 3, LogoCandidate(href, "favicon")))
    og = start.meta.get("og:image") or start.meta.get("og:logo")
    if og and ("logo" in og.lower() or start.meta.get("og:logo")):
        icons.append((2, LogoCandidate(urljoin(start.url, og), "og")))
    out.extend(c for _, c in sorted(icons, key=lambda t: t[0]))
    out.append(LogoCandidate(urljoin(start.url, "/favicon.ico"), "favicon"))
    seen: set[str] = set()
    unique = []
    for cand in out:
        if cand.url not in seen:
            seen.add(cand.url)
            unique.append(cand)
    return unique


async def download_logo(
    fetcher: Fetcher, ctx: StageContext, candidates: list[LogoCandidate], warnings: list[str]
) -> tuple[LogoAsset | None, bytes | None]:
    """Try candidates in order; store the first good one as `<run_id>/brand/logo.png`."""
    problems: list[str] = []
    for cand in candidates:
        try:
            if cand.inline_svg:
                data, ctype = cand.inline_svg.encode("utf-8"), "image/svg+xml"
            else:
                result = await fetcher.fetch_image(cand.url)
                data, ctype = result.body, result.content_type
            png, width, height = await asyncio.to_thread(logo_png, data, ctype)
        except (BrandTruthError, ImageRejected) as exc:
            problems.append(f"{cand.source} {cand.url}: {exc}")
            continue
        ref = await asyncio.to_thread(ctx.store.put, f"{ctx.run_id}/brand/logo.png", png, "image/png")
        ctx.heartbeat("logo")
        return LogoAsset(url=cand.url, source=cand.source, artifact=ref, width=width, height=height), png
    if problems:
        warnings.append("no usable logo: " + "; ".join(problems[:4]))
    else:
        warnings.append("no logo found on the site")
    return None, None


def classify_section(image: ImageRef, page_index: int, first_image_on_page: bool) -> str:
    context = f"{image.hints} {image.heading}"
    if TESTIMONIAL_HINT.search(image.hints):
        return "testimonial"
    if _HERO.search(image.hints) or (page_index == 0 and first_image_on_page and image.landmark in {"main", ""}):
        return "hero"
    if _FEATURE.search(context):
        return "feature"
    return "other"


def image_candidates(pages: list[PageDoc], exclude: set[str]) -> list[tuple[ImageRef, str, str]]:
    """(image, section, page url) for content images worth downloading, best first."""
    ranked: list[tuple[int, int, ImageRef, str, str]] = []
    seen = set(exclude)
    order = 0
    for page_index, page in enumerate(pages):
        first = True
        for image in page.images:
            src = image.src
            if src in seen or src.startswith("data:") or urlsplit(src).scheme not in {"http", "https"}:
                continue
            if image.landmark in {"header", "nav", "footer"}:
                continue
            if _TRACKER.search(src) or _ICONISH.search(src):
                continue
            if (image.width is not None and image.width <= 48) or (image.height is not None and image.height <= 48):
                continue
            hints = f"{image.hints} {image.alt}"
            if _LOGO_WORD.search(hints) or _CUSTOMER_SECTION.search(image.hints):
                continue
            seen.add(src)
            section = classify_section(image, page_index, first)
            first = False
            priority = {"hero": 0, "feature": 1, "testimonial": 2, "other": 3}[section]
            ranked.append((priority if page_index == 0 else priority + 1, order, image, section, page.url))
            order += 1
    ranked.sort(key=lambda t: (t[0], t[1]))
    return [(img, section, url) for _, _, img, section, url in ranked]


def _context(page: PageDoc, image: ImageRef) -> str:
    """Alt text plus the caption or text right after the image, if it is in the same section."""
    parts = [image.alt] if image.alt else []
    for block in page.blocks[image.block_index : image.block_index + 2]:
        same_section = block.heading == image.heading or block.tag == "figcaption"
        if same_section and block.tag in {"figcaption", "p", "li", "blockquote"} and block.text not in parts:
            parts.append(block.text)
    text = " — ".join(parts)
    return text[:300]


async def download_images(
    fetcher: Fetcher, ctx: StageContext, pages: list[PageDoc], exclude: set[str], warnings: list[str]
) -> list[ImageAsset]:
    candidates = image_candidates(pages, exclude)[:MAX_IMAGE_ATTEMPTS]
    by_url = {p.url: p for p in pages}
    semaphore = asyncio.Semaphore(4)
    rejected: list[str] = []

    async def one(index: int, image: ImageRef, section: str, page_url: str) -> tuple[int, ImageAsset] | None:
        async with semaphore:
            try:
                result = await fetcher.fetch_image(image.src)
                valid = await asyncio.to_thread(validate_image, result.body, result.content_type)
            except (BrandTruthError, ImageRejected) as exc:
                rejected.append(f"{image.src}: {exc}")
                return None
            digest = hashlib.sha256(valid.data).hexdigest()[:12]
            rel = f"{ctx.run_id}/site-images/{index:02d}-{digest}.{valid.extension}"
            ref = await asyncio.to_thread(ctx.store.put, rel, valid.data, valid.content_type)
            ctx.heartbeat("image", index)
            page = by_url.get(page_url, pages[0])
            return index, ImageAsset(
                url=image.src,
                alt=image.alt[:200],
                width=valid.width,
                height=valid.height,
                heading=image.heading[:200],
                context=_context(page, image),
                section=section,
                page_url=page_url,
                artifact=ref,
            )

    results = await asyncio.gather(*(one(i, img, sec, url) for i, (img, sec, url) in enumerate(candidates)))
    kept = [asset for _, asset in sorted((r for r in results if r is not None), key=lambda r: r[0])]
    if rejected:
        shown = "; ".join(rejected[:3]) + (f" (+{len(rejected) - 3} more)" if len(rejected) > 3 else "")
        warnings.append(f"{len(rejected)} site image(s) skipped: {shown}")
    return kept[:MAX_IMAGES]


async def fetch_stylesheets(fetcher: Fetcher, pages: list[PageDoc], warnings: list[str]) -> list[str]:
    """Inline <style> text plus up to MAX_STYLESHEETS same-site stylesheets (start page's first)."""
    texts = [t for page in pages for t in page.inline_styles]
    urls: list[str] = []
    for page in pages:
        for url in page.stylesheet_urls:
            if url not in urls and same_site(pages[0].url, url):
                urls.append(url)
    urls = urls[:MAX_STYLESHEETS]

    async def one(url: str) -> str | None:
        try:
            _, text = await fetcher.fetch_text(url, accept=("text/css", "text/plain"))
            return text
        except BrandTruthError as exc:
            warnings.append(f"stylesheet {url} not read: {exc.message}")
            return None

    fetched = await asyncio.gather(*(one(u) for u in urls))
    return texts + [t for t in fetched if t]


async def collect_assets(
    fetcher: Fetcher,
    ctx: StageContext,
    pages: list[PageDoc],
    structured: list[StructuredData],
    brand_name: str,
    warnings: list[str],
) -> BrandAssets:
    candidates = logo_candidates(pages, structured, brand_name)
    (logo, logo_bytes), css_texts = await asyncio.gather(
        download_logo(fetcher, ctx, candidates, warnings),
        fetch_stylesheets(fetcher, pages, warnings),
    )
    exclude = {c.url for c in candidates}
    images_task = asyncio.create_task(download_images(fetcher, ctx, pages, exclude, warnings))
    css = await asyncio.to_thread(colors_mod.parse_css, css_texts)
    logo_colors = await asyncio.to_thread(dominant_colors, logo_bytes) if logo_bytes else []
    style_attrs = [s for page in pages for s in page.style_attrs]
    theme = pages[0].meta.get("theme-color")
    palette = colors_mod.palette(css, theme, logo_colors, style_attrs)
    font_links = [href for page in pages for rel, href, _, _ in page.link_rels if "stylesheet" in rel]
    fonts = colors_mod.fonts(css, font_links)
    images = await images_task
    return BrandAssets(logo=logo, colors=palette, fonts=fonts, images=images)
