"""Typed errors of the score stage and of calibration.

All are `BadInputError` subclasses: retrying cannot fix a missing creative, an unreadable model
file or a malformed results CSV, so Temporal must not retry them.
"""

from __future__ import annotations

from brandtruth.errors import BadInputError


class ScoreInputError(BadInputError):
    """The score stage got input it cannot score (missing/undecodable creative, mismatched ids)."""


class CalibrationDataError(BadInputError):
    """The results CSV given to `calibrate` is unusable; the message says which rows/columns and why."""


class ScoreModelError(BadInputError):
    """The active calibrated model file exists but cannot be read (edited by hand or wrong schema)."""
