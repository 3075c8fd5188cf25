"""The runner's error policy and backoff, and dead-letter records."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from aiokafka.errors import KafkaConnectionError

from services.core.deadletters import dead_letter_record
from services.core.errors import BrokerUnavailableError, InvalidMessageError, PermanentError
from services.core.handlers import Outcome
from services.core.headers import header_map
from services.core.policy import Backoff, classify
from services.core.records import ConsumedRecord
from services.core.runner import Stage, by_size, stage_consumer
from services.core.settings import Settings


def test_classify() -> None:
    assert classify(BrokerUnavailableError("down")) == "transient"
    assert classify(KafkaConnectionError()) == "transient"
    assert classify(sqlite3.OperationalError("database is locked")) == "transient"
    assert classify(OSError("disk")) == "transient"
    assert classify(InvalidMessageError("bad")) == "permanent"
    assert classify(ValueError("bug on one record")) == "permanent"
    assert classify(KeyError("x")) == "permanent"


def test_backoff_is_bounded_and_resets() -> None:
    backoff = Backoff(0.1, 1.0)
    delays = [backoff.next_delay() for _ in range(6)]
    assert delays == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    backoff.reset()
    assert backoff.next_delay() == 0.1


def test_dead_letter_keeps_the_original_and_the_reason() -> None:
    record = ConsumedRecord("raw", 2, 41, b"k", b"\xff\x00", [("traceparent", b"nonsense")])
    out = dead_letter_record("dlq", "parser", record, PermanentError("cannot parse"))
    headers = header_map(out.headers)
    assert out.topic == "dlq" and out.key == b"k"
    assert headers["nf_stage"] == "parser"
    assert headers["nf_error_class"] == "PermanentError"
    assert headers["nf_error_message"] == "cannot parse"
    assert (
        headers["nf_original_topic"],
        headers["nf_original_partition"],
        headers["nf_original_offset"],
    ) == ("raw", "2", "41")
    body = json.loads(out.value)
    assert body["original_value"] == "/wA=" and body["original_value_encoding"] == "base64"
    assert body["original_headers"] == {"traceparent": "nonsense"}


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


async def _no_outputs(records: Sequence[ConsumedRecord]) -> list[Outcome]:
    return [[] for _ in records]


async def test_a_stage_consumer_waits_for_its_minimum_fetch() -> None:
    settings = Settings(consumer_fetch_min_bytes=12_345, consumer_fetch_max_wait_ms=42)
    stage = Stage("echo", "in", "group", "dlq", _no_outputs)
    consumer = stage_consumer(settings, stage)  # built, never started: no broker needed
    # aiokafka keeps the options it passes to its fetcher in these attributes
    assert (consumer._fetch_min_bytes, consumer._fetch_max_wait_ms) == (12_345, 42)
    assert consumer._max_poll_records == settings.consumer_batch_size
