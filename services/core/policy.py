"""The error policy of every stage, written once: what an error means, and how long to wait."""

from __future__ import annotations

import sqlite3
from typing import Literal

from services.core.errors import RecordFault, TransientError
from services.core.kafkaerrors import is_broker_error

# record: a fault of the record (DLQ, go on); transient: a dependency is down (retry, never
# skip); bug: anything else (bounded retries, then stop the partition, or dead-letter it if the
# operator tolerates errors).
Policy = Literal["record", "transient", "bug"]
Tolerance = Literal["none", "all"]


def classify(error: BaseException) -> Policy:
    """What the runner does with ``error``, raised while a record was handled."""
    if isinstance(error, RecordFault):
        return "record"
    if isinstance(error, TransientError | OSError | sqlite3.OperationalError):
        return "transient"
    if is_broker_error(error):  # raised inside a client call, not translated
        return "transient"
    return "bug"


class Backoff:
    """Exponential backoff with a ceiling; reset after a success."""

    def __init__(self, initial_s: float, max_s: float) -> None:
        self._initial, self._max, self._attempt = initial_s, max_s, 0

    def next_delay(self) -> float:
        delay: float = min(self._initial * 2.0**self._attempt, self._max)
        self._attempt += 1
        return delay

    def reset(self) -> None:
        self._attempt = 0
