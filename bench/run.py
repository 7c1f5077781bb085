"""`make bench`: run every benchmark, write bench/results/latest.json and print a report."""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

SUITES = [
    "extract_bench",
    "copy_bench",
    "check_copy_bench",
    "compose_bench",
    "score_bench",
    "pipeline_bench",
    "scale_profile",
    "scale_bench",
]
OUT = Path(__file__).parent / "results" / "latest.json"


def machine() -> dict[str, object]:
    mem_kb = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }


def main() -> int:
    results: dict[str, object] = {"machine": machine(), "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    failed = False
    for name in sys.argv[1:] or SUITES:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError:
            continue
        print(f"== {name}", flush=True)
        try:
            numbers = module.run()
        except Exception:
            traceback.print_exc()
            results[name] = {"error": traceback.format_exc(limit=3)}
            failed = True
            continue
        results[name] = numbers
        for key, value in numbers.items():
            print(f"   {key:40} {value}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    print(f"wrote {OUT}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
