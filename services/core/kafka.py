"""Typed wrappers around aiokafka. aiokafka is untyped: it stays behind this module.

Every client newsflow builds comes from here, so producer durability (``acks=all``, idempotence)
and consumer isolation (``read_committed``, manual commits) are set once.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from murmurhash2 import murmurhash2

from services.core.kafkaerrors import translated
from services.core.records import ConsumedRecord, Delivered, OutgoingRecord
from services.core.settings import Settings
from services.core.topics import TopicSpec

# The largest request either side sends: a protocol limit matched by the broker's
# message.max.bytes (deploy/kafka/server.properties), so not a setting of its own.
MAX_REQUEST_BYTES = 33_554_432
MURMUR2_SEED = 0x9747B28C

# How soon a transactional producer retries a refused coordinator request (aiokafka: 100 ms);
# see :func:`send_in_transaction` for why it matters.
TRANSACTION_RETRY_BACKOFF_MS = 5


def partition_for(key: bytes | None, partitions: Sequence[int], available: Sequence[int]) -> int:
    """Kafka's default partitioner (murmur2 of the key, as the Java client and aiokafka choose),
    with the hash computed in C: aiokafka's own is pure Python, several microseconds a record.
    A record without a key goes to an available partition at random."""
    if key is None:
        return random.choice(available or partitions)
    return partitions[(murmurhash2(key, MURMUR2_SEED) & 0x7FFFFFFF) % len(partitions)]


def make_producer(settings: Settings, *, transactional_id: str | None = None, **extra: Any) -> Any:
    """An idempotent producer acknowledged by all in-sync replicas (transactional if named).

    A transactional producer (a stage's) waits ``stage_producer_timeout_s`` for the broker, any
    other (ingest's) ``ingest_send_timeout_s``."""
    timeout_s = (
        settings.ingest_send_timeout_s
        if transactional_id is None
        else settings.stage_producer_timeout_s
    )
    if transactional_id is not None:
        extra.setdefault("retry_backoff_ms", TRANSACTION_RETRY_BACKOFF_MS)
    return AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        transactional_id=transactional_id,
        max_request_size=MAX_REQUEST_BYTES,
        max_batch_size=settings.kafka_producer_batch_bytes,
        compression_type=None,
        partitioner=partition_for,
        request_timeout_ms=int(timeout_s * 1000),
        **extra,
    )


def make_consumer(settings: Settings, group_id: str | None, *topics: str, **extra: Any) -> Any:
    """A manual-commit consumer that sees only committed transactions."""
    options: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap_servers,
        "group_id": group_id,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "isolation_level": "read_committed",
        "session_timeout_ms": settings.session_timeout_ms,
        "heartbeat_interval_ms": max(settings.session_timeout_ms // 4, 500),
        "fetch_max_bytes": MAX_REQUEST_BYTES,
        "max_partition_fetch_bytes": MAX_REQUEST_BYTES,
    }
    options.update(extra)
    return AIOKafkaConsumer(*topics, **options)


def to_consumed(message: Any) -> ConsumedRecord:
    return ConsumedRecord(
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=message.key,
        value=message.value,
        headers=list(message.headers or ()),
        timestamp_ms=message.timestamp or 0,
    )


async def send(producer: Any, record: OutgoingRecord) -> Delivered:
    """Send one record and wait for the broker's acknowledgement."""
    with translated("broker did not acknowledge"):
        meta = await producer.send_and_wait(
            record.topic, record.value, key=record.key, headers=record.headers
        )
    return Delivered(meta.topic, meta.partition, meta.offset)


async def send_tombstone(producer: Any, topic: str, key: bytes) -> None:
    """Send a record with ``key`` and no value (compaction then deletes the key) and wait for
    the broker's acknowledgement."""
    with translated("broker did not acknowledge"):
        await producer.send_and_wait(topic, None, key=key)


@dataclass(frozen=True, slots=True)
class Queued:
    """A record appended to a producer batch: its partition, its place in the batch, and the
    future of the batch's acknowledgement (whose offset is the batch's base offset)."""

    partition: int
    relative_offset: int
    batch: asyncio.Future[Any]

    def delivered(self, topic: str) -> Delivered:
        return Delivered(topic, self.partition, self.batch.result().offset + self.relative_offset)


async def queue_batches(
    producer: Any, topic: str, records: Sequence[OutgoingRecord]
) -> list[Queued]:
    """Append many records to one topic as whole producer batches, one partition at a time.

    The records go to the partitions ``send`` would choose (the default murmur2 partitioner on
    the key), in order within each partition; far cheaper per record than ``send``.
    """
    partitions = sorted(await producer.partitions_for(topic))
    by_partition: dict[int, list[int]] = {}
    for index, record in enumerate(records):
        by_partition.setdefault(partition_for(record.key, partitions, partitions), []).append(index)
    queued: dict[int, Queued] = {}
    for number, indexes in by_partition.items():
        builder, members = producer.create_batch(), list[tuple[int, int]]()
        for index in indexes:
            meta = _append(builder, records[index])
            if meta is None:  # the batch is full: send it and start the next one
                queued.update(await _submit(producer, builder, topic, number, members))
                builder, members = producer.create_batch(), []
                meta = _append(builder, records[index])
            members.append((index, meta.offset))
        queued.update(await _submit(producer, builder, topic, number, members))
    return [queued[index] for index in range(len(records))]


async def send_all(producer: Any, records: Sequence[OutgoingRecord]) -> None:
    """Send records as whole producer batches (per topic, in order within each partition) and
    wait until the broker acknowledged every batch; raises the first failure. Inside a
    transaction the batches join it, as ``send`` would."""
    by_topic: dict[str, list[OutgoingRecord]] = {}
    for record in records:
        by_topic.setdefault(record.topic, []).append(record)
    queued = [
        item
        for topic, group in by_topic.items()
        for item in await queue_batches(producer, topic, group)
    ]
    await asyncio.gather(*batches_of(queued))


async def send_in_transaction(
    producer: Any, records: Sequence[OutgoingRecord], offsets: dict[Any, int], group_id: str
) -> None:
    """Add the consumed ``offsets`` of ``group_id`` and the output ``records`` to the producer's
    open transaction (committed together, or not at all, when the transaction ends).

    The offsets go first. A transaction begun right after the previous one committed is often
    refused with CONCURRENT_TRANSACTIONS while the broker still writes the commit markers (a
    millisecond or two). aiokafka retries a refused AddOffsetsToTxn after the producer's retry
    backoff (5 ms here, ``TRANSACTION_RETRY_BACKOFF_MS``), but a refused first AddPartitionsToTxn
    after a fixed 20 ms, which alone made most of a stage hop's latency: once the offsets are
    in, the transaction is open on the broker and adding the partitions is no longer refused.
    """
    await producer.send_offsets_to_transaction(offsets, group_id)
    await send_all(producer, records)


def batches_of(queued: Sequence[Queued]) -> list[asyncio.Future[Any]]:
    """The distinct producer batches (acknowledgement futures) the queued records went into."""
    return list({id(item.batch): item.batch for item in queued}.values())


def _append(builder: Any, record: OutgoingRecord) -> Any:
    return builder.append(
        key=record.key, value=record.value, timestamp=None, headers=record.headers
    )


async def _submit(
    producer: Any, builder: Any, topic: str, number: int, members: list[tuple[int, int]]
) -> dict[int, Queued]:
    future = await producer.send_batch(builder, topic, partition=number)
    return {index: Queued(number, relative, future) for index, relative in members}


@contextlib.asynccontextmanager
async def admin_client(settings: Settings) -> AsyncIterator[Any]:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers,
        request_timeout_ms=int(settings.kafka_admin_timeout_s * 1000),
    )
    with translated(f"cannot reach {settings.bootstrap_servers}"):
        await admin.start()
    try:
        yield admin
    finally:
        await admin.close()


async def ensure_topics(settings: Settings, specs: Iterable[TopicSpec]) -> list[str]:
    """Create the topics that do not exist yet; return the names created. Idempotent."""
    wanted = list(specs)
    async with admin_client(settings) as admin:
        with translated("cannot create the topics"):
            existing = set(await admin.list_topics())
        missing = [spec for spec in wanted if spec.name not in existing]
        if not missing:
            return []
        new = [
            NewTopic(
                spec.name,
                num_partitions=spec.partitions,
                replication_factor=settings.topic_replication_factor,
                topic_configs=spec.config,
            )
            for spec in missing
        ]
        with translated("cannot create the topics"), contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics(new)
    return [spec.name for spec in missing]


PartitionsCallback = Callable[[set[tuple[str, int]]], Awaitable[None]]


class RebalanceHooks(ConsumerRebalanceListener):  # type: ignore[misc]
    """Forwards aiokafka's rebalance callbacks as sets of (topic, partition)."""

    def __init__(self, on_assigned: PartitionsCallback, on_revoked: PartitionsCallback) -> None:
        self._on_assigned = on_assigned
        self._on_revoked = on_revoked

    async def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        await self._on_revoked({(tp.topic, tp.partition) for tp in revoked})

    async def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        await self._on_assigned({(tp.topic, tp.partition) for tp in assigned})


def partition(topic: str, number: int) -> Any:
    return TopicPartition(topic, number)
