"""Dedup's state on PostgreSQL, what only a server has: the versioned schema (from an empty
database, by two processes at once, refused when newer), scopes that never meet, commits fenced
by the lease, and a server restart under a running engine."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from services.core.errors import DatabaseUnavailableError
from services.core.lease import Holder
from services.core.pglease import LeaseLostError, PgLease
from services.dedup import pgschema
from services.dedup.decision import DedupInput
from services.dedup.engine import DedupEngine
from services.dedup.errors import StateError
from services.dedup.statestore import ServerState
from services.tools import localpostgres
from tests.support.postgres import fresh_database, private_server, server_under_test
from tests.unit.dedup.stream import SETTINGS, Clock, stream_articles
from tests.unit.dedup.texts import story

TABLES = {
    "dedup_schema_version",
    "dedup_scopes",
    "dedup_meta",
    "dedup_verdicts",
    "dedup_fingerprints",
    "dedup_boilerplate_blocks",
    "dedup_boilerplate_promoted",
}


async def tables(url: str) -> set[str]:
    db = await asyncpg.connect(url)
    try:
        rows = await db.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {str(row[0]) for row in rows}
    finally:
        await db.close()


async def test_an_empty_database_gets_the_schema_once_even_from_two_processes_at_once() -> None:
    async with fresh_database(server_under_test()) as url:
        assert await tables(url) == set()
        engines = await asyncio.gather(
            *(DedupEngine.open(ServerState(url, f"scope-{n}"), SETTINGS) for n in range(4))
        )
        for engine in engines:
            await engine.close()
        assert await tables(url) == TABLES
        db = await asyncpg.connect(url)
        try:
            versions = await db.fetch("SELECT version FROM dedup_schema_version")
            scopes = await db.fetchval("SELECT count(*) FROM dedup_scopes")
        finally:
            await db.close()
        assert [row[0] for row in versions] == [pgschema.SCHEMA_VERSION]
        assert scopes == 4


async def test_a_schema_newer_than_the_code_is_refused(postgres_url: str) -> None:
    await (await DedupEngine.open(ServerState(postgres_url, "newer"), SETTINGS)).close()
    db = await asyncpg.connect(postgres_url)
    try:
        await db.execute(
            "INSERT INTO dedup_schema_version (version, description) VALUES (99, 'future')"
        )
        with pytest.raises(StateError, match="schema version 99; this newsflow knows up to 1"):
            await DedupEngine.open(ServerState(postgres_url, "newer"), SETTINGS)
    finally:
        await db.execute("DELETE FROM dedup_schema_version WHERE version = 99")
        await db.close()


async def test_scopes_never_meet(postgres_url: str) -> None:
    article = DedupInput("same-id", None, story(3))
    async with await DedupEngine.open(ServerState(postgres_url, "one"), SETTINGS) as one:
        first = await one.check(article)
    copy = DedupInput("copy", None, story(3))
    async with await DedupEngine.open(ServerState(postgres_url, "two"), SETTINGS) as two:
        assert two.deduplicator.next_seq == 0
        assert (await two.check(copy)).duplicate_of is None, "the other scope's article is unseen"
    async with await DedupEngine.open(ServerState(postgres_url, "one"), SETTINGS) as one:
        assert (await one.check(copy)).duplicate_of == first.article_id


async def test_a_commit_after_the_lease_is_lost_is_refused_and_forgotten(postgres_url: str) -> None:
    lease = PgLease(postgres_url, "fenced-engine", Holder("dedup", "here", 1, 0.0), 0.05, 1.0)
    assert await lease.acquire(asyncio.Event())
    assert lease.fence is not None
    location = ServerState(postgres_url, "fenced-engine")
    articles = stream_articles()[:10]
    engine = await DedupEngine.open(location, SETTINGS, Clock(), fence=lease.fence)
    admin = await asyncpg.connect(postgres_url)
    try:
        await engine.check_many(articles[:5])
        await admin.fetchval("SELECT pg_terminate_backend($1)", lease.fence.backend_pid)
        await asyncio.wait_for(lease.wait_lost(), 5)  # that session has ended, and its lock
        with pytest.raises(LeaseLostError):
            await engine.check_many(articles[5:])
        assert engine.deduplicator.next_seq == 5, "memory holds only what was committed"
    finally:
        await engine.close()
        await admin.close()
        await lease.release()
    async with await DedupEngine.open(location, SETTINGS, Clock()) as reopened:
        assert reopened.deduplicator.next_seq == 5


async def test_an_engine_rides_out_a_server_restart(postgres_url: str) -> None:
    articles = stream_articles()
    reference_state = ServerState(postgres_url, "uninterrupted")
    async with await DedupEngine.open(reference_state, SETTINGS, Clock()) as reference:
        expected = await reference.check_many(articles)
    async with private_server() as settings:
        assert settings.database_url is not None
        location = ServerState(settings.database_url, "restarted")
        async with await DedupEngine.open(location, SETTINGS, Clock()) as engine:
            got = await engine.check_many(articles[:20])
            await asyncio.to_thread(localpostgres.stop, settings, "immediate")
            for _ in range(2):  # the write fails, and so does the rebuild: both wait for later
                with pytest.raises(DatabaseUnavailableError):
                    await engine.check_many(articles[20:30])
            await asyncio.to_thread(localpostgres.start, settings)
            got += await engine.check_many(articles[20:])
    assert got == expected
