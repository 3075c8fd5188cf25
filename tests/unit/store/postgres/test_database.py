"""The PostgreSQL schema: versioned migrations from every earlier version, several store
processes starting at once, and the errors a server that is away or too new gives."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from services.core.errors import TransientError
from services.core.migration import Migration
from services.core.settings import Settings
from services.store.backend import describe, open_reader, open_repository
from services.store.errors import (
    DatabaseNotReadyError,
    DatabaseUnavailableError,
    SchemaVersionError,
)
from services.store.postgres.database import migrate, schema_version
from services.store.postgres.languages import STEMMER_IDS
from services.store.postgres.reader import PostgresReader
from services.store.postgres.repository import PostgresRepository
from services.store.postgres.schema import MIGRATIONS, SCHEMA_VERSION
from tests.support.ports import free_port
from tests.support.postgres import fresh_database, server_under_test

EXTRA = Migration(
    SCHEMA_VERSION + 1, "a column", ("ALTER TABLE articles ADD COLUMN extra text DEFAULT 'x'",)
)


@pytest.fixture
async def url() -> AsyncIterator[str]:
    async with fresh_database(server_under_test()) as fresh:
        yield fresh


async def _fetch(url: str, sql: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        return list(await conn.fetch(sql))
    finally:
        await conn.close()


async def _version(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return await schema_version(conn)
    finally:
        await conn.close()


async def test_an_empty_database_is_migrated_to_the_latest_version(url: str) -> None:
    assert await _version(url) == 0
    assert await migrate(url) == SCHEMA_VERSION == MIGRATIONS[-1].version
    tables = {r["tablename"] for r in await _fetch(url, "SELECT tablename FROM pg_tables")}
    assert {"articles", "article_authors", "claims", "search_configs", "schema_version"} <= tables
    configs = {r["stemmer"]: r["id"] for r in await _fetch(url, "SELECT * FROM search_configs")}
    assert configs["simple"] == 1
    assert configs["english"] == STEMMER_IDS["english"]
    assert set(configs) == {"simple", *STEMMER_IDS}  # PostgreSQL 15 has every stemmer listed
    [row] = await _fetch(url, "SELECT to_tsvector('newsflow_english', 'the runners') AS v")
    assert str(row["v"]) == "'runner':2 'the':1"  # stemmed, and no stop word dropped


# An article as a store of schema 1 wrote it (the columns every later schema keeps).
V1_ARTICLE = (
    "INSERT INTO articles (id, source, authors, word_count, cited_outlets, story_id, verdict, "
    "similarity, dedup_method, dedup_evidence, received_at, stored_at, body, doc, "
    "search_config, search_vector) VALUES ($1, $2, '[]', 2, '[]', $1, $3, 0, 'none', '{}', "
    "'r', 's', 'harbour flooding', '{}', 1, to_tsvector('newsflow_simple', 'harbour flooding'))"
)


@pytest.mark.parametrize("start", range(len(MIGRATIONS) + 1))
async def test_migrations_apply_from_every_earlier_version(url: str, start: int) -> None:
    steps = (*MIGRATIONS, EXTRA)
    assert await migrate(url, steps[:start]) == start
    stored = [("a", "wire", "unique"), ("b", None, "unique"), ("c", "wire", "duplicate")]
    if start:  # a database in use keeps its articles, and they are counted
        conn = await asyncpg.connect(url)
        try:
            for row in stored:
                await conn.execute(V1_ARTICLE, *row)
        finally:
            await conn.close()
    assert await migrate(url, steps) == len(steps)
    assert await migrate(url, steps) == len(steps)  # an up-to-date database: nothing to do
    versions = [r["version"] for r in await _fetch(url, "SELECT version FROM schema_version")]
    assert sorted(versions) == list(range(1, len(steps) + 1))
    rows = await _fetch(url, "SELECT id, extra FROM articles ORDER BY id")
    assert [(r["id"], r["extra"]) for r in rows] == [(i, "x") for i, _, _ in stored][
        : 3 * bool(start)
    ]
    counted = await _fetch(url, "SELECT verdict, sum(n) AS n FROM article_counts GROUP BY 1")
    expected = {"unique": 2, "duplicate": 1} if start else {}
    assert {r["verdict"]: r["n"] for r in counted if r["n"]} == expected


async def test_store_processes_starting_at_once_migrate_once(url: str) -> None:
    results = await asyncio.gather(*(migrate(url) for _ in range(4)))
    assert results == [SCHEMA_VERSION] * 4
    rows = await _fetch(url, "SELECT version FROM schema_version")
    assert [r["version"] for r in rows] == list(range(1, SCHEMA_VERSION + 1))
    repositories = await asyncio.gather(
        *(open_repository(Settings(database_url=url)) for _ in range(3))
    )
    for repository in repositories:
        await repository.close()


async def test_a_failing_step_leaves_the_previous_version(url: str) -> None:
    broken = Migration(
        SCHEMA_VERSION + 1, "broken", ("CREATE TABLE half (x int)", "THIS IS NOT SQL")
    )
    with pytest.raises(asyncpg.PostgresSyntaxError):
        await migrate(url, (*MIGRATIONS, broken))
    assert await _version(url) == SCHEMA_VERSION
    assert await _fetch(url, "SELECT to_regclass('half') AS t") == [(None,)]


async def test_migrations_must_be_numbered_in_order(url: str) -> None:
    with pytest.raises(ValueError, match="in order"):
        await migrate(url, (EXTRA, *MIGRATIONS))
    assert await _version(url) == 0


async def test_a_newer_schema_is_refused(url: str) -> None:
    await migrate(url, (*MIGRATIONS, EXTRA))
    with pytest.raises(SchemaVersionError, match=f"version {SCHEMA_VERSION + 1}"):
        await PostgresRepository.open(url)
    with pytest.raises(SchemaVersionError, match=f"version {SCHEMA_VERSION + 1}"):
        await PostgresReader.open(url)


async def test_a_server_that_is_away_is_unavailable() -> None:
    away = f"postgresql://newsflow@127.0.0.1:{free_port()}/newsflow"
    with pytest.raises(DatabaseUnavailableError, match="connect") as caught:
        await open_repository(Settings(database_url=away))
    assert isinstance(caught.value, TransientError)
    with pytest.raises(DatabaseUnavailableError):
        await open_reader(Settings(database_url=away))


async def test_a_database_that_does_not_exist_is_not_ready(url: str) -> None:
    missing = url.rsplit("/", 1)[0] + "/no_such_database"
    with pytest.raises(DatabaseNotReadyError, match="does not exist"):
        await open_reader(Settings(database_url=missing))


def test_where_a_database_is_never_shows_its_password() -> None:
    url = "postgresql://newsflow:s3cret@db.example:6432/news?sslmode=require"
    settings = Settings(database_url=url, database_read_url="postgres://r:pw@replica/news")
    assert describe(settings) == "postgresql://replica/news"
    assert "s3cret" not in describe(settings.model_copy(update={"database_read_url": None}))
