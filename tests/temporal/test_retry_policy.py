"""The workflow's retry policy stops on every bad-input error class the worker knows, and only those."""

from __future__ import annotations

import brandtruth.temporal.worker  # noqa: F401  (imports every stage, as a worker does)
from brandtruth.errors import BadInputError, BrandTruthError, TransientError
from brandtruth.temporal.workflows.ad_pipeline import retry_policy


def _all_subclasses(cls: type[BrandTruthError]) -> set[type[BrandTruthError]]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def test_non_retryable_types_are_exactly_the_bad_input_classes() -> None:
    listed = set(retry_policy().non_retryable_error_types or [])
    bad_input = {c.__name__ for c in _all_subclasses(BadInputError)} | {"BadInputError"}
    transient = {c.__name__ for c in _all_subclasses(TransientError)} | {"TransientError"}
    assert bad_input <= listed
    assert not listed & transient
    # Those a hand-kept list once missed, defined in the stages' own modules:
    assert {"LLMRequestRejectedError", "ScoreInputError", "CalibrationDataError", "ScoreModelError"} <= listed
