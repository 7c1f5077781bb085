"""The red-team corpus (tests/stages/copy/redteam/*.jsonl) and the real profiles it is judged against."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from brandtruth.config import Settings
from brandtruth.models.brand import BrandProfile
from brandtruth.stages.context import StageContext
from brandtruth.stages.extract import extract_brand
from brandtruth.storage import ArtifactStore
from tests.support.site_server import sample_site_dir, serve_site

REDTEAM_DIR = Path(__file__).resolve().parents[1] / "stages" / "copy" / "redteam"


@dataclass(frozen=True)
class CorpusLine:
    site: str
    lang: str
    expect: str  # supported | invented | blocked
    category: str
    text: str


def load_corpus() -> list[CorpusLine]:
    rows: list[CorpusLine] = []
    for path in sorted(REDTEAM_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(CorpusLine(**json.loads(line)))
    return rows


def site_root(name: str) -> Path | str:
    if name == "sample_site":
        return sample_site_dir()
    local = REDTEAM_DIR / "sites" / name
    return local if local.is_dir() else name


async def extract_site(name: str) -> BrandProfile:
    """The real extractor's profile of a fixture site served on loopback."""
    tmp = Path(tempfile.mkdtemp(prefix=f"redteam-{name}-"))
    with serve_site(site_root(name)) as site:
        settings = Settings(
            _env_file=None,
            BRANDTRUTH_ALLOWED_HOSTS=site.host_port,
            BRANDTRUTH_DATA_DIR=tmp,
            BRANDTRUTH_FETCH_TIMEOUT=5.0,
            BRANDTRUTH_CRAWL_BUDGET=30.0,
        )
        ctx = StageContext(run_id="redteam", settings=settings, store=ArtifactStore(tmp / "artifacts"))
        return await extract_brand(site.url("/"), ctx)
