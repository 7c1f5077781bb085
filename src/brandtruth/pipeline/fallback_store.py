"""SQLite persistence of fallback runs, so results and decisions survive an API restart."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

from brandtruth.models.pipeline import PipelineResult

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    workflow_id TEXT PRIMARY KEY,
    stage       TEXT NOT NULL,
    url         TEXT NOT NULL,
    started_at  TEXT,
    result_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_started ON runs (started_at DESC);
"""


class FallbackStore:
    """One row per run holding the whole `PipelineResult` (events included) as JSON.

    sqlite3 is blocking, so every call runs in a worker thread; a lock serialises writers.
    Each save is one transaction: a run is never stored half-written.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)

    def _save(self, result: PipelineResult) -> None:
        row = (
            result.workflow_id,
            result.stage.value,
            result.request.url,
            result.started_at.isoformat() if result.started_at else None,
            result.model_dump_json(),
        )
        with self._lock:
            self._conn.execute(
                "INSERT INTO runs (workflow_id, stage, url, started_at, result_json) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(workflow_id) DO UPDATE SET stage=excluded.stage, result_json=excluded.result_json",
                row,
            )

    def _save_decision(self, result: PipelineResult) -> bool:
        with self._lock:
            cursor = self._conn.execute(
                "UPDATE runs SET stage = ?, result_json = ? WHERE workflow_id = ?"
                " AND json_extract(result_json, '$.decision') IS NULL",
                (result.stage.value, result.model_dump_json(), result.workflow_id),
            )
            return cursor.rowcount == 1

    def _load(self, workflow_id: str) -> PipelineResult | None:
        with self._lock:
            row = self._conn.execute("SELECT result_json FROM runs WHERE workflow_id = ?", (workflow_id,)).fetchone()
        return PipelineResult.model_validate_json(row[0]) if row else None

    def _exists(self, workflow_id: str) -> bool:
        with self._lock:
            row = self._conn.execute("SELECT 1 FROM runs WHERE workflow_id = ?", (workflow_id,)).fetchone()
        return row is not None

    def _ids_in_stages(self, stages: tuple[str, ...]) -> list[str]:
        marks = ",".join("?" * len(stages))
        with self._lock:
            rows = self._conn.execute(f"SELECT workflow_id FROM runs WHERE stage IN ({marks})", stages).fetchall()
        return [r[0] for r in rows]

    def _recent(self, limit: int) -> list[tuple[str, str, str, str | None]]:
        with self._lock:
            return self._conn.execute(
                "SELECT workflow_id, url, stage, started_at FROM runs ORDER BY started_at DESC LIMIT ?",
                (limit,),
            ).fetchall()

    async def save(self, result: PipelineResult) -> None:
        await asyncio.to_thread(self._save, result.model_copy(deep=True))

    async def save_decision(self, result: PipelineResult) -> bool:
        """Store a decided run only if no decision is stored yet; False if one already was.

        The condition is checked by SQLite inside the write, so two writers (even in two
        processes sharing the file) can never both record a decision.
        """
        return await asyncio.to_thread(self._save_decision, result.model_copy(deep=True))

    async def load(self, workflow_id: str) -> PipelineResult | None:
        return await asyncio.to_thread(self._load, workflow_id)

    async def exists(self, workflow_id: str) -> bool:
        """Whether the run is stored, without reading its result (asked on every API request)."""
        return await asyncio.to_thread(self._exists, workflow_id)

    async def ids_in_stages(self, *stages: str) -> list[str]:
        return await asyncio.to_thread(self._ids_in_stages, stages)

    async def recent(self, limit: int = 50) -> list[tuple[str, str, str, str | None]]:
        return await asyncio.to_thread(self._recent, limit)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
