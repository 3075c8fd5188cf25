"""Feeds the :class:`~services.gateway.tracker.ArticleIndex` from the flow's topics.

A group-less ``read_committed`` consumer (no group, no commits: it changes nothing on the
broker) over the raw, parsed, deduplicated and DLQ topics. At start it begins ``backlog``
offsets before the end of each partition, then follows new records: the index holds the same
window of each partition (its last ``backlog`` offsets) as any other gateway replica's. On a
broker failure it reconnects with bounded backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from services.core import kafka
from services.core.errors import BrokerUnavailableError
from services.core.kafkaerrors import translated
from services.core.logs import get_logger
from services.core.service import bootstrap_topics
from services.core.settings import Settings
from services.core.topics import Topics
from services.gateway.offsets import topic_partitions
from services.gateway.tracker import ArticleIndex, sighting_of, topic_stages

log = get_logger(__name__)
FETCH_WAIT_MS = 500


class ArticleFollower:
    """Runs until ``stop``; :attr:`following` tells whether it is caught up with the topics."""

    def __init__(self, settings: Settings, index: ArticleIndex, *, backlog: int) -> None:
        self._settings = settings
        self._index = index
        self._backlog = backlog
        self._stages = topic_stages(Topics(settings.topic_prefix))
        self.following = False

    async def run(self, stop: asyncio.Event) -> None:
        delay = self._settings.retry_backoff_initial_s
        while not stop.is_set():
            try:
                with translated("cannot follow the topics"):
                    await _until(stop, bootstrap_topics(self._settings))
                    if stop.is_set():
                        return
                    await self._follow(stop)
            except BrokerUnavailableError as error:
                self.following = False
                log.warning("gateway_follower_retrying", error=repr(error), retry_in_s=delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
                delay = min(delay * 2, self._settings.retry_backoff_max_s)

    async def _follow(self, stop: asyncio.Event) -> None:
        consumer = kafka.make_consumer(self._settings, None)
        await consumer.start()
        try:
            await self._position(consumer)
            self.following = True
            while not stop.is_set():
                batch = await consumer.getmany(timeout_ms=FETCH_WAIT_MS, max_records=5000)
                for messages in batch.values():
                    for message in messages:
                        found = sighting_of(kafka.to_consumed(message), self._stages)
                        if found is not None:
                            self._index.record(*found)
                await self._advance(consumer)
        finally:
            self.following = False
            await consumer.stop()

    async def _advance(self, consumer: Any) -> None:
        """Move each partition's window to where it has been read: offsets that hold no article
        (transaction markers) count, as they do for a replica that reads the window back."""
        for tp in consumer.assignment():
            self._index.advance(tp.topic, tp.partition, await consumer.position(tp))

    async def _position(self, consumer: Any) -> None:
        """Assign every partition of the followed topics, ``backlog`` offsets before the end."""
        tps = []
        async with kafka.admin_client(self._settings) as admin:
            for topic in self._stages:
                numbers = await topic_partitions(admin, topic)
                if not numbers:  # created, but not in the broker's metadata yet: try again
                    raise BrokerUnavailableError(f"{topic} is not in the broker's metadata yet")
                tps += [kafka.partition(topic, number) for number in numbers]
        consumer.assign(tps)
        first = await consumer.beginning_offsets(tps)
        last = await consumer.end_offsets(tps)
        for tp in tps:
            consumer.seek(tp, max(first[tp], last[tp] - self._backlog))


async def _until(stop: asyncio.Event, work: Any) -> None:
    """Await ``work`` unless ``stop`` is set first (then cancel it)."""
    task = asyncio.ensure_future(work)
    stopper = asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return
    task.result()
