"""``SqliteRepository``: the store's writes into SQLite, one row per article id.

A save is idempotent (see :class:`~services.store.repository.ArticleRepository`); one
connection writes, one transaction at a time. Each write enters its new articles in the
full-text index itself, in the same transaction (a batch becomes one FTS5 segment, see schema 4
in :mod:`services.store.sqlite.database`), as their indexed text (:mod:`services.store.fulltext`,
kept in ``indexed_text`` where it differs, see schema 5); a trigger fills the author table.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import aiosqlite

from services.core.models import ProcessedArticle
from services.core.settings import Settings
from services.store.fulltext import index_text
from services.store.repository import (
    ArticleRepository,
    Position,
    Stored,
    claim_results,
    first_claims,
    newly_stored,
)
from services.store.rows import ARTICLE_COLUMNS, BODY, TITLE, Row, article_row
from services.store.sqlite.database import (
    DEFAULT_BUSY_TIMEOUT_MS,
    DEFAULT_CACHE_KIB,
    DEFAULT_MMAP_BYTES,
    open_database,
    transaction,
)
from services.store.sqlite.errors import translated

# Rows are inserted only after the same transaction found their ids absent, so a conflict is
# a bug: it fails the transaction rather than leave an index entry without its row.
INSERT_ARTICLE = (
    f"INSERT INTO articles (seq, {', '.join(ARTICLE_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' for _ in ARTICLE_COLUMNS)})"
)
INDEX_ARTICLE = "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)"
INSERT_INDEXED_TEXT = "INSERT INTO indexed_text (seq, title, body) VALUES (?, ?, ?)"
NEXT_SEQ = "SELECT coalesce(max(seq), 0) + 1 FROM articles"  # what SQLite itself would pick
INSERT_CLAIM = (
    "INSERT INTO claims (article_id, source_topic, source_partition, source_offset) "
    "VALUES (?, ?, ?, ?) ON CONFLICT (article_id) DO NOTHING"
)
_ID_CHUNK = 500  # well under SQLITE_MAX_VARIABLE_NUMBER everywhere


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
        seq, title, body = row[0], row[TITLE + 1], row[BODY + 1]
        title_text = index_text(title) if isinstance(title, str) else title
        body_text = index_text(body) if isinstance(body, str) else body
        entries.append((seq, title_text, body_text))
        if title_text != title or body_text != body:
            changed_title = title_text if title_text != title else None
            texts.append((seq, changed_title, body_text if body_text != body else None))
    return IndexEntries(entries, texts)


class SqliteRepository(ArticleRepository):
    """Writes processed articles into one SQLite file; owns its connection (see :meth:`open`)."""

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
    ) -> SqliteRepository:
        """Open (create and migrate if needed) the database at ``path`` for writing."""
        conn = await open_database(
            path, busy_timeout_ms=busy_timeout_ms, cache_kib=cache_kib, mmap_bytes=mmap_bytes
        )
        return cls(conn)

    @classmethod
    async def for_settings(cls, settings: Settings) -> SqliteRepository:
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

    async def save_many(self, articles: Sequence[ProcessedArticle]) -> list[bool]:
        if not articles:
            return []
        first: dict[str, Row] = {}
        for article in articles:
            if article.id not in first:
                first[article.id] = article_row(article)
        with translated(f"saving {len(articles)} articles"):
            async with self._writing, transaction(self._conn):
                stored = await self._existing(first)
                await self._insert(
                    [row for article_id, row in first.items() if article_id not in stored]
                )
        return newly_stored(articles, stored)

    async def store_claimed(
        self, items: Sequence[tuple[ProcessedArticle, Position]]
    ) -> list[Stored | None]:
        if not items:
            return []
        first = first_claims(items)
        with translated(f"storing {len(items)} articles"):
            async with self._writing, transaction(self._conn):
                stored = await self._existing(first)
                fresh = [
                    (Stored(article, article.model_dump_json()), position)
                    for article_id, (article, position) in first.items()
                    if article_id not in stored
                ]
                await self._insert([article_row(s.article, s.doc) for s, _ in fresh])
                await self._conn.executemany(
                    INSERT_CLAIM, [(s.article.id, *position) for s, position in fresh]
                )
                held = await self._claims(stored)
        held.update((s.article.id, (position, s)) for s, position in fresh)
        return claim_results(items, held)

    async def _insert(self, rows: Sequence[Row]) -> None:
        """Insert new articles and enter them in the full-text index, in the caller's
        transaction: one executemany each, so FTS5 writes the batch as one segment."""
        if not rows:
            return
        async with self._conn.execute(NEXT_SEQ) as cursor:
            found = await cursor.fetchone()
        articles = numbered(rows, int(found[0]) if found else 1)
        index = index_entries(articles)
        await self._conn.executemany(INSERT_ARTICLE, articles)
        if index.texts:
            await self._conn.executemany(INSERT_INDEXED_TEXT, index.texts)
        await self._conn.executemany(INDEX_ARTICLE, index.entries)

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
        with translated("reading an article"):
            rows = list(
                await self._conn.execute_fetchall(
                    "SELECT doc FROM articles WHERE id = ?", (article_id,)
                )
            )
        return ProcessedArticle.model_validate_json(rows[0][0]) if rows else None

    async def stored_at(self, article_id: str) -> datetime | None:
        with translated("reading stored_at"):
            rows = list(
                await self._conn.execute_fetchall(
                    "SELECT stored_at FROM articles WHERE id = ?", (article_id,)
                )
            )
        return datetime.fromisoformat(rows[0][0]) if rows else None
