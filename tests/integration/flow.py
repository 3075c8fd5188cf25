"""Helpers for integration tests: produce, read back with read_committed, wait on conditions."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable

from services.core import kafka
from services.core.records import ConsumedRecord, OutgoingRecord
from services.core.service import topic_specs
from services.core.settings import Settings
from services.core.topics import Topics, TopicSpec


async def create_topics(settings: Settings, *extra: TopicSpec) -> Topics:
    topics = Topics(settings.topic_prefix)
    await kafka.ensure_topics(settings, [*topic_specs(settings, topics), *extra])
    return topics


async def produce(settings: Settings, records: Iterable[OutgoingRecord]) -> None:
    producer = kafka.make_producer(settings)
    await producer.start()
    try:
        for record in records:
            await kafka.send(producer, record)
    finally:
        await producer.stop()


async def read_committed(
    settings: Settings, topic: str, expected: int, timeout_s: float = 60.0, settle_s: float = 1.0
) -> list[ConsumedRecord]:
    """Everything committed on ``topic``: wait until ``expected`` arrived, then ``settle_s`` more
    to catch extras (duplicates would show up as more than expected)."""
    consumer = kafka.make_consumer(settings, None, topic)
    await consumer.start()
    records: list[ConsumedRecord] = []
    deadline = time.monotonic() + timeout_s
    settle_until: float | None = None
    try:
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            records.extend(kafka.to_consumed(m) for ms in batch.values() for m in ms)
            if len(records) >= expected and settle_until is None:
                settle_until = time.monotonic() + settle_s
            if settle_until is not None and time.monotonic() >= settle_until:
                break
    finally:
        await consumer.stop()
    return records


async def wait_for(
    condition: Callable[[], Awaitable[bool]], timeout_s: float, what: str, poll_s: float = 0.1
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await condition():
            return
        await asyncio.sleep(poll_s)
    raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")


async def committed_offsets(settings: Settings, group: str, topic: str) -> dict[int, int]:
    """The group's committed offset of every partition of ``topic`` (0 when none)."""
    consumer = kafka.make_consumer(settings, group)
    await consumer.start()
    try:
        result = {}
        for number in range(settings.topic_partitions):
            committed = await consumer.committed(kafka.partition(topic, number))
            result[number] = committed or 0
        return result
    finally:
        await consumer.stop()
