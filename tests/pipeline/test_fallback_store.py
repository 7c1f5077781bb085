"""The fallback store records a decision at most once, even for two writers on one file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from brandtruth.models.pipeline import ApprovalRequest, PipelineRequest, Stage
from brandtruth.pipeline.fallback_store import FallbackStore
from brandtruth.pipeline.state import PipelineState

T0 = datetime(2026, 1, 1, tzinfo=UTC)


async def test_two_connections_cannot_both_record_a_decision(tmp_path: Path) -> None:
    db = tmp_path / "fallback.sqlite3"
    first, second = FallbackStore(db), FallbackStore(db)
    state = PipelineState.new("pipeline-0000000000aa", PipelineRequest(url="https://example.com"), "fallback", T0)
    state.emit(Stage.AWAITING_APPROVAL, "ready", T0)
    await first.save(state.result)

    loaded_a, loaded_b = await first.load(state.result.workflow_id), await second.load(state.result.workflow_id)
    assert loaded_a is not None and loaded_b is not None
    a, b = PipelineState(loaded_a), PipelineState(loaded_b)
    a.decide(ApprovalRequest(variant_ids=[]), T0, "fallback")
    b.decide(ApprovalRequest(variant_ids=[], comment="second"), T0, "fallback")

    assert await first.save_decision(a.result) is True
    assert await second.save_decision(b.result) is False
    stored = await second.load(state.result.workflow_id)
    assert stored is not None and stored.decision is not None and stored.decision.comment is None
    first.close()
    second.close()
