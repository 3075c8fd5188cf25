"""The processes of the consumer stages, as they announce themselves on the processes topic.

A group-less consumer (it changes nothing on the broker) reads the topic from its beginning,
keeps each process's latest announcement and drops a process at its tombstone (a clean stop).
On a broker failure it reconnects with bounded backoff and reads the topic again.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from pydantic import ValidationError

from services.core import kafka
from services.core.errors import BrokerUnavailableError
from services.core.kafkaerrors import translated
from services.core.logs import get_logger
from services.core.models import ProcessAnnounced
from services.core.records import ConsumedRecord
from services.core.service import topic_specs
from services.core.settings import Settings
from services.core.topics import Topics

log = get_logger(__name__)
FETCH_WAIT_MS = 500


class ProcessRoster:
    """Runs until ``stop``; :meth:`announced` is every process's latest announcement."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._topic = Topics(settings.topic_prefix).processes
        self._latest: dict[bytes, ProcessAnnounced] = {}

    def announced(self) -> list[ProcessAnnounced]:
        return list(self._latest.values())

    def record(self, record: ConsumedRecord) -> None:
        """Take one record of the topic: an announcement, or a tombstone (the process stopped)."""
        if record.key is None:
            return
        if record.value is None:
            self._latest.pop(record.key, None)
            return
        try:
            self._latest[record.key] = ProcessAnnounced.from_bytes(record.value)
        except ValidationError as error:  # another version's writer, or garbage: not ours
            log.warning("process_announcement_unreadable", key=record.key_text, error=str(error))

    async def run(self, stop: asyncio.Event) -> None:
        delay = self._settings.retry_backoff_initial_s
        while not stop.is_set():
            try:
                with translated("cannot read the processes topic"):
                    topics = Topics(self._settings.topic_prefix)
                    await kafka.ensure_topics(self._settings, topic_specs(self._settings, topics))
                    await self._follow(stop)
            except BrokerUnavailableError as error:
                log.warning("gateway_roster_retrying", error=repr(error), retry_in_s=delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
                delay = min(delay * 2, self._settings.retry_backoff_max_s)

    async def _follow(self, stop: asyncio.Event) -> None:
        consumer: Any = kafka.make_consumer(self._settings, None)
        await consumer.start()
        try:
            partition = kafka.partition(self._topic, 0)
            consumer.assign([partition])
            await consumer.seek_to_beginning(partition)
            self._latest.clear()  # read again from the start: what it says now is all there is
            while not stop.is_set():
                batch = await consumer.getmany(timeout_ms=FETCH_WAIT_MS, max_records=5000)
                for messages in batch.values():
                    for message in messages:
                        self.record(kafka.to_consumed(message))
        finally:
            await consumer.stop()
