"""A hand-typed approval signal that is not an approval is ignored with one warning, no traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from temporalio.testing import WorkflowEnvironment

from brandtruth.models.pipeline import Stage
from brandtruth.temporal import names
from tests.support.logs import LogRecords, captured_logs
from tests.temporal.test_workflow_stubbed import StubStages, start, stub_worker, wait_stage


@pytest.fixture
def temporal_log() -> Iterator[LogRecords]:
    with captured_logs("temporalio") as handler:
        yield handler


async def test_bad_signal_payloads_are_logged_once_and_the_run_still_takes_a_good_one(
    temporal_env: WorkflowEnvironment, temporal_log: LogRecords
) -> None:
    async with stub_worker(temporal_env, StubStages()) as queue:
        handle = await start(temporal_env, queue, num_variants=2)
        await wait_stage(handle, Stage.AWAITING_APPROVAL)
        await handle.signal(names.SIGNAL_APPROVE, {"variant_ids": "v1"})
        await handle.signal(names.SIGNAL_APPROVE, [1, 2])
        await handle.signal(names.SIGNAL_APPROVE, {"variant_ids": ["v2"]})
        result = await handle.result()
    assert result.stage == Stage.COMPLETED
    assert result.decision is not None and result.decision.approved_ids == ["v2"]
    ignored = [r for r in temporal_log.records if "Ignored approval signal" in r.getMessage()]
    assert len(ignored) == 2, [r.getMessage() for r in temporal_log.records]
    assert all(r.exc_info is None and r.levelno == logging.WARNING for r in ignored)
    assert 'expected {"variant_ids"' in ignored[0].getMessage()
    errors = [r.getMessage() for r in temporal_log.records if r.levelno >= logging.ERROR]
    assert errors == []
