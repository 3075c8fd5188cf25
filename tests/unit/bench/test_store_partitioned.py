"""bench/store_partitioned.py: the partitioned articles table holds what the plain one holds
(else the spike would compare different work), and each writer merges only its partitions'
pending lists."""

from __future__ import annotations

import asyncpg

from bench import store_partitioned, store_postgres
from bench.store import Corpus
from services.store.postgres.repository import PostgresRepository
from services.store.repository import Position
from tests.support.postgres import server_under_test

COLUMNS = "id, seq, doc, search_config, search_vector::text AS vector, authors"
MERGE = "SELECT gin_clean_pending_list($1::regclass)"  # the pending pages it merged


async def _rows(conn: asyncpg.Connection) -> list[tuple[object, ...]]:
    articles = await conn.fetch(f"SELECT {COLUMNS} FROM articles ORDER BY id")
    authors = await conn.fetch("SELECT * FROM article_authors ORDER BY 1, 2")
    counts = await conn.fetch("SELECT verdict, source, sum(n) FROM article_counts GROUP BY 1, 2")
    return [tuple(r) for r in articles] + [tuple(r) for r in authors] + sorted(map(tuple, counts))


async def _store(url: str, repository: type[PostgresRepository]) -> None:
    articles = Corpus().articles(30)
    repo = await repository.open(url)
    try:
        items = [(a, Position("t", 0, n)) for n, a in enumerate(articles)]
        await repo.store_claimed(items[:20])
        await repo.store_claimed(items[10:])  # ten of them again: kept once, by their id
    finally:
        await repo.close()


async def test_the_partitioned_table_stores_what_the_plain_one_stores() -> None:
    server = server_under_test()
    async with store_postgres.fresh_database(server, "t_bench_plain") as plain:
        await _store(plain, PostgresRepository)
        async with store_postgres.fresh_database(server, "t_bench_parts") as parts:
            await store_partitioned.partition_articles(parts, 2)
            conn = await asyncpg.connect(parts)
            try:
                own = await store_partitioned.search_indexes(conn, [0])
                store_partitioned.OwnPartitionsRepository.own_indexes = tuple(own)
                await _store(parts, store_partitioned.OwnPartitionsRepository)
                spread = await conn.fetch(
                    "SELECT tableoid::regclass::text, count(*) FROM articles GROUP BY 1 ORDER BY 1"
                )
                assert [str(r[0]) for r in spread] == ["articles_p0", "articles_p1"]
                assert sum(int(r[1]) for r in spread) == 30
                # the writer merged its own partition's pending list, and only that one
                others = await store_partitioned.search_indexes(conn, [1])
                assert await conn.fetchval(MERGE, own[0]) == 0
                assert await conn.fetchval(MERGE, others[0]) > 0
                found = await _rows(conn)
                plain_conn = await asyncpg.connect(plain)
                try:
                    expected = await _rows(plain_conn)
                finally:
                    await plain_conn.close()
            finally:
                await conn.close()
    assert len(found) > 30
    # the same rows, authors and totals; positions (seq) differ by none: one writer in order
    assert found == expected
