"""`brandtruth check-copy`: verdicts per line in order, exit codes 0/1/2, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandtruth.cli import app
from tests.support.copy_builders import rich_profile
from tests.support.site_server import serve_sample_site

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    path = tmp_path / "profile.json"
    path.write_text(rich_profile().model_dump_json(), encoding="utf-8")
    return path


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"BRANDTRUTH_DATA_DIR": str(tmp_path / "data")}


def test_json_verdicts_in_input_order_and_exit_1(profile_file: Path, env: dict[str, str]) -> None:
    args = ["check-copy", "--profile", str(profile_file), "--json"]
    args += ["-t", "Trusted by 12,000+ teams", "-t", "Save up to forty percent", "-t", "Clinically proven"]
    out = CliRunner().invoke(app, args, env=env)
    assert out.exit_code == 1, out.output
    rows = json.loads(out.output)
    assert [r["text"] for r in rows] == ["Trusted by 12,000+ teams", "Save up to forty percent", "Clinically proven"]
    assert [r["verdict"] for r in rows] == ["supported", "unsupported", "blocked"]
    assert rows[0]["evidence"] and rows[0]["evidence"][0]["url"].startswith("https://")
    assert rows[1]["issues"][0]["span"] and rows[1]["issues"][0]["class"]
    assert {"text", "verdict", "issues", "evidence"} <= set(rows[0])


def test_all_supported_exits_0(profile_file: Path, env: dict[str, str]) -> None:
    out = CliRunner().invoke(
        app, ["check-copy", "--profile", str(profile_file), "-t", "Rated 4.8/5 on G2", "-t", "Book meetings"], env=env
    )
    assert out.exit_code == 0, out.output
    assert out.output.count("SUPPORTED") == 2


def _run(args: list[str], stdin: bytes, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "brandtruth.cli", "check-copy", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **env},
        timeout=60,
        check=False,
    )


def test_stdin_lines_and_bad_lines_are_per_line_errors(profile_file: Path, env: dict[str, str]) -> None:
    lines = ["Trusted by NASA", "", "x" * 10_000, "Book\x07meetings", "Rated 4.8/5 on G2"]
    done = _run(["--profile", str(profile_file), "--json"], "\n".join(lines).encode(), env)
    assert done.returncode == 2, done.stderr
    assert b"Traceback" not in done.stderr + done.stdout
    rows = json.loads(done.stdout)
    assert [r["verdict"] for r in rows] == ["unsupported", "error", "error", "error", "supported"]
    assert "empty" in rows[1]["error"] and "characters long" in rows[2]["error"] and "U+0007" in rows[3]["error"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", b"not a JSON brand profile"),
        (b'{"hello": "world"}', b"is not a brand profile"),
        (b"\xff\xfe\x00garbage", b"not a JSON brand profile"),
    ],
)
def test_a_file_that_is_not_a_profile_exits_2(
    tmp_path: Path, env: dict[str, str], content: bytes, message: bytes
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    done = _run(["--profile", str(path), "-t", "Book meetings"], b"", env)
    assert done.returncode == 2
    assert message in done.stderr and b"Traceback" not in done.stderr


def test_missing_file_and_no_source_exit_2(tmp_path: Path, env: dict[str, str]) -> None:
    missing = _run(["--profile", str(tmp_path / "nope.json"), "-t", "x"], b"", env)
    assert missing.returncode == 2 and b"cannot read" in missing.stderr and b"Traceback" not in missing.stderr
    neither = _run(["-t", "x"], b"", env)
    assert neither.returncode == 2 and b"exactly one of" in neither.stderr


def test_url_extracts_first(env: dict[str, str]) -> None:
    with serve_sample_site() as site:
        done = _run(
            ["--url", site.url("/"), "--json", "-t", "Connect every source in minutes", "-t", "As seen in Forbes"],
            b"",
            {**env, "BRANDTRUTH_ALLOWED_HOSTS": site.host_port},
        )
    assert done.returncode == 1, done.stderr
    assert [r["verdict"] for r in json.loads(done.stdout)] == ["supported", "unsupported"]


def test_url_refused_by_the_ssrf_guard_exits_2(env: dict[str, str]) -> None:
    done = _run(["--url", "http://169.254.169.254/latest", "-t", "x"], b"", env)
    assert done.returncode == 2 and b"could not extract" in done.stderr and b"Traceback" not in done.stderr
