"""The article index: furthest stage wins; a window of offsets per partition, the same for a
replica that read it back as for one that read everything; bounded ids; sightings from records."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.core.records import ConsumedRecord
from services.core.topics import Topics
from services.gateway.tracker import ArticleIndex, Sighting, furthest, sighting_of, topic_stages

AT = datetime(2025, 3, 1, tzinfo=UTC)


def seen(stage: str, offset: int = 0, topic: str = "t", partition: int = 0) -> Sighting:
    return Sighting(stage, AT, topic, partition, offset)  # type: ignore[arg-type]


def test_the_furthest_stage_wins_whatever_the_arrival_order() -> None:
    assert furthest(seen("parsed"), seen("accepted")).stage == "parsed"
    assert furthest(seen("accepted"), seen("deduplicated")).stage == "deduplicated"
    assert furthest(seen("deduplicated"), seen("dead_lettered")).stage == "dead_lettered"
    assert furthest(seen("parsed", 1), seen("parsed", 9)).offset == 9


def test_the_index_answers_the_furthest_sighting_whatever_the_arrival_order() -> None:
    index = ArticleIndex(capacity=10, window=100)
    index.record("a", seen("parsed", 4, "parsed"))
    index.record("a", seen("accepted", 7, "raw"))  # a copy pushed again, read later
    assert index.get("a") == seen("parsed", 4, "parsed")
    index.record("a", seen("accepted", 9, "raw"))
    assert index.get("a") == seen("parsed", 4, "parsed")
    assert index.get("b") is None


def test_the_index_holds_the_last_window_offsets_of_each_partition() -> None:
    index = ArticleIndex(capacity=100, window=3)
    for offset, article_id in enumerate("abcd"):
        index.record(article_id, seen("accepted", offset, "raw", 0))
    assert index.get("a") is None  # offset 0, the window is 1..3
    assert [index.get(i) is not None for i in "bcd"] == [True, True, True]
    index.record("x", seen("accepted", 0, "raw", 1))  # another partition has its own window
    index.advance("raw", 0, 6)  # offsets 4 and 5 hold no article (transaction markers)
    assert index.get("b") is None and index.get("c") is None and index.get("d") is not None
    assert index.get("x") is not None and len(index) == 2


def test_an_id_stays_while_any_of_its_sightings_is_in_a_window() -> None:
    index = ArticleIndex(capacity=100, window=2)
    index.record("a", seen("accepted", 0, "raw"))
    index.record("a", seen("parsed", 0, "parsed"))
    index.advance("raw", 0, 10)  # its raw record left the window; its parsed one has not
    assert index.get("a") == seen("parsed", 0, "parsed")
    index.record("a", seen("accepted", 10, "raw"))  # pushed again
    index.advance("parsed", 0, 10)
    assert index.get("a") == seen("accepted", 10, "raw")
    index.advance("raw", 0, 11)  # the old raw record is long gone: the new one stays
    assert index.get("a") == seen("accepted", 10, "raw")
    index.advance("raw", 0, 13)
    assert index.get("a") is None and len(index) == 0


def test_a_late_reader_of_the_window_answers_as_one_that_read_everything() -> None:
    records = [(f"id-{n % 7}", seen("accepted", n, "raw", n % 2)) for n in range(40)]
    records += [(f"id-{n % 5}", seen("parsed", n, "parsed", n % 2)) for n in range(30)]
    always = ArticleIndex(capacity=1000, window=8)
    for article_id, sighting in records:
        always.record(article_id, sighting)
    late = ArticleIndex(capacity=1000, window=8)
    for article_id, sighting in records:  # what a replica starting now reads back
        ends = {"raw": 40, "parsed": 30}
        if sighting.offset >= ends[sighting.topic] - 8:
            late.record(article_id, sighting)
    for topic, end in (("raw", 40), ("parsed", 30)):
        for partition in (0, 1):
            always.advance(topic, partition, end)
            late.advance(topic, partition, end)
    ids = {article_id for article_id, _ in records}
    assert {i: always.get(i) for i in ids} == {i: late.get(i) for i in ids}
    assert len(always) == len(late) > 0


def test_the_capacity_bounds_the_ids_held() -> None:
    index = ArticleIndex(capacity=2, window=100)
    index.record("a", seen("accepted", 0))
    index.record("b", seen("accepted", 1))
    index.record("a", seen("parsed", 2, "p"))  # a is fresh again
    index.record("c", seen("accepted", 3))
    assert index.get("b") is None and len(index) == 2
    assert index.get("a") == seen("parsed", 2, "p")
    index.advance("t", 0, 200)  # b's record leaves the window after it left the index
    assert index.get("a") == seen("parsed", 2, "p") and index.get("c") is None


def test_a_window_of_nothing_holds_nothing() -> None:
    index = ArticleIndex(capacity=10, window=0)
    index.record("a", seen("accepted", 5))
    assert index.get("a") is None and len(index) == 0
    with pytest.raises(ValueError):
        ArticleIndex(0, window=1)
    with pytest.raises(ValueError):
        ArticleIndex(1, window=-1)


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
