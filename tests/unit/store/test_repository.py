"""The write API on both backends: one row per article id whatever the redeliveries, read back
through the read API (each backend's own tables are checked in ``sqlite/`` and ``postgres/``)."""

from __future__ import annotations

from services.store.search import SearchQuery
from tests.unit.store.backends import Backend
from tests.unit.store.factory import make_article


async def _stored_ids(fresh: Backend) -> list[str]:
    async with await fresh.reader() as reader:
        return [s.article.id for s in await reader.stored_since(0, limit=100)]


async def test_save_is_idempotent_and_keeps_the_first_version(fresh: Backend) -> None:
    async with await fresh.repository() as repo:
        first = make_article(1, title="First title")
        assert await repo.save(first) is True
        for attempt in range(3):
            redelivered = make_article(1, title=f"Redelivery {attempt}")
            assert await repo.save(redelivered) is False
        assert await repo.get(first.id) == first
        assert await repo.stored_at(first.id) == first.stored_at
    assert await _stored_ids(fresh) == ["article-0001"]


async def test_save_many_reports_each_article_and_keeps_batch_order(fresh: Backend) -> None:
    async with await fresh.repository() as repo:
        assert await repo.save(make_article(2)) is True
        batch = [make_article(1), make_article(2), make_article(3), make_article(1, title="again")]
        assert await repo.save_many(batch) == [True, False, True, False]
        assert await repo.save_many(batch) == [False, False, False, False]
        assert await repo.save_many([]) == []
        kept = await repo.get("article-0001")
    assert kept is not None and kept.title == "Headline number 1"
    assert await _stored_ids(fresh) == ["article-0002", "article-0001", "article-0003"]


async def test_large_batch_in_one_call(fresh: Backend) -> None:
    batch = [make_article(n) for n in range(1_200)]
    async with await fresh.repository() as repo:
        assert await repo.save_many(batch[:700]) == [True] * 700
        assert await repo.save_many(batch) == [False] * 700 + [True] * 500
    async with await fresh.reader() as reader:
        assert (await reader.counts()).total == 1_200


async def test_missing_article(fresh: Backend) -> None:
    async with await fresh.repository() as repo:
        assert await repo.get("nope") is None
        assert await repo.stored_at("nope") is None


async def test_authors_and_full_text_are_searchable(fresh: Backend) -> None:
    article = make_article(
        4,
        title="Élection présidentielle",
        paragraphs=["Un scrutin serré.", "Résultats attendus ce soir."],
        authors=["Ann Smith", "Bob Jones", "Ann Smith", " "],
        language="fr",
    )
    async with await fresh.repository() as repo:
        await repo.save_many([article, make_article(5, authors=["Bob Jonesy"])])
    async with await fresh.reader() as reader:
        for kwargs in (
            {"author": "ann smith"},
            {"author": "BOB JONES"},
            {"q": "election"},  # accents folded
            {"q": "resultats"},
            {"q": '"scrutin serré"'},
            {"q": "presid*"},
        ):
            page = await reader.search(SearchQuery(**kwargs))  # type: ignore[arg-type]
            assert [a.id for a in page.items] == [article.id], kwargs


async def test_an_undated_article_is_listed_last(fresh: Backend) -> None:
    async with await fresh.repository() as repo:
        await repo.save_many([make_article(5, undated=True), make_article(6)])
        assert await repo.get("article-0005") == make_article(5, undated=True)
    async with await fresh.reader() as reader:
        page = await reader.search(SearchQuery(include_duplicates=True))
    assert [a.id for a in page.items] == ["article-0006", "article-0005"]
