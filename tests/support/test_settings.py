"""`settings_from` builds what a test asks for and ignores a stray `.env` in the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.settings import settings_from


def test_values_by_env_name_and_field_name_are_validated(tmp_path: Path) -> None:
    settings = settings_from(
        {"BRANDTRUTH_ALLOWED_HOSTS": "127.0.0.1:9, example.test", "BRANDTRUTH_DATA_DIR": tmp_path, "max_pages": "3"}
    )
    assert settings.allowed_hosts == ["127.0.0.1:9", "example.test"]
    assert settings.data_dir == tmp_path
    assert settings.max_pages == 3


def test_a_dotenv_file_in_the_working_directory_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRANDTRUTH_API_PORT", raising=False)
    (tmp_path / ".env").write_text("BRANDTRUTH_API_PORT=9999\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert settings_from({}).api_port == 8000
