"""Status aggregation from probes, samples and lag."""

from __future__ import annotations

from services.gateway.lag import group_lag
from services.gateway.samples import INGEST_ACCEPTED, INGEST_REJECTED, RECORDS_IN, Sample
from services.gateway.status import Probe, service_status, stage_status, state_of, throughput


def probe(at: float, *, reachable: bool = True, ready: bool = True) -> Probe:
    return Probe(
        "parser",
        "http://127.0.0.1:9101",
        at,
        reachable,
        ready,
        version="1.2" if reachable else None,
        uptime_s=5.0 if reachable else None,
        detail="consuming" if reachable else "unreachable: ConnectError",
    )


def test_states() -> None:
    assert state_of(None) == "unknown"
    assert state_of(probe(0)) == "up"
    assert state_of(probe(0, ready=False)) == "unready"
    assert state_of(probe(0, reachable=False)) == "down"
    assert state_of(Probe("parser", None, 0, False, False)) == "unknown"


def test_a_down_service_keeps_its_last_seen_and_version() -> None:
    last_ok = probe(100)
    row = service_status("parser", probe(110, reachable=False), last_ok, [], 110)
    assert row.status == "down" and row.version == "1.2"
    assert row.last_seen is not None and row.last_seen.timestamp() == 100
    assert row.uptime_s is None and "unreachable" in row.detail


def test_last_minute_of_stages_and_of_ingest() -> None:
    stage = [Sample(0, {RECORDS_IN: 0}), Sample(30, {RECORDS_IN: 12})]
    assert service_status("parser", probe(30), probe(30), stage, 30).last_minute.records_in == 12
    ingest = [
        Sample(0, {INGEST_ACCEPTED: 1, INGEST_REJECTED: 0}),
        Sample(30, {INGEST_ACCEPTED: 6, INGEST_REJECTED: 2}),
    ]
    minute = service_status("ingest", probe(30), None, ingest, 30).last_minute
    assert (minute.records_in, minute.records_out, minute.errors) == (5, 5, 2)


def test_not_polled_yet_is_unknown() -> None:
    assert service_status("store", None, None, [], 0).status == "unknown"


def test_stage_rows() -> None:
    lag = group_lag("g.parser", "raw", [(0, 3, 5, 2, True), (1, None, 0, 0, True)])
    row = stage_status("parser", lag, 50.0)
    assert row.lag == 2 and row.exact and [p.lag for p in row.partitions] == [2, 0]
    assert stage_status("dedup", None, None).lag is None


def test_throughput_merges_services_by_bucket() -> None:
    samples = {
        "ingest": [Sample(t, {INGEST_ACCEPTED: t}) for t in range(0, 31, 5)],
        "parser": [Sample(t, {RECORDS_IN: 2 * t}) for t in range(0, 31, 5)],
    }
    points = throughput(samples, now=30, history_s=20, bucket_s=10)  # type: ignore[arg-type]
    assert [p.rates for p in points] == [{"ingest": 1.0, "parser": 2.0}] * 2
