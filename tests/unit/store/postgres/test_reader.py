"""``PostgresReader``: what only PostgreSQL's reader does (the shared behaviour is in
``tests/unit/store/test_reader.py``): reads beside writers in flight, and a read replica."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import asyncpg
import pytest

from services.core.settings import Settings
from services.store.backend import open_reader
from services.store.postgres.query import ESTIMATE, index_first, search_statement
from services.store.postgres.reader import PostgresReader
from services.store.postgres.repository import PostgresRepository
from services.store.search import SearchQuery
from tests.support.postgres import fresh_database, server_under_test
from tests.unit.store.factory import BASE_TIME, make_article


@pytest.fixture
async def url() -> AsyncIterator[str]:
    async with fresh_database(server_under_test()) as fresh:
        async with await PostgresRepository.open(fresh) as repo:
            await repo.save_many([make_article(0), make_article(1)])
        yield fresh


async def test_reads_are_not_blocked_by_a_writer(url: str) -> None:
    writer = await asyncpg.connect(url)
    try:
        await writer.execute("BEGIN")
        await writer.execute("DELETE FROM articles WHERE id = 'article-0000'")  # not committed
        await writer.execute("LOCK TABLE claims IN EXCLUSIVE MODE")
        async with await PostgresReader.open(url) as reader:
            page = await reader.search(SearchQuery())
            assert [a.id for a in page.items] == ["article-0001", "article-0000"]
            assert (await reader.counts()).total == 2
    finally:
        await writer.close()


async def test_queries_go_to_the_read_url_and_the_stream_to_the_primary(url: str) -> None:
    # The same database under a second URL stands in for a replica: two pools, one each.
    replica = url.replace("postgresql://", "postgres://")
    settings = Settings(database_url=url, database_read_url=replica)
    reader = await open_reader(settings)
    assert isinstance(reader, PostgresReader)
    try:
        assert reader._pool is not reader._stream
        conn = await asyncpg.connect(url)
        try:
            names = await conn.fetch(
                "SELECT application_name FROM pg_stat_activity WHERE datname = current_database()"
            )
        finally:
            await conn.close()
        assert {"newsflow-reader", "newsflow-stream"} <= {row["application_name"] for row in names}
        assert [a.id for a in (await reader.search(SearchQuery(q="headline"))).items] == [
            "article-0001",
            "article-0000",
        ]
        assert [s.seq for s in await reader.stored_since(0)] == [1, 2]
    finally:
        await reader.close()


async def test_totals_follow_every_write_of_every_writer(url: str) -> None:
    """Totals are kept as rows come and go (several writers at once, a delete, a verdict
    changed by hand) and always equal a count of the rows themselves."""
    batches = [
        [make_article(n, source=f"s{n % 3}.example", verdict=("unique", "duplicate")[n % 2])]
        for n in range(2, 40)
    ]
    async with await PostgresRepository.open(url) as a, await PostgresRepository.open(url) as b:
        await asyncio.gather(
            *(repo.save_many(batch) for repo, batch in zip([a, b] * 19, batches, strict=True))
        )
    conn = await asyncpg.connect(url)
    try:
        for change in (
            None,
            "DELETE FROM articles WHERE id IN ('article-0003', 'article-0004')",
            "UPDATE articles SET verdict = 'update', source = NULL WHERE id = 'article-0005'",
        ):
            if change:
                await conn.execute(change)
            rows = await conn.fetch(
                "SELECT verdict, coalesce(source, 'unknown') AS source, count(*) AS n "
                "FROM articles GROUP BY 1, 2"
            )
            verdicts: dict[str, int] = {}
            sources: dict[str, int] = {}
            for row in rows:
                verdicts[row["verdict"]] = verdicts.get(row["verdict"], 0) + row["n"]
                sources[row["source"]] = sources.get(row["source"], 0) + row["n"]
            async with await PostgresReader.open(url) as reader:
                counts = await reader.counts()
            assert (counts.total, dict(counts.by_verdict), dict(counts.by_source)) == (
                sum(verdicts.values()),
                dict(sorted(verdicts.items())),
                dict(sorted(sources.items())),
            ), change
    finally:
        await conn.close()


async def test_both_ways_of_reading_q_give_the_same_pages(url: str) -> None:
    articles = [make_article(n, title=f"Storm {n % 3}") for n in range(2, 40)]
    articles += [make_article(n, published_at=BASE_TIME, title="Storm 0") for n in range(40, 46)]
    async with await PostgresRepository.open(url) as repo:
        await repo.save_many(articles)
    conn = await asyncpg.connect(url)
    try:
        plan = json.loads(await conn.fetchval(ESTIMATE, "'storm' & '0'"))
        assert index_first(plan, 20)  # a few dozen articles: reading the matches is cheaper
        for q, source in (("storm 0", None), ("storm", None), ("storm", "example.com")):
            async with await PostgresReader.open(url) as reader:
                text = await reader._full_text(SearchQuery(q=q).text)  # type: ignore[arg-type]
            assert text is not None
            query = SearchQuery(q=q, source=source, limit=4)
            pages = []
            for first in (False, True):
                statement = search_statement(query, text, matches_first=first)
                rows = await conn.fetch(statement.sql, *statement.params)
                pages.append([(r["sort_ts"], r["id"]) for r in rows])
            assert len(pages[0]) == 5 and pages[0] == pages[1]
            assert pages[0] == sorted(pages[0], reverse=True)
    finally:
        await conn.close()
