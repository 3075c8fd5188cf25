"""The error policy of every stage, written once: what is transient, and how long to wait."""

from __future__ import annotations

import sqlite3
from typing import Literal

from aiokafka.errors import KafkaError

from services.core.errors import TransientError

Policy = Literal["permanent", "transient"]


def classify(error: BaseException) -> Policy:
    """Dependency failures (broker, disk, database) are transient; everything else is permanent:
    the same record would fail the same way again."""
    if isinstance(error, TransientError | KafkaError | OSError | sqlite3.OperationalError):
        return "transient"
    return "permanent"


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
