"""Saved real pages for `make bench`: where they are, and reading one as the pipeline would.

The pages are not in the repository: public extraction test caches (e.g. trafilatura's
`tests/cache/`, 100+ saved pages in several languages) are licensed for the code that ships them,
while each page's content stays its publisher's, so they may not be redistributed here. Fetch them
once and point `BRANDTRUTH_REAL_PAGES` at the directory:

    git clone --depth 1 https://github.com/adbar/trafilatura /tmp/trafilatura
    BRANDTRUTH_REAL_PAGES=/tmp/trafilatura/tests/cache make bench

Without the variable, `bench/real_pages/` (git-ignored) is used when it exists; otherwise the
real-page numbers are skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.support.pages import html_page

from brandtruth.models.brand import BrandAssets, BrandProfile
from brandtruth.stages.extract.page import PageDoc, parse_page
from brandtruth.stages.extract.profile import analyse_pages, assemble_profile
from brandtruth.web.fetcher import FetchedPage

DEFAULT_DIR = Path(__file__).parent / "real_pages"


def pages_dir() -> Path | None:
    configured = os.environ.get("BRANDTRUTH_REAL_PAGES")
    path = Path(configured) if configured else DEFAULT_DIR
    return path if path.is_dir() and any(path.glob("*.htm*")) else None


def page_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in (".html", ".htm"))


def url_for(path: Path) -> str:
    """A plausible address from the cache's file name ("adac.de.kindersitze.html")."""
    parts = path.stem.split(".")
    host = ".".join(parts[:2]) if len(parts) >= 2 else path.stem
    rest = "/".join(parts[2:])
    return f"https://{host}/{rest}"


def fetched(path: Path) -> FetchedPage:
    return html_page(path.read_bytes().decode("utf-8", errors="replace"), url_for(path), charset_source="default")


def profile_of(page: FetchedPage) -> tuple[BrandProfile, PageDoc]:
    """Parse and analyse one saved page (no network, no assets) into a profile."""
    doc = parse_page(page.html, page.url)
    analysis = analyse_pages([page], [doc])
    return assemble_profile(page.url, [page], analysis, BrandAssets(), []), doc
