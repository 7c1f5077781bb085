"""Connecting to Temporal with the project's data converter."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError, RPCStatusCode

from brandtruth.config import Settings
from brandtruth.temporal import names


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
