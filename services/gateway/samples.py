"""Counter samples polled from the services' ``/metrics``, and the rates derived from them.

Pure: the Prometheus text is parsed here, the HTTP polling is elsewhere. Counters restart at 0
when a process restarts; an increase is therefore the sum of positive steps, and a step down
counts the new value (the increase since the restart).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families

RECORDS_IN = "newsflow_records_in_total"
RECORDS_OUT = "newsflow_records_out_total"
RECORDS_FAILED = "newsflow_records_failed_total"
INGEST_ACCEPTED = "newsflow_ingest_accepted_total"
INGEST_REJECTED = "newsflow_ingest_rejected_total"
STAGE_COUNTERS = (RECORDS_IN, RECORDS_OUT, RECORDS_FAILED)
INGEST_COUNTERS = (INGEST_ACCEPTED, INGEST_REJECTED)
MINUTE_S = 60.0


def counter_totals(text: str, names: Iterable[str]) -> dict[str, float]:
    """The sum over every label set of each named sample (absent names are 0).

    Raises ``ValueError`` when ``text`` is not the Prometheus exposition format.
    """
    wanted = {name: 0.0 for name in names}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name in wanted:
                wanted[sample.name] += float(sample.value)
    return wanted


@dataclass(frozen=True, slots=True)
class Sample:
    """Counter values of one service at one instant (Unix seconds)."""

    at: float
    values: Mapping[str, float]


def increase(samples: Sequence[Sample], name: str) -> float:
    """How much a counter grew across ``samples`` (oldest first), restarts included."""
    grown = 0.0
    for before, after in itertools.pairwise(samples):
        old, new = before.values.get(name, 0.0), after.values.get(name, 0.0)
        grown += new - old if new >= old else new
    return grown


def window(samples: Sequence[Sample], now: float, seconds: float) -> list[Sample]:
    """The samples of the last ``seconds``, plus the one just before them (the baseline)."""
    inside = [s for s in samples if s.at >= now - seconds]
    before = [s for s in samples if s.at < now - seconds]
    return ([before[-1]] if before else []) + inside


def last_minute(samples: Sequence[Sample], now: float, name: str) -> float | None:
    """The increase over the last minute; ``None`` with fewer than two samples to compare."""
    recent = window(samples, now, MINUTE_S)
    return increase(recent, name) if len(recent) >= 2 else None


def rate_series(
    samples: Sequence[Sample], name: str, now: float, seconds: float, bucket_s: float
) -> list[tuple[float, float]]:
    """Per-second rate of a counter in ``bucket_s`` buckets (aligned to multiples of
    ``bucket_s``) over the last ``seconds``: ``(bucket start, rate)`` for every bucket with
    two samples to compare (the last sample before a bucket is its baseline)."""
    points: list[tuple[float, float]] = []
    recent = window(samples, now, seconds)
    start = (now - seconds) // bucket_s * bucket_s
    while start < now:
        inside = [s for s in recent if start <= s.at < start + bucket_s]
        previous = [s for s in recent if s.at < start]
        span = ([previous[-1]] if previous else []) + inside
        if len(span) >= 2 and span[-1].at > span[0].at:
            points.append((start, increase(span, name) / (span[-1].at - span[0].at)))
        start += bucket_s
    return points


class SampleRing:
    """The most recent samples of one service (bounded)."""

    def __init__(self, capacity: int = 600) -> None:
        self._samples: deque[Sample] = deque(maxlen=capacity)

    def add(self, sample: Sample) -> None:
        self._samples.append(sample)

    def samples(self) -> list[Sample]:
        return list(self._samples)
