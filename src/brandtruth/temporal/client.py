"""Connecting to Temporal with the project's data converter."""

from __future__ import annotations

import asyncio
import time
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


async def count_workers(client: Client, task_queue: str, *, timeout: float = 2.0) -> int:
    """Workers polling `task_queue` for workflow tasks (distinct identities seen within the poll window)."""
    described = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        ),
        timeout=timedelta(seconds=timeout),
    )
    now = time.time()
    return len(
        {
            p.identity
            for p in described.pollers
            if now - p.last_access_time.ToSeconds() - p.last_access_time.nanos / 1e9 < POLLER_WINDOW_SECONDS
        }
    )


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
