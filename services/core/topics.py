"""Topic names (with the configurable prefix) and what each topic is configured with."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Topic(StrEnum):
    """The logical topics of the flow; ``Topics.name_of`` adds the prefix."""

    RAW = "articles.raw.v1"
    PARSED = "articles.parsed.v1"
    DEDUPLICATED = "articles.deduplicated.v1"
    PROCESSED = "articles.processed.v1"
    DLQ = "articles.dlq.v1"


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    partitions: int
    config: dict[str, str]


@dataclass(frozen=True, slots=True)
class Topics:
    """Full topic names for one deployment (one prefix)."""

    prefix: str = ""

    def name_of(self, topic: Topic) -> str:
        return f"{self.prefix}{topic.value}"

    @property
    def raw(self) -> str:
        return self.name_of(Topic.RAW)

    @property
    def parsed(self) -> str:
        return self.name_of(Topic.PARSED)

    @property
    def deduplicated(self) -> str:
        return self.name_of(Topic.DEDUPLICATED)

    @property
    def processed(self) -> str:
        return self.name_of(Topic.PROCESSED)

    @property
    def dlq(self) -> str:
        return self.name_of(Topic.DLQ)

    def group_of(self, stage: str) -> str:
        """The consumer group of a stage."""
        return f"{self.prefix}newsflow.{stage}"

    def specs(self, partitions: int, retention_ms: int, dlq_retention_ms: int) -> list[TopicSpec]:
        """Every topic with its configuration.

        The raw and intermediate topics are plain logs with a retention; the processed topic is
        compacted, not expired (one record per article id is the contract, so compaction keeps
        every article); the DLQ keeps its records longer.
        """
        log = {"retention.ms": str(retention_ms), "cleanup.policy": "delete"}
        return [
            TopicSpec(self.raw, partitions, log),
            TopicSpec(self.parsed, partitions, log),
            TopicSpec(self.deduplicated, partitions, log),
            TopicSpec(self.processed, partitions, {"cleanup.policy": "compact"}),
            TopicSpec(
                self.dlq, 1, {"retention.ms": str(dlq_retention_ms), "cleanup.policy": "delete"}
            ),
        ]
