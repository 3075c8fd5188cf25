"""Status aggregation: probe results, counter samples and lag → the ``/v1/status`` body. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from services.core import topology
from services.core.models import ProcessAnnounced
from services.core.settings import ServiceName
from services.gateway.lag import GroupLag
from services.gateway.models import (
    FailureOut,
    LastMinute,
    PartitionLagOut,
    ProcessOut,
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
MISSED_ANNOUNCEMENTS = 3  # a process silent for this many of its intervals is down
PROCESS_STATE: dict[str, ServiceState] = {
    "ok": "up",
    "unavailable": "unready",
    "failing": "failing",
}


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


def process_row(announced: ProcessAnnounced, now: float) -> ProcessOut:
    """A process's row: what it last said, down once it has been silent too long."""
    silent = now - announced.announced_at.timestamp()
    quiet = silent > MISSED_ANNOUNCEMENTS * announced.interval_s
    return ProcessOut(
        service=announced.service,
        host=announced.host,
        pid=announced.pid,
        role=announced.role,
        status="down" if quiet else PROCESS_STATE[announced.status],
        partitions=announced.partitions,
        detail=f"silent for {silent:.0f}s; last said: {announced.detail}"
        if quiet
        else announced.detail,
        instance=announced.instance,
        health_url=announced.health_url,
        lease=announced.lease,
        started_at=announced.started_at,
        last_seen=announced.announced_at,
    )


def process_rows(
    announced: Iterable[ProcessAnnounced], now: float, forget_s: float
) -> list[ProcessOut]:
    """Every process heard from within ``forget_s``: by service in flow order, the live before
    the silent, the active before the standbys, then by host and pid."""
    order: dict[str, int] = {name: index for index, name in enumerate(topology.STAGES)}
    rows = [process_row(a, now) for a in announced if now - a.announced_at.timestamp() <= forget_s]
    return sorted(
        rows,
        key=lambda r: (
            order.get(r.service, len(order)),
            r.service,
            r.status == "down",
            r.role != "active",
            r.host,
            r.pid,
        ),
    )


def health_urls(
    rows: Iterable[ProcessOut], configured: Mapping[ServiceName, str | None]
) -> dict[ServiceName, str | None]:
    """Where to probe each service: its configured health URL, unless the processes say its
    active one answers elsewhere (a second process of the stage on that host took a free port
    and has taken over): then a live active process's own URL, the configured one if it is
    among them."""
    urls = dict(configured)
    for name, url in configured.items():
        active = [
            r.health_url
            for r in rows
            if r.service == name and r.role == "active" and r.status != "down" and r.health_url
        ]
        if active and url not in active:
            urls[name] = active[0]
    return urls
