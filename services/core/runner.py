"""The consumer runner every stage uses: transactional read-process-write.

The commit order is written once, here: a batch's outputs and its input offsets are one Kafka
transaction, so the offsets are committed only together with the outputs, and a crash at any
point leaves either both or neither for ``read_committed`` readers. Each input partition has its
own transactional producer (``<group>.<topic>.<partition>``), so the owner of a partition after a
rebalance or restart fences any zombie that still thinks it owns it. A partition's batch is cut
into transactions of at most ``transaction_max_bytes`` of input, so a batch of large pages never
makes one long transaction.

Error policy, the one catch-all of the project (:func:`services.core.policy.classify`):

* a fault of the record (:class:`~services.core.errors.RecordFault`: it can never be processed)
  → a DLQ record with the reason and traceback, inside the same transaction, then the partition
  moves on;
* transient (broker, disk or database unavailable) → abort, back off (bounded), rewind to the
  committed offset and try again; nothing is ever skipped;
* anything else is a bug → logged with its traceback, the transaction aborted and the partition
  rewound; retried with backoff ``errors_retry_limit`` times; then, with ``errors_tolerance=none``
  (the default), the partition is paused where it is — nothing past the failing record is
  committed, nothing of it published, the other partitions go on — and the stage reports
  ``failing`` until it is restarted; with ``errors_tolerance=all`` the last attempt dead-letters
  the record instead (as Kafka Connect's ``errors.tolerance``).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from services.core import kafka, metrics, topology
from services.core.deadletters import dead_letter_record
from services.core.errors import TransientError
from services.core.failures import FailureBook, PartitionFailure
from services.core.handlers import BatchHandler, HandlerFailure, run_isolating
from services.core.kafkaerrors import translated
from services.core.logs import get_logger
from services.core.policy import Backoff, classify
from services.core.records import ConsumedRecord, OutgoingRecord
from services.core.settings import Settings
from services.core.topics import Topics
from services.core.topology import ServiceName

TopicPartition = tuple[str, int]

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Stage:
    """One read-process-write stage: where it reads, its group, and its handler."""

    name: str
    input_topic: str
    group_id: str
    dlq_topic: str
    handler: BatchHandler
    # The lease holder's static membership: the next holder takes the dead one's place at once
    member: str | None = None

    @classmethod
    def of(cls, name: str, input_topic: str, topics: Topics, handler: BatchHandler) -> Stage:
        """A stage with the flow's conventions: group ``<prefix>newsflow.<name>``, the DLQ."""
        return cls(name, input_topic, topics.group_of(name), topics.dlq, handler)

    @classmethod
    def in_flow(cls, name: ServiceName, topics: Topics, handler: BatchHandler) -> Stage:
        """The stage ``name`` of the topology, reading its input topic there."""
        return cls.of(name, topics.name_of(topology.stage(name).input), topics, handler)


class StageRunner:
    """Runs a stage until ``stop`` is set: fetch, process per partition, commit, repeat."""

    def __init__(self, settings: Settings, stage: Stage) -> None:
        self._settings = settings
        self._stage = stage
        self._producers: dict[TopicPartition, Any] = {}
        self._lock = asyncio.Lock()
        self._backoff = Backoff(settings.retry_backoff_initial_s, settings.retry_backoff_max_s)
        self._consumer: Any = None
        self.started = False
        self._failing: set[TopicPartition] = set()  # partitions retrying a transient failure
        self._unsettled: set[TopicPartition] = set()  # failed, not yet rewound to the commit
        self._pause_s = 0.0
        self._failures = FailureBook(stage.name, settings.errors_retry_limit)
        self.last_loop_at = time.monotonic()

    @property
    def healthy(self) -> bool:
        """No partition of this instance is retrying a transient failure or stopped."""
        return not self._failing and not self._failures.stopped

    @property
    def partitions(self) -> list[int]:
        """The input partitions this instance holds now (none before it started)."""
        if self._consumer is None or not self.started:
            return []
        return sorted(tp.partition for tp in self._consumer.assignment())

    @property
    def failures(self) -> list[PartitionFailure]:
        """The partitions this instance stopped on a record its code fails on."""
        return [self._failures.stopped[tp] for tp in sorted(self._failures.stopped)]

    async def run(self, stop: asyncio.Event) -> None:
        stage = self._stage
        self._consumer = stage_consumer(self._settings, stage)
        self._consumer.subscribe(
            [stage.input_topic], listener=kafka.RebalanceHooks(self._assigned, self._revoked)
        )
        await self._consumer.start()
        self.started = True
        log.info("stage_started", stage=stage.name, topic=stage.input_topic, group=stage.group_id)
        try:
            while not stop.is_set():
                self.last_loop_at = time.monotonic()
                batches = await self._consumer.getmany(
                    timeout_ms=self._settings.consumer_fetch_timeout_ms,
                    max_records=self._settings.consumer_batch_size,
                )
                async with self._lock:
                    # Each partition is its own transaction with its own producer: their
                    # broker round trips overlap (handlers serialise their own shared state).
                    await asyncio.gather(
                        *(
                            self._process_partition((tp.topic, tp.partition), messages)
                            for tp, messages in batches.items()
                            if messages
                        )
                    )
                await self._pause(stop)
        finally:
            await self._shutdown()

    async def _shutdown(self) -> None:
        async with self._lock:
            for producer in self._producers.values():
                await _stop_quietly(producer, self._settings.stage_producer_stop_wait_s)
            self._producers.clear()
        await self._consumer.stop()
        log.info("stage_stopped", stage=self._stage.name)

    async def _assigned(self, assigned: set[TopicPartition]) -> None:
        metrics.ASSIGNED_PARTITIONS.labels(self._stage.name).set(len(assigned))
        log.info("partitions_assigned", stage=self._stage.name, partitions=sorted(assigned))

    async def _revoked(self, revoked: set[TopicPartition]) -> None:
        async with self._lock:  # waits for the in-flight transaction to end
            self._failing -= revoked  # the new owner retries them: nothing pending here
            self._unsettled -= revoked
            self._failures.forget(revoked)
            for tp in revoked:
                producer = self._producers.pop(tp, None)
                if producer is not None:
                    await _stop_quietly(producer, self._settings.stage_producer_stop_wait_s)
        log.info("partitions_revoked", stage=self._stage.name, partitions=sorted(revoked))

    async def _producer_for(self, tp: TopicPartition) -> Any:
        producer = self._producers.get(tp)
        if producer is None:
            txn_id = f"{self._stage.group_id}.{tp[0]}.{tp[1]}"
            producer = kafka.make_producer(self._settings, transactional_id=txn_id)
            await producer.start()  # init_transactions: fences any zombie with this id
            self._producers[tp] = producer
        return producer

    async def _process_partition(self, tp: TopicPartition, messages: Sequence[Any]) -> None:
        if kafka.partition(*tp) not in self._consumer.assignment():
            return  # revoked since the fetch: the new owner starts from the committed offset
        if tp in self._failures.stopped:
            return  # fetched before it was paused
        if tp in self._unsettled:
            await self._rewind(tp)  # fetched from past a failed batch: drop, fetch again
            return
        for part in by_size(messages, self._settings.transaction_max_bytes):
            if not await self._transact(tp, part):
                return  # rewound to the last commit: the rest comes again

    async def _transact(self, tp: TopicPartition, messages: Sequence[Any]) -> bool:
        """One transaction: the outputs of ``messages`` and the offset past them; ``False`` if
        it did not commit (the partition was rewound to its committed offset)."""
        started = time.perf_counter()
        try:
            fresh = tp not in self._producers
            producer = await self._producer_for(tp)
            if fresh and not await self._starts_at_committed(tp, messages[0].offset):
                return False  # fetched from a stale position: rewound, fetched again next round
            async with producer.transaction():
                outputs = await self._handle(tp, [kafka.to_consumed(m) for m in messages])
                offsets = {kafka.partition(*tp): messages[-1].offset + 1}
                await kafka.send_in_transaction(producer, outputs, offsets, self._stage.group_id)
        except HandlerFailure as failure:
            await self._failed(tp, failure)
            return False
        except Exception as error:
            if classify(error) != "transient":
                raise  # a bug in the runner itself, not in a handler: crash loudly
            await self._recover(tp, error)
            return False
        self._backoff.reset()
        self._failing.discard(tp)
        self._failures.succeeded(tp)
        metrics.TRANSACTION_SECONDS.labels(self._stage.name).observe(time.perf_counter() - started)
        return True

    async def _starts_at_committed(self, tp: TopicPartition, first: int) -> bool:
        """Once this partition's producer is initialised, every other producer of it is fenced
        and its open transaction ended, so the committed offset read now is final. A batch from
        anywhere else (a zombie's stale position, or an offset read while another instance was
        still committing) is dropped and the partition rewound to the committed offset."""
        partition = kafka.partition(*tp)
        committed = await self._consumer.committed(partition)
        if committed is None or committed == first:
            return True
        if first < committed:
            log.warning(
                "stale_position_rewound",
                stage=self._stage.name,
                partition=tp[1],
                fetched=first,
                committed=committed,
            )
        self._consumer.seek(partition, committed)  # past a marker: the same batch comes again
        return False

    async def _handle(
        self, tp: TopicPartition, records: Sequence[ConsumedRecord]
    ) -> list[OutgoingRecord]:
        """Every output of the batch, dead letters included; one summary log line per record.
        Raises :class:`HandlerFailure` for a record the code fails on, unless this is its last
        attempt and errors are tolerated (then it is dead-lettered)."""
        stage = self._stage.name
        started = time.perf_counter()
        metrics.RECORDS_IN.labels(stage).inc(len(records))
        tolerate = self._settings.errors_tolerance == "all" and self._failures.last_chance(tp)
        outcomes = await run_isolating(self._stage.handler, records, tolerate_bugs=tolerate)
        each_ms = round((time.perf_counter() - started) * 1000 / len(records), 3)
        outputs: list[OutgoingRecord] = []
        processing = metrics.PROCESSING_SECONDS.labels(stage)
        sent: collections.Counter[str] = collections.Counter()
        for record, outcome in zip(records, outcomes, strict=True):
            bound = log.bind(
                stage=stage,
                article_id=record.key_text,
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
                duration_ms=each_ms,
            )
            if isinstance(outcome, Exception):
                outputs.append(dead_letter_record(self._stage.dlq_topic, stage, record, outcome))
                self._count_dead_letter(bound, outcome)
                continue
            processing.observe(each_ms / 1000)
            sent.update(out.topic for out in outcome)
            outputs.extend(outcome)
            bound.info("record_processed", outcome="ok", outputs=len(outcome))
        for topic, count in sent.items():
            metrics.RECORDS_OUT.labels(stage, topic).inc(count)
        return outputs

    def _count_dead_letter(self, bound: Any, error: Exception) -> None:
        fault = "record" if classify(error) == "record" else "bug"
        metrics.DEAD_LETTERS.labels(self._stage.name, fault).inc()
        details = {"error_class": type(error).__name__, "error": str(error)[:500]}
        if fault == "record":
            metrics.RECORDS_FAILED.labels(self._stage.name, "record").inc()
            bound.warning("record_dead_lettered", outcome="dead_lettered", **details)
        else:  # a bug, tolerated on its last attempt: its traceback matters
            bound.error("record_dead_lettered", outcome="dead_lettered", exc_info=error, **details)

    async def _failed(self, tp: TopicPartition, failure: HandlerFailure) -> None:
        """A bug on ``failure.record``: the transaction was aborted. Rewind and retry after a
        backoff, or, once the retries are used up, pause the partition where it is."""
        stage, record, error = self._stage.name, failure.record, failure.error
        metrics.RECORDS_FAILED.labels(stage, "bug").inc()
        producer = self._producers.pop(tp, None)
        if producer is not None:
            await _stop_quietly(producer, self._settings.stage_producer_stop_wait_s)
        given_up = self._failures.failed(tp)
        details = {
            "stage": stage,
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "article_id": record.key_text,
            "error_class": type(error).__name__,
            "error": str(error)[:500],
            "attempt": self._failures.attempts(tp),
        }
        if given_up:
            self._consumer.pause(kafka.partition(*tp))
            self._failures.stop(tp, record.offset, error)
            log.error("partition_stopped_failing", exc_info=error, **details)
            return
        delay = self._backoff.next_delay()
        self._pause_s = max(self._pause_s, delay)
        log.error("record_failed_retrying", exc_info=error, retry_in_s=round(delay, 3), **details)
        self._unsettled.add(tp)
        await self._rewind(tp)

    async def _recover(self, tp: TopicPartition, error: BaseException) -> None:
        """Transient failure: drop the producer, rewind to the committed offset, and back off
        after the lock is released (so a rebalance never waits out a backoff)."""
        self._failing.add(tp)
        delay = self._backoff.next_delay()
        self._pause_s = max(self._pause_s, delay)
        metrics.RETRIES.labels(self._stage.name).inc()
        metrics.RECORDS_FAILED.labels(self._stage.name, "transient").inc()
        log.warning(
            "transient_failure_retrying",
            stage=self._stage.name,
            partition=tp[1],
            error_class=type(error).__name__,
            error=str(error)[:500],
            retry_in_s=round(delay, 3),
        )
        producer = self._producers.pop(tp, None)
        if producer is not None:
            await _stop_quietly(producer, self._settings.stage_producer_stop_wait_s)
        self._unsettled.add(tp)
        await self._rewind(tp)

    async def _rewind(self, tp: TopicPartition) -> bool:
        """Move the fetch position back to the committed offset; ``False`` if the broker did
        not say where that is (the partition stays unsettled: nothing of it is processed until
        a later rewind succeeds)."""
        partition = kafka.partition(*tp)
        if partition not in self._consumer.assignment():
            self._unsettled.discard(tp)  # its new owner starts from the committed offset
            return False
        try:
            with translated("cannot read the committed offset"):
                committed = await asyncio.wait_for(
                    self._consumer.committed(partition), self._settings.stage_rewind_wait_s
                )
        except (TransientError, TimeoutError) as error:
            log.warning("committed_offset_unavailable", stage=self._stage.name, error=repr(error))
            return False
        if committed is None:
            await self._consumer.seek_to_beginning(partition)
        else:
            self._consumer.seek(partition, committed)
        self._unsettled.discard(tp)
        return True

    async def _pause(self, stop: asyncio.Event) -> None:
        """Wait out the backoff a transient failure asked for (cut short by ``stop``)."""
        delay, self._pause_s = self._pause_s, 0.0
        if delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)


def stage_consumer(settings: Settings, stage: Stage) -> Any:
    """The stage's consumer (not started). Its fetches wait at the broker for
    ``consumer_fetch_min_bytes`` of input, ``consumer_fetch_max_wait_ms`` at most: under light
    load a stage then commits fewer, larger transactions (each is several broker requests and
    log writes, the same whatever its size), and under heavy load the bytes are there at once."""
    return kafka.make_consumer(
        settings,
        stage.group_id,
        max_poll_records=settings.consumer_batch_size,
        fetch_min_bytes=settings.consumer_fetch_min_bytes,
        fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms,
        group_instance_id=stage.member,
    )


def by_size(messages: Sequence[Any], max_bytes: int) -> list[Sequence[Any]]:
    """Consecutive runs of ``messages`` whose values add up to at most ``max_bytes`` (a record
    larger than that is a run of its own)."""
    runs: list[Sequence[Any]] = []
    start, size = 0, 0
    for index, message in enumerate(messages):
        length = len(message.value or b"")
        if size + length > max_bytes and index > start:
            runs.append(messages[start:index])
            start, size = index, 0
        size += length
    if start < len(messages):
        runs.append(messages[start:])
    return runs


async def _stop_quietly(producer: Any, wait_s: float) -> None:
    """Stop a producer we are giving up on, without waiting long (``wait_s``) on a broker that is
    down."""
    try:
        with translated("cannot stop the producer"):
            await asyncio.wait_for(producer.stop(), wait_s)
    except (TransientError, OSError, TimeoutError) as error:
        log.warning("producer_stop_failed", error=repr(error))
