"""``SqliteRepository``: one row per article id whatever the redeliveries; busy → transient."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.core.errors import TransientError
from services.store.errors import DatabaseUnavailableError
from services.store.rows import article_row, epoch_us
from services.store.search import NO_DATE
from services.store.sqlite.repository import INSERT_ARTICLE, SqliteRepository
from tests.support.fulltext import assert_indexed_once
from tests.unit.store.factory import BASE_TIME, make_article


@pytest.fixture
async def repo(tmp_path: Path) -> AsyncIterator[SqliteRepository]:
    async with await SqliteRepository.open(tmp_path / "newsflow.db") as repository:
        yield repository


def _rows(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return list(conn.execute(sql, params))


async def test_save_is_idempotent_and_keeps_the_first_version(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    first = make_article(1, title="First title")
    assert await repo.save(first) is True
    for attempt in range(3):
        redelivered = make_article(1, title=f"Redelivery {attempt}")
        assert await repo.save(redelivered) is False
    assert _rows(tmp_path / "newsflow.db", "SELECT count(*) FROM articles") == [(1,)]
    stored = await repo.get(first.id)
    assert stored == first
    assert await repo.stored_at(first.id) == first.stored_at


async def test_save_many_reports_each_article(repo: SqliteRepository, tmp_path: Path) -> None:
    assert await repo.save(make_article(2)) is True
    batch = [make_article(1), make_article(2), make_article(3), make_article(1, title="again")]
    assert await repo.save_many(batch) == [True, False, True, False]
    assert await repo.save_many(batch) == [False, False, False, False]
    assert await repo.save_many([]) == []
    ids = _rows(tmp_path / "newsflow.db", "SELECT id FROM articles ORDER BY seq")
    assert ids == [("article-0002",), ("article-0001",), ("article-0003",)]
    kept = await repo.get("article-0001")
    assert kept is not None
    assert kept.title == "Headline number 1"


async def test_redeliveries_leave_each_article_indexed_once(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    batch = [make_article(n) for n in range(5)]
    for _ in range(3):  # a batch redelivered: nothing is written, or indexed, again
        await repo.save_many(batch)
    assert_indexed_once(tmp_path / "newsflow.db")


async def test_the_index_check_sees_an_article_indexed_twice(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    await repo.save_many([make_article(n) for n in range(3)])
    path = tmp_path / "newsflow.db"
    [(seq, title, body)] = _rows(path, "SELECT seq, title, body FROM indexed_articles LIMIT 1")
    with sqlite3.connect(path) as conn:  # what a store write that ran again would add
        conn.execute(
            "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)", (seq, title, body)
        )
    with pytest.raises(AssertionError, match="full-text index disagrees"):
        assert_indexed_once(path)


async def test_large_batch_in_one_call(repo: SqliteRepository, tmp_path: Path) -> None:
    batch = [make_article(n) for n in range(1_200)]  # more ids than one IN (...) chunk
    assert await repo.save_many(batch[:700]) == [True] * 700
    assert await repo.save_many(batch) == [False] * 700 + [True] * 500
    assert _rows(tmp_path / "newsflow.db", "SELECT count(*) FROM articles") == [(1_200,)]


async def test_columns_authors_and_full_text_are_filled(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    article = make_article(
        4,
        title="Élection présidentielle",
        paragraphs=["Un scrutin serré.", "Résultats attendus ce soir."],
        authors=["Ann Smith", "Bob Jones", "Ann Smith"],
    )
    await repo.save(article)
    path = tmp_path / "newsflow.db"
    row = _rows(
        path,
        "SELECT published_at, published_at_utc, body, authors, verdict, stored_at "
        "FROM articles WHERE id = ?",
        article.id,
    )[0]
    assert row[0] == "2025-03-01T17:00:00+01:00"
    assert row[1] == epoch_us(BASE_TIME) + 4 * 3_600 * 1_000_000
    assert row[2] == "Un scrutin serré.\n\nRésultats attendus ce soir."
    assert row[3] == '["Ann Smith","Bob Jones","Ann Smith"]'
    assert row[4] == "unique"
    assert row[5] == "2025-03-01T16:10:00.000000Z"
    authors = _rows(path, "SELECT author FROM article_authors ORDER BY author")
    assert authors == [("Ann Smith",), ("Bob Jones",)]
    match = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
    assert len(_rows(path, match, "election")) == 1  # diacritics removed
    assert len(_rows(path, match, "resultats")) == 1


async def test_undated_article_is_stored_without_instant(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    await repo.save(make_article(5, undated=True))
    rows = _rows(tmp_path / "newsflow.db", "SELECT published_at, published_at_utc FROM articles")
    assert rows == [(None, None)]
    assert _rows(tmp_path / "newsflow.db", "SELECT sort_ts FROM articles") == [(NO_DATE,)]


async def test_missing_article(repo: SqliteRepository) -> None:
    assert await repo.get("nope") is None
    assert await repo.stored_at("nope") is None


async def test_locked_database_is_transient(tmp_path: Path) -> None:
    path = tmp_path / "newsflow.db"
    repo = await SqliteRepository.open(path, busy_timeout_ms=50)
    blocker = sqlite3.connect(path, isolation_level=None)
    try:
        blocker.execute("BEGIN EXCLUSIVE")
        with pytest.raises(DatabaseUnavailableError, match="database is locked") as caught:
            await repo.save(make_article(1))
        assert isinstance(caught.value, TransientError)
        assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
        blocker.execute("ROLLBACK")
        assert await repo.save(make_article(1)) is True  # the retry succeeds
    finally:
        blocker.close()
        await repo.close()


async def test_a_failing_batch_stores_nothing(repo: SqliteRepository, tmp_path: Path) -> None:
    path = tmp_path / "newsflow.db"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON articles WHEN new.id = 'article-0002' "
            "BEGIN SELECT RAISE(ABORT, 'boom'); END"
        )
    batch = [make_article(1), make_article(2), make_article(3)]
    with pytest.raises(sqlite3.IntegrityError, match="boom"):
        await repo.save_many(batch)
    assert _rows(path, "SELECT count(*) FROM articles") == [(0,)]
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER boom")
    assert await repo.save_many(batch) == [True, True, True]  # no transaction was left open


def _matches(path: Path, query: str) -> list[object]:
    sql = (
        "SELECT a.id FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
        "WHERE articles_fts MATCH ? ORDER BY a.seq"
    )
    return [row[0] for row in _rows(path, sql, query)]


async def test_each_stored_article_is_indexed_under_its_own_row(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    path = tmp_path / "newsflow.db"
    assert await repo.save(make_article(7)) is True
    batch = [make_article(n, paragraphs=[f"Harbour report {n}.", f"tideword{n}"]) for n in (1, 2)]
    assert await repo.save_many([*batch, make_article(7)]) == [True, True, False]
    assert _matches(path, "harbour") == ["article-0001", "article-0002"]
    assert _matches(path, "tideword2") == ["article-0002"]
    assert _matches(path, '"headline number 7"') == ["article-0007"]
    assert _rows(path, "SELECT seq FROM articles ORDER BY seq") == [(1,), (2,), (3,)]
    check = "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)"
    with sqlite3.connect(path) as conn:
        conn.execute(check)  # raises on an index that disagrees with the rows


async def test_a_batch_enters_the_index_as_one_segment(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    # Entered one by one (as an insert trigger would), 60 articles make 60 segments, merged
    # again and again as they pile up; a batch of them makes one.
    path = tmp_path / "newsflow.db"
    data = "SELECT count(*) FROM articles_fts_data"
    before = _rows(path, data)[0][0]
    assert isinstance(before, int)
    await repo.save_many([make_article(n) for n in range(60)])
    assert _rows(path, data) == [(before + 1,)]  # one new segment, of one leaf
    assert len(_matches(path, "paragraph")) == 60


async def test_a_row_that_is_already_stored_fails_the_insert(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    path = tmp_path / "newsflow.db"
    await repo.save(make_article(1))
    row = (2, *article_row(make_article(1)))  # the same id under a new seq
    with sqlite3.connect(path) as conn, pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute(INSERT_ARTICLE, row)
    assert _rows(path, "SELECT count(*) FROM articles") == [(1,)]


def _integrity_check(path: Path) -> None:
    check = "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)"
    with sqlite3.connect(path) as conn:
        conn.execute(check)  # raises on an index that disagrees with its content


async def test_cjk_and_thai_text_is_indexed_character_by_character(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    path = tmp_path / "newsflow.db"
    japanese = make_article(
        1, title="Tokyo", paragraphs=["東京都は19日、新型コロナの感染者を発表した。"]
    )
    thai = make_article(2, title="ส่งออกข้าว", paragraphs=["ข้าวหอมมะลิ"])
    latin = make_article(3, title="Élection", paragraphs=["Un scrutin serré."])
    title_only = make_article(4, title="東京 report", paragraphs=["Markets closed higher."])
    assert await repo.save_many([japanese, thai, latin, title_only]) == [True] * 4
    # The indexed text is kept only where it differs, title and body apart.
    texts = _rows(path, "SELECT seq, title, body FROM indexed_text ORDER BY seq")
    assert texts == [
        (1, None, " 東 京 都 は 19 日 、 新 型 コ ロ ナ の 感 染 者 を 発 表 し た 。"),
        (2, " ส่ ง อ อ ก ข้ า ว ", " ข้ า ว ห อ ม ม ะ ลิ "),
        (4, " 東 京  report", None),
    ]
    assert _matches(path, '"東 京 都"') == ["article-0001"]
    assert _matches(path, '"京 都 は"') == ["article-0001"]
    assert _matches(path, '"ห อ ม ม ะ ลิ"') == ["article-0002"]
    assert _matches(path, "19") == ["article-0001"]  # digits beside CJK are a word of their own
    assert _matches(path, "election") == ["article-0003"]
    assert _matches(path, '"東 京" markets') == ["article-0004"]
    assert _matches(path, "東京都") == []  # the whole run is no longer one token
    _integrity_check(path)


async def test_deleting_an_article_unindexes_its_indexed_text(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    path = tmp_path / "newsflow.db"
    articles = [
        make_article(1, paragraphs=["서울시는 15일 발표했다."]),
        make_article(2, paragraphs=["서울시 관계자는 말했다."]),
        make_article(3, paragraphs=["Seoul city said on Monday."]),
    ]
    await repo.save_many(articles)
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM articles WHERE id IN ('article-0001', 'article-0003')")
    assert _matches(path, '"서 울 시"') == ["article-0002"]
    assert _matches(path, "seoul") == []
    assert _rows(path, "SELECT seq FROM indexed_text") == [(2,)]
    _integrity_check(path)


async def test_a_stored_title_or_body_is_not_rewritten(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    path = tmp_path / "newsflow.db"
    await repo.save(make_article(1, paragraphs=["東京都は19日に発表した。"]))
    for column in ("title", "body"):
        with (
            sqlite3.connect(path) as conn,
            pytest.raises(sqlite3.IntegrityError, match="title and body are not rewritten"),
        ):
            conn.execute(f"UPDATE articles SET {column} = '大阪府' WHERE seq = 1")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE articles SET source = 'other.example' WHERE seq = 1")  # allowed
    assert _matches(path, '"東 京 都"') == ["article-0001"]
    _integrity_check(path)
