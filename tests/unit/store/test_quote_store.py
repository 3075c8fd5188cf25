"""Quotations in the store, on each backend: written with their article, found by speaker and
words, listed page by page; each backend's migration fills them for the articles stored
before it."""

from __future__ import annotations

from pathlib import Path

import asyncpg

from services.core.models import ProcessedArticle, Quote
from services.store.postgres import database as pg
from services.store.postgres.reader import PostgresReader
from services.store.postgres.schema import MIGRATIONS as PG_MIGRATIONS
from services.store.postgres.schema import SCHEMA_VERSION as PG_SCHEMA_VERSION
from services.store.quotesearch import QuoteQuery
from services.store.reader import ArticleReader, StoredQuote
from services.store.repository import Position
from services.store.rows import article_row
from services.store.search import SearchQuery
from services.store.sqlite.database import MIGRATIONS, SCHEMA_VERSION, open_database, user_version
from services.store.sqlite.reader import SqliteReader
from services.store.sqlite.repository import INSERT_ARTICLE
from tests.support.postgres import fresh_database, server_under_test
from tests.unit.store.backends import Backend
from tests.unit.store.factory import make_article


def quote(text: str, speaker: str | None, kind: str = "person", cue: str = "said") -> Quote:
    return Quote.model_validate(
        {"text": text, "speaker": speaker, "speaker_kind": kind, "cue": cue, "paragraph": 0}
        | {"start": 1, "end": 1 + len(text)}
    )


def quoting(n: int, *quotes: Quote, **options: object) -> ProcessedArticle:
    return make_article(n, **options).model_copy(update={"quotes": list(quotes)})  # type: ignore[arg-type]


ARTICLES = [
    quoting(
        0,
        quote("Russia has essentially rejected the full ceasefire proposal", "Volodymyr Zelenskyy"),
        quote("We didn’t talk about aid, not at all", "Donald Trump"),
    ),
    quoting(1, quote("The talks will go on next week in Riyadh", "José González")),
    quoting(2, quote("We see no reason to change course now", "the Kremlin", "organisation")),
    quoting(3, quote("The ceasefire must hold for everyone here", "a spokesperson", "unnamed")),
    quoting(
        4,
        quote("Russia has essentially rejected the full ceasefire proposal", "Volodymyr Zelenskyy"),
        verdict="duplicate",
        story_id="article-0000",
        duplicate_of="article-0000",
    ),
    quoting(5, quote("Nobody knows who wrote this sentence at all", None, "unknown", "")),
    quoting(6, undated=True),
    quoting(7, quote("Trump is not the speaker of this quotation", "Ivanka Trump-Kushner")),
]


async def stored(fresh: Backend) -> ArticleReader:
    async with await fresh.repository() as repo:
        await repo.save_many(ARTICLES[:4])
        await repo.store_claimed([(a, Position("t", 0, n)) for n, a in enumerate(ARTICLES[4:])])
    return await fresh.reader()


def who(items: tuple[StoredQuote, ...]) -> list[tuple[str, str | None]]:
    return [(item.article_id, item.speaker) for item in items]


async def test_quotes_are_listed_newest_article_first_in_article_order(fresh: Backend) -> None:
    async with await stored(fresh) as reader:
        page = await reader.quotes(QuoteQuery())
    assert who(page.items) == [
        ("article-0007", "Ivanka Trump-Kushner"),
        ("article-0005", None),
        ("article-0003", "a spokesperson"),
        ("article-0002", "the Kremlin"),
        ("article-0001", "José González"),
        ("article-0000", "Volodymyr Zelenskyy"),
        ("article-0000", "Donald Trump"),
    ], "duplicates' quotations are not listed"
    assert page.next_cursor is None
    first = page.items[-1]
    want = ARTICLES[0].quotes[1]
    assert (first.text, first.cue, first.speaker_kind) == (want.text, "said", "person")
    assert (first.paragraph, first.start, first.end) == (want.paragraph, want.start, want.end)


async def test_speaker_matches_full_name_or_surname_in_any_case_and_accents(
    fresh: Backend,
) -> None:
    async with await stored(fresh) as reader:
        for speaker, found in [
            ("Volodymyr Zelenskyy", ["Volodymyr Zelenskyy"]),
            ("zelenskyy", ["Volodymyr Zelenskyy"]),
            ("ZELENSKYY", ["Volodymyr Zelenskyy"]),
            ("Jose Gonzalez", ["José González"]),
            ("gonzalez", ["José González"]),
            ("Trump", ["Donald Trump"]),  # not "Trump-Kushner", not a word in a quotation
            ("the kremlin", ["the Kremlin"]),
            ("Kremlin", []),  # an organisation by its whole name only
            ("spokesperson", []),
            ("Volodymyr", []),  # a first name alone finds no one
            ("President Trump", []),
        ]:
            page = await reader.quotes(QuoteQuery(speaker=speaker))
            assert [item.speaker for item in page.items] == found, speaker
        articles = await reader.search(SearchQuery(speaker="zelenskyy"))
        assert [a.id for a in articles.items] == ["article-0000"]
        both = await reader.search(SearchQuery(speaker="Trump", include_duplicates=True))
        assert [a.id for a in both.items] == ["article-0000"]
        none = await reader.search(SearchQuery(speaker="Nobody Atall"))
        assert none.items == ()


async def test_q_finds_whole_words_and_pages_follow_the_cursor(fresh: Backend) -> None:
    async with await stored(fresh) as reader:
        ceasefire = await reader.quotes(QuoteQuery(q="CEASEFIRE"))
        assert who(ceasefire.items) == [
            ("article-0003", "a spokesperson"),
            ("article-0000", "Volodymyr Zelenskyy"),
        ]
        phrase = await reader.quotes(QuoteQuery(q='"didn\'t talk" aid', speaker="trump"))
        assert who(phrase.items) == [("article-0000", "Donald Trump")]
        assert (await reader.quotes(QuoteQuery(q="cease"))).items == ()
        seen: list[tuple[str, str | None]] = []
        cursor = None
        for _ in range(10):
            page = await reader.quotes(QuoteQuery(limit=3, cursor=cursor))
            seen += who(page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        everything = await reader.quotes(QuoteQuery(limit=100))
        assert seen == who(everything.items) and len(seen) == 7


async def test_a_sqlite_schema_5_database_gets_the_quotations_of_its_articles(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    conn = await open_database(path, migrations=MIGRATIONS[:5])
    try:
        for seq, article in enumerate(ARTICLES[:3], start=1):  # as the schema-5 store wrote them
            await conn.execute(INSERT_ARTICLE, (seq, *article_row(article)))
        legacy = make_article(9)  # stored before articles had quotations: no "quotes" at all
        doc = legacy.model_dump_json(exclude={"quotes"})
        await conn.execute(INSERT_ARTICLE, (4, *article_row(legacy, doc)))
    finally:
        await conn.close()
    conn = await open_database(path)
    try:
        assert await user_version(conn) == SCHEMA_VERSION == 6
    finally:
        await conn.close()
    async with await SqliteReader.open(path) as reader:
        await check_migrated(reader)
        assert (await reader.get("article-0009")) is not None


async def check_migrated(reader: ArticleReader) -> None:
    """The quotations of the first three articles, stored before the quotation schema."""
    page = await reader.quotes(QuoteQuery(limit=100))
    assert who(page.items) == [
        ("article-0002", "the Kremlin"),
        ("article-0001", "José González"),
        ("article-0000", "Volodymyr Zelenskyy"),
        ("article-0000", "Donald Trump"),
    ]
    assert [i.text for i in page.items] == [
        q.text for a in reversed(ARTICLES[:3]) for q in a.quotes
    ]
    migrated = await reader.quotes(QuoteQuery(speaker="gonzalez", q="riyadh"))
    assert who(migrated.items) == [("article-0001", "José González")]


# An article as a PostgreSQL store of schema 2 wrote it (before the quotation schema).
V2_ARTICLE = (
    "INSERT INTO articles (id, authors, published_at_utc, word_count, cited_outlets, story_id, "
    "verdict, similarity, dedup_method, dedup_evidence, received_at, stored_at, body, doc, "
    "search_config, search_vector) VALUES ($1, '[]', $2, 2, '[]', $1, 'unique', 0, 'none', "
    "'{}', 'r', 's', 'body', $3, 1, to_tsvector('newsflow_simple', 'body'))"
)


async def test_a_postgresql_schema_2_database_gets_the_quotations_of_its_articles() -> None:
    async with fresh_database(server_under_test()) as url:
        assert await pg.migrate(url, PG_MIGRATIONS[:2]) == 2
        conn = await asyncpg.connect(url)
        try:
            for article in ARTICLES[:3]:
                row = article_row(article)
                await conn.execute(V2_ARTICLE, article.id, row[9], row[-1])
            legacy = make_article(9)
            await conn.execute(
                V2_ARTICLE, legacy.id, None, legacy.model_dump_json(exclude={"quotes"})
            )
        finally:
            await conn.close()
        assert await pg.migrate(url) == PG_SCHEMA_VERSION  # the quotations step and any later
        async with await PostgresReader.open(url) as reader:
            await check_migrated(reader)
