"""`brandtruth up` helpers."""

from __future__ import annotations

from brandtruth.cli.stack import allowed_hosts_with_sample_site, sample_site_dir
from brandtruth.config import Settings
from brandtruth.temporal.devserver import devserver_command


def test_sample_site_is_added_and_user_hosts_kept() -> None:
    merged = allowed_hosts_with_sample_site("intranet.local, 10.0.0.5:8080", 8001)
    assert merged.split(",") == ["intranet.local", "10.0.0.5:8080", "127.0.0.1:8001", "localhost:8001"]
    assert allowed_hosts_with_sample_site("127.0.0.1:8001", 8001).split(",") == ["127.0.0.1:8001", "localhost:8001"]


def test_sample_site_ships_in_the_package() -> None:
    root = sample_site_dir()
    assert (root / "index.html").is_file()
    assert "<title>" in (root / "index.html").read_text()


def test_devserver_keeps_its_state_in_the_data_dir(tmp_path: object) -> None:
    settings = Settings(_env_file=None, BRANDTRUTH_DATA_DIR=tmp_path, TEMPORAL_HOST="localhost:7234")
    cmd = devserver_command(settings)
    assert cmd[1:3] == ["server", "start-dev"]
    assert cmd[cmd.index("--port") + 1] == "7234"
    assert cmd[cmd.index("--ui-port") + 1] == "8080"
    assert cmd[cmd.index("--db-filename") + 1].startswith(str(tmp_path))
    assert "PipelineStage=Keyword" in cmd
