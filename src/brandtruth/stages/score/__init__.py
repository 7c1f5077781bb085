"""The score stage: explainable performance predictions, calibrated on the user's own results.

`score_variant` is the stage function; `calibration.calibrate` fits the model that
`model.load_active_model` hands to it (the `heuristic-v1` prior until a calibration exists).
"""

from __future__ import annotations

from brandtruth.stages.score.errors import CalibrationDataError, ScoreInputError, ScoreModelError
from brandtruth.stages.score.model import load_active_model
from brandtruth.stages.score.stage import score_variant

__all__ = [
    "CalibrationDataError",
    "ScoreInputError",
    "ScoreModelError",
    "load_active_model",
    "score_variant",
]
