"""Response bodies of the gateway's HTTP API (documented in the OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.core.models import ProcessedArticle, SpeakerKind

ServiceState = Literal["up", "unready", "failing", "down", "unknown"]
ArticleStage = Literal["accepted", "parsed", "deduplicated", "stored", "dead_lettered"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Dependency(Frozen):
    ok: bool
    detail: str
    checked_at: datetime | None = None


class LastMinute(Frozen):
    """Counter increases over the last minute (``None``: not enough samples yet)."""

    records_in: float | None = None
    records_out: float | None = None
    errors: float | None = None


class FailureOut(Frozen):
    """An input partition a stage stopped on: its code keeps failing on the record there."""

    topic: str
    partition: int
    offset: int = Field(description="The record it fails on; nothing past it is committed")
    error_class: str
    error_message: str


class ServiceStatus(Frozen):
    name: str
    status: ServiceState = Field(
        description="up: ready; unready: answers but not ready; failing: stopped on a record "
        "its code fails on (see failures; restart it once fixed); down: unreachable; "
        "unknown: no health endpoint to poll"
    )
    url: str | None = None
    version: str | None = None
    uptime_s: float | None = None
    last_seen: datetime | None = Field(default=None, description="Last successful poll")
    detail: str = ""
    failures: list[FailureOut] = []
    last_minute: LastMinute = LastMinute()


class ProcessOut(Frozen):
    """One process of a consumer stage, from its own announcements (standbys included)."""

    service: str
    host: str
    pid: int
    role: Literal["active", "standby"] = Field(
        description="active: consuming (and writing); standby: waiting for the lease, in no "
        "consumer group, not writing"
    )
    status: ServiceState = Field(
        description="As its /readyz said in its last announcement; down once it has missed "
        "three announcements (killed, or its host lost)"
    )
    partitions: list[int] = Field(description="Input partitions it holds")
    detail: str = ""
    instance: str
    health_url: str | None = None
    lease: str | None = Field(default=None, description="What its lease guards, if it needs one")
    started_at: datetime
    last_seen: datetime = Field(description="Its last announcement")


class PartitionLagOut(Frozen):
    partition: int
    committed: int | None
    end: int = Field(description="Last stable offset")
    lag: int
    exact: bool


class StageStatus(Frozen):
    name: str
    group: str
    topic: str
    lag: int | None = Field(description="Records a read_committed consumer has still to read")
    exact: bool = True
    partitions: list[PartitionLagOut] = []
    measured_at: datetime | None = None


class DlqStatus(Frozen):
    topic: str
    depth: int | None
    exact: bool = True


class Totals(Frozen):
    accepted: int | None = Field(default=None, description="Records on the raw topic")
    parsed: int | None = Field(
        default=None, description="Committed records on the parsed topic (markers excluded)"
    )
    stored: int | None = None
    unique: int | None = None
    duplicates: int | None = None
    updates: int | None = None
    dead_lettered: int | None = None
    by_source: dict[str, int] = {}
    exact: bool = Field(
        default=True,
        description="False while parsed and dead_lettered are still being counted: they are "
        "then lower bounds (committed records counted so far)",
    )


class FreshnessOut(Frozen):
    source: str
    articles: int
    median_seconds: float


class ThroughputPoint(Frozen):
    t: datetime
    rates: dict[str, float] = Field(description="Records per second, per service")


class StatusSnapshot(Frozen):
    generated_at: datetime
    broker: Dependency
    database: Dependency
    services: list[ServiceStatus]
    stages: list[StageStatus]
    dlq: DlqStatus
    totals: Totals
    freshness: list[FreshnessOut]
    throughput: list[ThroughputPoint] = Field(description="Last 10 minutes, 10 s buckets")
    processes: list[ProcessOut] = Field(
        default=[],
        description="Every parser, dedup and store process on every host, standbys included, "
        "by service, active first",
    )


class ArticlePage(Frozen):
    items: list[ProcessedArticle]
    next_cursor: str | None = Field(description="Pass as cursor for the next page")


class QuoteOut(Frozen):
    """A stored quotation (see ``ProcessedArticle.quotes``) and the id of its article."""

    article_id: str
    speaker: str | None
    speaker_kind: SpeakerKind
    cue: str | None
    text: str
    paragraph: int = Field(description="Index of the paragraph in the article's paragraphs")
    start: int = Field(description="Offset of the text's first character in the paragraph")
    end: int = Field(description="Offset just past the text's last character")


class QuotePage(Frozen):
    items: list[QuoteOut]
    next_cursor: str | None = Field(description="Pass as cursor for the next page")


class DeadLetterReason(Frozen):
    stage: str
    error_class: str
    error_message: str


class ArticleStatus(Frozen):
    id: str
    stage: ArticleStage = Field(description="The furthest stage the article was seen at")
    seen_at: datetime | None = None
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    dead_letter: DeadLetterReason | None = None


class StoryOut(Frozen):
    story_id: str
    sources: list[str]
    articles: list[ProcessedArticle]
    evidence: list[dict[str, object]] = Field(
        description="Per copy: id, verdict, duplicate_of, similarity, method, evidence"
    )


class ErrorBody(Frozen):
    error: str
    message: str
