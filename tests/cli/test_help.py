"""`--help` tells a newcomer what can be set, without reading the code."""

from __future__ import annotations

from typer.testing import CliRunner

from brandtruth.cli.main import app


def test_up_help_names_the_port_variables() -> None:
    out = CliRunner().invoke(app, ["up", "--help"], env={"COLUMNS": "200"}).output
    for variable in ("TEMPORAL_HOST", "TEMPORAL_UI_PORT", "BRANDTRUTH_API_PORT", "BRANDTRUTH_SAMPLE_SITE_PORT"):
        assert variable in out


def test_generate_help_lists_the_decision_options() -> None:
    out = CliRunner().invoke(app, ["generate", "--help"], env={"COLUMNS": "200"}).output
    assert "--approve" in out and "--no-wait" in out and "meta (default)" in out
