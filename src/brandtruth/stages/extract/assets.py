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
import html
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import brandtruth.stages.extract.colors as colors_mod
from brandtruth.errors import BrandTruthError
from brandtruth.imaging.typefaces import bundled_files
from brandtruth.models.brand import BrandAssets, ImageAsset, LogoAsset
from brandtruth.stages.context import StageContext
from brandtruth.stages.extract.claims import FEATURE_PAGE, TESTIMONIAL_HINT
from brandtruth.stages.extract.fonts import collect_typography
from brandtruth.stages.extract.page import ImageRef, PageDoc, same_site
from brandtruth.stages.extract.site_images import ImageRejected, dominant_colors, is_svg, logo_png, validate_image
from brandtruth.stages.extract.structured import StructuredData, organization, url_of
from brandtruth.stages.extract.styles import button_style
from brandtruth.web.fetcher import Fetcher

MAX_IMAGES = 12
MAX_IMAGE_ATTEMPTS = 18
MAX_STYLESHEETS = 4
# Tracking pixels by URL: a path segment or file stem that *is* one of these words, or a known
# tracker host/path ("tracker.svg" or "track-record.jpg" are not matched; the decoded size check
# catches the rest).
_TRACKER = re.compile(
    r"((^|[/_.-])(pixel|px|track|tracking|beacon|spacer|blank|transparent|1x1|clear)([/_.?-]|$)|doubleclick|"
    r"facebook\.com/tr|googletagmanager|google-analytics|bat\.bing|/collect\?|analytics\.)",
    re.IGNORECASE,
)
# Icon-like file names; only trusted when the markup does not declare a photo-sized image.
_ICONISH = re.compile(r"(icon|sprite|favicon|emoji|badge-|arrow|chevron|caret|avatar-placeholder)", re.IGNORECASE)
_LOGO_WORD = re.compile(r"logo", re.IGNORECASE)
_CUSTOMER_SECTION = re.compile(r"logo-wall|logos|customers-logos|clients|partners|trusted|as-seen|press", re.IGNORECASE)
_HERO = re.compile(r"\b(hero|banner|jumbotron|masthead|splash|intro|above-the-fold)\b|hero", re.IGNORECASE)
_FEATURE = re.compile(r"feature|benefit|product|service|how-it-works|showcase|solution", re.IGNORECASE)


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
    # A vector logo beats a raster one of the same mark: it rasterises crisply at any size.
    out.sort(key=lambda c: 0 if urlsplit(c.url).path.lower().endswith(".svg") or c.inline_svg else 1)
    out.extend(c for _, c in sorted(icons, key=lambda t: t[0]))
    out.append(LogoCandidate(urljoin(start.url, "/favicon.ico"), "favicon"))
    seen: set[str] = set()
    unique = []
    for cand in out:
        if cand.url not in seen:
            seen.add(cand.url)
            unique.append(cand)
    return unique


_SVG_TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def svg_words(data: bytes) -> str:
    """The words an SVG spells out in `<text>` elements (a wordmark's brand name)."""
    text = data[:500_000].decode("utf-8", "replace")
    parts = [" ".join(html.unescape(_TAG.sub(" ", m.group(1))).split()) for m in _SVG_TEXT.finditer(text)]
    return " ".join(p for p in parts if p)[:200]


def _logo_with_fonts(data: bytes, ctype: str, site_fonts: list[bytes]) -> tuple[bytes, int, int]:
    """Rasterise a logo; an SVG's `<text>` is drawn with the site's own fonts and the bundled ones."""
    if not is_svg(data, ctype):
        return logo_png(data, ctype)
    with tempfile.TemporaryDirectory(prefix="bt-logo-fonts-") as tmp:
        files = []
        for i, sfnt in enumerate(site_fonts):
            path = Path(tmp) / f"site-{i}.ttf"
            path.write_bytes(sfnt)
            files.append(str(path))
        return logo_png(data, ctype, font_files=files + bundled_files())


async def download_logo(
    fetcher: Fetcher,
    ctx: StageContext,
    candidates: list[LogoCandidate],
    warnings: list[str],
    site_fonts: list[bytes] | None = None,
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
            png, width, height = await asyncio.to_thread(_logo_with_fonts, data, ctype, site_fonts or [])
        except (BrandTruthError, ImageRejected) as exc:
            problems.append(f"{cand.source} {cand.url}: {exc}")
            continue
        ref = await asyncio.to_thread(ctx.store.put, f"{ctx.run_id}/brand/logo.png", png, "image/png")
        ctx.heartbeat("logo")
        words = svg_words(data) if is_svg(data, ctype) else ""
        logo = LogoAsset(url=cand.url, source=cand.source, artifact=ref, width=width, height=height, text=words)
        return logo, png
    if problems:
        warnings.append("no usable logo: " + "; ".join(problems[:4]))
    else:
        warnings.append("no logo found on the site")
    return None, None


def classify_section(
    image: ImageRef,
    page_index: int,
    first_image_on_page: bool,
    brand_name: str = "",
    feature_page: bool = False,
    opens_page: bool = False,
) -> str:
    """hero: in a hero/banner container, or the first content image of a page (the start page's, or
    another page's when it opens the page); testimonial: inside a testimonial/review block;
    feature: in a features/product/services context, or its alt text shows the brand's own
    product or work ("… installed by Harbor City Plumbing"); other: anything else (galleries,
    scenery, decoration)."""
    context = f"{image.hints} {image.heading} {urlsplit(image.src).path}"
    if TESTIMONIAL_HINT.search(image.hints):
        return "testimonial"
    if _HERO.search(image.hints):
        return "hero"
    # The start page's first content image, or another page's image in its opening section
    # (under the page's <h1>), unless that page is a list of features.
    opening = page_index == 0 or (opens_page and not feature_page)
    if first_image_on_page and image.landmark in {"main", ""} and opening:
        return "hero"
    if _FEATURE.search(context) or (feature_page and image.landmark in {"main", ""}):
        return "feature"
    brand = brand_name.lower().strip()
    if brand and len(brand) >= 3 and brand in image.alt.lower():
        return "feature"
    return "other"


def image_candidates(pages: list[PageDoc], exclude: set[str], brand_name: str = "") -> list[tuple[ImageRef, str, str]]:
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
            declared_large = (image.width or 0) >= 100 and (image.height or 0) >= 100
            if _TRACKER.search(urlsplit(src).path) or _TRACKER.search(urlsplit(src).netloc + "/"):
                continue
            if _ICONISH.search(urlsplit(src).path) and not declared_large:
                continue
            if (image.width is not None and image.width <= 48) or (image.height is not None and image.height <= 48):
                continue
            hints = f"{image.hints} {image.alt}"
            if _LOGO_WORD.search(hints) or _CUSTOMER_SECTION.search(image.hints):
                continue
            seen.add(src)
            feature_page = bool(FEATURE_PAGE.search(urlsplit(page.url).path))
            h1 = next((b for b in page.blocks if b.tag == "h1"), None)
            opens_page = h1 is not None and image.heading == h1.text and image.block_index - h1.index <= 3
            section = classify_section(image, page_index, first, brand_name, feature_page, opens_page)
            first = False
            priority = {"hero": 0, "feature": 1, "testimonial": 2, "other": 3}[section]
            ranked.append((priority if page_index == 0 else priority + 1, order, image, section, page.url))
            order += 1
    # The share image the brand chose for social posts (og:image) is a good creative candidate.
    start = pages[0] if pages else None
    og = (start.meta.get("og:image") or start.meta.get("twitter:image")) if start else None
    if start is not None and og:
        og_url = urljoin(start.url, og)
        if og_url not in seen and urlsplit(og_url).scheme in {"http", "https"}:
            has_hero = any(section == "hero" for _, _, _, section, _ in ranked)
            ref = ImageRef(
                src=og_url,
                alt=start.meta.get("og:image:alt", ""),
                width=None,
                height=None,
                heading=start.meta.get("og:title", ""),
                landmark="",
                hints="og:image",
                block_index=len(start.blocks),
            )
            ranked.append((2 if not has_hero else 4, order, ref, "other" if has_hero else "hero", start.url))
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
    fetcher: Fetcher,
    ctx: StageContext,
    pages: list[PageDoc],
    exclude: set[str],
    warnings: list[str],
    brand_name: str = "",
) -> list[ImageAsset]:
    candidates = image_candidates(pages, exclude, brand_name)[:MAX_IMAGE_ATTEMPTS]
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
        shown = "; ".join(r if len(r) <= 220 else r[:217] + "…" for r in rejected[:10])
        more = f" (+{len(rejected) - 10} more)" if len(rejected) > 10 else ""
        warnings.append(f"{len(rejected)} site image(s) skipped: {shown}{more}")
    return kept[:MAX_IMAGES]


def stylesheet_urls(pages: list[PageDoc], skip: set[str] | None = None) -> list[str]:
    """Same-site stylesheets linked from the pages, in order, at most MAX_STYLESHEETS."""
    urls: list[str] = []
    for page in pages:
        for url in page.stylesheet_urls:
            if url not in urls and same_site(pages[0].url, url):
                urls.append(url)
    return [u for u in urls if u not in (skip or set())][:MAX_STYLESHEETS]


_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)", re.IGNORECASE)


def absolutise_urls(css: str, base: str) -> str:
    """`url(...)` references made absolute against the stylesheet's own URL, so font files can
    be found after the sheets are merged."""

    def fix(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#")) or urlsplit(ref).scheme:
            return match.group(0)
        return f'url("{urljoin(base, ref)}")'

    return _CSS_URL.sub(fix, css)


async def fetch_stylesheets(fetcher: Fetcher, urls: list[str], warnings: list[str]) -> list[str]:
    """The text of the given stylesheets (failures become warnings)."""

    async def one(url: str) -> str | None:
        try:
            _, text = await fetcher.fetch_text(url, accept=("text/css", "text/plain"))
            return absolutise_urls(text, url)
        except BrandTruthError as exc:
            warnings.append(f"stylesheet {url} not read: {exc.message}")
            return None

    fetched = await asyncio.gather(*(one(u) for u in urls))
    return [t for t in fetched if t]


async def collect_assets(
    fetcher: Fetcher,
    ctx: StageContext,
    pages: list[PageDoc],
    structured: list[StructuredData],
    brand_name: str,
    css: colors_mod.CssFacts,
    warnings: list[str],
) -> BrandAssets:
    """Logo, palette, fonts and site images (downloads run concurrently)."""
    candidates = logo_candidates(pages, structured, brand_name)
    exclude = {c.url for c in candidates}
    images_task = asyncio.create_task(download_images(fetcher, ctx, pages, exclude, warnings, brand_name))
    # Web fonts first: an SVG wordmark's text is drawn with them.
    typography, site_fonts = await collect_typography(fetcher, ctx, css, pages[0].url, warnings)
    logo, logo_bytes = await download_logo(fetcher, ctx, candidates, warnings, site_fonts)
    logo_colors = await asyncio.to_thread(dominant_colors, logo_bytes) if logo_bytes else []
    style_attrs = [s for page in pages for s in page.style_attrs]
    theme = pages[0].meta.get("theme-color")
    palette = await asyncio.to_thread(colors_mod.palette, css, theme, logo_colors, style_attrs)
    font_links = [href for page in pages for rel, href, _, _ in page.link_rels if "stylesheet" in rel]
    fonts = await asyncio.to_thread(colors_mod.fonts, css, font_links)
    images = await images_task
    return BrandAssets(
        logo=logo,
        colors=palette,
        fonts=fonts,
        images=images,
        button=button_style(css),
        typography=typography,
    )
