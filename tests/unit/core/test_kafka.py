"""The Kafka wrappers: each kind of producer's request timeout; keys partitioned as Kafka's
default partitioner does."""

import random

import pytest
from aiokafka.partitioner import DefaultPartitioner

from services.core import kafka
from services.core.kafka import partition_for
from services.core.settings import Settings

SETTINGS = Settings(stage_producer_timeout_s=3.0, ingest_send_timeout_s=7.0)


async def test_a_stage_transactional_producer_waits_its_own_timeout() -> None:
    producer = kafka.make_producer(SETTINGS, transactional_id="stage-txn")
    try:
        assert producer.client._request_timeout_ms == 3000
    finally:
        await producer.stop()


async def test_the_ingest_producer_waits_the_send_timeout() -> None:
    producer = kafka.make_producer(SETTINGS)
    try:
        assert producer.client._request_timeout_ms == 7000
    finally:
        await producer.stop()


@pytest.mark.parametrize("count", [1, 3, 12, 100])
def test_keys_go_where_the_default_partitioner_sends_them(count: int) -> None:
    rng = random.Random(count)
    partitions = list(range(count))
    reference = DefaultPartitioner()
    keys = [rng.randbytes(rng.randrange(0, 90)) for _ in range(3000)]
    keys += [b"", b"a", "u-ünïcode".encode(), b"\xff" * 7]
    for key in keys:
        assert partition_for(key, partitions, partitions) == reference(key, partitions, partitions)


def test_the_partition_is_one_of_the_topic_s() -> None:
    assert partition_for(b"k", [4, 9, 2], [4, 9, 2]) in {4, 9, 2}


def test_a_record_without_a_key_goes_to_an_available_partition() -> None:
    assert {partition_for(None, [0, 1, 2], [2]) for _ in range(50)} == {2}
    assert {partition_for(None, [0, 1], []) for _ in range(200)} == {0, 1}
