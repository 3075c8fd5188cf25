"""``PostgresRepository``: the store's writes into PostgreSQL, one row per article id, with any
number of store processes writing at once.

Each write is one transaction: it marks itself in flight for the live stream
(``postgres/stream.py``), inserts the articles whose ids are not stored yet (``ON CONFLICT (id)
DO NOTHING``: when two writers race for one id, the second waits for the first and keeps its
row), their search vectors (made by the database from the words
:func:`~services.store.fulltext.index_words` cut, with the keys of their word pairs and the tag
of their language's configuration: ``postgres/tsquery.py``), their authors and, for
:meth:`store_claimed`, the claim of each new id for the record it came from. Claims keep
SQLite's meaning exactly (``sqlite/repository.py``): a redelivery of the claiming record gets
the stored article again, any other record gets ``None``. The rows of a batch keep its order, so
their positions do too.

The search index takes each write's entries into its pending list; merging that list into the
index is most of a write's work, and one session at a time can do it. Left to PostgreSQL, the
insert that finds the list over ``gin_pending_list_limit`` merges the whole list, whoever wrote
it, while the others go on adding: one store process ends up merging for all of them and falls
behind, for as long as they keep writing. So a writer that owns the index (the role that
migrated it) merges the list itself once its transaction has committed (:data:`MERGE_PENDING`),
and its inserts never do (:data:`DEFER_MERGE`): each process merges about its own entries, one
waiting while another merges, so none can add more than one batch to someone else's merge. A
writer that may not merge leaves it to PostgreSQL as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from services.core.models import ProcessedArticle
from services.core.pgclient import translated
from services.core.settings import Settings
from services.store.fulltext import index_words, word_pairs
from services.store.postgres.database import (
    Pool,
    acquired,
    create_pool,
    migrate,
    search_configs,
)
from services.store.postgres.languages import SIMPLE, config_name, stemmer_of
from services.store.postgres.quotes import INSERT_QUOTES, quote_arrays
from services.store.postgres.stream import GUARD
from services.store.postgres.tsquery import config_tag
from services.store.quoterows import quote_rows
from services.store.repository import (
    ArticleRepository,
    Position,
    Stored,
    claim_results,
    first_claims,
    newly_stored,
)
from services.store.rows import ARTICLE_COLUMNS, BODY, TITLE, Row, article_row, published_us

_TYPES = {"published_at_utc": "bigint", "word_count": "integer", "similarity": "float8"}
_SEARCH_COLUMNS = (
    ("search_config", "smallint"),
    ("title_words", "text"),
    ("body_words", "text"),
    ("word_pairs", "text"),  # the title's and the body's, tab-separated
)
_COLUMNS = [(name, _TYPES.get(name, "text")) for name in ARTICLE_COLUMNS] + list(_SEARCH_COLUMNS)
_STEMMED_VECTOR = "c.config"  # the configuration of the row's language
_UNSTEMMED_VECTOR = f"'{config_name(None)}'::regconfig"


def _vector(config: str, title: str, body: str) -> str:
    """The title and body words of a row made lexemes by ``config``, weighted as told."""
    return (
        f"setweight(to_tsvector({config}, r.title_words), '{title}') || "
        f"setweight(to_tsvector({config}, r.body_words), '{body}')"
    )


# Articles already stored are left out before a position is taken for them; one inserted by a
# concurrent writer meanwhile is left to it by ON CONFLICT.
INSERT_ARTICLES = (
    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}, search_config, search_vector) "
    f"SELECT {', '.join(f'r.{name}' for name in ARTICLE_COLUMNS)}, r.search_config, "
    f"{_vector(_STEMMED_VECTOR, 'A', 'B')} || CASE WHEN r.search_config = {SIMPLE} "
    f"THEN ''::tsvector ELSE {_vector(_UNSTEMMED_VECTOR, 'C', 'D')} END "
    f"|| array_to_tsvector(ARRAY['{config_tag('')}' || c.stemmer]) "
    "|| array_to_tsvector(string_to_array(r.word_pairs, E'\\t')) "
    "FROM unnest("
    + ", ".join(f"${n}::{kind}[]" for n, (_, kind) in enumerate(_COLUMNS, 1))
    + f") WITH ORDINALITY AS r ({', '.join(name for name, _ in _COLUMNS)}, n) "
    "JOIN search_configs AS c ON c.id = r.search_config "
    "WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.id = r.id) "
    "ORDER BY r.n ON CONFLICT (id) DO NOTHING RETURNING id"
)
INSERT_AUTHORS = (
    "INSERT INTO article_authors (author_key, article_id) "
    "SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING"
)
INSERT_CLAIMS = (
    "INSERT INTO claims (article_id, source_topic, source_partition, source_offset) "
    "SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::bigint[]) "
    "ON CONFLICT (article_id) DO NOTHING"
)
MARK_USED = "UPDATE search_configs SET used = true WHERE id = ANY($1::smallint[]) AND NOT used"
# The search index's pending list (see the module's docstring). The limit is the session's, for
# this transaction only: no insert of it merges the list.
SEARCH_INDEX = "ix_articles_search"
DEFER_MERGE = "SET LOCAL gin_pending_list_limit = '1GB'"
MERGE_PENDING = f"SELECT gin_clean_pending_list('{SEARCH_INDEX}'::regclass)"
# Whether this role may merge: it owns the index. No index (a bulk load that builds it
# afterwards, as bench/query_postgres.py does) leaves nothing to merge.
MAY_MERGE = (
    "SELECT coalesce(bool_or(pg_has_role(relowner, 'USAGE')), false) FROM pg_class "
    f"WHERE oid = to_regclass('{SEARCH_INDEX}')"
)
HELD_CLAIMS = (
    "SELECT c.article_id, c.source_topic, c.source_partition, c.source_offset, a.doc "
    "FROM claims AS c JOIN articles AS a ON a.id = c.article_id "
    "WHERE c.article_id = ANY($1::text[])"
)


def author_keys(article: ProcessedArticle) -> list[str]:
    """An article's authors as the author filter compares them: case-folded, each once, blank
    names left out."""
    return list(dict.fromkeys(name.casefold() for name in article.authors if name.strip()))


class PostgresRepository(ArticleRepository):
    """Writes processed articles into one PostgreSQL database; owns its pool (see :meth:`open`)."""

    def __init__(self, pool: Pool, configs: dict[str, int], *, merges: bool) -> None:
        self._pool = pool
        self._configs = configs
        self._merges = merges  # this role merges the search index's pending list itself
        self._begin = f"{DEFER_MERGE}; {GUARD}" if merges else GUARD
        self._used: set[int] = set()  # configurations this process has marked used

    @classmethod
    async def open(cls, url: str) -> PostgresRepository:
        """Migrate the database at ``url`` to the latest schema, then open a pool to it."""
        await migrate(url)
        pool = await create_pool(url, "newsflow-store")
        try:
            with translated("reading the search configurations"):
                async with acquired(pool) as conn:
                    configs = await search_configs(conn)
                    merges = bool(await conn.fetchval(MAY_MERGE))
        except BaseException:
            await pool.close()
            raise
        return cls(pool, configs, merges=merges)

    @classmethod
    async def for_settings(cls, settings: Settings) -> PostgresRepository:
        """Open the database of ``settings`` for writing."""
        if settings.database_url is None:
            raise ValueError("no NEWSFLOW_DATABASE_URL: the store is on SQLite")
        return await cls.open(settings.database_url)

    async def close(self) -> None:
        await self._pool.close()

    def _arrays(self, rows: Sequence[tuple[ProcessedArticle, Row]]) -> list[list[Any]]:
        """The parameters of :data:`INSERT_ARTICLES`: one array per column."""
        columns: list[list[Any]] = [[] for _ in _COLUMNS]
        for article, row in rows:
            stemmer = stemmer_of(article.language)
            config = self._configs.get(stemmer, SIMPLE) if stemmer else SIMPLE
            title, body = index_words(str(row[TITLE] or "")), index_words(str(row[BODY] or ""))
            pairs = "\t".join(word_pairs(title) + word_pairs(body))  # none across the two
            values = (*row, config, title, body, pairs)
            for column, value in zip(columns, values, strict=True):
                column.append(value)
        return columns

    async def _insert(
        self, conn: Any, rows: Sequence[tuple[ProcessedArticle, Row]], arrays: list[list[Any]]
    ) -> tuple[set[str], set[int]]:
        """Insert the articles not stored yet (``arrays``: theirs, by :meth:`_arrays`), in the
        caller's transaction: their ids, and the configurations newly marked used (to remember
        once the transaction commits)."""
        await conn.execute(self._begin)  # before any position is taken: see postgres/stream.py
        inserted = {str(r["id"]) for r in await conn.fetch(INSERT_ARTICLES, *arrays)}
        if marked := set(arrays[len(ARTICLE_COLUMNS)]) - self._used:
            await conn.execute(MARK_USED, sorted(marked))
        quotes = [
            q for a, row in rows if a.id in inserted for q in quote_rows(a, published_us(row))
        ]
        if quotes:
            await conn.execute(INSERT_QUOTES, *quote_arrays(quotes))
        keys = [(k, a.id) for a, _ in rows if a.id in inserted for k in author_keys(a)]
        if keys:
            await conn.execute(INSERT_AUTHORS, [k for k, _ in keys], [i for _, i in keys])
        return inserted, marked

    async def save_many(self, articles: Sequence[ProcessedArticle]) -> list[bool]:
        if not articles:
            return []
        first: dict[str, ProcessedArticle] = {}
        for article in articles:
            first.setdefault(article.id, article)
        rows = [(article, article_row(article)) for article in first.values()]
        arrays = self._arrays(rows)
        with translated(f"saving {len(articles)} articles"):
            async with acquired(self._pool) as conn:
                async with conn.transaction():
                    inserted, marked = await self._insert(conn, rows, arrays)
                await self._merge(conn)
        self._used |= marked
        return newly_stored(articles, set(first) - inserted)

    async def store_claimed(
        self, items: Sequence[tuple[ProcessedArticle, Position]]
    ) -> list[Stored | None]:
        if not items:
            return []
        first = first_claims(items)
        fresh = [(Stored(a, a.model_dump_json()), p) for a, p in first.values()]
        rows = [(s.article, article_row(s.article, s.doc)) for s, _ in fresh]
        arrays = self._arrays(rows)
        with translated(f"storing {len(items)} articles"):
            async with acquired(self._pool) as conn:
                async with conn.transaction():
                    inserted, marked = await self._insert(conn, rows, arrays)
                    claimed = [(s, p) for s, p in fresh if s.article.id in inserted]
                    if claimed:
                        await conn.execute(INSERT_CLAIMS, *_claim_arrays(claimed))
                    held = await _held(conn, set(first) - inserted)
                await self._merge(conn)
        self._used |= marked
        held.update((s.article.id, (p, s)) for s, p in claimed)
        return claim_results(items, held)

    async def _merge(self, conn: Any) -> None:
        """Merge the search index's pending list once a write has committed; waits while another
        session merges it. Should it fail, the call fails and its retry finds the articles stored
        (and their claims held), as after any failure past the commit."""
        if self._merges:
            await conn.execute(MERGE_PENDING)

    async def get(self, article_id: str) -> ProcessedArticle | None:
        with translated("reading an article"):
            async with acquired(self._pool) as conn:
                doc = await conn.fetchval("SELECT doc FROM articles WHERE id = $1", article_id)
        return ProcessedArticle.model_validate_json(doc) if doc is not None else None

    async def stored_at(self, article_id: str) -> datetime | None:
        with translated("reading stored_at"):
            async with acquired(self._pool) as conn:
                found = await conn.fetchval(
                    "SELECT stored_at FROM articles WHERE id = $1", article_id
                )
        return datetime.fromisoformat(found) if found is not None else None


def _claim_arrays(claimed: Iterable[tuple[Stored, Position]]) -> list[list[Any]]:
    ids, topics, partitions, offsets = [], [], [], []
    for stored, (topic, partition, offset) in claimed:
        ids.append(stored.article.id)
        topics.append(topic)
        partitions.append(partition)
        offsets.append(offset)
    return [ids, topics, partitions, offsets]


async def _held(conn: Any, ids: set[str]) -> dict[str, tuple[Position, Stored]]:
    """The claims already held on ``ids`` (by this record or another), with the stored doc."""
    if not ids:
        return {}
    found: dict[str, tuple[Position, Stored]] = {}
    for article_id, topic, partition, offset, doc in await conn.fetch(HELD_CLAIMS, list(ids)):
        position = Position(str(topic), int(partition), int(offset))
        found[str(article_id)] = (position, Stored(ProcessedArticle.model_validate_json(doc), doc))
    return found
