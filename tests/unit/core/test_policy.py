"""The runner's error policy and backoff, and dead-letter records."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from aiokafka.errors import KafkaConnectionError
from prometheus_client import REGISTRY

from services.core.deadletters import MAX_TRACEBACK_HEADER, dead_letter_record, traceback_of
from services.core.errors import BrokerUnavailableError, InvalidMessageError, RecordFault
from services.core.failures import FailureBook
from services.core.handlers import Outcome
from services.core.headers import header_map
from services.core.policy import Backoff, classify
from services.core.records import ConsumedRecord
from services.core.runner import Stage, by_size, stage_consumer
from services.core.settings import Settings
from services.dedup.errors import EmptyBodyError
from services.parser.errors import EmptyArticleError


def test_classify() -> None:
    assert classify(BrokerUnavailableError("down")) == "transient"
    assert classify(KafkaConnectionError()) == "transient"
    assert classify(sqlite3.OperationalError("database is locked")) == "transient"
    assert classify(OSError("disk")) == "transient"
    assert classify(InvalidMessageError("bad")) == "record"
    assert classify(RecordFault("bad")) == "record"
    assert classify(EmptyArticleError("no body")) == "record"
    assert classify(EmptyBodyError("no words")) == "record"
    # not a fault of the record: a bug, which must stop the line rather than drain it
    assert classify(ValueError("bug on one record")) == "bug"
    assert classify(KeyError("x")) == "bug"
    assert classify(sqlite3.IntegrityError("UNIQUE constraint failed: fingerprints.seq")) == "bug"


def test_backoff_is_bounded_and_resets() -> None:
    backoff = Backoff(0.1, 1.0)
    delays = [backoff.next_delay() for _ in range(6)]
    assert delays == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    backoff.reset()
    assert backoff.next_delay() == 0.1


def test_dead_letter_keeps_the_original_and_the_reason() -> None:
    record = ConsumedRecord("raw", 2, 41, b"k", b"\xff\x00", [("traceparent", b"nonsense")])
    out = dead_letter_record("dlq", "parser", record, RecordFault("cannot parse"))
    headers = header_map(out.headers)
    assert out.topic == "dlq" and out.key == b"k"
    assert headers["nf_stage"] == "parser"
    assert headers["nf_error_class"] == "RecordFault"
    assert headers["nf_error_message"] == "cannot parse"
    assert (
        headers["nf_original_topic"],
        headers["nf_original_partition"],
        headers["nf_original_offset"],
    ) == ("raw", "2", "41")
    body = json.loads(out.value)
    assert body["original_value"] == "/wA=" and body["original_value_encoding"] == "base64"
    assert body["original_headers"] == {"traceparent": "nonsense"}


def _raised_deep(depth: int) -> Exception:
    def dive(n: int) -> None:
        if n == 0:
            raise InvalidMessageError("not a valid RawArticle")
        dive(n - 1)

    try:
        dive(depth)
    except InvalidMessageError as error:
        return error
    raise AssertionError("unreachable")


def test_dead_letter_carries_the_traceback_in_value_and_header() -> None:
    record = ConsumedRecord("raw", 0, 7, b"k", b"{}")
    out = dead_letter_record("dlq", "parser", record, _raised_deep(2))
    body = json.loads(out.value)
    trace = body["error_traceback"]
    assert trace.startswith("Traceback (most recent call last):")
    assert "in dive" in trace and "_raised_deep" in trace
    assert trace.endswith("InvalidMessageError: not a valid RawArticle")
    assert header_map(out.headers)["nf_error_traceback"] == trace


def test_a_long_traceback_keeps_its_end() -> None:
    error = _raised_deep(400)
    full = traceback_of(error, limit=10**9)
    cut = traceback_of(error, limit=500)
    assert len(full) > 500 and len(cut) == 500
    assert cut.startswith("…") and full.endswith(cut[1:])
    record = ConsumedRecord("raw", 0, 7, b"k", b"{}")
    out = dead_letter_record("dlq", "parser", record, error)
    assert len(header_map(out.headers)["nf_error_traceback"]) <= MAX_TRACEBACK_HEADER
    assert json.loads(out.value)["error_traceback"].endswith("not a valid RawArticle")


def test_an_error_never_raised_still_names_itself() -> None:
    assert traceback_of(ValueError("made, not raised")) == "ValueError: made, not raised"


def test_retries_are_counted_per_partition_until_the_limit() -> None:
    book = FailureBook("echo", retry_limit=2)
    tp, other = ("raw", 0), ("raw", 1)
    assert not book.last_chance(tp)
    assert [book.failed(tp), book.failed(tp)] == [False, False]  # two retries allowed
    assert book.last_chance(tp) and not book.last_chance(other)
    assert book.failed(tp)  # the third failure uses them up
    failure = book.stop(tp, 41, KeyError("boom"))
    assert (failure.partition, failure.offset, failure.error_class) == (0, 41, "KeyError")
    assert "raw/0 stopped at offset 41: KeyError" in failure.describe()
    assert _gauge("echo") == 1
    book.forget({tp})
    assert book.stopped == {} and book.attempts(tp) == 0 and _gauge("echo") == 0


def test_a_success_resets_the_count() -> None:
    book = FailureBook("echo", retry_limit=1)
    tp = ("raw", 0)
    assert not book.failed(tp)
    book.succeeded(tp)
    assert not book.failed(tp) and book.failed(tp)


def test_no_retry_at_all_stops_at_the_first_failure() -> None:
    book = FailureBook("echo", retry_limit=0)
    assert book.last_chance(("raw", 0)) and book.failed(("raw", 0))


def _gauge(stage: str) -> float:
    value = REGISTRY.get_sample_value("newsflow_stage_failing", {"stage": stage})
    return -1.0 if value is None else value


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
