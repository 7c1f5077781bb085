"""A recorded history must replay on the current workflow code without nondeterminism.

If this fails after a workflow edit, the edit would break runs already in flight: guard it with
`workflow.patched()` (or a new workflow version) instead of re-recording the history.
"""

from __future__ import annotations

import json
from pathlib import Path

from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from brandtruth.temporal.workflows import AdPipelineWorkflow

HISTORY = Path(__file__).parent / "histories" / "ad_pipeline_completed.json"


async def test_recorded_history_replays() -> None:
    data = json.loads(HISTORY.read_text())
    history = WorkflowHistory.from_json("pipeline-recorded000", data)
    replayer = Replayer(workflows=[AdPipelineWorkflow], data_converter=pydantic_data_converter)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=True)
    assert result.replay_failure is None
