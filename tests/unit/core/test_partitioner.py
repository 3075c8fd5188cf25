"""newsflow's partitioner chooses the partitions Kafka's default partitioner chooses."""

from __future__ import annotations

import random

import pytest
from aiokafka.partitioner import DefaultPartitioner

from services.core.kafka import partition_for


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
