"""``PostgresReader``: the read API (:class:`~services.store.reader.ArticleReader`) over the
store's PostgreSQL database.

Every query runs on its own (autocommit), so each sees the latest committed writes. Searches
and lookups go to ``NEWSFLOW_DATABASE_READ_URL`` when it is set (a read replica), else to
``NEWSFLOW_DATABASE_URL``; the live stream's positions always come from the primary (see
``postgres/stream.py``). Any number of gateways may read at once.
"""

from __future__ import annotations

import json
from typing import Any

from services.core.models import ProcessedArticle
from services.core.pgclient import redacted, translated
from services.core.settings import Settings
from services.store.postgres.database import Pool, acquired, check_schema, create_pool
from services.store.postgres.query import (
    ESTIMATE,
    LEXEMES,
    Statement,
    index_first,
    quotes_statement,
    search_statement,
)
from services.store.postgres.stream import HANDED_OUT, IN_FLIGHT, STORED_SINCE, horizon
from services.store.postgres.tsquery import (
    Lexemes,
    config_query,
    config_tag,
    index_query,
    term_words,
)
from services.store.quotesearch import QuoteQuery
from services.store.reader import (
    FRESHNESS_WINDOW,
    ArticleReader,
    Counts,
    QuotePage,
    SearchPage,
    SourceFreshness,
    StoredArticle,
    check_positive,
    freshness,
    quote_page,
)
from services.store.search import UNKNOWN_SOURCE, SearchQuery, SortKey, TextQuery, encode_cursor


def _article(doc: str) -> ProcessedArticle:
    return ProcessedArticle.model_validate_json(doc)


class PostgresReader(ArticleReader):
    """The read API over one PostgreSQL database. Owns its pools (see :meth:`open`)."""

    def __init__(self, pool: Pool, stream: Pool) -> None:
        self._pool = pool
        self._stream = stream

    @classmethod
    async def open(cls, url: str, *, stream_url: str | None = None) -> PostgresReader:
        """Read the database at ``url`` (the stream's positions at ``stream_url``, when it is
        another server); it must exist and be migrated."""
        pool = await create_pool(url, "newsflow-reader", reading=True)
        try:
            async with acquired(pool) as conn:
                await check_schema(conn, redacted(url))
            stream = pool
            if stream_url is not None and stream_url != url:
                stream = await create_pool(stream_url, "newsflow-stream", reading=True)
        except BaseException:
            await pool.close()
            raise
        return cls(pool, stream)

    @classmethod
    async def for_settings(cls, settings: Settings) -> PostgresReader:
        """Read the database of ``settings`` (its read replica, when one is named)."""
        if settings.database_url is None:
            raise ValueError("no NEWSFLOW_DATABASE_URL: the store is on SQLite")
        url = settings.database_read_url or settings.database_url
        return await cls.open(url, stream_url=settings.database_url)

    async def close(self) -> None:
        try:
            if self._stream is not self._pool:
                await self._stream.close()
        finally:
            await self._pool.close()

    async def _fetch(self, action: str, sql: str, *params: Any) -> list[Any]:
        with translated(action):
            async with acquired(self._pool) as conn:
                return list(await conn.fetch(sql, *params))

    async def search(self, query: SearchQuery) -> SearchPage:
        text, matches_first = None, False
        if query.text is not None:
            text = await self._full_text(query.text)
            if text is None:
                return SearchPage((), None)  # no article of any language can match
            plan = await self._fetch("estimating q", ESTIMATE, text)
            matches_first = index_first(json.loads(plan[0][0]), query.limit)
        statement: Statement = search_statement(query, text, matches_first=matches_first)
        rows = await self._fetch("searching articles", statement.sql, *statement.params)
        page = rows[: query.limit]
        more = len(rows) > query.limit
        cursor = encode_cursor(SortKey(page[-1]["sort_ts"], page[-1]["id"])) if more else None
        return SearchPage(tuple(_article(row["doc"]) for row in page), cursor)

    async def quotes(self, query: QuoteQuery) -> QuotePage:
        statement = quotes_statement(query)
        rows = await self._fetch("listing quotations", statement.sql, *statement.params)
        return quote_page([tuple(row) for row in rows], query.limit)

    async def _full_text(self, text: TextQuery) -> str | None:
        """``q`` as a tsquery, from the lexemes each configuration in use makes of its words."""
        found: dict[tuple[int, str], dict[int, list[str]]] = {}
        used: dict[int, str] = {}
        rows = await self._fetch("analysing q", LEXEMES, term_words(text))
        for config, stemmer, in_use, words, lexeme, positions in rows:
            if in_use:
                used[int(config)] = str(stemmer)
            at = found.setdefault((int(config), str(words)), {})
            for position in positions:
                at.setdefault(int(position), []).append(str(lexeme))
        lexemes: dict[tuple[int, str], Lexemes] = {
            key: tuple((p, tuple(sorted(ls))) for p, ls in sorted(by_position.items()))
            for key, by_position in found.items()
        }
        return index_query(
            {
                config_tag(stemmer): config_query(text, config, lexemes)
                for config, stemmer in used.items()
            }
        )

    async def get(self, article_id: str) -> ProcessedArticle | None:
        rows = await self._fetch(
            "reading an article", "SELECT doc FROM articles WHERE id = $1", article_id
        )
        return _article(rows[0]["doc"]) if rows else None

    async def story(self, story_id: str) -> list[ProcessedArticle]:
        rows = await self._fetch(
            "reading a story",
            "SELECT doc FROM articles WHERE story_id = $1 ORDER BY seq",
            story_id,
        )
        return [_article(row["doc"]) for row in rows]

    async def counts(self) -> Counts:
        rows = await self._fetch(
            "counting articles",
            "SELECT verdict, source, sum(n) AS n FROM article_counts GROUP BY verdict, source "
            "HAVING sum(n) <> 0",
        )
        by_verdict: dict[str, int] = {}
        by_source: dict[str, int] = {}
        for row in rows:
            source = str(row["source"] or UNKNOWN_SOURCE)
            by_verdict[row["verdict"]] = by_verdict.get(row["verdict"], 0) + int(row["n"])
            by_source[source] = by_source.get(source, 0) + int(row["n"])
        return Counts(
            sum(by_verdict.values()),
            dict(sorted(by_verdict.items())),
            dict(sorted(by_source.items())),
        )

    async def latest(self, n: int = 20) -> list[ProcessedArticle]:
        check_positive("n", n)
        rows = await self._fetch(
            "reading the latest articles",
            "SELECT doc FROM articles ORDER BY seq DESC LIMIT $1",
            n,
        )
        return [_article(row["doc"]) for row in rows]

    async def freshness_by_source(self, window: int = FRESHNESS_WINDOW) -> list[SourceFreshness]:
        check_positive("window", window)
        rows = await self._fetch(
            "measuring freshness",
            "SELECT source, published_at_utc, stored_at FROM "
            "(SELECT source, published_at_utc, stored_at FROM articles "
            "ORDER BY seq DESC LIMIT $1) AS recent WHERE published_at_utc IS NOT NULL",
            window,
        )
        return freshness((row[0], row[1], row[2]) for row in rows)

    async def stored_since(self, seq: int, limit: int = 100) -> list[StoredArticle]:
        check_positive("limit", limit)
        with translated("reading new articles"):
            async with acquired(self._stream) as conn:
                bound = await _horizon(conn)
                rows = await conn.fetch(STORED_SINCE, seq, bound, limit) if bound > seq else []
        return [StoredArticle(int(row["seq"]), _article(row["doc"])) for row in rows]

    async def head(self) -> int:
        with translated("reading the head position"):
            async with acquired(self._stream) as conn:
                return await _horizon(conn)


async def _horizon(conn: Any) -> int:
    """The highest stream position that can no longer change (``postgres/stream.py``): the
    two reads in this order, each its own statement, before the caller's query."""
    handed_out = int(await conn.fetchval(HANDED_OUT))
    in_flight = await conn.fetchval(IN_FLIGHT)
    return horizon(handed_out, None if in_flight is None else int(in_flight))
