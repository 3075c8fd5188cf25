"""The gateway's view of the flow as Prometheus gauges, for alerting on lag and the DLQ.

Set from each status snapshot; a value the latest poll could not measure keeps its last one.
"""

from __future__ import annotations

from prometheus_client import Gauge

from services.gateway.models import StatusSnapshot

CONSUMER_LAG = Gauge(
    "newsflow_consumer_lag",
    "Records a stage's consumer group has still to read on its input topic (read_committed)",
    ["stage"],
)
DLQ_DEPTH = Gauge("newsflow_dlq_depth", "Dead letters on the DLQ topic")
STATUS_GENERATED = Gauge(
    "newsflow_gateway_status_generated_timestamp_seconds", "When the latest status was built"
)


def export(snapshot: StatusSnapshot) -> None:
    for stage in snapshot.stages:
        if stage.lag is not None:
            CONSUMER_LAG.labels(stage.name).set(stage.lag)
    if snapshot.dlq.depth is not None:
        DLQ_DEPTH.set(snapshot.dlq.depth)
    STATUS_GENERATED.set(snapshot.generated_at.timestamp())
