"""``SqliteReader``: the read API (:class:`~services.store.reader.ArticleReader`) over the
store's SQLite file.

Every query runs in autocommit mode, so each sees the latest committed writes of the store
(WAL readers never block the writer, nor are blocked by it). One writer numbers the articles
(``seq``) in commit order, so the live stream's position is simply the highest ``seq``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from services.core.models import ProcessedArticle
from services.core.settings import Settings
from services.store.reader import (
    FRESHNESS_WINDOW,
    ArticleReader,
    Counts,
    SearchPage,
    SourceFreshness,
    StoredArticle,
    check_positive,
    freshness,
)
from services.store.search import (
    UNKNOWN_SOURCE,
    InvalidQueryError,
    SearchQuery,
    SortKey,
    encode_cursor,
)
from services.store.sqlite.database import (
    DEFAULT_BUSY_TIMEOUT_MS,
    DEFAULT_CACHE_KIB,
    DEFAULT_MMAP_BYTES,
    open_readonly,
)
from services.store.sqlite.errors import translated
from services.store.sqlite.query import (
    DENSE_MATCHES,
    Statement,
    match_probe_statement,
    search_statement,
)

_FTS_ERRORS = ("fts5:", "unterminated string", "no such column")


def _article(doc: str | bytes) -> ProcessedArticle:
    return ProcessedArticle.model_validate_json(doc)


@contextmanager
def reading(action: str, *, full_text: bool = False) -> Iterator[None]:
    """Translate locks and I/O errors (transient) and FTS5 query errors (the client's)."""
    try:
        with translated(action):
            yield
    except sqlite3.OperationalError as error:
        if full_text and str(error).lower().startswith(_FTS_ERRORS):
            raise InvalidQueryError(f"q cannot be searched: {error}") from error
        raise


class SqliteReader(ArticleReader):
    """The read API over one SQLite file. Owns one read-only connection (see :meth:`open`)."""

    def __init__(self, conn: aiosqlite.Connection, *, dense_matches: int = DENSE_MATCHES) -> None:
        self._conn = conn
        self._dense_matches = dense_matches

    @classmethod
    async def open(
        cls,
        path: Path,
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        cache_kib: int = DEFAULT_CACHE_KIB,
        mmap_bytes: int = DEFAULT_MMAP_BYTES,
        dense_matches: int = DENSE_MATCHES,
    ) -> SqliteReader:
        """Open the store's database read-only; it must exist and be migrated."""
        conn = await open_readonly(
            path, busy_timeout_ms=busy_timeout_ms, cache_kib=cache_kib, mmap_bytes=mmap_bytes
        )
        return cls(conn, dense_matches=dense_matches)

    @classmethod
    async def for_settings(cls, settings: Settings) -> SqliteReader:
        """Open the database of ``settings`` read-only, tuned as they say."""
        return await cls.open(
            settings.database_path,
            busy_timeout_ms=settings.store_busy_timeout_ms,
            cache_kib=settings.store_cache_kib,
            mmap_bytes=settings.store_mmap_bytes,
        )

    async def close(self) -> None:
        await self._conn.close()

    async def _rows(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[Any]:
        return list(await self._conn.execute_fetchall(sql, params))

    async def search(self, query: SearchQuery) -> SearchPage:
        with reading("searching articles", full_text=query.text is not None):
            hits = await self._sparse_hits(match_probe_statement(query, self._dense_matches))
            statement = search_statement(query, hits)
            rows = await self._rows(statement.sql, statement.params)
        page = rows[: query.limit]
        more = len(rows) > query.limit
        cursor = encode_cursor(SortKey(page[-1][1], page[-1][2])) if more else None
        return SearchPage(tuple(_article(row[3]) for row in page), cursor)

    async def _sparse_hits(self, probe: Statement | None) -> list[int] | None:
        """Every full-text match when there are few; ``None`` when dense (or without q)."""
        if probe is None:
            return None
        hits = [int(row[0]) for row in await self._rows(probe.sql, probe.params)]
        return hits if len(hits) < self._dense_matches else None

    async def get(self, article_id: str) -> ProcessedArticle | None:
        with reading("reading an article"):
            rows = await self._rows("SELECT doc FROM articles WHERE id = ?", (article_id,))
        return _article(rows[0][0]) if rows else None

    async def story(self, story_id: str) -> list[ProcessedArticle]:
        with reading("reading a story"):
            rows = await self._rows(
                "SELECT doc FROM articles WHERE story_id = ? ORDER BY seq", (story_id,)
            )
        return [_article(row[0]) for row in rows]

    async def counts(self) -> Counts:
        with reading("counting articles"):
            verdicts = await self._rows(
                "SELECT verdict, count(*) FROM articles GROUP BY verdict ORDER BY verdict"
            )
            sources = await self._rows(
                "SELECT source, count(*) FROM articles GROUP BY source ORDER BY source"
            )
        by_verdict = {str(verdict): int(n) for verdict, n in verdicts}
        by_source = {str(source or UNKNOWN_SOURCE): int(n) for source, n in sources}
        return Counts(sum(by_verdict.values()), by_verdict, by_source)

    async def latest(self, n: int = 20) -> list[ProcessedArticle]:
        check_positive("n", n)
        with reading("reading the latest articles"):
            rows = await self._rows("SELECT doc FROM articles ORDER BY seq DESC LIMIT ?", (n,))
        return [_article(row[0]) for row in rows]

    async def freshness_by_source(self, window: int = FRESHNESS_WINDOW) -> list[SourceFreshness]:
        check_positive("window", window)
        with reading("measuring freshness"):
            rows = await self._rows(
                "SELECT source, published_at_utc, stored_at FROM "
                "(SELECT source, published_at_utc, stored_at FROM articles "
                "ORDER BY seq DESC LIMIT ?) WHERE published_at_utc IS NOT NULL",
                (window,),
            )
        return freshness(rows)

    async def stored_since(self, seq: int, limit: int = 100) -> list[StoredArticle]:
        check_positive("limit", limit)
        with reading("reading new articles"):
            rows = await self._rows(
                "SELECT seq, doc FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
            )
        return [StoredArticle(int(row[0]), _article(row[1])) for row in rows]

    async def head(self) -> int:
        with reading("reading the head position"):
            rows = await self._rows("SELECT coalesce(max(seq), 0) FROM articles")
        return int(rows[0][0])
