"""The live stream with several writers: a position is handed out only once no article can
appear below it, so a reader that resumes from the last position it saw misses nothing."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator

import asyncpg
import pytest

from services.store.postgres.reader import PostgresReader
from services.store.postgres.repository import PostgresRepository
from services.store.postgres.stream import horizon
from services.store.repository import Position
from tests.support.postgres import fresh_database, server_under_test
from tests.unit.store.factory import make_article


@pytest.fixture
async def url() -> AsyncIterator[str]:
    async with fresh_database(server_under_test()) as fresh:
        async with await PostgresRepository.open(fresh):
            pass
        yield fresh


def test_the_horizon_stops_before_the_first_writer_in_flight() -> None:
    assert horizon(10, None) == 10
    assert horizon(10, 7) == 7  # that writer takes 8 or later
    assert horizon(10, 10) == 10  # a writer that has taken no position yet
    assert horizon(0, None) == 0


async def _committed_max(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT coalesce(max(seq), 0) FROM articles"))
    finally:
        await conn.close()


async def _until_a_session_waits(conn: asyncpg.Connection, deadline_s: float = 10.0) -> None:
    """Until another session of the database waits for a lock (writer A on the claim)."""
    sql = (
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    async with asyncio.timeout(deadline_s):
        while True:  # a condition in another server process: polled, with a deadline
            if await conn.fetchval(sql):
                return
            await asyncio.sleep(0.01)


async def test_a_later_commit_waits_for_a_writer_in_flight_below_it(url: str) -> None:
    first, second = make_article(1), make_article(2)
    async with (
        await PostgresRepository.open(url) as a,
        await PostgresRepository.open(url) as b,
        await PostgresReader.open(url) as reader,
    ):
        # Each writer has stored an English article before: no first-use bookkeeping to wait on.
        await a.save(make_article(10))
        await b.save(make_article(11))
        blocker = await asyncpg.connect(url)  # holds the claim writer A needs, uncommitted
        try:
            await blocker.execute("BEGIN")
            await blocker.execute("INSERT INTO claims VALUES ($1, 'elsewhere', 0, 0)", first.id)
            # A takes position 3, then waits for the claim; B takes 4 and commits.
            writing = asyncio.create_task(a.store_claimed([(first, Position("t", 0, 1))]))
            await _until_a_session_waits(blocker)
            [published] = await b.store_claimed([(second, Position("t", 1, 1))])
            assert published is not None and not writing.done()
            assert await _committed_max(url) == 4  # where a reader taking max(seq) would resume
            assert [s.seq for s in await reader.stored_since(0)] == [1, 2]  # 4 is committed,
            assert await reader.head() == 2  # but 3 may still come
        finally:
            await blocker.close()  # rolls back: A goes on
        [claimed] = await writing  # the other claim was rolled back: this one is A's
        assert claimed is not None and claimed.article == first
        stream = await reader.stored_since(2)
        assert [(s.seq, s.article.id) for s in stream] == [(3, first.id), (4, second.id)]
        assert await reader.head() == 4


async def test_concurrent_writers_and_a_following_reader(url: str) -> None:
    """Three store processes write small batches at once while a reader follows the stream
    from position to position, as ``/v1/stream`` does: every article once, in position order."""
    writers, batches, size = 3, 30, 4
    done = asyncio.Event()
    seen: list[tuple[int, str]] = []

    async def write(number: int) -> None:
        rnd = random.Random(number)
        async with await PostgresRepository.open(url) as repo:
            for batch in range(batches):
                first = (number * batches + batch) * size
                chunk = [make_article(n) for n in range(first, first + size)]
                positions = [Position("t", number, n) for n in range(first, first + size)]
                await repo.store_claimed(list(zip(chunk, positions, strict=True)))
                await asyncio.sleep(rnd.random() / 200)

    async def follow() -> None:
        async with await PostgresReader.open(url) as reader:
            position = 0
            while True:
                finished = done.is_set()
                rows = await reader.stored_since(position, limit=7)
                seen.extend((row.seq, row.article.id) for row in rows)
                position = rows[-1].seq if rows else position
                if finished and not rows:
                    return

    follower = asyncio.create_task(follow())
    await asyncio.gather(*(write(n) for n in range(writers)))
    done.set()
    await follower
    total = writers * batches * size
    assert sorted(article_id for _, article_id in seen) == [
        f"article-{n:04d}" for n in range(total)
    ]
    positions = [seq for seq, _ in seen]
    assert positions == sorted(positions) and len(set(positions)) == total
