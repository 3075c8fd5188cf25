"""Opening the store's SQLite database: pragmas, the versioned schema and its migrations.

The schema version is ``PRAGMA user_version``. :data:`MIGRATIONS` is the ordered list of steps
(:class:`~services.store.migration.Migration`); each is applied in one ``BEGIN IMMEDIATE``
transaction together with the new ``user_version``.

Writers (the store) open with :func:`open_database`; readers (the gateway) with
:func:`open_readonly`, which never creates the file and never migrates.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import aiosqlite

from services.core.migration import Migration, check_order
from services.store.errors import DatabaseNotReadyError, SchemaVersionError
from services.store.fulltext import index_text
from services.store.migration import check_version
from services.store.search import NO_DATE
from services.store.sqlite.errors import translated

# The defaults of a connection's tuning (the store and gateway pass NEWSFLOW_STORE_* settings).
DEFAULT_BUSY_TIMEOUT_MS = 5_000
DEFAULT_CACHE_KIB = 64 * 1024
DEFAULT_MMAP_BYTES = 256 * 1024 * 1024
_JOURNAL_LIMIT_BYTES = 64 * 1024 * 1024

_SCHEMA_V1 = (
    f"""
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY,            -- stable rowid: FTS content rowid, stream position
        id TEXT NOT NULL UNIQUE,            -- the article id: one row per id, first version kept
        canonical_url TEXT,
        url TEXT,
        source TEXT,
        site_name TEXT,
        title TEXT,
        subtitle TEXT,
        authors TEXT NOT NULL,              -- JSON array
        published_at TEXT,                  -- ISO 8601 with the source's offset
        published_at_utc INTEGER,           -- epoch microseconds, NULL when unknown
        sort_ts INTEGER NOT NULL
            GENERATED ALWAYS AS (coalesce(published_at_utc, {NO_DATE})) VIRTUAL,
        updated_at TEXT,
        language TEXT,
        lead TEXT,
        word_count INTEGER NOT NULL,
        cited_outlets TEXT NOT NULL,        -- JSON array
        story_id TEXT NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('unique', 'duplicate', 'update')),
        duplicate_of TEXT,
        similarity REAL NOT NULL,
        dedup_method TEXT NOT NULL,
        dedup_evidence TEXT NOT NULL,       -- JSON object
        received_at TEXT NOT NULL,          -- ISO 8601 UTC, fixed width
        stored_at TEXT NOT NULL,            -- ISO 8601 UTC, fixed width
        body TEXT NOT NULL,                 -- paragraphs joined by blank lines
        doc TEXT NOT NULL                   -- the whole ProcessedArticle as JSON
    )
    """,
    """
    CREATE TABLE article_authors (
        author TEXT NOT NULL COLLATE NOCASE,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        PRIMARY KEY (author, article_id)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX ix_article_authors_article ON article_authors (article_id)",
    "CREATE INDEX ix_articles_published ON articles (sort_ts, id, verdict)",
    "CREATE INDEX ix_articles_source ON articles (source, sort_ts, id)",
    "CREATE INDEX ix_articles_language ON articles (language, sort_ts, id)",
    "CREATE INDEX ix_articles_story ON articles (story_id, sort_ts, id)",
    "CREATE INDEX ix_articles_verdict ON articles (verdict)",
    "CREATE INDEX ix_articles_stored ON articles (stored_at)",
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, body,
        content = 'articles', content_rowid = 'seq',
        tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, body) VALUES (new.seq, new.title, new.body);
        INSERT OR IGNORE INTO article_authors (author, article_id)
            SELECT value, new.id FROM json_each(new.authors) WHERE trim(value) <> '';
    END
    """,
    """
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body)
            VALUES ('delete', old.seq, old.title, old.body);
    END
    """,
    """
    CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body)
            VALUES ('delete', old.seq, old.title, old.body);
        INSERT INTO articles_fts (rowid, title, body) VALUES (new.seq, new.title, new.body);
    END
    """,
)


# Which consumed record first claimed each article id: the store publishes an article only for
# that record, so redeliveries and re-pushes of one id publish it exactly once.
_SCHEMA_V2 = (
    """
    CREATE TABLE claims (
        article_id TEXT PRIMARY KEY,
        source_topic TEXT NOT NULL,
        source_partition INTEGER NOT NULL,
        source_offset INTEGER NOT NULL
    ) WITHOUT ROWID
    """,
)

# FTS5 writes the terms it has buffered as a new segment (at each COMMIT; see schema 4 for
# when else) and merges a level's segments into the next once ``automerge`` of them exist: 4 by
# default, so every indexed word is rewritten many times over as the index grows. Merging at 16
# (FTS5's largest) rewrites it less often, and costs less CPU per stored article (the FTS5
# entry is most of a store write; ``bench/fts.py`` measures it), at the cost of a query reading
# up to 16 segments a level instead of 4. A level that reaches ``crisismerge`` segments is
# merged at once, inside the write that reached it: at its default of 16 that happens at every
# automerge level, and a three-article write then took up to 160 ms instead of 1. At 64 the
# incremental merges keep every level below it. Both settings live in the index's own config
# table, so they hold for every connection.
FTS_AUTOMERGE = 16
FTS_CRISISMERGE = 64
_SCHEMA_V3 = (
    f"INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', {FTS_AUTOMERGE})",
    f"INSERT INTO articles_fts (articles_fts, rank) VALUES ('crisismerge', {FTS_CRISISMERGE})",
)

# The insert trigger no longer fills the full-text index: the store does, in the same
# transaction (``services.store.sqlite.repository``). An FTS5 write made by a trigger runs inside
# the inserting statement's savepoint, and FTS5 writes its buffered terms out as a new segment at
# every savepoint: one segment per article, each soon merged again. Written directly, a batch's
# terms stay buffered until COMMIT and become one segment (the bench ``bench/fts.py`` measures
# both). The author rows are still the trigger's; deletes and updates still unindex by trigger.
_SCHEMA_V4 = (
    "DROP TRIGGER articles_ai",
    """
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT OR IGNORE INTO article_authors (author, article_id)
            SELECT value, new.id FROM json_each(new.authors) WHERE trim(value) <> '';
    END
    """,
)

# Words inside Chinese, Japanese, Korean and Thai text (:mod:`services.store.fulltext`): the
# index holds each article's *indexed text*, in which every character of those scripts is a
# token. ``indexed_text`` keeps it for the articles where it differs from the stored title or
# body (NULL where the same: no copy for the Latin majority), and the index reads it through
# the ``indexed_articles`` view, so FTS5's own 'rebuild' and 'integrity-check' see the same
# text the writer entered, and the delete trigger unindexes exactly what was indexed. The
# migration fills ``indexed_text`` with :data:`INDEX_TEXT_FUNCTION` (registered by
# :func:`migrate`) and rebuilds the index. A stored article's title and body are never
# rewritten (the first version of an id is kept): an update of them is refused, as its new
# indexed text could not be computed in SQL.
INDEX_TEXT_FUNCTION = "newsflow_index_text"
_SCHEMA_V5 = (
    """
    CREATE TABLE indexed_text (
        seq INTEGER PRIMARY KEY,            -- the article's seq
        title TEXT,                         -- its indexed title, NULL when the same as its title
        body TEXT                           -- its indexed body, NULL when the same as its body
    )
    """,
    """
    CREATE VIEW indexed_articles AS
        SELECT a.seq AS seq, coalesce(t.title, a.title) AS title, coalesce(t.body, a.body) AS body
        FROM articles AS a LEFT JOIN indexed_text AS t ON t.seq = a.seq
    """,
    "DROP TRIGGER articles_ad",
    "DROP TRIGGER articles_au",
    "DROP TABLE articles_fts",
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, body,
        content = 'indexed_articles', content_rowid = 'seq',
        tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
    *_SCHEMA_V3,
    f"""
    INSERT INTO indexed_text (seq, title, body)
        SELECT seq, nullif(title_text, title), nullif(body_text, body) FROM (
            SELECT seq, title, body,
                {INDEX_TEXT_FUNCTION}(title) AS title_text, {INDEX_TEXT_FUNCTION}(body) AS body_text
            FROM articles
        ) WHERE title_text IS NOT title OR body_text IS NOT body
    """,
    "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
    """
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body)
            SELECT 'delete', old.seq, coalesce(t.title, old.title), coalesce(t.body, old.body)
            FROM (SELECT old.seq AS seq) AS o LEFT JOIN indexed_text AS t ON t.seq = o.seq;
        DELETE FROM indexed_text WHERE seq = old.seq;
    END
    """,
    """
    CREATE TRIGGER articles_au BEFORE UPDATE OF title, body ON articles BEGIN
        SELECT RAISE(ABORT, 'a stored article''s title and body are not rewritten');
    END
    """,
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, authors, full-text index", _SCHEMA_V1),
    Migration(2, "claims: the record that first stored each article", _SCHEMA_V2),
    Migration(3, "full-text index: merge 16 segments a level, at once only at 64", _SCHEMA_V3),
    Migration(4, "full-text index: filled by the writer, a batch a segment", _SCHEMA_V4),
    Migration(5, "full-text index: words inside CJK and Thai text", _SCHEMA_V5),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def _shared_pragmas(busy_timeout_ms: int, cache_kib: int, mmap_bytes: int) -> tuple[str, ...]:
    return (
        f"PRAGMA busy_timeout = {int(busy_timeout_ms)}",
        f"PRAGMA cache_size = -{int(cache_kib)}",
        f"PRAGMA mmap_size = {int(mmap_bytes)}",
        "PRAGMA temp_store = MEMORY",
        "PRAGMA foreign_keys = ON",
    )


def writer_pragmas(
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    cache_kib: int = DEFAULT_CACHE_KIB,
    mmap_bytes: int = DEFAULT_MMAP_BYTES,
) -> tuple[str, ...]:
    """Every pragma the store's writing connection runs before it migrates."""
    return (
        *_shared_pragmas(busy_timeout_ms, cache_kib, mmap_bytes),
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = NORMAL",
        f"PRAGMA journal_size_limit = {_JOURNAL_LIMIT_BYTES}",
    )


async def _connect(target: str, *, uri: bool) -> aiosqlite.Connection:
    # isolation_level=None: no implicit transactions; ``transaction()`` issues BEGIN itself.
    return await aiosqlite.connect(target, uri=uri, isolation_level=None)


async def open_database(
    path: Path,
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    cache_kib: int = DEFAULT_CACHE_KIB,
    mmap_bytes: int = DEFAULT_MMAP_BYTES,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> aiosqlite.Connection:
    """Open (creating if needed) the database for writing, and migrate it to the latest version."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with translated(f"opening {path}"):
        conn = await _connect(str(path), uri=False)
        try:
            for pragma in writer_pragmas(busy_timeout_ms, cache_kib, mmap_bytes):
                await conn.execute(pragma)
            await migrate(conn, migrations)
        except BaseException:
            await conn.close()
            raise
    return conn


async def open_readonly(
    path: Path,
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    cache_kib: int = DEFAULT_CACHE_KIB,
    mmap_bytes: int = DEFAULT_MMAP_BYTES,
) -> aiosqlite.Connection:
    """Open an existing, migrated database read-only (``mode=ro``); never creates or migrates.

    Raises :class:`DatabaseNotReadyError` when the file is missing or its schema is older than
    :data:`SCHEMA_VERSION`, and :class:`SchemaVersionError` when it is newer.
    """
    with translated(f"opening {path} read-only"):
        conn = await _connect(_readonly_uri(path), uri=True)
        try:
            shared = _shared_pragmas(busy_timeout_ms, cache_kib, mmap_bytes)
            for pragma in (*shared, "PRAGMA query_only = ON"):
                await conn.execute(pragma)
            check_version(str(path), await user_version(conn), SCHEMA_VERSION)
        except BaseException:
            await conn.close()
            raise
    return conn


def _readonly_uri(path: Path) -> str:
    if not path.is_file():
        raise DatabaseNotReadyError(
            f"database {path} does not exist: start the store once to create it"
        )
    return f"file:{quote(str(path.resolve()))}?mode=ro"


async def user_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row is not None else 0


async def migrate(conn: aiosqlite.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply every pending migration, each in its own transaction; returns the final version."""
    check_order(migrations)
    await conn.create_function(INDEX_TEXT_FUNCTION, 1, index_text, deterministic=True)
    latest = migrations[-1].version if migrations else 0
    found = await user_version(conn)
    if found > latest:
        raise SchemaVersionError(
            f"database has schema version {found}; this newsflow knows up to {latest}"
        )
    for step in migrations[found:]:
        async with transaction(conn):
            # Re-read under the write lock: another process may have migrated meanwhile.
            if await user_version(conn) >= step.version:
                continue
            for statement in step.statements:
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {int(step.version)}")
    return await user_version(conn)


@asynccontextmanager
async def transaction(conn: aiosqlite.Connection) -> AsyncIterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error or cancellation (COMMIT's too).

    IMMEDIATE takes the write lock up front, so a busy database fails here (after
    ``busy_timeout``) rather than half-way through the work.
    """
    await conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        await conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # a failed COMMIT can leave it open: never leak it
            await conn.rollback()
        raise
