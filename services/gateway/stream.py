"""``/v1/stream``: stored articles as Server-Sent Events, polled from the database.

Each connection reads at most :data:`BATCH` rows per poll, polls every ``poll_s`` when caught
up, sends a heartbeat comment after ``heartbeat_s`` of silence, and ends when the client goes
away or the gateway stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from services.core.settings import Settings
from services.gateway.database import LazyReader
from services.gateway.sse import HEARTBEAT, RETRY_MS, StreamFilter, event, retry_hint
from services.store.errors import DatabaseUnavailableError, SchemaVersionError
from services.store.reader import StoredArticle

BATCH = 100
POLL_S = 0.5
HEARTBEAT_S = 15.0


@dataclass(frozen=True, slots=True)
class StreamTiming:
    """How often a live stream polls, when it sends a keep-alive, and the reconnect delay it
    tells its client (the defaults are those of :class:`Settings`)."""

    poll_s: float = POLL_S
    heartbeat_s: float = HEARTBEAT_S
    retry_ms: int = RETRY_MS

    @classmethod
    def of(cls, settings: Settings) -> StreamTiming:
        return cls(
            settings.gateway_stream_poll_s,
            settings.gateway_stream_heartbeat_s,
            settings.gateway_sse_retry_ms,
        )


async def _start(db: LazyReader, after: int | None, backlog: int) -> int:
    if after is not None:
        return after
    try:
        return max(await (await db.get()).head() - backlog, 0)
    except (DatabaseUnavailableError, SchemaVersionError):
        return 0  # nothing stored yet: everything stored from now on is new


async def _next(db: LazyReader, position: int) -> list[StoredArticle]:
    try:
        return await (await db.get()).stored_since(position, BATCH)
    except (DatabaseUnavailableError, SchemaVersionError):
        return []


async def article_events(
    db: LazyReader,
    wanted: StreamFilter,
    *,
    after: int | None,
    backlog: int = 0,
    closing: asyncio.Event,
    disconnected: Callable[[], Awaitable[bool]],
    timing: StreamTiming = StreamTiming(),
) -> AsyncIterator[str]:
    """SSE text of every matching article stored after position ``after`` (default: now,
    minus ``backlog`` positions). The start position is fixed before the first bytes (the retry
    hint) go out, so a client that has read them misses no article stored afterwards."""
    position = await _start(db, after, backlog)
    yield retry_hint(timing.retry_ms)
    quiet_since = time.monotonic()
    while not closing.is_set() and not await disconnected():
        rows = await _next(db, position)
        for row in rows:
            position = row.seq
            if wanted.matches(row.article):
                yield event(row.article.model_dump_json(), event_id=row.seq, name="article")
                quiet_since = time.monotonic()
        if time.monotonic() - quiet_since >= timing.heartbeat_s:
            yield HEARTBEAT
            quiet_since = time.monotonic()
        if len(rows) < BATCH:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(closing.wait(), timing.poll_s)
