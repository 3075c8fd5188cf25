"""The consumer runner through the real broker: commit, DLQ, retry, crash, shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from services.core.records import OutgoingRecord
from services.core.runner import StageRunner
from services.core.settings import Settings
from tests.integration.echo_stage import echo_stage
from tests.integration.flow import committed_offsets, create_topics, produce, read_committed

ROOT = Path(__file__).resolve().parents[2]


@contextlib.asynccontextmanager
async def running(settings: Settings, delay_s: float = 0.0) -> AsyncIterator[StageRunner]:
    topics = await create_topics(settings)
    runner = StageRunner(settings, echo_stage(topics, delay_s))
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    try:
        yield runner
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


def records(topic: str, values: list[bytes]) -> list[OutgoingRecord]:
    return [OutgoingRecord(topic, f"k{i}".encode(), v) for i, v in enumerate(values)]


async def test_records_flow_through_and_offsets_are_committed(settings: Settings) -> None:
    topics = await create_topics(settings)
    values = [f"article {i}".encode() for i in range(30)]
    await produce(settings, records(topics.raw, values))
    async with running(settings):
        out = await read_committed(settings, topics.parsed, expected=30)
    assert sorted(r.value for r in out) == sorted(v.upper() for v in values)
    committed = await committed_offsets(settings, topics.group_of("echo"), topics.raw)
    assert sum(committed.values()) == 30


async def test_a_lone_record_is_not_held_back_by_the_minimum_fetch(settings: Settings) -> None:
    # far more bytes than will ever arrive: the fetch returns when its wait runs out
    waiting = settings.model_copy(
        update={"consumer_fetch_min_bytes": 8 * 1024 * 1024, "consumer_fetch_max_wait_ms": 300}
    )
    topics = await create_topics(waiting)
    await produce(waiting, records(topics.raw, [b"alone"]))
    async with running(waiting):
        out = await read_committed(waiting, topics.parsed, expected=1)
    assert [r.value for r in out] == [b"ALONE"]


async def test_permanent_error_goes_to_dlq_and_partition_moves_on(settings: Settings) -> None:
    topics = await create_topics(settings)
    raw = [OutgoingRecord(topics.raw, b"same-key", v) for v in (b"first", b"poison!", b"third")]
    await produce(settings, raw)
    async with running(settings):
        out = await read_committed(settings, topics.parsed, expected=2)
        dlq = await read_committed(settings, topics.dlq, expected=1)
    assert [r.value for r in out] == [b"FIRST", b"THIRD"]
    assert len(dlq) == 1
    letter = dlq[0]
    assert letter.header("nf_stage") == "echo"
    assert letter.header("nf_error_class") == "PermanentError"
    assert "cannot echo" in (letter.header("nf_error_message") or "")
    assert letter.header("nf_original_topic") == topics.raw
    assert letter.header("nf_original_offset") == "1"
    assert letter.header("ce_type") == "dev.newsflow.article.deadlettered.v1"
    body = json.loads(letter.value or b"")
    assert body["original_value"] == "poison!"
    assert body["stage"] == "echo"
    assert body["original_partition"] == int(letter.header("nf_original_partition") or -1)


async def test_transient_error_is_retried_and_nothing_is_lost(settings: Settings) -> None:
    topics = await create_topics(settings)
    values = [b"a", b"flaky-3", b"c", b"d"]
    await produce(settings, [OutgoingRecord(topics.raw, b"one-partition", v) for v in values])
    async with running(settings):
        out = await read_committed(settings, topics.parsed, expected=4, settle_s=1.5)
    assert [r.value for r in out] == [b"A", b"FLAKY-3", b"C", b"D"]


async def test_a_batch_commits_in_runs_and_a_failed_run_comes_again(settings: Settings) -> None:
    """Small transactions (at most 2 bytes of input each): the run holding the flaky record
    aborts and is retried from the last commit, the runs before it stay committed once."""
    topics = await create_topics(settings)
    values = [b"a", b"b", b"flaky-2", b"c", b"d", b"e"]
    await produce(settings, [OutgoingRecord(topics.raw, b"one-partition", v) for v in values])
    small = settings.model_copy(update={"transaction_max_bytes": 2})
    async with running(small):
        out = await read_committed(settings, topics.parsed, expected=6, settle_s=1.5)
    assert [r.value for r in out] == [b"A", b"B", b"FLAKY-2", b"C", b"D", b"E"]
    committed = await committed_offsets(settings, topics.group_of("echo"), topics.raw)
    assert sum(committed.values()) == len(values)


def start_stage(settings: Settings, delay_s: float) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NEWSFLOW_TOPIC_PREFIX": settings.topic_prefix,
        "NEWSFLOW_DATA_DIR": str(settings.data_dir),
        "NEWSFLOW_HEALTH_PORT_BASE": "0",
        "NEWSFLOW_TEST_DELAY_S": str(delay_s),
        "NEWSFLOW_SESSION_TIMEOUT_MS": "6000",
        "NEWSFLOW_CONSUMER_BATCH_SIZE": "20",
        "NEWSFLOW_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.echo_stage"], cwd=ROOT, env=env
    )


async def test_stage_killed_mid_stream_yields_each_output_exactly_once(settings: Settings) -> None:
    topics = await create_topics(settings)
    count = 300
    await produce(settings, records(topics.raw, [f"n{i}".encode() for i in range(count)]))
    first = start_stage(settings, delay_s=0.01)
    try:
        await read_committed(settings, topics.parsed, expected=40, timeout_s=60, settle_s=0)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    second = start_stage(settings, delay_s=0.0)
    try:
        out = await read_committed(
            settings, topics.parsed, expected=count, timeout_s=90, settle_s=2
        )
    finally:
        second.send_signal(signal.SIGTERM)
        code = second.wait(30)
    values = [r.value for r in out]
    assert len(values) == count, f"{len(values)} outputs for {count} inputs"
    assert sorted(values) == sorted(f"N{i}".encode() for i in range(count))
    assert code == 0, "SIGTERM must end the stage cleanly"
    committed = await committed_offsets(settings, topics.group_of("echo"), topics.raw)
    assert sum(committed.values()) == count
