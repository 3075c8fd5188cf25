"""/v1/status totals count committed records only: never a transaction marker, an aborted
record or a record of a transaction still open, so parsed never overtakes accepted."""

from __future__ import annotations

import time

import httpx

from services.core import kafka
from services.core.records import OutgoingRecord
from services.core.settings import Settings
from services.gateway.database import LazyReader
from services.gateway.offsets import OffsetReader
from services.gateway.poller import StatusPoller
from tests.integration.flow import create_topics, produce

COMMITTED = 20


async def write_transactions(settings: Settings, topic: str, transactional_id: str) -> object:
    """``COMMITTED`` records in as many transactions (as many markers), one aborted record,
    then a transaction left open with 5 records; returns the producer (to end it)."""
    producer = kafka.make_producer(settings, transactional_id=transactional_id)
    await producer.start()
    for i in range(COMMITTED):
        async with producer.transaction():
            await kafka.send(producer, OutgoingRecord(topic, b"one", f"r{i}".encode()))
    await producer.begin_transaction()
    await kafka.send(producer, OutgoingRecord(topic, b"one", b"aborted"))
    await producer.abort_transaction()
    await producer.begin_transaction()
    for i in range(5):
        await kafka.send(producer, OutgoingRecord(topic, b"one", f"open{i}".encode()))
    return producer


async def test_a_count_still_catching_up_never_counts_markers(settings: Settings) -> None:
    topics = await create_topics(settings)
    producer = await write_transactions(settings, topics.parsed, f"{settings.topic_prefix}w")
    reader = OffsetReader(settings, [topics.parsed], max_scan=7)  # a few offsets per poll
    seen: list[tuple[int, bool]] = []
    try:
        for _ in range(12):
            seen.append(await reader.depth(topics.parsed, deadline=time.monotonic() + 10))
    finally:
        await reader.close()
        await producer.abort_transaction()  # type: ignore[attr-defined]
        await producer.stop()  # type: ignore[attr-defined]
    assert all(total <= COMMITTED for total, _ in seen), seen
    assert not seen[0][1]  # a lower bound while catching up, and said to be one
    assert seen[-1] == (COMMITTED, True)
    assert [t for t, _ in seen] == sorted(t for t, _ in seen)  # it only grows


async def test_parsed_never_overtakes_accepted_in_the_status(settings: Settings) -> None:
    topics = await create_topics(settings)
    await produce(
        settings, [OutgoingRecord(topics.raw, b"one", f"a{i}".encode()) for i in range(COMMITTED)]
    )
    producer = await write_transactions(settings, topics.parsed, f"{settings.topic_prefix}p")
    poller = StatusPoller(settings, LazyReader.of(settings))
    try:
        async with httpx.AsyncClient(timeout=1) as client:
            snapshot = await poller.poll_once(client)
    finally:
        await poller.close()
        await producer.abort_transaction()  # type: ignore[attr-defined]
        await producer.stop()  # type: ignore[attr-defined]
    totals = snapshot.totals
    assert (totals.accepted, totals.parsed, totals.exact) == (COMMITTED, COMMITTED, True)
