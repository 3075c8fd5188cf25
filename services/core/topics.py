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


# Not an article topic: each consumer-stage process announces itself here (its role, the
# partitions it holds), so the gateway sees every process on every host, standbys included.
PROCESSES = "newsflow.processes.v1"
# A process that stops cleanly deletes its record; one that died leaves its last, which goes
# after a day (compacted meanwhile, hourly segments, so the topic stays a record per process).
PROCESSES_RETENTION_MS = 24 * 3600 * 1000
PROCESSES_SEGMENT_MS = 3600 * 1000


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

    @property
    def processes(self) -> str:
        return f"{self.prefix}{PROCESSES}"

    def group_of(self, stage: str) -> str:
        """The consumer group of a stage."""
        return f"{self.prefix}newsflow.{stage}"

    def specs(self, partitions: int, retention_ms: int, dlq_retention_ms: int) -> list[TopicSpec]:
        """Every topic with its configuration.

        The raw and intermediate topics are plain logs with a retention; the processed topic is
        compacted, not expired (one record per article id is the contract, so compaction keeps
        every article); the DLQ keeps its records longer; the processes topic keeps the last
        announcement of each process (compacted) for a day.
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
            TopicSpec(
                self.processes,
                1,
                {
                    "cleanup.policy": "compact,delete",
                    "retention.ms": str(PROCESSES_RETENTION_MS),
                    "segment.ms": str(PROCESSES_SEGMENT_MS),
                },
            ),
        ]
