"""Publishes raw articles: builds the record and waits for the broker's acknowledgement.

A record counts as accepted only once the broker acknowledged it (``acks=all``, idempotent
producer); a broker that does not answer within the bound is reported as unavailable.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from services.core import kafka, topology
from services.core.errors import BrokerUnavailableError, NewsflowError
from services.core.headers import TraceContext, cloudevent_headers
from services.core.kafkaerrors import translated
from services.core.logs import get_logger
from services.core.records import Delivered, OutgoingRecord
from services.core.settings import Settings
from services.core.topics import TopicSpec
from services.ingest.articles import AcceptedArticle

log = get_logger(__name__)
RAW_EVENT_TYPE = topology.stage("ingest").event_type


class SaturatedError(NewsflowError):
    """Too many records in flight: the client should slow down."""


def raw_record(topic: str, article: AcceptedArticle, trace: TraceContext) -> OutgoingRecord:
    """The record of one accepted article, in span ``trace`` of its trace."""
    return raw_records(topic, [article], [trace])[0]


def raw_records(
    topic: str, articles: Sequence[AcceptedArticle], traces: Sequence[TraceContext]
) -> list[OutgoingRecord]:
    """The records of accepted articles, each with its own event id and span (``traces``, one
    per article). The headers they share (the articles of a request arrive together) are encoded
    once, and the event ids drawn at once: a batch of 1,000 is built in a few milliseconds."""
    event_ids = secrets.token_hex(16 * len(articles))
    records = []
    for at, (article, trace) in enumerate(zip(articles, traces, strict=True)):
        headers = cloudevent_headers(
            event_id=event_ids[32 * at : 32 * at + 32],
            source="/newsflow/ingest",
            event_type=RAW_EVENT_TYPE,
            time=article.received_at,
            trace=trace,
        )
        records.append(OutgoingRecord(topic, article.id.encode(), article.value, headers))
    return records


class Publisher:
    """The ingest service's one producer, with a readiness flag kept fresh in the background."""

    def __init__(self, settings: Settings, topic_specs: list[TopicSpec], topic: str) -> None:
        self._settings = settings
        self._topic_specs = topic_specs
        self.topic = topic
        self._producer: Any = None
        self._in_flight = 0
        self._started = False
        self.ready = False
        self._failed_in_a_row = 0
        self._connected = asyncio.Event()
        self._watch: asyncio.Task[None] | None = None

    async def start(self, first_connect_s: float = 5.0) -> None:
        """Start the readiness watch; give the first connection a moment before serving."""
        self._watch = asyncio.create_task(self._keep_ready())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._connected.wait(), first_connect_s)

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        if self._started:
            # Records still unacknowledged here were answered 503: bounded, never a hang.
            try:
                await asyncio.wait_for(self._producer.stop(), self._settings.ingest_send_timeout_s)
            except TimeoutError:
                log.warning("producer_stop_timed_out")

    async def _keep_ready(self) -> None:
        """Create the topics and connect (retrying), then check the broker answers, every couple
        of seconds."""
        while True:
            try:
                with translated("broker unreachable"):
                    await self._check_ready()
            except (BrokerUnavailableError, OSError, TimeoutError) as error:
                if self.ready:
                    log.warning("broker_unreachable", error=repr(error))
                self.ready = False
            await asyncio.sleep(self._settings.ingest_ready_check_s)

    async def _check_ready(self) -> None:
        if not self._started:
            await kafka.ensure_topics(self._settings, self._topic_specs)
            self._producer = kafka.make_producer(self._settings, linger_ms=2)
            await self._producer.start()
            self._started = True
        await asyncio.wait_for(
            self._producer.client.fetch_all_metadata(), self._settings.ingest_ready_check_s
        )
        if self._failed_in_a_row >= self._settings.ingest_reset_after_failures:
            await self._reset_producer()
        self.ready = True
        self._connected.set()

    async def _reset_producer(self) -> None:
        """The broker answers but sends keep failing: the producer is in a state it will not
        leave by itself (a fatal idempotence error after a broker restart, for one), so replace
        it. Records it never acknowledged were answered 503; the client pushes them again."""
        log.warning("producer_reset", failed_publishes=self._failed_in_a_row)
        old, self._producer = self._producer, kafka.make_producer(self._settings, linger_ms=2)
        self._failed_in_a_row = 0
        with (
            contextlib.suppress(BrokerUnavailableError, OSError, TimeoutError),
            translated("stopping the old producer"),
        ):
            await asyncio.wait_for(old.stop(), self._settings.ingest_send_timeout_s)
        await self._producer.start()

    def _count(self, results: list[Delivered | BaseException]) -> list[Delivered | BaseException]:
        if results and all(isinstance(result, BaseException) for result in results):
            self._failed_in_a_row += 1
        else:
            self._failed_in_a_row = 0
        return results

    async def publish(self, records: Sequence[OutgoingRecord]) -> list[Delivered | BaseException]:
        """Send every record; one result per record, in order, each acknowledged or failed.

        Records are appended to the producer in order first and their acknowledgements awaited
        together, so a batch fills the producer's batches instead of racing for them.
        """
        if not self.ready:
            raise BrokerUnavailableError("the broker is not reachable")
        if self._in_flight + len(records) > self._settings.ingest_max_in_flight:
            raise SaturatedError(f"{self._in_flight} records already in flight")
        self._in_flight += len(records)
        try:
            if len(records) > 1 and len({record.topic for record in records}) == 1:
                return self._count(await self._send_batched(records))
            return self._count(await self._send_all(records))
        except BrokerUnavailableError:
            self._failed_in_a_row += 1
            raise
        finally:
            self._in_flight -= len(records)

    async def _send_batched(
        self, records: Sequence[OutgoingRecord]
    ) -> list[Delivered | BaseException]:
        """Many records to one topic as whole producer batches (the batch endpoint's path)."""
        timeout = self._settings.ingest_send_timeout_s
        try:
            with translated("broker did not take the batch"):
                queued = await asyncio.wait_for(
                    kafka.queue_batches(self._producer, records[0].topic, records), timeout
                )
        except TimeoutError as error:
            raise BrokerUnavailableError(f"broker did not take the batch: {error!r}") from error
        await asyncio.wait(kafka.batches_of(queued), timeout=timeout)
        return [_queued_outcome(item, records[0].topic) for item in queued]

    async def _send_all(self, records: Sequence[OutgoingRecord]) -> list[Delivered | BaseException]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._settings.ingest_send_timeout_s
        queued: list[asyncio.Future[Any] | BaseException] = []
        for record in records:
            try:
                with translated("broker did not take the record"):
                    queued.append(
                        await asyncio.wait_for(
                            self._producer.send(
                                record.topic, record.value, key=record.key, headers=record.headers
                            ),
                            max(deadline - loop.time(), 0.001),
                        )
                    )
            except BrokerUnavailableError as error:
                queued.append(error)
            except TimeoutError as error:
                queued.append(BrokerUnavailableError(f"broker did not take the record: {error!r}"))
        pending = [item for item in queued if isinstance(item, asyncio.Future)]
        if pending:
            await asyncio.wait(pending, timeout=max(deadline - loop.time(), 0.001))
        return [_outcome(item) for item in queued]


def _outcome(item: asyncio.Future[Any] | BaseException) -> Delivered | BaseException:
    if isinstance(item, BaseException):
        return item
    if not item.done():
        item.add_done_callback(_retrieve)  # a late outcome is not an unhandled error
        return BrokerUnavailableError("broker did not acknowledge in time")
    error = item.exception()
    if error is not None:
        return BrokerUnavailableError(f"broker did not acknowledge: {error!r}")
    meta = item.result()
    return Delivered(meta.topic, meta.partition, meta.offset)


def _queued_outcome(item: kafka.Queued, topic: str) -> Delivered | BaseException:
    if not item.batch.done():
        item.batch.add_done_callback(_retrieve)
        return BrokerUnavailableError("broker did not acknowledge in time")
    if item.batch.exception() is not None:
        return BrokerUnavailableError(f"broker did not acknowledge: {item.batch.exception()!r}")
    return item.delivered(topic)


def _retrieve(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def received_now() -> datetime:
    return datetime.now(UTC)
