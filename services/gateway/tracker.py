"""Where a pushed article is: an index of the article ids on the last offsets of the flow's topics.

Pure: :class:`ArticleIndex` is fed sightings by :mod:`services.gateway.follower`. Each id answers
its furthest stage — accepted (raw topic) < parsed < deduplicated < dead-lettered (the DLQ is
terminal: a record there will not go further unless pushed again and stored). Stored articles
are answered from the database, not from here.

The index holds the records of the last ``window`` offsets of each partition it follows: a
window of the topics, not of the process's history, so every gateway replica, however long it
has run, answers alike (a replica starting reads the same window back). ``capacity`` bounds the
ids held besides (least recently seen evicted first); it is only reached when the windows hold
more ids than that.
"""

from __future__ import annotations

from collections import OrderedDict, deque
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
    """The ids seen on the last ``window`` offsets of each followed partition (at most
    ``capacity`` ids), each with its sightings there: at most one per topic, the newest."""

    def __init__(self, capacity: int, window: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        if window < 0:
            raise ValueError("window must not be negative")
        self._capacity = capacity
        self._window = window
        self._seen: OrderedDict[str, dict[str, Sighting]] = OrderedDict()
        self._windows: dict[tuple[str, int], deque[tuple[int, str]]] = {}

    def __len__(self) -> int:
        return len(self._seen)

    @property
    def capacity(self) -> int:
        return self._capacity

    def record(self, article_id: str, sighting: Sighting) -> None:
        """A record at ``sighting.offset``; its partition's window moves up to the offset after
        it (:meth:`advance` moves it further, past offsets that hold no article)."""
        key = (sighting.topic, sighting.partition)
        held = self._windows.setdefault(key, deque())
        held.append((sighting.offset, article_id))
        self._seen.setdefault(article_id, {})[sighting.topic] = sighting
        self._seen.move_to_end(article_id)
        self.advance(sighting.topic, sighting.partition, sighting.offset + 1)
        while len(self._seen) > self._capacity:
            self._seen.popitem(last=False)

    def advance(self, topic: str, partition: int, end: int) -> None:
        """The partition has been read up to ``end`` (the next offset): the records before
        ``end - window`` leave the index."""
        held = self._windows.get((topic, partition))
        while held and held[0][0] < end - self._window:
            offset, article_id = held.popleft()
            sightings = self._seen.get(article_id)
            if sightings is None:
                continue  # evicted by the capacity
            sighting = sightings.get(topic)
            if sighting is not None and sighting.offset == offset:
                del sightings[topic]
                if not sightings:
                    del self._seen[article_id]

    def get(self, article_id: str) -> Sighting | None:
        """The furthest sighting of ``article_id`` in the windows (``None``: not there)."""
        found: Sighting | None = None
        for sighting in self._seen.get(article_id, {}).values():
            found = furthest(found, sighting)
        return found


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
