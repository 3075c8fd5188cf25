"""``newsflow.processes.v1``: each consumer-stage process announcing itself (compacted, one
record per process, keyed by its instance id; a tombstone when it stops cleanly)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from services.core.models.base import Message

ProcessRole = Literal["active", "standby"]
HealthStatus = Literal["ok", "unavailable", "failing"]


class ProcessAnnounced(Message):
    """One process of a stage, as it sees itself: sent every few seconds and at each change, so
    a reader knows every process of every host, the standbys included."""

    schema_version: Literal[1] = 1
    instance: str = Field(description="Unique per process run; the record key")
    service: str
    host: str
    pid: int
    role: ProcessRole = Field(
        description="active: consuming; standby: waiting for the lease, neither in the consumer "
        "group nor writing"
    )
    status: HealthStatus = Field(description="As its /readyz says")
    detail: str = ""
    partitions: list[int] = Field(default_factory=list, description="Input partitions it holds")
    health_url: str | None = Field(default=None, description="Where it answers /readyz")
    lease: str | None = Field(default=None, description="What its lease guards, if it needs one")
    started_at: AwareDatetime
    announced_at: AwareDatetime
    interval_s: float = Field(gt=0, description="Seconds until its next announcement at most")
