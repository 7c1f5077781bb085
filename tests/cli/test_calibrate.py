"""`brandtruth calibrate RESULTS.csv`: fits on good data, refuses bad data with a clear message."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandtruth.cli import app


def _write_results(path: Path, rows: int) -> None:
    rng = random.Random(7)
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["creative", "headline", "primary_text", "platform", "format", "impressions", "clicks", "cta"])
        for i in range(rows):
            strong = i % 2 == 0
            headline = "Save 40% on reporting today" if strong else "Our product"
            clicks = rng.randint(30, 60) if strong else rng.randint(5, 20)
            writer.writerow([f"ad-{i}", headline, "Close the books faster.", "meta", "square", 2000, clicks,
                             "Get Started" if strong else ""])  # fmt: skip


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"BRANDTRUTH_DATA_DIR": str(tmp_path / "data")}


def test_calibrate_fits_and_saves_the_model(tmp_path: Path, env: dict[str, str]) -> None:
    results = tmp_path / "results.csv"
    _write_results(results, 80)
    outcome = CliRunner().invoke(app, ["calibrate", str(results)], env=env)
    assert outcome.exit_code == 0, outcome.output
    assert "AUC" in outcome.output
    assert list((tmp_path / "data" / "models").glob("score-model*.json"))


def test_calibrate_refuses_too_few_rows_and_keeps_no_model(tmp_path: Path, env: dict[str, str]) -> None:
    results = tmp_path / "results.csv"
    _write_results(results, 5)
    outcome = CliRunner().invoke(app, ["calibrate", str(results)], env=env)
    assert outcome.exit_code == 2
    assert "at least" in outcome.output
    assert not (tmp_path / "data" / "models" / "score-model.json").exists()
