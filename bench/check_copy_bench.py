"""Benchmark of the truth gate as `brandtruth check-copy` runs it: 1,000 lines against one profile.

`run()` returns the median wall-clock seconds to build the support index and judge 1,000
distinct ad lines (the red-team corpus's 500-odd lines, each also with a varied tail), with
every memoised scan cleared first, so the number is a cold check of a fresh batch. Target: ≤ 2 s.
The copy stage's own target (10 variants ≤ 50 ms) is measured by copy_bench.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from bench.copy_bench import bench_profile
from brandtruth.stages.copy.assertions import clear_caches
from brandtruth.stages.copy.grounding import SupportIndex
from brandtruth.stages.copy.verdict import check_lines

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "stages" / "copy" / "redteam"


def lines(count: int = 1000) -> list[str]:
    texts = [
        json.loads(row)["text"] for path in sorted(CORPUS.glob("*.jsonl")) for row in path.read_text().splitlines()
    ]
    out: list[str] = []
    i = 0
    while len(out) < count:
        base = texts[i % len(texts)]
        round_ = i // len(texts)
        out.append(base if round_ == 0 else f"{base} — for {round_ * 7 + 3} teams")
        i += 1
    return out


def run(repeats: int = 5) -> dict[str, float]:
    batch = lines()
    profile = bench_profile()
    samples: list[float] = []
    verdicts: dict[str, int] = {}
    for _ in range(repeats):
        clear_caches()
        start = time.perf_counter()
        index = SupportIndex(profile, allow_high_risk=False)
        results = check_lines(index, batch)
        samples.append(time.perf_counter() - start)
        verdicts = {v: sum(r.verdict == v for r in results) for v in ("supported", "unsupported", "blocked")}
    return {
        "check_copy_1000_lines_median_s": round(statistics.median(samples), 3),
        "check_copy_1000_lines_max_s": round(max(samples), 3),
        "check_copy_lines_supported": verdicts["supported"],
        "check_copy_lines_unsupported": verdicts["unsupported"],
        "check_copy_lines_blocked": verdicts["blocked"],
    }


if __name__ == "__main__":
    print(run())
