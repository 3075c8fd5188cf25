"""Prometheus metrics shared by the stages. One registry per process."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

RECORDS_IN = Counter("newsflow_records_in", "Records consumed by a stage", ["stage"])
RECORDS_OUT = Counter("newsflow_records_out", "Records produced by a stage", ["stage", "topic"])
RECORDS_FAILED = Counter(
    "newsflow_records_failed",
    "Failed attempts at a record, by policy (record: a fault of the record; transient: a "
    "dependency was down; bug: anything else)",
    ["stage", "policy"],
)
DEAD_LETTERS = Counter(
    "newsflow_dead_letters",
    "Records sent to the DLQ (fault: record, or bug when errors are tolerated)",
    ["stage", "fault"],
)
STAGE_FAILING = Gauge(
    "newsflow_stage_failing",
    "Input partitions this process stopped on a record its code fails on (0: none)",
    ["stage"],
)
RETRIES = Counter("newsflow_retries", "Transient failures retried", ["stage"])
PROCESSING_SECONDS = Histogram(
    "newsflow_processing_seconds",
    "Time to handle one record",
    ["stage"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
TRANSACTION_SECONDS = Histogram(
    "newsflow_transaction_seconds", "Time to process and commit one batch", ["stage"]
)
ASSIGNED_PARTITIONS = Gauge("newsflow_assigned_partitions", "Partitions owned", ["stage"])
