"""The red-team corpus (tests/stages/copy/redteam/*.jsonl) and the real profiles it is judged against."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from brandtruth.models.brand import BrandProfile
from tests.support.pages import extract_served_site
from tests.support.site_server import sample_site_dir

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
    return await extract_served_site(site_root(name), "redteam")
