"""The read API against a real database of 50 articles, on both backends: the same calls give
the same answers (the query suite; where stemming lets PostgreSQL find more, see
``test_stemming.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from services.core.models import ProcessedArticle
from services.store.errors import DatabaseNotReadyError
from services.store.reader import ArticleReader
from services.store.rows import epoch_us
from services.store.search import NO_DATE, UNKNOWN_SOURCE, InvalidQueryError, SearchQuery
from tests.unit.store.backends import READERS, Backend, backend
from tests.unit.store.factory import BASE_TIME, make_article

SOURCES = ("a.example", "b.example", "c.example", None)
LAG = {"a.example": 600, "b.example": 3_600, "c.example": 120, None: 60}  # seconds


def _article(n: int) -> ProcessedArticle:
    source = SOURCES[n % 4]
    published = BASE_TIME + timedelta(hours=n // 2)  # pairs share an instant: id breaks ties
    words = ["climate talks"] if n % 3 == 0 else ["markets rally"]
    if n % 5 == 0:
        words.append("Élection présidentielle et banque centrale")
    duplicate = n % 8 == 3
    return make_article(
        n,
        source=source,
        title=f"Story {n} {'Climat' if n % 3 == 0 else 'Bourse'}",
        paragraphs=[*words, f"Filler paragraph {n}."],
        authors=["Jane Doe"] if n % 2 else ["John Roe", "Jane Doe"] if n % 7 == 0 else ["John Roe"],
        language="fr" if n % 6 == 0 else "en",
        undated=n % 10 == 9,
        published_at=published,
        verdict="duplicate" if duplicate else "update" if n % 8 == 5 else "unique",
        story_id="article-0000" if duplicate or n % 8 == 5 else None,
        duplicate_of="article-0000" if duplicate else None,
        stored_at=published + timedelta(seconds=LAG[source]),
    )


ARTICLES = [_article(n) for n in range(50)]


def _key(article: ProcessedArticle) -> tuple[int, str]:
    moment = article.published_at_utc
    return (epoch_us(moment) if moment else NO_DATE, article.id)


def _expected(keep: list[ProcessedArticle], duplicates: bool = False) -> list[str]:
    shown = [a for a in keep if duplicates or a.dedup.verdict != "duplicate"]
    return [a.id for a in sorted(shown, key=_key, reverse=True)]


@pytest.fixture(scope="module", params=READERS)
async def stored(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Backend]:
    name = str(request.param).partition("-")[0]
    async with backend(name, tmp_path_factory.mktemp("reader")) as found:
        async with await found.repository() as repo:
            assert await repo.save_many(ARTICLES) == [True] * 50
        yield found.reading(str(request.param))


@pytest.fixture
async def reader(stored: Backend) -> AsyncIterator[ArticleReader]:
    reader = await stored.reader()
    yield reader
    await reader.close()


async def _all_pages(reader: ArticleReader, **kwargs: object) -> list[str]:
    ids: list[str] = []
    cursor = None
    for _ in range(100):
        page = await reader.search(SearchQuery(cursor=cursor, **kwargs))  # type: ignore[arg-type]
        assert len(page.items) <= kwargs.get("limit", 20)  # type: ignore[operator]
        ids += [a.id for a in page.items]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize("limit", [1, 7, 20, 100])
async def test_pagination_covers_every_row_once_in_stable_order(
    reader: ArticleReader, limit: int
) -> None:
    ids = await _all_pages(reader, limit=limit)
    assert ids == _expected(ARTICLES)
    assert ids[-1] in {a.id for a in ARTICLES if a.published_at_utc is None}
    everything = await _all_pages(reader, limit=limit, include_duplicates=True)
    assert everything == _expected(ARTICLES, duplicates=True)
    assert len(everything) == 50


async def test_full_text_pages_cover_every_match_once(reader: ArticleReader) -> None:
    ids = await _all_pages(reader, q="climate", limit=3)
    assert ids == _expected([a for a in ARTICLES if "climate talks" in a.paragraphs])


async def test_first_page(reader: ArticleReader) -> None:
    page = await reader.search(SearchQuery(limit=5))
    assert [a.id for a in page.items] == _expected(ARTICLES)[:5]
    assert page.next_cursor is not None
    assert page.items[0] == next(a for a in ARTICLES if a.id == page.items[0].id)


@pytest.mark.parametrize(
    ("kwargs", "keep"),
    [
        ({"source": "b.example"}, lambda a: a.source == "b.example"),
        ({"language": "FR"}, lambda a: a.language == "fr"),
        ({"author": "jane doe"}, lambda a: "Jane Doe" in a.authors),
        (
            {"author": "John Roe", "source": "c.example"},
            lambda a: "John Roe" in a.authors and a.source == "c.example",
        ),
        ({"story": "article-0000"}, lambda a: a.dedup.story_id == "article-0000"),
        (
            {"since": BASE_TIME + timedelta(hours=5), "until": BASE_TIME + timedelta(hours=10)},
            lambda a: (
                a.published_at_utc is not None
                and BASE_TIME + timedelta(hours=5)
                <= a.published_at_utc
                < BASE_TIME + timedelta(hours=10)
            ),
        ),
        (
            {"until": BASE_TIME + timedelta(hours=3)},
            lambda a: (
                a.published_at_utc is not None
                and a.published_at_utc < BASE_TIME + timedelta(hours=3)
            ),
        ),
        (
            {"since": BASE_TIME + timedelta(hours=20)},
            lambda a: (
                a.published_at_utc is not None
                and a.published_at_utc >= BASE_TIME + timedelta(hours=20)
            ),
        ),
        ({"q": "climat"}, lambda a: a.title is not None and "Climat" in a.title),
        ({"q": "election"}, lambda a: a.id.endswith(("0", "5"))),
        ({"q": '"banque centrale"'}, lambda a: a.id.endswith(("0", "5"))),
        ({"q": '"centrale banque"'}, lambda a: False),
        ({"q": "climate OR rally"}, lambda a: True),
        (
            {"q": "climate -election"},
            lambda a: "climate talks" in a.paragraphs and not a.id.endswith(("0", "5")),
        ),
        ({"q": "presid*"}, lambda a: a.id.endswith(("0", "5"))),
        (
            {"q": "climate", "source": "a.example", "language": "fr"},
            lambda a: (
                "climate talks" in a.paragraphs and a.source == "a.example" and a.language == "fr"
            ),
        ),
        ({"q": "nothingmatches"}, lambda a: False),
        # A term of no letters or digits ("___") matches nothing, and excludes nothing.
        ({"q": "climate ___"}, lambda a: False),
        ({"q": "climate OR ___"}, lambda a: "climate talks" in a.paragraphs),
        ({"q": "climate -___"}, lambda a: "climate talks" in a.paragraphs),
    ],
)
async def test_filters(reader: ArticleReader, kwargs: dict[str, object], keep: object) -> None:
    expected = _expected([a for a in ARTICLES if keep(a)])  # type: ignore[operator]
    assert await _all_pages(reader, limit=4, **kwargs) == expected
    with_duplicates = _expected([a for a in ARTICLES if keep(a)], duplicates=True)  # type: ignore[operator]
    assert await _all_pages(reader, limit=100, include_duplicates=True, **kwargs) == with_duplicates


async def test_bad_full_text_syntax_is_an_invalid_query(reader: ArticleReader) -> None:
    with pytest.raises(InvalidQueryError, match="unbalanced"):
        await reader.search(SearchQuery(q='"climate'))
    with pytest.raises(InvalidQueryError, match="at least one word"):
        await reader.search(SearchQuery(q="-climate"))


async def test_get(reader: ArticleReader) -> None:
    assert await reader.get("article-0011") == ARTICLES[11]
    assert await reader.get("missing") is None


async def test_story_lists_every_version_with_evidence(reader: ArticleReader) -> None:
    story = await reader.story("article-0000")
    expected = [a for a in ARTICLES if a.dedup.story_id == "article-0000"]
    assert story == expected
    assert {a.dedup.verdict for a in story} == {"unique", "duplicate", "update"}
    assert story[1].dedup.evidence == {"jaccard": 0.97}
    assert await reader.story("missing") == []


async def test_counts(reader: ArticleReader) -> None:
    counts = await reader.counts()
    assert counts.total == 50
    assert counts.by_verdict == {"duplicate": 6, "unique": 38, "update": 6}
    assert counts.by_source == {
        "a.example": 13,
        "b.example": 13,
        "c.example": 12,
        UNKNOWN_SOURCE: 12,
    }


async def test_latest(reader: ArticleReader) -> None:
    assert [a.id for a in await reader.latest(3)] == [
        "article-0049",
        "article-0048",
        "article-0047",
    ]
    with pytest.raises(InvalidQueryError):
        await reader.latest(0)


async def test_freshness_by_source(reader: ArticleReader) -> None:
    freshness = await reader.freshness_by_source()
    assert [(f.source, f.median_seconds) for f in freshness] == [
        ("b.example", 3_600.0),
        ("a.example", 600.0),
        ("c.example", 120.0),
        (UNKNOWN_SOURCE, 60.0),
    ]
    dated = sum(1 for a in ARTICLES if a.published_at_utc is not None)
    assert sum(f.articles for f in freshness) == dated
    recent = await reader.freshness_by_source(window=4)  # 46..49: c, none, a, b (undated)
    assert sorted(f.source for f in recent) == ["a.example", "c.example", UNKNOWN_SOURCE]
    with pytest.raises(InvalidQueryError):
        await reader.freshness_by_source(window=0)


async def test_stored_since_follows_new_writes(fresh: Backend) -> None:
    async with await fresh.repository() as repo:
        await repo.save_many(ARTICLES[:3])
        async with await fresh.reader() as reader:
            head = await reader.head()
            assert head == 3
            assert [s.seq for s in await reader.stored_since(0)] == [1, 2, 3]
            assert [s.article.id for s in await reader.stored_since(1, limit=1)] == ["article-0001"]
            assert await reader.stored_since(head) == []
            await repo.save_many([ARTICLES[3], ARTICLES[0], ARTICLES[4]])  # one redelivery
            new = await reader.stored_since(head)
            assert [(s.seq, s.article.id) for s in new] == [
                (4, "article-0003"),
                (5, "article-0004"),
            ]
            assert await reader.head() == 5
            with pytest.raises(InvalidQueryError, match="limit"):
                await reader.stored_since(0, limit=0)


async def test_empty_database(fresh: Backend) -> None:
    await (await fresh.repository()).close()
    async with await fresh.reader() as reader:
        assert await reader.head() == 0
        assert await reader.stored_since(0) == []
        assert (await reader.search(SearchQuery(q="climate"))).items == ()
        assert (await reader.counts()).total == 0
        assert await reader.freshness_by_source() == []
        assert await reader.latest() == []


async def test_a_database_the_store_never_opened_is_not_ready(fresh: Backend) -> None:
    with pytest.raises(DatabaseNotReadyError, match="start the store"):
        await fresh.reader()
