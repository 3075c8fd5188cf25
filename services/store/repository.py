"""``ArticleRepository``: the store's writes into SQLite, one row per article id.

Redeliveries are expected (the consumer runner retries whole batches), so a save is idempotent:
the first stored version of an article id wins, later ones are reported as already stored. Each
write enters its new articles in the full-text index itself, in the same transaction (a batch
becomes one FTS5 segment, see schema 4 in :mod:`services.store.database`), as their indexed text
(:mod:`services.store.fulltext`, kept in ``indexed_text`` where it differs, see schema 5); a
trigger fills the author table.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import aiosqlite
import orjson

from services.core.lifecycle import AsyncClosing
from services.core.models import ProcessedArticle
from services.core.settings import Settings
from services.store.database import (
    DEFAULT_BUSY_TIMEOUT_MS,
    DEFAULT_CACHE_KIB,
    DEFAULT_MMAP_BYTES,
    open_database,
    transaction,
)
from services.store.errors import translated
from services.store.fulltext import index_text
from services.store.quoterows import QUOTE_COLUMNS, quote_rows

ARTICLE_COLUMNS: tuple[str, ...] = (
    "id",
    "canonical_url",
    "url",
    "source",
    "site_name",
    "title",
    "subtitle",
    "authors",
    "published_at",
    "published_at_utc",
    "updated_at",
    "language",
    "lead",
    "word_count",
    "cited_outlets",
    "story_id",
    "verdict",
    "duplicate_of",
    "similarity",
    "dedup_method",
    "dedup_evidence",
    "received_at",
    "stored_at",
    "body",
    "doc",
)
# Rows are inserted only after the same transaction found their ids absent, so a conflict is
# a bug: it fails the transaction rather than leave an index entry without its row.
INSERT_ARTICLE = (
    f"INSERT INTO articles (seq, {', '.join(ARTICLE_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' for _ in ARTICLE_COLUMNS)})"
)
INDEX_ARTICLE = "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)"
INSERT_INDEXED_TEXT = "INSERT INTO indexed_text (seq, title, body) VALUES (?, ?, ?)"
NEXT_SEQ = "SELECT coalesce(max(seq), 0) + 1 FROM articles"  # what SQLite itself would pick
INSERT_QUOTE = (
    f"INSERT INTO article_quotes ({', '.join(QUOTE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in QUOTE_COLUMNS)})"
)
INSERT_CLAIM = (
    "INSERT INTO claims (article_id, source_topic, source_partition, source_offset) "
    "VALUES (?, ?, ?, ?) ON CONFLICT (article_id) DO NOTHING"
)
Row = tuple[str | int | float | None, ...]
_TITLE = ARTICLE_COLUMNS.index("title")
_BODY = ARTICLE_COLUMNS.index("body")
_PUBLISHED_UTC = ARTICLE_COLUMNS.index("published_at_utc")


class Position(NamedTuple):
    """Where a consumed record was: the claim that decides who publishes an article."""

    topic: str
    partition: int
    offset: int


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_ID_CHUNK = 500  # well under SQLITE_MAX_VARIABLE_NUMBER everywhere


def epoch_us(moment: datetime) -> int:
    """An aware datetime as integer microseconds since the epoch (exact, no float rounding)."""
    return (moment - _EPOCH) // _MICROSECOND


def utc_text(moment: datetime) -> str:
    """Fixed-width ISO 8601 in UTC (``2025-01-02T03:04:05.000006Z``): sorts as it reads."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


class Stored(NamedTuple):
    """An article to publish, and its JSON as stored (the processed record's value)."""

    article: ProcessedArticle
    doc: str


def article_row(article: ProcessedArticle, doc: str | None = None) -> Row:
    """The ``articles`` row of an article, in :data:`ARTICLE_COLUMNS` order (``doc``: its JSON,
    when the caller has it already)."""
    dedup = article.dedup
    published_utc = article.published_at_utc or article.published_at
    return (
        article.id,
        article.canonical_url,
        article.url,
        article.source,
        article.site_name,
        article.title,
        article.subtitle,
        orjson.dumps(article.authors).decode(),
        _iso(article.published_at),
        epoch_us(published_utc) if published_utc is not None else None,
        _iso(article.updated_at),
        article.language,
        article.lead,
        article.word_count,
        orjson.dumps(article.cited_outlets).decode(),
        dedup.story_id,
        dedup.verdict,
        dedup.duplicate_of,
        dedup.similarity,
        dedup.method,
        orjson.dumps(dedup.evidence).decode(),
        utc_text(article.received_at),
        utc_text(article.stored_at),
        article.body,
        article.model_dump_json() if doc is None else doc,
    )


def _published_us(row: Row) -> int | None:
    value = row[_PUBLISHED_UTC]
    return value if isinstance(value, int) else None


def numbered(rows: Sequence[Row], first_seq: int) -> list[Row]:
    """New ``articles`` rows numbered from ``first_seq`` on, for :data:`INSERT_ARTICLE`."""
    return [(first_seq + n, *row) for n, row in enumerate(rows)]


class IndexEntries(NamedTuple):
    """What numbered articles add to the full-text index."""

    entries: list[Row]  # every article's indexed title and body, for INDEX_ARTICLE
    texts: list[Row]  # where they differ from the stored ones, for INSERT_INDEXED_TEXT


def index_entries(articles: Sequence[Row]) -> IndexEntries:
    """The full-text entries of rows made by :func:`numbered`: their indexed text, and the
    ``indexed_text`` rows of those whose title or body it changes (NULL where unchanged)."""
    entries: list[Row] = []
    texts: list[Row] = []
    for row in articles:
        seq, title, body = row[0], row[_TITLE + 1], row[_BODY + 1]
        title_text = index_text(title) if isinstance(title, str) else title
        body_text = index_text(body) if isinstance(body, str) else body
        entries.append((seq, title_text, body_text))
        if title_text != title or body_text != body:
            changed_title = title_text if title_text != title else None
            texts.append((seq, changed_title, body_text if body_text != body else None))
    return IndexEntries(entries, texts)


class ArticleRepository(AsyncClosing):
    """Writes processed articles; owns its connection (see :meth:`open`)."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._writing = asyncio.Lock()  # one write transaction at a time on this connection

    @classmethod
    async def open(
        cls,
        path: Path,
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        cache_kib: int = DEFAULT_CACHE_KIB,
        mmap_bytes: int = DEFAULT_MMAP_BYTES,
    ) -> ArticleRepository:
        """Open (create and migrate if needed) the database at ``path`` for writing."""
        conn = await open_database(
            path, busy_timeout_ms=busy_timeout_ms, cache_kib=cache_kib, mmap_bytes=mmap_bytes
        )
        return cls(conn)

    @classmethod
    async def for_settings(cls, settings: Settings) -> ArticleRepository:
        """Open the database of ``settings`` for writing, tuned as they say."""
        return await cls.open(
            settings.database_path,
            busy_timeout_ms=settings.store_busy_timeout_ms,
            cache_kib=settings.store_cache_kib,
            mmap_bytes=settings.store_mmap_bytes,
        )

    async def close(self) -> None:
        """Let SQLite refresh its planner statistics, then close the connection."""
        try:
            with translated("optimizing the database"):
                await self._conn.execute("PRAGMA optimize")
        finally:
            await self._conn.close()

    async def save(self, article: ProcessedArticle) -> bool:
        """Store an article; ``False`` if its id was already stored (the stored row is kept).

        One transaction per call: batch with :meth:`save_many` for throughput.
        """
        return (await self.save_many([article]))[0]

    async def save_many(self, articles: Sequence[ProcessedArticle]) -> list[bool]:
        """Store a batch in one transaction; per article, whether it was newly stored.

        An id repeated within the batch is stored once, from its first occurrence.
        """
        if not articles:
            return []
        first: dict[str, ProcessedArticle] = {}
        for article in articles:
            first.setdefault(article.id, article)
        with translated(f"saving {len(articles)} articles"):
            async with self._writing, transaction(self._conn):
                stored = await self._existing(first)
                await self._insert(
                    [
                        (a, article_row(a))
                        for article_id, a in first.items()
                        if article_id not in stored
                    ]
                )
        claimed: set[str] = set(stored)
        results: list[bool] = []
        for article in articles:
            results.append(article.id not in claimed)
            claimed.add(article.id)
        return results

    async def store_claimed(
        self, items: Sequence[tuple[ProcessedArticle, Position]]
    ) -> list[Stored | None]:
        """Store a batch and claim each article id for the record it came from (one
        transaction). Per item: the stored article to publish, if this record holds the claim
        (its first storage, or a redelivery of that same record); ``None`` if another record
        claimed the id first (a re-push: its article was or will be published for that one).
        """
        if not items:
            return []
        first: dict[str, tuple[ProcessedArticle, Position]] = {}
        for article, position in items:
            first.setdefault(article.id, (article, position))
        with translated(f"storing {len(items)} articles"):
            async with self._writing, transaction(self._conn):
                stored = await self._existing(first)
                fresh = [
                    (Stored(article, article.model_dump_json()), position)
                    for article_id, (article, position) in first.items()
                    if article_id not in stored
                ]
                await self._insert([(s.article, article_row(s.article, s.doc)) for s, _ in fresh])
                await self._conn.executemany(
                    INSERT_CLAIM, [(s.article.id, *position) for s, position in fresh]
                )
                held = await self._claims(stored)
        held.update((s.article.id, (position, s)) for s, position in fresh)
        return [
            claim[1] if (claim := held.get(article.id)) and claim[0] == position else None
            for article, position in items
        ]

    async def _insert(self, fresh: Sequence[tuple[ProcessedArticle, Row]]) -> None:
        """Insert new articles (each with its row) and their quotations and enter them in the
        full-text index, in the caller's transaction: one executemany each, so FTS5 writes the
        batch as one segment."""
        if not fresh:
            return
        rows = [row for _, row in fresh]
        async with self._conn.execute(NEXT_SEQ) as cursor:
            found = await cursor.fetchone()
        articles = numbered(rows, int(found[0]) if found else 1)
        index = index_entries(articles)
        await self._conn.executemany(INSERT_ARTICLE, articles)
        if index.texts:
            await self._conn.executemany(INSERT_INDEXED_TEXT, index.texts)
        await self._conn.executemany(INDEX_ARTICLE, index.entries)
        quotes = [q for a, row in fresh for q in quote_rows(a, _published_us(row))]
        if quotes:
            await self._conn.executemany(INSERT_QUOTE, quotes)

    async def _claims(self, ids: Iterable[str]) -> dict[str, tuple[Position, Stored]]:
        wanted = list(ids)
        found: dict[str, tuple[Position, Stored]] = {}
        for start in range(0, len(wanted), _ID_CHUNK):
            chunk = wanted[start : start + _ID_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = await self._conn.execute_fetchall(
                "SELECT c.article_id, c.source_topic, c.source_partition, c.source_offset, a.doc "
                f"FROM claims c JOIN articles a ON a.id = c.article_id "
                f"WHERE c.article_id IN ({marks})",
                chunk,
            )
            for article_id, topic, partition, offset, doc in rows:
                position = Position(str(topic), int(partition), int(offset))
                stored = Stored(ProcessedArticle.model_validate_json(doc), str(doc))
                found[str(article_id)] = (position, stored)
        return found

    async def _existing(self, ids: Iterable[str]) -> set[str]:
        wanted = list(ids)
        found: set[str] = set()
        for start in range(0, len(wanted), _ID_CHUNK):
            chunk = wanted[start : start + _ID_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = await self._conn.execute_fetchall(
                f"SELECT id FROM articles WHERE id IN ({marks})", chunk
            )
            found.update(str(row[0]) for row in rows)
        return found

    async def get(self, article_id: str) -> ProcessedArticle | None:
        """The stored (first) version of an article, or ``None``."""
        with translated("reading an article"):
            rows = list(
                await self._conn.execute_fetchall(
                    "SELECT doc FROM articles WHERE id = ?", (article_id,)
                )
            )
        return ProcessedArticle.model_validate_json(rows[0][0]) if rows else None

    async def stored_at(self, article_id: str) -> datetime | None:
        """When an article id was first stored, or ``None`` if it never was."""
        with translated("reading stored_at"):
            rows = list(
                await self._conn.execute_fetchall(
                    "SELECT stored_at FROM articles WHERE id = ?", (article_id,)
                )
            )
        return datetime.fromisoformat(rows[0][0]) if rows else None
