"""Where a pushed article is: a bounded index of the article ids seen on the flow's topics.

Pure: :class:`ArticleIndex` is fed sightings by :mod:`services.gateway.follower`. Each id keeps
its furthest stage — accepted (raw topic) < parsed < deduplicated < dead-lettered (the DLQ is
terminal: a record there will not go further unless pushed again and stored). Stored articles
are answered from the database, not from here. The index holds the ``capacity`` most recently
seen ids (least recently seen evicted first).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from services.core import topology
from services.core.deadletters import NF_ERROR_CLASS, NF_ERROR_MESSAGE, NF_STAGE
from services.core.records import ConsumedRecord
from services.core.topics import Topics
from services.gateway.models import ArticleStage, DeadLetterReason

RANK: dict[ArticleStage, int] = {
    "accepted": 1,
    "parsed": 2,
    "deduplicated": 3,
    "dead_lettered": 4,
    "stored": 5,
}


@dataclass(frozen=True, slots=True)
class Sighting:
    """An article id seen on a topic at an offset."""

    stage: ArticleStage
    seen_at: datetime
    topic: str
    partition: int
    offset: int
    dead_letter: DeadLetterReason | None = None


def furthest(old: Sighting | None, new: Sighting) -> Sighting:
    """The sighting that says more: the later stage; at the same stage, the newer one."""
    if old is None or RANK[new.stage] >= RANK[old.stage]:
        return new
    return old


class ArticleIndex:
    """The latest ``capacity`` article ids seen, each with its furthest sighting."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._capacity = capacity
        self._seen: OrderedDict[str, Sighting] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    @property
    def capacity(self) -> int:
        return self._capacity

    def record(self, article_id: str, sighting: Sighting) -> None:
        self._seen[article_id] = furthest(self._seen.get(article_id), sighting)
        self._seen.move_to_end(article_id)
        while len(self._seen) > self._capacity:
            self._seen.popitem(last=False)

    def get(self, article_id: str) -> Sighting | None:
        return self._seen.get(article_id)


def topic_stages(topics: Topics) -> dict[str, ArticleStage]:
    """The topics the index follows, and the stage each one means: every stage's output topic
    but the sink's (stored articles are answered from the database), and the DLQ."""
    sink = topology.sink()
    stages: dict[str, ArticleStage] = {
        topics.name_of(stage.sends): stage.reached for stage in topology.FLOW if stage.sends != sink
    }
    stages[topics.name_of(topology.DEAD_LETTERS)] = "dead_lettered"
    return stages


def sighting_of(
    record: ConsumedRecord, stages: Mapping[str, ArticleStage]
) -> tuple[str, Sighting] | None:
    """``(article id, sighting)`` of a record keyed by article id (``None`` without a key)."""
    stage = stages.get(record.topic)
    article_id = record.key_text
    if stage is None or not article_id:
        return None
    reason = None
    if stage == "dead_lettered":
        reason = DeadLetterReason(
            stage=record.header(NF_STAGE) or "unknown",
            error_class=record.header(NF_ERROR_CLASS) or "unknown",
            error_message=record.header(NF_ERROR_MESSAGE) or "",
        )
    seen_at = datetime.fromtimestamp(record.timestamp_ms / 1000, UTC)
    return article_id, Sighting(
        stage, seen_at, record.topic, record.partition, record.offset, reason
    )
