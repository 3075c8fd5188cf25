"""Partitions a stage stopped on: a record its code fails on (a bug, not a fault of the record).

Kept per input partition. After ``errors_retry_limit`` failed retries of the same committed
position, the runner pauses the partition (nothing past the record is committed, nothing of it
published) and records a :class:`PartitionFailure` here: the health endpoint and the
``newsflow_stage_failing`` gauge report it until the stage is restarted (or the partition is
revoked, and its new owner meets the record again).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from services.core import metrics

TopicPartition = tuple[str, int]


@dataclass(frozen=True, slots=True)
class PartitionFailure:
    """Where a partition stopped, and why."""

    topic: str
    partition: int
    offset: int
    error_class: str
    error_message: str
    since: float  # epoch seconds

    def describe(self) -> str:
        return (
            f"{self.topic}/{self.partition} stopped at offset {self.offset}: "
            f"{self.error_class}: {self.error_message}"
        )

    def to_dict(self) -> dict[str, str | int | float]:
        return {
            "topic": self.topic,
            "partition": self.partition,
            "offset": self.offset,
            "error_class": self.error_class,
            "error_message": self.error_message,
            "since": self.since,
        }


class FailureBook:
    """Failed attempts per partition, and the partitions stopped after too many."""

    def __init__(self, stage: str, retry_limit: int) -> None:
        self._stage = stage
        self._retry_limit = retry_limit
        self._attempts: dict[TopicPartition, int] = {}
        self.stopped: dict[TopicPartition, PartitionFailure] = {}

    def attempts(self, tp: TopicPartition) -> int:
        """Failed attempts of the partition's current record so far."""
        return self._attempts.get(tp, 0)

    def last_chance(self, tp: TopicPartition) -> bool:
        """Whether the next attempt is the last the retry limit allows."""
        return self.attempts(tp) >= self._retry_limit

    def failed(self, tp: TopicPartition) -> bool:
        """Count a failed attempt; ``True`` once the retries are used up."""
        self._attempts[tp] = self.attempts(tp) + 1
        return self._attempts[tp] > self._retry_limit

    def succeeded(self, tp: TopicPartition) -> None:
        self._attempts.pop(tp, None)

    def stop(self, tp: TopicPartition, offset: int, error: BaseException) -> PartitionFailure:
        failure = PartitionFailure(
            tp[0], tp[1], offset, type(error).__name__, str(error)[:500], time.time()
        )
        self.stopped[tp] = failure
        metrics.STAGE_FAILING.labels(self._stage).set(len(self.stopped))
        return failure

    def forget(self, revoked: set[TopicPartition]) -> None:
        """Partitions this process no longer owns: their new owner starts over."""
        for tp in revoked:
            self._attempts.pop(tp, None)
            self.stopped.pop(tp, None)
        metrics.STAGE_FAILING.labels(self._stage).set(len(self.stopped))
