"""Helpers for driving runs directly through Temporal."""

from __future__ import annotations

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle

from brandtruth.api.temporal_backend import TemporalBackend
from brandtruth.models.pipeline import Stage
from tests.conftest import wait_for


async def wait_for_stage(backend: TemporalBackend, workflow_id: str, *stages: Stage, timeout: float = 60) -> Stage:
    seen: list[Stage] = []

    async def reached() -> bool:
        snap = await backend.snapshot(workflow_id)
        seen.append(snap.stage)
        return snap.stage in stages

    await wait_for(reached, timeout=timeout, every=0.1)
    return seen[-1]


async def activity_attempts(handle: WorkflowHandle[object, object]) -> dict[str, list[int]]:
    """Activity type → attempt number of each started execution, read from the run's history."""
    scheduled: dict[int, str] = {}
    attempts: dict[str, list[int]] = {}
    async for event in handle.fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            scheduled[event.event_id] = event.activity_task_scheduled_event_attributes.activity_type.name
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
            attrs = event.activity_task_started_event_attributes
            attempts.setdefault(scheduled[attrs.scheduled_event_id], []).append(attrs.attempt)
    return attempts


async def history_event_types(handle: WorkflowHandle[object, object]) -> list[int]:
    return [event.event_type async for event in handle.fetch_history_events()]
