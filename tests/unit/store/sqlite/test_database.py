"""Opening the store's database: pragmas, versioned migrations, read-only opening."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from services.core.migration import Migration
from services.core.settings import Settings
from services.store.errors import (
    DatabaseNotReadyError,
    DatabaseUnavailableError,
    SchemaVersionError,
)
from services.store.sqlite.database import (
    DEFAULT_BUSY_TIMEOUT_MS,
    DEFAULT_CACHE_KIB,
    DEFAULT_MMAP_BYTES,
    FTS_AUTOMERGE,
    FTS_CRISISMERGE,
    MIGRATIONS,
    SCHEMA_VERSION,
    migrate,
    open_database,
    open_readonly,
    transaction,
    user_version,
)
from services.store.sqlite.errors import is_transient, translated
from services.store.sqlite.reader import SqliteReader
from services.store.sqlite.repository import SqliteRepository

V2 = Migration(SCHEMA_VERSION + 1, "a column", ("ALTER TABLE articles ADD COLUMN extra TEXT",))


async def _scalar(conn: object, sql: str) -> object:
    rows = list(await conn.execute_fetchall(sql))  # type: ignore[attr-defined]
    return rows[0][0]


async def test_new_database_is_migrated_with_throughput_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "newsflow.db"
    conn = await open_database(path, busy_timeout_ms=1234)
    try:
        assert await user_version(conn) == SCHEMA_VERSION == MIGRATIONS[-1].version
        assert await _scalar(conn, "PRAGMA journal_mode") == "wal"
        assert await _scalar(conn, "PRAGMA synchronous") == 1  # NORMAL
        assert await _scalar(conn, "PRAGMA foreign_keys") == 1
        assert await _scalar(conn, "PRAGMA busy_timeout") == 1234
        assert await _scalar(conn, "PRAGMA temp_store") == 2  # MEMORY
        names = {row[0] for row in await conn.execute_fetchall("SELECT name FROM sqlite_master")}
    finally:
        await conn.close()
    assert {"articles", "article_authors", "articles_fts"} <= names
    assert {
        "ix_articles_published",
        "ix_articles_source",
        "ix_articles_language",
        "ix_articles_story",
        "ix_articles_verdict",
        "ix_articles_stored",
        "ix_article_authors_article",
    } <= names


async def test_an_older_database_gets_the_merge_setting_and_keeps_its_index(
    tmp_path: Path,
) -> None:
    path = tmp_path / "newsflow.db"
    conn = await open_database(path, migrations=MIGRATIONS[:2])
    try:
        await conn.execute(
            "INSERT INTO articles (id, authors, word_count, cited_outlets, story_id, verdict, "
            "similarity, dedup_method, dedup_evidence, received_at, stored_at, body, doc, title) "
            "VALUES ('a', '[]', 2, '[]', 's', 'unique', 0, 'none', '{}', 'r', 's', "
            "'harbour flooding', '{}', 'Storm')"
        )
        assert await _scalar(conn, "SELECT count(*) FROM articles_fts_config") == 1  # version
    finally:
        await conn.close()
    conn = await open_database(path)
    try:
        assert await user_version(conn) == SCHEMA_VERSION
        merge = "SELECT v FROM articles_fts_config WHERE k = 'automerge'"
        assert await _scalar(conn, merge) == FTS_AUTOMERGE == 16
        crisis = "SELECT v FROM articles_fts_config WHERE k = 'crisismerge'"
        assert await _scalar(conn, crisis) == FTS_CRISISMERGE == 64
        match = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'harbour'"
        assert await _scalar(conn, match) == 1
    finally:
        await conn.close()


async def test_a_schema_3_database_leaves_indexing_to_the_writer(tmp_path: Path) -> None:
    path = tmp_path / "newsflow.db"
    insert = (
        "INSERT INTO articles (id, authors, word_count, cited_outlets, story_id, verdict, "
        "similarity, dedup_method, dedup_evidence, received_at, stored_at, body, doc, title) "
        "VALUES (?, '[\"Ada Byline\"]', 2, '[]', 's', 'unique', 0, 'none', '{}', 'r', 's', "
        "'harbour flooding', '{}', 'Storm')"
    )
    conn = await open_database(path, migrations=MIGRATIONS[:3])
    try:
        await conn.execute(insert, ("old",))  # indexed by the schema-3 trigger
    finally:
        await conn.close()
    conn = await open_database(path, migrations=MIGRATIONS[:4])
    try:
        assert await user_version(conn) == 4
        await conn.execute(insert, ("new",))  # the trigger now fills the authors alone
        match = "SELECT group_concat(rowid) FROM articles_fts WHERE articles_fts MATCH 'harbour'"
        assert await _scalar(conn, match) == "1"
        authors = "SELECT group_concat(article_id) FROM article_authors WHERE author = 'Ada Byline'"
        assert await _scalar(conn, authors) == "new,old"
    finally:
        await conn.close()


async def test_a_schema_4_database_is_reindexed_for_words_inside_cjk_and_thai_text(
    tmp_path: Path,
) -> None:
    path = tmp_path / "newsflow.db"
    insert = (
        "INSERT INTO articles (seq, id, authors, word_count, cited_outlets, story_id, verdict, "
        "similarity, dedup_method, dedup_evidence, received_at, stored_at, body, doc, title) "
        "VALUES (?, ?, '[]', 2, '[]', 's', 'unique', 0, 'none', '{}', 'r', 's', ?, '{}', ?)"
    )
    stored = [
        (1, "ja", "東京都は19日、新型コロナの感染者を発表した。", "東京都の発表"),
        (2, "en", "Harbour flooding in the old town", "Storm"),
        (3, "ko", "서울시는 15일 심야버스를 늘린다고 밝혔다.", None),
        (4, "th", "การส่งออกข้าวหอมมะลิเพิ่มขึ้น", "ข้าวไทย"),
    ]
    conn = await open_database(path, migrations=MIGRATIONS[:4])
    try:
        for seq, article_id, body, title in stored:  # as the schema-4 store wrote them
            await conn.execute(insert, (seq, article_id, body, title))
            await conn.execute(
                "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)", (seq, title, body)
            )
        match = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
        assert list(await conn.execute_fetchall(match, ('"東 京"',))) == [(0,)]  # one token
    finally:
        await conn.close()
    conn = await open_database(path)
    try:
        assert await user_version(conn) == SCHEMA_VERSION == 5
        found = "SELECT group_concat(rowid) FROM articles_fts WHERE articles_fts MATCH ?"
        for query, rows in [
            ('"東 京"', "1"),
            ('"感 染 者"', "1"),
            ('"19"', "1"),
            ('"서 울 시"', "3"),
            ('"หอ ม ม ะ ลิ"', None),
            ('"ห อ ม ม ะ ลิ"', "4"),
            ('"ข้ า ว"', "4"),
            ("harbour", "2"),
        ]:
            [(found_rows,)] = await conn.execute_fetchall(found, (query,))
            assert found_rows == rows, query
        texts = "SELECT seq, title IS NULL, body IS NULL FROM indexed_text ORDER BY seq"
        assert list(await conn.execute_fetchall(texts)) == [(1, 0, 0), (3, 1, 0), (4, 0, 0)]
        merge = "SELECT group_concat(v) FROM articles_fts_config WHERE k LIKE '%merge'"
        assert await _scalar(conn, merge) in {"16,64", "64,16"}
        await conn.execute(
            "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)"
        )
    finally:
        await conn.close()


async def test_reopening_is_idempotent_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "newsflow.db"
    conn = await open_database(path)
    await conn.execute("CREATE TABLE marker (x)")
    await conn.close()
    conn = await open_database(path)
    try:
        assert await user_version(conn) == SCHEMA_VERSION
        assert await _scalar(conn, "SELECT count(*) FROM sqlite_master WHERE name = 'marker'") == 1
    finally:
        await conn.close()


async def test_pending_migrations_apply_once_in_order(tmp_path: Path) -> None:
    path = tmp_path / "newsflow.db"
    await (await open_database(path)).close()
    for _ in range(2):  # the second open must not re-run ALTER TABLE (it would fail)
        conn = await open_database(path, migrations=(*MIGRATIONS, V2))
        assert await user_version(conn) == SCHEMA_VERSION + 1
        await conn.execute("SELECT extra FROM articles")
        await conn.close()


async def test_a_failing_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "newsflow.db"
    broken = Migration(SCHEMA_VERSION + 1, "broken", ("CREATE TABLE half (x)", "THIS IS NOT SQL"))
    with pytest.raises(sqlite3.OperationalError):
        await open_database(path, migrations=(*MIGRATIONS, broken))
    conn = await open_database(path)
    try:
        assert await user_version(conn) == SCHEMA_VERSION
        assert await _scalar(conn, "SELECT count(*) FROM sqlite_master WHERE name = 'half'") == 0
    finally:
        await conn.close()


async def test_migrations_must_be_numbered_in_order(tmp_path: Path) -> None:
    conn = await open_database(tmp_path / "newsflow.db")
    try:
        with pytest.raises(ValueError, match="in order"):
            await migrate(conn, (V2, *MIGRATIONS))
    finally:
        await conn.close()


async def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newsflow.db"
    await (await open_database(path, migrations=(*MIGRATIONS, V2))).close()
    with pytest.raises(SchemaVersionError, match=f"version {SCHEMA_VERSION + 1}"):
        await open_database(path)
    with pytest.raises(SchemaVersionError):
        await open_readonly(path)


async def test_readonly_missing_file_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    with pytest.raises(DatabaseNotReadyError, match="does not exist"):
        await open_readonly(path)
    assert not path.exists()
    assert issubclass(DatabaseNotReadyError, DatabaseUnavailableError)


async def test_readonly_unmigrated_file_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    with pytest.raises(DatabaseNotReadyError, match="schema version 0"):
        await open_readonly(path)


async def test_readonly_connection_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "newsflow.db"
    await (await open_database(path)).close()
    conn = await open_readonly(path)
    try:
        assert await _scalar(conn, "SELECT count(*) FROM articles") == 0
        with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only|query_only"):
            await conn.execute("CREATE TABLE nope (x)")
    finally:
        await conn.close()


def _operational(message: str, code: int | None) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    if code is not None:
        error.sqlite_errorcode = code
    return error


@pytest.mark.parametrize(
    ("message", "code", "transient"),
    [
        ("database is locked", 5, True),
        ("database is locked", None, True),
        ("database table is locked", 6, True),
        ("disk I/O error", 10, True),
        ("disk I/O error", 266, True),  # SQLITE_IOERR_READ: extended codes count too
        ("database or disk is full", 13, True),
        ("no such table: nope", 1, False),
        ('near "x": syntax error', 1, False),
    ],
)
def test_transient_errors_are_recognised(message: str, code: int | None, transient: bool) -> None:
    assert is_transient(_operational(message, code)) is transient


def test_translated_raises_database_unavailable_only_for_transient_errors() -> None:
    locked = pytest.raises(DatabaseUnavailableError, match="saving: database is locked")
    with locked, translated("saving"):
        raise _operational("database is locked", 5)
    with pytest.raises(sqlite3.OperationalError, match="no such table"), translated("saving"):
        raise _operational("no such table: x", 1)


async def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    conn = await open_database(tmp_path / "newsflow.db")
    try:
        with pytest.raises(RuntimeError):
            async with transaction(conn):
                await conn.execute("CREATE TABLE half (x)")
                raise RuntimeError
        assert not conn.in_transaction
        assert await _scalar(conn, "SELECT count(*) FROM sqlite_master WHERE name = 'half'") == 0
        async with transaction(conn):
            await conn.execute("CREATE TABLE whole (x)")
        assert await _scalar(conn, "SELECT count(*) FROM sqlite_master WHERE name = 'whole'") == 1
    finally:
        await conn.close()


def test_the_tuning_defaults_are_the_settings_defaults() -> None:
    settings = Settings()
    assert (
        settings.store_busy_timeout_ms,
        settings.store_cache_kib,
        settings.store_mmap_bytes,
    ) == (
        DEFAULT_BUSY_TIMEOUT_MS,
        DEFAULT_CACHE_KIB,
        DEFAULT_MMAP_BYTES,
    )


async def test_a_reader_is_tuned_as_the_settings_say(tmp_path: Path) -> None:
    told = Settings(
        data_dir=tmp_path, store_busy_timeout_ms=1234, store_cache_kib=2048, store_mmap_bytes=0
    )
    await (await SqliteRepository.for_settings(told)).close()
    async with await SqliteReader.for_settings(told) as reader:
        conn = reader._conn
        assert [(await (await conn.execute(f"PRAGMA {name}")).fetchone()) for name in (
            "busy_timeout", "cache_size", "mmap_size"
        )] == [(1234,), (-2048,), (0,)]  # fmt: skip
