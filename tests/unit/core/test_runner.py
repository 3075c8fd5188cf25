"""The runner's pieces without a broker: batches cut into transactions, the minimum fetch."""

from __future__ import annotations

from collections.abc import Sequence

from services.core.handlers import Outcome
from services.core.records import ConsumedRecord
from services.core.runner import Stage, by_size, stage_consumer
from services.core.settings import Settings


async def _no_outputs(records: Sequence[ConsumedRecord]) -> list[Outcome]:
    return [[] for _ in records]


def test_batches_are_cut_into_transactions_by_size() -> None:
    def sized(*lengths: int) -> list[ConsumedRecord]:
        return [ConsumedRecord("t", 0, n, None, b"x" * size) for n, size in enumerate(lengths)]

    def cut(records: list[ConsumedRecord], limit: int) -> list[list[int]]:
        return [[r.offset for r in run] for run in by_size(records, limit)]

    assert cut(sized(4, 4, 4, 4), 8) == [[0, 1], [2, 3]]
    assert cut(sized(4, 4, 4, 4), 100) == [[0, 1, 2, 3]]
    # a record larger than the limit is a transaction of its own; order is kept
    assert cut(sized(2, 20, 2, 2), 8) == [[0], [1], [2, 3]]
    assert cut(sized(20), 8) == [[0]]
    assert cut(sized(0, 0, 9), 8) == [[0, 1], [2]]
    assert by_size([], 8) == []
    empty = [ConsumedRecord("t", 0, 0, None, None)]  # a tombstone counts as nothing
    assert [list(run) for run in by_size(empty, 1)] == [empty]


async def test_a_stage_consumer_waits_for_its_minimum_fetch() -> None:
    settings = Settings(consumer_fetch_min_bytes=12_345, consumer_fetch_max_wait_ms=42)
    stage = Stage("echo", "in", "group", "dlq", _no_outputs)
    consumer = stage_consumer(settings, stage)  # built, never started: no broker needed
    # aiokafka keeps the options it passes to its fetcher in these attributes
    assert (consumer._fetch_min_bytes, consumer._fetch_max_wait_ms) == (12_345, 42)
    assert consumer._max_poll_records == settings.consumer_batch_size
