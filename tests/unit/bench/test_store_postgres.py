"""bench/store_postgres.py: its bare baseline writes the same rows and index entries as the
repository it is measured beside (else the ratio would compare different work)."""

from __future__ import annotations

import asyncpg

from bench import store_postgres
from bench.store import Corpus
from tests.support.postgres import server_under_test

COLUMNS = "id, seq, doc, search_config, search_vector::text AS vector, authors"


async def _rows(url: str) -> list[tuple[object, ...]]:
    conn = await asyncpg.connect(url)
    try:
        articles = [
            tuple(r) for r in await conn.fetch(f"SELECT {COLUMNS} FROM articles ORDER BY seq")
        ]
        authors = [
            tuple(r) for r in await conn.fetch("SELECT * FROM article_authors ORDER BY 1, 2")
        ]
        return articles + authors
    finally:
        await conn.close()


async def test_the_bare_write_stores_what_the_repository_stores() -> None:
    articles = Corpus().articles(30)  # English, German, French and Spanish
    server = server_under_test()
    async with store_postgres.fresh_database(server, "t_bench_bare") as bare:
        await store_postgres.bare_rate(articles, 7, bare)
        async with store_postgres.fresh_database(server, "t_bench_repo") as repo:
            await store_postgres.repository_rate(articles, 7, repo)
            found = await _rows(repo)
            assert len(found) > 30
            assert await _rows(bare) == found
