"""Run state: the event log and the approval rules both runners share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from brandtruth.models.copy import Angle, CopyVariant, Platform
from brandtruth.models.pipeline import ApprovalRequest, PipelineRequest, Stage, VariantResult
from brandtruth.pipeline.errors import ApprovalConflict, ApprovalInvalid
from brandtruth.pipeline.state import MAX_EVENTS, PipelineState

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _state_awaiting(n: int = 3) -> PipelineState:
    state = PipelineState.new("pipeline-abc", PipelineRequest(url="https://example.com"), "temporal", T0)
    state.result.variants = [
        VariantResult(
            variant=CopyVariant(
                id=f"v{i}",
                platform=Platform.META,
                angle=Angle.BENEFIT,
                headline="h",
                primary_text="p",
                cta="Learn More",
            )
        )
        for i in range(1, n + 1)
    ]
    state.emit(Stage.AWAITING_APPROVAL, "ready", T0 + timedelta(seconds=5))
    return state


def test_events_are_numbered_and_readable_from_any_point() -> None:
    state = _state_awaiting()
    seqs = [e.seq for e in state.result.events]
    assert seqs == [1, 2]
    assert [e.seq for e in state.events_since(1)] == [2]
    assert state.events_since(2) == []


def test_event_log_is_bounded_but_keeps_counting() -> None:
    state = _state_awaiting()
    for i in range(MAX_EVENTS + 10):
        state.emit(Stage.AWAITING_APPROVAL, f"tick {i}", T0)
    assert len(state.result.events) == MAX_EVENTS
    assert state.last_event.seq == MAX_EVENTS + 12


def test_terminal_event_sets_finish_time_and_duration() -> None:
    state = _state_awaiting()
    state.emit(Stage.COMPLETED, "done", T0 + timedelta(seconds=42))
    assert state.result.finished_at == T0 + timedelta(seconds=42)
    assert state.result.duration_seconds == 42.0


def test_decision_approves_listed_and_rejects_the_rest() -> None:
    state = _state_awaiting()
    decision = state.decide(ApprovalRequest(variant_ids=["v3", "v1"], comment="ok"), T0, "update")
    assert decision.approved_ids == ["v1", "v3"] and decision.rejected_ids == ["v2"]
    with pytest.raises(ApprovalConflict, match="already been decided"):
        state.check_approval(ApprovalRequest(variant_ids=["v2"]))


def test_unknown_ids_are_invalid_and_early_approval_is_a_conflict() -> None:
    state = _state_awaiting()
    with pytest.raises(ApprovalInvalid, match="v9"):
        state.check_approval(ApprovalRequest(variant_ids=["v1", "v9"]))

    early = PipelineState.new("pipeline-x", PipelineRequest(url="https://example.com"), "fallback", T0)
    with pytest.raises(ApprovalConflict, match="not awaiting approval"):
        early.check_approval(ApprovalRequest(variant_ids=[]))


def test_rejecting_everything_is_a_valid_decision() -> None:
    state = _state_awaiting(2)
    decision = state.decide(ApprovalRequest(variant_ids=[]), T0, "fallback")
    assert decision.approved_ids == [] and decision.rejected_ids == ["v1", "v2"]
