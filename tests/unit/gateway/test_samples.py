"""Prometheus text parsing, counter increases across restarts, per-minute and bucketed rates."""

from __future__ import annotations

import pytest

from services.gateway.samples import (
    RECORDS_IN,
    RECORDS_OUT,
    Sample,
    SampleRing,
    counter_totals,
    increase,
    last_minute,
    rate_series,
    window,
)

TEXT = """# HELP newsflow_records_in_total Records consumed by a stage
# TYPE newsflow_records_in_total counter
newsflow_records_in_total{stage="parser"} 12.0
# HELP newsflow_records_out_total Records produced by a stage
# TYPE newsflow_records_out_total counter
newsflow_records_out_total{stage="parser",topic="a"} 10.0
newsflow_records_out_total{stage="parser",topic="dlq"} 2.0
newsflow_records_out_created{stage="parser",topic="a"} 1.7e9
"""


def s(at: float, value: float) -> Sample:
    return Sample(at, {RECORDS_IN: value})


def test_counters_sum_over_labels_and_absent_ones_are_zero() -> None:
    found = counter_totals(TEXT, [RECORDS_IN, RECORDS_OUT, "newsflow_records_failed_total"])
    assert found == {
        RECORDS_IN: 12.0,
        RECORDS_OUT: 12.0,
        "newsflow_records_failed_total": 0.0,
    }


def test_text_that_is_not_prometheus_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        counter_totals("<html>nope</html>", [RECORDS_IN])


def test_increase_survives_a_restart() -> None:
    assert increase([s(0, 5), s(1, 9), s(2, 3), s(3, 4)], RECORDS_IN) == 4 + 3 + 1


def test_last_minute_uses_the_sample_before_the_window_as_baseline() -> None:
    samples = [s(0, 0), s(30, 10), s(70, 25), s(100, 40)]
    assert window(samples, 100, 60) == samples[1:]
    assert last_minute(samples, 100, RECORDS_IN) == 30
    assert last_minute(samples[:1], 100, RECORDS_IN) is None


def test_rate_series_is_per_second_in_aligned_buckets() -> None:
    samples = [s(t, t * 2) for t in range(0, 41, 2)]  # 1 record/s... 2 per 2 s
    points = rate_series(samples, RECORDS_IN, now=40, seconds=30, bucket_s=10)
    assert [p[0] for p in points] == [10, 20, 30]
    assert all(rate == pytest.approx(2.0) for _, rate in points)


def test_the_ring_is_bounded() -> None:
    ring = SampleRing(capacity=3)
    for n in range(5):
        ring.add(s(n, n))
    assert [x.at for x in ring.samples()] == [2, 3, 4]
