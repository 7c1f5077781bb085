"""Connecting to Temporal with the project's data converter."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import timedelta

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client, WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError, RPCStatusCode

from brandtruth.config import Settings
from brandtruth.models.pipeline import PipelineResult
from brandtruth.temporal import names
from brandtruth.temporal.workflows import AdPipelineWorkflow

# A live worker polls again at least once per long-poll (about a minute on Temporal servers), and
# the server keeps a departed poller listed for minutes: pollers seen within this window are live.
POLLER_WINDOW_SECONDS = 70.0


async def connect(settings: Settings, *, timeout: float = 5.0) -> Client:
    """Connect (bounded by `timeout` seconds) with the pydantic data converter."""
    return await asyncio.wait_for(
        Client.connect(
            settings.temporal_host,
            namespace=settings.temporal_namespace,
            data_converter=pydantic_data_converter,
        ),
        timeout=timeout,
    )


async def is_healthy(client: Client, *, timeout: float = 2.0) -> bool:
    """True when the frontend answers its health check within `timeout` seconds."""
    try:
        return await asyncio.wait_for(client.service_client.check_health(timeout=timedelta(seconds=timeout)), timeout)
    except (RPCError, TimeoutError, OSError, RuntimeError):
        return False


def pipeline_handle(client: Client, workflow_id: str) -> WorkflowHandle[AdPipelineWorkflow, PipelineResult]:
    """A typed handle: queries, the update and the signal are named by the workflow's methods."""
    return client.get_workflow_handle_for(AdPipelineWorkflow.run, workflow_id)


@dataclass(frozen=True)
class QueueHealth:
    """Who serves a task queue: live pollers, and how long its oldest waiting task has waited."""

    workers: int
    backlog_age_seconds: float


async def describe_queue(client: Client, task_queue: str, *, timeout: float = 2.0) -> QueueHealth:
    """Workers polling `task_queue` (distinct identities seen within the poll window) and the age of
    the oldest task nobody has taken, over workflow and activity tasks.

    A killed worker stays listed as a poller for a while; tasks piling up unserved show it sooner.
    """
    workers: set[str] = set()
    backlog = 0.0
    now = time.time()
    for kind in (TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY):
        described = await client.workflow_service.describe_task_queue(
            DescribeTaskQueueRequest(
                namespace=client.namespace,
                task_queue=TaskQueue(name=task_queue),
                task_queue_type=kind,
                report_stats=True,
            ),
            timeout=timedelta(seconds=timeout),
        )
        if kind == TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW:
            workers = {
                p.identity
                for p in described.pollers
                if now - p.last_access_time.ToSeconds() - p.last_access_time.nanos / 1e9 < POLLER_WINDOW_SECONDS
            }
        age = described.stats.approximate_backlog_age
        if described.stats.approximate_backlog_count:
            backlog = max(backlog, age.seconds + age.nanos / 1e9)
    return QueueHealth(workers=len(workers), backlog_age_seconds=backlog)


async def ensure_search_attributes(client: Client) -> None:
    """Register `PipelineStage` on servers that lack it (the embedded server registers it at start).

    Temporal Cloud and locked-down clusters refuse this call; runs still work there once an
    operator registers the attribute, so a refusal is not fatal here.
    """
    from temporalio.api.enums.v1 import IndexedValueType
    from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest, ListSearchAttributesRequest

    listed = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=client.namespace)
    )
    if names.PIPELINE_STAGE.name in listed.custom_attributes:
        return
    try:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(
                namespace=client.namespace,
                search_attributes={names.PIPELINE_STAGE.name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD},
            )
        )
    except RPCError as exc:
        if exc.status != RPCStatusCode.ALREADY_EXISTS:
            raise
