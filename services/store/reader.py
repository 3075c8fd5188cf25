"""``ArticleReader``: the read model — every read-only query over the store's database.

The gateway reads through this class only; it writes no SQL and opens no connection itself.
Every query runs in autocommit mode, so each sees the latest committed writes of the store
(WAL readers never block the writer, nor are blocked by it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median
from typing import Any

import aiosqlite

from services.core.lifecycle import AsyncClosing
from services.core.models import ProcessedArticle
from services.core.settings import Settings
from services.store.database import (
    DEFAULT_BUSY_TIMEOUT_MS,
    DEFAULT_CACHE_KIB,
    DEFAULT_MMAP_BYTES,
    open_readonly,
)
from services.store.errors import translated
from services.store.query import (
    DENSE_MATCHES,
    Statement,
    match_probe_statement,
    quotes_statement,
    search_statement,
)
from services.store.quotesearch import QuoteKey, QuoteQuery, encode_quote_cursor
from services.store.search import (
    UNKNOWN_SOURCE,
    InvalidQueryError,
    SearchQuery,
    SortKey,
    encode_cursor,
)

FRESHNESS_WINDOW = 1_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FTS_ERRORS = ("fts5:", "unterminated string", "no such column")


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results, and the cursor of the next page (``None`` on the last)."""

    items: tuple[ProcessedArticle, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class StoredQuote:
    """A stored quotation and the article it is in."""

    article_id: str
    speaker: str | None
    speaker_kind: str
    cue: str | None
    text: str
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class QuotePage:
    """One page of quotations, and the cursor of the next page (``None`` on the last)."""

    items: tuple[StoredQuote, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class Counts:
    """Stored articles: in all, per dedup verdict and per source."""

    total: int
    by_verdict: Mapping[str, int]
    by_source: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class SourceFreshness:
    """Median delay from publication to storage of a source's recent dated articles."""

    source: str
    articles: int
    median_seconds: float


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article with its position in storage order (``seq``, the SSE event id)."""

    seq: int
    article: ProcessedArticle


def _article(doc: str | bytes) -> ProcessedArticle:
    return ProcessedArticle.model_validate_json(doc)


@contextmanager
def _reading(action: str, *, full_text: bool = False) -> Iterator[None]:
    """Translate locks and I/O errors (transient) and FTS5 query errors (the client's)."""
    try:
        with translated(action):
            yield
    except sqlite3.OperationalError as error:
        if full_text and str(error).lower().startswith(_FTS_ERRORS):
            raise InvalidQueryError(f"q cannot be searched: {error}") from error
        raise


class ArticleReader(AsyncClosing):
    """The read API of the store. Owns one read-only connection (see :meth:`open`)."""

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
    ) -> ArticleReader:
        """Open the store's database read-only; it must exist and be migrated."""
        conn = await open_readonly(
            path, busy_timeout_ms=busy_timeout_ms, cache_kib=cache_kib, mmap_bytes=mmap_bytes
        )
        return cls(conn, dense_matches=dense_matches)

    @classmethod
    async def for_settings(cls, settings: Settings) -> ArticleReader:
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
        """One page of matching articles, newest publication first."""
        with _reading("searching articles", full_text=query.match is not None):
            hits = await self._sparse_hits(match_probe_statement(query, self._dense_matches))
            statement = search_statement(query, hits)
            rows = await self._rows(statement.sql, statement.params)
        page = rows[: query.limit]
        more = len(rows) > query.limit
        cursor = encode_cursor(SortKey(page[-1][1], page[-1][2])) if more else None
        return SearchPage(tuple(_article(row[3]) for row in page), cursor)

    async def quotes(self, query: QuoteQuery) -> QuotePage:
        """One page of matching quotations, newest article first, each article's in order."""
        statement = quotes_statement(query)
        with _reading("listing quotations"):
            rows = await self._rows(statement.sql, statement.params)
        page = rows[: query.limit]
        more = len(rows) > query.limit
        last = page[-1] if page else None
        cursor = (
            encode_quote_cursor(QuoteKey(int(last[2]), str(last[0]), int(last[1])))
            if more and last is not None
            else None
        )
        items = tuple(
            StoredQuote(
                article_id=str(row[0]),
                speaker=row[3],
                speaker_kind=str(row[4]),
                cue=row[5],
                text=str(row[9]),
                paragraph=int(row[6]),
                start=int(row[7]),
                end=int(row[8]),
            )
            for row in page
        )
        return QuotePage(items, cursor)

    async def _sparse_hits(self, probe: Statement | None) -> list[int] | None:
        """Every full-text match when there are few; ``None`` when dense (or without q)."""
        if probe is None:
            return None
        hits = [int(row[0]) for row in await self._rows(probe.sql, probe.params)]
        return hits if len(hits) < self._dense_matches else None

    async def get(self, article_id: str) -> ProcessedArticle | None:
        """The stored version of an article, or ``None``."""
        with _reading("reading an article"):
            rows = await self._rows("SELECT doc FROM articles WHERE id = ?", (article_id,))
        return _article(rows[0][0]) if rows else None

    async def story(self, story_id: str) -> list[ProcessedArticle]:
        """Every stored article of a story (duplicates and updates too), in storage order."""
        with _reading("reading a story"):
            rows = await self._rows(
                "SELECT doc FROM articles WHERE story_id = ? ORDER BY seq", (story_id,)
            )
        return [_article(row[0]) for row in rows]

    async def counts(self) -> Counts:
        """How many articles are stored, per verdict and per source."""
        with _reading("counting articles"):
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
        """The ``n`` most recently stored articles, newest first."""
        if n < 1:
            raise InvalidQueryError("n must be at least 1")
        with _reading("reading the latest articles"):
            rows = await self._rows("SELECT doc FROM articles ORDER BY seq DESC LIMIT ?", (n,))
        return [_article(row[0]) for row in rows]

    async def freshness_by_source(self, window: int = FRESHNESS_WINDOW) -> list[SourceFreshness]:
        """Per source, the median seconds from ``published_at`` to ``stored_at`` over the last
        ``window`` stored articles (undated ones are left out); slowest source first."""
        if window < 1:
            raise InvalidQueryError("window must be at least 1")
        with _reading("measuring freshness"):
            rows = await self._rows(
                "SELECT source, published_at_utc, stored_at FROM "
                "(SELECT source, published_at_utc, stored_at FROM articles "
                "ORDER BY seq DESC LIMIT ?) WHERE published_at_utc IS NOT NULL",
                (window,),
            )
        lags: dict[str, list[float]] = {}
        for source, published_us, stored_at in rows:
            stored = datetime.fromisoformat(stored_at)
            lag = (stored - (_EPOCH + timedelta(microseconds=published_us))).total_seconds()
            lags.setdefault(str(source or UNKNOWN_SOURCE), []).append(lag)
        found = [SourceFreshness(s, len(v), float(median(v))) for s, v in lags.items()]
        return sorted(found, key=lambda f: (-f.median_seconds, f.source))

    async def stored_since(self, seq: int, limit: int = 100) -> list[StoredArticle]:
        """Articles stored after position ``seq`` (0: from the start), oldest first."""
        if limit < 1:
            raise InvalidQueryError("limit must be at least 1")
        with _reading("reading new articles"):
            rows = await self._rows(
                "SELECT seq, doc FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
            )
        return [StoredArticle(int(row[0]), _article(row[1])) for row in rows]

    async def head(self) -> int:
        """The position of the last stored article (0 when empty): where a live stream starts."""
        with _reading("reading the head position"):
            rows = await self._rows("SELECT coalesce(max(seq), 0) FROM articles")
        return int(rows[0][0])
