"""Extraction of every fixture site (and the bundled sample site) against its expected.json.

Each site is served on loopback and extracted once per module; the tests then compare one aspect
each, so a failure says exactly what drifted. Every evidence quote is checked to be verbatim text of
the page it cites (`PageDoc.text`, the one definition of "the page's text").
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from brandtruth.models.brand import BrandProfile
from brandtruth.stages.extract import extract_brand
from brandtruth.stages.extract.colors import delta_e
from brandtruth.stages.extract.page import normalise_ws, parse_page
from brandtruth.web.fetcher import Fetcher
from tests.stages.extract.conftest import make_context
from tests.support.site_server import SITES_DIR, sample_site_dir, serve_site

pytestmark = pytest.mark.timeout(120)

STATIC_SITES = ["saas", "shop", "local_service", "og_only", "latin1", "hostile", "sample_site"]


def expected_for(name: str) -> dict[str, Any]:
    path = (
        SITES_DIR.parent / "sample_site.expected.json" if name == "sample_site" else SITES_DIR / name / "expected.json"
    )
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


@dataclass
class Run:
    name: str
    expected: dict[str, Any]
    profile: BrandProfile
    base_url: str
    texts: dict[str, str]
    """Page URL → PageDoc.text of the page as served (the verbatim reference)."""
    requested: list[str]
    artifacts: Path


async def _extract(name: str, **settings: object) -> Run:
    root = sample_site_dir() if name == "sample_site" else name
    tmp = Path(tempfile.mkdtemp(prefix=f"extract-{name}-"))
    with serve_site(root) as site:
        ctx = make_context(tmp, site.host_port, **settings)
        profile = await extract_brand(site.url("/"), ctx)
        texts: dict[str, str] = {}
        async with Fetcher(ctx.settings, respect_robots=False) as fetcher:
            for page in profile.pages:
                fetched = await fetcher.fetch_page(page.url)
                texts[page.url] = parse_page(fetched.html, fetched.url).text
        requested = [r.path for r in site.requests]
        base = site.base_url
    if settings.get("BRANDTRUTH_RENDER_JS"):
        # The rendered DOM is the page's text for a JS shell; the test compares against it below.
        texts = {}
    return Run(name, expected_for(name), profile, base, texts, requested, tmp / "artifacts")


@pytest.fixture(scope="module")
async def runs() -> AsyncIterator[dict[str, Run]]:
    cache: dict[str, Run] = {}
    for name in STATIC_SITES:
        cache[name] = await _extract(name)
    yield cache


def path_of(url: str) -> str:
    return urlsplit(url).path or "/"


def norm(text: str) -> str:
    return normalise_ws(text).lower()


@pytest.mark.parametrize("name", STATIC_SITES)
async def test_identity(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    exp, prof = run.expected, run.profile
    assert prof.brand_name == exp["brand_name"]
    assert normalise_ws(prof.tagline) in [exp["tagline"], *exp.get("tagline_alternatives", [])]
    assert prof.description == exp["description"]


@pytest.mark.parametrize("name", STATIC_SITES)
async def test_colors(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    primary = run.profile.assets.color("primary")
    assert primary is not None and delta_e(primary, run.expected["primary_color"]) < 10, primary
    for role, wanted in run.expected["colors"].items():
        got = run.profile.assets.color(role)
        assert got is not None and delta_e(got, wanted) < 10, f"{role}: {got} vs {wanted}"


@pytest.mark.parametrize("name", STATIC_SITES)
async def test_fonts(runs: dict[str, Run], name: str) -> None:
    assert set(runs[name].expected.get("fonts", [])) <= set(runs[name].profile.assets.fonts)


@pytest.mark.parametrize("name", STATIC_SITES)
async def test_logo(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    logo, want = run.profile.assets.logo, run.expected["logo"]
    assert logo is not None and logo.artifact is not None
    assert (run.artifacts / logo.artifact.path).is_file()
    assert logo.artifact.path == "pipeline-test/brand/logo.png"
    if want["path"] is None:
        assert logo.source == want["source"] or path_of(logo.url) in want["alternatives"]
    else:
        assert path_of(logo.url) in [want["path"], *want["alternatives"]], logo.url


@pytest.mark.parametrize("name", STATIC_SITES)
async def test_claims_have_expected_kind_and_risk(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    problems = []
    for want in run.expected["claims"]:
        if want.get("optional"):
            continue
        snippet = norm(want["contains"])
        matches = [
            c for c in run.profile.claims if snippet in norm(c.text) or (len(c.text) >= 8 and norm(c.text) in snippet)
        ]
        if not matches:
            problems.append(f"missing: {want['contains']!r}")
        elif not any(c.kind.value == want["kind"] and c.risk.value == want["risk"] for c in matches):
            got = [(c.kind.value, c.risk.value, c.text[:60]) for c in matches]
            problems.append(f"{want['contains']!r}: want {want['kind']}/{want['risk']}, got {got}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", STATIC_SITES)
async def test_captions_that_state_nothing_are_not_claims(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    for unwanted in run.expected.get("not_claims", []):
        snippet = norm(unwanted["text"])
        assert not [c.text for c in run.profile.claims if snippet in norm(c.text)], unwanted["why"]


_TERM_STOPWORDS = frozenset({"a", "an", "and", "the", "of", "to", "in", "on", "for", "with", "your", "our", "from"})


@pytest.mark.parametrize("name", STATIC_SITES)
async def test_key_terms_are_short_distinct_topics(runs: dict[str, Run], name: str) -> None:
    terms = runs[name].profile.key_terms
    stems = [frozenset(re.sub(r"(ies|ing|ed|s)$", "", w.lower()) for w in t.split()) for t in terms]
    for term, key in zip(terms, stems, strict=True):
        words = term.lower().split()
        assert 1 <= len(words) <= 3, term
        assert not any(ch.isdigit() for ch in term), term
        assert not _TERM_STOPWORDS & set(words), term
        others = [k for k in stems if k is not key]
        assert not any(key <= other for other in others), f"{term!r} repeats another key term"


@pytest.mark.parametrize("name", STATIC_SITES)
async def test_every_quote_is_verbatim(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    prof = run.profile
    evidence = [e for c in prof.claims for e in c.evidence]
    evidence += [e for t in prof.social_proof.testimonials for e in t.evidence]
    evidence += [e for r in prof.social_proof.ratings for e in r.evidence]
    evidence += [e for n in prof.social_proof.customer_counts for e in n.evidence]
    assert evidence
    for ev in evidence:
        assert ev.url in run.texts, ev.url
        assert ev.quote in run.texts[ev.url], ev.quote
        assert ev.quote == normalise_ws(ev.quote) and 0 < len(ev.quote) <= 300


@pytest.mark.parametrize("name", STATIC_SITES)
async def test_social_proof(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    exp, proof = run.expected, run.profile.social_proof
    assert len(proof.testimonials) == exp["testimonials"]["count"]
    assert set(exp["testimonials"]["authors"]) <= {t.author for t in proof.testimonials}
    companies = {t.company or "" for t in proof.testimonials}
    assert all(any(want in got for got in companies) for want in exp["testimonials"]["companies"]), companies
    if "locations" in exp["testimonials"]:
        # A place ("Minneapolis", "North End Tacoma") is a location, never a company.
        wanted = exp["testimonials"]["locations"]
        assert sorted(t.location for t in proof.testimonials if t.location) == sorted(wanted)
        assert not [c for c in companies if c and not any(w in c for w in exp["testimonials"]["companies"])]
    if exp["rating"] is None:
        assert not [r for r in proof.ratings if r.source == "json-ld"]
    else:
        top = proof.ratings[0]
        assert (top.value, top.scale, top.count) == (
            exp["rating"]["value"],
            exp["rating"]["scale"],
            exp["rating"]["count"],
        )
        assert top.source in {"json-ld", "text"}  # how it was read; where it is from is `platform`
        if "platform" in exp["rating"]:
            assert top.platform == exp["rating"]["platform"]
    for other in exp.get("other_ratings", []):
        assert any(r.value == other["value"] and r.count == other["count"] for r in proof.ratings)
    count = exp.get("customer_count")
    if count is None:
        assert proof.customer_counts == []
    else:
        assert any(c.value == count["value"] for c in proof.customer_counts), proof.customer_counts
        if "text" in count:
            assert any((c.text, c.value) == (count["text"], count["value"]) for c in proof.customer_counts)
    for counted in proof.customer_counts:
        # The text is the site's own phrase (verbatim), not a stat card's figure glued to its label.
        assert counted.evidence and counted.text == counted.evidence[0].quote
        assert counted.text in run.texts[counted.evidence[0].url]
        assert not re.match(r"^[$€£]?(\d[\d.,]*)\S*\s+\D*\1", counted.text), counted.text
    assert set(exp["customer_logos"]) <= {logo.name for logo in proof.customer_logos}


@pytest.mark.parametrize("name", STATIC_SITES)
async def test_ctas(runs: dict[str, Run], name: str) -> None:
    assert set(runs[name].expected["ctas"]) <= set(runs[name].profile.site_ctas)


@pytest.mark.parametrize("name", STATIC_SITES)
async def test_pages_crawled_and_skipped(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    crawled = {path_of(p.url) for p in run.profile.pages}
    assert crawled == set(run.expected["pages"]["crawl"])
    for skip in run.expected["pages"]["skip"]:
        url = skip["url"]
        assert path_of(url) not in crawled or not url.startswith("/")
        if skip["reason"] == "robots":
            assert url not in run.requested, f"{url} disallowed by robots.txt but requested"
            # Every such link sits on the start page: the user is told what was left out and why.
            assert any(url in w and "robots.txt" in w for w in run.profile.warnings), run.profile.warnings


@pytest.mark.parametrize("name", STATIC_SITES)
async def test_images(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    images = {path_of(i.url): i for i in run.profile.assets.images}
    assert len(run.profile.assets.images) <= 12
    for want in run.expected["images"]:
        got = images.get(want["path"])
        assert got is not None, f"missing image {want['path']}"
        assert got.section == want["section"], f"{want['path']}: {got.section} != {want['section']}"
        assert got.alt == want["alt"]
        assert got.artifact is not None and (run.artifacts / got.artifact.path).is_file()
        assert got.artifact.path.startswith("pipeline-test/site-images/")
    for rejected in run.expected["rejected_images"]:
        assert rejected["path"] not in images, f"{rejected['path']} ({rejected['reason']}) was kept"
    assert len(images) == len(run.profile.assets.images), "images are de-duplicated by URL"


@pytest.mark.parametrize("name", STATIC_SITES)
async def test_nothing_forbidden_and_payload_small(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    dumped = run.profile.model_dump_json()
    data = json.loads(dumped)
    flat = json.dumps(data, ensure_ascii=False)
    for text in run.expected["forbidden_text"]:
        assert text not in flat, text
    used = json.dumps({k: v for k, v in data.items() if k != "warnings"}, ensure_ascii=False)
    for must_not in run.expected.get("must_not_fetch", []):
        # Those hosts are unreachable here anyway; nothing from them may be used (warnings may
        # name them: they say what was refused).
        assert must_not not in used
    assert len(dumped.encode()) < 100_000
    assert 0.0 < run.profile.confidence <= 1.0


async def test_declared_charsets_decode_cleanly(runs: dict[str, Run]) -> None:
    run = runs["latin1"]
    for check in run.expected["decoding_checks"]:
        page = next(url for url in run.texts if path_of(url) == check["page"])
        assert check["contains"] in run.texts[page]


def test_expected_sites_are_all_covered() -> None:
    names = {p.name for p in SITES_DIR.iterdir() if (p / "expected.json").is_file()}
    assert names - {"js_shell"} <= set(STATIC_SITES)
    assert re.match(r"^#[0-9a-f]{6}$", expected_for("saas")["primary_color"])
