"""bench/query_postgres.py: its fast build (secondary indexes dropped during the load, created
again afterwards) leaves the database ``save_many`` leaves: the same rows, the same indexes."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg

from bench import query_postgres
from bench.query import corpus_article
from services.store.postgres.repository import PostgresRepository
from services.tools.pgdatabase import drop_database, with_database
from tests.support.postgres import server_under_test

TABLES = ("articles", "article_authors", "article_quotes", "claims", "search_configs")
COUNTS = "SELECT verdict, source, sum(n)::bigint FROM article_counts GROUP BY 1, 2 ORDER BY 1, 2"
INDEXES = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"


async def _contents(url: str) -> dict[str, list[Any]]:
    """Every row of the store's tables (an article's position aside: two writers interleave
    theirs), the totals and the index definitions."""
    conn = await asyncpg.connect(url)
    try:
        found: dict[str, list[Any]] = {}
        for table in TABLES:
            rows = await conn.fetch(f"SELECT (to_jsonb(t) - 'seq')::text FROM {table} AS t")
            found[table] = sorted(str(row[0]) for row in rows)
        found["seq"] = sorted(r[0] for r in await conn.fetch("SELECT seq FROM articles"))
        found["counts"] = [tuple(r) for r in await conn.fetch(COUNTS)]
        found["indexes"] = [tuple(r) for r in await conn.fetch(INDEXES)]
        return found
    finally:
        await conn.close()


async def _save_many(server: str, name: str, count: int, share: int) -> str:
    url = await query_postgres.recreate(server, name)
    async with await PostgresRepository.open(url) as repo:
        for first in range(0, count, share):
            article = corpus_article(first)
            await repo.save_many([article(n) for n in range(first, min(first + share, count))])
    return url


async def test_the_fast_build_stores_what_save_many_stores() -> None:
    server = server_under_test()
    try:
        await asyncio.to_thread(query_postgres.build, server, 300, 2, "t_bench_fast")
        fast = await _contents(with_database(server, "t_bench_fast"))
        slow = await _contents(await _save_many(server, "t_bench_slow", 300, 150))
    finally:
        await drop_database(server, "t_bench_fast")
        await drop_database(server, "t_bench_slow")
    assert len(fast["articles"]) == 300
    assert fast["seq"] == list(range(1, 301))
    assert any("USING gin" in str(index) for index in fast["indexes"])
    assert fast == slow
