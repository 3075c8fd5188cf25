"""The failure book: retries counted per partition up to the limit, reset by a success."""

from __future__ import annotations

from prometheus_client import REGISTRY

from services.core.failures import FailureBook


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
