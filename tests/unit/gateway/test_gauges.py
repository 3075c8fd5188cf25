"""The status snapshot's lag and DLQ depth are exported as gauges (the alert rules read them)."""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client import REGISTRY

from services.gateway.gauges import export
from services.gateway.models import Dependency, DlqStatus, StageStatus, StatusSnapshot, Totals


def snapshot(lag: int | None, depth: int | None) -> StatusSnapshot:
    down = Dependency(ok=False, detail="-")
    return StatusSnapshot(
        generated_at=datetime(2026, 1, 2, tzinfo=UTC),
        broker=down,
        database=down,
        services=[],
        stages=[StageStatus(name="gauge-test", group="g", topic="t", lag=lag)],
        dlq=DlqStatus(topic="dlq", depth=depth),
        totals=Totals(),
        freshness=[],
        throughput=[],
    )


def test_lag_and_depth_are_exported_and_kept_when_unmeasured() -> None:
    export(snapshot(42, 7))
    assert REGISTRY.get_sample_value("newsflow_consumer_lag", {"stage": "gauge-test"}) == 42
    assert REGISTRY.get_sample_value("newsflow_dlq_depth") == 7
    export(snapshot(None, None))  # the broker did not answer: the last values stay
    assert REGISTRY.get_sample_value("newsflow_consumer_lag", {"stage": "gauge-test"}) == 42
    assert REGISTRY.get_sample_value("newsflow_dlq_depth") == 7
    generated = REGISTRY.get_sample_value("newsflow_gateway_status_generated_timestamp_seconds")
    assert generated == datetime(2026, 1, 2, tzinfo=UTC).timestamp()
