"""Settings for tests and benches: explicit values over the process environment, never a `.env` file."""

from __future__ import annotations

from collections.abc import Mapping

from brandtruth.config import Settings


def settings_from(values: Mapping[str, object]) -> Settings:
    """Build `Settings` from `values`, keyed by env-var name (`BRANDTRUTH_DATA_DIR`) or field name.

    A developer's `.env` file must not leak into a test, so it is switched off. `model_validate` runs
    `BaseSettings.__init__`, which is what reads `_env_file`; values are validated exactly as from the
    environment (strings are parsed, `BRANDTRUTH_ALLOWED_HOSTS` is split on commas).
    """
    return Settings.model_validate({**values, "_env_file": None})
