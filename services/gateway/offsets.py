"""Offsets, committed positions and visible-record counts read from the broker.

Read-only: an admin client for the groups' committed offsets and one group-less
``read_committed`` consumer for end offsets and counting (it never joins a group, never
commits). The arithmetic lives in :mod:`services.gateway.lag`, which explains what lag means.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from typing import Any

from services.core import kafka
from services.core.errors import BrokerUnavailableError
from services.core.kafkaerrors import translated
from services.core.settings import Settings
from services.gateway.lag import (
    Counted,
    GroupLag,
    committed_records,
    extend,
    group_lag,
    offset_lag,
    resume_count,
    scan_stop,
    start_offset,
    visible_lag,
)

MAX_SCAN = 500  # offsets read per partition per poll, at most
FETCH_WAIT_MS = 100
Bounds = dict[int, tuple[int, int]]  # partition -> (first offset, last stable offset)


class OffsetReader:
    """Lag and depth measurements; :meth:`close` releases the broker connections."""

    def __init__(
        self, settings: Settings, topics: Sequence[str], *, max_scan: int = MAX_SCAN
    ) -> None:
        self._settings = settings
        self._topics = tuple(topics)
        self._max_scan = max_scan
        self._stack = contextlib.AsyncExitStack()
        self._admin: Any = None
        self._consumer: Any = None
        self._partitions: dict[str, list[int]] = {}
        self._counts: dict[tuple[str, str, int], Counted] = {}

    async def _connect(self) -> None:
        if self._admin is not None:
            return
        try:
            with translated("cannot reach the broker"):
                admin = await self._stack.enter_async_context(kafka.admin_client(self._settings))
                consumer = kafka.make_consumer(self._settings, None, request_timeout_ms=5000)
                await consumer.start()
        except BaseException:
            await self.close()
            raise
        self._stack.push_async_callback(consumer.stop)
        self._admin, self._consumer = admin, consumer

    async def close(self) -> None:
        """Disconnect; the next measurement reconnects."""
        self._admin = self._consumer = None
        self._partitions = {}
        stack, self._stack = self._stack, contextlib.AsyncExitStack()
        with contextlib.suppress(BrokerUnavailableError, OSError), translated("closing"):
            await stack.aclose()

    async def refresh(self) -> None:
        """Connect if needed and learn the topics' partitions. The consumer is assigned every
        partition, all paused: its metadata stays warm (offset lookups answer at once) and it
        fetches only the one partition :meth:`_count` resumes for a moment."""
        await self._connect()
        found = {topic: await topic_partitions(self._admin, topic) for topic in self._topics}
        if found != self._partitions:
            tps = [kafka.partition(t, n) for t, numbers in found.items() for n in numbers]
            with translated("assigning partitions"):
                self._consumer.assign(tps)
                self._consumer.pause(*tps)
            self._partitions = found

    async def partitions(self, topic: str) -> list[int]:
        if topic not in self._partitions:
            await self.refresh()
        return self._partitions.get(topic, [])

    async def bounds(self, topic: str) -> Bounds:
        """First and last stable offset of each partition of ``topic``."""
        tps = [kafka.partition(topic, n) for n in await self.partitions(topic)]
        if not tps:
            return {}
        with translated("reading offsets"):
            first = await self._consumer.beginning_offsets(tps)
            last = await self._consumer.end_offsets(tps)
        return {tp.partition: (int(first[tp]), int(last[tp])) for tp in tps}

    async def committed(self, group: str, topic: str, partitions: list[int]) -> dict[int, int]:
        """The group's committed offsets on ``topic`` (partitions without one are left out)."""
        await self._connect()
        tps = [kafka.partition(topic, n) for n in partitions]
        with translated("reading committed offsets"):
            found = await self._admin.list_consumer_group_offsets(group, partitions=tps)
        return {tp.partition: int(meta.offset) for tp, meta in found.items() if meta.offset >= 0}

    async def group_lag(
        self, group: str, topic: str, *, transactional: bool, deadline: float
    ) -> GroupLag:
        """How many records ``group`` has still to read on ``topic`` (see :mod:`lag`)."""
        bounds = await self.bounds(topic)
        committed = await self.committed(group, topic, list(bounds))
        rows = []
        for number, (first, end) in bounds.items():
            start = start_offset(committed.get(number), first)
            if transactional:
                lag, exact = await self._visible(
                    (group, topic, number), start, end, deadline=deadline
                )
            else:
                lag, exact = offset_lag(start, end), True
            rows.append((number, committed.get(number), end, lag, exact))
        return group_lag(group, topic, rows)

    async def depth(self, topic: str, *, deadline: float) -> tuple[int, bool]:
        """Committed records on a transactional topic (the DLQ's depth, the parsed total): only
        records read ``read_committed`` are counted, never a control marker or a record of an
        open or aborted transaction. ``exact`` is ``False`` while the count is still catching
        up (the total is then a lower bound)."""
        total, exact = 0, True
        for number, (first, end) in (await self.bounds(topic)).items():
            base = await self._counted(("", topic, number), first, end, deadline=deadline)
            count, counted = committed_records(base, end)
            total, exact = total + count, exact and counted
        return total, exact

    async def records(self, topic: str) -> int:
        """Records on a topic without control markers: the offset span of every partition."""
        return sum(offset_lag(first, end) for first, end in (await self.bounds(topic)).values())

    async def _visible(
        self, key: tuple[str, str, int], start: int, end: int, *, deadline: float
    ) -> tuple[int, bool]:
        """Visible records in ``[start, end)`` of partition ``key[1:]``, counted under ``key``
        (offsets not counted yet added as an upper bound)."""
        return visible_lag(await self._counted(key, start, end, deadline=deadline), end)

    async def _counted(
        self, key: tuple[str, str, int], start: int, end: int, *, deadline: float
    ) -> Counted:
        """The count of visible records from ``start`` under ``key``, extended toward ``end``."""
        _, topic, number = key
        base = resume_count(self._counts.get(key), start, end)
        stop = scan_stop(base, end, self._max_scan)
        if stop > base.counted_to and time.monotonic() < deadline:
            reached, found = await self._count(topic, number, base.counted_to, stop, deadline)
            base = extend(base, reached, found)
        self._counts[key] = base
        return base

    async def _count(
        self, topic: str, number: int, start: int, stop: int, deadline: float
    ) -> tuple[int, int]:
        """Read ``[start, stop)`` read_committed; ``(offset reached, records seen)``."""
        tp = kafka.partition(topic, number)
        found = 0
        with translated("counting records"):
            self._consumer.seek(tp, start)
            self._consumer.resume(tp)
            position = start
            try:
                while position < stop and time.monotonic() < deadline:
                    batch = await self._consumer.getmany(tp, timeout_ms=FETCH_WAIT_MS)
                    found += sum(1 for m in batch.get(tp, ()) if m.offset < stop)
                    position = int(await self._consumer.position(tp))
            finally:
                self._consumer.pause(tp)
        return min(position, stop), found


async def topic_partitions(admin: Any, topic: str) -> list[int]:
    """The partition numbers of ``topic`` (none when it does not exist; nothing is created)."""
    with translated("reading topic metadata"):
        described = await admin.describe_topics([topic])
    return sorted(
        int(part["partition"])
        for found in described
        if found.get("error_code") == 0
        for part in found.get("partitions", ())
    )
