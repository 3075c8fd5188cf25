"""Status aggregation: probe results, counter samples and lag → the ``/v1/status`` body. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from services.core.settings import ServiceName
from services.gateway.lag import GroupLag
from services.gateway.models import (
    FailureOut,
    LastMinute,
    PartitionLagOut,
    ServiceState,
    ServiceStatus,
    StageStatus,
    ThroughputPoint,
)
from services.gateway.samples import (
    INGEST_ACCEPTED,
    INGEST_REJECTED,
    RECORDS_FAILED,
    RECORDS_IN,
    RECORDS_OUT,
    Sample,
    last_minute,
    rate_series,
)

HISTORY_S = 600.0
BUCKET_S = 10.0


@dataclass(frozen=True, slots=True)
class Probe:
    """One poll of a service's health endpoint (and its metrics, when they answered)."""

    name: ServiceName
    url: str | None
    at: float
    reachable: bool
    ready: bool
    version: str | None = None
    uptime_s: float | None = None
    detail: str = ""
    counters: Mapping[str, float] | None = None
    failures: tuple[FailureOut, ...] = ()


def utc(at: float | None) -> datetime | None:
    return None if at is None else datetime.fromtimestamp(at, UTC)


def state_of(probe: Probe | None) -> ServiceState:
    if probe is None or probe.url is None:
        return "unknown"
    if not probe.reachable:
        return "down"
    if probe.failures:
        return "failing"
    return "up" if probe.ready else "unready"


def minute_of(name: ServiceName, samples: Sequence[Sample], now: float) -> LastMinute:
    """In, out and errors over the last minute; ingest counts accepted (in and out) and
    rejected articles, the stages their records in, out and failed."""
    if name == "ingest":
        accepted = last_minute(samples, now, INGEST_ACCEPTED)
        return LastMinute(
            records_in=accepted,
            records_out=accepted,
            errors=last_minute(samples, now, INGEST_REJECTED),
        )
    return LastMinute(
        records_in=last_minute(samples, now, RECORDS_IN),
        records_out=last_minute(samples, now, RECORDS_OUT),
        errors=last_minute(samples, now, RECORDS_FAILED),
    )


def service_status(
    name: ServiceName,
    probe: Probe | None,
    last_ok: Probe | None,
    samples: Sequence[Sample],
    now: float,
) -> ServiceStatus:
    """A service's row: state from the latest probe, version and last seen from the latest
    successful one (so a stopped service still shows what it was)."""
    if probe is None:
        return ServiceStatus(name=name, status="unknown", detail="not polled yet")
    known = probe if probe.reachable else last_ok
    return ServiceStatus(
        name=name,
        status=state_of(probe),
        url=probe.url,
        version=known.version if known else None,
        uptime_s=probe.uptime_s if probe.reachable else None,
        last_seen=utc(last_ok.at) if last_ok else None,
        detail=probe.detail,
        failures=list(probe.failures),
        last_minute=minute_of(name, samples, now),
    )


def stage_status(name: str, lag: GroupLag | None, measured_at: float | None) -> StageStatus:
    if lag is None:
        return StageStatus(name=name, group="", topic="", lag=None, exact=False)
    return StageStatus(
        name=name,
        group=lag.group,
        topic=lag.topic,
        lag=lag.total,
        exact=lag.exact,
        partitions=[
            PartitionLagOut(
                partition=p.partition, committed=p.committed, end=p.end, lag=p.lag, exact=p.exact
            )
            for p in lag.partitions
        ],
        measured_at=utc(measured_at),
    )


def throughput(
    samples: Mapping[ServiceName, Sequence[Sample]],
    now: float,
    history_s: float = HISTORY_S,
    bucket_s: float = BUCKET_S,
) -> list[ThroughputPoint]:
    """Records per second per service in ``bucket_s`` buckets (ingest: accepted articles)."""
    by_time: dict[float, dict[str, float]] = {}
    for name, series in samples.items():
        counter = INGEST_ACCEPTED if name == "ingest" else RECORDS_IN
        for start, rate in rate_series(series, counter, now, history_s, bucket_s):
            by_time.setdefault(round(start, 3), {})[name] = round(rate, 3)
    return [
        ThroughputPoint(t=datetime.fromtimestamp(t, UTC), rates=rates)
        for t, rates in sorted(by_time.items())
    ]
