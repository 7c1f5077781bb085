"""Log records caught at the named loggers themselves.

uvicorn's and temporalio's loggers do not all propagate to the root logger, so pytest's `caplog`
misses them; a handler attached to each named logger sees what a user would see in the console.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class LogRecords(logging.Handler):
    """Keeps every record at or above its level, in order."""

    def __init__(self, level: int = logging.WARNING) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self) -> list[str]:
        return [r.getMessage() for r in self.records]


@contextmanager
def captured_logs(*names: str, level: int = logging.WARNING) -> Iterator[LogRecords]:
    """Records of the loggers `names` ("" is the root logger) for the `with` block."""
    handler = LogRecords(level)
    loggers = [logging.getLogger(name) for name in names]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
