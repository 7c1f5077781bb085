"""The worker's terminal: one line for a run refused on bad input, a traceback only for real faults."""

from __future__ import annotations

import logging
import sys

from temporalio.exceptions import ApplicationError

from brandtruth.temporal.worker import RefusedInputOnOneLine


def _record(exc: BaseException) -> logging.LogRecord:
    try:
        raise exc
    except BaseException:
        info = sys.exc_info()
    return logging.LogRecord(
        "temporalio.activity", logging.WARNING, __file__, 1, "Completing activity as failed (%s)", ("x",), info
    )


def test_bad_input_is_one_line_and_other_failures_keep_their_traceback() -> None:
    quiet = RefusedInputOnOneLine()
    refused = _record(
        ApplicationError("refusing to fetch http://10.0.0.1/", type="BlockedAddressError", non_retryable=True)
    )
    assert quiet.filter(refused)
    text = logging.Formatter().format(refused)
    assert text == "Completing activity as failed (x): BlockedAddressError: refusing to fetch http://10.0.0.1/"
    assert "Traceback" not in text

    fault = _record(RuntimeError("disk full"))
    assert quiet.filter(fault)
    assert "Traceback" in logging.Formatter().format(fault)
    retryable = _record(ApplicationError("timed out", type="TransientError"))
    assert quiet.filter(retryable) and "Traceback" in logging.Formatter().format(retryable)
