"""``PostgresRepository``: several writers at once, what a row and its search vector hold, who
merges the search index's pending list, a failing batch, and a connection the server dropped."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from services.core.models import ProcessedArticle
from services.store.errors import DatabaseUnavailableError
from services.store.postgres.languages import SIMPLE, STEMMER_IDS
from services.store.postgres.repository import PostgresRepository, author_keys
from services.store.repository import Position, Stored
from tests.support.postgres import fresh_database, server_under_test
from tests.unit.store.factory import make_article

T = TypeVar("T")


@pytest.fixture
async def url() -> AsyncIterator[str]:
    async with fresh_database(server_under_test()) as fresh:
        yield fresh


async def _fetch(url: str, sql: str, *params: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        return list(await conn.fetch(sql, *params))
    finally:
        await conn.close()


async def _retrying(work: Callable[[], Awaitable[T]], attempts: int = 5) -> T:
    """``work`` retried on a transient failure, as the consumer runner retries a batch."""
    for _ in range(attempts - 1):
        try:
            return await work()
        except DatabaseUnavailableError:  # a deadlock between the two writers, say
            await asyncio.sleep(0.05)
    return await work()


async def test_two_store_processes_racing_for_the_same_ids(url: str) -> None:
    """A partition moved to another store process while the first still wrote its batch: both
    write the same ids at once (in opposite orders). Each id is stored once, and exactly one of
    the two records publishes it — the one holding its claim, also on redelivery."""
    articles = [make_article(n) for n in range(40)]
    a_items = [(a, Position("t", 0, n)) for n, a in enumerate(articles)]
    b_items = [(a, Position("t", 0, 100 + n)) for n, a in enumerate(articles)][::-1]
    async with await PostgresRepository.open(url) as a, await PostgresRepository.open(url) as b:
        a_out, b_out = await asyncio.gather(
            _retrying(lambda: a.store_claimed(a_items)), _retrying(lambda: b.store_claimed(b_items))
        )
        a_again = await a.store_claimed(a_items)  # both redelivered after a crash
        b_again = await b.store_claimed(b_items)
    by_id: dict[str, list[Stored | None]] = {}
    for (article, _), result in [
        *zip(a_items, a_out, strict=True),
        *zip(b_items, b_out, strict=True),
    ]:
        by_id.setdefault(article.id, []).append(result)
    assert all(sum(r is not None for r in results) == 1 for results in by_id.values())
    assert (a_again, b_again[::-1]) == (a_out, b_out[::-1])
    rows = await _fetch(url, "SELECT count(*) AS n, count(DISTINCT seq) AS seqs FROM articles")
    assert (rows[0]["n"], rows[0]["seqs"]) == (40, 40)
    claims = await _fetch(url, "SELECT article_id, source_offset FROM claims")
    winners = {r["article_id"]: r["source_offset"] for r in claims}
    for article, position in [*a_items, *b_items]:
        won = winners[article.id] == position.offset
        out = a_out if position.offset < 100 else b_out
        items = a_items if position.offset < 100 else b_items
        assert (out[items.index((article, position))] is not None) is won


async def test_a_row_holds_its_language_configuration_and_weighted_words(url: str) -> None:
    french = make_article(1, title="Élection", paragraphs=["Les résultats"], language="fr")
    japanese = make_article(2, title="東京", paragraphs=["大阪府"], language="ja")
    english = make_article(3, title="Runners", paragraphs=["Running"], authors=["Ann", "ANN", ""])
    async with await PostgresRepository.open(url) as repo:
        assert await repo.save_many([french, japanese, english]) == [True] * 3
    rows = await _fetch(
        url, "SELECT id, search_config, search_vector::text AS v FROM articles ORDER BY seq"
    )
    assert [(r["id"], r["search_config"]) for r in rows] == [
        ("article-0001", STEMMER_IDS["french"]),
        ("article-0002", SIMPLE),
        ("article-0003", STEMMER_IDS["english"]),
    ]
    # Title (A) and body (B) stemmed, then the same words unstemmed (C; D, which prints bare).
    # the keys of each two words side by side (+…), the tag of the article's configuration.
    assert rows[0]["v"] == (
        "'+0619' 'elect':1A 'election':4C 'le':2B 'les':5 'resultat':3B 'resultats':6 '~french'"
    )
    assert rows[1]["v"] == (  # no stemmer: A and B only
        "'+15d1' '+1f4b' '+d777' '~simple' '京':2A '大':3B '府':5B '東':1A '阪':4B"
    )
    assert rows[2]["v"] == "'run':2B 'runner':1A 'runners':3C 'running':4 '~english'"
    assert author_keys(english) == ["ann"]
    authors = await _fetch(
        url, "SELECT author_key FROM article_authors WHERE article_id = $1", english.id
    )
    assert [r["author_key"] for r in authors] == ["ann"]


async def test_a_failing_batch_stores_nothing(url: str) -> None:
    batch = [make_article(1), make_article(2), make_article(3)]
    async with await PostgresRepository.open(url) as repo:
        await _fetch(
            url,
            "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF new.id = 'article-0002' THEN RAISE EXCEPTION 'boom'; END IF; RETURN new; END $$",
        )
        await _fetch(
            url,
            "CREATE TRIGGER boom BEFORE INSERT ON articles FOR EACH ROW EXECUTE FUNCTION boom()",
        )
        with pytest.raises(asyncpg.RaiseError, match="boom"):  # a bug, not the database away
            await repo.store_claimed([(a, Position("t", 0, n)) for n, a in enumerate(batch)])
        assert await _fetch(url, "SELECT count(*) AS n FROM articles") == [(0,)]
        assert await _fetch(url, "SELECT count(*) AS n FROM claims") == [(0,)]
        await _fetch(url, "DROP TRIGGER boom ON articles")
        assert await repo.save_many(batch) == [True, True, True]  # no transaction left open


async def test_a_connection_the_server_dropped_is_replaced(url: str) -> None:
    async with await PostgresRepository.open(url) as repo:
        assert await repo.save(make_article(1)) is True
        dropped = await _fetch(
            url,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = 'newsflow-store'",
        )
        assert dropped, "the store's connection was found and dropped"
        article = make_article(2)
        assert await _retrying(lambda: repo.save(article)) is True  # on a new connection
        assert await repo.get(article.id) == article


async def _pending(url: str) -> int:
    """The entries waiting in the search index's pending list."""
    await _fetch(url, "CREATE EXTENSION IF NOT EXISTS pgstattuple")
    found = await _fetch(url, "SELECT pending_tuples FROM pgstatginindex('ix_articles_search')")
    return int(found[0]["pending_tuples"])


async def test_each_write_merges_the_search_index_pending_list(url: str) -> None:
    """A batch far below ``gin_pending_list_limit`` would stay in the pending list (every search
    reading it) until some insert crossed the limit and merged everyone's entries; each
    writer merges it once its own write commits, two writers at once included."""
    batches = [[make_article(10 * b + n) for n in range(5)] for b in range(3)]
    async with await PostgresRepository.open(url) as a, await PostgresRepository.open(url) as b:
        await a.save_many(batches[0])
        assert await _pending(url) == 0
        await asyncio.gather(
            a.store_claimed([(x, Position("t", 0, n)) for n, x in enumerate(batches[1])]),
            b.store_claimed([(x, Position("t", 1, n)) for n, x in enumerate(batches[2])]),
        )
        assert await _pending(url) == 0
        assert await _fetch(url, "SELECT count(*) FROM articles") == [(15,)]
        found = await _fetch(
            url, "SELECT count(*) FROM articles WHERE search_vector @@ 'headlin'::tsquery"
        )
        assert found == [(15,)]  # the merged entries answer a search through the index


async def test_a_writer_that_does_not_own_the_index_leaves_the_merge_to_postgresql(
    url: str,
) -> None:
    """A role granted the writes but not the index (a schema migrated by another role) may not
    merge the pending list: it stores its batches and leaves the merge to the inserts that
    cross ``gin_pending_list_limit``, as PostgreSQL does by default."""
    role = f"t_writer_{uuid.uuid4().hex[:8]}"
    async with await PostgresRepository.open(url):  # the schema, by its owner
        pass
    await _fetch(url, "ALTER TABLE articles SET (autovacuum_enabled = off)")  # no merge by it
    await _fetch(url, f"CREATE ROLE {role} LOGIN")
    try:
        await _fetch(url, f"GRANT CREATE, USAGE ON SCHEMA public TO {role}")
        await _fetch(url, f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {role}")
        await _fetch(url, f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
        parts = urlsplit(url)
        as_role = urlunsplit(parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port}"))
        async with await PostgresRepository.open(as_role) as repo:
            batch = [make_article(n) for n in range(3)]
            assert await repo.store_claimed(
                [(a, Position("t", 0, n)) for n, a in enumerate(batch)]
            ) == [Stored(a, a.model_dump_json()) for a in batch]
        assert await _pending(url) > 0  # under the limit: still pending, found all the same
        found = await _fetch(
            url, "SELECT count(*) FROM articles WHERE search_vector @@ 'headlin'::tsquery"
        )
        assert found == [(3,)]
    finally:
        await _fetch(url, f"DROP OWNED BY {role}")
        await _fetch(url, f"DROP ROLE {role}")


async def test_a_writer_opened_while_the_search_index_is_absent_writes_without_merging(
    url: str,
) -> None:
    """A bulk load drops the search index and builds it again afterwards (the query bench's
    build): its writers, opened meanwhile, store their batches and merge nothing."""
    async with await PostgresRepository.open(url):  # the schema
        pass
    definition = await _fetch(url, "SELECT pg_get_indexdef('ix_articles_search'::regclass) AS sql")
    await _fetch(url, "DROP INDEX ix_articles_search")
    async with await PostgresRepository.open(url) as repo:
        batch = [make_article(n) for n in range(3)]
        assert await repo.save_many(batch) == [True, True, True]
    await _fetch(url, str(definition[0]["sql"]))
    found = await _fetch(
        url, "SELECT count(*) FROM articles WHERE search_vector @@ 'headlin'::tsquery"
    )
    assert found == [(3,)]


@pytest.mark.parametrize(
    ("authors", "keys"),
    [
        (["Ann Smith", "ann smith", " ", ""], ["ann smith"]),
        (["Ängel Ölz", "STRASSE", "Straße"], ["ängel ölz", "strasse"]),
    ],
)
def test_author_keys_compare_without_case(authors: list[str], keys: list[str]) -> None:
    article: ProcessedArticle = make_article(1, authors=authors)
    assert author_keys(article) == keys
