"""The Kafka side of ``newsflow dlq``: bounded reads of one partition, the replay transaction."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from services.core import kafka
from services.core.errors import BrokerUnavailableError, ProducerFencedError
from services.core.kafkaerrors import translated
from services.core.records import ConsumedRecord, Delivered
from services.core.settings import Settings
from services.core.topics import Topics
from services.tools.dlq.entries import DlqError, Replay

READ_TIMEOUT_S = 30.0
REPLAY_GROUP = "dlq-replay"

# "stable": up to the last stable offset (what read_committed readers see now);
# "high": up to the high watermark, waiting for open transactions below it to end.
End = Literal["stable", "high"]


async def _end_offset(settings: Settings, consumer: Any, tp: Any, end: End) -> int:
    if end == "stable":
        return int((await consumer.end_offsets([tp]))[tp])
    probe = kafka.make_consumer(settings, None, isolation_level="read_uncommitted")
    await probe.start()
    try:
        return int((await probe.end_offsets([tp]))[tp])
    finally:
        await probe.stop()


async def _check_exists(settings: Settings, topic: str, partition: int) -> None:
    async with kafka.admin_client(settings) as admin:
        [described] = await admin.describe_topics([topic])
    if described.get("error_code"):
        raise DlqError(f"topic {topic} does not exist")
    if partition not in {p["partition"] for p in described.get("partitions", ())}:
        raise DlqError(f"topic {topic} has no partition {partition}")


async def read_partition(
    settings: Settings,
    topic: str,
    partition: int,
    start: int = 0,
    stop: int | None = None,
    *,
    end: End = "stable",
    timeout_s: float = READ_TIMEOUT_S,
) -> list[ConsumedRecord]:
    """The committed records of offsets [start, stop) of one partition, ``stop`` at most the
    end offset taken now; no consumer group, nothing committed. Raises on the deadline."""
    await _check_exists(settings, topic, partition)
    consumer = kafka.make_consumer(settings, None)
    try:
        with translated(f"cannot read {topic}/{partition}"):
            await consumer.start()
            tp = kafka.partition(topic, partition)
            consumer.assign([tp])
            first = int((await consumer.beginning_offsets([tp]))[tp])
            last = await _end_offset(settings, consumer, tp, end)
            start, stop = max(start, first), last if stop is None else min(stop, last)
            if start >= stop:
                return []
            consumer.seek(tp, start)
            return await _read_until(consumer, tp, stop, time.monotonic() + timeout_s)
    finally:
        await consumer.stop()


async def _read_until(consumer: Any, tp: Any, stop: int, deadline: float) -> list[ConsumedRecord]:
    records: list[ConsumedRecord] = []
    while (position := await consumer.position(tp)) < stop:
        if time.monotonic() > deadline:
            raise BrokerUnavailableError(
                f"reading {tp.topic}/{tp.partition} stalled at offset {position} of {stop}"
            )
        batch = await consumer.getmany(tp, timeout_ms=200)
        records.extend(kafka.to_consumed(m) for m in batch.get(tp, ()) if m.offset < stop)
    return records


async def read_dlq(
    settings: Settings, start: int = 0, stop: int | None = None
) -> list[ConsumedRecord]:
    """DLQ records of offsets [start, stop) (the DLQ has one partition, 0)."""
    return await read_partition(settings, Topics(settings.topic_prefix).dlq, 0, start, stop)


async def scan_targets(
    settings: Settings, targets: Iterable[tuple[str, int]]
) -> list[ConsumedRecord]:
    """Every committed record of the target partitions, from the beginning to the high mark."""
    records: list[ConsumedRecord] = []
    for topic, number in sorted(targets):
        records.extend(await read_partition(settings, topic, number, end="high"))
    return records


def replay_producer(settings: Settings) -> Any:
    """The one transactional producer of replays; starting it fences any other replay."""
    transactional_id = Topics(settings.topic_prefix).group_of(REPLAY_GROUP)
    return kafka.make_producer(settings, transactional_id=transactional_id)


async def publish(producer: Any, replays: Sequence[Replay]) -> list[Delivered]:
    """Send every replay in one transaction; all are committed, or none."""
    try:
        with translated("the replay was not committed"):
            async with producer.transaction():
                futures = [
                    await producer.send(
                        r.topic, r.value, key=r.key, headers=r.headers, partition=r.partition
                    )
                    for r in replays
                ]
                metas = await asyncio.gather(*futures)
    except ProducerFencedError as error:
        raise DlqError(
            "another replay started meanwhile and fenced this one, which published nothing; "
            "run it again to replay what is left"
        ) from error
    return [Delivered(meta.topic, meta.partition, meta.offset) for meta in metas]
