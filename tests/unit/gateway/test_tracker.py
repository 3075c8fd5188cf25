"""The article index: furthest stage wins, bounded by recency; sightings from records."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.core.records import ConsumedRecord
from services.core.topics import Topics
from services.gateway.tracker import ArticleIndex, Sighting, furthest, sighting_of, topic_stages

AT = datetime(2025, 3, 1, tzinfo=UTC)


def seen(stage: str, offset: int = 0) -> Sighting:
    return Sighting(stage, AT, "t", 0, offset)  # type: ignore[arg-type]


def test_the_furthest_stage_wins_whatever_the_arrival_order() -> None:
    assert furthest(seen("parsed"), seen("accepted")).stage == "parsed"
    assert furthest(seen("accepted"), seen("deduplicated")).stage == "deduplicated"
    assert furthest(seen("deduplicated"), seen("dead_lettered")).stage == "dead_lettered"
    assert furthest(seen("parsed", 1), seen("parsed", 9)).offset == 9


def test_the_index_keeps_the_most_recently_seen_ids() -> None:
    index = ArticleIndex(capacity=2)
    index.record("a", seen("accepted"))
    index.record("b", seen("accepted"))
    index.record("a", seen("parsed"))  # a is fresh again
    index.record("c", seen("accepted"))
    assert index.get("b") is None and len(index) == 2
    assert index.get("a") == seen("parsed")
    with pytest.raises(ValueError):
        ArticleIndex(0)


def test_sightings_from_records() -> None:
    topics = Topics("p.")
    stages = topic_stages(topics)
    raw = ConsumedRecord(topics.raw, 1, 5, b"id-1", b"{}", timestamp_ms=1_740_787_200_000)
    article_id, sighting = sighting_of(raw, stages) or ("", seen("accepted"))
    assert article_id == "id-1" and sighting.stage == "accepted" and sighting.offset == 5
    assert sighting.seen_at == datetime(2025, 3, 1, tzinfo=UTC)

    headers = [
        ("nf_stage", b"parser"),
        ("nf_error_class", b"InvalidMessageError"),
        ("nf_error_message", b"not JSON"),
    ]
    dlq = ConsumedRecord(topics.dlq, 0, 0, b"id-2", b"{}", headers)
    found = sighting_of(dlq, stages)
    assert found is not None and found[1].dead_letter is not None
    assert found[1].dead_letter.error_class == "InvalidMessageError"

    assert sighting_of(ConsumedRecord(topics.raw, 0, 0, None, b""), stages) is None
    assert sighting_of(ConsumedRecord(topics.processed, 0, 0, b"x", b""), stages) is None
