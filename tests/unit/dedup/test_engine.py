"""check_many: one transaction per batch, same verdicts as one-by-one, rollback on failure; on
each backend of the state."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from services.core.errors import DatabaseUnavailableError
from services.dedup.decision import Decision, DedupInput
from services.dedup.deduplicator import StateChange
from services.dedup.engine import DedupEngine
from services.dedup.errors import EmptyBodyError
from tests.unit.dedup.backends import StateBackend
from tests.unit.dedup.stream import SETTINGS, Clock, stream_articles


def _kinds(results: list[Decision | Exception]) -> list[tuple[str, str, str | None]]:
    return [
        ("error", type(r).__name__, None)
        if isinstance(r, Exception)
        else (r.kind.value, r.story_id, r.duplicate_of)
        for r in results
    ]


async def test_batches_give_the_same_verdicts_as_one_by_one(backend: StateBackend) -> None:
    articles = stream_articles()
    one_by_one = await DedupEngine.open(backend.location("a"), SETTINGS, Clock())
    async with one_by_one:
        expected = [await one_by_one.check(a) for a in articles]
    batched = await DedupEngine.open(backend.location("b"), SETTINGS, Clock())
    async with batched:
        results: list[Decision | Exception] = []
        for start in range(0, len(articles), 7):
            results += await batched.check_many(articles[start : start + 7])
    assert _kinds(results) == _kinds(list(expected))
    assert {r.kind.value for r in expected} >= {"unique", "duplicate", "update"}
    async with await DedupEngine.open(backend.location("b"), SETTINGS, Clock()) as reopened:
        assert await reopened.check_many(articles) == results, "replayed from the written state"


async def test_a_tiny_record_cache_reads_the_rest_from_the_state(backend: StateBackend) -> None:
    articles = stream_articles()
    async with await DedupEngine.open(backend.location("a"), SETTINGS, Clock()) as engine:
        expected = await engine.check_many(articles)
    tiny = SETTINGS.model_copy(update={"recent_records": 1})
    async with await DedupEngine.open(backend.location("b"), tiny, Clock()) as engine:
        results = [await engine.check(a) for a in articles]
        assert len(engine._recent._records) == 1
    assert _kinds(list(results)) == _kinds(expected)


async def test_an_unreadable_article_gets_its_error_and_the_batch_goes_on(
    backend: StateBackend,
) -> None:
    articles = stream_articles()[:3]
    empty = DedupInput("empty", None, "— … ·", None, None)
    async with await DedupEngine.open(backend.location("s"), SETTINGS, Clock()) as engine:
        results = await engine.check_many([articles[0], empty, articles[1], articles[0]])
        assert isinstance(results[1], EmptyBodyError)
        assert not isinstance(results[0], Exception) and results[3] == results[0], "replay in batch"
        with pytest.raises(EmptyBodyError):
            await engine.check(empty)


async def test_a_failed_write_rolls_back_the_batch_and_the_index(
    backend: StateBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = stream_articles()[:10]
    async with await DedupEngine.open(backend.location("s"), SETTINGS, Clock()) as engine:
        first = await engine.check_many(articles[:5])
        state = engine._state

        async def failing_commit(changes: Sequence[StateChange]) -> None:
            raise DatabaseUnavailableError("the database went away")

        monkeypatch.setattr(state, "commit", failing_commit)
        with pytest.raises(DatabaseUnavailableError):
            await engine.check_many(articles[5:])
        monkeypatch.undo()
        retried = await engine.check_many(articles[5:])
    async with await DedupEngine.open(backend.location("fresh"), SETTINGS, Clock()) as fresh:
        expected = await fresh.check_many(articles)
    assert _kinds([*first, *retried]) == _kinds(expected)
