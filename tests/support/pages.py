"""Pages and profiles as the extract stage sees them, for tests and benches.

`html_page` is a page as the fetcher hands it on; `extract_served_site` runs the real extractor
against a site served on loopback.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from brandtruth.models.brand import BrandProfile
from brandtruth.stages.context import StageContext
from brandtruth.stages.extract import extract_brand
from brandtruth.storage import ArtifactStore
from brandtruth.web.fetcher import FetchedPage
from tests.support.settings import settings_from
from tests.support.site_server import serve_site


def html_page(html: str, url: str = "https://brand.example/", *, charset_source: str = "header") -> FetchedPage:
    """`html` as fetched from `url` just now: 200, text/html, decoded as UTF-8."""
    return FetchedPage(
        url=url,
        requested_url=url,
        status=200,
        content_type="text/html",
        html=html,
        charset="utf-8",
        charset_source=charset_source,
        fetched_at=datetime.now(UTC),
        size=len(html.encode("utf-8")),
    )


async def extract_served_site(root: str | Path, run_id: str) -> BrandProfile:
    """The real extractor's profile of a directory (or named fixture site) served on 127.0.0.1.

    Its artifacts stay in a fresh temporary directory, so assets the profile refers to remain readable.
    """
    tmp = Path(tempfile.mkdtemp(prefix=f"{run_id}-"))
    with serve_site(root) as site:
        settings = settings_from(
            {
                "BRANDTRUTH_ALLOWED_HOSTS": site.host_port,
                "BRANDTRUTH_DATA_DIR": tmp,
                "BRANDTRUTH_FETCH_TIMEOUT": 5.0,
                "BRANDTRUTH_CRAWL_BUDGET": 30.0,
            }
        )
        ctx = StageContext(run_id=run_id, settings=settings, store=ArtifactStore(tmp / "artifacts"))
        return await extract_brand(site.url("/"), ctx)
