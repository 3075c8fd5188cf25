"""A process announcing itself on the processes topic: who it is, its role, the partitions it
holds and where its health endpoint is, every ``process_heartbeat_s`` and at every change; a
tombstone when it stops cleanly.

Why a topic: every process of every host reaches the broker, standbys included (they are in no
consumer group, so the group's member list cannot show them), and a reader (the gateway) needs
no list of hosts or ports and no database: it reads the topic from its beginning. A process that
dies leaves its last announcement, which a reader sees grow old.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from services.core import kafka
from services.core.errors import TransientError
from services.core.kafkaerrors import translated
from services.core.lease import Holder
from services.core.logs import get_logger
from services.core.models import HealthStatus, ProcessAnnounced, ProcessRole
from services.core.records import OutgoingRecord
from services.core.settings import Settings

log = get_logger(__name__)
TOMBSTONE_WAIT_S = 5.0

Announcement = Callable[[], ProcessAnnounced]


@dataclass(frozen=True, slots=True)
class Identity:
    """This process: unique ``instance`` id (the record key), service, host, pid, start."""

    instance: str
    service: str
    host: str
    pid: int
    started_at: datetime

    @classmethod
    def of_this_process(cls, service: str) -> Identity:
        host, pid = socket.gethostname(), os.getpid()
        return cls(f"{service}-{host}-{pid}-{uuid.uuid4().hex[:8]}", service, host, pid, _now())

    def holder(self) -> Holder:
        return Holder(self.service, self.host, self.pid, self.started_at.timestamp())


async def announce(
    settings: Settings,
    *,
    topic: str,
    identity: Identity,
    announcement: Announcement,
    changed: asyncio.Event,
    stop: asyncio.Event,
) -> None:
    """Send ``announcement()`` every heartbeat and whenever ``changed`` is set, until ``stop``;
    then delete this process's record. A broker that does not answer is logged and retried at
    the next heartbeat: announcing never stops the stage."""
    key = identity.instance.encode()
    producer: Any = None
    try:
        while not stop.is_set():
            changed.clear()
            try:
                producer = producer or await _started(settings)
                value = announcement().to_bytes()
                await kafka.send(producer, OutgoingRecord(topic, key, value))
            except (TransientError, OSError, TimeoutError) as error:
                log.warning("process_announce_failed", topic=topic, error=repr(error))
                await _stopped(producer)
                producer = None
            await _next_beat(settings.process_heartbeat_s, changed, stop)
    finally:
        if producer is not None:
            with contextlib.suppress(TransientError, OSError, TimeoutError):
                await asyncio.wait_for(kafka.send_tombstone(producer, topic, key), TOMBSTONE_WAIT_S)
            await _stopped(producer)


async def _started(settings: Settings) -> Any:
    producer = kafka.make_producer(settings)
    try:
        with translated("cannot start the announcing producer"):
            await producer.start()
    except BaseException:
        await _stopped(producer)
        raise
    return producer


async def _stopped(producer: Any) -> None:
    if producer is not None:
        with (
            contextlib.suppress(TransientError, OSError, TimeoutError),
            translated("cannot stop the announcing producer"),
        ):
            await asyncio.wait_for(producer.stop(), TOMBSTONE_WAIT_S)


async def _next_beat(interval_s: float, changed: asyncio.Event, stop: asyncio.Event) -> None:
    """Wait ``interval_s``, or less if ``changed`` or ``stop`` is set meanwhile."""
    waits = [asyncio.create_task(changed.wait()), asyncio.create_task(stop.wait())]
    try:
        await asyncio.wait(waits, timeout=interval_s, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()
        await asyncio.gather(*waits, return_exceptions=True)


def _now() -> datetime:
    return datetime.now(UTC)


def announcement_of(
    identity: Identity,
    *,
    role: ProcessRole,
    status: HealthStatus,
    detail: str,
    partitions: list[int],
    health_url: str | None,
    lease: str | None,
    interval_s: float,
) -> ProcessAnnounced:
    """This process's announcement now."""
    return ProcessAnnounced(
        instance=identity.instance,
        service=identity.service,
        host=identity.host,
        pid=identity.pid,
        role=role,
        status=status,
        detail=detail[:500],
        partitions=partitions,
        health_url=health_url,
        lease=lease,
        started_at=identity.started_at,
        announced_at=_now(),
        interval_s=interval_s,
    )
