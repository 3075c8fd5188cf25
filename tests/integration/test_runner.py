"""The consumer runner through the real broker: commit, DLQ, retry, crash, shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

from services.core.records import OutgoingRecord
from services.core.runner import StageRunner
from services.core.settings import Settings
from services.tools.processes import ServiceProcess
from tests.integration.echo_stage import echo_stage
from tests.integration.flow import (
    committed_offsets,
    create_topics,
    produce,
    read_committed,
    wait_for,
)
from tests.integration.pipeline import service_process


@contextlib.asynccontextmanager
async def running(
    settings: Settings, delay_s: float = 0.0, *, broken: bool = False
) -> AsyncIterator[StageRunner]:
    topics = await create_topics(settings)
    runner = StageRunner(settings, echo_stage(topics, delay_s, broken=broken))
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
    assert sorted(r.value or b"" for r in out) == sorted(v.upper() for v in values)
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
    assert letter.header("nf_error_class") == "RecordFault"
    assert "cannot echo" in (letter.header("nf_error_message") or "")
    assert letter.header("nf_original_topic") == topics.raw
    assert letter.header("nf_original_offset") == "1"
    assert letter.header("ce_type") == "dev.newsflow.article.deadlettered.v1"
    body = json.loads(letter.value or b"")
    assert body["original_value"] == "poison!"
    assert body["stage"] == "echo"
    assert body["original_partition"] == int(letter.header("nf_original_partition") or -1)
    # the traceback goes with it: where the handler raised the fault
    assert "in handle" in body["error_traceback"] and "echo_stage.py" in body["error_traceback"]
    assert body["error_traceback"].endswith("RecordFault: cannot echo b'poison!'")
    assert letter.header("nf_error_traceback") == body["error_traceback"]


def failing_fast(settings: Settings, retries: int, **more: object) -> Settings:
    return settings.model_copy(
        update={
            "errors_retry_limit": retries,
            "retry_backoff_initial_s": 0.05,
            "retry_backoff_max_s": 0.2,
            **more,
        }
    )


async def wait_stopped(runner: StageRunner, partitions: int, timeout_s: float = 30) -> None:
    async def stopped() -> bool:
        return len(runner.failures) >= partitions

    await wait_for(stopped, timeout_s, f"{partitions} partition(s) stopped")


async def test_a_bug_on_every_record_stops_the_line_and_dead_letters_nothing(
    settings: Settings,
) -> None:
    """A bad deploy: the handler fails on every record. Nothing is dead-lettered, published or
    committed; the stage reports each partition failing; a fixed build then delivers every
    record exactly once."""
    broken = failing_fast(settings, retries=2)
    topics = await create_topics(broken)
    values = [f"article {i}".encode() for i in range(30)]
    await produce(broken, records(topics.raw, values))
    by_partition = {r.partition for r in await read_committed(broken, topics.raw, expected=30)}
    async with running(broken, broken=True) as runner:
        await wait_stopped(runner, len(by_partition))
        assert not runner.healthy
        assert {f.partition for f in runner.failures} == by_partition
        assert {f.error_class for f in runner.failures} == {"RuntimeError"}
        assert all(f.error_message == "echo is broken in this build" for f in runner.failures)
        assert all(f.offset == 0 for f in runner.failures)  # stopped at the first record
    assert await read_committed(broken, topics.dlq, expected=1, timeout_s=2, settle_s=0) == []
    assert await read_committed(broken, topics.parsed, expected=1, timeout_s=2, settle_s=0) == []
    assert sum((await committed_offsets(broken, topics.group_of("echo"), topics.raw)).values()) == 0
    async with running(broken) as fixed:
        out = await read_committed(broken, topics.parsed, expected=30, settle_s=2)
        assert fixed.healthy and fixed.failures == []
    assert sorted(r.value or b"" for r in out) == sorted(v.upper() for v in values)
    assert await read_committed(broken, topics.dlq, expected=1, timeout_s=2, settle_s=0) == []


async def test_a_stopped_partition_holds_and_the_others_keep_flowing(settings: Settings) -> None:
    stuck = failing_fast(settings, retries=1)
    topics = await create_topics(stuck)
    await produce(stuck, [OutgoingRecord(topics.raw, b"stuck", b"bug-1000")])
    values = [f"article {i}".encode() for i in range(40)]
    await produce(stuck, records(topics.raw, values))
    raw = await read_committed(stuck, topics.raw, expected=41)
    held = next(r.partition for r in raw if r.value == b"bug-1000")
    flowing = sorted(r.value.upper() for r in raw if r.partition != held and r.value)
    async with running(stuck) as runner:
        await wait_stopped(runner, 1)
        out = await read_committed(stuck, topics.parsed, expected=len(flowing), settle_s=1.5)
        [failure] = runner.failures
    assert (failure.partition, failure.offset, failure.error_class) == (held, 0, "KeyError")
    assert sorted(r.value or b"" for r in out) == flowing  # nothing of the held partition
    committed = await committed_offsets(stuck, topics.group_of("echo"), topics.raw)
    assert committed[held] == 0


async def test_a_bug_that_clears_within_the_retries_loses_nothing(settings: Settings) -> None:
    # bug-4 fails four times: twice per attempt (the batch, then the record alone)
    patient = failing_fast(settings, retries=3)
    topics = await create_topics(patient)
    values = [b"a", b"bug-4", b"c"]
    await produce(patient, [OutgoingRecord(topics.raw, b"one-partition", v) for v in values])
    async with running(patient) as runner:
        out = await read_committed(patient, topics.parsed, expected=3, settle_s=1.5)
        assert runner.failures == []
    assert [r.value for r in out] == [b"A", b"BUG-4", b"C"]
    assert await read_committed(patient, topics.dlq, expected=1, timeout_s=2, settle_s=0) == []


async def test_the_retry_limit_is_what_stops_a_partition(settings: Settings) -> None:
    # the same record as above, with one retry fewer than it needs: the partition stops
    impatient = failing_fast(settings, retries=1)
    topics = await create_topics(impatient)
    values = [b"a", b"bug-4", b"c"]
    await produce(impatient, [OutgoingRecord(topics.raw, b"one-partition", v) for v in values])
    async with running(impatient) as runner:
        await wait_stopped(runner, 1)
        out = await read_committed(impatient, topics.parsed, expected=3, timeout_s=3, settle_s=0)
    # "a" is out only if it was fetched, and so committed, before the failing record
    assert [r.value for r in out] in ([], [b"A"])
    [failure] = runner.failures
    assert failure.offset == 1 and failure.error_class == "KeyError"


async def test_with_errors_tolerated_a_bug_is_dead_lettered_with_its_traceback(
    settings: Settings,
) -> None:
    tolerant = failing_fast(settings, retries=1, errors_tolerance="all")
    topics = await create_topics(tolerant)
    values = [b"a", b"bug-1000", b"c"]
    await produce(tolerant, [OutgoingRecord(topics.raw, b"one-partition", v) for v in values])
    async with running(tolerant) as runner:
        out = await read_committed(tolerant, topics.parsed, expected=2, settle_s=1)
        dlq = await read_committed(tolerant, topics.dlq, expected=1, settle_s=1)
        assert runner.failures == []
    assert [r.value for r in out] == [b"A", b"C"]
    [letter] = dlq
    body = json.loads(letter.value or b"")
    assert (body["error_class"], body["original_value"]) == ("KeyError", "bug-1000")
    assert "echo_stage.py" in body["error_traceback"] and "KeyError" in body["error_traceback"]
    assert "a bug of the code" in body["error_message"]


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


def start_stage(settings: Settings, delay_s: float) -> ServiceProcess:
    """The echo stage as its own process, each record slowed down by ``delay_s``."""
    return service_process(
        settings,
        "echo",
        module="tests.integration.echo_stage",
        extra_env={"NEWSFLOW_TEST_DELAY_S": str(delay_s)},
        session_timeout_ms=6000,
        consumer_batch_size=20,
    )


async def test_stage_killed_mid_stream_yields_each_output_exactly_once(settings: Settings) -> None:
    topics = await create_topics(settings)
    count = 300
    await produce(settings, records(topics.raw, [f"n{i}".encode() for i in range(count)]))
    first = start_stage(settings, delay_s=0.01)
    try:
        await read_committed(settings, topics.parsed, expected=40, timeout_s=60, settle_s=0)
        first.kill()
        first.process.wait(10)
    finally:
        first.kill()
    second = start_stage(settings, delay_s=0.0)
    try:
        out = await read_committed(
            settings, topics.parsed, expected=count, timeout_s=90, settle_s=2
        )
    finally:
        code = second.stop(30)
    values = [r.value or b"" for r in out]
    assert len(values) == count, f"{len(values)} outputs for {count} inputs"
    assert sorted(values) == sorted(f"N{i}".encode() for i in range(count))
    assert code == 0, "SIGTERM must end the stage cleanly"
    committed = await committed_offsets(settings, topics.group_of("echo"), topics.raw)
    assert sum(committed.values()) == count
