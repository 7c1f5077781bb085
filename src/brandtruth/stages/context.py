"""What a stage needs from its runner besides its input model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from brandtruth.config import Settings
from brandtruth.storage import ArtifactStore


def _no_heartbeat(*_details: object) -> None:
    return None


@dataclass(frozen=True)
class StageContext:
    """Run id (artifact namespace), settings, the artifact store and a liveness callback.

    `heartbeat` is Temporal's `activity.heartbeat` inside a worker and a no-op in the fallback
    orchestrator; long stages call it between units of work.
    """

    run_id: str
    settings: Settings
    store: ArtifactStore
    heartbeat: Callable[..., None] = field(default=_no_heartbeat)
