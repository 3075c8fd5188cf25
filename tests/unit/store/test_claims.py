"""Claims: one processed publication per article id, whatever the redeliveries and re-pushes, on
both backends."""

from __future__ import annotations

from datetime import UTC, datetime

from services.store.repository import Position
from tests.unit.store.backends import Backend
from tests.unit.store.factory import make_article

FIRST = Position("dedup", 0, 10)
LATER = Position("dedup", 0, 11)


async def test_first_record_claims_and_a_repush_does_not(fresh: Backend) -> None:
    async with await fresh.repository() as repo:
        article = make_article(1)
        [published] = await repo.store_claimed([(article, FIRST)])
        assert published is not None and published.article == article
        assert published.doc.encode() == article.to_bytes()
        repushed = article.model_copy(update={"stored_at": datetime.now(UTC), "title": "changed"})
        assert await repo.store_claimed([(repushed, LATER)]) == [None]
        assert (await repo.get(article.id)) == article


async def test_redelivery_of_the_claiming_record_publishes_the_stored_version_again(
    fresh: Backend,
) -> None:
    article = make_article(2)
    async with await fresh.repository() as repo:
        await repo.store_claimed([(article, FIRST)])
    async with await fresh.repository() as repo:  # after a crash and restart
        retried = article.model_copy(update={"stored_at": datetime.now(UTC)})
        [published] = await repo.store_claimed([(retried, FIRST)])
    assert published is not None and published.article == article, "the stored (first) version"
    assert published.doc.encode() == article.to_bytes(), "so a retry publishes identical bytes"


async def test_an_id_twice_in_one_batch_is_published_once(fresh: Backend) -> None:
    async with await fresh.repository() as repo:
        article = make_article(3)
        other = make_article(4)
        results = await repo.store_claimed(
            [(article, FIRST), (other, Position("dedup", 1, 0)), (article, LATER)]
        )
        assert [r.article if r else None for r in results] == [article, other, None]
        assert await repo.store_claimed([]) == []


async def test_an_article_saved_without_a_claim_is_published_for_no_record(
    fresh: Backend,
) -> None:
    async with await fresh.repository() as repo:
        article = make_article(5)
        assert await repo.save(article) is True
        assert await repo.store_claimed([(article, FIRST)]) == [None]
        assert await repo.store_claimed([(article, FIRST)]) == [None]
